//! `ayx backup`: every workflow's package (the published version, or every version) and a
//! manifest of the server's objects: workflows and their versions, schedules, collections and
//! their members, users, user groups, credentials (their views hold no secrets) and server data
//! connections.
//!
//! Resumable and safe to interrupt: the manifest records each package's size and sha256 as it
//! completes (written atomically after each one), packages in flight are `.part` files renamed
//! when whole, and a rerun into the same directory skips every package whose file still matches
//! its manifest entry. `--concurrency` downloads run at once, each streamed to disk in bounded
//! memory. A package that still fails after three attempts is reported and the rest goes on; the
//! summary and the exit status (7) say what is missing.

use std::collections::BTreeMap;
use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};

use alteryx_server::operations::{
    DownloadWorkflowPackageOptions, GetCollectionsOptions, GetCredentialsOptions, GetSchedulesOptions,
    GetServerDataConnectionsOptions, GetUsersOptions, GetWorkflowsOptions,
};
use alteryx_server::types::{View, WorkflowDetail};
use alteryx_server::{Client, Error};
use indicatif::ProgressBar;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::context::Context;
use crate::exit::{self, CliError};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup directory (created if missing; a rerun resumes it).
    #[arg(long)]
    pub out: PathBuf,
    /// Downloads at a time.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// Every version of every workflow, not only the published one.
    #[arg(long)]
    pub all_versions: bool,
}

/// The manifest's format version.
const FORMAT: u32 = 1;

/// `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// The manifest's format.
    pub format: u32,
    /// The server backed up (its API base URL).
    pub server: String,
    /// When this run started and finished (RFC 3339).
    pub started_at: String,
    pub finished_at: Option<String>,
    /// Whether every package and every part of the inventory is there.
    pub complete: bool,
    /// The server's objects by kind (`workflows`, `schedules`, `collections`, `users`,
    /// `user_groups`, `credentials`, `server_data_connections`).
    pub inventory: BTreeMap<String, Value>,
    /// The kinds that could not be read, with why.
    pub inventory_errors: BTreeMap<String, String>,
    /// Every package, complete or not.
    pub packages: Vec<Package>,
}

/// One package of the backup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Package {
    pub workflow_id: String,
    pub workflow_name: Option<String>,
    /// The version asked for; `None` for the published one.
    pub version_id: Option<String>,
    pub version_number: Option<i64>,
    /// The file, relative to the backup directory.
    pub path: String,
    /// `complete`, `failed` or `pending`.
    pub status: String,
    pub bytes: Option<u64>,
    pub sha256: Option<String>,
    pub error: Option<String>,
}

