//! A smoke run of every read command of `ayx` against Prism serving the spec as generation sees
//! it (overlays applied): each must exit 0 with JSON that parses, and Prism must find nothing
//! wrong with the requests. Prism has no token endpoint, so the client's generated mock serves
//! tokens (the profile's `token_url`).

mod support;

// The workspace tests' Prism helper; this test uses part of it.
#[allow(dead_code)]
#[path = "../../tests/support/prism.rs"]
mod prism;

use alteryx_server::mock::Mock;
use prism::Prism;
use support::{Ayx, write_private};

fn overlaid_spec() -> std::path::PathBuf {
    let doc = workspace_tests::alteryx_document();
    let path = workspace_tests::root().join("target/contract/cli-overlaid.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    path
}

/// An `ayx` whose default profile is `prism`, with the client's generated mock as its token
/// endpoint (the mock is returned: it serves for as long as it lives).
async fn ayx_for(prism: &Prism, name: &str) -> (Ayx, Mock) {
    let tokens = Mock::start().await;
    tokens.server().tokens().credentials("k", "s");
    let token_url = format!("{}/oauth2/token", tokens.base_url());
    let ayx = Ayx::new(name);
    std::fs::create_dir_all(ayx.config.parent().unwrap()).unwrap();
    let config = format!(
        "default = \"prism\"\n\n[profiles.prism]\nurl = \"{}\"\nkey = \"k\"\nsecret = \"s\"\ntoken_url = \"{token_url}\"\ninsecure_http = true\n",
        prism.base_url
    );
    write_private(&ayx.config, &config);
    (ayx, tokens)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_read_command_runs_against_prism() {
    let prism = Prism::start(&overlaid_spec(), false, "cli-read");
    let (ayx, _tokens) = ayx_for(&prism, "prism").await;
    let id = "6512a7c3e4b0a1b2c3d4e5f6";
    let commands: &[&[&str]] = &[
        &["config", "show"],
        &["workflows", "list"],
        &["workflows", "get", id],
        &["workflows", "versions", id],
        &["workflows", "questions", id],
        &["jobs", "get", id],
        &["jobs", "list", id],
        &["jobs", "messages", id],
        &["jobs", "outputs", id],
    ];
    for command in commands {
        let run = ayx.run(&[*command, &["--json"]].concat()).await;
        assert_eq!(run.code, 0, "ayx {}: {}", command.join(" "), run.stderr);
        run.json();
    }
    let violations = prism.violations();
    assert!(violations.is_empty(), "{violations:?}");
    assert!(prism.requests().len() >= commands.len() - 1, "{:?}", prism.requests());
}

/// Every operation of the IR through `ayx api`, with the arguments the IR gives it (required
/// parameters, a body of its required fields, the required parts, `--out` for downloads,
/// `--all` for paged lists), against Prism answering with data generated from the schemas: each
/// exits 0 with the answer checked against its type, Prism's log shows every operation, and
/// none of the requests breaks the spec. An operation a spec update adds is called here
/// without anyone writing its call; one the command line cannot call fails the suite.
#[tokio::test(flavor = "multi_thread")]
async fn every_operation_is_called_through_ayx_api_against_prism() {
    let prism = Prism::start(&overlaid_spec(), true, "cli-api");
    let (ayx, _tokens) = ayx_for(&prism, "prism-api").await;
    let api = workspace_tests::alteryx_api();
    let file = ayx.path("flow.yxzp");
    std::fs::write(&file, b"PK\x03\x04 a package").unwrap();
    let doc = workspace_tests::alteryx_document();
    let samples = codegen::contract::Samples::new(&doc);
    let mut failed = Vec::new();
    let mut called = 0;
    for group in &api.groups {
        for op in &group.operations {
            let out = ayx.path(&format!("{}.out", op.cli.name));
            let args = codegen::contract::invocation(&api, &samples, &group.cli_name, op, &file, &out);
            // `--yes`: operations that may change the server ask first, and there is no terminal.
            let args: Vec<&str> = ["--yes", "api"].into_iter().chain(args.iter().map(String::as_str)).collect();
            let run = ayx.run(&args).await;
            called += 1;
            if run.code != 0 {
                failed.push(format!("ayx {}: exit {}: {}", args.join(" "), run.code, run.stderr.trim()));
            } else if op.pagination.is_some() {
                for line in run.stdout.lines() {
                    serde_json::from_str::<serde_json::Value>(line).unwrap_or_else(|e| panic!("{}: {e}", op.id));
                }
            } else if matches!(op.success, codegen::ir::Success::Json(_)) {
                run.json();
            }
        }
    }
    assert!(failed.is_empty(), "{} of {called} operations failed:\n{}", failed.len(), failed.join("\n"));
    let seen = prism.requests();
    let missing: Vec<String> = api
        .operations()
        .filter(|op| !seen.iter().any(|(m, p)| *m == op.method.as_str() && prism::fits(&op.path.text, p)))
        .map(|op| format!("{} ({} {})", op.id, op.method, op.path))
        .collect();
    assert!(missing.is_empty(), "operations Prism never saw: {}", missing.join(", "));
    let violations = prism.violations();
    assert!(violations.is_empty(), "request violations:\n{}", violations.join("\n"));
    assert_eq!(called, 97, "the Alteryx API has 97 operations");
}
