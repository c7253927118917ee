//! From parsed arguments to a request, before anything is sent: the parameters' values, the body
//! read (a file, standard input or the argument), its field flags set and the whole document
//! checked against the body's type, where a binary answer goes. Every problem is a usage error
//! that says what to fix; [`Prepared::request`] then builds the request (again for each page).

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use clap::ArgMatches;
use serde_json::{Map, Value as Json};

use super::{Answer, Body, BodyForm, Command, Encoding, Field, Pages, Place, Progress, Transfer, Value};
use crate::client::Client;
use crate::multipart::{FilePart, MultipartForm};
use crate::params::{In, ToParam, simple_param};
use crate::request::OperationRequest;

/// A command's request, checked and ready to build.
pub(crate) struct Prepared {
    pub(crate) command: &'static Command,
    /// Each parameter's values, in [`Command::params`] order (empty when not given).
    values: Vec<Vec<String>>,
    body: Option<Payload>,
    /// Where a binary answer goes.
    pub(crate) out: Destination,
    /// `--all`.
    pub(crate) all: bool,
    /// `--dry-run`.
    pub(crate) dry_run: bool,
}

/// A body, read and checked.
enum Payload {
    /// JSON text, as given (or rewritten with the field flags).
    Json(Bytes),
    /// The fields of a form.
    Form(Json),
    /// Each part's values, in the body's part order.
    Multipart(Vec<(&'static Field, Vec<String>)>),
    Text(String),
    Binary(Input),
}

enum Input {
    File(PathBuf),
    Stdin,
}

/// Where a binary answer goes.
pub(crate) enum Destination {
    File(PathBuf),
    Stdout,
}

/// Reads the arguments of `command`; `terminal`: whether standard output is a terminal.
pub(crate) fn prepare(command: &'static Command, matches: &ArgMatches, terminal: bool) -> Result<Prepared, String> {
    let strings = |id: &str| -> Vec<String> {
        matches.get_many::<String>(id).map(|values| values.cloned().collect()).unwrap_or_default()
    };
    let values = command.params.iter().map(|p| strings(p.arg)).collect();
    let body = match &command.body {
        Some(body) => payload(body, matches, &strings)?,
        None => None,
    };
    let out = match (matches!(command.answer, Answer::Binary), one(matches, "out")) {
        (true, Some(path)) if path == "-" => Destination::Stdout,
        (true, Some(path)) => Destination::File(PathBuf::from(path)),
        (true, None) if terminal => {
            return Err("the answer is bytes: give --out FILE, or --out - to write them to the terminal anyway".into());
        }
        _ => Destination::Stdout,
    };
    let flag = |id: &str| matches.try_get_one::<bool>(id).ok().flatten().copied().unwrap_or(false);
    Ok(Prepared { command, values, body, out, all: flag("all"), dry_run: flag("dry-run") })
}

fn payload(
    body: &'static Body,
    matches: &ArgMatches,
    strings: &dyn Fn(&str) -> Vec<String>,
) -> Result<Option<Payload>, String> {
    let given = one(matches, "body");
    Ok(match &body.form {
        BodyForm::Json { check, fields } | BodyForm::Form { check, fields } => {
            let set: Vec<(&Field, String)> =
                fields.iter().filter_map(|f| strings(f.arg).pop().map(|v| (f, v))).collect();
            let text = match given {
                Some(arg) => read_document(arg)?,
                None if set.is_empty() && !body.required => return Ok(None),
                None => b"{}".to_vec(),
            };
            let text = if set.is_empty() { text } else { with_fields(&text, &set)? };
            check(&text)
                .map_err(|m| format!("the body does not fit {} at `{}`: {}", body.type_name, m.path, m.message))?;
            match body.form {
                BodyForm::Form { .. } => Some(Payload::Form(serde_json::from_slice(&text).map_err(|e| e.to_string())?)),
                _ => Some(Payload::Json(Bytes::from(text))),
            }
        }
        BodyForm::Multipart(parts) => Some(Payload::Multipart(parts.iter().map(|f| (f, strings(f.arg))).collect())),
        BodyForm::Text => match given {
            Some(arg) => Some(Payload::Text(read_text(arg)?)),
            None => None,
        },
        BodyForm::Binary => match given.map(String::as_str) {
            Some("-") => Some(Payload::Binary(Input::Stdin)),
            Some(path) => Some(Payload::Binary(Input::File(PathBuf::from(path)))),
            None => None,
        },
    })
}

/// The value of a flag the command may not have (`--out`, `--body`).
fn one<'m>(matches: &'m ArgMatches, id: &str) -> Option<&'m String> {
    matches.try_get_one::<String>(id).ok().flatten()
}