pub async fn run(context: &Context, args: BackupArgs) -> Result<(), CliError> {
    let client = context.client()?;
    let server = context.connection()?.url;
    let dir = args.out.clone();
    std::fs::create_dir_all(&dir).map_err(|e| CliError::io(format!("cannot create {}", dir.display()), e))?;
    let manifest_path = dir.join("manifest.json");
    let previous = read_manifest(&manifest_path)?;
    if let Some(previous) = &previous
        && previous.server != server
    {
        return Err(CliError::Usage(format!(
            "{} holds a backup of {}, not {server}: choose another --out",
            dir.display(),
            previous.server
        )));
    }
    let concurrency = usize::from(args.concurrency);
    let progress = &context.progress;
    let reading = progress.spinner("reading the server's objects");
    let (inventory, inventory_errors, workflows) = inventory(&client, concurrency).await;
    reading.finish_and_clear();

    let mut packages = plan(&workflows, args.all_versions);
    // What the last run completed is checked (size, then sha256), `concurrency` files at a time.
    let checking = progress.spinner("checking what earlier runs completed");
    let mut checks = tokio::task::JoinSet::new();
    let semaphore = Arc::new(tokio::sync::Semaphore::new(concurrency));
    for (i, package) in packages.iter().enumerate() {
        let done = previous
            .as_ref()
            .and_then(|m| m.packages.iter().find(|p| p.path == package.path && p.status == "complete"));
        if let Some(done) = done.cloned() {
            let (path, semaphore) = (dir.join(&done.path), semaphore.clone());
            checks.spawn(async move {
                let _permit = semaphore.acquire_owned().await;
                (i, still_whole(&path, &done).await.then_some(done))
            });
        }
    }
    let mut skipped = 0;
    while let Some(checked) = checks.join_next().await {
        if let Ok((i, Some(done))) = checked {
            packages[i] = done;
            skipped += 1;
        }
    }
    checking.finish_and_clear();
    let manifest = Arc::new(Mutex::new(Manifest {
        format: FORMAT,
        server: server.clone(),
        started_at: chrono::Utc::now().to_rfc3339(),
        finished_at: None,
        complete: false,
        inventory,
        inventory_errors,
        packages,
    }));
    save(&manifest_path, &manifest)?;

    let total = manifest.lock().unwrap_or_else(|e| e.into_inner()).packages.len();
    let items = progress.items("packages", total as u64);
    items.set_position(skipped as u64);
    let bytes = progress.bytes("downloaded", Some(0));
    let todo: Vec<usize> = {
        let m = manifest.lock().unwrap_or_else(|e| e.into_inner());
        (0..m.packages.len()).filter(|i| m.packages[*i].status != "complete").collect()
    };
    let semaphore = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let mut running = tokio::task::JoinSet::new();
    for index in todo {
        let (client, dir, manifest, manifest_path) =
            (client.clone(), dir.clone(), manifest.clone(), manifest_path.clone());
        let (semaphore, items, bytes) = (semaphore.clone(), items.clone(), bytes.clone());
        running.spawn(async move {
            let Ok(_permit) = semaphore.acquire_owned().await else { return Ok(()) };
            let package = manifest.lock().unwrap_or_else(|e| e.into_inner()).packages[index].clone();
            let result = fetch_with_retries(&client, &dir, &package, &bytes).await;
            {
                let mut m = manifest.lock().unwrap_or_else(|e| e.into_inner());
                let entry = &mut m.packages[index];
                match result {
                    Ok((size, sha256)) => {
                        entry.status = "complete".into();
                        entry.bytes = Some(size);
                        entry.sha256 = Some(sha256);
                        entry.error = None;
                    }
                    Err(e) => {
                        entry.status = "failed".into();
                        entry.error = Some(e);
                    }
                }
            }
            items.inc(1);
            save(&manifest_path, &manifest)
        });
    }
    while let Some(done) = running.join_next().await {
        match done {
            Ok(saved) => saved?,
            Err(e) => {
                return Err(CliError::Exit { message: format!("a download task failed: {e}"), code: exit::FAILURE });
            }
        }
    }
    items.finish_and_clear();
    bytes.finish_and_clear();

    let summary = {
        let mut m = manifest.lock().unwrap_or_else(|e| e.into_inner());
        m.finished_at = Some(chrono::Utc::now().to_rfc3339());
        m.complete = m.inventory_errors.is_empty() && m.packages.iter().all(|p| p.status == "complete");
        summary(&m, &dir, skipped)
    };
    save(&manifest_path, &manifest)?;
    report(context, &summary);
    if summary["complete"] == json!(true) {
        Ok(())
    } else {
        Err(CliError::Exit {
            message: format!(
                "the backup is incomplete: {} package(s) failed, {} kind(s) of objects could not be read; run it again to finish",
                summary["packages"]["failed"],
                summary["inventory_errors"].as_object().map_or(0, |e| e.len())
            ),
            code: exit::PARTIAL,
        })
    }
}

/// The previous manifest of this directory, if there is one.
fn read_manifest(path: &Path) -> Result<Option<Manifest>, CliError> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
            CliError::Usage(format!("{} is not a backup manifest ({e}): choose another --out", path.display()))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CliError::io(format!("cannot read {}", path.display()), e)),
    }
}

