//! What the client's end-to-end tests share: a real HTTP server on 127.0.0.1 (axum, or a raw
//! TCP one for answers axum will not give, such as a body cut short), counters, and scratch files.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub mod calls;
pub mod prism;

use alteryx_server::{Client, ClientBuilder};
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

/// Answers every connection with `raw` (a whole HTTP response, written as is) and closes it.
pub async fn serve_raw(raw: Vec<u8>) -> String {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let raw = raw.clone();
            tokio::spawn(async move {
                if read_request_head(&mut socket).await.is_none() {
                    return;
                }
                let _ = socket.write_all(&raw).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    format!("http://{addr}/webapi")
}

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

/// A client builder for a test server: plain HTTP allowed, fast retries.
pub fn builder(base_url: &str) -> ClientBuilder {
    use std::time::Duration;
    let retry = alteryx_server::RetryPolicy::default().backoff(Duration::from_millis(2), Duration::from_millis(20));
    Client::builder(base_url).allow_insecure_http(true).retry(retry)
}

/// A response with a status, a content type and a body.
pub fn reply(status: u16, content_type: &str, body: impl Into<Body>) -> Response {
    Response::builder().status(status).header(header::CONTENT_TYPE, content_type).body(body.into()).unwrap()
}

/// A JSON response.
pub fn json(status: u16, body: &str) -> Response {
    reply(status, "application/json", body.to_string())
}

/// A shared counter.
#[derive(Clone, Default, Debug)]
pub struct Count(Arc<AtomicUsize>);

impl Count {
    /// Adds one and returns the new count.
    pub fn bump(&self) -> usize {
        self.0.fetch_add(1, Ordering::SeqCst) + 1
    }

    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// A fresh scratch path under the target directory (removed first if it exists).
pub fn scratch(name: &str) -> PathBuf {
    let dir = workspace_tests::root().join("target/test-scratch");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

/// Decodes an `application/x-www-form-urlencoded` body into pairs.
pub fn form_pairs(body: &str) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out).unwrap()
    }
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// The parts of a multipart body: name, file name, content type, data.
pub async fn multipart_parts(
    content_type: &str,
    body: bytes::Bytes,
) -> Vec<(String, Option<String>, Option<String>, bytes::Bytes)> {
    let boundary = multer::parse_boundary(content_type).unwrap();
    let stream = OneChunk(Some(body));
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.unwrap() {
        let name = field.name().unwrap().to_string();
        let file_name = field.file_name().map(str::to_string);
        let part_type = field.content_type().map(|m| m.to_string());
        parts.push((name, file_name, part_type, field.bytes().await.unwrap()));
    }
    parts
}

struct OneChunk(Option<bytes::Bytes>);

impl futures_core::Stream for OneChunk {
    type Item = Result<bytes::Bytes, std::io::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.take().map(Ok))
    }
}
