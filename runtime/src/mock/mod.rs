//! A mock server for tests of code that uses a generated client (the `mock` feature): a real HTTP
//! server on 127.0.0.1 that knows the crate's operations, answers what each test expects, and
//! records what it received. The real client talks to it, so credentials, retries, timeouts and
//! decoding run as they do against a server. Generated crates wrap it in typed expectations
//! (`mock.jobs().get_job().job_id("j1").respond(..)`); this module is their untyped core.
//!
//! - The OAuth2 token endpoint (`{base}/oauth2/token`) is answered for you, and every operation
//!   checks its bearer token ([`Tokens`]).
//! - A request resolves to its operation by method and path, then tries the expectations made
//!   for it in order: the first that matches and is not used up answers, with the next answer of
//!   its sequence (the last one repeats).
//! - A request nothing answers gets a `501` whose JSON body names the operation it resolved to
//!   and why each expectation of it did not match; it never hangs.
//! - [`MockServer::verify`] names every expectation whose [`Times`] was not met.

mod reply;
mod request;
mod rules;
mod server;

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;

pub use crate::params::Place;
pub use reply::{Reply, pattern};
pub use request::{Form, Part, Request};
pub use rules::{Rule, Times};

use crate::operation::Operation;
use rules::RuleState;

/// The base path operations are served under, so that clients join paths as they do against a
/// real server (`/webapi` on Alteryx Server).
const BASE_PATH: &str = "/api";

/// How much of a request body the server keeps (the rest is counted, see
/// [`Request::body_len`]), unless [`MockServer::keep_bodies_up_to`] says otherwise.
const BODY_LIMIT: usize = 32 << 20;

/// A mock server of a generated crate's operations, on 127.0.0.1. Dropping it leaves the
/// server running until the test's runtime ends.
#[derive(Clone)]
pub struct MockServer {
    shared: Arc<Shared>,
    base_url: String,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

pub(crate) struct Shared {
    operations: &'static [&'static Operation],
    base_path: String,
    body_limit: std::sync::atomic::AtomicUsize,
    rules: Mutex<Vec<Arc<RuleState>>>,
    received: Mutex<Vec<Request>>,
    tokens: Mutex<TokenState>,
}

/// The server's OAuth2 token endpoint and what it has issued.
struct TokenState {
    path: String,
    issued: usize,
    expires_in: Option<u64>,
    delay: Duration,
    refusal: Option<Reply>,
    required: bool,
    /// The only client credentials it accepts, when it was told (any, otherwise).
    credentials: Option<(String, String)>,
    /// Tokens issued before this one are no longer accepted.
    valid_from: usize,
    requests: Vec<Request>,
}

/// The key and secret the mock's own clients use ([`MockServer::client_credentials`]).
pub const MOCK_KEY: &str = "mock-key";
/// See [`MOCK_KEY`].
pub const MOCK_SECRET: &str = "mock-secret";

