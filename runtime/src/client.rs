//! `Client` and `ClientBuilder`: the base URL, the HTTP connection pool, the credentials, and the
//! retry and timeout settings (for the client, or for one call through `client.with_*`).

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use super::auth::{Auth, Secret, TokenSource};
use super::call::CallFuture;
use super::error::Error;
use super::intercept::{Interceptor, Interceptors};
use super::operation::{HttpMethod, Operation};
use super::params::ToParam;
use super::request::OperationRequest;
use super::retry::RetryPolicy;

/// What names a client after the crate it serves rather than the runtime: its user agent and its
/// tracing spans. A generated crate makes its own with [`client_names!`](crate::client_names).
#[doc(hidden)]
#[derive(Debug)]
pub struct ClientNames {
    /// `<package>/<version>`.
    pub user_agent: &'static str,
    /// The span of one call: `<crate>.request`, with the operation id, method and path template.
    pub request_span: fn(&'static str, &'static str, &'static str) -> tracing::Span,
    /// The span of one token fetch: `<crate>.token`, with the token URL.
    pub token_span: fn(&str) -> tracing::Span,
    /// The response header that carries a request id, when the spec names one.
    pub request_id_header: Option<&'static str>,
}

/// The runtime's own names, for a client built through [`Client::builder`].
static RUNTIME_NAMES: ClientNames = crate::client_names!();

/// The untyped core of every generated client. Cheap to clone: clones share one connection pool
/// and one cached access token.
///
/// A generated crate wraps it in its own `Client`, which adds the operations (such as
/// `client.workflows()`); build that one with its `Client::builder`.
/// [`Client::with_retry`], [`Client::with_timeout`] and [`Client::with_deadline`] give a copy
/// with other settings for the calls made through it.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    pub(crate) settings: Settings,
    pub(crate) extra: Arc<Extra>,
}

/// Headers and query parameters a copy of a client adds to every call made through it.
#[derive(Debug, Default)]
pub(crate) struct Extra {
    pub(crate) headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    pub(crate) query: Vec<(String, String)>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// The base URL without a trailing slash, e.g. `https://host/webapi`.
    pub(crate) base_url: String,
    pub(crate) auth: Auth,
    pub(crate) names: &'static ClientNames,
    pub(crate) interceptors: Interceptors,
    /// The response header that carries a request id, besides `X-Request-Id`.
    pub(crate) request_id_header: Option<String>,
}

/// What a call may spend: attempts, time per attempt, time in all.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    pub(crate) retry: RetryPolicy,
    /// The no-progress timeout of one attempt.
    pub(crate) timeout: Option<Duration>,
    /// The time a whole call may take, retries included.
    pub(crate) deadline: Option<Duration>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { retry: RetryPolicy::default(), timeout: Some(Duration::from_secs(60)), deadline: None }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth)
            .field("settings", &self.settings)
            .field("interceptors", &self.inner.interceptors)
            .finish()
    }
}

impl Client {
    /// Starts building a client for `base_url`, such as `https://my-server/webapi`
    /// (see the crate's `server_url` function for the spec's template).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url, &RUNTIME_NAMES)
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// This client with another retry policy, for the calls made through the copy.
    #[must_use]
    pub fn with_retry(&self, retry: RetryPolicy) -> Client {
        let mut copy = self.clone();
        copy.settings.retry = retry;
        copy
    }

    /// This client with another per-attempt timeout (`None`: none), for the calls made through the copy.
    #[must_use]
    pub fn with_timeout(&self, timeout: Option<Duration>) -> Client {
        let mut copy = self.clone();
        copy.settings.timeout = timeout;
        copy
    }

    /// This client with a deadline for each whole call, retries included (`None`: none), for the
    /// calls made through the copy: `client.with_deadline(Some(secs(5))).jobs().create_job(..)`.
    #[must_use]
    pub fn with_deadline(&self, deadline: Option<Duration>) -> Client {
        let mut copy = self.clone();
        copy.settings.deadline = deadline;
        copy
    }

