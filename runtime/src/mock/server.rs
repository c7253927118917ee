//! The mock's HTTP/1.1 server on 127.0.0.1: reads each request (a `Content-Length` or chunked
//! body, the first `body_limit` bytes kept), resolves it to an operation by method and path,
//! answers the OAuth2 token endpoint, checks the bearer token, finds the expectation that
//! answers, and writes the answer, a generated body of any size included, or the fault asked for.
//! Written by hand rather than on a server framework because faults need the socket itself.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::Shared;
use super::reply::{Reply, ReplyBody, ReplyKind, pattern};
use super::request::{Request, form_pairs, method_of};

/// The longest request head read.
const MAX_HEAD: usize = 1 << 20;

pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(connection(stream, shared.clone()));
    }
}

/// One connection: requests in turn (keep-alive) until the client or a fault closes it.
async fn connection(mut stream: TcpStream, shared: Arc<Shared>) {
    let mut buffer = Vec::new();
    loop {
        let limit = shared.body_limit.load(std::sync::atomic::Ordering::SeqCst);
        let request = match read_request(&mut stream, &mut buffer, limit).await {
            Ok(Some(request)) => request,
            Ok(None) | Err(_) => return,
        };
        let reply = shared.answer(request);
        if !reply.delay.is_zero() {
            tokio::time::sleep(reply.delay).await;
        }
        match reply.kind {
            ReplyKind::Response { status, headers, body, cut_after } => {
                if write_response(&mut stream, status, &headers, &body, cut_after).await.is_err() || cut_after.is_some()
                {
                    return;
                }
            }
            ReplyKind::Reset => {
                // SO_LINGER 0: closing sends RST instead of FIN.
                if let Ok(std) = stream.into_std() {
                    let _ = socket2::SockRef::from(&std).set_linger(Some(Duration::ZERO));
                }
                return;
            }
            ReplyKind::Close => return,
            ReplyKind::Silent(time) => {
                tokio::time::sleep(time).await;
                return;
            }
        }
    }
}