/// Writes the manifest beside, then moves it into place: an interruption leaves the last whole
/// one. The lock is held throughout, so that saves from concurrent downloads do not interleave.
fn save(path: &Path, manifest: &Mutex<Manifest>) -> Result<(), CliError> {
    let m = manifest.lock().unwrap_or_else(|e| e.into_inner());
    let text = serde_json::to_vec_pretty(&*m)
        .map_err(|e| CliError::Exit { message: format!("cannot write the manifest: {e}"), code: exit::FAILURE })?;
    crate::files::replace(path, &text, false).map_err(|e| CliError::io(format!("cannot write {}", path.display()), e))
}

/// Reads every kind of object (each kind on its own: one that fails is recorded, the others go
/// on); returns the inventory, its errors, and the workflows (with versions) to back up.
async fn inventory(
    client: &Client,
    n: usize,
) -> (BTreeMap<String, Value>, BTreeMap<String, String>, Vec<WorkflowDetail>) {
    let mut inventory = BTreeMap::new();
    let mut errors = BTreeMap::new();
    let mut record = |kind: &str, result: Result<Value, Error>| match result {
        Ok(value) => {
            inventory.insert(kind.to_string(), value);
        }
        Err(e) => {
            errors.insert(kind.to_string(), e.to_string());
        }
    };
    let workflows: Result<Vec<WorkflowDetail>, Error> = async {
        let list = client.workflows().get_workflows(GetWorkflowsOptions::default().view(View::Full)).await?;
        let ids = list.into_iter().filter_map(|w| w.id).collect();
        each(ids, n, |id| client.workflows().get_workflow(&id)).await
    }
    .await;
    let kept = workflows.as_ref().map(|w| w.clone()).unwrap_or_default();
    record("workflows", workflows.map(to_json));
    let schedules = async {
        let list = client.schedules().get_schedules(GetSchedulesOptions::default().view(View::Full)).await?;
        each(list.into_iter().filter_map(|s| s.id).collect(), n, |id| client.schedules().get_schedule(&id)).await
    };
    record("schedules", schedules.await.map(to_json));
    let collections = async {
        let list = client.collections().get_collections(GetCollectionsOptions::default().view(View::Full)).await?;
        each(list.into_iter().filter_map(|c| c.id).collect(), n, |id| client.collections().get_collection(&id)).await
    };
    record("collections", collections.await.map(to_json));
    record("users", client.users().get_users(GetUsersOptions::default().view(View::Full)).await.map(to_json));
    let groups = async {
        let list = client.user_groups().get_user_groups().await?;
        each(list.into_iter().filter_map(|g| g.id).collect(), n, |id| client.user_groups().get_user_group(&id)).await
    };
    record("user_groups", groups.await.map(to_json));
    let credentials = async {
        let list = client.credentials().get_credentials(GetCredentialsOptions::default().view(View::Full)).await?;
        each(list.into_iter().filter_map(|c| c.id).collect(), n, |id| client.credentials().get_credential(&id)).await
    };
    record("credentials", credentials.await.map(to_json));
    let connections = async {
        let list =
            client.server_connections().get_server_data_connections(GetServerDataConnectionsOptions::default()).await?;
        let ids = list.into_iter().filter_map(|c| c.id).collect();
        each(ids, n, |id| client.server_connections().get_server_data_connection(&id)).await
    };
    record("server_data_connections", connections.await.map(to_json));
    (inventory, errors, kept)
}

fn to_json<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// `fetch(id)` for every id, `n` at a time, in the ids' order.
async fn each<T, F, Fut>(ids: Vec<String>, n: usize, fetch: F) -> Result<Vec<T>, Error>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T, Error>> + Send + 'static,
    T: Send + 'static,
{
    let semaphore = Arc::new(tokio::sync::Semaphore::new(n));
    let mut running = tokio::task::JoinSet::new();
    for (i, id) in ids.into_iter().enumerate() {
        let call = fetch(id);
        let semaphore = semaphore.clone();
        running.spawn(async move {
            let _permit = semaphore.acquire_owned().await;
            (i, call.await)
        });
    }
    let mut out = Vec::new();
    while let Some(done) = running.join_next().await {
        let (i, result) = done.map_err(|e| Error::Config(format!("a task failed: {e}")))?;
        out.push((i, result?));
    }
    out.sort_by_key(|(i, _)| *i);
    Ok(out.into_iter().map(|(_, v)| v).collect())
}

