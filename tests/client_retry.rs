//! Retries and timeouts over real HTTP on 127.0.0.1: which statuses and errors are retried, for
//! which methods, how `Retry-After` is honoured, how attempts and the deadline bound a call, and
//! that the attempt timeout ends silent attempts but not transfers that keep moving.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use alteryx_server::operations::{DownloadWorkflowPackageOptions, GetWorkflowsOptions};
use alteryx_server::types::CreateJobContract;
use alteryx_server::{Error, RetryPolicy, TimeoutKind};
use axum::body::Body;
use axum::response::Response;
use axum::routing::{get, post};
use support::{Count, builder, json, serve};

/// A server answering `/webapi/v3/workflows` (GET) and `/webapi/v3/workflows/w1/jobs` (POST)
/// from a script of responses, one per request (the last one repeats); counts requests.
async fn scripted(script: Vec<fn() -> Response>) -> (String, Count) {
    let count = Count::default();
    let script = Arc::new(script);
    let handler = {
        let count = count.clone();
        move || async move {
            let n = count.bump();
            script[(n - 1).min(script.len() - 1)]()
        }
    };
    let app = axum::Router::new()
        .route("/webapi/v3/workflows", get(handler.clone()))
        .route("/webapi/v3/workflows/{id}/jobs", post(handler));
    (serve(app).await, count)
}

fn ok_list() -> Response {
    json(200, r#"[{"id": "w1"}]"#)
}
fn ok_job() -> Response {
    json(200, r#"{"id": "j1"}"#)
}
fn unavailable() -> Response {
    json(503, r#"{"message": "busy"}"#)
}

/// A `status` answer asking the client to come back after `after`.
fn retry_after(status: u16, after: String) -> Response {
    let mut r = json(status, "{}");
    r.headers_mut().insert("retry-after", after.parse().unwrap());
    r
}

async fn list(client: &alteryx_server::Client) -> Result<Vec<alteryx_server::types::WorkflowSummary>, Error> {
    client.workflows().get_workflows(GetWorkflowsOptions::default()).await
}

#[tokio::test]
async fn transient_statuses_are_retried_for_idempotent_calls() {
    let too_many = || json(429, "{}");
    let bad_gateway = || json(502, "");
    let timeout = || json(504, "");
    let (base, count) = scripted(vec![unavailable, too_many, bad_gateway, timeout, ok_list]).await;
    let client = builder(&base).retry(RetryPolicy::default().max_attempts(5)).build().unwrap();
    let list = list(&client).await.unwrap();
    assert_eq!((list.len(), count.get()), (1, 5), "503, 429, 502, 504 retried, then the list");
}

#[tokio::test]
async fn attempts_are_bounded_and_the_last_answer_is_returned() {
    let (base, count) = scripted(vec![unavailable]).await;
    let client = builder(&base).retry(RetryPolicy::default().max_attempts(4)).build().unwrap();
    let err = list(&client).await.unwrap_err();
    assert_eq!((err.status(), count.get()), (Some(503), 4));
    let (base, count) = scripted(vec![unavailable]).await;
    let err = list(&builder(&base).retry(RetryPolicy::never()).build().unwrap()).await.unwrap_err();
    assert_eq!((err.status(), count.get()), (Some(503), 1));
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    for status in [400u16, 401, 404, 500, 501] {
        let (base, count) = scripted(vec![match status {
            400 => || json(400, "{}"),
            401 => || json(401, "{}"),
            404 => || json(404, "{}"),
            500 => || json(500, "{}"),
            _ => || json(501, "{}"),
        }])
        .await;
        let err = list(&builder(&base).build().unwrap()).await.unwrap_err();
        assert_eq!((err.status(), count.get()), (Some(status), 1), "{status}");
    }
}

#[tokio::test]
async fn post_is_retried_only_when_the_caller_opts_in() {
    let (base, count) = scripted(vec![unavailable, ok_job]).await;
    let client = builder(&base).build().unwrap();
    let err = client.jobs().create_job("w1", &CreateJobContract::new()).await.unwrap_err();
    assert_eq!((err.status(), count.get()), (Some(503), 1), "POST is not retried by default");

    let (base, count) = scripted(vec![unavailable, ok_job]).await;
    let client = builder(&base).build().unwrap();
    let opted_in = client.with_retry(RetryPolicy::default().retry_non_idempotent(true));
    let job = opted_in.jobs().create_job("w1", &CreateJobContract::new()).await.unwrap();
    assert_eq!((job.id.as_deref(), count.get()), (Some("j1"), 2));
}

#[tokio::test]
async fn retry_after_in_seconds_is_waited_for() {
    let slow_down = || retry_after(429, "1".into());
    let (base, count) = scripted(vec![slow_down, ok_list]).await;
    let started = Instant::now();
    list(&builder(&base).build().unwrap()).await.unwrap();
    assert_eq!(count.get(), 2);
    assert!(started.elapsed() >= Duration::from_secs(1), "waited {:?}", started.elapsed());
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_waited_for() {
    let come_back = || retry_after(503, httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2)));
    let (base, count) = scripted(vec![come_back, ok_list]).await;
    let started = Instant::now();
    list(&builder(&base).build().unwrap()).await.unwrap();
    assert_eq!(count.get(), 2);
    // The date has one-second resolution: at least one second is left of the two.
    assert!(started.elapsed() >= Duration::from_millis(1000), "waited {:?}", started.elapsed());
}

#[tokio::test]
async fn a_retry_after_beyond_the_policy_is_not_waited_for() {
    let much_later = || retry_after(503, "3600".into());
    let (base, count) = scripted(vec![much_later, ok_list]).await;
    let started = Instant::now();
    let err = list(&builder(&base).build().unwrap()).await.unwrap_err();
    assert_eq!((err.status(), count.get()), (Some(503), 1));
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[tokio::test]
async fn connection_failures_are_retried() {
    // A port with nothing listening yet; the server starts there while the client backs off.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}/webapi");
    let late_server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let app = axum::Router::new().route("/webapi/v3/workflows", get(|| async { ok_list() }));
        axum::serve(listener, app).await.unwrap();
    });
    let retry = RetryPolicy::default().max_attempts(5).backoff(Duration::from_millis(400), Duration::from_secs(1));
    let client = builder(&base).retry(retry).build().unwrap();
    assert_eq!(list(&client).await.unwrap().len(), 1);
    late_server.abort();

    let refused = builder(&base).retry(RetryPolicy::never()).build().unwrap();
    let err = list(&refused).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
}

/// A server that takes ten seconds to answer the workflow list.
async fn silent_server() -> String {
    let app = axum::Router::new().route(
        "/webapi/v3/workflows",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            ok_list()
        }),
    );
    serve(app).await
}

