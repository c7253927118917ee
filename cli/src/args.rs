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
    /// Print shell completions.
    #[command(after_help = "Example:\n  ayx completions bash > /etc/bash_completion.d/ayx")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
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