/// The packages to keep: each workflow's published version, or every version.
fn plan(workflows: &[WorkflowDetail], all_versions: bool) -> Vec<Package> {
    let mut packages = Vec::new();
    for w in workflows {
        let Some(id) = w.id.clone() else { continue };
        let versions = w.versions.clone().unwrap_or_default();
        let package = |version_id: Option<String>, label: String, number: Option<i64>| Package {
            workflow_id: id.clone(),
            workflow_name: w.name.clone(),
            version_id,
            version_number: number,
            path: format!("packages/{}/{}.yxzp", file_safe(&id), file_safe(&label)),
            status: "pending".into(),
            bytes: None,
            sha256: None,
            error: None,
        };
        if all_versions && !versions.is_empty() {
            for v in versions {
                let Some(version) = v.version_id.clone() else { continue };
                packages.push(package(Some(version.clone()), version, v.version_number));
            }
        } else {
            let published = w.published_version_id.clone();
            let number = versions.iter().find(|v| v.version_id == published).and_then(|v| v.version_number);
            packages.push(package(None, published.unwrap_or_else(|| "published".into()), number));
        }
    }
    packages
}

/// An id as a file name: anything but letters, digits, `-` and `_` becomes `_`.
fn file_safe(id: &str) -> String {
    let safe: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    if safe.is_empty() { "_".into() } else { safe }
}

/// Whether a package file is still what the manifest says (size and sha256).
async fn still_whole(path: &Path, package: &Package) -> bool {
    let Ok(meta) = tokio::fs::metadata(path).await else { return false };
    if Some(meta.len()) != package.bytes {
        return false;
    }
    match sha256_of(path).await {
        Ok(sum) => package.sha256.as_deref() == Some(sum.as_str()),
        Err(_) => false,
    }
}

async fn sha256_of(path: &Path) -> std::io::Result<String> {
    use tokio::io::AsyncReadExt;
    let mut file = tokio::fs::File::open(path).await?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).await?;
        if n == 0 {
            return Ok(hex(&hasher.finalize()));
        }
        hasher.update(&buf[..n]);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A package, tried up to three times when the connection fails (a refusal is not retried).