#[tokio::test]
async fn a_silent_server_times_the_attempt_out() {
    let client = builder(&silent_server().await).build().unwrap();
    let started = Instant::now();
    let err = list(&client.with_timeout(Some(Duration::from_millis(300)))).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { kind: TimeoutKind::Attempt, operation_id: "getWorkflows", .. }), "{err:?}");
    assert!(err.is_timeout());
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn the_deadline_bounds_the_whole_call() {
    let client = builder(&silent_server().await).build().unwrap();
    let err = list(&client.with_deadline(Some(Duration::from_millis(300)))).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { kind: TimeoutKind::Deadline, .. }), "{err:?}");

    // Retries stop when the next wait would pass the deadline; the last answer is returned.
    let wait_a_second = || retry_after(503, "1".into());
    let (base, count) = scripted(vec![wait_a_second]).await;
    let client = builder(&base).retry(RetryPolicy::default().max_attempts(10)).build().unwrap();
    let started = Instant::now();
    let err = list(&client.with_deadline(Some(Duration::from_millis(1500)))).await.unwrap_err();
    assert_eq!((err.status(), count.get()), (Some(503), 2));
    assert!(started.elapsed() < Duration::from_millis(1500));
}

/// A download of `chunks` chunks of 1 KiB, `gap` apart.
async fn trickling(chunks: usize, gap: Duration, stall_after: Option<usize>) -> String {
    let app = axum::Router::new().route(
        "/webapi/v3/workflows/{id}/package",
        get(move || async move {
            let stream = async_chunks(chunks, gap, stall_after);
            Response::builder()
                .header("content-type", "application/octet-stream")
                .body(Body::from_stream(stream))
                .unwrap()
        }),
    );
    serve(app).await
}

fn async_chunks(
    chunks: usize,
    gap: Duration,
    stall_after: Option<usize>,
) -> impl futures_core::Stream<Item = Result<bytes::Bytes, std::io::Error>> {
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    tokio::spawn(async move {
        for i in 0..chunks {
            if stall_after == Some(i) {
                tokio::time::sleep(Duration::from_secs(30)).await;
            }
            tokio::time::sleep(gap).await;
            if tx.send(Ok(bytes::Bytes::from(vec![b'x'; 1024]))).await.is_err() {
                return;
            }
        }
    });
    ReceiverStream(Mutex::new(rx))
}

struct ReceiverStream<T>(Mutex<tokio::sync::mpsc::Receiver<T>>);

impl<T> futures_core::Stream for ReceiverStream<T> {
    type Item = T;
    fn poll_next(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<T>> {
        self.0.lock().unwrap().poll_recv(cx)
    }
}

#[tokio::test]
async fn a_transfer_that_keeps_moving_outlives_the_attempt_timeout() {
    let base = trickling(12, Duration::from_millis(100), None).await;
    let client = builder(&base).timeout(Some(Duration::from_millis(400))).build().unwrap();
    let started = Instant::now();
    let download = client.workflows().download_workflow_package("w1", DownloadWorkflowPackageOptions::default());
    let body = download.await.unwrap().collect().await.unwrap();
    assert_eq!(body.len(), 12 * 1024);
    assert!(started.elapsed() > Duration::from_millis(1000), "the transfer took longer than the timeout");
}

#[tokio::test]
async fn a_transfer_that_stalls_times_out() {
    let base = trickling(12, Duration::from_millis(10), Some(3)).await;
    let client = builder(&base).timeout(Some(Duration::from_millis(400))).build().unwrap();
    let mut stream =
        client.workflows().download_workflow_package("w1", DownloadWorkflowPackageOptions::default()).await.unwrap();
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