/// Reads one request; `None` when the connection ends between requests.
async fn read_request<S: AsyncRead + Unpin>(
    stream: &mut S,
    buffer: &mut Vec<u8>,
    body_limit: usize,
) -> std::io::Result<Option<Request>> {
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        if buffer.len() > MAX_HEAD {
            return Err(std::io::Error::other("request head too long"));
        }
        if !fill(stream, buffer).await? {
            return Ok(None);
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    buffer.drain(..head_end + 4);
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let header = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let mut body = Vec::new();
    let mut body_len = 0u64;
    let mut keep = |chunk: &[u8], body: &mut Vec<u8>| {
        body_len += chunk.len() as u64;
        let room = body_limit.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
    };
    if header("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        loop {
            let line = read_line(stream, buffer).await?;
            let size = usize::from_str_radix(line.split(';').next().unwrap_or_default().trim(), 16)
                .map_err(|_| std::io::Error::other("bad chunk size"))?;
            if size == 0 {
                // Trailers, up to the empty line.
                while !read_line(stream, buffer).await?.is_empty() {}
                break;
            }
            read_exact_into(stream, buffer, size, &mut |c| keep(c, &mut body)).await?;
            read_line(stream, buffer).await?;
        }
    } else if let Some(length) = header("content-length").and_then(|l| l.parse::<usize>().ok()) {
        read_exact_into(stream, buffer, length, &mut |c| keep(c, &mut body)).await?;
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    Ok(Some(Request {
        method,
        path: path.to_owned(),
        query: form_pairs(query),
        target: target.clone(),
        headers,
        body: Bytes::from(body),
        body_len,
        operation: None,
        unmatched: false,
    }))
}

/// Reads more into `buffer`; `false` at the end of the stream.
async fn fill<S: AsyncRead + Unpin>(stream: &mut S, buffer: &mut Vec<u8>) -> std::io::Result<bool> {
    let mut chunk = [0u8; 16 << 10];
    let n = stream.read(&mut chunk).await?;
    buffer.extend_from_slice(&chunk[..n]);
    Ok(n > 0)
}

async fn read_line<S: AsyncRead + Unpin>(stream: &mut S, buffer: &mut Vec<u8>) -> std::io::Result<String> {
    loop {
        if let Some(end) = buffer.windows(2).position(|w| w == b"\r\n") {
            let line = String::from_utf8_lossy(&buffer[..end]).into_owned();
            buffer.drain(..end + 2);
            return Ok(line);
        }
        if !fill(stream, buffer).await? {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
    }
}

/// Hands `length` bytes of the stream to `sink`, in pieces, without keeping them.
async fn read_exact_into<S: AsyncRead + Unpin>(
    stream: &mut S,
    buffer: &mut Vec<u8>,
    mut length: usize,
    sink: &mut (dyn FnMut(&[u8]) + Send),
) -> std::io::Result<()> {
    while length > 0 {
        if buffer.is_empty() && !fill(stream, buffer).await? {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let n = buffer.len().min(length);
        sink(&buffer[..n]);
        buffer.drain(..n);
        length -= n;
    }
    Ok(())
}

async fn write_response<S: AsyncWrite + Unpin>(
    stream: &mut S,
    status: u16,
    headers: &[(String, String)],
    body: &ReplyBody,
    cut_after: Option<u64>,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("content-length: {}\r\n\r\n", body.length()));
    stream.write_all(head.as_bytes()).await?;
    let limit = cut_after.unwrap_or(u64::MAX).min(body.length());
    match body {
        ReplyBody::Bytes(bytes) => stream.write_all(&bytes[..limit as usize]).await?,
        ReplyBody::Generated { chunk, pace, stall_after, .. } => {
            let mut written = 0u64;
            let mut chunks = 0u64;
            // The pattern repeats every 251 bytes: one chunk of it, and 251 more to start anywhere.
            let cycle: Vec<u8> = (0..*chunk as u64 + 251).map(pattern).collect();
            while written < limit {
                if stall_after.is_some_and(|n| chunks >= n) {
                    // Stalled for good: the client's timeout ends it.
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                }
                if !pace.is_zero() {
                    tokio::time::sleep(*pace).await;
                }
                let n = (limit - written).min(*chunk as u64) as usize;
                let start = (written % 251) as usize;
                stream.write_all(&cycle[start..start + n]).await?;
                written += n as u64;
                chunks += 1;
            }
        }
    }
    stream.flush().await
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

impl Shared {
    /// The answer to one request, which is recorded with the operation it resolved to.
    fn answer(&self, mut request: Request) -> Reply {
        if request.method == "POST" && request.path == self.token_path() {
            return self.token(request);
        }
        let Some(path) = request.path.strip_prefix(&self.base_path).map(str::to_owned) else {
            return self.unmatched(request, "its path is not under the server's base path".into());
        };
        let method = method_of(&request.method);
        request.operation = self
            .operations
            .iter()
            .filter(|op| Some(op.method) == method)
            .find_map(|op| op.match_path(&path).map(|values| (*op, values)));
        if request.operation.is_none() {
            let why = format!("no operation of the spec is `{} {path}`", request.method);
            return self.unmatched(request, why);
        }
        if let Some(refusal) = self.check_bearer(&request) {
            self.record(request);
            return refusal;
        }
        let rules = self.rules.lock().unwrap().clone();
        let chosen = rules.iter().find(|rule| rule.available() && rule.mismatch(&request).is_none());
        let Some(rule) = chosen else {
            let of_this: Vec<_> = rules.iter().filter(|r| Some(r.operation.id) == request.operation_id()).collect();
            let why = match of_this.first() {
                None => format!("no expectation was made for {}", request.operation_id().unwrap_or_default()),
                Some(_) => of_this
                    .iter()
                    .map(|r| match r.mismatch(&request) {
                        Some(why) => format!("{}: {why}", r.describe()),
                        None => format!("{}: used up", r.describe()),
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            };
            return self.unmatched(request, why);
        };
        let reply = rule.answer(&request);
        let description = rule.describe();
        self.record(request);
        reply.unwrap_or_else(|| {
            Reply::json(501, &serde_json::json!({"mock": format!("expectation {description} was given no answer")}))
        })
    }

    /// A 501 that says which operation the request resolved to and why nothing answered.
    fn unmatched(&self, mut request: Request, why: String) -> Reply {
        request.unmatched = true;
        let body = serde_json::json!({
            "mock": "no expectation matched",
            "request": format!("{} {}", request.method, request.path),
            "operation": request.operation_id(),
            "why": why,
        });
        self.record(request);
        Reply::json(501, &body)
    }
}
