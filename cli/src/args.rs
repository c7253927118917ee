//! The command line: every command, its arguments and its help, with examples. Parsing only; the
//! commands live in `commands/`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "ayx",
    version,
    about = "A command line for Alteryx Server: run apps and fetch their outputs, manage workflows and jobs.",
    after_help = concat!(
        "Examples:\n",
        "  ayx config add prod --url https://alteryx.example.com/webapi --key KEY --secret-stdin < secret.txt\n",
        "  ayx workflows list\n",
        "  ayx jobs run 6512a7c3e4b0a1b2c3d4e5f6 --answer Region=EMEA --answer-file Customers=customers.csv --wait --out results/\n",
        "\nConnection: a profile (ayx config), overridden by AYX_URL, AYX_KEY, AYX_SECRET (or AYX_SECRET_FILE) and AYX_PROFILE.\n\n",
        crate::exit_codes!(),
    ),
)]
pub struct Cli {
    /// The profile to use (default: AYX_PROFILE, or the config's default).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// The config file (default: AYX_CONFIG, or ayx/config.toml in the platform's config directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Print JSON for scripts: one document (JSON lines for streams), with stable field names.
    #[arg(long, global = true)]
    pub json: bool,
    /// Never draw progress bars or spinners (they are drawn only when standard error is a terminal).
    #[arg(long, global = true)]
    pub no_progress: bool,
    /// Make changes without asking. Commands that change a server ask first on a terminal, and
    /// refuse without --yes when none is there to ask.
    #[arg(long, short = 'y', global = true)]
    pub yes: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage connection profiles.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// List, inspect, upload and download workflows.
    #[command(subcommand)]
    Workflows(WorkflowsCommand),
    /// Run workflows and apps, follow jobs, read their messages and outputs.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Back up every workflow's package and a manifest of the server's objects (resumable).
    #[command(after_help = concat!(
        "Examples:\n",
        "  ayx backup --out /backups/alteryx-2026-11-29\n",
        "  ayx backup --out /backups/nightly --concurrency 8 --all-versions --json\n",
        "\nA rerun with the same --out skips every package already complete (size and sha256 in the\n",
        "manifest) and finishes the rest; files in flight are written as .part and renamed when whole.",
    ))]
    Backup(BackupArgs),
    /// Migrate workflows from one server to another (the admin v1 migration flow, or V3).
    #[command(after_help = concat!(
        "Examples:\n",
        "  ayx migrate --from dev --to prod --marked --dry-run\n",
        "  ayx migrate --from dev --to prod --marked --owner ops@example.com --yes\n",
        "  ayx migrate --from dev --to prod --workflow 6512a7c3e4b0a1b2c3d4e5f6 --workflow 6512a7c3e4b0a1b2c3d4e5f7\n",
        "  ayx migrate --from dev --to prod --collection \"Finance reports\" --api v3\n",
        "\nA workflow published again with the same source id replaces (a new version), so a rerun after\n",
        "an interruption or a partial failure completes the migration without duplicates.",
    ))]
    Migrate(MigrateArgs),
    /// Users: offboard one (transfer their assets, then deactivate).
    #[command(subcommand)]
    Users(UsersCommand),
    /// User groups: list, show, create, add and remove members, delete.
    #[command(subcommand)]
    Groups(GroupsCommand),
    /// Schedules: list, enable, disable.
    #[command(subcommand)]
    Schedules(SchedulesCommand),
    /// Every page of the audit log of one kind of entity, as a table, JSON lines or CSV.
    #[command(after_help = concat!(
        "Examples:\n",
        "  ayx audit --entity User --since 2026-11-01\n",
        "  ayx audit --entity AppInfo --json > workflow-changes.jsonl\n",
        "  ayx audit --entity Credential --csv > credentials.csv\n",
        "\nEntities: AppInfo (workflows), Collection, Credential, Subscription, User, UserGroup.",
    ))]
    Audit(AuditArgs),
    /// Print shell completions.
    #[command(after_help = "Example:\n  ayx completions bash > /etc/bash_completion.d/ayx")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

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

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["marked", "workflows", "collection"])))]
pub struct MigrateArgs {
    /// The source server's profile.
    #[arg(long, value_name = "PROFILE")]
    pub from: String,
    /// The target server's profile.
    #[arg(long, value_name = "PROFILE")]
    pub to: String,
    /// The workflows marked ready to migrate on the source (admin v1).
    #[arg(long)]
    pub marked: bool,
    /// With --marked: only those of these subscriptions.
    #[arg(long = "subscription", value_name = "ID", requires = "marked")]
    pub subscriptions: Vec<String>,
    /// These workflows (repeat).
    #[arg(long = "workflow", value_name = "ID")]
    pub workflows: Vec<String>,
    /// The workflows of the source's collection of this name.
    #[arg(long, value_name = "NAME")]
    pub collection: Option<String>,
    /// The owner in the target, by email (default: the source owner's email).
    #[arg(long, value_name = "EMAIL")]
    pub owner: Option<String>,
    /// Print the plan and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Which API publishes: admin v1 (replaces by source id), V3 (adds a version to the target
    /// workflow whose sourceAppId is the source id, when the target reports it), or auto (admin
    /// v1, V3 where the server has no admin v1 migration endpoints).
    #[arg(long, value_enum, default_value_t = MigrationApi::Auto)]
    pub api: MigrationApi,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MigrationApi {
    Auto,
    #[value(name = "admin-v1")]
    AdminV1,
    V3,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// List users.
    #[command(after_help = "Examples:\n  ayx users list\n  ayx users list --email ada@example.com --json")]
    List {
        /// Only the user with this email.
        #[arg(long)]
        email: Option<String>,
    },
    /// Transfer all of a user's assets (workflows, schedules, collections) to another user, then optionally deactivate them.
    #[command(after_help = concat!(
        "Examples:\n",
        "  ayx users offboard ada@example.com --to grace@example.com --dry-run\n",
        "  ayx users offboard ada@example.com --to grace@example.com --deactivate --yes",
    ))]
    Offboard {
        /// The user leaving: an id or an email.
        user: String,
        /// The new owner: an id or an email.
        #[arg(long)]
        to: String,
        /// Deactivate the user once the assets are transferred.
        #[arg(long)]
        deactivate: bool,
        /// List the assets and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum GroupsCommand {
    /// List user groups.
    #[command(after_help = "Example:\n  ayx groups list --json")]
    List,
    /// Show a user group and its members.
    #[command(after_help = "Example:\n  ayx groups get 6512a7c3e4b0a1b2c3d4e5f9")]
    Get {
        /// The group id.
        id: String,
    },
    /// Create a user group; prints its id.
    #[command(after_help = "Example:\n  ayx groups create \"Finance analysts\" --role artisan --yes")]
    Create {
        /// The group's name.
        name: String,
        /// The role its members have at least.
        #[arg(long, value_enum, default_value_t = GroupRole::Viewer)]
        role: GroupRole,
    },
    /// Add users (ids or emails) to a group.
    #[command(
        name = "add-users",
        after_help = "Example:\n  ayx groups add-users 6512a7c3e4b0a1b2c3d4e5f9 ada@example.com grace@example.com --yes"
    )]
    AddUsers {
        /// The group id.
        id: String,
        /// The users: ids or emails.
        #[arg(required = true)]
        users: Vec<String>,
    },
    /// Remove a user (id or email) from a group.
    #[command(
        name = "remove-user",
        after_help = "Example:\n  ayx groups remove-user 6512a7c3e4b0a1b2c3d4e5f9 ada@example.com --yes"
    )]
    RemoveUser {
        /// The group id.
        id: String,
        /// The user: an id or an email.
        user: String,
    },
    /// Delete a user group.
    #[command(after_help = "Example:\n  ayx groups delete 6512a7c3e4b0a1b2c3d4e5f9 --force --yes")]
    Delete {
        /// The group id.
        id: String,
        /// Delete it even when it still has members or shares.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GroupRole {
    NoAccess,
    Viewer,
    Member,
    Artisan,
    Curator,
    Evaluated,
}

