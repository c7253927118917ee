//! `cargo xtask generate --crate-name`: a spec becomes a complete crate of its own (Cargo.toml,
//! generated modules, and a copy of the runtime crate in `runtime/`) that builds outside this
//! workspace without warnings, and that regenerating leaves as it is; with `--cli`, its command
//! line beside it, built and called against Prism for every operation; `cargo xtask contract`
//! judging each call of any spec by Prism's log and the answer's decoding.

mod support;

use std::path::Path;
use std::process::Command;

use support::prism::{Prism, fits};
use workspace_tests::root;

/// `cargo xtask generate` of `spec` as the crate `name` in `dir`, with `extra` flags.
fn generate(spec: &str, name: &str, dir: &Path, extra: &[&str]) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(&cargo)
        .args(["run", "--quiet", "--offline", "-p", "xtask", "--", "generate"])
        .args(["--spec", spec, "--crate-name", name, "--out"])
        .arg(dir)
        .args(extra)
        .current_dir(root())
        .output()
        .expect("cargo runs")
}

#[test]
fn a_spec_becomes_a_standalone_crate_that_builds_cleanly() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = root().join("target/standalone/operations-api");
    let _ = std::fs::remove_dir_all(&out);
    let generate = |name: &str, dir: &Path| generate("tests/fixtures/operations.yaml", name, dir, &[]);
    let generated = generate("operations-api", &out);
    assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"operations-api\"") && manifest.contains("name = \"operations_api\""));
    assert!(manifest.contains("[workspace]"), "{manifest}");
    assert!(manifest.contains("client-runtime = { path = \"runtime\" }"), "{manifest}");
    for file in ["src/lib.rs", "src/types.rs", "runtime/Cargo.toml", "runtime/src/request/mod.rs", "Cargo.lock"] {
        assert!(out.join(file).exists(), "{file} is missing");
    }
    let built = Command::new(&cargo)
        .args(["clippy", "--offline", "--quiet", "--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", root().join("target"))
        .current_dir(&out)
        .output()
        .expect("cargo runs");
    assert!(
        built.status.success(),
        "the standalone crate does not build cleanly:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let again = generate("operations-api", &out);
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(again.status.success() && said.contains("(0 changed, 0 removed)"), "{said}");
    let bad = generate("9lives", &root().join("target/standalone/bad"));
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("is not a crate name"));
}

