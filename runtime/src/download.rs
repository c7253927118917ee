//! Streamed response bodies: [`ByteStream`] hands the body on chunk by chunk, so a package of any
//! size is downloaded in bounded memory, and writes it to a file or any `AsyncWrite`.

use std::fmt;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::time::{Instant, Sleep};

use super::body::OnProgress;
use super::error::Error;
use super::timeout::which;

type Chunks = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// What [`ByteStream::inspect`] calls with each chunk.
type ChunkObserver = Box<dyn FnMut(&[u8]) + Send>;

/// A response body as a stream of chunks (`Stream<Item = Result<Bytes, Error>>`).
///
/// Reading stops with [`Error::Timeout`] when no chunk arrives within the client's attempt
/// timeout, or when the call's deadline passes; a connection cut short is an [`Error::Transport`]
/// of kind [`TransportKind::BodyCutShort`](crate::TransportKind::BodyCutShort), which says how
/// many bytes had arrived.
pub struct ByteStream {
    operation_id: &'static str,
    chunks: Chunks,
    content_length: Option<u64>,
    /// Bytes handed on so far.
    received: u64,
    on_progress: Option<OnProgress>,
    on_chunk: Option<ChunkObserver>,
    idle: Option<Duration>,
    deadline: Option<Instant>,
    timer: Option<Pin<Box<Sleep>>>,
    /// When the last chunk arrived; the timer is moved on from it only when it fires.
    last_chunk: Instant,
    started: Instant,
    done: bool,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation_id", &self.operation_id)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

impl ByteStream {
    pub(crate) fn new(
        operation_id: &'static str,
        response: reqwest::Response,
        idle: Option<Duration>,
        deadline: Option<Instant>,
    ) -> Self {
        let content_length = response.content_length();
        ByteStream {
            operation_id,
            chunks: Box::pin(response.bytes_stream()),
            content_length,
            received: 0,
            on_progress: None,
            on_chunk: None,
            idle,
            deadline,
            timer: None,
            last_chunk: Instant::now(),
            started: Instant::now(),
            done: false,
        }
    }

    /// Calls `hook` with the bytes received so far (and the declared length, when known) as the
    /// body is read. For progress bars.
    #[must_use]
    pub fn on_progress(mut self, hook: impl Fn(u64, Option<u64>) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(std::sync::Arc::new(hook));
        self
    }

    /// Calls `observer` with every chunk as it is handed on, whoever reads the stream
    /// ([`ByteStream::save_to_file`] included): to hash a download, or count it.
    #[must_use]
    pub fn inspect(mut self, observer: impl FnMut(&[u8]) + Send + 'static) -> Self {
        self.on_chunk = Some(Box::new(observer));
        self
    }

    /// The body's length, when the server declared it.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The next chunk; `None` at the end of the body.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Writes the whole body to `out` chunk by chunk, flushes it, and returns the bytes written.
    ///
    /// # Errors
    ///
    /// The stream's errors, and [`Error::Io`] when writing fails.
    pub async fn write_to<W: AsyncWrite + Unpin + ?Sized>(mut self, out: &mut W) -> Result<u64, Error> {
        let operation_id = self.operation_id;
        let io = |source| Error::Io { operation_id, context: "cannot write the downloaded body".into(), source };
        let mut written = 0u64;
        while let Some(chunk) = self.next_chunk().await {
            let chunk = chunk?;
            out.write_all(&chunk).await.map_err(io)?;
            written += chunk.len() as u64;
        }
        out.flush().await.map_err(io)?;
        Ok(written)
    }

    /// Writes the whole body to the file at `path` and returns the bytes written. The body goes
    /// to a `.part` file beside it first, renamed into place only when complete, so a failed
    /// download never leaves a truncated file under the real name.
    ///
    /// # Errors
    ///
    /// The stream's errors, and [`Error::Io`] when the file cannot be written.
    pub async fn save_to_file(self, path: impl AsRef<Path>) -> Result<u64, Error> {
        let path = path.as_ref();
        let operation_id = self.operation_id;
        let mut partial = path.as_os_str().to_owned();
        partial.push(".part");
        let partial = std::path::PathBuf::from(partial);
        let io = |what: &str, source| Error::Io { operation_id, context: format!("cannot {what}"), source };
        let mut file =
            tokio::fs::File::create(&partial).await.map_err(|e| io(&format!("create {}", partial.display()), e))?;
        let result = async {
            let written = self.write_to(&mut file).await?;
            file.sync_all().await.map_err(|e| io(&format!("write {}", partial.display()), e))?;
            drop(file);
            tokio::fs::rename(&partial, path)
                .await
                .map_err(|e| io(&format!("move the download to {}", path.display()), e))?;
            Ok(written)
        }
        .await;
        if result.is_err() {
            let _ = tokio::fs::remove_file(&partial).await;
        }
        result
    }

    /// Reads the whole body into memory. Meant for small bodies; prefer [`ByteStream::write_to`].
    ///
    /// # Errors
    ///
    /// The stream's errors.
    pub async fn collect(mut self) -> Result<Bytes, Error> {
        let mut out = Vec::with_capacity(self.content_length.unwrap_or(0).min(1 << 20) as usize);
        while let Some(chunk) = self.next_chunk().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(Bytes::from(out))
    }

    /// When the stream times out if nothing more arrives.
    fn due(&self) -> Option<Instant> {
        let idle = self.idle.map(|d| self.last_chunk + d);
        match (idle, self.deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        match this.chunks.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.last_chunk = Instant::now();
                this.received += chunk.len() as u64;
                if let Some(hook) = &this.on_progress {
                    hook(this.received, this.content_length);
                }
                if let Some(observer) = &mut this.on_chunk {
                    observer(&chunk);
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(source))) => {
                this.done = true;
                Poll::Ready(Some(Err(Error::reading(this.operation_id, source, this.received, this.content_length))))
            }
            Poll::Ready(None) => {
                this.done = true;
                Poll::Ready(None)
            }
            Poll::Pending => {
                let Some(due) = this.due() else { return Poll::Pending };
                let timer = this.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(due)));
                loop {
                    match timer.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(()) if due > Instant::now() => timer.as_mut().reset(due),
                        Poll::Ready(()) => break,
                    }
                }
                this.done = true;
                Poll::Ready(Some(Err(Error::Timeout {
                    operation_id: this.operation_id,
                    kind: which(this.deadline),
                    after: this.started.elapsed(),
                })))
            }
        }
    }
}
