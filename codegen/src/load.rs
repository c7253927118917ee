//! Stage 1: bytes → a raw JSON document. YAML is read with `saphyr` (YAML 1.2, panic-free, located
//! errors, duplicate keys rejected), JSON with `serde_json`. Source positions are not kept for every
//! node: when a later stage reports an error at a JSON pointer, [`Source::locate`] re-reads the text
//! with saphyr's marked loader and finds the node's line and column. The happy path stays fast.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, Yaml, YamlData};
use serde_json::{Map, Number, Value};
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result, pointer_tokens};

mod flow_indent;

/// The text of one spec file, kept so that errors can be located in it.
#[derive(Debug, Clone)]
pub struct Source {
    /// Where the text came from; used in error messages.
    pub path: PathBuf,
    /// The document's text.
    pub text: String,
}

impl Source {
    /// Reads a spec file.
    pub fn read(path: &Path) -> Result<Source> {
        let text = std::fs::read_to_string(path).map_err(|e| Error {
            file: path.to_path_buf(),
            pointer: "#".into(),
            location: None,
            message: format!("cannot read the file: {e}"),
        })?;
        Ok(Source { path: path.to_path_buf(), text })
    }

    /// Parses the text as JSON (when it starts with `{`) or YAML.
    pub fn parse(&self) -> Result<Value> {
        if self.text.trim_start().starts_with('{') {
            return serde_json::from_str(&self.text).map_err(|e| Error {
                file: self.path.clone(),
                pointer: "#".into(),
                location: Some(Location { line: e.line(), column: e.column() }),
                message: format!("invalid JSON: {e}"),
            });
        }
        let docs = match Yaml::load_from_str(&self.text) {
            Ok(docs) => docs,
            // What libyaml and friends accept: try again with flow lines indented past their key.
            Err(e) => match flow_indent::indent_flow_lines(&self.text).and_then(|t| Yaml::load_from_str(&t).ok()) {
                Some(docs) => docs,
                None => {
                    return Err(Error {
                        file: self.path.clone(),
                        pointer: "#".into(),
                        location: Some(Location { line: e.marker().line(), column: e.marker().col() + 1 }),
                        message: format!("invalid YAML: {}", e.info()),
                    });
                }
            },
        };
        let Some(doc) = docs.into_iter().next() else {
            return Err(self.error("#", "the file holds no document"));
        };
        let mut path = Vec::new();
        yaml_to_json(&doc, &mut path).map_err(|e| self.locate(e))
    }

    /// An error in this file at `pointer`, located.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        self.locate(Error::at(pointer, message))
    }

    /// Fills in the file and, when the node can be found, the line and column of `error`.
    pub fn locate(&self, error: Error) -> Error {
        self.locate_all(vec![error]).remove(0)
    }

    /// [`Self::locate`] for many errors (a spec's warnings), reading the file's positions once:
    /// a large spec with hundreds of warnings is not parsed again for each.
    pub fn locate_all(&self, mut errors: Vec<Error>) -> Vec<Error> {
        let needed = errors.iter().any(|e| e.location.is_none());
        let direct = if needed { MarkedYaml::load_from_str(&self.text).ok() } else { None };
        let indented = if needed && direct.is_none() { flow_indent::indent_flow_lines(&self.text) } else { None };
        let fallback = indented.as_deref().and_then(|t| MarkedYaml::load_from_str(t).ok());
        let root = direct.as_ref().or(fallback.as_ref()).and_then(|docs| docs.first());
        for error in &mut errors {
            error.file = self.path.clone();
            if error.location.is_none() {
                error.location = root.and_then(|root| find(root, &error.pointer));
            }
        }
        errors
    }
}

/// The line and column of the node at `pointer` under `node`, or of its nearest ancestor that
/// exists.
fn find<'i>(mut node: &MarkedYaml<'i>, pointer: &str) -> Option<Location> {
    // A mapping entry is reported at its key, where a reader looks for it.
    let mut mark = node.span.start;
    for token in pointer_tokens(pointer) {
        let next = match &node.data {
            YamlData::Mapping(map) => map
                .iter()
                .find(|(k, _)| scalar_text(&k.data).as_deref() == Some(token.as_str()))
                .map(|(k, v)| (k.span.start, v)),
            YamlData::Sequence(items) => {
                token.parse::<usize>().ok().and_then(|i| items.get(i)).map(|v| (v.span.start, v))
            }
            _ => None,
        };
        match next {
            Some((at, n)) => {
                mark = at;
                node = n;
            }
            None => break,
        }
    }
    Some(Location { line: mark.line(), column: mark.col() + 1 })
}

fn scalar_text<'i>(data: &YamlData<'i, MarkedYaml<'i>>) -> Option<String> {
    match data {
        YamlData::Value(s) => Some(scalar_key(s)),
        YamlData::Representation(s, _, _) => Some(s.to_string()),
        _ => None,
    }
}

fn scalar_key(s: &Scalar<'_>) -> String {
    match s {
        Scalar::Null => "null".into(),
        Scalar::Boolean(b) => b.to_string(),
        Scalar::Integer(i) => i.to_string(),
        Scalar::FloatingPoint(f) => f.to_string(),
        Scalar::String(s) => s.to_string(),
    }
}

/// Converts a YAML node to JSON. Mapping keys become strings (`200:` → `"200"`), as OpenAPI wants.
fn yaml_to_json(node: &Yaml<'_>, path: &mut Vec<String>) -> Result<Value> {
    Ok(match node {
        Yaml::Value(s) => match s {
            Scalar::Null => Value::Null,
            Scalar::Boolean(b) => Value::Bool(*b),
            Scalar::Integer(i) => Value::Number((*i).into()),
            Scalar::FloatingPoint(f) => Number::from_f64(f.into_inner()).map_or(Value::Null, Value::Number),
            Scalar::String(s) => Value::String(s.to_string()),
        },
        Yaml::Representation(s, _, _) => Value::String(s.to_string()),
        Yaml::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                out.push(yaml_to_json(item, path)?);
                path.pop();
            }
            Value::Array(out)
        }
        Yaml::Mapping(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Yaml::Value(s) => scalar_key(s),
                    Yaml::Representation(s, _, _) => s.to_string(),
                    _ => return Err(here(path, "a mapping key must be a scalar")),
                };
                path.push(key);
                let value = yaml_to_json(v, path)?;
                let key = path.pop().unwrap_or_default();
                out.insert(key, value);
            }
            Value::Object(out)
        }
        Yaml::Tagged(_, inner) => yaml_to_json(inner, path)?,
        Yaml::Alias(_) => return Err(here(path, "YAML aliases are not supported")),
        Yaml::BadValue => return Err(here(path, "a scalar that YAML cannot represent")),
    })
}

fn here(path: &[String], message: &str) -> Error {
    Error::at(crate::error::pointer(path.iter().map(String::as_str)), message)
}
