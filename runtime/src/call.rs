//! What an operation's method returns: [`CallFuture`], which resolves to the decoded answer, or,
//! through [`CallFuture::with_response`], to the answer with the response's status and headers
//! ([`WithResponse`]), for every operation alike.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::error::Error;

/// The future of one call. Await it for the decoded answer; call [`CallFuture::with_response`]
/// first for the answer with the response's status and headers. It owns what it needs, so it can
/// be spawned or kept.
#[must_use = "a call does nothing unless it is awaited"]
pub struct CallFuture<T> {
    inner: Pin<Box<dyn Future<Output = Result<WithResponse<T>, Error>> + Send>>,
}

impl<T> fmt::Debug for CallFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CallFuture")
    }
}

impl<T> CallFuture<T> {
    pub(crate) fn new(call: impl Future<Output = Result<WithResponse<T>, Error>> + Send + 'static) -> Self {
        CallFuture { inner: Box::pin(call) }
    }

    /// The call's answer with the response's status and headers (a request id, a rate limit, a
    /// pagination link).
    pub fn with_response(self) -> impl Future<Output = Result<WithResponse<T>, Error>> + Send {
        self.inner
    }
}

impl<T> Future for CallFuture<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner.as_mut().poll(cx).map(|answer| answer.map(|a| a.value))
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
