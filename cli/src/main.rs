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
mod progress;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit::USAGE } else { exit::OK });
        }
    };
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
            _ = tokio::signal::ctrl_c() => Err(exit::CliError::Exit { message: "interrupted".into(), code: 130 }),
        }
    });
    match result {
        Ok(()) => ExitCode::from(exit::OK),
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(detail) = e.detail() {
                eprintln!("the server said: {detail}");
            }
            ExitCode::from(e.code())
        }
    }
}
