//! `cargo xtask corpus`: the generator on real-world specs. The example specs of
//! `@readme/oas-examples@8.2.2` (`2.0/yaml/`, `3.0/yaml/`, `3.1/yaml/`), GitHub's REST spec from
//! `@octokit/openapi@23.0.2` and Kubernetes 1.13's Swagger 2.0 document from
//! `kubernetes-client@9.0.0` are fetched with `npm pack` into the git-ignored `.cache/corpus`;
//! each is generated in this process (a panic is caught and counted), written as a standalone
//! crate under `target/corpus/`, and checked with `cargo check`. The table says, per spec: its
//! operations, whether it generated (or the located error), the generator's warnings (what it
//! assumed about a defective spec, printed above the table), whether it compiled, the
//! compiler's warnings, and the times. The goal, and the command fails without it: every spec
//! generates and compiles without compiler warnings; no refusal, no panic.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const EXAMPLES_PACKAGE: &str = "@readme/oas-examples@8.2.2";
const EXAMPLES_TARBALL: &str = "readme-oas-examples-8.2.2.tgz";
const GITHUB_PACKAGE: &str = "@octokit/openapi@23.0.2";
const GITHUB_TARBALL: &str = "octokit-openapi-23.0.2.tgz";
const GITHUB_SPEC: &str = "package/generated/api.github.com.json";
const KUBERNETES_PACKAGE: &str = "kubernetes-client@9.0.0";
const KUBERNETES_TARBALL: &str = "kubernetes-client-9.0.0.tgz";
const KUBERNETES_SPEC: &str = "package/lib/specs/swagger-1.13.json.gz";

/// Runs `program` in `dir`, failing with its status.
pub fn run_in(dir: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    let status =
        Command::new(program).args(args).current_dir(dir).status().map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("`{program} {}` failed ({status})", args.join(" "))) }
}

