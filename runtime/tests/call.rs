//! The call in the caller's hands: interceptors that see (and change) every attempt and token
//! request, headers and query parameters added to every call of a client's copy, the status and
//! headers of a success (`with_response`), and errors that keep the response's headers and the
//! server's request id.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use client_runtime::mock::Reply;
use client_runtime::{Attempt, AttemptKind, AttemptOutcome, Error, Interceptor, OutgoingRequest};
use serde_json::json;
use support::{CREATE, GET, LIST, builder, list, mock};

/// Records every attempt it sees, and stamps each request with a header and a query parameter.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl Interceptor for Recorder {
    fn on_request(&self, request: &mut OutgoingRequest<'_>) {
        let attempt = *request.attempt();
        request.headers_mut().insert("x-attempt", attempt.number.to_string().parse().unwrap());
        if attempt.kind == AttemptKind::Call {
            request.append_query("traced", "yes");
        }
        self.0.lock().unwrap().push(format!("send {} #{} {:?}", attempt.operation_id, attempt.number, attempt.kind));
    }

    fn on_response(&self, attempt: &Attempt, outcome: AttemptOutcome<'_>, _elapsed: Duration) {
        let what = match outcome {
            AttemptOutcome::Response { status, .. } => status.to_string(),
            AttemptOutcome::Failed(error) => format!("failed: {:?}", error.transport_kind()),
            _ => "other".into(),
        };
        self.0.lock().unwrap().push(format!("done {} #{} {what}", attempt.operation_id, attempt.number));
    }
}

#[tokio::test]
async fn interceptors_see_and_change_every_attempt_and_token_request() {
    let mock = mock().await;
    mock.expect(&LIST)
        .reply(Reply::status(503).retry_after(0))
        .reply(Reply::reset())
        .reply(Reply::json(200, &json!([])));
    let recorder = Recorder::default();
    let client = builder(&mock).interceptor(recorder.clone()).build().unwrap();
    list(&client).await.unwrap();
    assert_eq!(
        *recorder.0.lock().unwrap(),
        [
            "send oauth2Token #1 Token",
            "done oauth2Token #1 200",
            "send listItems #1 Call",
            "done listItems #1 503",
            "send listItems #2 Call",
            "done listItems #2 failed: Some(Reset)",
            "send listItems #3 Call",
            "done listItems #3 200",
        ]
    );
    let received = mock.received();
    assert_eq!(received.len(), 3);
    for (n, request) in received.iter().enumerate() {
        assert_eq!(request.header("x-attempt"), Some((n + 1).to_string().as_str()));
        assert_eq!(request.query_values("traced").collect::<Vec<_>>(), ["yes"]);
    }
    assert_eq!(mock.tokens().requests()[0].header("x-attempt"), Some("1"), "the token request is seen too");
}

#[tokio::test]
async fn a_copy_adds_headers_and_query_parameters_to_every_call_through_it() {
    let mock = mock().await;
    mock.expect(&LIST).reply(Reply::json(200, &json!([])));
    let client = builder(&mock).build().unwrap();
    let tagged = client.with_header("x-tenant", "acme").unwrap().with_query("debug", "1");
    list(&tagged).await.unwrap();
    list(&client).await.unwrap();
    let received = mock.received();
    assert_eq!((received[0].header("x-tenant"), received[0].target.as_str()), (Some("acme"), "/api/items?debug=1"));
    assert_eq!(
        (received[1].header("x-tenant"), received[1].target.as_str()),
        (None, "/api/items"),
        "the original is as it was"
    );
    let err = client.with_header("bad name", "x").unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("bad name")), "{err:?}");
}

#[tokio::test]
async fn a_success_comes_with_its_status_headers_and_request_id() {
    let mock = mock().await;
    mock.expect(&GET)
        .reply(Reply::json(201, &json!({"id": "a"})).header("x-request-id", "req-1").header("x-rate-limit", "99"));
    let client = builder(&mock).build().unwrap();
    let answer = client.request(&GET, &[&"a"]).send_json::<serde_json::Value>().with_response().await.unwrap();
    assert_eq!((answer.status, &answer.value), (201, &json!({"id": "a"})));
    assert_eq!((answer.request_id.as_deref(), answer.header("x-rate-limit")), (Some("req-1"), Some("99")));
    let empty = client.request(&GET, &[&"a"]).send_empty().with_response().await.unwrap();
    assert_eq!(empty.status, 201);
    // A call that decodes JSON asks for it (a server that can also answer XML answers JSON);
    // one that does not decode JSON leaves the server free.
    let received = mock.received();
    assert_eq!(received[0].header("accept"), Some("application/json, */*;q=0.1"));
    assert_ne!(received[1].header("accept"), received[0].header("accept"));
}

#[tokio::test]
async fn errors_keep_the_response_headers_and_the_request_id() {
    let mock = mock().await;
    mock.expect(&LIST)
        .reply(Reply::json(404, &json!({"message": "gone"})).header("x-request-id", "req-404").header("x-why", "moved"))
        .reply(Reply::bytes(200, "application/json", "{").header("x-request-id", "req-bad"))
        .reply(Reply::json(200, &json!([])).header("x-correlation-id", "corr-7"));
    let client = builder(&mock).build().unwrap();
    let err = list(&client).await.unwrap_err();
    assert_eq!(err.request_id(), Some("req-404"));
    let api = err.as_api().unwrap();
    assert_eq!((api.header("x-why"), api.request_id.as_deref()), (Some("moved"), Some("req-404")));
    let err = client.request(&LIST, &[]).send_json::<Vec<u8>>().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(err.request_id(), Some("req-bad"), "a decoding error keeps it too");
    // A header the spec (or the caller) names is read first.
    let named = builder(&mock).request_id_header("X-Correlation-Id").build().unwrap();
    let answer = named.request(&LIST, &[]).send_json::<serde_json::Value>().with_response().await.unwrap();
    assert_eq!(answer.request_id.as_deref(), Some("corr-7"));
}

#[tokio::test]
async fn a_probe_returns_the_status_whatever_it_is_with_the_clients_credentials() {
    let mock = mock().await;
    mock.expect(&CREATE).reply(Reply::json(400, &json!({"message": "no file"})));
    let client = builder(&mock).build().unwrap();
    assert_eq!(client.probe("POST", "/items").await.unwrap(), 400);
    // A route the server does not have: its answer (the mock's 501 for the unknown), not an error.
    assert_eq!(client.probe("GET", "nothing/here").await.unwrap(), 501);
    let received = mock.received();
    assert_eq!(received[0].method, "POST");
    assert!(received[0].path.ends_with("/items") && received[0].body.is_empty(), "{:?}", received[0]);
    assert!(received[0].header("authorization").is_some_and(|a| a.starts_with("Bearer ")));
    assert_eq!(mock.tokens().requests().len(), 1);
    let err = client.probe("FETCH", "/items").await.unwrap_err();
    assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "method"), "{err:?}");
}