    /// This client with a header added to every call made through the copy (one a proxy wants,
    /// a trace id). A name or value HTTP does not allow is refused here.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for an invalid header name or value.
    pub fn with_header(&self, name: &str, value: &str) -> Result<Client, Error> {
        let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| Error::Config(format!("header name `{name}`: {e}")))?;
        let value = reqwest::header::HeaderValue::from_str(value)
            .map_err(|e| Error::Config(format!("header `{name}`: {e}")))?;
        let mut extra = Extra { headers: self.extra.headers.clone(), query: self.extra.query.clone() };
        extra.headers.push((name, value));
        Ok(Client { extra: Arc::new(extra), ..self.clone() })
    }

    /// This client with a query parameter added to every call made through the copy (one the
    /// spec does not describe).
    #[must_use]
    pub fn with_query(&self, name: &str, value: &str) -> Client {
        let mut extra = Extra { headers: self.extra.headers.clone(), query: self.extra.query.clone() };
        extra.query.push((name.to_owned(), value.to_owned()));
        Client { extra: Arc::new(extra), ..self.clone() }
    }

    /// The request id in a response's headers.
    pub(crate) fn request_id(&self, headers: &reqwest::header::HeaderMap) -> Option<String> {
        super::call::request_id(headers, self.inner.request_id_header.as_deref())
    }

    /// What a token request needs of this client.
    pub(crate) fn token_context(&self) -> super::auth::TokenContext<'_> {
        super::auth::TokenContext {
            http: &self.inner.http,
            timeout: self.settings.timeout,
            interceptors: &self.inner.interceptors,
            request_id_header: self.inner.request_id_header.as_deref(),
        }
    }

    /// Sends `method` (`POST`) to `path` under the base URL (`/user/v2/inputfiles`) without a
    /// body, with the client's credentials, retry policy and interceptors, and returns the
    /// answer's status whatever it is: for diagnostics (does this server have that route, does
    /// it take this key?). The body of the answer is not read.
    ///
    /// # Errors
    ///
    /// No answer (a transport failure, a timeout), a refused token request, or a method HTTP
    /// does not have ([`Error::InvalidArgument`]).
    pub async fn probe(&self, method: &str, path: &str) -> Result<u16, Error> {
        let Some(probe) = PROBES.iter().find(|p| p.method.as_str() == method) else {
            return Err(Error::InvalidArgument {
                operation_id: "probe",
                name: "method".into(),
                reason: format!("`{method}` is not an HTTP method (GET, POST, ...)"),
            });
        };
        let path = format!("/{}", path.trim_start_matches('/'));
        match OperationRequest::new(self, probe, &[]).at(path).send_empty().with_response().await {
            Ok(answer) => Ok(answer.status),
            Err(Error::Api(e)) => Ok(e.status),
            Err(e) => Err(e),
        }
    }

    /// A page the server linked to (a `Link` header's `rel="next"`, an answer's `nextLink`),
    /// fetched as a call of `operation` and decoded as its answer: the same credentials, retries
    /// and timeouts, at the URL as given (relative links are read against the base URL). A link
    /// to another origin than the base URL's is refused with [`Error::InvalidArgument`] and
    /// nothing is sent, so that credentials never leave the API's server.
    pub fn follow<T: DeserializeOwned + Send + 'static>(
        &self,
        operation: &'static Operation,
        url: &str,
    ) -> CallFuture<T> {
        OperationRequest::following(self, operation, url).send_json()
    }

    /// A request for an operation; `values` fill its path's placeholders in order.
    #[doc(hidden)]
    pub fn request(&self, operation: &'static Operation, values: &[&dyn ToParam]) -> OperationRequest {
        OperationRequest::new(self, operation, values)
    }
}

