//! Uploads, downloads and odd responses over real HTTP on 127.0.0.1: a file streamed as a
//! multipart part and sent again on a retry, a one-shot stream sent once, a download larger than
//! any buffer written to a file in small chunks, a download cut short, bodies of the wrong type or
//! truncated, unknown enum values, pages, the User-Agent.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use alteryx_server::operations::{DownloadWorkflowPackageOptions, GetWorkflowJobsOptions};
use alteryx_server::types::{
    ExecutionMode, JobStatus, UploadWorkflowRequest, UploadWorkflowRequestRequired, WorkflowCredentialType,
};
use alteryx_server::{Error, FilePart, RetryPolicy};
use axum::body::Body;
use axum::extract::Request;
use axum::http::HeaderMap;
use axum::http::Uri;
use axum::response::Response;
use axum::routing::{get, post};
use support::{Count, builder, form_pairs, json, multipart_parts, reply, scratch, serve, serve_raw};

/// A request as the upload endpoint received it: headers and whole body.
type Received = Arc<Mutex<Vec<(HeaderMap, bytes::Bytes)>>>;

/// An upload endpoint that answers `statuses` in turn (the last repeats).
async fn upload_server(statuses: &'static [u16]) -> (String, Received, Count) {
    let received = Received::default();
    let count = Count::default();
    let handler = {
        let (received, count) = (received.clone(), count.clone());
        move |request: Request| async move {
            let n = count.bump();
            let (parts, body) = request.into_parts();
            let body = axum::body::to_bytes(body, 256 << 20).await.unwrap();
            received.lock().unwrap().push((parts.headers, body));
            let status = statuses[(n - 1).min(statuses.len() - 1)];
            json(status, r#""new-id""#)
        }
    };
    (serve(axum::Router::new().route("/webapi/v3/workflows", post(handler))).await, received, count)
}

fn upload(file: FilePart) -> UploadWorkflowRequest {
    UploadWorkflowRequest::new(UploadWorkflowRequestRequired {
        file,
        name: "Flow".into(),
        owner_id: "owner".into(),
        is_public: false,
        is_ready_for_migration: true,
        others_may_download: true,
        others_can_execute: false,
        execution_mode: ExecutionMode::Standard,
        workflow_credential_type: WorkflowCredentialType::Default,
    })
}

/// A 3 MiB file of varied bytes.
fn package_file(name: &str) -> (std::path::PathBuf, Vec<u8>) {
    let data: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let path = scratch(name);
    std::fs::write(&path, &data).unwrap();
    (path, data)
}

#[tokio::test]
async fn a_file_is_streamed_as_its_part_with_name_type_and_length() {
    let (base, received, _) = upload_server(&[200]).await;
    let (path, data) = package_file("flow.yxzp");
    let client = builder(&base).build().unwrap();
    let id = client.workflows().upload_workflow(upload(FilePart::from_path(&path))).await.unwrap();
    assert_eq!(id, "new-id");
    let (headers, body) = received.lock().unwrap()[0].clone();
    let content_type = headers["content-type"].to_str().unwrap();
    assert_eq!(
        headers["content-length"].to_str().unwrap().parse::<usize>().unwrap(),
        body.len(),
        "the form's length is declared up front, not chunked"
    );
    let parts = multipart_parts(content_type, body).await;
    let file = parts.iter().find(|p| p.0 == "file").unwrap();
    let expected_name = path.file_name().unwrap().to_str().unwrap();
    assert_eq!(file.1.as_deref(), Some(expected_name));
    assert_eq!(file.2.as_deref(), Some("application/octet-stream"));
    assert!(file.3 == data, "the file arrives whole and unchanged");
    let text = |name: &str| parts.iter().find(|p| p.0 == name).map(|p| String::from_utf8_lossy(&p.3).into_owned());
    assert_eq!(text("isPublic").as_deref(), Some("false"));
    assert_eq!(text("isReadyForMigration").as_deref(), Some("true"));
    assert_eq!(text("executionMode").as_deref(), Some("Standard"));
}

#[tokio::test]
async fn a_file_upload_is_read_again_when_a_post_is_retried_by_opt_in() {
    let (base, received, count) = upload_server(&[503, 200]).await;
    let (path, data) = package_file("retried.yxzp");
    let client = builder(&base).retry(RetryPolicy::default().retry_non_idempotent(true)).build().unwrap();
    let file = FilePart::from_path(&path).content_type("application/zip");
    client.workflows().upload_workflow(upload(file)).await.unwrap();
    assert_eq!(count.get(), 2);
    let attempts = received.lock().unwrap().clone();
    for (headers, body) in attempts {
        let parts = multipart_parts(headers["content-type"].to_str().unwrap(), body).await;
        let file = parts.iter().find(|p| p.0 == "file").unwrap();
        assert_eq!(file.2.as_deref(), Some("application/zip"));
        assert!(file.3 == data, "each attempt sends the whole file");
    }
}

#[tokio::test]
async fn a_one_shot_stream_is_sent_once_even_with_retries_allowed() {
    let (base, received, count) = upload_server(&[503, 200]).await;
    let client = builder(&base).retry(RetryPolicy::default().retry_non_idempotent(true)).build().unwrap();
    let (reader, mut writer) = tokio::io::duplex(64 * 1024);
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        for _ in 0..64 {
            writer.write_all(&[7u8; 16 * 1024]).await.unwrap();
        }
    });
    let file = FilePart::from_reader("streamed.yxzp", reader, None);
    let err = client.workflows().upload_workflow(upload(file)).await.unwrap_err();
    assert_eq!((err.status(), count.get()), (Some(503), 1));
    let (headers, body) = received.lock().unwrap()[0].clone();
    let parts = multipart_parts(headers["content-type"].to_str().unwrap(), body).await;
    let file = parts.iter().find(|p| p.0 == "file").unwrap();
    assert_eq!((file.1.as_deref(), file.3.len()), (Some("streamed.yxzp"), 1024 * 1024));
}