/// `npm pack`s `package` into `dir` and unpacks `members` of its tarball, unless already there.
fn fetch(dir: &Path, package: &str, tarball: &str, members: &[&str]) -> Result<(), String> {
    if members.iter().all(|m| dir.join(m).exists()) {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if !dir.join(tarball).exists() {
        eprintln!("fetching {package} with npm pack into {}", dir.display());
        run_in(dir, "npm", &["pack", "--silent", package])?;
    }
    let mut args = vec!["xzf", tarball];
    args.extend(members);
    run_in(dir, "tar", &args)
}

/// GitHub's REST spec, fetched when missing.
pub fn github_spec(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join(".cache/corpus/octokit-openapi-23.0.2");
    fetch(&dir, GITHUB_PACKAGE, GITHUB_TARBALL, &[GITHUB_SPEC])?;
    Ok(dir.join(GITHUB_SPEC))
}

/// Every spec of the corpus: (a short name, its path).
fn specs(root: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let dir = root.join(".cache/corpus/readme-oas-examples-8.2.2");
    fetch(&dir, EXAMPLES_PACKAGE, EXAMPLES_TARBALL, &["package/2.0/yaml", "package/3.0/yaml", "package/3.1/yaml"])?;
    let mut out = Vec::new();
    for version in ["2.0", "3.0", "3.1"] {
        let folder = dir.join(format!("package/{version}/yaml"));
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map_err(|e| format!("{}: {e}", folder.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        for f in files {
            let stem = f.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            out.push((format!("{version}/{stem}"), f));
        }
    }
    out.push(("github".into(), github_spec(root)?));
    out.push(("2.0/kubernetes-1.13".into(), kubernetes_spec(root)?));
    Ok(out)
}

/// Kubernetes 1.13's Swagger 2.0 document (4 MB of JSON), fetched and unzipped when missing.
fn kubernetes_spec(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join(".cache/corpus/kubernetes-client-9.0.0");
    fetch(&dir, KUBERNETES_PACKAGE, KUBERNETES_TARBALL, &[KUBERNETES_SPEC])?;
    let json = dir.join(KUBERNETES_SPEC.trim_end_matches(".gz"));
    if !json.exists() {
        run_in(&dir, "gunzip", &["--keep", KUBERNETES_SPEC])?;
    }
    Ok(json)
}

/// One spec's outcome.
struct Outcome {
    name: String,
    operations: Option<usize>,
    generated: Result<(), String>,
    assumed: usize,
    checked: Option<Result<(), String>>,
    warnings: usize,
    generate_ms: f64,
    check_s: f64,
}

pub fn corpus(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out_dir = root.join("target/corpus");
    let mut outcomes = Vec::new();
    for (name, spec) in specs(root)? {
        let crate_name = format!("corpus-{}", name.replace(['/', '.'], "-"));
        let krate = out_dir.join(&crate_name);
        let _ = std::fs::remove_dir_all(&krate);
        let started = Instant::now();
        let generated = std::panic::catch_unwind(|| generate(root, &spec, &krate, &crate_name))
            .unwrap_or_else(|panic| Err(format!("PANIC: {}", panic_text(&panic))));
        let generate_ms = started.elapsed().as_secs_f64() * 1000.0;
        let (operations, assumed, generated) = match generated {
            Ok((n, assumed)) => (Some(n), assumed, Ok(())),
            Err(e) => (None, 0, Err(e)),
        };
        let mut outcome =
            Outcome { name, operations, generated, assumed, checked: None, warnings: 0, generate_ms, check_s: 0.0 };
        if outcome.generated.is_ok() {
            let started = Instant::now();
            let (checked, warnings) = check(&cargo, &krate, &root.join("target/corpus-target"))?;
            outcome.check_s = started.elapsed().as_secs_f64();
            outcome.checked = Some(checked);
            outcome.warnings = warnings;
        }
        eprintln!("{}", line(&outcome));
        outcomes.push(outcome);
    }
    println!(
        "| spec | operations | generate | generator warnings | cargo check | compiler warnings | generate ms | check s |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for o in &outcomes {
        println!("{}", line(o));
    }
    let panics = outcomes.iter().filter(|o| o.generated.as_ref().is_err_and(|e| e.starts_with("PANIC"))).count();
    let compiled = outcomes.iter().filter(|o| matches!(o.checked, Some(Ok(()))) && o.warnings == 0).count();
    let broken: Vec<&str> = outcomes
        .iter()
        .filter(|o| matches!(o.checked, Some(Err(_))) || (o.checked.is_some() && o.warnings > 0))
        .map(|o| o.name.as_str())
        .collect();
    let refused = outcomes.iter().filter(|o| o.generated.is_err()).count() - panics;
    println!(
        "\n{} specs: {compiled} compile with zero warnings, {refused} refused with a located error, {} generated but do not compile cleanly, {panics} panics.",
        outcomes.len(),
        broken.len()
    );
    if panics > 0 || refused > 0 || !broken.is_empty() {
        return Err(format!(
            "the corpus goal is not met: {panics} panics, {refused} refused; not compiling cleanly: {broken:?}"
        ));
    }
    Ok(())
}

/// Generates `spec` as the standalone crate `krate`; returns its number of operations and of
/// warnings (printed on stderr).
fn generate(root: &Path, spec: &Path, krate: &Path, crate_name: &str) -> Result<(usize, usize), String> {
    let api = codegen::load_api(spec).map_err(|e| e.to_string())?;
    for w in &api.warnings {
        eprintln!("{w}");
    }
    let label = spec.strip_prefix(root).unwrap_or(spec).display().to_string();
    crate::write_standalone(
        root,
        &api,
        codegen::generate(&api, &codegen::Settings::new(label)).map_err(|e| e.to_string())?,
        crate_name,
        krate,
        false,
    )?;
    Ok((api.operations().count(), api.warnings.len()))
}

/// `cargo check` of a crate with every feature (its mock server too): its result (the first
/// error) and its number of warnings.
fn check(cargo: &str, krate: &Path, target: &Path) -> Result<(Result<(), String>, usize), String> {
    let output = Command::new(cargo)
        .args(["check", "--all-features", "--offline", "--quiet", "--message-format", "short"])
        .env("CARGO_TARGET_DIR", target)
        .current_dir(krate)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    // One `path:line:col: warning: ...` line per warning in the short format.
    let warnings = stderr.lines().filter(|l| l.contains(": warning:")).count();
    if output.status.success() {
        return Ok((Ok(()), warnings));
    }
    let first = stderr.lines().find(|l| l.contains("error")).unwrap_or("cargo check failed").to_string();
    Ok((Err(first), warnings))
}

fn line(o: &Outcome) -> String {
    let ops = o.operations.map_or("-".into(), |n| n.to_string());
    let generate = match &o.generated {
        Ok(()) => "ok".to_string(),
        Err(e) => e.replace('|', "\\|").chars().take(160).collect(),
    };
    let check = match &o.checked {
        None => "-".to_string(),
        Some(Ok(())) => "ok".to_string(),
        Some(Err(e)) => e.replace('|', "\\|").chars().take(120).collect(),
    };
    format!(
        "| {} | {ops} | {generate} | {} | {check} | {} | {:.1} | {:.1} |",
        o.name, o.assumed, o.warnings, o.generate_ms, o.check_s
    )
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(no message)".into())
}