/// A JSON document: `-` reads standard input, JSON text is itself, anything else a file's path.
fn read_document(arg: &str) -> Result<Vec<u8>, String> {
    let trimmed = arg.trim_start();
    if arg == "-" {
        return read_stdin();
    }
    if trimmed.starts_with(['{', '[', '"']) {
        return Ok(arg.as_bytes().to_vec());
    }
    match std::fs::read(arg) {
        Ok(bytes) => Ok(bytes),
        Err(_) if serde_json::from_str::<serde::de::IgnoredAny>(arg).is_ok() => Ok(arg.as_bytes().to_vec()),
        Err(e) => Err(format!("--body `{arg}` is not JSON, and not a file that can be read: {e}")),
    }
}

/// Text: `-` reads standard input, a file's path its contents, anything else is the text.
fn read_text(arg: &str) -> Result<String, String> {
    if arg == "-" {
        return String::from_utf8(read_stdin()?).map_err(|_| "standard input is not UTF-8 text".into());
    }
    match std::fs::read(arg) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| format!("the file `{arg}` is not UTF-8 text")),
        Err(_) => Ok(arg.to_owned()),
    }
}

fn read_stdin() -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).map_err(|e| format!("cannot read standard input: {e}"))?;
    Ok(bytes)
}

/// The document with the fields given by flags set (replacing what it had).
fn with_fields(text: &[u8], set: &[(&Field, String)]) -> Result<Vec<u8>, String> {
    let mut object: Map<String, Json> = serde_json::from_slice(text)
        .map_err(|e| format!("the body must be a JSON object to take --{}: {e}", set[0].0.arg))?;
    for (field, value) in set {
        object.insert(field.name.to_owned(), json_of(field.value, value));
    }
    serde_json::to_vec(&object).map_err(|e| e.to_string())
}

/// A checked value's JSON: numbers and booleans as such, everything else a string.
fn json_of(value: Value, text: &str) -> Json {
    let parsed = || serde_json::from_str::<Json>(text).unwrap_or_else(|_| Json::String(text.to_owned()));
    match value {
        Value::Bool | Value::Integer | Value::Unsigned | Value::Number | Value::Json(_) => parsed(),
        _ => Json::String(text.to_owned()),
    }
}

/// Where a page of `--all` starts.
pub(crate) enum PageAt {
    /// A counted page: its position and size.
    Counted(u64, u64),
    /// A cursor page: the token.
    Cursor(String),
}

