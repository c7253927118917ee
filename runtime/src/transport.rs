//! What went wrong on the wire, in words: a transport failure is classified once, where it
//! happens (DNS, connect, TLS, reset, closed, a body cut short after N bytes), so that its
//! `Display` says what happened and the retry loop knows whether a response status had arrived.

use std::error::Error as StdError;
use std::fmt;
use std::io::ErrorKind;

/// What kind of transport failure an [`Error::Transport`](super::error::Error::Transport) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The server's host name could not be resolved.
    Dns,
    /// No connection could be opened (refused, unreachable, connect timeout).
    Connect,
    /// The TLS handshake failed (an untrusted certificate, a protocol mismatch).
    Tls,
    /// The connection was reset or aborted before the response status arrived.
    Reset,
    /// The connection closed before the response status arrived.
    Closed,
    /// The response body ended early: the status had arrived, part of the body had not.
    BodyCutShort {
        /// Bytes of the body received before it ended.
        received: u64,
        /// The length the server declared (`Content-Length`), if it did.
        expected: Option<u64>,
    },
    /// Anything else (a redirect loop, an invalid response...).
    Other,
}

impl TransportKind {
    /// Whether the failure happened before a response status arrived: the server may or may not
    /// have received the request, but it answered nothing.
    pub fn before_response(&self) -> bool {
        !matches!(self, TransportKind::BodyCutShort { .. })
    }
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportKind::Dns => f.write_str("cannot resolve the server's host name"),
            TransportKind::Connect => f.write_str("cannot connect to the server"),
            TransportKind::Tls => f.write_str("the TLS handshake failed"),
            TransportKind::Reset => f.write_str("the connection was reset before the server answered"),
            TransportKind::Closed => f.write_str("the connection closed before the server answered"),
            TransportKind::BodyCutShort { received, expected: Some(expected) } => {
                write!(f, "the response body was cut short after {received} of {expected} bytes")
            }
            TransportKind::BodyCutShort { received, expected: None } => {
                write!(f, "the response body was cut short after {received} bytes")
            }
            TransportKind::Other => f.write_str("the request failed"),
        }
    }
}

/// Classifies a failure of sending a request (before its response status).
pub(crate) fn classify_send(error: &reqwest::Error) -> TransportKind {
    let mut kind = if error.is_connect() { TransportKind::Connect } else { TransportKind::Other };
    for cause in chain(error) {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            match io.kind() {
                ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe => {
                    return TransportKind::Reset;
                }
                ErrorKind::ConnectionRefused | ErrorKind::AddrNotAvailable | ErrorKind::HostUnreachable => {
                    return TransportKind::Connect;
                }
                ErrorKind::UnexpectedEof => kind = TransportKind::Closed,
                _ => {}
            }
        }
        let text = cause.to_string().to_ascii_lowercase();
        if text.contains("dns error") || text.contains("failed to lookup address") {
            return TransportKind::Dns;
        }
        if text.contains("certificate") || text.contains("tls handshake") || text.contains("received fatal alert") {
            return TransportKind::Tls;
        }
        if text.contains("connection reset") {
            return TransportKind::Reset;
        }
        if text.contains("connection closed before message completed") || text.contains("incomplete message") {
            kind = TransportKind::Closed;
        }
    }
    kind
}

/// The innermost cause of an error, in words, without the request's URL that the outer layers
/// add (`Connection reset by peer (os error 104)`, `connection closed before message completed`).
pub(crate) fn root_cause(error: &(dyn StdError + 'static)) -> String {
    let mut last = error.to_string();
    for cause in chain(error).skip(1) {
        last = cause.to_string();
    }
    last
}

fn chain<'a>(error: &'a (dyn StdError + 'static)) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |e: &&'a (dyn StdError + 'static)| (*e).source())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_say_what_happened() {
        let cut = TransportKind::BodyCutShort { received: 10, expected: Some(100) };
        assert_eq!(cut.to_string(), "the response body was cut short after 10 of 100 bytes");
        assert!(!cut.before_response());
        assert!(TransportKind::Reset.before_response());
        assert_eq!(TransportKind::Dns.to_string(), "cannot resolve the server's host name");
    }

    #[test]
    fn the_root_cause_is_the_innermost_error() {
        #[derive(Debug)]
        struct Outer(std::io::Error);
        impl fmt::Display for Outer {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("error sending request for url (https://host/secret-path)")
            }
        }
        impl StdError for Outer {
            fn source(&self) -> Option<&(dyn StdError + 'static)> {
                Some(&self.0)
            }
        }
        let outer = Outer(std::io::Error::new(ErrorKind::ConnectionReset, "Connection reset by peer"));
        assert_eq!(root_cause(&outer), "Connection reset by peer");
    }
}