/// The descriptors of [`Client::probe`]'s requests, one per method.
static PROBES: [Operation; 8] = [
    probe_of(HttpMethod::Get),
    probe_of(HttpMethod::Head),
    probe_of(HttpMethod::Options),
    probe_of(HttpMethod::Post),
    probe_of(HttpMethod::Put),
    probe_of(HttpMethod::Patch),
    probe_of(HttpMethod::Delete),
    probe_of(HttpMethod::Trace),
];

const fn probe_of(method: HttpMethod) -> Operation {
    Operation { id: "probe", method, template: "", path: &[] }
}

enum Credentials {
    None,
    Bearer(Secret),
    OAuth2 { client_id: String, client_secret: Secret },
}

/// Configures a client; `build` returns a `C`: the generated crate's own `Client`, or the
/// runtime's core [`Client`].
pub struct ClientBuilder<C = Client> {
    names: &'static ClientNames,
    builds: PhantomData<fn() -> C>,
    base_url: String,
    credentials: Credentials,
    token_url: Option<String>,
    settings: Settings,
    connect_timeout: Duration,
    allow_http: bool,
    /// A client certificate and its private key, PEM (mutual TLS).
    identity: Option<Secret>,
    /// Certificate authorities to trust besides the system's, PEM.
    roots: Vec<Vec<u8>>,
    interceptors: Interceptors,
    request_id_header: Option<String>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = match &self.credentials {
            Credentials::None => "none",
            Credentials::Bearer(_) => "bearer token <redacted>",
            Credentials::OAuth2 { .. } => "client credentials <redacted>",
        };
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &credentials)
            .field("token_url", &self.token_url)
            .field("settings", &self.settings)
            .field("allow_http", &self.allow_http)
            .field("client_certificate", &self.identity.as_ref().map(|_| "<redacted>"))
            .field("root_certificates", &self.roots.len())
            .field("interceptors", &self.interceptors)
            .field("request_id_header", &self.request_id_header)
            .finish()
    }
}

impl<C> ClientBuilder<C> {
    /// A builder for `base_url` whose client goes by `names`.
    #[doc(hidden)]
    pub fn new(base_url: impl Into<String>, names: &'static ClientNames) -> Self {
        ClientBuilder {
            names,
            builds: PhantomData,
            base_url: base_url.into(),
            credentials: Credentials::None,
            token_url: None,
            settings: Settings::default(),
            connect_timeout: Duration::from_secs(30),
            allow_http: false,
            identity: None,
            roots: Vec::new(),
            interceptors: Interceptors::default(),
            request_id_header: names.request_id_header.map(str::to_owned),
        }
    }

    /// Adds an interceptor: it sees every attempt of every call of the client, and every token
    /// request, before it is sent (and may change it) and when it ends. Interceptors run in the
    /// order they were added.
    #[must_use]
    pub fn interceptor(mut self, interceptor: impl Interceptor) -> Self {
        self.interceptors = self.interceptors.with(Arc::new(interceptor));
        self
    }

    /// The response header that carries the server's request id (besides `X-Request-Id`, which
    /// is always looked at): errors and [`WithResponse`](crate::WithResponse) report it. A
    /// generated crate starts with the one its spec declares, if any.
    #[must_use]
    pub fn request_id_header(mut self, name: impl Into<String>) -> Self {
        self.request_id_header = Some(name.into().to_ascii_lowercase());
        self
    }

