//! `check`, `ci`: what CI runs, and the drift check it starts with.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::flags::Flags;
use crate::generate::{Input, render};
use crate::{DEFAULT_OUT, rust_files};

pub(crate) fn check(root: &Path, _flags: &Flags) -> Result<(), String> {
    let input = Input::from_flags(&Flags::default());
    let (_, files) = render(root, &input)?;
    let drift = codegen::drift(&root.join(DEFAULT_OUT), &files);
    if !drift.is_clean() {
        return Err(drift.report(DEFAULT_OUT));
    }
    eprintln!("check: {DEFAULT_OUT}/ is up to date with {} ({} files)", input.label(), files.len());
    Ok(())
}

pub(crate) fn run(root: &Path, program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
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

pub(crate) fn ci(root: &Path, flags: &Flags) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    check(root, flags)?;
    // Generated files are formatted by prettyplease, not rustfmt: check everything else.
    let packages = ["codegen", "xtask", "client-runtime", "workspace-tests", "ayx"];
    let mut fmt_args = vec!["fmt", "--check"];
    fmt_args.extend(packages.iter().flat_map(|p| ["-p", p]));
    run(root, &cargo, &fmt_args, &[])?;
    // The client's hand-written files: its task helpers and its examples.
    let mut hand_written = Vec::new();
    for dir in ["generated-client/src/tasks", "generated-client/examples"] {
        rust_files(&root.join(dir), &mut hand_written)?;
    }
    hand_written.sort();
    let mut rustfmt_args = vec!["--check", "--edition", "2024"];
    rustfmt_args.extend(hand_written.iter().map(String::as_str));
    run(root, "rustfmt", &rustfmt_args, &[])?;
    run(root, &cargo, &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"], &[])?;
    // One API group alone, with the mock and the command line: what a program that uses only
    // the jobs compiles must have every type it needs and no warning.
    let one_group = ["--no-default-features", "--features", "jobs,mock,cli", "--", "-D", "warnings"];
    run(root, &cargo, &[&["clippy", "-p", "alteryx-server", "--lib"][..], &one_group].concat(), &[])?;
    run(root, &cargo, &["doc", "--no-deps", "--workspace"], &[("RUSTDOCFLAGS", "-D warnings")])?;
    // The client's mock server and command line are features: their docs are checked with them on.
    run(
        root,
        &cargo,
        &["doc", "--no-deps", "-p", "alteryx-server", "-p", "client-runtime", "--all-features"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    run(root, &cargo, &["test", "--workspace"], &[])?;
    // The release archive as operators get it, from the debug build the tests made.
    let stage = crate::dist::package(root, true, &root.join("target/dist-check"))?;
    crate::dist::verify(&stage)?;
    eprintln!("ci: all checks passed");
    Ok(())
}
