//! The commands: each module runs one family, through the [`Context`] they share (output mode,
//! progress bars, and the client for the chosen profile).

mod config;
mod jobs;
mod workflows;

use std::path::PathBuf;

use alteryx_server::Client;
use clap::CommandFactory;

use crate::args::{Cli, Command};
use crate::config::{Connection, Environment};
use crate::exit::CliError;
use crate::output::Output;
use crate::progress::Progress;

/// What every command needs.
pub struct Context {
    /// How to print results.
    pub out: Output,
    /// Progress bars (hidden when standard error is not a terminal).
    pub progress: Progress,
    /// The config file.
    pub config_path: PathBuf,
    /// `--profile`.
    pub profile: Option<String>,
}

impl Context {
    /// The connection of the chosen profile, the environment on top.
    pub fn connection(&self) -> Result<Connection, CliError> {
        let config = crate::config::load(&self.config_path)?;
        crate::config::resolve(&config, self.profile.as_deref(), &Environment::read())
    }

    /// A client for the chosen profile.
    pub fn client(&self) -> Result<Client, CliError> {
        client_for(&self.connection()?)
    }
}

/// A client for a connection: OAuth2 client credentials, the profile's token URL, plain HTTP
/// only where the profile (or `AYX_INSECURE_HTTP=1`, for local test servers) allows it.
pub fn client_for(connection: &Connection) -> Result<Client, CliError> {
    let insecure = connection.insecure_http || std::env::var("AYX_INSECURE_HTTP").is_ok_and(|v| v == "1");
    let mut builder = Client::builder(&connection.url)
        .client_credentials(&connection.key, &connection.secret)
        .allow_insecure_http(insecure);
    if let Some(url) = &connection.token_url {
        builder = builder.token_url(url);
    }
    Ok(builder.build()?)
}

/// Runs the command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let context = Context {
        out: Output { json: cli.json },
        progress: Progress::new(!cli.no_progress),
        config_path: crate::config::path(cli.config.as_deref())?,
        profile: cli.profile,
    };
    match cli.command {
        Command::Config(command) => config::run(&context, command),
        Command::Workflows(command) => workflows::run(&context, command).await,
        Command::Jobs(command) => jobs::run(&context, command).await,
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "ayx", &mut std::io::stdout());
            Ok(())
        }
    }
}
