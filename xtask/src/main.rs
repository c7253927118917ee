//! `cargo xtask`: the project's command line. It parses arguments, calls the `codegen` library and
//! writes files; everything else lives in the library.
//!
//! - `generate [--spec PATH] [--out DIR]`: regenerates the client crate (default: `generated-client/`
//!   from `spec/alteryx-server-v3.yaml`).
//! - `check`: regenerates in memory and fails, listing stale files, when `generated-client/` differs.
//! - `ci`: everything CI runs (fmt, clippy, rustdoc, tests, check).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const DEFAULT_SPEC: &str = "spec/alteryx-server-v3.yaml";
const DEFAULT_OUT: &str = "generated-client";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate(&root, &args[1..]),
        Some("check") => check(&root),
        Some("ci") => ci(&root),
        _ => {
            eprintln!("usage: cargo xtask <generate [--spec PATH] [--out DIR] | check | ci>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(String::as_str)
}

/// Generates the files for `spec` (a path relative to the root, shown in the headers).
fn render(root: &Path, spec: &str) -> Result<Vec<codegen::GeneratedFile>, String> {
    let api = codegen::load_api(&root.join(spec)).map_err(|e| e.to_string())?;
    codegen::generate(&api, spec).map_err(|e| e.to_string())
}

fn generate(root: &Path, args: &[String]) -> Result<(), String> {
    let started = Instant::now();
    let spec = flag(args, "--spec").unwrap_or(DEFAULT_SPEC);
    let out = root.join(flag(args, "--out").unwrap_or(DEFAULT_OUT));
    let files = render(root, spec)?;
    let drift = codegen::drift(&out, &files);
    for f in files.iter().filter(|f| drift.changed.contains(&f.path)) {
        let path = out.join(&f.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&path, &f.contents).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    for rel in &drift.orphaned {
        let path = out.join(rel);
        std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    eprintln!(
        "generated {} files ({} changed, {} removed) in {} from {spec} in {:.1} ms",
        files.len(),
        drift.changed.len(),
        drift.orphaned.len(),
        out.display(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}

fn check(root: &Path) -> Result<(), String> {
    let files = render(root, DEFAULT_SPEC)?;
    let drift = codegen::drift(&root.join(DEFAULT_OUT), &files);
    if !drift.is_clean() {
        return Err(drift.report(DEFAULT_OUT));
    }
    eprintln!("check: {DEFAULT_OUT}/ is up to date with {DEFAULT_SPEC} ({} files)", files.len());
    Ok(())
}

fn run(root: &Path, program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    eprintln!("==> {program} {}", args.join(" "));
    let started = Instant::now();
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    eprintln!("    ({:.1} s)", started.elapsed().as_secs_f64());
    if status.success() { Ok(()) } else { Err(format!("`{program} {}` failed ({status})", args.join(" "))) }
}

/// The `.rs` files under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<String>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            rust_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.to_string_lossy().into_owned());
        }
    }
    Ok(())
}

fn ci(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    check(root)?;
    // Generated files are formatted by prettyplease, not rustfmt: check everything else.
    run(root, &cargo, &["fmt", "--check", "-p", "codegen", "-p", "xtask", "-p", "workspace-tests"], &[])?;
    // The client's hand-written files: its runtime and its examples.
    let mut hand_written = Vec::new();
    for dir in ["generated-client/src/runtime", "generated-client/examples"] {
        rust_files(&root.join(dir), &mut hand_written)?;
    }
    hand_written.sort();
    let mut rustfmt_args = vec!["--check", "--edition", "2024"];
    rustfmt_args.extend(hand_written.iter().map(String::as_str));
    run(root, "rustfmt", &rustfmt_args, &[])?;
    run(root, &cargo, &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"], &[])?;
    run(root, &cargo, &["doc", "--no-deps", "-p", "alteryx-server"], &[("RUSTDOCFLAGS", "-D warnings")])?;
    run(root, &cargo, &["test", "--workspace"], &[])?;
    eprintln!("ci: all checks passed");
    Ok(())
}