impl MockServer {
    /// Starts a server of `operations` (a generated crate passes all of its own) on a free port
    /// of 127.0.0.1.
    ///
    /// # Panics
    ///
    /// When no port of 127.0.0.1 can be bound (a test machine without loopback).
    pub async fn start(operations: &'static [&'static Operation]) -> MockServer {
        MockServer::start_under(operations, BASE_PATH).await
    }

    /// [`MockServer::start`], serving the operations under `base_path` (`/webapi`, as a real
    /// server would) instead of `/api`.
    ///
    /// # Panics
    ///
    /// As [`MockServer::start`].
    pub async fn start_under(operations: &'static [&'static Operation], base_path: &str) -> MockServer {
        let base_path = format!("/{}", base_path.trim_matches('/'));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("the mock server binds 127.0.0.1");
        let address = listener.local_addr().expect("a bound listener has an address");
        let shared = Arc::new(Shared {
            operations,
            base_path: base_path.clone(),
            body_limit: std::sync::atomic::AtomicUsize::new(BODY_LIMIT),
            rules: Mutex::new(Vec::new()),
            received: Mutex::new(Vec::new()),
            tokens: Mutex::new(TokenState {
                path: format!("{base_path}/oauth2/token"),
                issued: 0,
                expires_in: Some(3600),
                delay: Duration::ZERO,
                refusal: None,
                required: true,
                credentials: None,
                valid_from: 1,
                requests: Vec::new(),
            }),
        });
        tokio::spawn(server::serve(listener, shared.clone()));
        MockServer { shared, base_url: format!("http://{address}{base_path}") }
    }

    /// The base URL to build a client for (`http://127.0.0.1:PORT/api`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The key and secret the token endpoint accepts (any, in fact: it records them).
    pub fn client_credentials(&self) -> (&'static str, &'static str) {
        (MOCK_KEY, MOCK_SECRET)
    }

    /// Keeps at most `bytes` of each request body from now on (the rest is counted, see
    /// [`Request::body_len`]): for uploads larger than a test wants to hold.
    pub fn keep_bodies_up_to(&self, bytes: usize) {
        self.shared.body_limit.store(bytes, std::sync::atomic::Ordering::SeqCst);
    }

    /// A new expectation for `operation`, tried after the ones made before it.
    pub fn expect(&self, operation: &'static Operation) -> Rule {
        let mut rules = self.shared.rules.lock().unwrap();
        let state = Arc::new(RuleState::new(operation, rules.len() + 1));
        rules.push(state.clone());
        Rule { state }
    }

    /// The token endpoint's settings and what it issued.
    pub fn tokens(&self) -> Tokens<'_> {
        Tokens { shared: &self.shared }
    }

    /// Every request received, token requests apart, in order.
    pub fn received(&self) -> Vec<Request> {
        self.shared.received.lock().unwrap().clone()
    }

    /// The requests of one operation, in order.
    pub fn received_for(&self, operation: &Operation) -> Vec<Request> {
        self.received().into_iter().filter(|r| r.operation_id() == Some(operation.id)).collect()
    }

    /// `Ok` when every expectation was met as many times as it was to be; otherwise the
    /// expectations that were not, one per line, and the requests nothing answered.
    ///
    /// # Errors
    ///
    /// [`Unmet`], which lists them.
    pub fn verify(&self) -> Result<(), Unmet> {
        let mut lines: Vec<String> = self.shared.rules.lock().unwrap().iter().filter_map(|rule| rule.unmet()).collect();
        lines.extend(self.shared.received.lock().unwrap().iter().filter(|r| r.unmatched).map(|r| {
            format!(
                "{} {} was answered by no expectation ({})",
                r.method,
                r.path,
                r.operation_id().unwrap_or("no operation")
            )
        }));
        if lines.is_empty() { Ok(()) } else { Err(Unmet(lines)) }
    }

    /// Forgets every expectation and every request received.
    pub fn reset(&self) {
        self.shared.rules.lock().unwrap().clear();
        self.shared.received.lock().unwrap().clear();
    }
}

impl Shared {
    fn token_path(&self) -> String {
        self.tokens.lock().unwrap().path.clone()
    }

    fn record(&self, request: Request) {
        self.received.lock().unwrap().push(request);
    }

    /// The token endpoint: a new token `mock-token-N`, or the refusal it was told to give.
    fn token(&self, request: Request) -> Reply {
        let mut tokens = self.tokens.lock().unwrap();
        tokens.requests.push(request);
        if let Some(refusal) = &tokens.refusal {
            return refusal.clone();
        }
        if let Some((key, secret)) = &tokens.credentials {
            let form: serde_json::Value = tokens.requests.last().and_then(|r| r.form_body().ok()).unwrap_or_default();
            if form["client_id"] != key.as_str() || form["client_secret"] != secret.as_str() {
                return Reply::json(401, &serde_json::json!({"error": "invalid_client"}));
            }
        }
        tokens.issued += 1;
        let mut body =
            serde_json::json!({"access_token": format!("mock-token-{}", tokens.issued), "token_type": "bearer"});
        if let Some(seconds) = tokens.expires_in {
            body["expires_in"] = seconds.into();
        }
        Reply::json(200, &body).after(tokens.delay)
    }

    /// A 401 when the request does not carry a token the endpoint issued and still accepts.
    fn check_bearer(&self, request: &Request) -> Option<Reply> {
        let tokens = self.tokens.lock().unwrap();
        if !tokens.required {
            return None;
        }
        let number = request
            .header("authorization")
            .and_then(|v| v.strip_prefix("Bearer mock-token-"))
            .and_then(|n| n.parse::<usize>().ok());
        match number {
            Some(n) if n >= tokens.valid_from && n <= tokens.issued => None,
            Some(_) => Some(Reply::json(401, &serde_json::json!({"mock": "the access token was revoked"}))),
            None => Some(Reply::json(401, &serde_json::json!({"mock": "no access token from the mock's endpoint"}))),
        }
    }
}

