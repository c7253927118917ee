//! Where an upload's bytes come from: memory, a file (opened anew for each attempt, so it can be
//! retried, and streamed in 64 KiB chunks, never read whole), or a caller's stream or reader
//! (sent once). Every chunk handed to the connection counts as progress for the attempt timeout.

use std::fmt;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

use super::error::Error;
use super::timeout::Progress;

/// The error type a caller's body stream may fail with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Told how a transfer goes: the bytes moved so far (from 0 again if an upload is retried) and
/// the total, when known. Called for every chunk, from wherever the transfer runs, so it must be
/// cheap (set a progress bar's position, store a number).
pub type OnProgress = Arc<dyn Fn(u64, Option<u64>) + Send + Sync>;

type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

const CHUNK: usize = 64 * 1024;

/// Where the bytes of a body or file part come from.
pub(crate) enum Source {
    Bytes(Bytes),
    Path(PathBuf),
    /// Taken by the first attempt; `None` afterwards.
    Stream(Option<ByteStream>, Option<u64>),
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Source::Path(p) => f.debug_tuple("Path").field(p).finish(),
            Source::Stream(_, len) => f.debug_struct("Stream").field("length", len).finish(),
        }
    }
}

impl Source {
    pub(crate) fn stream<S, E>(stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        Source::Stream(Some(Box::pin(MapErr(Box::pin(stream)))), length)
    }

    pub(crate) fn reader<R: tokio::io::AsyncRead + Send + 'static>(reader: R, length: Option<u64>) -> Self {
        Source::stream(tokio_util::io::ReaderStream::with_capacity(reader, CHUNK), length)
    }

    /// Whether a second attempt can send the same bytes again.
    pub(crate) fn replayable(&self) -> bool {
        !matches!(self, Source::Stream(..))
    }

    /// The body for one attempt and its length, when known; `hook` hears of every chunk sent.
    pub(crate) async fn open(
        &mut self,
        operation_id: &'static str,
        progress: &Arc<Progress>,
        hook: Option<&OnProgress>,
    ) -> Result<(reqwest::Body, Option<u64>), Error> {
        match self {
            Source::Bytes(bytes) => {
                let length = bytes.len() as u64;
                match hook {
                    // One chunk, but its progress is still told.
                    Some(hook) => {
                        let one = MapErr(Box::pin(OneChunk(Some(bytes.clone()))));
                        Ok((tracked(Box::pin(one), progress, Some(hook), Some(length)), Some(length)))
                    }
                    None => Ok((reqwest::Body::from(bytes.clone()), Some(length))),
                }
            }
            Source::Path(path) => {
                let io =
                    |source| Error::Io { operation_id, context: format!("cannot read {}", path.display()), source };
                let file = tokio::fs::File::open(&*path).await.map_err(io)?;
                let length = file.metadata().await.map_err(io)?.len();
                let stream = MapErr(Box::pin(tokio_util::io::ReaderStream::with_capacity(file, CHUNK)));
                Ok((tracked(Box::pin(stream), progress, hook, Some(length)), Some(length)))
            }
            Source::Stream(stream, length) => match stream.take() {
                Some(stream) => Ok((tracked(stream, progress, hook, *length), *length)),
                None => Err(Error::Encode {
                    operation_id,
                    message: "the body stream was already sent by an earlier attempt".into(),
                }),
            },
        }
    }
}

fn tracked(
    stream: ByteStream,
    progress: &Arc<Progress>,
    hook: Option<&OnProgress>,
    total: Option<u64>,
) -> reqwest::Body {
    reqwest::Body::wrap_stream(Tracked { stream, progress: progress.clone(), hook: hook.cloned(), sent: 0, total })
}

/// Passes chunks on, notes each as progress, and tells the caller's hook.
struct Tracked {
    stream: ByteStream,
    progress: Arc<Progress>,
    hook: Option<OnProgress>,
    sent: u64,
    total: Option<u64>,
}

impl Stream for Tracked {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let next = self.stream.as_mut().poll_next(cx);
        if let Poll::Ready(Some(Ok(chunk))) = &next {
            self.progress.touch();
            self.sent += chunk.len() as u64;
            if let Some(hook) = &self.hook {
                hook(self.sent, self.total);
            }
        }
        next
    }
}

/// One chunk, as a stream.
struct OneChunk(Option<Bytes>);

impl Stream for OneChunk {
    type Item = Result<Bytes, std::convert::Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.take().map(Ok))
    }
}

/// A stream with its error boxed. The inner stream is boxed too, so that `MapErr` is `Unpin`
/// whatever the stream is, and no pin projection is needed.
struct MapErr<S>(Pin<Box<S>>);

impl<S, E> Stream for MapErr<S>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().0.as_mut().poll_next(cx).map(|item| item.map(|r| r.map_err(Into::into)))
    }
}

/// A raw request body (`application/octet-stream` uploads and the like).
///
/// From memory (`Vec<u8>`, [`Bytes`], `String`), from a file with [`Body::from_path`] (streamed,
/// and re-read if the request is retried), or from a stream or reader (streamed, sent once, so
/// never retried).
#[derive(Debug)]
pub struct Body(pub(crate) Source);

impl Body {
    /// The contents of the file at `path`, streamed when the request is sent.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        Body(Source::Path(path.into()))
    }

    /// The chunks of `stream`; `length` sets `Content-Length` when known.
    pub fn from_stream<S, E>(stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        Body(Source::stream(stream, length))
    }

    /// Everything `reader` yields; `length` sets `Content-Length` when known.
    pub fn from_reader<R: tokio::io::AsyncRead + Send + 'static>(reader: R, length: Option<u64>) -> Self {
        Body(Source::reader(reader, length))
    }
}

impl From<Bytes> for Body {
    fn from(b: Bytes) -> Self {
        Body(Source::Bytes(b))
    }
}

impl From<Vec<u8>> for Body {
    fn from(b: Vec<u8>) -> Self {
        Body(Source::Bytes(Bytes::from(b)))
    }
}

impl From<String> for Body {
    fn from(s: String) -> Self {
        Body(Source::Bytes(Bytes::from(s)))
    }
}
