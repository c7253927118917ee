//! The client's defences, tried over real TCP on 127.0.0.1 against a server that misbehaves on
//! purpose: path values that would address another resource are refused before anything is
//! sent (a property test over arbitrary strings checks the raw request path), idempotent calls
//! are retried after a reset, a closed connection or a silent attempt, and errors say what
//! happened without the credentials.

mod support;

use std::time::Duration;

use client_runtime::mock::{MockServer, Reply};
use client_runtime::{Client, Error, RetryPolicy, TimeoutKind, TransportKind};
use serde_json::json;
use support::{CREATE, DOWNLOAD, GET, LIST, REMOVE_USER, builder_for, create, list, mock};

/// A client with a fixed bearer token and a 300 ms attempt timeout, for a mock that needs none.
async fn bearer_mock() -> (MockServer, Client) {
    let mock = mock().await;
    mock.tokens().required(false);
    let client = builder_for(mock.base_url())
        .bearer_token("the-bearer-token")
        .timeout(Some(Duration::from_millis(300)))
        .build()
        .unwrap();
    (mock, client)
}

fn paths(mock: &MockServer) -> Vec<String> {
    mock.received().iter().map(|r| format!("{} {}", r.method, r.path)).collect()
}

#[tokio::test]
async fn dot_segments_and_empty_ids_are_refused_before_anything_is_sent() {
    let (mock, client) = bearer_mock().await;
    mock.expect(&GET).reply(Reply::json(200, &json!({})));
    for bad in ["", ".", ".."] {
        let err = client.request(&GET, &[&bad]).send_json::<serde_json::Value>().await.unwrap_err();
        assert!(
            matches!(&err, Error::InvalidArgument { operation_id: "getItem", name, .. } if name == "id"),
            "{bad:?}: {err:?}"
        );
        assert!(err.to_string().contains("invalid `id`"), "{err}");
        let err = client.request(&REMOVE_USER, &[&"item-1", &bad]).send_empty().await.unwrap_err();
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "userId"), "{bad:?}: {err:?}");
        let err = client.request(&REMOVE_USER, &[&bad, &"user-1"]).send_empty().await.unwrap_err();
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "id"), "{bad:?}: {err:?}");
    }
    assert!(mock.received().is_empty(), "nothing may reach the server: {:?}", paths(&mock));
    // A value that only looks like one is sent, inside its segment.
    client.request(&GET, &[&"..."]).send_json::<serde_json::Value>().await.unwrap();
    assert_eq!(paths(&mock), ["GET /api/items/..."]);
}