/// `--cli` gives the crate a program of its own in `cli/`: it builds without warnings, lists its
/// groups, calls every operation of the spec against Prism with the arguments the IR gives it
/// (multipart, binary, text and form bodies, a binary answer to `--out`), refuses a bad argument
/// with exit 2, and prints a dry run.
#[test]
fn a_spec_gets_a_command_line_that_calls_every_operation() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let spec = "tests/fixtures/bodies.yaml";
    let out = root().join("target/standalone/bodies-api");
    let _ = std::fs::remove_dir_all(&out);
    let generated = generate(spec, "bodies-api", &out, &["--cli"]);
    assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));
    let manifest = std::fs::read_to_string(out.join("cli/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"bodies-api-cli\"") && manifest.contains("name = \"bodies-api\""), "{manifest}");
    let target = root().join("target");
    let built = Command::new(&cargo)
        .args(["clippy", "--offline", "--quiet", "-p", "bodies-api-cli", "--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&out)
        .output()
        .expect("cargo runs");
    assert!(
        built.status.success(),
        "the command line does not build cleanly:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let built = Command::new(&cargo)
        .args(["build", "--offline", "--quiet", "-p", "bodies-api-cli"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&out)
        .output()
        .expect("cargo runs");
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let program = target.join("debug/bodies-api");

    let prism = Prism::start(&root().join(spec), true, "standalone-cli");
    let run = |args: &[String]| {
        Command::new(&program)
            .args(args)
            .env("BODIES_API_BASE_URL", &prism.base_url)
            .env("BODIES_API_INSECURE_HTTP", "1")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("the program runs")
    };
    let help = run(&["--help".to_string()]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(help.status.success() && text.contains("untagged") && text.contains("BODIES_API_BASE_URL"), "{text}");

    let text = std::fs::read_to_string(root().join(spec)).unwrap();
    let api = workspace_tests::api_from_text(spec, &text).unwrap();
    let source = codegen::Source::read(&root().join(spec)).unwrap();
    let doc = codegen::overlaid_document(&source, &[]).unwrap();
    let samples = codegen::contract::Samples::new(&doc);
    let file = out.join("upload.bin");
    std::fs::write(&file, b"some bytes").unwrap();
    for group in &api.groups {
        for op in &group.operations {
            let answer = out.join(format!("{}.out", op.cli.name));
            let args = codegen::contract::invocation(&api, &samples, &group.cli_name, op, &file, &answer);
            let output = run(&args);
            assert!(
                output.status.success(),
                "bodies-api {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
    let seen = prism.requests();
    for op in api.operations() {
        assert!(
            seen.iter().any(|(m, p)| *m == op.method.as_str() && fits(&op.path.text, p)),
            "{} never reached Prism",
            op.id
        );
    }
    assert!(prism.violations().is_empty(), "{:?}", prism.violations());

    let bad = run(&["untagged".into(), "login".into(), "--body".into(), "{\"user\": 1}".into()]);
    assert_eq!(bad.status.code(), Some(2), "{}", String::from_utf8_lossy(&bad.stderr));
    let dry =
        run(&["untagged".into(), "put-raw".into(), "--body".into(), file.display().to_string(), "--dry-run".into()]);
    let shown = String::from_utf8_lossy(&dry.stdout);
    assert!(shown.starts_with(&format!("PUT {}/raw\n", prism.base_url)) && shown.contains("<the file"), "{shown}");
}

/// `cargo xtask contract --spec`: every operation of a spec called against Prism in both rounds,
/// with values from its schemas (a pattern, bounds, an email, an example that does not fit its
/// own schema replaced, a required form of optional parts) and the credentials each operation's
/// security asks for (an API key in a header, one in the query when the first requirement
/// cannot be met, basic auth, none). What Prism serves its own way is judged as the spec means
/// it: operations whose paths differ only in a fragment each get a Prism that serves them
/// without it, a paged list whose example `Link` leaves Prism is judged on its first page, an
/// operation that documents only an error passes with that error, and a call whose answer breaks
/// its own schema (a wrong example, a recursion Prism's generator cuts short) is judged again on
/// an answer Prism generates from the schema written out in full. A violation Prism finds fails
/// the run with its message; an answer that breaks its schema however it is made (a recursion
/// through a required property) is reported as the spec's fault, a request Prism cannot read as
/// Prism's.
#[test]
fn any_spec_is_held_to_prism_operation_by_operation() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let run = Command::new(&cargo)
        .args([
            "run",
            "--quiet",
            "--offline",
            "-p",
            "xtask",
            "--",
            "contract",
            "--spec",
            "tests/fixtures/contract.yaml",
        ])
        .current_dir(root())
        .output()
        .expect("cargo runs");
    let (out, err) = (String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(
        out.contains("15 operations: 12 passed both rounds (3 judged again on answers Prism generated within the schema); 1 request violations, 0 decode failures, 1 answers Prism finds break the schema, 1 Prism cannot serve, 0 other failures"),
        "{out}\n{err}"
    );
    assert!(err.contains("getCode (static): request violation:") && err.contains("must match pattern"), "{err}");
    // The example that breaks its schema, and the recursion Prism's generator cuts short: each
    // call judged again on an answer generated from the schema written out in full.
    let again = "passed on an answer Prism generated within the schema; its first answer: decode failure at";
    assert!(err.contains(&format!("createOrder (static): {again} `lines`")), "{err}");
    assert!(err.contains(&format!("getNode (dynamic): {again} `parent.")), "{err}");
    let again = "passed on an answer Prism generated within the schema; its first answer: Prism cannot serve it";
    assert!(
        err.contains(&format!("messageOfTheDay (dynamic): {again}")) && err.contains("schema is not defined"),
        "{err}"
    );
    // A recursion through a required property: no answer keeps to the schema.
    assert!(err.contains("getChain (static): decode failure at `next.next`: missing field `name`"), "{err}");
    assert!(err.contains("Prism finds its answer breaks the schema"), "{err}");
    assert!(err.contains("sendBatch (static): Prism cannot serve it: Prism reads no object inside a list"), "{err}");
    let passing = [
        "getOrder",
        "importSpec",
        "findKey",
        "audit (",
        "health (",
        "listEvents",
        "removeLegacy",
        "sendMessage",
        "purgeQueue",
    ];
    for passed in passing {
        assert!(!err.contains(passed), "{passed} must pass: {err}");
    }
    assert!(!run.status.success() && err.contains("1 operations break the contract"), "{err}");
}
