//! What the mock server answers: a response (status, headers, a body in memory or generated as a
//! stream of any length in bounded memory), after an optional delay, or a fault of the transport
//! (a reset, a connection closed unanswered, a silence, a body cut short).

use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;

/// One answer of the mock server.
#[derive(Debug, Clone)]
pub struct Reply {
    pub(crate) kind: ReplyKind,
    /// How long to wait before answering.
    pub(crate) delay: Duration,
}

#[derive(Debug, Clone)]
pub(crate) enum ReplyKind {
    Response { status: u16, headers: Vec<(String, String)>, body: ReplyBody, cut_after: Option<u64> },
    Reset,
    Close,
    Silent(Duration),
}

#[derive(Debug, Clone)]
pub(crate) enum ReplyBody {
    Bytes(Bytes),
    /// `length` bytes of [`pattern`], written `chunk` bytes at a time, `pace` apart, stalling
    /// for good after `stall_after` chunks.
    Generated {
        length: u64,
        chunk: usize,
        pace: Duration,
        stall_after: Option<u64>,
    },
}

impl ReplyBody {
    pub(crate) fn length(&self) -> u64 {
        match self {
            ReplyBody::Bytes(b) => b.len() as u64,
            ReplyBody::Generated { length, .. } => *length,
        }
    }
}

/// The byte at `offset` of a generated body: `offset % 251`, a pattern with no short period, so
/// a test can check a download byte for byte without keeping a copy.
pub fn pattern(offset: u64) -> u8 {
    (offset % 251) as u8
}

impl Reply {
    fn response(status: u16, content_type: Option<&str>, body: ReplyBody) -> Reply {
        let headers = content_type.map(|ct| vec![("content-type".to_owned(), ct.to_owned())]).unwrap_or_default();
        Reply { kind: ReplyKind::Response { status, headers, body, cut_after: None }, delay: Duration::ZERO }
    }

    /// A status with an empty body.
    pub fn status(status: u16) -> Reply {
        Reply::response(status, None, ReplyBody::Bytes(Bytes::new()))
    }

    /// A status with `value` as a JSON body.
    pub fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Reply {
        let body = serde_json::to_vec(value)
            .unwrap_or_else(|e| format!("{{\"mock\": \"cannot write JSON: {e}\"}}").into_bytes());
        Reply::response(status, Some("application/json"), ReplyBody::Bytes(Bytes::from(body)))
    }

    /// A status with a text body (`text/plain`).
    pub fn text(status: u16, text: impl Into<String>) -> Reply {
        Reply::response(status, Some("text/plain; charset=utf-8"), ReplyBody::Bytes(Bytes::from(text.into())))
    }

    /// A status with a body of any content type, as it is.
    pub fn bytes(status: u16, content_type: &str, body: impl Into<Bytes>) -> Reply {
        Reply::response(status, Some(content_type), ReplyBody::Bytes(body.into()))
    }

    /// A status with a generated body of `length` bytes ([`pattern`]), written 64 KiB at a time
    /// as the client reads: a download of any size in bounded memory.
    pub fn stream(status: u16, content_type: &str, length: u64) -> Reply {
        let body = ReplyBody::Generated { length, chunk: 64 << 10, pace: Duration::ZERO, stall_after: None };
        Reply::response(status, Some(content_type), body)
    }

    /// A stream body written `chunk` bytes at a time, `pace` apart (a slow transfer).
    #[must_use]
    pub fn paced(mut self, chunk: usize, pace: Duration) -> Reply {
        if let ReplyKind::Response { body: ReplyBody::Generated { chunk: c, pace: p, .. }, .. } = &mut self.kind {
            (*c, *p) = (chunk.max(1), pace);
        }
        self
    }

    /// A stream body that stops moving, for good, after `chunks` chunks (a stalled transfer).
    #[must_use]
    pub fn stall_after(mut self, chunks: u64) -> Reply {
        if let ReplyKind::Response { body: ReplyBody::Generated { stall_after, .. }, .. } = &mut self.kind {
            *stall_after = Some(chunks);
        }
        self
    }

    /// A response header.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let ReplyKind::Response { headers, .. } = &mut self.kind {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
            headers.push((name.to_ascii_lowercase(), value.to_owned()));
        }
        self
    }

    /// `Retry-After: seconds`.
    #[must_use]
    pub fn retry_after(self, seconds: u64) -> Reply {
        self.header("retry-after", &seconds.to_string())
    }

    /// The response declares its whole length but the connection closes after `bytes` of the
    /// body: a body cut short.
    #[must_use]
    pub fn cut_after(mut self, bytes: u64) -> Reply {
        if let ReplyKind::Response { cut_after, .. } = &mut self.kind {
            *cut_after = Some(bytes);
        }
        self
    }

    /// The answer, after waiting `delay`.
    #[must_use]
    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    /// No answer: the connection is reset (TCP RST).
    pub fn reset() -> Reply {
        Reply { kind: ReplyKind::Reset, delay: Duration::ZERO }
    }

    /// No answer: the connection is closed cleanly.
    pub fn close() -> Reply {
        Reply { kind: ReplyKind::Close, delay: Duration::ZERO }
    }

    /// No answer for `time`, then the connection is closed.
    pub fn silent(time: Duration) -> Reply {
        Reply { kind: ReplyKind::Silent(time), delay: Duration::ZERO }
    }

    /// The status, for a response.
    pub fn status_code(&self) -> Option<u16> {
        match &self.kind {
            ReplyKind::Response { status, .. } => Some(*status),
            _ => None,
        }
    }
}
