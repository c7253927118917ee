//! `generate`, `spec`, `surface`: a spec (and its overlays) through the generator, into a crate
//! on disk, a JSON document or an API surface; and the writers the corpus and the bench share.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::flags::Flags;
use crate::{DEFAULT_OUT, DEFAULT_OVERLAYS, DEFAULT_SPEC, rust_files};

/// What to generate from: a spec (relative to the root, as the headers name it) and overlays.
pub(crate) struct Input {
    pub(crate) spec: String,
    pub(crate) overlays: Option<String>,
    /// The generated crate's library name, for the doc examples: from `--crate-name`, or the
    /// client's own for the default spec.
    pub(crate) library: Option<String>,
}

impl Input {
    /// From `--spec`, `--overlays` and `--no-overlays`: the default spec comes with the default
    /// overlays, another spec with none unless `--overlays` names a directory.
    pub(crate) fn from_flags(flags: &Flags) -> Input {
        let spec = flags.value("--spec").unwrap_or(DEFAULT_SPEC).to_string();
        let overlays = if flags.switch("--no-overlays") {
            None
        } else if let Some(dir) = flags.value("--overlays") {
            Some(dir.to_string())
        } else {
            (spec == DEFAULT_SPEC).then(|| DEFAULT_OVERLAYS.to_string())
        };
        let library = match flags.value("--crate-name") {
            Some(name) => Some(name.replace('-', "_")),
            None => (spec == DEFAULT_SPEC).then(|| "alteryx_server".to_string()),
        };
        Input { spec, overlays, library }
    }

    pub(crate) fn overlay_files(&self, root: &Path) -> Result<Vec<PathBuf>, String> {
        match &self.overlays {
            Some(dir) => codegen::overlay::overlay_files(&root.join(dir)).map_err(|e| e.to_string()),
            None => Ok(Vec::new()),
        }
    }

    /// How the headers name the input.
    pub(crate) fn label(&self) -> String {
        codegen::input_label(&self.spec, self.overlays.as_deref())
    }

    /// What generation is told besides the spec.
    pub(crate) fn settings(&self) -> codegen::Settings {
        let settings = codegen::Settings::new(self.label());
        match &self.library {
            Some(library) => settings.library(library.clone()),
            None => settings,
        }
    }
}

/// The IR of an input, and its generated files.
pub(crate) fn render(root: &Path, input: &Input) -> Result<(codegen::ir::Api, Vec<codegen::GeneratedFile>), String> {
    let overlays = input.overlay_files(root)?;
    let api = codegen::load_api_with_overlays(&root.join(&input.spec), &overlays).map_err(|e| e.to_string())?;
    for warning in &api.warnings {
        eprintln!("{warning}");
    }
    let files = codegen::generate(&api, &input.settings()).map_err(|e| e.to_string())?;
    Ok((api, files))
}

pub(crate) fn write_spec(root: &Path, flags: &Flags) -> Result<(), String> {
    let input = Input::from_flags(flags);
    let read = |p: &Path| codegen::Source::read(p).map_err(|e| e.to_string());
    let overlays = input.overlay_files(root)?.iter().map(|p| read(p)).collect::<Result<Vec<_>, _>>()?;
    let doc = codegen::overlaid_document(&read(&root.join(&input.spec))?, &overlays).map_err(|e| e.to_string())?;
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())? + "\n";
    match flags.value("--out") {
        Some(out) => std::fs::write(out, text).map_err(|e| format!("{out}: {e}")),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

pub(crate) fn surface(root: &Path, flags: &Flags) -> Result<(), String> {
    let input = Input::from_flags(flags);
    let overlays = input.overlay_files(root)?;
    let api = codegen::load_api_with_overlays(&root.join(&input.spec), &overlays).map_err(|e| e.to_string())?;
    print!("{}", codegen::surface::render(&api));
    Ok(())
}

pub(crate) fn generate(root: &Path, flags: &Flags) -> Result<(), String> {
    let started = Instant::now();
    let input = Input::from_flags(flags);
    let out = root.join(flags.value("--out").unwrap_or(DEFAULT_OUT));
    let (api, files) = render(root, &input)?;
    let count = files.len();
    let cli = flags.switch("--cli");
    let drift = match flags.value("--crate-name") {
        Some(name) => write_standalone(root, &api, files, name, &out, cli)?,
        None if cli => return Err("--cli writes a standalone crate's command line beside it: give --crate-name (the default client's command line is `ayx api`)".into()),
        None => {
            let drift = write_generated(&out, &files)?;
            features_section(&out.join("Cargo.toml"), &api)?;
            drift
        }
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

/// Rewrites the `[features]` section that ends the hand-written manifest of a crate generated
/// in place (`generated-client/Cargo.toml`): the features every generated crate has, and one per
/// group of this spec. Nothing else of the manifest is touched; a manifest without the section
/// is left alone.
fn features_section(manifest: &Path, api: &codegen::ir::Api) -> Result<(), String> {
    let Ok(text) = std::fs::read_to_string(manifest) else { return Ok(()) };
    let Some(start) = text.find("\n[features]\n") else { return Ok(()) };
    let updated = format!("{}\n{}", &text[..start], codegen::client_features(api));
    if updated != text {
        std::fs::write(manifest, updated).map_err(|e| format!("{}: {e}", manifest.display()))?;
    }
    Ok(())
}

/// Writes `files` and a copy of the runtime crate into `out`, and makes it a standalone crate
/// called `name`, with its command line in `cli/` (a program called `name`) when `cli` asks;
/// returns what changed.
pub(crate) fn write_standalone(
    root: &Path,
    api: &codegen::ir::Api,
    mut files: Vec<codegen::GeneratedFile>,
    name: &str,
    out: &Path,
    cli: bool,
) -> Result<codegen::Drift, String> {
    files.extend(codegen::runtime_crate());
    if cli {
        files.extend(codegen::cli_crate(name, api));
    }
    let drift = write_generated(out, &files)?;
    standalone(root, api, name, out, cli)?;
    Ok(drift)
}

/// Makes `out` a standalone crate: its `Cargo.toml`, which reaches the runtime's copy in
/// `runtime/` (written with the generated files), and the hand-written modules the spec declares.
fn standalone(root: &Path, api: &codegen::ir::Api, name: &str, out: &Path, cli: bool) -> Result<(), String> {
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
    write(
        out.join("Cargo.toml"),
        codegen::crate_manifest(name, api, codegen::runtime_crate::RUNTIME_DIR, cli).as_bytes(),
    )?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(list: &[&str]) -> Flags {
        let generate = crate::COMMANDS.iter().find(|c| c.name == "generate").unwrap();
        crate::flags::parse(generate, &list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn the_default_spec_comes_with_its_overlays_and_other_specs_without() {
        let default = Input::from_flags(&flags(&[]));
        assert_eq!((default.spec.as_str(), default.overlays.as_deref()), (DEFAULT_SPEC, Some(DEFAULT_OVERLAYS)));
        assert_eq!(default.label(), "spec/alteryx-server-v3.yaml with the overlays in spec/overlays/");
        assert_eq!(Input::from_flags(&flags(&["--no-overlays"])).overlays, None);
        let other = Input::from_flags(&flags(&["--spec", "x.yaml"]));
        assert_eq!((other.spec.as_str(), other.overlays), ("x.yaml", None));
        let chosen = Input::from_flags(&flags(&["--spec", "x.yaml", "--overlays", "fixes"]));
        assert_eq!(chosen.overlays.as_deref(), Some("fixes"));
        assert_eq!(Input::from_flags(&flags(&["--overlays", "fixes", "--no-overlays"])).overlays, None);
    }
}
