//! The one error type of the client. Every failure keeps what is needed to act on it: the
//! operation, the HTTP status, the raw body (bounded) and, for decoding, the JSON path that failed.

use std::fmt;
use std::time::Duration;

use super::timeout::TimeoutKind;
use super::transport::{TransportKind, root_cause};

/// How much of an error body is kept.
pub(crate) const MAX_ERROR_BODY: usize = 64 * 1024;

/// Anything that can go wrong with a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status outside 2xx.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The request could not be sent or the response not received: `kind` says what happened
    /// (DNS, connect, TLS, a reset, a closed connection, a body cut short), `Display` names the
    /// innermost cause.
    #[error("{operation_id}: {kind} ({})", root_cause(source))]
    Transport {
        /// The operation's `operationId`.
        operation_id: &'static str,
        /// What happened.
        kind: TransportKind,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The attempt timeout or the call's deadline passed.
    #[error("{operation_id}: timed out after {after:?}: {kind}")]
    Timeout {
        /// The operation's `operationId`.
        operation_id: &'static str,
        /// Which limit was reached.
        kind: TimeoutKind,
        /// How long the call had run.
        after: Duration,
    },
    /// The OAuth2 token endpoint refused the client credentials (status and body as it answered).
    #[error("the token endpoint refused the credentials: {0}")]
    Auth(Box<ApiError>),
    /// A 2xx response whose `Content-Type` is not the documented one (an HTML login page from a
    /// proxy, for example).
    #[error("{operation_id}: the {status} response is `{}`, not JSON", content_type.as_deref().unwrap_or("without a content type"))]
    ContentType {
        /// The operation's `operationId`.
        operation_id: &'static str,
        /// The HTTP status.
        status: u16,
        /// The response's `Content-Type`.
        content_type: Option<String>,
        /// The start of the raw body.
        body: bytes::Bytes,
        /// The request id the server gave the call, if it sent one.
        request_id: Option<Box<str>>,
    },
    /// A 2xx response whose body does not match the documented type.
    #[error("{operation_id}: cannot decode the {status} response at `{path}`: {message}")]
    Decode {
        /// The operation's `operationId`.
        operation_id: &'static str,
        /// The HTTP status.
        status: u16,
        /// The JSON path that failed (`iteration.hourlyContract`), `.` for the whole body.
        path: String,
        /// What serde said.
        message: String,
        /// The start of the raw body.
        body: bytes::Bytes,
        /// The request id the server gave the call, if it sent one.
        request_id: Option<Box<str>>,
    },
    /// An argument was refused before anything was sent: a path parameter that is empty, `.` or
    /// `..` would make the request address another resource (`/v3/workflows/..` is
    /// `/v3/`), however it is escaped.
    #[error("{operation_id}: invalid `{name}`: {reason}")]
    InvalidArgument {
        /// The operation's `operationId`.
        operation_id: &'static str,
        /// The parameter's name in the spec (`workflowId`).
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A request value could not be encoded (a header with a newline, a body serde refuses).
    #[error("{operation_id}: cannot encode the request: {message}")]
    Encode {
        /// The operation's `operationId`.
        operation_id: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A file to upload could not be read, or a download could not be written.
    #[error("{operation_id}: {context}: {source}")]
    Io {
        /// The operation's `operationId`.
        operation_id: &'static str,
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The client was configured wrongly.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) | Error::Auth(e) => Some(e.status),
            Error::Decode { status, .. } | Error::ContentType { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// The operation that failed (`oauth2Token` for the token request), when the error has one.
    pub fn operation_id(&self) -> Option<&'static str> {
        match self {
            Error::Api(e) | Error::Auth(e) => Some(e.operation_id),
            Error::Transport { operation_id, .. }
            | Error::Timeout { operation_id, .. }
            | Error::ContentType { operation_id, .. }
            | Error::Decode { operation_id, .. }
            | Error::Encode { operation_id, .. }
            | Error::InvalidArgument { operation_id, .. }
            | Error::Io { operation_id, .. } => Some(operation_id),
            Error::Config(_) => None,
        }
    }

    /// Whether the call ran out of time (attempt timeout, deadline, or the transport's own timeout).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::Transport { source, .. } => source.is_timeout(),
            _ => false,
        }
    }

    /// What kind of transport failure this is, for [`Error::Transport`].
    pub fn transport_kind(&self) -> Option<TransportKind> {
        match self {
            Error::Transport { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// A transport error of a request that got no response status.
    pub(crate) fn sending(operation_id: &'static str, source: reqwest::Error) -> Error {
        let kind = super::transport::classify_send(&source);
        Error::Transport { operation_id, kind, source }
    }

    /// A body that does not fit its type at `path` (`.` for the whole body); the error keeps the
    /// body's start.
    pub(crate) fn decode(
        operation_id: &'static str,
        status: u16,
        request_id: Option<&str>,
        body: &bytes::Bytes,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Error {
        Error::Decode {
            operation_id,
            status,
            path: path.into(),
            message: message.into(),
            body: body.slice(..body.len().min(MAX_ERROR_BODY)),
            request_id: request_id.map(Into::into),
        }
    }

    /// A transport error while reading a body, after `received` bytes of it.
    pub(crate) fn reading(
        operation_id: &'static str,
        source: reqwest::Error,
        received: u64,
        expected: Option<u64>,
    ) -> Error {
        Error::Transport { operation_id, kind: TransportKind::BodyCutShort { received, expected }, source }
    }

    /// The request id the server gave the call, when it answered and sent one: the header
    /// [`ClientBuilder::request_id_header`](crate::ClientBuilder::request_id_header) names (the
    /// spec's, in a generated crate, when it declares one), else `X-Request-Id`.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) | Error::Auth(e) => e.request_id.as_deref(),
            Error::Decode { request_id, .. } | Error::ContentType { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The API error, when the server answered with a non-2xx status.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }
}

/// A non-2xx answer of the server, as it came.
#[derive(Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation's `operationId`.
    pub operation_id: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The response's `Content-Type`.
    pub content_type: Option<String>,
    /// The raw body, at most 64 KiB of it.
    pub body: bytes::Bytes,
    /// The response's headers.
    pub headers: reqwest::header::HeaderMap,
    /// The request id the server gave the call, if it sent one.
    pub request_id: Option<String>,
}

impl ApiError {
    /// The body parsed as JSON into `T` (for example `types::ErrorResponse`), if it is one.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value, when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation_id", &self.operation_id)
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("body", &self.text())
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the server answered {}", self.operation_id, self.status)?;
        let text = self.text();
        let text = text.trim();
        if !text.is_empty() {
            let short: String = text.chars().take(300).collect();
            write!(f, ": {short}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}
