//! Client figures against a server on 127.0.0.1: `cargo bench -p workspace-tests --bench client`.
//!
//! - Time per request of the generated client next to a hand-written reqwest call doing the same
//!   request (bearer token, GET, status check, body read, serde into the same type), for a ~1 KB
//!   JSON object and a list of 1,000 workflows, interleaved in one run; the ratio of medians.
//! - Peak RSS above the process's baseline while downloading and while uploading 1 GiB through
//!   the client, each in a child process of its own (VmHWM in /proc/self/status), the server in
//!   the same process streaming too.
//!
//! Prints a table and writes it as JSON to `target/bench/client.json`. No figure is asserted.

use std::time::{Duration, Instant};

use alteryx_server::operations::{DownloadWorkflowPackageOptions, GetWorkflowsOptions};
use alteryx_server::types::{
    ExecutionMode, UploadWorkflowRequest, UploadWorkflowRequestRequired, WorkflowCredentialType, WorkflowDetail,
    WorkflowSummary,
};
use alteryx_server::{Client, FilePart};
use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use axum::routing::{get, post};

const GIB: u64 = 1 << 30;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    match std::env::var("CLIENT_BENCH_CHILD").as_deref() {
        Ok("download") => return println!("{}", runtime.block_on(rss_download())),
        Ok("upload") => return println!("{}", runtime.block_on(rss_upload())),
        _ => {}
    }
    let mut rows = runtime.block_on(overhead());
    for what in ["download", "upload"] {
        let exe = std::env::current_exe().unwrap();
        let out = std::process::Command::new(exe).env("CLIENT_BENCH_CHILD", what).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let kib: u64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        rows.push((format!("peak RSS above baseline, 1 GiB {what}"), format!("{:.1} MB", kib as f64 / 1024.0)));
    }
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    for (name, value) in &rows {
        println!("{name:<width$}  {value}");
    }
    let json: Vec<String> = rows.iter().map(|(k, v)| format!("  {k:?}: {v:?}")).collect();
    let dir = workspace_tests::root().join("target/bench");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("client.json"), format!("{{\n{}\n}}\n", json.join(",\n"))).unwrap();
}

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/webapi")
}

fn json_reply(body: &'static str) -> Response {
    Response::builder().header("content-type", "application/json").body(Body::from(body)).unwrap()
}

/// A workflow's details, about 1 KB.
fn detail_json() -> String {
    let version = |n: u32| {
        format!(
            r#"{{"versionId": "6512a7c3e4b0{n:08}", "versionNumber": {n}, "dateCreated": "2026-01-15T10:30:00Z", "uploadSource": "Designer", "uploadDate": "2026-01-15T10:30:00Z", "packageWorkflowType": "Standard", "published": true, "comments": "nightly", "runDisabled": false}}"#
        )
    };
    let versions: Vec<String> = (1..=3).map(version).collect();
    format!(
        r#"{{"id": "6512a7c3e4b0a1b2c3d4e5f6", "sourceAppId": "6512a7c3e4b0a1b2c3d4e5f7", "dateCreated": "2026-01-15T10:30:00Z", "runCount": 42, "versions": [{}], "name": "Sales by region", "ownerId": "6512a7c3e4b0a1b2c3d4e5f8", "workerTag": "", "districtTags": ["emea"], "comments": "", "isPublic": false, "isReadyForMigration": true, "publishedVersionId": "6512a7c3e4b000000003", "othersMayDownload": true, "othersCanViewHistory": true, "othersCanExecute": true, "hasPrivateDataExemption": false}}"#,
        versions.join(", ")
    )
}

fn list_json(n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id": "wf{i:020}", "sourceAppId": "app{i}", "name": "Workflow {i}", "ownerId": "owner{}", "dateCreated": "2026-01-15T10:30:00Z", "publishedVersionNumber": {}, "isAmp": false, "executionMode": "Standard"}}"#, i % 7, i % 5))
        .collect();
    format!("[{}]", items.join(","))
}

/// Median seconds per request of `n` runs of `call`.
async fn per_request<F, Fut>(n: usize, mut call: F) -> f64
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        call().await;
        times.push(started.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    times[n / 2]
}

async fn overhead() -> Vec<(String, String)> {
    let detail: &'static str = Box::leak(detail_json().into_boxed_str());
    let list: &'static str = Box::leak(list_json(1000).into_boxed_str());
    let app = axum::Router::new()
        .route("/webapi/v3/workflows/{id}", get(move || async move { json_reply(detail) }))
        .route("/webapi/v3/workflows", get(move || async move { json_reply(list) }));
    let base = serve(app).await;
    let client = Client::builder(&base).bearer_token("token").allow_insecure_http(true).build().unwrap();
    let raw = reqwest::Client::new();
    let raw_get = |url: String| {
        let raw = raw.clone();
        async move {
            let response = raw.get(url).bearer_auth("token").send().await.unwrap().error_for_status().unwrap();
            response.bytes().await.unwrap()
        }
    };
    let object_url = format!("{base}/v3/workflows/w1");
    let object = compare(
        400,
        || async {
            client.workflows().get_workflow("w1").await.unwrap();
        },
        || async {
            let body = raw_get(object_url.clone()).await;
            serde_json::from_slice::<WorkflowDetail>(&body).unwrap();
        },
    )
    .await;
    let list_url = format!("{base}/v3/workflows");
    let list = compare(
        40,
        || async {
            client.workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap();
        },
        || async {
            let body = raw_get(list_url.clone()).await;
            serde_json::from_slice::<Vec<WorkflowSummary>>(&body).unwrap();
        },
    )
    .await;
    let mut rows = vec![("object body".to_string(), format!("{} bytes", detail.len()))];
    for (label, (ours, theirs, ratio)) in [("1 KB object", object), ("1,000-workflow list", list)] {
        rows.push((format!("{label}: client per request"), format!("{:.1} µs", ours * 1e6)));
        rows.push((format!("{label}: raw reqwest per request"), format!("{:.1} µs", theirs * 1e6)));
        rows.push((format!("{label}: client / raw (median of round ratios)"), format!("{ratio:.3}x")));
    }
    rows
}

