//! `cargo xtask generate --crate-name`: a spec becomes a complete crate of its own (Cargo.toml,
//! generated modules, and a copy of the runtime crate in `runtime/`) that builds outside this
//! workspace without warnings, and that regenerating leaves as it is.

use std::path::Path;
use std::process::Command;

use workspace_tests::root;

#[test]
fn a_spec_becomes_a_standalone_crate_that_builds_cleanly() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = root().join("target/standalone/operations-api");
    let _ = std::fs::remove_dir_all(&out);
    // `cargo xtask generate` of the operations fixture as the crate `name` in `dir`.
    let generate = |name: &str, dir: &Path| {
        Command::new(&cargo)
            .args(["run", "--quiet", "--offline", "-p", "xtask", "--", "generate"])
            .args(["--spec", "tests/fixtures/operations.yaml", "--crate-name", name, "--out"])
            .arg(dir)
            .current_dir(root())
            .output()
            .expect("cargo runs")
    };
    let generated = generate("operations-api", &out);
    assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"operations-api\"") && manifest.contains("name = \"operations_api\""));
    assert!(manifest.contains("[workspace]"), "{manifest}");
    assert!(manifest.contains("client-runtime = { path = \"runtime\" }"), "{manifest}");
    for file in ["src/lib.rs", "src/types.rs", "runtime/Cargo.toml", "runtime/src/request.rs", "Cargo.lock"] {
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
