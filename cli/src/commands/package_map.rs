//! `ayx migrate --map FILE`: values that differ between environments (a DCM connection id, a
//! connection string, a server path, a data source name) replaced inside the workflow files of
//! each package before it is published in the target. A package is a zip archive; its workflow
//! XML files (`.yxmd`, `.yxmc`, `.yxwz`) are read and rewritten with the replacements, every
//! other entry is copied as it is, compressed bytes and all. A package with nothing to replace
//! is left byte for byte as it came. A value the map names that a package lacks is no error.
//!
//! The map is TOML: a `[replace]` table of `"value in the source" = "value in the target"`.
//! Each value is also looked for as XML writes it (`&` as `&amp;`...), and replaced so.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::exit::CliError;

/// The extensions of the workflow files inside a package: workflows, macros, analytic apps.
const WORKFLOW_FILES: [&str; 3] = ["yxmd", "yxmc", "yxwz"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MapFile {
    replace: BTreeMap<String, String>,
}

/// The `[replace]` table of a map file ([`Map::from_table`] checks its values).
///
/// # Errors
///
/// An unreadable file or invalid TOML.
pub fn read_table(path: &Path) -> Result<BTreeMap<String, String>, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Usage(format!("cannot read the map {}: {e}", path.display())))?;
    let file: MapFile = toml::from_str(&text).map_err(|e| {
        CliError::Usage(format!(
            "{} is not a map (a [replace] table of \"source value\" = \"target value\"): {e}",
            path.display()
        ))
    })?;
    Ok(file.replace)
}

/// The replacements of a map file.
#[derive(Debug, Clone)]
pub struct Map {
    /// `(value, replacement, the value as the map names it)`, longest first, each value also
    /// XML-escaped when that spells it differently.
    patterns: Vec<(String, String, String)>,
}

/// One value replaced in one file of a package.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Replaced {
    /// The file inside the package (`Sales.yxmd`).
    pub file: String,
    /// The value, as the map names it.
    pub value: String,
    /// How many times.
    pub count: usize,
}

impl Map {
    /// The map of a table read before (a plan keeps the table it was made with).
    ///
    /// # Errors
    ///
    /// As [`Map::new`], as a usage error.
    pub fn from_table(table: BTreeMap<String, String>) -> Result<Map, CliError> {
        Map::new(table).map_err(|why| CliError::Usage(format!("the map: {why}")))
    }

    /// The map of `replace` (value in the source → value in the target).
    pub fn new(replace: BTreeMap<String, String>) -> Result<Map, String> {
        if replace.is_empty() {
            return Err("the [replace] table is empty".into());
        }
        if replace.keys().any(String::is_empty) {
            return Err("a value to replace is empty".into());
        }
        let mut patterns = Vec::new();
        for (from, to) in &replace {
            patterns.push((from.clone(), to.clone(), from.clone()));
            let escaped = xml_escape(from);
            if escaped != *from {
                patterns.push((escaped, xml_escape(to), from.clone()));
            }
        }
        patterns.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Ok(Map { patterns })
    }

    /// `text` with every value replaced, in one pass (a replacement is never replaced again),
    /// and how many times each value (as the map names it) was.
    pub fn replace(&self, text: &str) -> (String, BTreeMap<String, usize>) {
        let mut out = String::with_capacity(text.len());
        let mut counts = BTreeMap::new();
        let mut rest = text;
        'scan: while let Some(c) = rest.chars().next() {
            for (from, to, named) in &self.patterns {
                if rest.starts_with(from.as_str()) {
                    out.push_str(to);
                    *counts.entry(named.clone()).or_insert(0) += 1;
                    rest = &rest[from.len()..];
                    continue 'scan;
                }
            }
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
        (out, counts)
    }