#[derive(Debug, Subcommand)]
pub enum SchedulesCommand {
    /// List schedules.
    #[command(
        after_help = "Examples:\n  ayx schedules list\n  ayx schedules list --workflow 6512a7c3e4b0a1b2c3d4e5f6 --json"
    )]
    List {
        /// Only the schedules of this workflow.
        #[arg(long)]
        workflow: Option<String>,
        /// Only the schedules of this owner (user id).
        #[arg(long)]
        owner: Option<String>,
    },
    /// Enable schedules.
    #[command(after_help = "Example:\n  ayx schedules enable 6512a7c3e4b0a1b2c3d4e5fa 6512a7c3e4b0a1b2c3d4e5fb --yes")]
    Enable {
        /// The schedule ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Disable schedules.
    #[command(after_help = "Example:\n  ayx schedules disable 6512a7c3e4b0a1b2c3d4e5fa --yes")]
    Disable {
        /// The schedule ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The kind of entity: AppInfo (workflows), Collection, Credential, Subscription, User, UserGroup.
    #[arg(long)]
    pub entity: String,
    /// Only events at or after this date (2026-11-01) or time (2026-11-01T08:00:00Z).
    #[arg(long, value_parser = since)]
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    /// Write CSV instead of a table (--json writes JSON lines).
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Events asked for per page.
    #[arg(long, default_value_t = 100, hide = true)]
    pub page_size: u32,
}

/// A date (`2026-11-01`, midnight UTC) or an RFC 3339 time.
fn since(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(t.to_utc());
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
        .map_err(|_| format!("`{text}` is not a date (2026-11-01) or an RFC 3339 time"))
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Add (or replace) a profile. The secret is read from standard input or kept in a file of its own, never given on the command line.
    #[command(after_help = concat!(
        "Examples:\n",
        "  ayx config add prod --url https://alteryx.example.com/webapi --key KEY --secret-stdin < secret.txt\n",
        "  ayx config add dev --url https://dev.example.com/webapi --key KEY --secret-file ~/.ayx/dev.secret --default",
    ))]
    Add {
        /// The profile's name.
        name: String,
        /// The API's base URL (https://SERVER/webapi).
        #[arg(long)]
        url: String,
        /// The API key (your profile's "Keys" page).
        #[arg(long)]
        key: String,
        /// Read the API secret from standard input and keep it in the config file (written readable by you only).
        #[arg(long, conflicts_with = "secret_file")]
        secret_stdin: bool,
        /// Keep the API secret in this file (it must be readable by you only).
        #[arg(long, value_name = "PATH")]
        secret_file: Option<PathBuf>,
        /// The OAuth2 token URL, when it is not URL/oauth2/token.
        #[arg(long)]
        token_url: Option<String>,
        /// Allow a plain http:// URL (local test servers only).
        #[arg(long)]
        insecure_http: bool,
        /// Make it the default profile.
        #[arg(long)]
        default: bool,
    },
    /// List the profiles (secrets are never shown).
    #[command(after_help = "Example:\n  ayx config list --json")]
    List,
    /// Remove a profile.
    #[command(after_help = "Example:\n  ayx config remove dev")]
    Remove {
        /// The profile's name.
        name: String,
    },
    /// Make a profile the default.
    #[command(after_help = "Example:\n  ayx config use prod")]
    Use {
        /// The profile's name.
        name: String,
    },
    /// Show the connection a command would use, with where each value comes from (not the secret).
    #[command(after_help = "Example:\n  AYX_PROFILE=dev ayx config show")]
    Show,
}