async fn fetch_with_retries(
    client: &Client,
    dir: &Path,
    package: &Package,
    bytes: &ProgressBar,
) -> Result<(u64, String), String> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match fetch(client, dir, package, bytes).await {
            Ok(done) => return Ok(done),
            Err(FetchError::Call(e)) if attempt < 3 && (e.transport_kind().is_some() || e.is_timeout()) => {
                tokio::time::sleep(std::time::Duration::from_millis(200 * attempt)).await;
            }
            Err(e) => return Err(e.to_string()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum FetchError {
    #[error(transparent)]
    Call(#[from] Error),
    #[error("{0}")]
    Io(String),
}

/// One package to `<path>`, hashed on the way: the client writes it to `<path>.part`, syncs it,
/// then renames it into place.
async fn fetch(
    client: &Client,
    dir: &Path,
    package: &Package,
    bytes: &ProgressBar,
) -> Result<(u64, String), FetchError> {
    let path = dir.join(&package.path);
    if let Some(parent) = path.parent() {
        let e = |e: std::io::Error| FetchError::Io(format!("cannot create the directory {}: {e}", parent.display()));
        tokio::fs::create_dir_all(parent).await.map_err(e)?;
    }
    let mut options = DownloadWorkflowPackageOptions::default();
    options.version_id = package.version_id.clone();
    let body = client.workflows().download_workflow_package(&package.workflow_id, options).await?;
    if let Some(length) = body.content_length() {
        bytes.inc_length(length);
    }
    let hasher = Arc::new(Mutex::new(Sha256::new()));
    let (hashing, counting) = (hasher.clone(), bytes.clone());
    let body = body.inspect(move |chunk| {
        hashing.lock().unwrap_or_else(|e| e.into_inner()).update(chunk);
        counting.inc(chunk.len() as u64);
    });
    let size = body.save_to_file(&path).await?;
    let digest = std::mem::take(&mut *hasher.lock().unwrap_or_else(|e| e.into_inner())).finalize();
    Ok((size, hex(&digest)))
}

/// The run's summary, as `--json` prints it.
fn summary(manifest: &Manifest, dir: &Path, skipped: usize) -> Value {
    let count = |status: &str| manifest.packages.iter().filter(|p| p.status == status).count();
    let failed: Vec<Value> = manifest
        .packages
        .iter()
        .filter(|p| p.status != "complete")
        .map(|p| json!({"workflow_id": p.workflow_id, "workflow_name": p.workflow_name, "version_id": p.version_id, "error": p.error}))
        .collect();
    json!({
        "dir": dir,
        "server": manifest.server,
        "complete": manifest.complete,
        "packages": {
            "total": manifest.packages.len(),
            "downloaded": count("complete") - skipped,
            "already_complete": skipped,
            "failed": manifest.packages.len() - count("complete"),
        },
        "bytes": manifest.packages.iter().filter_map(|p| p.bytes).sum::<u64>(),
        "missing": failed,
        "inventory": manifest.inventory.iter().map(|(k, v)| (k.clone(), json!(v.as_array().map_or(0, Vec::len)))).collect::<BTreeMap<_, _>>(),
        "inventory_errors": manifest.inventory_errors,
        "manifest": dir.join("manifest.json"),
    })
}

fn report(context: &Context, summary: &Value) {
    if context.out.json {
        context.out.json(summary);
        return;
    }
    let p = &summary["packages"];
    println!(
        "backup of {} in {}: {} package(s): {} downloaded, {} already complete, {} failed ({} bytes)",
        crate::output::cell(&summary["server"]),
        crate::output::cell(&summary["dir"]),
        p["total"],
        p["downloaded"],
        p["already_complete"],
        p["failed"],
        summary["bytes"]
    );
    for (kind, n) in summary["inventory"].as_object().into_iter().flatten() {
        println!("  {kind}: {n}");
    }
    for (kind, why) in summary["inventory_errors"].as_object().into_iter().flatten() {
        println!("  {kind}: not read: {}", crate::output::cell(why));
    }
    for m in summary["missing"].as_array().into_iter().flatten() {
        println!(
            "  missing: {} ({}): {}",
            crate::output::cell(&m["workflow_id"]),
            crate::output::cell(&m["workflow_name"]),
            crate::output::cell(&m["error"])
        );
    }
    println!("manifest: {}", crate::output::cell(&summary["manifest"]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_names_each_package_by_workflow_and_version() {
        let mut w = WorkflowDetail::new();
        w.id = Some("wf/1".into());
        w.published_version_id = Some("v2".into());
        let mut v1 = alteryx_server::types::WorkflowVersion::new();
        v1.version_id = Some("v1".into());
        v1.version_number = Some(1);
        let mut v2 = v1.clone();
        v2.version_id = Some("v2".into());
        v2.version_number = Some(2);
        w.versions = Some(vec![v1, v2]);
        let published = plan(std::slice::from_ref(&w), false);
        assert_eq!(published.len(), 1);
        assert_eq!((published[0].path.as_str(), published[0].version_id.as_deref()), ("packages/wf_1/v2.yxzp", None));
        assert_eq!(published[0].version_number, Some(2));
        let all = plan(&[w], true);
        assert_eq!(
            all.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
            ["packages/wf_1/v1.yxzp", "packages/wf_1/v2.yxzp"]
        );
        assert_eq!(all[0].version_id.as_deref(), Some("v1"));
    }
}