    /// Applies the map to the package at `path`, rewriting it in place when anything was
    /// replaced; returns what was.
    ///
    /// # Errors
    ///
    /// A package that is not a zip archive, or that cannot be read or written.
    pub fn apply(&self, path: &Path) -> Result<Vec<Replaced>, String> {
        let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file))
            .map_err(|e| format!("the package is not a zip archive: {e}"))?;
        let mut changed: BTreeMap<usize, Vec<u8>> = BTreeMap::new();
        let mut replaced = Vec::new();
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).map_err(|e| format!("the package's entry {index}: {e}"))?;
            let name = entry.name().map_err(|e| format!("the package's entry {index}: {e}"))?.into_owned();
            let is_workflow = Path::new(&name)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| WORKFLOW_FILES.iter().any(|w| e.eq_ignore_ascii_case(w)));
            if entry.is_dir() || !is_workflow {
                continue;
            }
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).map_err(|e| format!("{name}: {e}"))?;
            // Designer writes UTF-8; a file in another encoding is left as it is.
            let Ok(text) = std::str::from_utf8(&bytes) else { continue };
            let (new_text, counts) = self.replace(text);
            if counts.is_empty() {
                continue;
            }
            replaced.extend(counts.into_iter().map(|(value, count)| Replaced { file: name.clone(), value, count }));
            changed.insert(index, new_text.into_bytes());
        }
        if changed.is_empty() {
            return Ok(replaced);
        }
        let mut partial = path.as_os_str().to_owned();
        partial.push(".mapped");
        let partial = std::path::PathBuf::from(partial);
        let written = rewrite(&mut archive, &changed, &partial)
            .and_then(|()| std::fs::rename(&partial, path).map_err(|e| format!("{}: {e}", path.display())));
        if written.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        written.map(|()| replaced)
    }
}

/// Writes `archive` to `to` with the entries of `changed` replaced by their new contents (same
/// name, compression and time), and every other entry copied raw.
fn rewrite<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    changed: &BTreeMap<usize, Vec<u8>>,
    to: &Path,
) -> Result<(), String> {
    let out = std::fs::File::create(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let mut writer = zip::ZipWriter::new(std::io::BufWriter::new(out));
    for index in 0..archive.len() {
        match changed.get(&index) {
            None => {
                let entry = archive.by_index_raw(index).map_err(|e| format!("entry {index}: {e}"))?;
                writer.raw_copy_file(entry).map_err(|e| format!("entry {index}: {e}"))?;
            }
            Some(bytes) => {
                let entry = archive.by_index_raw(index).map_err(|e| format!("entry {index}: {e}"))?;
                let name = entry.name().map_err(|e| format!("entry {index}: {e}"))?.into_owned();
                let method = match entry.compression() {
                    zip::CompressionMethod::Stored => zip::CompressionMethod::Stored,
                    _ => zip::CompressionMethod::Deflated,
                };
                let mut options = zip::write::SimpleFileOptions::default().compression_method(method);
                if let Some(time) = entry.last_modified() {
                    options = options.last_modified_time(time);
                }
                if let Some(mode) = entry.unix_mode() {
                    options = options.unix_permissions(mode);
                }
                drop(entry);
                writer.start_file(name.as_str(), options).map_err(|e| format!("{name}: {e}"))?;
                writer.write_all(bytes).map_err(|e| format!("{name}: {e}"))?;
            }
        }
    }
    let mut out = writer.finish().map_err(|e| format!("{}: {e}", to.display()))?;
    out.flush().map_err(|e| format!("{}: {e}", to.display()))
}

/// `text` as XML writes it in attribute values and text.
fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> Map {
        Map::new(pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()).unwrap()
    }

    #[test]
    fn values_are_replaced_once_longest_first_and_as_xml_writes_them() {
        let m = map(&[("DSN=Sales", "DSN=SalesProd"), ("DSN=Sales;UID=dev", "DSN=SalesProd;UID=prod"), ("a&b", "c&d")]);
        let (text, counts) =
            m.replace(r#"<C c="DSN=Sales;UID=dev"/><C c="DSN=Sales"/><P v="a&amp;b"/><Q>DSN=SalesProd</Q>"#);
        // The longer value wins; values are matched as text (the `DSN=Sales` in `DSN=SalesProd` too).
        assert_eq!(
            text,
            r#"<C c="DSN=SalesProd;UID=prod"/><C c="DSN=SalesProd"/><P v="c&amp;d"/><Q>DSN=SalesProdProd</Q>"#
        );
        assert_eq!(counts.get("DSN=Sales;UID=dev"), Some(&1));
        assert_eq!(counts.get("DSN=Sales"), Some(&2));
        assert_eq!(counts.get("a&b"), Some(&1));
        // One pass: a replacement is never replaced again.
        assert_eq!(map(&[("a", "b"), ("b", "c")]).replace("ab").0, "bc");
        let (same, none) = m.replace("nothing to see: é ü");
        assert_eq!((same.as_str(), none.len()), ("nothing to see: é ü", 0));
    }

    #[test]
    fn a_map_without_replacements_or_with_an_empty_value_is_refused() {
        assert!(Map::new(BTreeMap::new()).unwrap_err().contains("empty"));
        assert!(Map::new([(String::new(), "x".into())].into()).unwrap_err().contains("empty"));
    }
}
