//! The commands: one module per family, each with its own arguments (clap derives) beside the
//! code that runs them; [`run`] dispatches to them. What they share is [`crate::context`].

#[cfg(feature = "api")]
pub(crate) mod api;
#[cfg(feature = "api-diff")]
pub(crate) mod api_diff;
pub(crate) mod audit;
pub(crate) mod backup;
pub(crate) mod catalogue;
pub(crate) mod config;
pub(crate) mod doctor;
pub(crate) mod groups;
pub(crate) mod history;
pub(crate) mod jobs;
pub(crate) mod manpages;
pub(crate) mod migrate;
pub(crate) mod package_map;
pub(crate) mod plan;
pub(crate) mod schedules;
pub(crate) mod users;
pub(crate) mod workflows;

use clap::CommandFactory;

use crate::args::{Cli, Command};
use crate::context::Context;
use crate::exit::CliError;
use crate::output::Output;
use crate::progress::Progress;

/// Runs the command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let context = Context {
        out: Output { json: cli.json },
        progress: Progress::new(!cli.no_progress),
        config_path: crate::config::path(cli.config.as_deref())?,
        profile: cli.profile,
        yes: cli.yes,
    };
    match cli.command {
        Command::Config(command) => config::run(&context, command),
        Command::Workflows(command) => workflows::run(&context, command).await,
        Command::Jobs(command) => jobs::run(&context, command).await,
        Command::Backup(args) => backup::run(&context, args).await,
        Command::Migrate(args) => migrate::run(&context, args).await,
        Command::Apply(args) => plan::run(&context, args).await,
        Command::Users(command) => users::run(&context, command).await,
        Command::Groups(command) => groups::run(&context, command).await,
        Command::Schedules(command) => schedules::run(&context, command).await,
        Command::Audit(args) => audit::run(&context, args).await,
        Command::Doctor(args) => doctor::run(&context, args).await,
        #[cfg(feature = "api-diff")]
        Command::ApiDiff(args) => api_diff::run(&context, args).await,
        Command::Commands => catalogue::run(&context),
        Command::History(command) => history::run(&context, command),
        Command::Manpages { dir } => manpages::run(&dir),
        #[cfg(feature = "api")]
        Command::Api(invocation) => api::run(&context, &invocation).await,
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "ayx", &mut std::io::stdout());
            Ok(())
        }
    }
}
