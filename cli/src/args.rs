//! The command line's top: the global flags and the families of commands, each of which keeps
//! its own arguments beside it (`commands/<family>.rs`), and the value parsers they share.
//! Parsing only; the commands run in `commands/`.

use std::marker::PhantomData;
use std::path::PathBuf;
use std::time::Duration;

use alteryx_server::StringEnum;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Parser, Subcommand};

#[cfg(feature = "api")]
use crate::commands::api;
use crate::commands::{
    audit, backup, config, doctor, groups, history, jobs, migrate, plan, schedules, users, workflows,
};

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
    Config(config::ConfigCommand),
    /// List, inspect, upload and download workflows.
    #[command(subcommand)]
    Workflows(workflows::WorkflowsCommand),
    /// Run workflows and apps, follow jobs, read their messages and outputs.
    #[command(subcommand)]
    Jobs(jobs::JobsCommand),
    /// Back up every workflow's package and a manifest of the server's objects (resumable).
    #[command(after_help = concat!(
        "Examples:\n",
        "  ayx backup --out /backups/alteryx-2026-11-29\n",
        "  ayx backup --out /backups/nightly --concurrency 8 --all-versions --json\n",
        "\nA rerun with the same --out skips every package already complete (size and sha256 in the\n",
        "manifest) and finishes the rest; files in flight are written as .part and renamed when whole.",
    ))]
    Backup(backup::BackupArgs),
    /// Migrate workflows from one server to another (the admin v1 migration flow, or V3).
    #[command(after_help = concat!(
        "Examples:\n",
        "  ayx migrate --from dev --to prod --marked --dry-run\n",
        "  ayx migrate --from dev --to prod --marked --owner ops@example.com --yes\n",
        "  ayx migrate --from dev --to prod --workflow 6512a7c3e4b0a1b2c3d4e5f6 --workflow 6512a7c3e4b0a1b2c3d4e5f7\n",
        "  ayx migrate --from dev --to prod --collection \"Finance reports\" --api v3\n",
        "\nA workflow published again with the same source id replaces (a new version), so a rerun after\n",
        "an interruption or a partial failure completes the migration without duplicates.\n",
        crate::changes!(),
    ))]
    Migrate(migrate::MigrateArgs),
    /// Carry out a plan (`ayx migrate ... --plan-out FILE`): exactly its steps, after checking
    /// that the servers still fit it (refused with exit 9, nothing changed, when they do not).
    #[command(after_help = concat!(
        "Examples:\n",
        "  ayx migrate --from dev --to prod --marked --plan-out release-42.json\n",
        "  ayx apply release-42.json --yes\n",
        crate::changes!(),
    ))]
    Apply(plan::ApplyArgs),
    /// Users: offboard one (transfer their assets, then deactivate).
    #[command(subcommand)]
    Users(users::UsersCommand),
    /// User groups: list, show, create, add and remove members, delete.
    #[command(subcommand)]
    Groups(groups::GroupsCommand),
    /// Schedules: list, enable, disable.
    #[command(subcommand)]
    Schedules(schedules::SchedulesCommand),
    /// Every page of the audit log of one kind of entity, as a table, JSON lines or CSV.
    #[command(after_help = concat!(
        "Examples:\n",
        "  ayx audit --entity User --since 2026-11-01\n",
        "  ayx audit --entity AppInfo --json > workflow-changes.jsonl\n",
        "  ayx audit --entity Credential --csv > credentials.csv\n",
        "\nEntities: AppInfo (workflows), Collection, Credential, Subscription, User, UserGroup.",
    ))]
    Audit(audit::AuditArgs),
    /// Every operation of the API as it is: `ayx api <group> <operation>`, arguments checked
    /// before anything is sent, `--dry-run` to see the request.
    #[cfg(feature = "api")]
    #[command(after_help = api::EXAMPLES)]
    Api(alteryx_server::cli::Invocation),
    /// Check what stands between this machine and the server, each finding with its fix: the
    /// profile, DNS, TCP, the proxy, TLS, the token endpoint, the clock, each API family.
    #[command(after_help = concat!(
        "Examples:\n",
        "  ayx doctor\n",
        "  ayx doctor --profile prod --json\n",
        "\nExit code 0 when everything the commands need works; a family only some commands use\n",
        "(admin v1 migration, the audit log, input files) is a warning when absent or refused.",
    ))]
    Doctor(doctor::DoctorArgs),
    /// What this server serves against what this client was generated from: its Swagger
    /// document compared, by group, with the client's spec and overlays.
    #[cfg(feature = "api-diff")]
    #[command(after_help = concat!(
        "Examples:\n",
        "  ayx api-diff\n",
        "  ayx api-diff --spec-url https://alteryx.example.com/webapi/swagger/docs/v3 --json\n",
        "\nMaintainers: each line is a candidate for an overlay in spec/overlays/.",
    ))]
    ApiDiff(crate::commands::api_diff::ApiDiffArgs),
    /// The records of the changes ayx made: who, what was asked, each call and its answer.
    #[command(subcommand)]
    History(history::HistoryCommand),
    /// Every command, its arguments and whether it changes a server (`--json` for scripts and agents).
    #[command(
        after_help = "Examples:\n  ayx commands\n  ayx commands --json | jq '.commands[] | select(.changes_server)'"
    )]
    Commands,
    /// Write a man page per command into DIR (`cargo xtask dist` packs them).
    #[command(hide = true)]
    Manpages {
        /// Where to write them.
        dir: PathBuf,
    },
    /// Print shell completions.
    #[command(after_help = "Example:\n  ayx completions bash > /etc/bash_completion.d/ayx")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// `90s`, `30m`, `2h`, `1h 30m`.
