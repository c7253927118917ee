//! Stage 3: OpenAPI Overlay 1.0 documents, applied to the raw document before it is normalized,
//! so that local corrections and additions live beside the vendor's spec instead of in it.
//!
//! An overlay is `overlay: 1.0.x`, an `info` (title, version) and a list of `actions`, each with
//! a JSONPath (RFC 9535) `target` and either an `update` or `remove: true`. Actions run in order,
//! overlay files in file-name order. An `update` is merged into every node the target selects:
//! into an object, its members are merged recursively (objects merged, arrays appended, anything
//! else replaced); into an array, it is appended as one entry. `remove: true` removes every
//! selected node from its parent. A target that selects nothing is an error: an overlay that no
//! longer applies to a new vendor spec must be noticed, not silently skipped.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::error::{Error, Result};
use crate::load::Source;

/// The overlay files in `dir` (`*.yaml`, `*.yml`, `*.json`), in file-name order. A directory
/// that cannot be read is an error: overlays asked for must not be skipped silently.
pub fn overlay_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            return Err(Error {
                file: dir.to_path_buf(),
                pointer: "#".into(),
                location: None,
                message: format!("cannot list the overlays: {e}"),
            });
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json"))
        .collect();
    files.sort();
    Ok(files)
}

/// Applies one overlay to `doc`. Errors name the overlay file and the action (`#/actions/2/target`).
pub fn apply(doc: &mut Value, overlay: &Source) -> Result<()> {
    let parsed = overlay.parse()?;
    apply_parsed(doc, &parsed).map_err(|e| overlay.locate(e))
}

fn apply_parsed(doc: &mut Value, overlay: &Value) -> Result<()> {
    let Some(root) = overlay.as_object() else {
        return Err(Error::at("#", "an overlay must be a mapping with `overlay`, `info` and `actions`"));
    };
    match root.get("overlay") {
        Some(Value::String(v)) if is_version_1_0(v) => {}
        Some(other) => {
            return Err(Error::at(
                "#/overlay",
                format!("unsupported overlay version {other}: this generator reads 1.0.x"),
            ));
        }
        None => return Err(Error::at("#", "missing `overlay` (the Overlay Specification version, e.g. 1.0.0)")),
    }
    let info = root.get("info").and_then(Value::as_object);
    let Some(info) = info else { return Err(Error::at("#", "missing `info` (with `title` and `version`)")) };
    for field in ["title", "version"] {
        if !info.get(field).is_some_and(Value::is_string) {
            return Err(Error::at("#/info", format!("`info.{field}` must be a string")));
        }
    }
    let actions = match root.get("actions") {
        Some(Value::Array(actions)) if !actions.is_empty() => actions,
        Some(_) => return Err(Error::at("#/actions", "`actions` must be a non-empty list")),
        None => return Err(Error::at("#", "missing `actions`")),
    };
    for (i, action) in actions.iter().enumerate() {
        apply_action(doc, action, &format!("#/actions/{i}"))?;
    }
    Ok(())
}

/// `1.0.0`, `1.0.1`...
fn is_version_1_0(v: &str) -> bool {
    v.strip_prefix("1.0.").is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

fn apply_action(doc: &mut Value, action: &Value, at: &str) -> Result<()> {
    let Some(action) = action.as_object() else {
        return Err(Error::at(at, "an action must be a mapping with `target` and `update` or `remove`"));
    };
    let target = match action.get("target") {
        Some(Value::String(t)) if t.starts_with('$') => t,
        Some(_) => return Err(Error::at(format!("{at}/target"), "`target` must be a JSONPath starting with `$`")),
        None => return Err(Error::at(at, "missing `target`")),
    };
    let path = JsonPath::parse(target)
        .map_err(|e| Error::at(format!("{at}/target"), format!("invalid JSONPath `{target}`: {e}")))?;
    let remove = match action.get("remove") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(Error::at(format!("{at}/remove"), "`remove` must be true or false")),
    };
    let update = action.get("update");
    if !remove && update.is_none() {
        return Err(Error::at(at, "the action has neither `update` nor `remove: true`"));
    }
    let pointers: Vec<String> = path.query_located(doc).locations().map(|l| l.to_json_pointer()).collect();
    if pointers.is_empty() {
        return Err(Error::at(format!("{at}/target"), format!("`{target}` selects nothing in the document")));
    }
    if remove {
        // Last first, so that removing an array entry does not shift the ones still to remove.
        for pointer in pointers.iter().rev() {
            remove_at(doc, pointer).map_err(|m| Error::at(format!("{at}/target"), m))?;
        }
        return Ok(());
    }
    let update = update.unwrap_or(&Value::Null);
    for pointer in &pointers {
        let Some(node) = doc.pointer_mut(pointer) else { continue };
        match (node, update) {
            (Value::Array(items), entry) => items.push(entry.clone()),
            (Value::Object(members), Value::Object(changes)) => merge(members, changes),
            (Value::Object(_), _) => {
                return Err(Error::at(
                    format!("{at}/update"),
                    format!("`{target}` selects an object (at `{}`): `update` must be a mapping", display(pointer)),
                ));
            }
            (_, _) => {
                return Err(Error::at(
                    format!("{at}/target"),
                    format!(
                        "`{target}` selects a scalar (at `{}`): an update needs an object or a list; target its parent",
                        display(pointer)
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Merges `changes` into `members`: objects recursively, arrays appended, anything else replaced.
fn merge(members: &mut Map<String, Value>, changes: &Map<String, Value>) {
    for (key, change) in changes {
        match (members.get_mut(key), change) {
            (Some(Value::Object(inner)), Value::Object(inner_changes)) => merge(inner, inner_changes),
            (Some(Value::Array(items)), Value::Array(more)) => items.extend(more.iter().cloned()),
            _ => {
                members.insert(key.clone(), change.clone());
            }
        }
    }
}

/// Removes the node at `pointer` from its parent.
fn remove_at(doc: &mut Value, pointer: &str) -> std::result::Result<(), String> {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return Err("the document itself cannot be removed".into());
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(members)) => {
            members.shift_remove(&key);
            Ok(())
        }
        Some(Value::Array(items)) => {
            let index: usize = key.parse().map_err(|_| format!("`{key}` is not an index"))?;
            if index < items.len() {
                items.remove(index);
            }
            Ok(())
        }
        _ => Err(format!("nothing to remove at `{}`", display(pointer))),
    }
}

/// A JSON pointer as the generator's errors write them (`#/paths/~1v3~1jobs`).
fn display(pointer: &str) -> String {
    format!("#{pointer}")
}
