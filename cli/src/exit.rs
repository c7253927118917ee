//! What went wrong, and the exit code that says so. The codes are documented (`ayx --help`, the
//! README) so that scripts and CI pipelines can tell a refused request from a failed job.

use alteryx_server::tasks::TaskError;
use alteryx_server::{ApiErrorExt, Error};

/// The command did what it was asked.
pub const OK: u8 = 0;
/// Anything not below: a transport failure, a local file that cannot be read or written.
pub const FAILURE: u8 = 1;
/// The command line was wrong (clap uses 2 too).
pub const USAGE: u8 = 2;
/// The server refused a request (an HTTP error status, refused credentials).
pub const API: u8 = 3;
/// A job ran and failed: its status or disposition says so, or it wrote error messages.
pub const JOB_FAILED: u8 = 4;
/// Time ran out (waiting for a job, or a call's deadline).
pub const TIMEOUT: u8 = 5;
/// The configuration is missing or unsafe (no profile, no secret, a secret others can read).
pub const CONFIG: u8 = 6;
/// Part of the work was done and part failed; the summary says which (backup, migrate).
pub const PARTIAL: u8 = 7;
/// The user declined a confirmation, or a change was asked for without `--yes` where none can
/// be asked.
pub const DECLINED: u8 = 8;

/// The exit codes in words, for `--help` (a macro, so that `concat!` can use it).
#[macro_export]
macro_rules! exit_codes {
    () => {
        "Exit codes: 0 success; 1 failure (network, local files); 2 usage; 3 the server refused a request; \
4 a job failed; 5 timed out; 6 configuration missing or unsafe; 7 partly done (see the summary); 8 not confirmed."
    };
}

/// An error that ends the command, with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A call failed.
    #[error("{0}")]
    Call(#[from] Error),
    /// A task failed.
    #[error("{0}")]
    Task(TaskError),
    /// The configuration is missing, unreadable or unsafe.
    #[error("{0}")]
    Config(String),
    /// The arguments do not make sense together.
    #[error("{0}")]
    Usage(String),
    /// A local file.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// Why it failed.
        source: std::io::Error,
    },
    /// Something else, with its own exit code (a failed job, a partial run).
    #[error("{message}")]
    Exit {
        /// What to print.
        message: String,
        /// The exit code.
        code: u8,
    },
}

impl From<TaskError> for CliError {
    fn from(e: TaskError) -> Self {
        match e {
            TaskError::Call(e) => CliError::Call(e),
            other => CliError::Task(other),
        }
    }
}

impl CliError {
    /// A local I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        CliError::Io { context: context.into(), source }
    }

    /// The exit code.
    pub fn code(&self) -> u8 {
        match self {
            CliError::Call(e) => call_code(e),
            CliError::Task(TaskError::Answers { .. } | TaskError::Format { .. }) => USAGE,
            CliError::Task(TaskError::Call(e)) => call_code(e),
            CliError::Task(_) => FAILURE,
            CliError::Config(_) => CONFIG,
            CliError::Usage(_) => USAGE,
            CliError::Io { .. } => FAILURE,
            CliError::Exit { code, .. } => *code,
        }
    }

    /// The server's own words for an API error, when its body says more than the status.
    pub fn detail(&self) -> Option<String> {
        let api = match self {
            CliError::Call(e) | CliError::Task(TaskError::Call(e)) => e.as_api()?,
            _ => return None,
        };
        let parsed = api.error_response().and_then(|r| {
            let fields: Vec<String> = r
                .errors
                .unwrap_or_default()
                .into_iter()
                .map(|e| format!("{}: {}", e.field.unwrap_or_default(), e.message.unwrap_or_default()))
                .collect();
            r.message.map(|m| if fields.is_empty() { m } else { format!("{m} ({})", fields.join("; ")) })
        });
        parsed.filter(|m| !m.is_empty())
    }
}

fn call_code(e: &Error) -> u8 {
    match e {
        Error::Api(_) | Error::Auth(_) => API,
        e if e.is_timeout() => TIMEOUT,
        Error::Config(_) => CONFIG,
        Error::InvalidArgument { .. } => USAGE,
        _ => FAILURE,
    }
}