pub fn duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text).map_err(|e| format!("`{text}` is not a duration like 90s, 30m or 2h: {e}"))
}

/// The values of one of the spec's string enums as a command-line argument: its listed values in
/// the help and in completions, each accepted as the API writes it or in any case with dashes
/// (`semi-safe` for `SemiSafe`), anything else refused with the list.
#[derive(Clone)]
pub struct EnumArg<T>(PhantomData<fn() -> T>);

impl<T> EnumArg<T> {
    /// The parser.
    pub fn new() -> Self {
        EnumArg(PhantomData)
    }
}

impl<T: StringEnum + Clone + Send + Sync + 'static> TypedValueParser for EnumArg<T> {
    type Value = T;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let text =
            value.to_str().ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidUtf8).with_cmd(command))?;
        T::parse_listed(text).map_err(|why| {
            let arg = arg.map(|a| a.to_string()).unwrap_or_default();
            clap::Error::raw(clap::error::ErrorKind::InvalidValue, format!("invalid value for {arg}: {why}\n"))
                .with_cmd(command)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::VALUES.iter().map(|v| PossibleValue::new(*v))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alteryx_server::types::ExecutionMode;
    use clap::CommandFactory;

    #[test]
    fn spec_enums_take_their_listed_values_in_any_spelling_and_list_them_in_the_help() {
        let parse = |value: &str| {
            Cli::try_parse_from([
                "ayx",
                "workflows",
                "upload",
                "f.yxzp",
                "--name",
                "n",
                "--owner",
                "o",
                "--execution-mode",
                value,
            ])
        };
        for spelling in ["SemiSafe", "semi-safe", "semisafe"] {
            let cli = parse(spelling).unwrap();
            let Command::Workflows(workflows::WorkflowsCommand::Upload(upload)) = cli.command else { panic!() };
            assert_eq!(upload.execution_mode, ExecutionMode::SemiSafe, "{spelling}");
        }
        let err = parse("turbo").unwrap_err().to_string();
        assert!(err.contains("`turbo` is not one of Safe, SemiSafe, Standard"), "{err}");
        let mut command = Cli::command();
        let upload = command.find_subcommand_mut("workflows").unwrap().find_subcommand_mut("upload").unwrap();
        let help = upload.render_long_help().to_string();
        assert!(help.contains("Safe") && help.contains("SemiSafe") && help.contains("Standard"), "{help}");
    }

    #[cfg(feature = "api")]
    #[test]
    fn the_examples_of_ayx_api_parse() {
        // The example's files, where the parser checks that they exist.
        let dir = std::env::temp_dir().join(format!("ayx-examples-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("customers.csv"), "id\n1\n").unwrap();
        let examples = crate::commands::api::EXAMPLES.lines().filter_map(|l| l.trim().strip_prefix("ayx "));
        let mut count = 0;
        for example in examples {
            let words = example.split_whitespace().take_while(|w| *w != ">");
            let words =
                words.map(|w| if w.ends_with(".csv") { dir.join(w).display().to_string() } else { w.to_string() });
            let args: Vec<String> = std::iter::once("ayx".to_string()).chain(words).collect();
            let cli = Cli::try_parse_from(&args).unwrap_or_else(|e| panic!("ayx {example}: {e}"));
            assert!(matches!(cli.command, Command::Api(_)), "{example}");
            count += 1;
        }
        assert_eq!(count, 7);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_whole_command_tree_is_consistent() {
        // clap's own checks (duplicate flags, ids, positions) over every command, `ayx api`'s too.
        Cli::command().debug_assert();
    }
}
