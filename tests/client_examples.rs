//! The client's examples (`generated-client/examples/`) built and run as programs against a
//! server on 127.0.0.1 that plays Alteryx Server: token endpoint, workflows, jobs, packages.

mod support;

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::routing::{get, post};
use support::{Count, json, multipart_parts, reply, scratch, serve};
use workspace_tests::root;

const PACKAGE: &[u8] = b"PK\x03\x04 a workflow package";

/// Builds the examples once; returns their directory.
fn examples() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = root().join("target");
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--offline", "-p", "alteryx-server", "--examples"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(root())
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the examples build");
    target.join("debug/examples")
}

async fn fake_server(uploads: Arc<Mutex<Vec<Vec<u8>>>>) -> String {
    let polls = Count::default();
    let app = axum::Router::new()
        .route("/webapi/oauth2/token", post(|| async { json(200, r#"{"access_token": "t", "expires_in": 3600}"#) }))
        .route(
            "/webapi/v3/workflows",
            get(|| async {
                json(200, r#"[{"id": "w1", "name": "Sales", "ownerId": "o1", "publishedVersionNumber": 3}]"#)
            })
            .post(move |request: Request| async move {
                let (parts, body) = request.into_parts();
                let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
                let content_type = parts.headers["content-type"].to_str().unwrap().to_string();
                let file = multipart_parts(&content_type, body).await.into_iter().find(|p| p.0 == "file");
                uploads.lock().unwrap().push(file.map(|f| f.3.to_vec()).unwrap_or_default());
                json(200, r#""w2""#)
            }),
        )
        .route("/webapi/v3/workflows/{id}/jobs", post(|| async { json(200, r#"{"id": "j1", "status": "Queued"}"#) }))
        .route(
            "/webapi/v3/jobs/{id}",
            get(move || async move {
                let status = if polls.bump() < 3 { "Running" } else { "Complete" };
                json(
                    200,
                    &format!(
                        r#"{{"id": "j1", "status": "{status}", "messages": [{{"status": 1, "text": "Finished in 2 s"}}], "outputs": [{{"id": "o1", "fileName": "sales.csv"}}]}}"#
                    ),
                )
            }),
        )
        .route("/webapi/v3/workflows/{id}/package", get(|| async { reply(200, "application/octet-stream", PACKAGE) }));
    serve(app).await
}

/// Runs an example with the environment pointing at `base`; returns its standard output.
async fn run(dir: &std::path::Path, example: &str, args: &[&str], base: &str) -> String {
    let mut command = Command::new(dir.join(example));
    command
        .args(args)
        .env("ALTERYX_SERVER", base)
        .env("ALTERYX_API_KEY", "key")
        .env("ALTERYX_API_SECRET", "secret")
        .env("ALTERYX_ALLOW_HTTP", "1");
    let output = tokio::task::spawn_blocking(move || command.output().unwrap()).await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{example} failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_examples_run_against_a_server() {
    let dir = examples();
    let uploads = Arc::new(Mutex::new(Vec::new()));
    let base = fake_server(uploads.clone()).await;

    let listed = run(&dir, "list_workflows", &[], &base).await;
    assert!(listed.contains("w1") && listed.contains("Sales") && listed.contains("1 workflows"), "{listed}");

    let package = scratch("example.yxzp");
    std::fs::write(&package, PACKAGE).unwrap();
    let uploaded = run(&dir, "upload_package", &[package.to_str().unwrap(), "Sales v2", "o1"], &base).await;
    assert!(uploaded.contains("as workflow w2"), "{uploaded}");
    assert_eq!(*uploads.lock().unwrap(), [PACKAGE.to_vec()]);

    let ran = run(&dir, "run_job", &["w1", "0.05"], &base).await;
    assert!(ran.contains("queued job j1") && ran.contains("job j1 finished: Complete"), "{ran}");
    assert!(ran.contains("message 1: Finished in 2 s") && ran.contains("output sales.csv (o1)"), "{ran}");

    let target = scratch("downloaded.yxzp");
    let downloaded = run(&dir, "download_package", &["w1", target.to_str().unwrap()], &base).await;
    assert!(downloaded.contains(&format!("wrote {} bytes", PACKAGE.len())), "{downloaded}");
    assert_eq!(std::fs::read(&target).unwrap(), PACKAGE);
}
