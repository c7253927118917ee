//! What a job message's status code means. The engine numbers its message kinds (help.alteryx.com,
//! AlteryxEngine API, "TCallbackMessage"): 1 information, 2 warning, 3 error, 4 a tool completed,
//! 5 a field conversion error, 6 the conversion error limit reached, 8 and 9 file input and
//! output; `0x40000000` is added to transient messages.

use crate::types::JobMessage;

/// The kind of a job message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MessageKind {
    /// Information (1).
    Info,
    /// A warning (2).
    Warning,
    /// An error (3): the workflow failed, whatever the job's status says.
    Error,
    /// A tool completed (4).
    Complete,
    /// A field conversion error (5), or the limit of them reached (6).
    ConversionError,
    /// A file was read (8) or written (9).
    File,
    /// A code this version does not know.
    Other(i64),
}

/// The flag the engine adds to transient messages.
const TRANSIENT: i64 = 0x4000_0000;

impl MessageKind {
    /// The kind of a message status code.
    pub fn of(status: i64) -> MessageKind {
        match status & !TRANSIENT {
            1 => MessageKind::Info,
            2 => MessageKind::Warning,
            3 => MessageKind::Error,
            4 => MessageKind::Complete,
            5 | 6 => MessageKind::ConversionError,
            8 | 9 => MessageKind::File,
            other => MessageKind::Other(other),
        }
    }

    /// A short word for tables and logs (`error`, `warning`...).
    pub fn as_str(&self) -> &'static str {
        match self {
            MessageKind::Info => "info",
            MessageKind::Warning => "warning",
            MessageKind::Error => "error",
            MessageKind::Complete => "complete",
            MessageKind::ConversionError => "conversion error",
            MessageKind::File => "file",
            MessageKind::Other(_) => "other",
        }
    }
}

impl JobMessage {
    /// The message's kind; a message without a status is information.
    pub fn kind(&self) -> MessageKind {
        self.status.map_or(MessageKind::Info, MessageKind::of)
    }

    /// Whether the message reports an error.
    pub fn is_error(&self) -> bool {
        self.kind() == MessageKind::Error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_the_transient_flag() {
        assert_eq!(MessageKind::of(3), MessageKind::Error);
        assert_eq!(MessageKind::of(3 | TRANSIENT), MessageKind::Error);
        assert_eq!(MessageKind::of(2), MessageKind::Warning);
        assert_eq!(MessageKind::of(9), MessageKind::File);
        assert_eq!(MessageKind::of(77), MessageKind::Other(77));
        let mut message = JobMessage::new();
        assert_eq!(message.kind(), MessageKind::Info);
        message.status = Some(3);
        assert!(message.is_error());
    }
}