/// The mock's OAuth2 token endpoint: `mock-token-1`, `mock-token-2`... are issued in turn.
pub struct Tokens<'a> {
    shared: &'a Shared,
}

impl Tokens<'_> {
    fn with<R>(&self, f: impl FnOnce(&mut TokenState) -> R) -> R {
        f(&mut self.shared.tokens.lock().unwrap())
    }

    /// How many tokens it issued.
    pub fn issued(&self) -> usize {
        self.with(|t| t.issued)
    }

    /// The token requests received (their form bodies hold the credentials).
    pub fn requests(&self) -> Vec<Request> {
        self.with(|t| t.requests.clone())
    }

    /// The lifetime it gives tokens (`expires_in`; `None`: it says nothing). Default 3600 s.
    pub fn expires_in(&self, seconds: Option<u64>) -> &Self {
        self.with(|t| t.expires_in = seconds);
        self
    }

    /// How long it takes to answer.
    pub fn delay(&self, delay: Duration) -> &Self {
        self.with(|t| t.delay = delay);
        self
    }

    /// Answers every token request with `reply` (credentials refused); `None` issues tokens again.
    pub fn refuse_with(&self, reply: Option<Reply>) -> &Self {
        self.with(|t| t.refusal = reply);
        self
    }

    /// Accepts only these client credentials (default: any): others get `401 invalid_client`.
    pub fn credentials(&self, key: &str, secret: &str) -> &Self {
        self.with(|t| t.credentials = Some((key.to_owned(), secret.to_owned())));
        self
    }

    /// Stops accepting every token issued so far: the next call gets a 401, and a client that
    /// fetches a new token gets through.
    pub fn revoke(&self) -> &Self {
        self.with(|t| t.valid_from = t.issued + 1);
        self
    }

    /// Whether operations need a token (default: yes). Off, requests without one are answered
    /// as the expectations say (for clients with a fixed bearer token, or none).
    pub fn required(&self, required: bool) -> &Self {
        self.with(|t| t.required = required);
        self
    }

    /// Where the endpoint is, a path from the server's root (default `/api/oauth2/token`).
    pub fn at(&self, path: &str) -> &Self {
        self.with(|t| t.path = path.to_owned());
        self
    }
}

/// The expectations [`MockServer::verify`] found unmet, one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmet(pub Vec<String>);

impl fmt::Display for Unmet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the mock server's expectations were not met:\n- {}", self.0.join("\n- "))
    }
}

impl std::error::Error for Unmet {}

/// A call of one operation, decoded from what the server received: its parameters and body in
/// the client's types. Generated crates implement it for one struct per operation.
pub trait Call: Sized + Send + Sync + 'static {
    /// The operation.
    const OPERATION: &'static Operation;
    /// The status a successful answer carries (the spec's first 2xx).
    const SUCCESS: u16;
    /// Decodes a request of the operation.
    ///
    /// # Errors
    ///
    /// What does not fit: the parameter or the body, and why.
    fn decode(request: &Request) -> Result<Self, String>;
}

/// What a successful answer of an operation carries, for [`Expectation`]: JSON of a type.
pub struct Json<T>(PhantomData<fn() -> T>);
/// A successful answer is text.
pub struct Text;
/// A successful answer is bytes (a download).
pub struct Binary;
/// A successful answer has no body.
pub struct Empty;

/// A typed expectation of one operation: a [`Rule`] whose matchers and answers speak in the
/// operation's call (`C`) and success (`S`: [`Json`], [`Text`], [`Binary`] or [`Empty`]).
/// Generated crates hand them out per operation, with a matcher per parameter; every method works
/// in place and returns the expectation, so they chain.
pub struct Expectation<C, S> {
    rule: Rule,
    types: PhantomData<fn(C) -> S>,
}

impl<C, S> fmt::Debug for Expectation<C, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.rule.fmt(f)
    }
}

impl<C: Call, S> Expectation<C, S> {
    /// A new expectation on `server`.
    pub fn new(server: &MockServer) -> Self {
        Expectation { rule: server.expect(C::OPERATION), types: PhantomData }
    }

    /// The untyped rule.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }

