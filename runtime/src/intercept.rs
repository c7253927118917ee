//! Interceptors: code of the caller's that sees every attempt of every call of a client (and
//! every token request), may change the request before it leaves (headers, the URL's query), and
//! sees each attempt's response head or the failure that ended it: for headers a proxy wants,
//! logs, metrics. Retried attempts are seen one by one, with their number.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::error::Error;

/// What an attempt is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptKind {
    /// An operation's call.
    Call,
    /// A request for an OAuth2 access token (client credentials).
    Token,
}

/// One attempt of a call, or one token request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attempt {
    /// The operation (`oauth2Token` for a token request).
    pub operation_id: &'static str,
    /// A call's attempt, or a token request.
    pub kind: AttemptKind,
    /// The attempt's number within its call, from 1; a retry is 2 or more.
    pub number: u32,
    /// The HTTP method (`GET`).
    pub method: &'static str,
}

/// A request about to be sent, which an interceptor may change.
pub struct OutgoingRequest<'a> {
    pub(crate) attempt: Attempt,
    pub(crate) request: &'a mut reqwest::Request,
}

impl fmt::Debug for OutgoingRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutgoingRequest")
            .field("attempt", &self.attempt)
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

impl OutgoingRequest<'_> {
    /// The attempt it is.
    pub fn attempt(&self) -> &Attempt {
        &self.attempt
    }

    /// Its URL, query included.
    pub fn url(&self) -> &str {
        self.request.url().as_str()
    }

    /// Adds a query parameter.
    pub fn append_query(&mut self, name: &str, value: &str) {
        self.request.url_mut().query_pairs_mut().append_pair(name, value);
    }

    /// Its headers, to read or change (the `Authorization` header included: it is sensitive, and
    /// never shows in `Debug` output).
    pub fn headers_mut(&mut self) -> &mut reqwest::header::HeaderMap {
        self.request.headers_mut()
    }

    /// Its headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        self.request.headers()
    }
}

/// How an attempt ended.
#[derive(Debug)]
#[non_exhaustive]
pub enum AttemptOutcome<'a> {
    /// A response arrived: its status and headers (the body is read later, by the call).
    Response {
        /// The status.
        status: u16,
        /// The headers.
        headers: &'a reqwest::header::HeaderMap,
    },
    /// No response: the connection failed, or the attempt timed out.
    Failed(&'a Error),
}

/// Code that sees every attempt of a client's calls: see the module's docs. Both methods have
/// empty defaults; implement what is needed.
pub trait Interceptor: Send + Sync + 'static {
    /// Before each attempt and each token request is sent.
    fn on_request(&self, request: &mut OutgoingRequest<'_>) {
        let _ = request;
    }

    /// After each attempt and each token request, with how long it took to the response head.
    fn on_response(&self, attempt: &Attempt, outcome: AttemptOutcome<'_>, elapsed: Duration) {
        let _ = (attempt, outcome, elapsed);
    }
}

/// The interceptors of a client, in the order they were added.
#[derive(Clone, Default)]
pub(crate) struct Interceptors(pub(crate) Arc<Vec<Arc<dyn Interceptor>>>);

impl fmt::Debug for Interceptors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} interceptors", self.0.len())
    }
}

impl Interceptors {
    /// These and one more.
    pub(crate) fn with(&self, interceptor: Arc<dyn Interceptor>) -> Interceptors {
        let mut all: Vec<Arc<dyn Interceptor>> = self.0.as_ref().clone();
        all.push(interceptor);
        Interceptors(Arc::new(all))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn request(&self, attempt: Attempt, request: &mut reqwest::Request) {
        let mut outgoing = OutgoingRequest { attempt, request };
        for interceptor in self.0.iter() {
            interceptor.on_request(&mut outgoing);
        }
    }

    pub(crate) fn response(&self, attempt: &Attempt, outcome: &Result<&reqwest::Response, &Error>, elapsed: Duration) {
        for interceptor in self.0.iter() {
            let outcome = match outcome {
                Ok(response) => {
                    AttemptOutcome::Response { status: response.status().as_u16(), headers: response.headers() }
                }
                Err(error) => AttemptOutcome::Failed(error),
            };
            interceptor.on_response(attempt, outcome, elapsed);
        }
    }
}
