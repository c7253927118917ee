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
/// A plan (`ayx apply`) no longer fits the servers: nothing was changed.
pub const STALE: u8 = 9;

/// The exit codes in words, for `--help` (a macro, so that `concat!` can use it).
#[macro_export]
macro_rules! exit_codes {
    () => {
        "Exit codes: 0 success; 1 failure (network, local files); 2 usage; 3 the server refused a request; \
4 a job failed; 5 timed out; 6 configuration missing or unsafe; 7 partly done (see the summary); 8 not confirmed; \
9 a plan went stale."
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

/// One exit code, for scripts: its number, a stable name and what it means.
#[derive(Debug, Clone, Copy)]
pub struct ExitCode {
    /// The process's exit code.
    pub exit_code: u8,
    /// A stable name for it (`server_refused`).
    pub code: &'static str,
    /// What it means.
    pub meaning: &'static str,
}

/// Every exit code `ayx` gives (130 too: interrupted, as shells report SIGINT).
pub const CODES: [ExitCode; 11] = [
    ExitCode { exit_code: OK, code: "ok", meaning: "the command did what it was asked" },
    ExitCode {
        exit_code: FAILURE,
        code: "failure",
        meaning: "a transport failure, or a local file that cannot be read or written",
    },
    ExitCode { exit_code: USAGE, code: "usage", meaning: "the command line was wrong; nothing was sent" },
    ExitCode {
        exit_code: API,
        code: "server_refused",
        meaning: "the server refused a request (an HTTP error status, refused credentials)",
    },
    ExitCode { exit_code: JOB_FAILED, code: "job_failed", meaning: "a job ran and failed" },
    ExitCode { exit_code: TIMEOUT, code: "timeout", meaning: "time ran out (waiting for a job, or a call's deadline)" },
    ExitCode { exit_code: CONFIG, code: "config", meaning: "the configuration is missing or unsafe" },
    ExitCode {
        exit_code: PARTIAL,
        code: "partial",
        meaning: "part of the work was done and part failed; the summary says which",
    },
    ExitCode {
        exit_code: DECLINED,
        code: "declined",
        meaning: "a change was not confirmed (or asked for without --yes where none can be asked); nothing was changed",
    },
    ExitCode {
        exit_code: STALE,
        code: "stale_plan",
        meaning: "the servers changed since the plan in a way that matters; nothing was changed",
    },
    ExitCode {
        exit_code: INTERRUPTED,
        code: "interrupted",
        meaning: "interrupted (Ctrl-C); a rerun completes what was left",
    },
];

/// Interrupted by Ctrl-C (the shell's convention for SIGINT).
pub const INTERRUPTED: u8 = 130;

/// The stable name of an exit code.
pub fn code_name(exit_code: u8) -> &'static str {
    CODES.iter().find(|c| c.exit_code == exit_code).map_or("failure", |c| c.code)
}

/// An error as a JSON document (`--json`), on standard error: what scripts and agents read.
#[derive(Debug, serde::Serialize)]
pub struct ErrorDocument {
    /// The stable name of the exit code (`server_refused`).
    pub code: &'static str,
    /// The process's exit code.
    pub exit_code: u8,
    /// What went wrong, as the text output says it.
    pub message: String,
    /// Whether the same command may work if run again unchanged (a transport failure, a
    /// timeout, 429 or a 5xx answer); commands that change a server are safe to rerun.
    pub retryable: bool,
    /// What to do about it.
    pub remediation: String,
    /// The operation that failed (`getWorkflows`), when a call failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<&'static str>,
    /// The HTTP status, when the server answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The request id the server gave, when it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The server's own words, when its error body says more than the status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl CliError {
    /// The call's error, when a call failed.
    fn call(&self) -> Option<&Error> {
        match self {
            CliError::Call(e) | CliError::Task(TaskError::Call(e)) => Some(e),
            _ => None,
        }
    }

    /// This error as a document for scripts.
    pub fn document(&self) -> ErrorDocument {
        let exit_code = self.code();
        let call = self.call();
        let status = call.and_then(Error::status);
        ErrorDocument {
            code: code_name(exit_code),
            exit_code,
            message: self.to_string(),
            retryable: call.is_some_and(retryable),
            remediation: remediation(self, status),
            operation: call.and_then(Error::operation_id),
            status,
            request_id: call.and_then(Error::request_id).map(str::to_string),
            detail: self.detail(),
        }
    }
}

/// Whether running the same command again may work.
fn retryable(error: &Error) -> bool {
    match error {
        Error::Api(e) => matches!(e.status, 408 | 429 | 500 | 502 | 503 | 504),
        Error::Transport { .. } | Error::Timeout { .. } => true,
        _ => false,
    }
}

/// What to do about an error, in a sentence.
fn remediation(error: &CliError, status: Option<u16>) -> String {
    let text = match (error, status) {
        (CliError::Call(Error::Auth(_)), _) => "the token endpoint refused the key: check it with `ayx doctor`",
        (_, Some(401)) => "the server did not accept the token: check the key with `ayx doctor`",
        (_, Some(403)) => "the key's user lacks the right for this call: use an administrator's (Curator's) key",
        (_, Some(404)) => "it does not exist on this server: check the id (or the server's version with `ayx doctor`)",
        (_, Some(409)) => "it conflicts with the server's state: read the detail, change the request",
        (_, Some(s)) if (400..500).contains(&s) => "the server found the request invalid: read the detail",
        (_, Some(s)) if s >= 500 => "the server failed: run it again later, or look at the server's logs",
        _ => match error.code() {
            USAGE => "see the command's --help",
            CONFIG => "fix the configuration as the message says; `ayx doctor` checks it",
            DECLINED => "run it again on a terminal to be asked, or with --yes",
            TIMEOUT => "run it again, with a longer wait if the command takes one",
            JOB_FAILED => "read the job's messages: `ayx jobs messages JOB_ID`",
            PARTIAL => "run the same command again: it completes what was left",
            STALE => "make a new plan (`--plan-out FILE`), review it, and apply that",
            INTERRUPTED => "run the same command again: it completes what was left",
            _ if error.call().is_some() => {
                "the server could not be reached: `ayx doctor` shows where the connection fails"
            }
            _ => "read the message: a local file or the network failed",
        },
    };
    text.to_string()
}
