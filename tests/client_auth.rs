//! OAuth2 client credentials over real HTTP on 127.0.0.1: the token request, caching, refresh
//! ahead of expiry, single flight under concurrency, 401 → new token → retry, refused
//! credentials; and that the secret and tokens never show in traces, `Debug` or errors.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use alteryx_server::operations::GetWorkflowsOptions;
use alteryx_server::types::CreateJobContract;
use alteryx_server::{Client, Error};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use support::{Count, builder, form_pairs, json, serve};

/// A decoded form body.
type Form = Vec<(String, String)>;

const SECRET: &str = "s3cr&t=+/ value";

/// A server whose token endpoint hands out `token-1`, `token-2`... (each valid for
/// `expires_in` seconds, after `delay`), and whose API accepts only the newest token.
#[derive(Clone)]
struct AuthServer {
    issued: Count,
    api_calls: Count,
    forms: Arc<Mutex<Vec<Form>>>,
    seen_tokens: Arc<Mutex<Vec<String>>>,
    expires_in: u64,
    delay: Duration,
}

impl AuthServer {
    fn new(expires_in: u64, delay: Duration) -> Self {
        AuthServer {
            issued: Count::default(),
            api_calls: Count::default(),
            forms: Arc::default(),
            seen_tokens: Arc::default(),
            expires_in,
            delay,
        }
    }