    /// Requests must be calls `check` accepts; `what` says what it looks for, in messages.
    pub fn when(&self, what: impl Into<String>, check: impl Fn(&C) -> bool + Send + Sync + 'static) -> &Self {
        self.rule.matching(what, move |request| {
            let call = C::decode(request)?;
            if check(&call) { Ok(()) } else { Err("a call it does not accept".to_owned()) }
        });
        self
    }

    /// One field of the call must be `expected` (a generated matcher per parameter uses it):
    /// `field` reads it, `name` names it in messages.
    pub fn field<V>(&self, name: &str, expected: V, field: impl Fn(&C) -> &V + Send + Sync + 'static) -> &Self
    where
        V: PartialEq + fmt::Debug + Send + Sync + 'static,
    {
        let what = format!("{name} {expected:?}");
        self.rule.matching(what, move |request| {
            let call = C::decode(request)?;
            let got = field(&call);
            if *got == expected { Ok(()) } else { Err(format!("{got:?}")) }
        });
        self
    }

    /// Adds an answer computed from each call to the sequence.
    pub fn respond_with(&self, answer: impl Fn(&C) -> Reply + Send + Sync + 'static) -> &Self {
        self.rule.reply_with(move |request| match C::decode(request) {
            Ok(call) => answer(&call),
            Err(why) => Reply::json(400, &serde_json::json!({"mock": format!("the call does not decode: {why}")})),
        });
        self
    }

    /// Adds `reply` (any status, or a fault: [`Reply::reset`], [`Reply::status`] with
    /// [`Reply::retry_after`]...) to the sequence.
    pub fn reply(&self, reply: Reply) -> &Self {
        self.rule.reply(reply);
        self
    }

    /// Adds `status` with `body` as JSON (a declared error response, say) to the sequence.
    pub fn respond_status<B: Serialize + ?Sized>(&self, status: u16, body: &B) -> &Self {
        self.rule.reply(Reply::json(status, body));
        self
    }

    /// How many times it may answer, and must have answered at `verify`.
    pub fn times(&self, times: Times) -> &Self {
        self.rule.times(times);
        self
    }

    /// How many calls it answered.
    pub fn hits(&self) -> usize {
        self.rule.hits()
    }
}

impl<C: Call, T: Serialize> Expectation<C, Json<T>> {
    /// Adds a successful answer of `value` (as JSON, with the operation's success status) to
    /// the sequence.
    pub fn respond(&self, value: T) -> &Self {
        self.rule.reply(Reply::json(C::SUCCESS, &value));
        self
    }

    /// Adds one successful answer per value, in order: a sequence (`Queued`, `Running`,
    /// `Completed`), the last repeated.
    pub fn respond_in_turn(&self, values: impl IntoIterator<Item = T>) -> &Self {
        for value in values {
            self.respond(value);
        }
        self
    }
}

impl<C: Call> Expectation<C, Text> {
    /// Adds a successful answer of `text` to the sequence.
    pub fn respond(&self, text: impl Into<String>) -> &Self {
        self.rule.reply(Reply::text(C::SUCCESS, text));
        self
    }
}

impl<C: Call> Expectation<C, Binary> {
    /// Adds a successful answer of `body` (`application/octet-stream`) to the sequence.
    pub fn respond(&self, body: impl Into<bytes::Bytes>) -> &Self {
        self.rule.reply(Reply::bytes(C::SUCCESS, "application/octet-stream", body));
        self
    }

    /// Adds a successful answer of `length` generated bytes ([`pattern`]), sent as the client
    /// reads: a download of any size in bounded memory.
    pub fn respond_stream(&self, length: u64) -> &Self {
        self.rule.reply(Reply::stream(C::SUCCESS, "application/octet-stream", length));
        self
    }
}

impl<C: Call> Expectation<C, Empty> {
    /// Adds a successful answer (the operation's success status, no body) to the sequence.
    pub fn respond(&self) -> &Self {
        self.rule.reply(Reply::status(C::SUCCESS));
        self
    }
}

/// The calls of one operation the server received, decoded; a request that does not decode is
/// left out.
pub fn received<C: Call>(server: &MockServer) -> Vec<C> {
    server.received_for(C::OPERATION).iter().filter_map(|r| C::decode(r).ok()).collect()
}

/// The retry policy of a mock's clients: the default, but waits of milliseconds, so that tests
/// of retries take no time.
pub fn test_retries() -> crate::RetryPolicy {
    crate::RetryPolicy::default().backoff(Duration::from_millis(5), Duration::from_millis(50))
}
