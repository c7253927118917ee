//! `cargo xtask`: the project's command line. It parses arguments, calls the `codegen` library and
//! writes files; everything else lives in the library.
//!
//! - `generate [--spec PATH] [--out DIR] [--crate-name NAME] [--overlays DIR | --no-overlays]`:
//!   regenerates the client crate (default: `generated-client/` from `spec/alteryx-server-v3.yaml`
//!   with the overlays in `spec/overlays/`; a `--spec` of your own gets no overlays unless
//!   `--overlays` names them). `--crate-name` makes `--out` a complete standalone crate:
//!   `Cargo.toml`, the runtime, and the generated files.
//! - `spec [--out FILE] [--no-overlays]`: writes the spec as generation sees it (overlays
//!   applied) as JSON, for mock servers and reviews (default: standard output).
//! - `surface [--spec PATH] [--overlays DIR | --no-overlays]`: the API surface of a spec (each
//!   operation and type in a few lines, as the snapshots show it), on standard output.
//! - `diff [OLD NEW] [--fail-on-breaking] [--overlays DIR | --no-overlays]`: the API change report
//!   between two specs, classified for semver (default: the spec and overlays at git `HEAD` against
//!   the working tree; two files of your own get no overlays unless `--overlays` names them).
//! - `contract`: the contract tests against Prism (`tests/contract.rs`, which installs the pinned
//!   Prism into `.cache/prism` when missing and starts and stops it).
//! - `bench`: performance figures (generation, rebuild, client), as a table and as JSON in
//!   `target/bench/bench.json`.
//! - `corpus`: the generator on real-world specs from npm (`@readme/oas-examples`, GitHub's REST
//!   spec): generate, `cargo check`, a table (see `corpus.rs`).
//! - `check`: regenerates in memory and fails, listing stale files, when `generated-client/` differs.
//! - `ci`: everything CI runs (fmt, clippy, rustdoc, tests, check).