/// Twenty-one rounds, each `n` requests of ours then `n` of theirs: the median time per request
/// of each, and the median of the rounds' ratios (adjacent blocks, so drift cancels out).
async fn compare<A, AF, B, BF>(n: usize, mut ours: A, mut theirs: B) -> (f64, f64, f64)
where
    A: FnMut() -> AF,
    AF: Future<Output = ()>,
    B: FnMut() -> BF,
    BF: Future<Output = ()>,
{
    const ROUNDS: usize = 21;
    let (mut a, mut b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    per_request(n, &mut ours).await;
    per_request(n, &mut theirs).await;
    for round in 0..ROUNDS {
        // Alternate which goes first, so neither always follows the other.
        let (x, y) = if round % 2 == 0 {
            let x = per_request(n, &mut ours).await;
            (x, per_request(n, &mut theirs).await)
        } else {
            let y = per_request(n, &mut theirs).await;
            (per_request(n, &mut ours).await, y)
        };
        a.push(x);
        b.push(y);
        ratios.push(x / y);
    }
    for v in [&mut a, &mut b, &mut ratios] {
        v.sort_by(f64::total_cmp);
    }
    (a[ROUNDS / 2], b[ROUNDS / 2], ratios[ROUNDS / 2])
}

/// The process's peak resident set so far, in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// 1 GiB from a streaming server, written through `write_to` into a sink.
async fn rss_download() -> u64 {
    let app = axum::Router::new().route(
        "/webapi/v3/workflows/{id}/package",
        get(|| async {
            let chunk = bytes::Bytes::from(vec![0x5a; 64 * 1024]);
            let chunks = (GIB / chunk.len() as u64) as usize;
            let stream = Repeat { chunk, left: chunks };
            Response::builder()
                .header("content-type", "application/octet-stream")
                .header("content-length", GIB)
                .body(Body::from_stream(stream))
                .unwrap()
        }),
    );
    let client = Client::builder(serve(app).await).bearer_token("t").allow_insecure_http(true).build().unwrap();
    // Warm up: one small request so the pools and buffers exist before the baseline.
    let _ = client.workflows().get_workflow("w").await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let baseline = peak_rss_kib();
    let stream =
        client.workflows().download_workflow_package("w1", DownloadWorkflowPackageOptions::default()).await.unwrap();
    let written = stream.write_to(&mut tokio::io::sink()).await.unwrap();
    assert_eq!(written, GIB);
    peak_rss_kib().saturating_sub(baseline)
}

/// 1 GiB file (sparse, on disk) uploaded as a multipart part to a server that counts bytes.
async fn rss_upload() -> u64 {
    let app = axum::Router::new().route(
        "/webapi/v3/workflows",
        post(|request: Request| async move {
            let mut body = request.into_body().into_data_stream();
            let mut total = 0u64;
            while let Some(chunk) =
                std::future::poll_fn(|cx| futures_core::Stream::poll_next(std::pin::Pin::new(&mut body), cx)).await
            {
                total += chunk.unwrap().len() as u64;
            }
            assert!(total > GIB);
            json_reply(r#""new-id""#)
        }),
    );
    let client = Client::builder(serve(app).await).bearer_token("t").allow_insecure_http(true).build().unwrap();
    let path = workspace_tests::root().join("target/bench/upload-1gib.bin");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::File::create(&path).unwrap().set_len(GIB).unwrap();
    let _ = client.workflows().get_workflow("w").await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let baseline = peak_rss_kib();
    let request = UploadWorkflowRequest::new(UploadWorkflowRequestRequired {
        file: FilePart::from_path(&path),
        name: "big".into(),
        owner_id: "owner".into(),
        is_public: false,
        is_ready_for_migration: false,
        others_may_download: true,
        others_can_execute: true,
        execution_mode: ExecutionMode::Standard,
        workflow_credential_type: WorkflowCredentialType::Default,
    });
    let id = client.workflows().upload_workflow(request).await.unwrap();
    assert_eq!(id, "new-id");
    let _ = std::fs::remove_file(&path);
    peak_rss_kib().saturating_sub(baseline)
}

/// The same chunk `left` times.
struct Repeat {
    chunk: bytes::Bytes,
    left: usize,
}

impl futures_core::Stream for Repeat {
    type Item = Result<bytes::Bytes, std::io::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        if self.left == 0 {
            return std::task::Poll::Ready(None);
        }
        self.left -= 1;
        std::task::Poll::Ready(Some(Ok(self.chunk.clone())))
    }
}