#[tokio::test]
async fn a_missing_file_is_an_io_error_that_names_it() {
    let (base, _, count) = upload_server(&[200]).await;
    let client = builder(&base).build().unwrap();
    let err = client.workflows().upload_workflow(upload(FilePart::from_path("/no/such/flow.yxzp"))).await.unwrap_err();
    assert!(matches!(&err, Error::Io { operation_id: "uploadWorkflow", .. }), "{err:?}");
    assert!(err.to_string().contains("/no/such/flow.yxzp"), "{err}");
    assert_eq!(count.get(), 0, "nothing was sent");
}

/// A download endpoint streaming `size` bytes (byte `i` is `i % 253`) in 64 KiB chunks.
async fn download_server(size: u64) -> String {
    let app = axum::Router::new().route(
        "/webapi/v3/workflows/{id}/package",
        get(move || async move {
            let (tx, rx) = tokio::sync::mpsc::channel::<Result<bytes::Bytes, std::io::Error>>(4);
            tokio::spawn(async move {
                let mut sent = 0u64;
                while sent < size {
                    let n = (size - sent).min(64 * 1024);
                    let chunk: Vec<u8> = (sent..sent + n).map(|i| (i % 253) as u8).collect();
                    if tx.send(Ok(chunk.into())).await.is_err() {
                        return;
                    }
                    sent += n;
                }
            });
            Response::builder()
                .header("content-type", "application/octet-stream")
                .header("content-length", size)
                .body(Body::from_stream(Receiver(rx)))
                .unwrap()
        }),
    );
    serve(app).await
}

struct Receiver<T>(tokio::sync::mpsc::Receiver<T>);

