//! Multipart forms: [`FilePart`] for file uploads, and the form builder the generated
//! `into_form` methods fill.

use std::fmt;

/// A file to upload as one part of a `multipart/form-data` body.
pub struct FilePart {
    pub(crate) body: reqwest::Body,
    pub(crate) file_name: String,
    pub(crate) content_type: String,
    pub(crate) length: Option<u64>,
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("length", &self.length)
            .finish_non_exhaustive()
    }
}

impl FilePart {
    /// A file part holding `bytes`, sent as `application/octet-stream`.
    pub fn from_bytes(file_name: impl Into<String>, bytes: impl Into<bytes::Bytes>) -> Self {
        let bytes = bytes.into();
        let length = Some(bytes.len() as u64);
        FilePart {
            body: reqwest::Body::from(bytes),
            file_name: file_name.into(),
            content_type: "application/octet-stream".into(),
            length,
        }
    }

    /// Sets the part's content type (default `application/octet-stream`).
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// The file name sent in the part's `Content-Disposition`.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }
}

/// A `multipart/form-data` body being built.
pub(crate) struct MultipartForm {
    parts: Vec<(&'static str, Part)>,
}

enum Part {
    Text(String),
    File(FilePart),
}

impl MultipartForm {
    pub(crate) fn new() -> Self {
        MultipartForm { parts: Vec::new() }
    }

    pub(crate) fn text(&mut self, name: &'static str, value: &str) {
        self.parts.push((name, Part::Text(value.to_owned())));
    }

    pub(crate) fn file(&mut self, name: &'static str, file: FilePart) {
        self.parts.push((name, Part::File(file)));
    }

    pub(crate) fn into_reqwest(self) -> Result<reqwest::multipart::Form, reqwest::Error> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in self.parts {
            form = match part {
                Part::Text(v) => form.text(name, v),
                Part::File(f) => {
                    let part = match f.length {
                        Some(len) => reqwest::multipart::Part::stream_with_length(f.body, len),
                        None => reqwest::multipart::Part::stream(f.body),
                    };
                    form.part(name, part.file_name(f.file_name).mime_str(&f.content_type)?)
                }
            };
        }
        Ok(form)
    }
}