#[derive(Debug, Subcommand)]
pub enum WorkflowsCommand {
    /// List workflows.
    #[command(after_help = "Examples:\n  ayx workflows list\n  ayx workflows list --name Sales --json")]
    List {
        /// Only workflows whose name contains this.
        #[arg(long)]
        name: Option<String>,
        /// Only workflows of this owner (user id).
        #[arg(long)]
        owner: Option<String>,
    },
    /// Show one workflow.
    #[command(after_help = "Example:\n  ayx workflows get 6512a7c3e4b0a1b2c3d4e5f6")]
    Get {
        /// The workflow id.
        id: String,
    },
    /// Upload a package (.yxzp) as a new workflow; prints its id.
    #[command(
        after_help = "Example:\n  ayx workflows upload flow.yxzp --name Sales --owner 6512a7c3e4b0a1b2c3d4e5f7 --others-can-execute"
    )]
    Upload(UploadArgs),
    /// Download a workflow's package (.yxzp).
    #[command(
        after_help = "Examples:\n  ayx workflows download 6512a7c3e4b0a1b2c3d4e5f6\n  ayx workflows download 6512a7c3e4b0a1b2c3d4e5f6 --version 3 --out sales.yxzp"
    )]
    Download {
        /// The workflow id.
        id: String,
        /// A version id (default: the published version).
        #[arg(long)]
        version: Option<String>,
        /// Where to write the package (default: WORKFLOW-ID.yxzp).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// List a workflow's versions.
    #[command(after_help = "Example:\n  ayx workflows versions 6512a7c3e4b0a1b2c3d4e5f6")]
    Versions {
        /// The workflow id.
        id: String,
    },
    /// List an analytic app's questions.
    #[command(after_help = "Example:\n  ayx workflows questions 6512a7c3e4b0a1b2c3d4e5f6")]
    Questions {
        /// The workflow id.
        id: String,
        /// A version id (default: the published version).
        #[arg(long)]
        version: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct UploadArgs {
    /// The package file.
    pub file: PathBuf,
    /// The workflow's name.
    #[arg(long)]
    pub name: String,
    /// The owner's user id.
    #[arg(long)]
    pub owner: String,
    /// Comments.
    #[arg(long)]
    pub comments: Option<String>,
    /// Make it visible to every user.
    #[arg(long)]
    pub public: bool,
    /// Mark it ready for migration.
    #[arg(long)]
    pub ready_for_migration: bool,
    /// Let others download it.
    #[arg(long)]
    pub others_may_download: bool,
    /// Let others run it.
    #[arg(long)]
    pub others_can_execute: bool,
    /// Execution mode.
    #[arg(long, value_enum, default_value_t = ExecutionMode::Standard)]
    pub execution_mode: ExecutionMode,
    /// Which credential it runs with: the runner's default, one the runner must give, or a specific one (--credential).
    #[arg(long, value_enum, default_value_t = CredentialType::Default)]
    pub credential_type: CredentialType,
    /// The credential id, with --credential-type specific.
    #[arg(long)]
    pub credential: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExecutionMode {
    Safe,
    SemiSafe,
    Standard,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CredentialType {
    Default,
    Required,
    Specific,
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Run a workflow or an analytic app. With --wait: wait for it to finish, print its messages, and exit 0 only if it succeeded (4 if it failed, also when it completed with error messages).
    #[command(after_help = concat!(
        "Examples:\n",
        "  ayx jobs run 6512a7c3e4b0a1b2c3d4e5f6 --wait\n",
        "  ayx jobs run 6512a7c3e4b0a1b2c3d4e5f6 --answer Region=EMEA --answer \"Top N=10\" \\\n",
        "      --answer-file Customers=customers.csv --wait --timeout 2h --out results/ --format Csv\n",
        "  ayx jobs run 6512a7c3e4b0a1b2c3d4e5f6 --priority high --json   # prints the job id at once",
    ))]
    Run(RunArgs),
    /// Show one job.
    #[command(after_help = "Example:\n  ayx jobs get 66ebd18d3d6200007e000d8c")]
    Get {
        /// The job id.
        id: String,
    },
    /// List a workflow's jobs, newest first.
    #[command(
        after_help = "Examples:\n  ayx jobs list 6512a7c3e4b0a1b2c3d4e5f6\n  ayx jobs list 6512a7c3e4b0a1b2c3d4e5f6 --limit 500 --json"
    )]
    List {
        /// The workflow id.
        workflow: String,
        /// At most this many jobs.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Print a job's messages (error ones marked).
    #[command(after_help = "Example:\n  ayx jobs messages 66ebd18d3d6200007e000d8c")]
    Messages {
        /// The job id.
        id: String,
    },
    /// List a job's outputs, or download them with --out.
    #[command(
        after_help = "Examples:\n  ayx jobs outputs 66ebd18d3d6200007e000d8c\n  ayx jobs outputs 66ebd18d3d6200007e000d8c --out results/ --format Csv"
    )]
    Outputs {
        /// The job id.
        id: String,
        /// Download every output into this directory.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The format to download them in (default: the first each output offers).
        #[arg(long, requires = "out")]
        format: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The workflow (app) id.
    pub workflow: String,
    /// An answer to one of the app's questions, NAME=VALUE (repeat for each).
    #[arg(long = "answer", value_name = "NAME=VALUE", value_parser = name_value)]
    pub answers: Vec<(String, String)>,
    /// A file answer, NAME=PATH: the file is uploaded and its reference becomes the answer.
    #[arg(long = "answer-file", value_name = "NAME=PATH", value_parser = name_value)]
    pub answer_files: Vec<(String, String)>,
    /// The job's priority (needs the right to set priorities).
    #[arg(long, value_enum)]
    pub priority: Option<JobPriority>,
    /// The credential id to run with.
    #[arg(long)]
    pub credential: Option<String>,
    /// The worker tag to run on.
    #[arg(long)]
    pub worker_tag: Option<String>,
    /// Wait for the job to finish and report how it went.
    #[arg(long)]
    pub wait: bool,
    /// How long to wait at most (with --wait), e.g. 90s, 30m, 2h.
    #[arg(long, value_parser = duration, default_value = "30m", requires = "wait")]
    pub timeout: Duration,
    /// How often to ask while waiting.
    #[arg(long, value_parser = duration, default_value = "2s", hide = true)]
    pub interval: Duration,
    /// Download the outputs into this directory once the job is done (needs --wait).
    #[arg(long, requires = "wait")]
    pub out: Option<PathBuf>,
    /// The format to download the outputs in (default: the first each output offers).
    #[arg(long, requires = "out")]
    pub format: Option<String>,
    /// Do not read the app's questions to check the answers first.
    #[arg(long)]
    pub no_check: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum JobPriority {
    Default,
    Low,
    Medium,
    High,
    Critical,
}

/// `NAME=VALUE`, split at the first `=`.
fn name_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => Ok((name.trim().to_string(), value.to_string())),
        _ => Err(format!("`{text}` is not NAME=VALUE")),
    }
}

/// `90s`, `30m`, `2h`, `1h 30m`.
pub fn duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text).map_err(|e| format!("`{text}` is not a duration like 90s, 30m or 2h: {e}"))
}
