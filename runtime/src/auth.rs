//! Credentials: none, a fixed bearer token, or OAuth2 client credentials. A client-credentials
//! token is fetched on first use, cached, refreshed ahead of its `expires_in`, fetched by one
//! request at a time however many calls wait for it (single flight), and dropped after a 401.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::error::{ApiError, Error, MAX_ERROR_BODY};
use super::intercept::{Attempt, AttemptKind, Interceptors};

/// What a token request needs of its client besides the credentials.
pub(crate) struct TokenContext<'a> {
    pub(crate) http: &'a reqwest::Client,
    pub(crate) timeout: Option<Duration>,
    pub(crate) interceptors: &'a Interceptors,
    pub(crate) request_id_header: Option<&'a str>,
}

/// The operation name that token requests carry in errors and traces.
pub(crate) const TOKEN_OPERATION: &str = "oauth2Token";

/// How long before its expiry a token is replaced, at most.
const REFRESH_AHEAD: Duration = Duration::from_secs(60);

/// A string that never shows in `Debug` output, errors or traces.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// The `Authorization: Bearer` value, marked sensitive so that HTTP logging skips it.
    pub(crate) fn bearer_header(&self) -> Result<reqwest::header::HeaderValue, Error> {
        let mut value = reqwest::header::HeaderValue::from_str(&format!("Bearer {}", self.0))
            .map_err(|_| Error::Config("the bearer token holds characters not allowed in a header".into()))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How requests are authenticated.
#[derive(Debug)]
pub(crate) enum Auth {
    None,
    Bearer(Secret),
    ClientCredentials(TokenSource),
}

/// OAuth2 client credentials and the token they were last exchanged for.
pub(crate) struct TokenSource {
    pub(crate) token_url: String,
    span: fn(&str) -> tracing::Span,
    client_id: String,
    client_secret: Secret,
    cached: Mutex<Option<Token>>,
}

#[derive(Clone)]
struct Token {
    value: Secret,
    /// When to fetch a new one; `None` when the server gave no `expires_in`.
    refresh_at: Option<Instant>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .finish_non_exhaustive()
    }
}

impl TokenSource {
    pub(crate) fn new(
        token_url: String,
        client_id: String,
        client_secret: Secret,
        span: fn(&str) -> tracing::Span,
    ) -> Self {
        TokenSource { token_url, span, client_id, client_secret, cached: Mutex::new(None) }
    }

    /// A valid token: the cached one, or a new one. Concurrent callers wait on one fetch.
    pub(crate) async fn token(&self, context: TokenContext<'_>) -> Result<Secret, Error> {
        let mut cached = self.cached.lock().await;
        if let Some(token) = cached.as_ref()
            && token.refresh_at.is_none_or(|at| Instant::now() < at)
        {
            return Ok(token.value.clone());
        }
        let span = (self.span)(&self.token_url);
        let fresh = tracing::Instrument::instrument(self.fetch(context), span).await?;
        let value = fresh.value.clone();
        *cached = Some(fresh);
        Ok(value)
    }

    /// Forgets `stale` after the server refused it, unless another call already replaced it.
    pub(crate) async fn invalidate(&self, stale: &Secret) {
        let mut cached = self.cached.lock().await;
        if cached.as_ref().is_some_and(|t| &t.value == stale) {
            *cached = None;
        }
    }

    async fn fetch(&self, context: TokenContext<'_>) -> Result<Token, Error> {
        let TokenContext { http, timeout, interceptors, request_id_header } = context;
        let form = format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            super::params::form_encode(&self.client_id),
            super::params::form_encode(self.client_secret.expose()),
        );
        let mut request = http
            .post(&self.token_url)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(form);
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
        let mut request =
            request.build().map_err(|e| Error::Encode { operation_id: TOKEN_OPERATION, message: e.to_string() })?;
        let attempt = Attempt { operation_id: TOKEN_OPERATION, kind: AttemptKind::Token, number: 1, method: "POST" };
        interceptors.request(attempt, &mut request);
        let started = Instant::now();
        let sent = http.execute(request).await.map_err(|source| Error::sending(TOKEN_OPERATION, source));
        interceptors.response(&attempt, &sent.as_ref(), started.elapsed());
        let response = sent?;
        let status = response.status();
        if !status.is_success() {
            let content_type =
                response.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let headers = response.headers().clone();
            let request_id = super::call::request_id(&headers, request_id_header);
            let body = super::read::read_bounded(response, MAX_ERROR_BODY).await;
            tracing::warn!(status = status.as_u16(), "the token endpoint refused the client credentials");
            return Err(Error::Auth(Box::new(ApiError {
                operation_id: TOKEN_OPERATION,
                status: status.as_u16(),
                content_type,
                body,
                headers,
                request_id,
            })));
        }
        let expected = response.content_length();
        let body = response.bytes().await.map_err(|source| Error::reading(TOKEN_OPERATION, source, 0, expected))?;
        #[derive(serde::Deserialize)]
        struct TokenResponse {
            access_token: String,
            expires_in: Option<u64>,
        }
        // The body holds the token: a decoding error must not keep it.
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|e| Error::Decode {
            operation_id: TOKEN_OPERATION,
            status: status.as_u16(),
            path: ".".into(),
            message: format!("not an OAuth2 token response ({})", json_error_kind(&e)),
            body: Bytes::new(),
            request_id: None,
        })?;
        let refresh_at = parsed.expires_in.map(|secs| {
            let lifetime = Duration::from_secs(secs);
            Instant::now() + lifetime - REFRESH_AHEAD.min(lifetime / 2)
        });
        tracing::debug!(expires_in = parsed.expires_in, "fetched an access token");
        Ok(Token { value: Secret::new(parsed.access_token), refresh_at })
    }
}

/// A word for a serde_json error's kind, without its text (which may quote the input).
fn json_error_kind(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Io => "I/O error",
        serde_json::error::Category::Syntax => "invalid JSON",
        serde_json::error::Category::Data => "missing or mistyped `access_token`",
        serde_json::error::Category::Eof => "truncated JSON",
    }
}
