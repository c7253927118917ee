//! Plans: what a command that changes servers will do, written as data by `--plan-out FILE`
//! (`ayx migrate`) and carried out exactly by `ayx apply FILE`, which checks first that the
//! servers have not changed in a way that matters and refuses the whole plan (exit 9) if they
//! have. A plan names profiles and the URLs they pointed at, never credentials.

use std::path::{Path, PathBuf};

use clap::Args;
use serde::{Deserialize, Serialize};

use crate::commands::migrate::{self, MigratePlan};
use crate::commands::users::{self, OffboardPlan};
use crate::context::Context;
use crate::exit::CliError;

/// The plan file's format version.
const VERSION: u32 = 1;

/// A plan, by the command that made it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Plan {
    /// `ayx migrate --plan-out`.
    Migrate(MigratePlan),
    /// `ayx users offboard --plan-out`.
    Offboard(OffboardPlan),
}

/// A server of a plan: the profile, and the URL it pointed at when the plan was made.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlanServer {
    pub profile: String,
    pub url: String,
}

impl PlanServer {
    /// Why the plan no longer fits, when the profile now points at another server.
    pub fn moved(&self, now: &str) -> Option<String> {
        (self.url.trim_end_matches('/') != now.trim_end_matches('/'))
            .then(|| format!("the profile `{}` now points at {now}, not {}", self.profile, self.url))
    }
}

/// Refuses a plan with every reason it went stale (exit 9, nothing changed).
pub fn refuse_if_stale(reasons: &[String], remake: &str) -> Result<(), CliError> {
    if reasons.is_empty() {
        return Ok(());
    }
    Err(CliError::Exit {
        message: format!(
            "the plan went stale; nothing was changed. Make a new one with `{remake}`:\n  {}",
            reasons.join("\n  ")
        ),
        code: crate::exit::STALE,
    })
}

/// The file: the format's version, when it was made, the plan.
#[derive(Debug, Serialize, Deserialize)]
struct PlanFile {
    ayx_plan: u32,
    created: chrono::DateTime<chrono::Utc>,
    #[serde(flatten)]
    plan: Plan,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The plan (`ayx migrate ... --plan-out FILE`).
    pub file: PathBuf,
}

/// Writes `plan` to `path`.
pub fn write(path: &Path, plan: Plan) -> Result<(), CliError> {
    let file = PlanFile { ayx_plan: VERSION, created: chrono::Utc::now(), plan };
    let text = serde_json::to_vec_pretty(&file).map_err(|e| CliError::Usage(e.to_string()))?;
    crate::files::replace(path, &text, false).map_err(|e| CliError::io(format!("cannot write {}", path.display()), e))
}

fn read(path: &Path) -> Result<PlanFile, CliError> {
    let text = std::fs::read(path).map_err(|e| CliError::io(format!("cannot read {}", path.display()), e))?;
    let file: PlanFile = serde_json::from_slice(&text)
        .map_err(|e| CliError::Usage(format!("{} is not a plan of ayx: {e}", path.display())))?;
    if file.ayx_plan != VERSION {
        return Err(CliError::Usage(format!(
            "{} is a plan of format {}; this ayx reads format {VERSION}",
            path.display(),
            file.ayx_plan
        )));
    }
    Ok(file)
}

pub async fn run(context: &Context, args: ApplyArgs) -> Result<(), CliError> {
    match read(&args.file)?.plan {
        Plan::Migrate(plan) => migrate::apply(context, plan).await,
        Plan::Offboard(plan) => users::apply(context, plan).await,
    }
}
