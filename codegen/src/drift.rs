//! Generated files against what is on disk: which files a regeneration would change, and which
//! `@generated` files the spec no longer produces. `cargo xtask generate` writes and removes by it,
//! `cargo xtask check` and the drift test fail by it.

use std::path::Path;

use crate::{GENERATED_MARKER, GeneratedFile};

/// How a directory differs from freshly generated files.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Generated files whose text on disk differs or is missing, relative to the crate root.
    pub changed: Vec<String>,
    /// Files under `src/` (or the runtime copy's `runtime/src/`) that carry the `@generated`
    /// marker but are no longer generated.
    pub orphaned: Vec<String>,
}

impl Drift {
    /// Whether the directory holds exactly the generated files.
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.orphaned.is_empty()
    }

    /// One line per stale file, `label/` prefixed, ending with the command that fixes them.
    pub fn report(&self, label: &str) -> String {
        let mut out = String::from("generated code is stale:\n");
        for f in &self.changed {
            out.push_str(&format!("  {label}/{f}\n"));
        }
        for f in &self.orphaned {
            out.push_str(&format!("  {label}/{f} (no longer generated)\n"));
        }
        out.push_str("run cargo xtask generate");
        out
    }
}

/// Compares `files` with the crate directory `out`.
pub fn drift(out: &Path, files: &[GeneratedFile]) -> Drift {
    let changed = files
        .iter()
        .filter(|f| std::fs::read_to_string(out.join(&f.path)).ok().as_deref() != Some(f.contents.as_str()))
        .map(|f| f.path.clone())
        .collect();
    let mut orphaned = Vec::new();
    let mut dirs = vec![out.join("src"), out.join(crate::runtime_crate::RUNTIME_DIR).join("src")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let rel = path.strip_prefix(out).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            let generated = path.extension().is_some_and(|e| e == "rs")
                && std::fs::read_to_string(&path).is_ok_and(|t| t.starts_with(GENERATED_MARKER));
            if generated && !files.iter().any(|f| f.path == rel) {
                orphaned.push(rel);
            }
        }
    }
    orphaned.sort();
    Drift { changed, orphaned }
}
