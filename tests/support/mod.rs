//! What the contract tests share: Prism (`prism.rs`), a call of every operation (`calls.rs`), an
//! HTTP server on 127.0.0.1 for the vendor-document test, and scratch files. The client's own
//! behaviour tests live with the runtime (`runtime/tests/`) and the client
//! (`generated-client/tests/`), on the mock server.

#![allow(dead_code)]

use std::path::PathBuf;

pub mod calls;
pub mod prism;

use axum::body::Body;
use axum::http::header;
use axum::response::Response;

/// Serves `app` on a free port of 127.0.0.1; returns the base URL (`http://127.0.0.1:N/webapi`).
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/webapi")
}

/// A response with a status, a content type and a body.
pub fn reply(status: u16, content_type: &str, body: impl Into<Body>) -> Response {
    Response::builder().status(status).header(header::CONTENT_TYPE, content_type).body(body.into()).unwrap()
}

/// A fresh scratch path under the target directory (removed first if it exists).
pub fn scratch(name: &str) -> PathBuf {
    let dir = workspace_tests::root().join("target/test-scratch");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}
