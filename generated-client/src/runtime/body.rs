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

    /// The body for one attempt and its length, when known.
    pub(crate) async fn open(
        &mut self,
        operation_id: &'static str,
        progress: &Arc<Progress>,
    ) -> Result<(reqwest::Body, Option<u64>), Error> {
        match self {
            Source::Bytes(bytes) => Ok((reqwest::Body::from(bytes.clone()), Some(bytes.len() as u64))),
            Source::Path(path) => {
                let io =
                    |source| Error::Io { operation_id, context: format!("cannot read {}", path.display()), source };
                let file = tokio::fs::File::open(&*path).await.map_err(io)?;
                let length = file.metadata().await.map_err(io)?.len();
                let stream = MapErr(Box::pin(tokio_util::io::ReaderStream::with_capacity(file, CHUNK)));
                Ok((tracked(Box::pin(stream), progress), Some(length)))
            }
            Source::Stream(stream, length) => match stream.take() {
                Some(stream) => Ok((tracked(stream, progress), *length)),
                None => Err(Error::Encode {
                    operation_id,
                    message: "the body stream was already sent by an earlier attempt".into(),
                }),
            },
        }
    }
}

fn tracked(stream: ByteStream, progress: &Arc<Progress>) -> reqwest::Body {
    reqwest::Body::wrap_stream(Tracked { stream, progress: progress.clone() })
}

/// Passes chunks on and notes each as progress.
struct Tracked {
    stream: ByteStream,
    progress: Arc<Progress>,
}

impl Stream for Tracked {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let next = self.stream.as_mut().poll_next(cx);
        if let Poll::Ready(Some(Ok(_))) = &next {
            self.progress.touch();
        }
        next
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
