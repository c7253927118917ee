//! `ayx history`: the records of the changes `ayx` made (see `records.rs`), as a table or JSON,
//! and one record in full.

use clap::Subcommand;
use serde_json::json;

use crate::context::Context;
use crate::exit::CliError;
use crate::records::{self, Record};

#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// List the records, oldest first.
    #[command(after_help = "Examples:\n  ayx history list\n  ayx history list --last 5 --json")]
    List {
        /// Only the last N.
        #[arg(long, value_name = "N")]
        last: Option<usize>,
    },
    /// Show one record: who, what was asked, each call sent and its answer, the outcome.
    #[command(
        after_help = "Examples:\n  ayx history show 20261203T201500123Z-groups-create\n  ayx history show last --json"
    )]
    Show {
        /// The record's id (or the start of it), or `last`.
        id: String,
    },
}

pub fn run(context: &Context, command: HistoryCommand) -> Result<(), CliError> {
    let all = records::all().map_err(CliError::Config)?;
    let out = context.out;
    match command {
        HistoryCommand::List { last } => {
            let skip = last.map_or(0, |n| all.len().saturating_sub(n));
            let rows: Vec<serde_json::Value> = all[skip..].iter().map(summary).collect();
            if !out.json && rows.is_empty() {
                let dir = records::dir().map(|d| d.display().to_string()).unwrap_or_default();
                out.say(format!("no records yet (in {dir})"));
                return Ok(());
            }
            out.list(
                &rows,
                &[
                    ("ID", "id"),
                    ("WHEN", "started"),
                    ("COMMAND", "command"),
                    ("PROFILE", "profiles"),
                    ("CHANGES", "changes"),
                    ("OUTCOME", "outcome"),
                ],
            );
            Ok(())
        }
        HistoryCommand::Show { id } => {
            let found: Vec<&Record> = if id == "last" {
                all.last().into_iter().collect()
            } else {
                all.iter().filter(|r| r.id.starts_with(&id)).collect()
            };
            let record = match found.as_slice() {
                [one] => *one,
                [] => return Err(CliError::Usage(format!("no record `{id}`: `ayx history list` lists them"))),
                many => {
                    return Err(CliError::Usage(format!("`{id}` names {} records: give more of the id", many.len())));
                }
            };
            if out.json {
                out.json(record);
                return Ok(());
            }
            print(record);
            Ok(())
        }
    }
}

/// A record's line in the list.
fn summary(record: &Record) -> serde_json::Value {
    let profiles: Vec<&str> = record.servers.iter().map(|s| s.profile.as_str()).collect();
    json!({
        "id": record.id,
        "started": records::when(&record.started),
        "command": record.command,
        "profiles": profiles.join(", "),
        "changes": record.calls.len(),
        "outcome": record.outcome.code,
        "exit_code": record.outcome.exit_code,
    })
}

/// One record for people.
fn print(record: &Record) {
    println!("record    {}", record.id);
    println!("command   ayx {}", record.argv.join(" "));
    for server in &record.servers {
        println!("server    {} ({})", server.url, server.profile);
    }
    println!("started   {}", records::when(&record.started));
    println!("finished  {}", records::when(&record.finished));
    let outcome = &record.outcome;
    match &outcome.message {
        Some(message) => println!("outcome   {} (exit {}): {message}", outcome.code, outcome.exit_code),
        None => println!("outcome   {} (exit {})", outcome.code, outcome.exit_code),
    }
    println!("calls     {} that may change the server, {} reads", record.calls.len(), record.reads);
    for call in &record.calls {
        let answer = match (call.status, &call.error) {
            (Some(status), _) => status.to_string(),
            (None, Some(error)) => format!("no answer: {error}"),
            (None, None) => "no answer".into(),
        };
        let retry = if call.attempt > 1 { format!(" (attempt {})", call.attempt) } else { String::new() };
        println!("  {}  {} {}  {} → {answer}{retry}", records::when(&call.at), call.method, call.url, call.operation);
    }
}