impl<T> futures_core::Stream for Receiver<T> {
    type Item = T;
    fn poll_next(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<T>> {
        self.0.poll_recv(cx)
    }
}

#[tokio::test]
async fn a_large_download_arrives_in_small_chunks_and_is_written_to_a_file() {
    const SIZE: u64 = 96 * 1024 * 1024;
    let base = download_server(SIZE).await;
    let client = builder(&base).build().unwrap();
    let options = || DownloadWorkflowPackageOptions::default();

    let mut stream = client.workflows().download_workflow_package("w1", options()).await.unwrap();
    assert_eq!(stream.content_length(), Some(SIZE));
    let (mut total, mut largest, mut position_ok) = (0u64, 0usize, true);
    while let Some(chunk) = stream.next_chunk().await {
        let chunk = chunk.unwrap();
        position_ok &= chunk.iter().enumerate().all(|(i, b)| *b == ((total + i as u64) % 253) as u8);
        total += chunk.len() as u64;
        largest = largest.max(chunk.len());
    }
    assert_eq!(total, SIZE);
    assert!(position_ok, "every byte arrives in order");
    assert!(largest <= 1024 * 1024, "chunks stay small ({largest} bytes): the body is never held whole");

    let path = scratch("package.yxzp");
    let stream = client.workflows().download_workflow_package("w1", options()).await.unwrap();
    assert_eq!(stream.save_to_file(&path).await.unwrap(), SIZE);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), SIZE);
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn a_download_cut_short_is_a_transport_error_and_leaves_no_file() {
    let mut raw =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 10485760\r\n\r\n".to_vec();
    raw.extend(std::iter::repeat_n(b'x', 1024 * 1024));
    let base = serve_raw(raw).await;
    let client = builder(&base).build().unwrap();
    let stream =
        client.workflows().download_workflow_package("w1", DownloadWorkflowPackageOptions::default()).await.unwrap();
    let path = scratch("cut-short.yxzp");
    let err = stream.save_to_file(&path).await.unwrap_err();
    assert!(matches!(err, Error::Transport { operation_id: "downloadWorkflowPackage", .. }), "{err:?}");
    assert!(!path.exists(), "no truncated file under the real name");
    assert!(!path.with_extension("yxzp.part").exists(), "the partial file is removed");
}

#[tokio::test]
async fn a_json_body_cut_short_is_a_typed_error() {
    let raw = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"id\": \"w1\", \"na"
        .to_vec();
    let client = builder(&serve_raw(raw).await).build().unwrap();
    let err = client.workflows().get_workflow("w1").await.unwrap_err();
    assert!(matches!(err, Error::Transport { operation_id: "getWorkflow", .. }), "{err:?}");
}

#[tokio::test]
async fn a_body_of_the_wrong_type_or_empty_is_a_typed_error() {
    let app = axum::Router::new()
        .route("/webapi/v3/workflows/html", get(|| async { reply(200, "text/html", "<html>login</html>") }))
        .route("/webapi/v3/workflows/empty", get(|| async { reply(200, "application/json", "") }))
        .route("/webapi/v3/workflows/problem", get(|| async { reply(200, "application/problem+json", "{}") }));
    let client = builder(&serve(app).await).build().unwrap();
    let err = client.workflows().get_workflow("html").await.unwrap_err();
    match &err {
        Error::ContentType { status: 200, content_type: Some(ct), body, .. } => {
            assert_eq!(ct, "text/html");
            assert_eq!(body.as_ref(), b"<html>login</html>");
        }
        other => panic!("expected a content-type error, got {other:?}"),
    }
    let err = client.workflows().get_workflow("empty").await.unwrap_err();
    assert!(matches!(&err, Error::Decode { path, .. } if path == "."), "{err:?}");
    assert!(client.workflows().get_workflow("problem").await.is_ok(), "+json types are JSON");
}

