//! Records of changes: each run of a command that changes a server, and that sent at least one
//! request that may change it, leaves a JSON record in `ayx`'s state directory, readable by its
//! owner only: who (profile, server), what was asked (the command line), what was sent and what
//! each call answered (every request but GET, HEAD and OPTIONS; reads are counted), the outcome
//! and when. `ayx history` reads them. The calls are seen by an interceptor on every client
//! the commands build, so no command writes its own record.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use alteryx_server::{Attempt, AttemptKind, AttemptOutcome, Interceptor, OutgoingRequest};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

/// One request that may have changed the server, and its answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Call {
    /// When it was sent.
    pub at: DateTime<Utc>,
    /// The operation (`createUserGroup`).
    pub operation: String,
    /// `POST`.
    pub method: String,
    /// The URL, query included.
    pub url: String,
    /// The attempt's number (a retry is 2 or more).
    pub attempt: u32,
    /// The status, when the server answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Why there was no answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// How long it took to the answer's head, in milliseconds.
    pub elapsed_ms: u64,
}

/// One run of a command that changed (or tried to change) a server.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// The record's id: its start time and the command (`20261203T201500Z-groups-create`).
    pub id: String,
    /// The command (`groups create`).
    pub command: String,
    /// The command line as given (secrets never are: they come from files or standard input).
    pub argv: Vec<String>,
    /// The profile(s) the command's clients were built for, with their servers.
    pub servers: Vec<Server>,
    /// When it started and ended.
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    /// Every request that may change a server, in order, with its answer.
    pub calls: Vec<Call>,
    /// How many reads (GET, HEAD, OPTIONS) it made besides.
    pub reads: u64,
    /// How it ended.
    pub outcome: Outcome,
}

/// A profile and its server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Server {
    /// The profile.
    pub profile: String,
    /// The server's base URL.
    pub url: String,
}

/// How a run ended.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outcome {
    /// The exit code.
    pub exit_code: u8,
    /// Its stable name (`ok`, `server_refused`, `partial`...).
    pub code: String,
    /// The error's message, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// What the interceptor saw during this run.
#[derive(Debug, Default)]
struct Seen {
    servers: Vec<Server>,
    /// Requests sent and not yet answered, oldest first.
    pending: Vec<(Attempt, DateTime<Utc>, String)>,
    calls: Vec<Call>,
    reads: u64,
}

/// The interceptor every client of this run carries.
#[derive(Debug, Clone, Default)]
pub struct CallLog(Arc<Mutex<Seen>>);

fn is_read(method: &str) -> bool {
    !crate::commands::catalogue::method_changes(method)
}

impl Interceptor for CallLog {
    fn on_request(&self, request: &mut OutgoingRequest<'_>) {
        let attempt = *request.attempt();
        if attempt.kind != AttemptKind::Call || is_read(attempt.method) {
            return;
        }
        self.0.lock().unwrap().pending.push((attempt, Utc::now(), request.url().to_string()));
    }

    fn on_response(&self, attempt: &Attempt, outcome: AttemptOutcome<'_>, elapsed: Duration) {
        if attempt.kind != AttemptKind::Call {
            return;
        }
        let mut seen = self.0.lock().unwrap();
        if is_read(attempt.method) {
            seen.reads += 1;
            return;
        }
        // Concurrent attempts of one operation are paired with their answers in order.
        let Some(index) = seen.pending.iter().position(|(a, _, _)| a == attempt) else { return };
        let (_, at, url) = seen.pending.remove(index);
        let (status, error) = match outcome {
            AttemptOutcome::Response { status, .. } => (Some(status), None),
            AttemptOutcome::Failed(e) => (None, Some(e.to_string())),
            _ => (None, None),
        };
        seen.calls.push(Call {
            at,
            operation: attempt.operation_id.to_string(),
            method: attempt.method.to_string(),
            url,
            attempt: attempt.number,
            status,
            error,
            elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        });
    }
}

/// This run's log (one per process).
pub fn log() -> &'static CallLog {
    static LOG: OnceLock<CallLog> = OnceLock::new();
    LOG.get_or_init(CallLog::default)
}

/// Notes that a client for `profile` at `url` was built.
pub fn server(profile: &str, url: &str) {
    let server = Server { profile: profile.into(), url: url.into() };
    let mut seen = log().0.lock().unwrap();
    if !seen.servers.contains(&server) {
        seen.servers.push(server);
    }
}

/// The directory of the records: `AYX_STATE_DIR`, or `ayx/records` in the platform's state
/// directory (its local data directory where there is none).
pub fn dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("AYX_STATE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("records"));
    }
    dirs::state_dir().or_else(dirs::data_local_dir).map(|d| d.join("ayx").join("records"))
}

/// Writes this run's record when it sent a request that may have changed a server; returns
/// where, or why it could not (which does not change the command's outcome: it is said).
pub fn finish(command: &str, started: DateTime<Utc>, outcome: Outcome) -> Result<Option<PathBuf>, String> {
    let (servers, calls, reads) = {
        let seen = log().0.lock().unwrap();
        (seen.servers.clone(), seen.calls.clone(), seen.reads)
    };
    if calls.is_empty() {
        return Ok(None);
    }
    let dir = dir().ok_or("no state directory on this system: set AYX_STATE_DIR")?;
    let stamp = started.format("%Y%m%dT%H%M%S%3fZ");
    let id = format!("{stamp}-{}", command.replace(' ', "-"));
    let record = Record {
        id: id.clone(),
        command: command.to_string(),
        argv: std::env::args().skip(1).collect(),
        servers,
        started,
        finished: Utc::now(),
        calls,
        reads,
        outcome,
    };
    create_private_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join(format!("{id}.json"));
    let text = serde_json::to_vec_pretty(&record).map_err(|e| e.to_string())?;
    crate::files::replace(&path, &text, true).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(Some(path))
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// Every record, oldest first (files that are not records are skipped).
pub fn all() -> Result<Vec<Record>, String> {
    let Some(dir) = dir() else { return Ok(Vec::new()) };
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    let mut records: Vec<Record> = entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok())
        .collect();
    records.sort_by(|a, b| a.started.cmp(&b.started).then_with(|| a.id.cmp(&b.id)));
    Ok(records)
}

/// `2026-12-03T20:15:00Z`.
pub fn when(time: &DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}
