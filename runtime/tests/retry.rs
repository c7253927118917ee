//! Retries and timeouts over real HTTP on 127.0.0.1: which statuses and errors are retried, for
//! which methods, how `Retry-After` is honoured, how attempts and the deadline bound a call, and
//! that the attempt timeout ends silent attempts but not transfers that keep moving.

mod support;

use std::time::{Duration, Instant, SystemTime};

use client_runtime::mock::{Reply, pattern};
use client_runtime::{Error, RetryPolicy, TimeoutKind};
use serde_json::json;
use support::{DOWNLOAD, LIST, builder, builder_for, create, list, mock, quick_retries};

fn ok_list() -> Reply {
    Reply::json(200, &json!([{"id": "w1"}]))
}

fn unavailable() -> Reply {
    Reply::json(503, &json!({"message": "busy"}))
}

#[tokio::test]
async fn transient_statuses_are_retried_for_idempotent_calls() {
    let mock = mock().await;
    mock.expect(&LIST)
        .reply(unavailable())
        .reply(Reply::json(429, &json!({})))
        .reply(Reply::status(502))
        .reply(Reply::status(504))
        .reply(ok_list());
    let client = builder(&mock).retry(quick_retries().max_attempts(5)).build().unwrap();
    assert_eq!(list(&client).await.unwrap(), json!([{"id": "w1"}]));
    assert_eq!(mock.received().len(), 5, "503, 429, 502, 504 retried, then the list");
}

#[tokio::test]
async fn attempts_are_bounded_and_the_last_answer_is_returned() {
    let mock = mock().await;
    mock.expect(&LIST).reply(unavailable());
    let err = list(&builder(&mock).retry(quick_retries().max_attempts(4)).build().unwrap()).await.unwrap_err();
    assert_eq!((err.status(), mock.received().len()), (Some(503), 4));
    let mock = support::mock().await;
    mock.expect(&LIST).reply(unavailable());
    let err = list(&builder(&mock).retry(RetryPolicy::never()).build().unwrap()).await.unwrap_err();
    assert_eq!((err.status(), mock.received().len()), (Some(503), 1));
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    for status in [400u16, 404, 500, 501] {
        let mock = mock().await;
        mock.expect(&LIST).reply(Reply::json(status, &json!({})));
        let err = list(&builder(&mock).build().unwrap()).await.unwrap_err();
        assert_eq!((err.status(), mock.received().len()), (Some(status), 1), "{status}");
    }
}

#[tokio::test]
async fn post_is_retried_only_when_the_caller_opts_in() {
    let mock = mock().await;
    mock.expect(&support::CREATE).reply(unavailable()).reply(Reply::json(200, &json!({"id": "j1"})));
    let client = builder(&mock).build().unwrap();
    let err = create(&client).await.unwrap_err();
    assert_eq!((err.status(), mock.received().len()), (Some(503), 1), "POST is not retried by default");
    let mock = support::mock().await;
    mock.expect(&support::CREATE).reply(unavailable()).reply(Reply::json(200, &json!({"id": "j1"})));
    let opted_in = builder(&mock).retry(quick_retries().retry_non_idempotent(true)).build().unwrap();
    assert_eq!(create(&opted_in).await.unwrap(), json!({"id": "j1"}));
    assert_eq!(mock.received().len(), 2);
}

