//! What the runtime's behaviour tests share: a small API described the way generated crates
//! describe theirs (one descriptor per operation), the runtime's mock server of it, clients for
//! it, and raw TCP servers for what no HTTP server would send.

#![allow(dead_code)]

use std::time::Duration;

use client_runtime::__private::{HttpMethod, Operation, PathPart};
use client_runtime::mock::{MOCK_KEY, MOCK_SECRET, MockServer};
use client_runtime::{Client, ClientBuilder, Error, RetryPolicy};

/// `GET /items`: a list.
pub static LIST: Operation =
    Operation { id: "listItems", method: HttpMethod::Get, template: "/items", path: &[PathPart::Literal("/items")] };
/// `POST /items`: creates one.
pub static CREATE: Operation = Operation { id: "createItem", method: HttpMethod::Post, ..LIST };
/// `GET /items/{id}`.
pub static GET: Operation = Operation {
    id: "getItem",
    method: HttpMethod::Get,
    template: "/items/{id}",
    path: &[PathPart::Literal("/items/"), PathPart::Param("id")],
};
/// `DELETE /items/{id}/users/{userId}`: two placeholders.
pub static REMOVE_USER: Operation = Operation {
    id: "removeItemUser",
    method: HttpMethod::Delete,
    template: "/items/{id}/users/{userId}",
    path: &[
        PathPart::Literal("/items/"),
        PathPart::Param("id"),
        PathPart::Literal("/users/"),
        PathPart::Param("userId"),
    ],
};
/// `GET /items/{id}/content`: a download.
pub static DOWNLOAD: Operation = Operation {
    id: "downloadItem",
    method: HttpMethod::Get,
    template: "/items/{id}/content",
    path: &[PathPart::Literal("/items/"), PathPart::Param("id"), PathPart::Literal("/content")],
};
/// `POST /items/{id}/content`: an upload.
pub static UPLOAD: Operation = Operation { id: "uploadItem", method: HttpMethod::Post, ..DOWNLOAD };

/// Every operation of the test API.
pub static OPERATIONS: &[&Operation] = &[&LIST, &CREATE, &GET, &REMOVE_USER, &DOWNLOAD, &UPLOAD];

/// A mock server of the test API.
pub async fn mock() -> MockServer {
    MockServer::start(OPERATIONS).await
}

/// Retries that wait milliseconds, not seconds.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(2), Duration::from_millis(20))
}

/// A client builder for `url`: plain HTTP allowed, quick retries, no credentials.
pub fn builder_for(url: &str) -> ClientBuilder {
    Client::builder(url).allow_insecure_http(true).retry(quick_retries())
}

/// A client builder for the mock: its client credentials, quick retries.
pub fn builder(mock: &MockServer) -> ClientBuilder {
    builder_for(mock.base_url()).client_credentials(MOCK_KEY, MOCK_SECRET)
}

/// `GET /items` as JSON.
pub async fn list(client: &Client) -> Result<serde_json::Value, Error> {
    client.request(&LIST, &[]).send_json().await
}

/// `POST /items` with a JSON body.
pub async fn create(client: &Client) -> Result<serde_json::Value, Error> {
    let mut request = client.request(&CREATE, &[]);
    request.json(&serde_json::json!({"name": "x"}), "application/json");
    request.send_json().await
}

/// Answers every connection with what `script` says for it (the last entry repeats), after
/// reading the request head; returns the base URL and the request lines, as sent.
pub async fn raw_server(script: Vec<Raw>) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = lines.clone();
    tokio::spawn(async move {
        let mut n = 0;
        while let Ok((mut socket, _)) = listener.accept().await {
            let raw = script[n.min(script.len() - 1)].clone();
            n += 1;
            let seen = seen.clone();
            tokio::spawn(async move {
                let Some(head) = read_request_head(&mut socket).await else { return };
                seen.lock().unwrap().push(String::from_utf8_lossy(&head).lines().next().unwrap_or_default().to_owned());
                let Raw(bytes) = raw;
                let _ = socket.write_all(&bytes).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (format!("http://{addr}/api"), lines)
}

/// A whole HTTP response, written as it is.
#[derive(Clone)]
pub struct Raw(pub Vec<u8>);

/// Reads a request up to the end of its head (`\r\n\r\n`); `None` when the peer stops first.
pub async fn read_request_head<S: tokio::io::AsyncRead + Unpin>(socket: &mut S) -> Option<Vec<u8>> {
    use tokio::io::AsyncReadExt;
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    Some(request)
}

/// A fresh scratch path under the target directory (removed first if it exists).
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-scratch");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("runtime-{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}
