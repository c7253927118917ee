//! `diff`: the change report between two specs (by default the spec and overlays at git `HEAD`
//! against the working tree), classified for semver.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::flags::Flags;
use crate::generate::Input;
use crate::{DEFAULT_OUT, DEFAULT_SPEC};

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

pub(crate) fn diff(root: &Path, flags: &Flags) -> Result<(), String> {
    let files: Vec<&str> = flags.positional.iter().map(String::as_str).collect();
    let read = |p: &Path| codegen::Source::read(p).map_err(|e| e.to_string());
    let read_all = |paths: Vec<PathBuf>| paths.iter().map(|p| read(p)).collect::<Result<Vec<_>, String>>();
    let ((old, old_overlays), (new, new_overlays)) = match files.as_slice() {
        [] => {
            let input = Input::from_flags(flags);
            let old_overlays = match &input.overlays {
                Some(dir) => overlays_at_head(root, dir)?,
                None => Vec::new(),
            };
            let new = (read(&root.join(DEFAULT_SPEC))?, read_all(input.overlay_files(root)?)?);
            ((at_head(root, DEFAULT_SPEC)?, old_overlays), new)
        }
        [old, new] => {
            let overlays = match (flags.switch("--no-overlays"), flags.value("--overlays")) {
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
    if report.is_breaking() && flags.switch("--fail-on-breaking") {
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