    async fn start(&self) -> String {
        let token = {
            let s = self.clone();
            move |headers: HeaderMap, body: String| async move {
                assert_eq!(headers["content-type"], "application/x-www-form-urlencoded");
                tokio::time::sleep(s.delay).await;
                s.forms.lock().unwrap().push(form_pairs(&body));
                let n = s.issued.bump();
                json(
                    200,
                    &format!(
                        r#"{{"access_token": "token-{n}", "token_type": "bearer", "expires_in": {}}}"#,
                        s.expires_in
                    ),
                )
            }
        };
        let api = |ok: &'static str| {
            let s = self.clone();
            move |headers: HeaderMap| async move {
                s.api_calls.bump();
                let auth = headers.get("authorization").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
                s.seen_tokens.lock().unwrap().push(auth.clone());
                if auth == format!("Bearer token-{}", s.issued.get()) {
                    json(200, ok)
                } else {
                    json(401, r#"{"message": "token expired"}"#)
                }
            }
        };
        let app = axum::Router::new()
            .route("/webapi/oauth2/token", post(token))
            .route("/webapi/v3/workflows", get(api(r#"[{"id": "w1"}]"#)))
            .route("/webapi/v3/workflows/{id}/jobs", post(api(r#"{"id": "j1"}"#)));
        serve(app).await
    }
}

fn oauth_client(base: &str) -> Client {
    builder(base).client_credentials("my-key", SECRET).build().unwrap()
}

#[tokio::test]
async fn the_token_is_fetched_once_with_the_credentials_and_sent_as_bearer() {
    let server = AuthServer::new(3600, Duration::ZERO);
    let client = oauth_client(&server.start().await);
    for _ in 0..3 {
        client.workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap();
    }
    assert_eq!(server.issued.get(), 1, "one token for three calls");
    let form = server.forms.lock().unwrap()[0].clone();
    let expected = [("grant_type", "client_credentials"), ("client_id", "my-key"), ("client_secret", SECRET)];
    assert_eq!(form, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    assert!(server.seen_tokens.lock().unwrap().iter().all(|t| t == "Bearer token-1"));
}

#[tokio::test]
async fn the_token_is_replaced_ahead_of_its_expiry() {
    // Valid for 2 s: refreshed once half its life has passed.
    let server = AuthServer::new(2, Duration::ZERO);
    let client = oauth_client(&server.start().await);
    client.workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap();
    assert_eq!(server.issued.get(), 2);
    assert_eq!(server.api_calls.get(), 2, "no call was refused: the new token came before the old one expired");
    assert_eq!(*server.seen_tokens.lock().unwrap(), ["Bearer token-1", "Bearer token-2"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_wait_for_one_token_request() {
    let server = AuthServer::new(3600, Duration::from_millis(200));
    let client = oauth_client(&server.start().await);
    let calls = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.workflows().get_workflows(GetWorkflowsOptions::default()).await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(server.issued.get(), 1, "single flight: twenty calls, one token request");
    assert_eq!(server.api_calls.get(), 20);
}

#[tokio::test]
async fn a_401_drops_the_token_fetches_a_new_one_and_retries_once() {
    let server = AuthServer::new(3600, Duration::ZERO);
    let client = oauth_client(&server.start().await);
    client.workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap();
    // The server revokes token-1 behind the client's back (it now expects token-2).
    server.issued.bump();
    // Even a POST is sent again: a 401 means the server did not act on it.
    let job = client.jobs().create_job("w1", &CreateJobContract::new()).await.unwrap();
    assert_eq!(job.id.as_deref(), Some("j1"));
    assert_eq!(server.issued.get(), 3, "a new token was fetched after the 401");
    assert_eq!(*server.seen_tokens.lock().unwrap(), ["Bearer token-1", "Bearer token-1", "Bearer token-3"]);
}

#[tokio::test]
async fn a_second_401_is_returned_not_looped_on() {
    let issued = Count::default();
    let api_calls = Count::default();
    let app = axum::Router::new()
        .route(
            "/webapi/oauth2/token",
            post({
                let issued = issued.clone();
                move || async move { json(200, &format!(r#"{{"access_token": "t{}"}}"#, issued.bump())) }
            }),
        )
        .route(
            "/webapi/v3/workflows",
            get({
                let api_calls = api_calls.clone();
                move || async move {
                    api_calls.bump();
                    json(401, r#"{"message": "no access"}"#)
                }
            }),
        );
    let client = oauth_client(&serve(app).await);
    let err = client.workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!((issued.get(), api_calls.get()), (2, 2), "one refresh, one retry, then the 401 is returned");
}

#[tokio::test]
async fn refused_credentials_are_an_auth_error_that_keeps_status_and_body_but_not_the_secret() {
    let app = axum::Router::new()
        .route("/webapi/oauth2/token", post(|| async { json(401, r#"{"error": "invalid_client"}"#) }));
    let client = oauth_client(&serve(app).await);
    let err = client.workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap_err();
    let Error::Auth(refusal) = &err else { panic!("expected an auth error, got {err:?}") };
    assert_eq!((refusal.status, refusal.operation_id), (401, "oauth2Token"));
    assert!(refusal.text().contains("invalid_client"));
    for shown in [format!("{err}"), format!("{err:?}"), format!("{client:?}")] {
        assert!(!shown.contains(SECRET) && !shown.contains("s3cr"), "{shown}");
    }
}

#[tokio::test]
async fn the_token_url_can_be_overridden() {
    let issued = Count::default();
    let app = axum::Router::new()
        .route(
            "/auth/token",
            post({
                let issued = issued.clone();
                move || async move { json(200, &format!(r#"{{"access_token": "t{}"}}"#, issued.bump())) }
            }),
        )
        .route("/webapi/v3/workflows", get(|| async { json(200, "[]") }));
    let base = serve(app).await;
    let token_url = base.replace("/webapi", "/auth/token");
    let client = builder(&base).client_credentials("k", "s").token_url(token_url).build().unwrap();
    client.workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap();
    assert_eq!(issued.get(), 1);
    let err = Client::builder("https://host/webapi").client_credentials("k", "s").token_url("http://host/t").build();
    assert!(matches!(err, Err(Error::Config(_))), "a plain-http token URL needs the opt-in");
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn traces_name_the_call_and_never_the_secret_or_tokens() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer({
            let captured = captured.clone();
            move || captured.clone()
        })
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = AuthServer::new(3600, Duration::ZERO);
    let client = oauth_client(&server.start().await);
    client.workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap();
    server.issued.bump(); // force a 401 and a refresh
    client.workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap();
    let debug = format!("{client:?} {:?}", builder("http://x").client_credentials("k", SECRET));

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "alteryx_server.request",
        "operation_id=\"getWorkflows\"",
        "method=GET",
        "path=\"/v3/workflows\"",
        "status=200",
        "attempt=",
        "latency_ms=",
        "alteryx_server.token",
        "401: fetching a new access token",
        // The spans are the generated crate's, the events inside them the runtime's.
        "client_runtime::request: 401",
    ] {
        assert!(log.contains(expected), "the trace lacks `{expected}`:\n{log}");
    }
    for secret in [SECRET, "s3cr", "token-1", "token-3"] {
        assert!(!log.contains(secret), "the trace shows `{secret}`:\n{log}");
        assert!(!debug.contains(secret), "Debug shows `{secret}`: {debug}");
    }
}
