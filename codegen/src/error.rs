//! The one error type of the generator: every failure names the spec file, a JSON pointer into the
//! document and, where the YAML parser or a re-scan of the source knows it, a line and column.

use std::fmt;
use std::path::PathBuf;

/// A 1-based line and column in the spec's source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// Why generation failed, and where in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The spec (or overlay) file the problem is in.
    pub file: PathBuf,
    /// A JSON pointer (RFC 6901) into the document, written as a URI fragment: `#/paths/~1v3~1workflows`.
    pub pointer: String,
    /// Line and column of the node the pointer names, when known.
    pub location: Option<Location>,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl Error {
    /// An error at `pointer` (a fragment such as `#/components/schemas/Foo`) with no location yet.
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error { file: PathBuf::new(), pointer: pointer.into(), location: None, message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(loc) = self.location {
            write!(f, ":{}:{}", loc.line, loc.column)?;
        }
        write!(f, ": {}: {}", self.pointer, self.message)
    }
}

impl std::error::Error for Error {}

/// Escapes one JSON pointer token (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one JSON pointer token (`~1` → `/`, `~0` → `~`).
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Builds a `#/a/b` pointer from unescaped tokens.
pub fn pointer<'a>(tokens: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from("#");
    for t in tokens {
        out.push('/');
        out.push_str(&escape_token(t));
    }
    out
}

/// Splits a `#/a/b` pointer into unescaped tokens.
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    let body = pointer.strip_prefix('#').unwrap_or(pointer);
    if body.is_empty() {
        return Vec::new();
    }
    body.trim_start_matches('/').split('/').map(unescape_token).collect()
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
