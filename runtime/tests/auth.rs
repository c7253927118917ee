//! OAuth2 client credentials over real HTTP on 127.0.0.1, against the mock's token endpoint: the
//! token request, caching, refresh ahead of expiry, single flight under concurrency, 401 → new
//! token → retry, refused credentials; and that the secret and tokens never show in traces,
//! `Debug` or errors.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use client_runtime::mock::{MockServer, Reply};
use client_runtime::{Client, Error};
use serde_json::json;
use support::{LIST, builder_for, create, list, mock};

const SECRET: &str = "s3cr&t=+/ value";

fn oauth_client(mock: &MockServer) -> Client {
    builder_for(mock.base_url()).client_credentials("my-key", SECRET).build().unwrap()
}

/// The bearer tokens the operations received, in order.
fn bearers(mock: &MockServer) -> Vec<String> {
    mock.received().iter().filter_map(|r| r.header("authorization").map(str::to_owned)).collect()
}

#[tokio::test]
async fn the_token_is_fetched_once_with_the_credentials_and_sent_as_bearer() {
    let mock = mock().await;
    mock.expect(&LIST).reply(Reply::json(200, &json!([])));
    let client = oauth_client(&mock);
    for _ in 0..3 {
        list(&client).await.unwrap();
    }
    assert_eq!(mock.tokens().issued(), 1, "one token for three calls");
    let request = &mock.tokens().requests()[0];
    assert_eq!(request.content_type(), Some("application/x-www-form-urlencoded"));
    let form: serde_json::Value = request.form_body().unwrap();
    assert_eq!(form, json!({"grant_type": "client_credentials", "client_id": "my-key", "client_secret": SECRET}));
    assert_eq!(bearers(&mock), ["Bearer mock-token-1"; 3]);
}

#[tokio::test]
async fn the_token_is_replaced_ahead_of_its_expiry() {
    // Valid for 2 s: refreshed once half its life has passed.
    let mock = mock().await;
    mock.tokens().expires_in(Some(2));
    mock.expect(&LIST).reply(Reply::json(200, &json!([])));
    let client = oauth_client(&mock);
    list(&client).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    list(&client).await.unwrap();
    assert_eq!(mock.tokens().issued(), 2);
    assert_eq!(bearers(&mock), ["Bearer mock-token-1", "Bearer mock-token-2"], "no call was refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_wait_for_one_token_request() {
    let mock = mock().await;
    mock.tokens().delay(Duration::from_millis(200));
    mock.expect(&LIST).reply(Reply::json(200, &json!([])));
    let client = oauth_client(&mock);
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { list(&client).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(mock.tokens().issued(), 1, "single flight: twenty calls, one token request");
    assert_eq!(mock.received().len(), 20);
}

#[tokio::test]
async fn a_401_drops_the_token_fetches_a_new_one_and_retries_once() {
    let mock = mock().await;
    mock.expect(&LIST).reply(Reply::json(200, &json!([])));
    mock.expect(&support::CREATE).reply(Reply::json(200, &json!({"id": "j1"})));
    let client = oauth_client(&mock);
    list(&client).await.unwrap();
    mock.tokens().revoke();
    // Even a POST is sent again: a 401 means the server did not act on it.
    assert_eq!(create(&client).await.unwrap(), json!({"id": "j1"}));
    assert_eq!(mock.tokens().issued(), 2, "a new token was fetched after the 401");
    assert_eq!(bearers(&mock), ["Bearer mock-token-1", "Bearer mock-token-1", "Bearer mock-token-2"]);
}

#[tokio::test]
async fn a_second_401_is_returned_not_looped_on() {
    let mock = mock().await;
    mock.expect(&LIST).reply(Reply::json(401, &json!({"message": "no access"})));
    let err = list(&oauth_client(&mock)).await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!((mock.tokens().issued(), mock.received().len()), (2, 2), "one refresh, one retry, then the 401");
}

#[tokio::test]
async fn refused_credentials_are_an_auth_error_that_keeps_status_and_body_but_not_the_secret() {
    let mock = mock().await;
    mock.tokens().refuse_with(Some(Reply::json(401, &json!({"error": "invalid_client"}))));
    let client = oauth_client(&mock);
    let err = list(&client).await.unwrap_err();
    let Error::Auth(refusal) = &err else { panic!("expected an auth error, got {err:?}") };
    assert_eq!((refusal.status, refusal.operation_id), (401, "oauth2Token"));
    assert!(refusal.text().contains("invalid_client"));
    for shown in [format!("{err}"), format!("{err:?}"), format!("{client:?}")] {
        assert!(!shown.contains(SECRET) && !shown.contains("s3cr"), "{shown}");
    }
}

#[tokio::test]
async fn the_token_url_can_be_overridden() {
    let mock = mock().await;
    mock.tokens().at("/auth/token");
    mock.expect(&LIST).reply(Reply::json(200, &json!([])));
    let token_url = mock.base_url().replace("/api", "/auth/token");
    let client = builder_for(mock.base_url()).client_credentials("k", "s").token_url(token_url).build().unwrap();
    list(&client).await.unwrap();
    assert_eq!(mock.tokens().issued(), 1);
    let err = Client::builder("https://host/api").client_credentials("k", "s").token_url("http://host/t").build();
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
    // Other tests of this binary may have run calls with no subscriber, and callsites cache
    // that nobody listens: ask them again.
    tracing::callsite::rebuild_interest_cache();

    let mock = mock().await;
    mock.expect(&LIST).reply(Reply::json(200, &json!([])));
    let client = oauth_client(&mock);
    list(&client).await.unwrap();
    mock.tokens().revoke(); // force a 401 and a refresh
    list(&client).await.unwrap();
    let debug = format!("{client:?} {:?}", builder_for("http://x").client_credentials("k", SECRET));

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        // A client built by the runtime itself goes by its names; a generated crate's by its own.
        "client_runtime.request",
        "operation_id=\"listItems\"",
        "method=GET",
        "path=\"/items\"",
        "status=200",
        "attempt=",
        "latency_ms=",
        "client_runtime.token",
        "401: fetching a new access token",
        "client_runtime::request: 401",
    ] {
        assert!(log.contains(expected), "the trace lacks `{expected}`:\n{log}");
    }
    for secret in [SECRET, "s3cr", "mock-token-1", "mock-token-2"] {
        assert!(!log.contains(secret), "the trace shows `{secret}`:\n{log}");
        assert!(!debug.contains(secret), "Debug shows `{secret}`: {debug}");
    }
}