mod bench;
mod corpus;
mod rebuild;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const DEFAULT_SPEC: &str = "spec/alteryx-server-v3.yaml";
const DEFAULT_OUT: &str = "generated-client";
const DEFAULT_OVERLAYS: &str = "spec/overlays";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    if let Err(message) = check_flags(&args) {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate(&root, &args[1..]),
        Some("spec") => write_spec(&root, &args[1..]),
        Some("surface") => surface(&root, &args[1..]),
        Some("diff") => diff(&root, &args[1..]),
        Some("contract") => contract(&root),
        Some("bench") => bench::bench(&root, flag(&args, "--only")),
        Some("corpus") => corpus::corpus(&root),
        Some("check") => check(&root),
        Some("ci") => ci(&root),
        _ => {
            eprintln!(
                "usage: cargo xtask <generate [--spec PATH] [--out DIR] [--overlays DIR | --no-overlays] | spec [--out FILE] [--no-overlays] | diff [OLD NEW] [--fail-on-breaking] | contract | bench | corpus | check | ci>"
            );
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

/// Refuses a flag the command does not know (a typo such as `--overlay` would otherwise be
/// ignored and the command run with its defaults), a flag without its value, and stray
/// arguments.
fn check_flags(args: &[String]) -> Result<(), String> {
    let Some(command) = args.first() else { return Ok(()) };
    // (flags that take a value, switches, how many plain arguments)
    let (valued, switches, positional): (&[&str], &[&str], usize) = match command.as_str() {
        "generate" => (&["--spec", "--out", "--crate-name", "--overlays"], &["--no-overlays"], 0),
        "spec" => (&["--spec", "--out", "--overlays"], &["--no-overlays"], 0),
        "surface" => (&["--spec", "--overlays"], &["--no-overlays"], 0),
        "diff" => (&["--overlays"], &["--no-overlays", "--fail-on-breaking"], 2),
        "bench" => (&["--only"], &[], 0),
        _ => (&[], &[], 0),
    };
    let mut plain = 0;
    let mut rest = args[1..].iter();
    while let Some(arg) = rest.next() {
        if valued.contains(&arg.as_str()) {
            if rest.next().is_none_or(|v| v.starts_with("--")) {
                return Err(format!("`{arg}` needs a value (`cargo xtask {command} {arg} ...`)"));
            }
        } else if switches.contains(&arg.as_str()) {
        } else if arg.starts_with('-') {
            let known: Vec<&str> = valued.iter().chain(switches).copied().collect();
            let known = if known.is_empty() { "none".to_string() } else { known.join(", ") };
            return Err(format!("`cargo xtask {command}` has no flag `{arg}` (its flags: {known})"));
        } else {
            plain += 1;
            if plain > positional {
                return Err(format!("`cargo xtask {command}` takes no argument `{arg}`"));
            }
        }
    }
    Ok(())
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(String::as_str)
}

/// What to generate from: a spec (relative to the root, as the headers name it) and overlays.
struct Input {
    spec: String,
    overlays: Option<String>,
    /// The generated crate's library name, for the doc examples: from `--crate-name`, or the
    /// client's own for the default spec.
    library: Option<String>,
}

impl Input {
    /// From `--spec`, `--overlays` and `--no-overlays`: the default spec comes with the default
    /// overlays, another spec with none unless `--overlays` names a directory.
    fn from_args(args: &[String]) -> Input {
        let spec = flag(args, "--spec").unwrap_or(DEFAULT_SPEC).to_string();
        let overlays = if args.iter().any(|a| a == "--no-overlays") {
            None
        } else if let Some(dir) = flag(args, "--overlays") {
            Some(dir.to_string())
        } else {
            (spec == DEFAULT_SPEC).then(|| DEFAULT_OVERLAYS.to_string())
        };
        let library = match flag(args, "--crate-name") {
            Some(name) => Some(name.replace('-', "_")),
            None => (spec == DEFAULT_SPEC).then(|| "alteryx_server".to_string()),
        };
        Input { spec, overlays, library }
    }

    fn overlay_files(&self, root: &Path) -> Result<Vec<PathBuf>, String> {
        match &self.overlays {
            Some(dir) => codegen::overlay::overlay_files(&root.join(dir)).map_err(|e| e.to_string()),
            None => Ok(Vec::new()),
        }
    }

    /// How the headers name the input.
    fn label(&self) -> String {
        codegen::input_label(&self.spec, self.overlays.as_deref())
    }

    /// What generation is told besides the spec.
    fn settings(&self) -> codegen::Settings {
        let settings = codegen::Settings::new(self.label());
        match &self.library {
            Some(library) => settings.library(library.clone()),
            None => settings,
        }
    }
}

/// The IR of an input, and its generated files.
fn render(root: &Path, input: &Input) -> Result<(codegen::ir::Api, Vec<codegen::GeneratedFile>), String> {
    let overlays = input.overlay_files(root)?;
    let api = codegen::load_api_with_overlays(&root.join(&input.spec), &overlays).map_err(|e| e.to_string())?;
    for warning in &api.warnings {
        eprintln!("{warning}");
    }
    let files = codegen::generate(&api, &input.settings()).map_err(|e| e.to_string())?;
    Ok((api, files))
}

fn write_spec(root: &Path, args: &[String]) -> Result<(), String> {
    let input = Input::from_args(args);
    let read = |p: &Path| codegen::Source::read(p).map_err(|e| e.to_string());
    let overlays = input.overlay_files(root)?.iter().map(|p| read(p)).collect::<Result<Vec<_>, _>>()?;
    let doc = codegen::overlaid_document(&read(&root.join(&input.spec))?, &overlays).map_err(|e| e.to_string())?;
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())? + "\n";
    match flag(args, "--out") {
        Some(out) => std::fs::write(out, text).map_err(|e| format!("{out}: {e}")),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

fn surface(root: &Path, args: &[String]) -> Result<(), String> {
    let input = Input::from_args(args);
    let overlays = input.overlay_files(root)?;
    let api = codegen::load_api_with_overlays(&root.join(&input.spec), &overlays).map_err(|e| e.to_string())?;
    print!("{}", codegen::surface::render(&api));
    Ok(())
}

/// Writes `files` and a copy of the runtime crate into `out`, and makes it a standalone crate
/// called `name`; returns what changed.
pub(crate) fn write_standalone(
    root: &Path,
    api: &codegen::ir::Api,
    mut files: Vec<codegen::GeneratedFile>,
    name: &str,
    out: &Path,
) -> Result<codegen::Drift, String> {
    files.extend(codegen::runtime_crate());
    let drift = write_generated(out, &files)?;
    standalone(root, api, name, out)?;
    Ok(drift)
}

/// Makes `out` a standalone crate: its `Cargo.toml`, which reaches the runtime's copy in
/// `runtime/` (written with the generated files), and the hand-written modules the spec declares.
fn standalone(root: &Path, api: &codegen::ir::Api, name: &str, out: &Path) -> Result<(), String> {
    let valid = !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !valid {
        return Err(format!("`{name}` is not a crate name (letters, digits, `-` and `_`, not starting with a digit)"));
    }
    let client = root.join(DEFAULT_OUT);
    let write = |path: PathBuf, text: &[u8]| {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    write(out.join("Cargo.toml"), codegen::crate_manifest(name, api, codegen::runtime_crate::RUNTIME_DIR).as_bytes())?;
    // The hand-written modules the spec declares (`x-codegen-modules`): copied from the client
    // crate when it has them, else the crate's owner writes them.
    for module in &api.modules {
        let dir = client.join("src").join(module.name.bare());
        let mut files = Vec::new();
        if dir.is_dir() {
            rust_files(&dir, &mut files)?;
        }
        if files.is_empty() {
            eprintln!("note: the spec declares the module `{}`: write src/{}/mod.rs", module.name, module.name);
        }
        for file in files {
            let file = PathBuf::from(file);
            let text = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let rel = file.strip_prefix(client.join("src")).map_err(|e| e.to_string())?;
            write(out.join("src").join(rel), &text)?;
        }
    }
    if root.join("Cargo.lock").exists() && !out.join("Cargo.lock").exists() {
        // The same versions as the project's own build, until the crate's owner updates them.
        let lock = std::fs::read(root.join("Cargo.lock")).map_err(|e| e.to_string())?;
        write(out.join("Cargo.lock"), &lock)?;
    }
    eprintln!("{} is a standalone crate `{name}`", out.display());
    Ok(())
}

/// Brings the crate directory `out` in line with `files`: writes the files that differ, removes
/// the `@generated` files no longer produced; returns what it changed.
pub(crate) fn write_generated(out: &Path, files: &[codegen::GeneratedFile]) -> Result<codegen::Drift, String> {
    let drift = codegen::drift(out, files);
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
        // A directory left empty goes too (`remove_dir` refuses any other).
        if let Some(dir) = path.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
    Ok(drift)
}

/// A file's text at git `HEAD`, labelled `HEAD:path`.
fn at_head(root: &Path, path: &str) -> Result<codegen::Source, String> {
    let out = Command::new("git")
        .args(["show", &format!("HEAD:{path}")])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!("git show HEAD:{path}: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    let text = String::from_utf8(out.stdout).map_err(|_| format!("HEAD:{path} is not UTF-8"))?;
    Ok(codegen::Source { path: PathBuf::from(format!("HEAD:{path}")), text })
}

/// The overlay files of `dir` at git `HEAD`, in file-name order.
fn overlays_at_head(root: &Path, dir: &str) -> Result<Vec<codegen::Source>, String> {
    let out = Command::new("git")
        .args(["ls-tree", "--name-only", "HEAD", &format!("{dir}/")])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json"))
        .map(str::to_string)
        .collect();
    names.sort();
    names.iter().map(|n| at_head(root, n)).collect()
}

fn diff(root: &Path, args: &[String]) -> Result<(), String> {
    let mut files: Vec<&str> = Vec::new();
    let mut skip = false;
    for a in args {
        if skip {
            skip = false;
        } else if a == "--overlays" {
            skip = true;
        } else if !a.starts_with("--") {
            files.push(a);
        }
    }
    let read = |p: &Path| codegen::Source::read(p).map_err(|e| e.to_string());
    let read_all = |paths: Vec<PathBuf>| paths.iter().map(|p| read(p)).collect::<Result<Vec<_>, String>>();
    let ((old, old_overlays), (new, new_overlays)) = match files.as_slice() {
        [] => {
            let input = Input::from_args(args);
            let old_overlays = match &input.overlays {
                Some(dir) => overlays_at_head(root, dir)?,
                None => Vec::new(),
            };
            let new = (read(&root.join(DEFAULT_SPEC))?, read_all(input.overlay_files(root)?)?);
            ((at_head(root, DEFAULT_SPEC)?, old_overlays), new)
        }
        [old, new] => {
            let overlays = match (args.iter().any(|a| a == "--no-overlays"), flag(args, "--overlays")) {
                (false, Some(dir)) => codegen::overlay::overlay_files(&root.join(dir)).map_err(|e| e.to_string())?,
                _ => Vec::new(),
            };
            let (old, new) = (read(Path::new(old))?, read(Path::new(new))?);
            ((old, read_all(overlays.clone())?), (new, read_all(overlays)?))
        }
        _ => {
            return Err(
                "usage: cargo xtask diff [OLD NEW] [--fail-on-breaking] [--overlays DIR | --no-overlays]".into()
            );
        }
    };
    let old_api = codegen::api_from_sources(&old, &old_overlays).map_err(|e| e.to_string())?;
    let new_api = codegen::api_from_sources(&new, &new_overlays).map_err(|e| e.to_string())?;
    let report = codegen::diff::diff(&old_api, &new_api);
    let version = crate_version(root);
    let label = |s: &codegen::Source, overlays: &[codegen::Source]| {
        let base = s.path.strip_prefix(root).unwrap_or(&s.path).display().to_string();
        if overlays.is_empty() { base } else { format!("{base} + {} overlays", overlays.len()) }
    };
    print!("{}", report.to_markdown(&label(&old, &old_overlays), &label(&new, &new_overlays), version.as_deref()));
    if report.is_breaking() && args.iter().any(|a| a == "--fail-on-breaking") {
        return Err("the changes are breaking (--fail-on-breaking)".into());
    }
    Ok(())
}

/// The generated crate's version, from its manifest.
fn crate_version(root: &Path) -> Option<String> {
    let manifest = std::fs::read_to_string(root.join(DEFAULT_OUT).join("Cargo.toml")).ok()?;
    let line = manifest.lines().find(|l| l.trim_start().starts_with("version"))?;
    Some(line.split('"').nth(1)?.to_string())
}

fn generate(root: &Path, args: &[String]) -> Result<(), String> {
    let started = Instant::now();
    let input = Input::from_args(args);
    let out = root.join(flag(args, "--out").unwrap_or(DEFAULT_OUT));
    let (api, files) = render(root, &input)?;
    let count = files.len();
    let drift = match flag(args, "--crate-name") {
        Some(name) => write_standalone(root, &api, files, name, &out)?,
        None => write_generated(&out, &files)?,
    };
    eprintln!(
        "generated {} files ({} changed, {} removed) in {} from {} in {:.1} ms",
        count,
        drift.changed.len(),
        drift.orphaned.len(),
        out.display(),
        input.label(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    if std::env::var_os("XTASK_PEAK_RSS").is_some() {
        // For `cargo xtask bench`: the process's own high-water mark, from the kernel.
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        if let Some(kib) = status.lines().find_map(|l| l.strip_prefix("VmHWM:")) {
            eprintln!("peak RSS: {} KiB", kib.trim().trim_end_matches("kB").trim());
        }
    }
    Ok(())
}

fn check(root: &Path) -> Result<(), String> {
    let input = Input::from_args(&[]);
    let (_, files) = render(root, &input)?;
    let drift = codegen::drift(&root.join(DEFAULT_OUT), &files);
    if !drift.is_clean() {
        return Err(drift.report(DEFAULT_OUT));
    }
    eprintln!("check: {DEFAULT_OUT}/ is up to date with {} ({} files)", input.label(), files.len());
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

fn contract(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run(root, &cargo, &["test", "-p", "workspace-tests", "--test", "contract"], &[])
}

fn ci(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    check(root)?;
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
    run(root, &cargo, &["doc", "--no-deps", "--workspace"], &[("RUSTDOCFLAGS", "-D warnings")])?;
    // The client's mock server is a feature: its docs are checked with it on.
    run(
        root,
        &cargo,
        &["doc", "--no-deps", "-p", "alteryx-server", "--features", "mock"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    run(root, &cargo, &["test", "--workspace"], &[])?;
    eprintln!("ci: all checks passed");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_default_spec_comes_with_its_overlays_and_other_specs_without() {
        let default = Input::from_args(&args(&[]));
        assert_eq!((default.spec.as_str(), default.overlays.as_deref()), (DEFAULT_SPEC, Some(DEFAULT_OVERLAYS)));
        assert_eq!(default.label(), "spec/alteryx-server-v3.yaml with the overlays in spec/overlays/");
        assert_eq!(Input::from_args(&args(&["--no-overlays"])).overlays, None);
        assert!(check_flags(&args(&["generate", "--spec", "x.yaml", "--no-overlays"])).is_ok());
        assert!(check_flags(&args(&["generate", "--overlay", "x"])).unwrap_err().contains("no flag `--overlay`"));
        assert!(check_flags(&args(&["generate", "--out"])).unwrap_err().contains("needs a value"));
        assert!(check_flags(&args(&["ci", "--fast"])).is_err());
        assert!(check_flags(&args(&["diff", "a.yaml", "b.yaml", "--fail-on-breaking"])).is_ok());
        assert!(check_flags(&args(&["diff", "a", "b", "c"])).is_err());
        let other = Input::from_args(&args(&["--spec", "x.yaml"]));
        assert_eq!((other.spec.as_str(), other.overlays), ("x.yaml", None));
        let chosen = Input::from_args(&args(&["--spec", "x.yaml", "--overlays", "fixes"]));
        assert_eq!(chosen.overlays.as_deref(), Some("fixes"));
        assert_eq!(Input::from_args(&args(&["--overlays", "fixes", "--no-overlays"])).overlays, None);
    }
}