#[tokio::test]
async fn retry_after_in_seconds_is_waited_for() {
    let mock = mock().await;
    mock.expect(&LIST).reply(Reply::json(429, &json!({})).retry_after(1)).reply(ok_list());
    let started = Instant::now();
    list(&builder(&mock).build().unwrap()).await.unwrap();
    assert_eq!(mock.received().len(), 2);
    assert!(started.elapsed() >= Duration::from_secs(1), "waited {:?}", started.elapsed());
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_waited_for() {
    let mock = mock().await;
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    mock.expect(&LIST).reply(Reply::json(503, &json!({})).header("retry-after", &date)).reply(ok_list());
    let started = Instant::now();
    list(&builder(&mock).build().unwrap()).await.unwrap();
    assert_eq!(mock.received().len(), 2);
    // The date has one-second resolution: at least one second is left of the two.
    assert!(started.elapsed() >= Duration::from_millis(1000), "waited {:?}", started.elapsed());
}

#[tokio::test]
async fn a_retry_after_beyond_the_policy_is_not_waited_for() {
    let mock = mock().await;
    mock.expect(&LIST).reply(Reply::json(503, &json!({})).retry_after(3600)).reply(ok_list());
    let started = Instant::now();
    let err = list(&builder(&mock).build().unwrap()).await.unwrap_err();
    assert_eq!((err.status(), mock.received().len()), (Some(503), 1));
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[tokio::test]
async fn connection_failures_are_retried() {
    // A port with nothing listening yet; a server starts there while the client backs off. Not
    // the mock server: its port is chosen when it starts, and what is tested is the time before
    // anything listens (connection refused), so a raw listener bound late on a known port.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}/api");
    let late_server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let (mut socket, _) = listener.accept().await.unwrap();
        support::read_request_head(&mut socket).await;
        let body = r#"[{"id":"w1"}]"#;
        let raw = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        tokio::io::AsyncWriteExt::write_all(&mut socket, raw.as_bytes()).await.unwrap();
    });
    let retry = RetryPolicy::default().max_attempts(5).backoff(Duration::from_millis(400), Duration::from_secs(1));
    let client = builder_for(&base).retry(retry).build().unwrap();
    assert_eq!(list(&client).await.unwrap(), json!([{"id": "w1"}]));
    late_server.await.unwrap();
    let refused = builder_for(&base).retry(RetryPolicy::never()).build().unwrap();
    let err = list(&refused).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
}

#[tokio::test]
async fn a_silent_server_times_the_attempt_out() {
    let mock = mock().await;
    mock.expect(&LIST).reply(ok_list().after(Duration::from_secs(10)));
    let client = builder(&mock).build().unwrap();
    let started = Instant::now();
    let err = list(&client.with_timeout(Some(Duration::from_millis(300)))).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { kind: TimeoutKind::Attempt, operation_id: "listItems", .. }), "{err:?}");
    assert!(err.is_timeout());
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn the_deadline_bounds_the_whole_call() {
    let mock = mock().await;
    mock.expect(&LIST).reply(ok_list().after(Duration::from_secs(10)));
    let client = builder(&mock).build().unwrap();
    let err = list(&client.with_deadline(Some(Duration::from_millis(300)))).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { kind: TimeoutKind::Deadline, .. }), "{err:?}");

    // Retries stop when the next wait would pass the deadline; the last answer is returned.
    let mock = support::mock().await;
    mock.expect(&LIST).reply(Reply::json(503, &json!({})).retry_after(1));
    let client = builder(&mock).retry(RetryPolicy::default().max_attempts(10)).build().unwrap();
    let started = Instant::now();
    let err = list(&client.with_deadline(Some(Duration::from_millis(1500)))).await.unwrap_err();
    assert_eq!((err.status(), mock.received().len()), (Some(503), 2));
    assert!(started.elapsed() < Duration::from_millis(1500));
}

#[tokio::test]
async fn a_transfer_that_keeps_moving_outlives_the_attempt_timeout() {
    let mock = mock().await;
    mock.expect(&DOWNLOAD)
        .reply(Reply::stream(200, "application/octet-stream", 12 * 1024).paced(1024, Duration::from_millis(100)));
    let client = builder(&mock).timeout(Some(Duration::from_millis(400))).build().unwrap();
    let started = Instant::now();
    let body = client.request(&DOWNLOAD, &[&"w1"]).send_stream().await.unwrap().collect().await.unwrap();
    assert_eq!(body.len(), 12 * 1024);
    assert!(body.iter().enumerate().all(|(i, b)| *b == pattern(i as u64)));
    assert!(started.elapsed() > Duration::from_millis(1000), "the transfer took longer than the timeout");
}

#[tokio::test]
async fn a_transfer_that_stalls_times_out() {
    let mock = mock().await;
    mock.expect(&DOWNLOAD).reply(
        Reply::stream(200, "application/octet-stream", 12 * 1024).paced(1024, Duration::from_millis(10)).stall_after(3),
    );
    let client = builder(&mock).timeout(Some(Duration::from_millis(400))).build().unwrap();
    let mut stream = client.request(&DOWNLOAD, &[&"w1"]).send_stream().await.unwrap();
    let mut received = 0;
    let err = loop {
        match stream.next_chunk().await {
            Some(Ok(chunk)) => received += chunk.len(),
            Some(Err(e)) => break e,
            None => panic!("the stalled body ended"),
        }
    };
    assert!(matches!(err, Error::Timeout { kind: TimeoutKind::Attempt, .. }), "{err:?}");
    assert!(received <= 3 * 1024, "{received}");
    assert!(stream.next_chunk().await.is_none(), "the stream ends after its error");
}
