//! `ayx`: a command line for Alteryx Server, built on the generated `alteryx-server` client and
//! its task helpers. Tasks, not endpoints: run an app with answers and fetch its outputs, follow
//! jobs, move packages. `--json` for scripts, tables and progress bars for people, documented exit
//! codes (`exit.rs`).

mod args;
mod commands;
mod config;
mod context;
mod exit;
mod files;
mod output;
mod owners;
mod progress;
mod records;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    // One parse: the matches give both the arguments and the words of the command being run.
    let mut tree = args::Cli::command();
    let parsed = tree.try_get_matches_from_mut(std::env::args_os()).and_then(|matches| {
        let cli = args::Cli::from_arg_matches(&matches)?;
        Ok((cli, command_words(&matches)))
    });
    let (cli, command) = match parsed {
        Ok(parsed) => parsed,
        Err(e) if e.use_stderr() && std::env::args_os().any(|a| a == "--json") => {
            let error = exit::CliError::Usage(e.render().to_string().trim_start_matches("error: ").trim().to_string());
            eprintln!("{}", serde_json::to_string(&error.document()).unwrap_or_default());
            return ExitCode::from(exit::USAGE);
        }
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit::USAGE } else { exit::OK });
        }
    };
    let json = cli.json;
    let started = chrono::Utc::now();
    let changes_server = commands::catalogue::changes_server(&tree, &command);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::from(exit::FAILURE);
        }
    };
    let result = runtime.block_on(async {
        tokio::select! {
            result = commands::run(cli) => result,
            // Interrupted: the command's future is dropped (downloads in flight stay `.part`
            // files, which a rerun replaces), and the shell's convention for SIGINT is kept.
            _ = tokio::signal::ctrl_c() => Err(exit::CliError::Exit { message: "interrupted".into(), code: exit::INTERRUPTED }),
        }
    });
    if changes_server {
        record(&command.join(" "), started, &result, json);
    }
    match result {
        Ok(()) => ExitCode::from(exit::OK),
        Err(e) if json => {
            // One JSON document on standard error: standard output stays the command's data.
            eprintln!("{}", serde_json::to_string(&e.document()).unwrap_or_default());
            ExitCode::from(e.code())
        }
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(detail) = e.detail() {
                eprintln!("the server said: {detail}");
            }
            ExitCode::from(e.code())
        }
    }
}

/// The words of the command being run (`["groups", "create"]`).
fn command_words(matches: &clap::ArgMatches) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = matches;
    while let Some((name, sub)) = current.subcommand() {
        words.push(name.to_string());
        current = sub;
    }
    words
}

/// Writes the record of a run that changed a server (see `records.rs`), and says where.
fn record(command: &str, started: chrono::DateTime<chrono::Utc>, result: &Result<(), exit::CliError>, json: bool) {
    let outcome = match result {
        Ok(()) => records::Outcome { exit_code: exit::OK, code: "ok".into(), message: None },
        Err(e) => records::Outcome {
            exit_code: e.code(),
            code: exit::code_name(e.code()).into(),
            message: Some(e.to_string()),
        },
    };
    match records::finish(command, started, outcome) {
        // Said to people only: scripts read the records with `ayx history list --json`.
        Ok(Some(path)) if !json && std::io::IsTerminal::is_terminal(&std::io::stderr()) => {
            let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            eprintln!("recorded: ayx history show {id}");
        }
        Ok(_) => {}
        Err(why) => eprintln!("warning: this run's record could not be written: {why}"),
    }
}
