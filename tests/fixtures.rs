//! One small spec per construct the generator supports (`tests/fixtures/*.yaml`): each has a
//! snapshot of its API surface and generated code, and all of them are built together as real
//! crates: clippy must print no warning, and `tests/fixture-tests/<name>.rs`, where there is one,
//! runs as that crate's test of how its generated types behave on the wire.

use std::path::{Path, PathBuf};
use std::process::Command;

use workspace_tests::{api_from_text, root};

fn fixtures() -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(root().join("tests/fixtures"))
        .expect("tests/fixtures exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

/// A fixture's IR, and its generated files.
fn generate(name: &str, path: &Path) -> (codegen::ir::Api, Vec<codegen::GeneratedFile>) {
    let label = format!("tests/fixtures/{name}.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let api = api_from_text(&label, &text).unwrap_or_else(|e| panic!("{e}"));
    // The crate's library name, so the doc examples are written and compiled as doctests.
    let settings = codegen::Settings::new(label).library(format!("fixture_{name}"));
    let files = codegen::generate(&api, &settings).unwrap_or_else(|e| panic!("{e}"));
    (api, files)
}

#[test]
fn fixture_snapshots() {
    let all = fixtures();
    assert!(all.len() >= 7, "the fixtures are there");
    for (name, path) in all {
        let (api, files) = generate(&name, &path);
        insta::assert_snapshot!(format!("{name}_surface"), codegen::surface::render(&api));
        let code: String = files.iter().map(|f| format!("==> {} <==\n{}\n", f.path, f.contents)).collect();
        insta::assert_snapshot!(format!("{name}_code"), code);
    }
}

/// The dependencies and features a generated crate gets, on this workspace's runtime crate (built
/// once for all fixtures), and for the behaviour tests the runtime's own lines of the crates they
/// use: tokio to run the mock server, futures-core to read paged streams as a user would.
fn client_dependencies(api: &codegen::ir::Api) -> String {
    let manifest = std::fs::read_to_string(root().join("runtime/Cargo.toml")).unwrap();
    let dev = &manifest[manifest.find("[dev-dependencies]").expect("the runtime has dev-dependencies")..];
    let line = |section: &str, name: &str| {
        section.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap_or_else(|| panic!("{name}")).to_owned()
    };
    let runtime = root().join("runtime").display().to_string();
    format!(
        "{}\n{}\n[dev-dependencies]\n{}\n{}\n{}\n",
        codegen::client_dependencies(&runtime),
        codegen::client_features(api),
        line(dev, "tokio"),
        line(&manifest, "futures-core"),
        line(&manifest, "serde_json"),
    )
}

#[test]
fn fixtures_compile_without_warnings() {
    let dir = root().join("target/fixture-crates");
    let _ = std::fs::remove_dir_all(&dir);
    let mut members = Vec::new();
    for (name, path) in fixtures() {
        let krate = dir.join(&name);
        let package = format!("fixture-{}", name.replace('_', "-"));
        let (api, files) = generate(&name, &path);
        let manifest = format!(
            "[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n{}",
            client_dependencies(&api)
        );
        let behaviour = root().join("tests/fixture-tests").join(format!("{name}.rs"));
        if behaviour.exists() {
            std::fs::create_dir_all(krate.join("tests")).unwrap();
            std::fs::copy(&behaviour, krate.join("tests/behaviour.rs")).unwrap();
        }
        std::fs::create_dir_all(krate.join("src")).unwrap();
        std::fs::write(krate.join("Cargo.toml"), manifest).unwrap();
        for f in files {
            let target = krate.join(&f.path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, f.contents).unwrap();
        }
        members.push(format!("\"{name}\""));
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", ")),
    )
    .unwrap();
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let run = |args: &[&str]| {
        Command::new(&cargo)
            .args(args)
            .env("CARGO_TARGET_DIR", root().join("target"))
            .current_dir(&dir)
            .output()
            .expect("cargo runs")
    };
    let output = run(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--offline",
        "--message-format",
        "short",
        "--",
        "-D",
        "warnings",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "fixture crates do not compile cleanly:\n{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    assert!(warnings.is_empty(), "fixture crates have warnings:\n{}", warnings.join("\n"));
    let output = run(&["test", "--workspace", "--all-features", "--offline", "--quiet"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "fixture behaviour tests failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let passed: usize = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. ")?.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert!(passed >= 10, "the fixture behaviour tests ran ({passed} passed):\n{stdout}");
}

/// Every function the generator writes, for this spec and every fixture, takes at most
/// `MAX_POSITIONAL` arguments besides `self`, and never two `bool`s side by side (which a caller
/// could swap without the compiler noticing): more, and the generated API names them instead.
#[test]
fn no_generated_function_has_too_many_or_swappable_positional_arguments() {
    struct Functions(Vec<String>);
    impl<'a> syn::visit::Visit<'a> for Functions {
        fn visit_signature(&mut self, sig: &'a syn::Signature) {
            let args: Vec<String> = sig
                .inputs
                .iter()
                .filter_map(|a| match a {
                    syn::FnArg::Typed(t) => Some(quote_type(&t.ty)),
                    syn::FnArg::Receiver(_) => None,
                })
                .collect();
            let swappable = args.windows(2).any(|w| w[0] == "bool" && w[1] == "bool");
            if args.len() > codegen::ir::MAX_POSITIONAL || swappable {
                self.0.push(format!("{}({})", sig.ident, args.join(", ")));
            }
        }
    }
    fn quote_type(ty: &syn::Type) -> String {
        match ty {
            syn::Type::Path(p) => p.path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::"),
            _ => "other".into(),
        }
    }
    let mut specs = vec![("alteryx".to_string(), workspace_tests::alteryx_files())];
    for (name, path) in fixtures() {
        specs.push((name.clone(), generate(&name, &path).1));
    }
    let mut found = Vec::new();
    for (name, files) in specs {
        for f in files {
            let file = syn::parse_file(&f.contents).unwrap();
            let mut functions = Functions(Vec::new());
            syn::visit::Visit::visit_file(&mut functions, &file);
            found.extend(functions.0.into_iter().map(|s| format!("{name} {}: {s}", f.path)));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
