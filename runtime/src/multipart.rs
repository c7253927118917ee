//! Multipart forms: [`FilePart`] for file uploads, and the form the generated `into_form`
//! methods fill. A form is kept until the request is done, so that a retry can build it again
//! (files are re-opened; a caller's one-shot stream makes the form one-shot too).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures_core::Stream;

use super::body::{BoxError, OnProgress, Source};
use super::error::Error;
use super::params::{ToParam, json_param};
use super::timeout::Progress;

/// A file to upload as one part of a `multipart/form-data` body: its bytes, its file name and
/// its content type (default `application/octet-stream`). The part always carries a
/// `Content-Type`, as servers (and validating proxies) expect.
pub struct FilePart {
    pub(crate) source: Source,
    pub(crate) file_name: String,
    pub(crate) content_type: String,
    pub(crate) on_progress: Option<OnProgress>,
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("source", &self.source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl FilePart {
    fn new(source: Source, file_name: impl Into<String>) -> Self {
        FilePart {
            source,
            file_name: file_name.into(),
            content_type: "application/octet-stream".into(),
            on_progress: None,
        }
    }

    /// Calls `hook` with the bytes sent so far (and the total, when known) as the part is
    /// uploaded; a retried upload counts from 0 again. For progress bars.
    #[must_use]
    pub fn on_progress(mut self, hook: impl Fn(u64, Option<u64>) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(hook));
        self
    }

    /// A part holding `bytes`.
    pub fn from_bytes(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        FilePart::new(Source::Bytes(bytes.into()), file_name)
    }

    /// The file at `path`, named after its last component, streamed when the request is sent
    /// (and re-read if it is retried); never read into memory whole.
    pub fn from_path(path: impl AsRef<Path>) -> Self {
        let path: PathBuf = path.as_ref().to_path_buf();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "file".into());
        FilePart::new(Source::Path(path), name)
    }

    /// The chunks of `stream`, sent once; `length`, when known, lets the form declare its size.
    pub fn from_stream<S, E>(file_name: impl Into<String>, stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        FilePart::new(Source::stream(stream, length), file_name)
    }

    /// Everything `reader` yields, sent once.
    pub fn from_reader<R>(file_name: impl Into<String>, reader: R, length: Option<u64>) -> Self
    where
        R: tokio::io::AsyncRead + Send + 'static,
    {
        FilePart::new(Source::reader(reader, length), file_name)
    }

    /// Sets the part's content type.
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// Sets the file name sent in the part's `Content-Disposition`.
    #[must_use]
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = file_name.into();
        self
    }

    /// The file name sent in the part's `Content-Disposition`.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }
}

/// A `multipart/form-data` body being built.
#[derive(Debug)]
pub struct MultipartForm {
    parts: Vec<(&'static str, Part)>,
}

#[derive(Debug)]
enum Part {
    Text(String),
    File(FilePart),
}

impl MultipartForm {
    /// An empty form.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        MultipartForm { parts: Vec::new() }
    }

    /// Adds a text part of a value's plain text form.
    pub fn text(&mut self, name: &'static str, value: &dyn ToParam) {
        self.parts.push((name, Part::Text(value.to_param())));
    }

    /// Adds a text part per item of a list.
    pub fn text_items<T: ToParam>(&mut self, name: &'static str, values: &[T]) {
        for value in values {
            self.text(name, value);
        }
    }

    /// Adds a text part of a value's JSON text (a string without its quotes).
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.parts.push((name, Part::Text(json_param(value))));
    }

    /// Adds a JSON text part per item of a list.
    pub fn json_items<T: serde::Serialize>(&mut self, name: &'static str, values: &[T]) {
        for value in values {
            self.json(name, value);
        }
    }

    /// Adds a file part, streamed when the form is sent.
    pub fn file(&mut self, name: &'static str, file: FilePart) {
        self.parts.push((name, Part::File(file)));
    }

    /// Adds a file part per file, under the same name.
    pub fn files(&mut self, name: &'static str, files: Vec<FilePart>) {
        for file in files {
            self.file(name, file);
        }
    }

    /// Each part's name and what it holds (a file described by `source`, never read), for a
    /// dry run.
    #[cfg(feature = "cli")]
    pub(crate) fn describe(&self, source: fn(&Source) -> String) -> Vec<(&'static str, String)> {
        let part = |part: &Part| match part {
            Part::Text(value) => value.clone(),
            Part::File(f) => format!("file `{}` ({}), {}", f.file_name, f.content_type, source(&f.source)),
        };
        self.parts.iter().map(|(name, p)| (*name, part(p))).collect()
    }

    /// Whether every part can be sent again.
    pub(crate) fn replayable(&self) -> bool {
        self.parts.iter().all(|(_, p)| !matches!(p, Part::File(f) if !f.source.replayable()))
    }

    /// The form for one attempt.
    pub(crate) async fn open(
        &mut self,
        operation_id: &'static str,
        progress: &Arc<Progress>,
    ) -> Result<reqwest::multipart::Form, Error> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &mut self.parts {
            form = match part {
                Part::Text(v) => form.text(*name, v.clone()),
                Part::File(f) => {
                    let (body, length) = f.source.open(operation_id, progress, f.on_progress.as_ref()).await?;
                    let part = match length {
                        Some(len) => reqwest::multipart::Part::stream_with_length(body, len),
                        None => reqwest::multipart::Part::stream(body),
                    };
                    let part = part.file_name(f.file_name.clone()).mime_str(&f.content_type).map_err(|_| {
                        Error::Encode { operation_id, message: format!("invalid content type `{}`", f.content_type) }
                    })?;
                    form.part(*name, part)
                }
            };
        }
        Ok(form)
    }
}