impl Prepared {
    /// The request, with the page's position and size (or cursor) when reading every page; each file it
    /// uploads reports to a transfer of `progress`, returned to be finished.
    pub(crate) fn request(
        &self,
        client: &Client,
        page: Option<PageAt>,
        progress: &dyn Progress,
    ) -> (OperationRequest, Vec<Arc<dyn Transfer>>) {
        let command = self.command;
        let params = command.params.iter().zip(&self.values);
        let by_name: Vec<(&str, String)> = params
            .clone()
            .filter(|(p, _)| p.place == Place::Path)
            .map(|(p, values)| match p.encoding {
                Encoding::Json(_) => {
                    (p.name, values.first().map(|v| simple_param(&json_of(p.value, v))).unwrap_or_default())
                }
                _ => (p.name, values.first().cloned().unwrap_or_default()),
            })
            .collect();
        // In the template's order, a placeholder the path names twice (`/{id}/{action}/{id}`) twice.
        let value_of =
            |name: &str| by_name.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()).unwrap_or_default();
        let path: Vec<String> = command.operation.placeholders().map(value_of).collect();
        let path: Vec<&dyn ToParam> = path.iter().map(|v| v as &dyn ToParam).collect();
        let mut request = client.request(command.operation, &path);
        for (param, values) in params {
            let place = match param.place {
                Place::Path => continue,
                Place::Query => In::Query,
                Place::Header => In::Header,
                Place::Cookie => In::Cookie,
            };
            let paged = match (&page, command.pages) {
                (Some(PageAt::Counted(position, size)), Some(Pages::Counted { position: p, size: s, .. })) => {
                    (param.name == p).then_some(*position).or((param.name == s).then_some(*size)).map(|n| n.to_string())
                }
                (Some(PageAt::Cursor(token)), Some(Pages::Cursor { param: p, .. })) if param.name == p => {
                    Some(token.clone())
                }
                _ => None,
            };
            let paged = paged.map(|v| vec![v]);
            let values = paged.as_ref().unwrap_or(values);
            if values.is_empty() {
                continue;
            }
            match param.encoding {
                Encoding::Text => request.param(place, param.name, &values[0]),
                Encoding::Items => request.param_items(place, param.name, values),
                Encoding::Joined(delimiter) => request.param_joined(place, param.name, values, delimiter),
                Encoding::Json(style) => {
                    request.param_json(place, param.name, &json_of(param.value, &values[0]), style)
                }
            }
        }
        let mut transfers = Vec::new();
        if let (Some(body), Some(payload)) = (&command.body, &self.body) {
            match payload {
                Payload::Json(bytes) => request.body(bytes.clone(), body.media),
                Payload::Form(fields) => request.form(fields, body.media),
                Payload::Text(text) => request.text(text.clone(), body.media),
                Payload::Binary(Input::File(path)) => request.body(crate::Body::from_path(path), body.media),
                Payload::Binary(Input::Stdin) => {
                    request.body(crate::Body::from_reader(tokio::io::stdin(), None), body.media)
                }
                Payload::Multipart(parts) => request.multipart(form(parts, progress, &mut transfers)),
            }
        }
        (request, transfers)
    }

    /// A numeric parameter's value (a page's position or size), if it was given.
    pub(crate) fn number(&self, name: &str) -> Result<Option<u64>, String> {
        let index = self.command.params.iter().position(|p| p.name == name);
        match index.and_then(|i| self.values[i].first()) {
            None => Ok(None),
            Some(text) => text.trim().parse().map(Some).map_err(|_| format!("`{text}` is not a count for `{name}`")),
        }
    }
}

/// The multipart form of the parts given; file parts streamed, each with a transfer.
fn form(
    parts: &[(&'static Field, Vec<String>)],
    progress: &dyn Progress,
    transfers: &mut Vec<Arc<dyn Transfer>>,
) -> MultipartForm {
    let mut form = MultipartForm::new();
    for (field, values) in parts {
        for value in values {
            match field.value {
                Value::File => {
                    let part = if value == "-" {
                        FilePart::from_reader("stdin", tokio::io::stdin(), None)
                    } else {
                        FilePart::from_path(value)
                    };
                    let transfer = progress.transfer(part.file_name());
                    let shown = transfer.clone();
                    transfers.push(transfer);
                    form.file(field.name, part.on_progress(move |done, total| shown.update(done, total)));
                }
                Value::Json(_) => form.json(field.name, &json_of(field.value, value)),
                _ => form.text(field.name, value),
            }
        }
    }
    form
}