#[tokio::test]
async fn an_unknown_enum_value_is_kept_and_sent_back_unchanged() {
    let app = axum::Router::new().route(
        "/webapi/v3/workflows/{id}/jobs",
        get(|| async { json(200, r#"[{"id": "j1", "status": "Suspended"}, {"id": "j2", "status": "Completed"}]"#) }),
    );
    let client = builder(&serve(app).await).build().unwrap();
    let jobs = client.jobs().get_workflow_jobs("w1", GetWorkflowJobsOptions::default()).await.unwrap();
    assert_eq!(jobs[0].status, Some(JobStatus::Unknown("Suspended".into())));
    assert_eq!(jobs[1].status, Some(JobStatus::Completed));
    assert_eq!(serde_json::to_value(&jobs[0]).unwrap()["status"], "Suspended");
}

#[tokio::test]
async fn pages_are_fetched_until_a_short_one() {
    let requests = Arc::new(Mutex::new(Vec::new()));
    let app = axum::Router::new().route(
        "/webapi/v3/workflows/{id}/jobs",
        get({
            let requests = requests.clone();
            move |uri: Uri| async move {
                let q = query(&uri);
                let offset: usize = q["offset"].parse().unwrap();
                let limit: usize = q["limit"].parse().unwrap();
                requests.lock().unwrap().push((offset, limit, q.get("status").cloned()));
                let items: Vec<String> =
                    (offset..(offset + limit).min(250)).map(|i| format!(r#"{{"id": "j{i}"}}"#)).collect();
                json(200, &format!("[{}]", items.join(",")))
            }
        }),
    );
    let client = builder(&serve(app).await).build().unwrap();
    let options = GetWorkflowJobsOptions::default().status(alteryx_server::types::GetWorkflowJobsStatus::Complete);
    let jobs = client.jobs().get_workflow_jobs_stream("w1", options).collect_all().await.unwrap();
    assert_eq!(jobs.len(), 250);
    assert_eq!(jobs[249].id.as_deref(), Some("j249"));
    let complete = Some("Complete".to_string());
    assert_eq!(
        *requests.lock().unwrap(),
        [(0, 100, complete.clone()), (100, 100, complete.clone()), (200, 100, complete)]
    );

    let small_pages = GetWorkflowJobsOptions::default().offset("240".into()).limit("4".into());
    let mut stream = client.jobs().get_workflow_jobs_stream("w1", small_pages);
    let mut ids = Vec::new();
    while let Some(job) = stream.next_item().await {
        ids.push(job.unwrap().id.unwrap());
    }
    assert_eq!(ids, (240..250).map(|i| format!("j{i}")).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_its_error() {
    let app = axum::Router::new().route(
        "/webapi/v3/workflows/{id}/jobs",
        get(|uri: Uri| async move {
            let q = query(&uri);
            if q["offset"] == "0" { json(200, r#"[{"id": "a"}, {"id": "b"}]"#) } else { json(404, "{}") }
        }),
    );
    let client = builder(&serve(app).await).build().unwrap();
    let options = GetWorkflowJobsOptions::default().limit("2".into());
    let mut stream = client.jobs().get_workflow_jobs_stream("w1", options);
    assert!(stream.next_item().await.unwrap().is_ok());
    assert!(stream.next_item().await.unwrap().is_ok());
    assert_eq!(stream.next_item().await.unwrap().unwrap_err().status(), Some(404));
    assert!(stream.next_item().await.is_none());
}

#[tokio::test]
async fn requests_carry_the_user_agent_and_futures_are_send() {
    let agent = Arc::new(Mutex::new(String::new()));
    let app = axum::Router::new().route(
        "/webapi/v3/workflows/{id}",
        get({
            let agent = agent.clone();
            move |headers: HeaderMap| async move {
                *agent.lock().unwrap() = headers["user-agent"].to_str().unwrap().to_string();
                json(200, "{}")
            }
        }),
    );
    let client = builder(&serve(app).await).build().unwrap();
    let call = client.workflows().get_workflow("w1");
    fn assert_send<T: Send>(t: T) -> T {
        t
    }
    tokio::time::timeout(Duration::from_secs(10), assert_send(call)).await.unwrap().unwrap();
    let agent = agent.lock().unwrap().clone();
    assert!(agent.strip_prefix("alteryx-server/").is_some_and(|v| v.split('.').count() == 3), "{agent}");
}

fn query(uri: &Uri) -> std::collections::HashMap<String, String> {
    form_pairs(uri.query().unwrap_or("")).into_iter().collect()
}
