//! What an operation's method returns: [`CallFuture`], which resolves to the decoded answer, or,
//! through [`CallFuture::with_response`], to the answer with the response's status and headers
//! ([`WithResponse`]), for every operation alike.
//!
//! The transport is one boxed future that knows nothing of the answer's type ([`RawAnswer`]); the
//! answer is decoded when the call is polled, by [`FromAnswer`]. So a generated crate compiles no
//! decoding for an operation until a program awaits it: a method only builds its request.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::download::ByteStream;
use super::error::Error;
use super::json_path;

/// What the transport produced for one call, before the answer's type is known.
#[doc(hidden)]
pub struct RawAnswer {
    pub(crate) operation_id: &'static str,
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) body: AnswerBody,
}

pub(crate) enum AnswerBody {
    /// A JSON body, to decode; `one_or_many`: a list expected, one item accepted.
    Json { body: Bytes, one_or_many: bool },
    /// An answer already made (nothing, text, a stream).
    Made(Box<dyn Any + Send>),
}

impl RawAnswer {
    /// The body does not fit its type at `path`.
    pub(crate) fn mismatch(&self, body: &Bytes, path: String, message: String) -> Error {
        Error::decode(self.operation_id, self.status, self.request_id.as_deref(), body, path, message)
    }

    /// `T` from a JSON body; an empty body reads as `null`, which an `Option` accepts. A
    /// mismatch names the JSON path that failed.
    pub(crate) fn decode_json<T: DeserializeOwned>(&self, body: &Bytes) -> Result<T, Error> {
        let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"null" } else { body };
        serde_json::from_slice(text).map_err(|e| {
            let path = json_path::path_at(text, json_path::offset_of(text, e.line(), e.column()));
            self.mismatch(body, path, e.to_string())
        })
    }

    fn made<T: 'static>(self, value: Box<dyn Any + Send>) -> Result<T, Error> {
        let message = format!("the call does not answer with a `{}`", std::any::type_name::<T>());
        value.downcast::<T>().map(|v| *v).map_err(|_| self.mismatch(&Bytes::new(), ".".into(), message))
    }
}

/// A type a call can answer with: every type serde can read from JSON (the operation's own
/// types, `Vec`s of them, `String`, `()`), and [`ByteStream`].
pub trait FromAnswer: Sized + Send + 'static {
    /// The answer from what the transport produced.
    #[doc(hidden)]
    fn from_reply(reply: RawAnswer) -> Result<Self, Error>;
}

impl<T: DeserializeOwned + Send + 'static> FromAnswer for T {
    fn from_reply(mut reply: RawAnswer) -> Result<T, Error> {
        match std::mem::replace(&mut reply.body, AnswerBody::Json { body: Bytes::new(), one_or_many: false }) {
            AnswerBody::Made(value) => reply.made(value),
            AnswerBody::Json { body, one_or_many } => {
                let single = one_or_many && body.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|b| *b != b'[');
                if single {
                    // A server whose answers disagree with its document sent one item.
                    let list = Bytes::from([&b"["[..], &body, b"]"].concat());
                    return reply.decode_json(&list);
                }
                reply.decode_json(&body)
            }
        }
    }
}

impl FromAnswer for ByteStream {
    fn from_reply(mut reply: RawAnswer) -> Result<ByteStream, Error> {
        match std::mem::replace(&mut reply.body, AnswerBody::Made(Box::new(()))) {
            AnswerBody::Made(value) => reply.made(value),
            AnswerBody::Json { body, .. } => {
                Err(reply.mismatch(&body, ".".into(), "the answer is JSON, not a stream".into()))
            }
        }
    }
}

/// The transport's part of a call, the same for every answer type.
pub(crate) type Transport = Pin<Box<dyn Future<Output = Result<WithResponse<RawAnswer>, Error>> + Send>>;

/// The future of one call. Await it for the decoded answer; call [`CallFuture::with_response`]
/// first for the answer with the response's status and headers. It owns what it needs, so it can
/// be spawned or kept.
#[must_use = "a call does nothing unless it is awaited"]
pub struct CallFuture<T> {
    transport: Transport,
    answer: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for CallFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CallFuture")
    }
}

impl<T> CallFuture<T> {
    pub(crate) fn new(transport: Transport) -> Self {
        CallFuture { transport, answer: PhantomData }
    }
}

impl<T: FromAnswer> CallFuture<T> {
    /// The call's answer with the response's status and headers (a request id, a rate limit, a
    /// pagination link).
    #[allow(clippy::manual_async_fn)] // `Send` belongs in the signature: callers spawn it.
    pub fn with_response(self) -> impl Future<Output = Result<WithResponse<T>, Error>> + Send {
        async move {
            let WithResponse { status, headers, request_id, value } = self.transport.await?;
            Ok(WithResponse { status, headers, request_id, value: T::from_reply(value)? })
        }
    }
}

impl<T: FromAnswer> Future for CallFuture<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.transport.as_mut().poll(cx).map(|answer| answer.and_then(|a| T::from_reply(a.value)))
    }
}

/// A decoded answer with the status and headers of the response it came in.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct WithResponse<T> {
    /// The HTTP status.
    pub status: u16,
    /// The response's headers.
    pub headers: reqwest::header::HeaderMap,
    /// The request id the server gave the call, if it sent one (see
    /// [`ClientBuilder::request_id_header`](crate::ClientBuilder::request_id_header)).
    pub request_id: Option<String>,
    /// The decoded answer.
    pub value: T,
}

impl<T> WithResponse<T> {
    /// A header's value, when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The request id in `headers`: the value of `configured` (a header the spec or the caller
/// names), else of `X-Request-Id`.
pub(crate) fn request_id(headers: &reqwest::header::HeaderMap, configured: Option<&str>) -> Option<String> {
    configured
        .into_iter()
        .chain(["x-request-id"])
        .find_map(|name| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned))
}