/// Percent-decodes one path segment as a server does.
fn decode(segment: &str) -> Vec<u8> {
    let bytes = segment.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            out.push(u8::from_str_radix(&segment[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn any_string_is_refused_or_arrives_intact_in_its_own_segment() {
    use proptest::prelude::*;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (mock, client) = runtime.block_on(bearer_mock());
    mock.expect(&REMOVE_USER).reply(Reply::status(204));
    // Arbitrary text, weighted towards what URL parsers treat specially.
    let special = prop::sample::select(vec![
        ".", "..", "", "/", "%", "%2e", "%2E%2E", "?", "#", "\\", " ", "\t", "\n", "é", "\u{0}", ";", "@", ":", "+",
    ]);
    let piece = prop_oneof![any::<String>(), special.prop_map(str::to_string), "[a-z.]{0,3}"];
    let value = prop::collection::vec(piece, 0..4).prop_map(|parts| parts.concat());
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 400, ..ProptestConfig::default() });
    runner
        .run(&(value.clone(), value), |(item, user)| {
            mock.reset();
            mock.expect(&REMOVE_USER).reply(Reply::status(204));
            let result = runtime.block_on(client.request(&REMOVE_USER, &[&item, &user]).send_empty());
            let refused = |v: &str| matches!(v, "" | "." | "..");
            if refused(&item) || refused(&user) {
                prop_assert!(matches!(result, Err(Error::InvalidArgument { .. })), "{result:?}");
                prop_assert!(mock.received().is_empty());
                return Ok(());
            }
            prop_assert!(result.is_ok(), "{result:?}");
            let path = mock.received().pop().unwrap().path;
            let segments: Vec<&str> = path.split('/').collect();
            prop_assert_eq!(segments.len(), 6, "{}", path);
            prop_assert_eq!(&segments[..3], &["", "api", "items"]);
            prop_assert_eq!(segments[4], "users");
            prop_assert_eq!(decode(segments[3]), item.as_bytes().to_vec(), "{}", path);
            prop_assert_eq!(decode(segments[5]), user.as_bytes().to_vec(), "{}", path);
            Ok(())
        })
        .unwrap();
}

#[tokio::test]
async fn a_get_is_retried_after_a_reset_or_a_closed_connection() {
    for failure in [Reply::reset(), Reply::close()] {
        let (mock, client) = bearer_mock().await;
        mock.expect(&LIST).reply(failure).reply(Reply::json(200, &json!([{"id": "w1"}])));
        assert_eq!(list(&client).await.unwrap(), json!([{"id": "w1"}]));
        assert_eq!(mock.received().len(), 2);
    }
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_reset_unless_the_caller_opts_in() {
    let job = json!({"id": "job-1", "status": "Queued"});
    let (mock, client) = bearer_mock().await;
    mock.expect(&CREATE).reply(Reply::reset()).reply(Reply::json(200, &job));
    let err = create(&client).await.unwrap_err();
    assert_eq!(err.transport_kind(), Some(TransportKind::Reset), "{err:?}");
    assert_eq!(mock.received().len(), 1);

    let (mock, client) = bearer_mock().await;
    mock.expect(&CREATE).reply(Reply::reset()).reply(Reply::json(200, &job));
    let opted = client.with_retry(RetryPolicy::default().retry_non_idempotent(true));
    assert_eq!(create(&opted).await.unwrap(), job);
    assert_eq!(mock.received().len(), 2);
}

#[tokio::test]
async fn a_silent_attempt_of_a_get_is_retried_within_the_deadline() {
    let (mock, client) = bearer_mock().await;
    mock.expect(&LIST).reply(Reply::silent(Duration::from_secs(10))).reply(Reply::json(200, &json!([])));
    assert_eq!(list(&client).await.unwrap(), json!([]));
    assert_eq!(mock.received().len(), 2);

    // A POST that timed out may have been acted on: it is not sent again.
    let (mock, client) = bearer_mock().await;
    mock.expect(&CREATE).reply(Reply::silent(Duration::from_secs(10))).reply(Reply::json(200, &json!({})));
    let err = create(&client).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { kind: TimeoutKind::Attempt, .. }), "{err:?}");
    assert_eq!(mock.received().len(), 1);

    // The deadline still bounds the whole call: no attempt starts that cannot finish in time.
    let (mock, client) = bearer_mock().await;
    mock.expect(&LIST).reply(Reply::silent(Duration::from_secs(10)));
    let started = std::time::Instant::now();
    let err = list(&client.with_deadline(Some(Duration::from_millis(450)))).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert!(mock.received().len() <= 2, "{:?}", paths(&mock));
}

#[tokio::test]
async fn transport_errors_say_what_happened_without_secrets() {
    let mut shown = Vec::new();
    let (mock, client) = bearer_mock().await;
    let client = client.with_retry(RetryPolicy::never());
    mock.expect(&LIST).reply(Reply::reset()).reply(Reply::close());
    let err = list(&client).await.unwrap_err();
    shown.push(format!("{err} {err:?}"));
    assert_eq!(err.transport_kind(), Some(TransportKind::Reset), "{err:?}");
    let text = err.to_string();
    assert!(text.starts_with("listItems: the connection was reset before the server answered ("), "{text}");

    let err = list(&client).await.unwrap_err();
    assert_eq!(err.transport_kind(), Some(TransportKind::Closed), "{err:?}");
    shown.push(format!("{err} {err:?}"));
    assert!(err.to_string().contains("the connection closed before the server answered"), "{err}");

    // Nobody listens on a port that was just freed.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let nobody = builder_for(&format!("http://127.0.0.1:{port}/api")).retry(RetryPolicy::never()).build().unwrap();
    let err = list(&nobody).await.unwrap_err();
    assert_eq!(err.transport_kind(), Some(TransportKind::Connect), "{err:?}");
    assert!(err.to_string().contains("cannot connect to the server"), "{err}");

    // A body that ends early, read as JSON and as a download stream.
    let (mock, client) = bearer_mock().await;
    let cut = || Reply::bytes(200, "application/json", vec![b' '; 1000]).cut_after(9);
    mock.expect(&LIST).reply(cut());
    mock.expect(&DOWNLOAD).reply(cut());
    let err = list(&client).await.unwrap_err();
    assert_eq!(err.transport_kind(), Some(TransportKind::BodyCutShort { received: 9, expected: Some(1000) }));
    assert!(err.to_string().contains("the response body was cut short after 9 of 1000 bytes"), "{err}");
    shown.push(format!("{err} {err:?}"));
    let download = client.request(&DOWNLOAD, &[&"w1"]).send_stream().await.unwrap();
    let err = download.collect().await.unwrap_err();
    assert!(err.to_string().contains("cut short after 9 of 1000 bytes"), "{err}");
    shown.push(format!("{err} {err:?}"));
    for text in shown {
        assert!(!text.contains("the-bearer-token"), "{text}");
        assert!(!text.split(" Transport").next().unwrap().contains("error sending request"), "{text}");
    }
}
