//! `Client` and `ClientBuilder`: the base URL, the HTTP connection pool and the credentials.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::error::Error;
use super::request::OperationRequest;

/// An Alteryx Server API client. Cheap to clone: clones share one connection pool.
///
/// Build it with [`Client::builder`]; operations hang off accessors such as `client.workflows()`.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// The base URL without a trailing slash, e.g. `https://host/webapi`.
    pub(crate) base_url: String,
    pub(crate) bearer_token: Option<String>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("bearer_token", &self.inner.bearer_token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Client {
    /// Starts building a client for `base_url`, such as `https://my-server/webapi`
    /// (see the crate's `server_url` function for the spec's template).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            bearer_token: None,
            timeout: Some(Duration::from_secs(60)),
            allow_http: false,
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub(crate) fn request(
        &self,
        method: reqwest::Method,
        operation_id: &'static str,
        path: String,
    ) -> OperationRequest<'_> {
        OperationRequest::new(self, method, operation_id, path)
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    base_url: String,
    bearer_token: Option<String>,
    timeout: Option<Duration>,
    allow_http: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("bearer_token", &self.bearer_token.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

impl ClientBuilder {
    /// Sends `Authorization: Bearer <token>` with every request.
    #[must_use]
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// The timeout of one request, from sending to the end of the body (default 60 s; `None`: none).
    #[must_use]
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Allows a plain `http://` base URL. Only for tests and servers on localhost: credentials
    /// would travel in clear text.
    #[must_use]
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for a base URL that is not `https://` (or `http://` when allowed), or when
    /// the TLS stack cannot start.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.trim_end_matches('/').to_string();
        let scheme_ok = base_url.starts_with("https://") || (self.allow_http && base_url.starts_with("http://"));
        if !scheme_ok {
            return Err(Error::Config(format!(
                "base URL `{base_url}` must start with https:// (http:// only with allow_insecure_http)"
            )));
        }
        let mut http = reqwest::Client::builder()
            .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
            .https_only(!self.allow_http);
        if let Some(t) = self.timeout {
            http = http.timeout(t);
        }
        let http = http.build().map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Client { inner: Arc::new(Inner { http, base_url, bearer_token: self.bearer_token }) })
    }
}