    /// Sends `Authorization: Bearer <token>` with every request.
    #[must_use]
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Credentials::Bearer(Secret::new(token));
        self
    }

    /// Authenticates with OAuth2 client credentials: the API key and secret from the user's
    /// profile ("Keys"). The client fetches an access token from the token URL (by default
    /// `{base_url}/oauth2/token`), caches it, fetches a new one ahead of its expiry (one fetch at
    /// a time, however many calls wait), and once more if the server answers 401.
    #[must_use]
    pub fn client_credentials(mut self, api_key: impl Into<String>, api_secret: impl Into<String>) -> Self {
        self.credentials = Credentials::OAuth2 { client_id: api_key.into(), client_secret: Secret::new(api_secret) };
        self
    }

    /// The OAuth2 token URL, when it is not `{base_url}/oauth2/token`.
    #[must_use]
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// How failed attempts are retried (default: [`RetryPolicy::default`]).
    #[must_use]
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.settings.retry = retry;
        self
    }

    /// The per-attempt timeout (default 60 s; `None`: none). It is a no-progress timeout: it
    /// fires when that long passes without a byte of the upload sent, the response headers, or a
    /// byte of the body, so large transfers that keep moving are never cut short.
    #[must_use]
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// The time one whole call may take, retries and waits included (default: none).
    #[must_use]
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.settings.deadline = deadline;
        self
    }

    /// The time allowed to open a connection (default 30 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Allows a plain `http://` base URL and token URL. Only for tests and servers on
    /// localhost: credentials would travel in clear text.
    #[must_use]
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Presents a client certificate during the TLS handshake, for servers that ask for one
    /// (mutual TLS, an OpenAPI `mutualTLS` security scheme). `pem` holds the certificate (and any
    /// intermediates) and its private key, PKCS#8, PKCS#1 or SEC1, in one PEM text.
    #[must_use]
    pub fn client_certificate(mut self, pem: impl Into<String>) -> Self {
        self.identity = Some(Secret::new(pem));
        self
    }

    /// Trusts the certificate authorities in `pem` (one or more `CERTIFICATE` blocks) besides
    /// the system's: for servers whose certificate an in-house authority signed.
    #[must_use]
    pub fn root_certificates(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.roots.push(pem.into());
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for a base URL or token URL that is not `https://` (or `http://` when
    /// allowed), a client certificate or authority that cannot be read, or when the TLS stack
    /// cannot start.
    pub fn build(self) -> Result<C, Error>
    where
        C: From<Client>,
    {
        let base_url = self.base_url.trim_end_matches('/').to_string();
        let scheme_ok = |url: &str| url.starts_with("https://") || (self.allow_http && url.starts_with("http://"));
        if !scheme_ok(&base_url) {
            return Err(Error::Config(format!(
                "base URL `{base_url}` must start with https:// (http:// only with allow_insecure_http)"
            )));
        }
        let auth = match self.credentials {
            Credentials::None => Auth::None,
            Credentials::Bearer(token) => {
                token.bearer_header()?;
                Auth::Bearer(token)
            }
            Credentials::OAuth2 { client_id, client_secret } => {
                let token_url = self.token_url.unwrap_or_else(|| format!("{base_url}/oauth2/token"));
                if !scheme_ok(&token_url) {
                    return Err(Error::Config(format!(
                        "token URL `{token_url}` must start with https:// (http:// only with allow_insecure_http)"
                    )));
                }
                Auth::ClientCredentials(TokenSource::new(token_url, client_id, client_secret, self.names.token_span))
            }
        };
        let mut http = reqwest::Client::builder()
            .user_agent(self.names.user_agent)
            .https_only(!self.allow_http)
            .connect_timeout(self.connect_timeout);
        if let Some(pem) = &self.identity {
            let identity = reqwest::Identity::from_pem(pem.expose().as_bytes())
                .map_err(|e| Error::Config(format!("cannot read the client certificate: {e}")))?;
            http = http.identity(identity);
        }
        for pem in &self.roots {
            let certificates = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| Error::Config(format!("cannot read the root certificates: {e}")))?;
            if certificates.is_empty() {
                return Err(Error::Config("the root certificates hold no `CERTIFICATE` block".into()));
            }
            http = http.tls_certs_merge(certificates);
        }
        let http = http.build().map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        let inner = Arc::new(Inner {
            http,
            base_url,
            auth,
            names: self.names,
            interceptors: self.interceptors,
            request_id_header: self.request_id_header,
        });
        Ok(C::from(Client { inner, settings: self.settings, extra: Arc::default() }))
    }
}
