//! Reading a response body whole, within the attempt timeout (per chunk) and the deadline, up to
//! a limit. Shared by calls (`request/`) and token fetches (`auth.rs`), which is why it lives
//! apart from both.

use std::time::Duration;

use bytes::Bytes;
use tokio::time::Instant;

use super::timeout::{self, Progress};

/// Why a body could not be read whole.
pub(crate) enum ReadFailed {
    /// The attempt timeout or the deadline passed first.
    Timeout,
    /// The connection failed after `received` bytes.
    Transport { source: reqwest::Error, received: u64, expected: Option<u64> },
}

/// The content type and at most `limit` bytes of a body (the rest is not kept).
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
    idle: Option<Duration>,
    deadline: Option<Instant>,
) -> Result<(Option<String>, Bytes), ReadFailed> {
    let content_type =
        response.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let expected = response.content_length();
    let progress = Progress::new();
    let mut received = 0u64;
    let read = async {
        // The chunks are kept as they come and joined once at the end (a body in one chunk is
        // not copied at all), rather than copied into a buffer that grows.
        let mut chunks: Vec<Bytes> = Vec::new();
        let mut kept = 0;
        while let Some(mut chunk) = response.chunk().await? {
            progress.touch();
            received += chunk.len() as u64;
            chunk.truncate(limit - kept);
            kept += chunk.len();
            chunks.push(chunk);
            if kept >= limit {
                break;
            }
        }
        Ok(match chunks.len() {
            0 => Bytes::new(),
            1 => chunks.swap_remove(0),
            _ => Bytes::from(chunks.concat()),
        })
    };
    match timeout::run(read, &progress, idle, deadline).await {
        Some(Ok(body)) => Ok((content_type, body)),
        Some(Err(source)) => Err(ReadFailed::Transport { source, received, expected }),
        None => Err(ReadFailed::Timeout),
    }
}

/// At most `limit` bytes of a body, whatever happens (for error bodies outside the retry loop).
pub(crate) async fn read_bounded(response: reqwest::Response, limit: usize) -> Bytes {
    read_capped(response, limit, None, None).await.map(|(_, body)| body).unwrap_or_default()
}

/// `application/json`, `application/problem+json`, `text/json`... with any parameters.
pub(crate) fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence.ends_with("/json") || essence.ends_with("+json")
}
