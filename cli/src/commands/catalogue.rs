//! `ayx commands`: every command of `ayx`, read off its clap definitions (never a hand-kept
//! list): its arguments, whether it changes a server, and the exit codes, for scripts and agents
//! that drive `ayx` (`--json`), or as a list for people. A hand-written command says it changes
//! a server with the `changes!()` line in its help; an `ayx api` command by its HTTP method.

use clap::{ArgAction, CommandFactory};
use serde::Serialize;

use crate::args::Cli;
use crate::context::Context;
use crate::exit::{CODES, CliError};

/// The line that marks a command that changes a server, at the end of its help (a macro, so that
/// `concat!` can use it).
#[macro_export]
macro_rules! changes {
    () => {
        "\nChanges the server."
    };
}

/// Whether an operation's method may change the server (any method but GET, HEAD and OPTIONS).
pub fn method_changes(method: &str) -> bool {
    !matches!(method, "GET" | "HEAD" | "OPTIONS")
}

/// One command.
#[derive(Debug, Serialize)]
pub struct CommandDoc {
    /// The words after `ayx`: `workflows list`.
    pub command: String,
    /// Its one-line help.
    pub about: String,
    /// Whether it may change a server.
    pub changes_server: bool,
    /// Its arguments, the global ones apart.
    pub arguments: Vec<ArgDoc>,
}

/// One argument.
#[derive(Debug, Serialize)]
pub struct ArgDoc {
    /// The argument's id: its long flag without dashes, or its value name.
    pub name: String,
    /// `--flag`, or none for a positional argument.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub long: Option<String>,
    /// `-f`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short: Option<String>,
    /// Whether it must be given.
    pub required: bool,
    /// Whether it takes a value (a flag that does not is a switch).
    pub takes_value: bool,
    /// Whether it may be given more than once.
    pub repeated: bool,
    /// The values it takes, when it lists them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// Its default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Its help.
    pub help: String,
}

/// Whether the command of `tree` with these words (`["groups", "create"]`) changes a server.
pub fn changes_server(tree: &clap::Command, words: &[String]) -> bool {
    let mut command = tree;
    for word in words {
        match command.find_subcommand(word) {
            Some(sub) => command = sub,
            None => return false,
        }
    }
    !words.is_empty() && !command.has_subcommands() && changes_server_of(command, words)
}

/// Every command of the tree, leaves only, in the help's order.
pub fn catalogue() -> Vec<CommandDoc> {
    let root = Cli::command();
    let mut out = Vec::new();
    for sub in root.get_subcommands() {
        walk(sub, &mut vec![sub.get_name().to_string()], &mut out);
    }
    out
}

fn walk(command: &clap::Command, path: &mut Vec<String>, out: &mut Vec<CommandDoc>) {
    if command.has_subcommands() {
        for sub in command.get_subcommands() {
            path.push(sub.get_name().to_string());
            walk(sub, path, out);
            path.pop();
        }
        return;
    }
    let arguments = command
        .get_arguments()
        .filter(|a| !a.is_global_set() && !a.is_hide_set() && !matches!(a.get_id().as_str(), "help" | "version"))
        .map(arg_doc)
        .collect();
    out.push(CommandDoc {
        command: path.join(" "),
        about: command.get_about().map(|a| a.to_string()).unwrap_or_default(),
        changes_server: changes_server_of(command, path),
        arguments,
    });
}

/// The `changes!()` line for hand-written commands; the operation's method for `ayx api`'s.
fn changes_server_of(command: &clap::Command, path: &[String]) -> bool {
    #[cfg(feature = "api")]
    if let [api, group, name] = path
        && api == "api"
    {
        let operation = alteryx_server::cli::API
            .groups
            .iter()
            .filter(|g| g.name == group.as_str())
            .flat_map(|g| g.commands.iter())
            .find(|c| c.name == name.as_str());
        return operation.is_some_and(|c| method_changes(c.operation.method.as_str()));
    }
    let _ = path;
    command.get_after_help().is_some_and(|h| h.to_string().contains(changes!().trim()))
}

fn arg_doc(arg: &clap::Arg) -> ArgDoc {
    let takes_value = arg.get_num_args().is_none_or(|n| n.takes_values())
        && !matches!(
            arg.get_action(),
            ArgAction::SetTrue | ArgAction::SetFalse | ArgAction::Count | ArgAction::Help | ArgAction::Version
        );
    ArgDoc {
        name: arg.get_id().to_string(),
        long: arg.get_long().map(|l| format!("--{l}")),
        short: arg.get_short().map(|s| format!("-{s}")),
        required: arg.is_required_set(),
        takes_value,
        repeated: matches!(arg.get_action(), ArgAction::Append | ArgAction::Count),
        values: arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect(),
        default: (!arg.get_default_values().is_empty()).then(|| {
            arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect::<Vec<_>>().join(",")
        }),
        help: arg.get_long_help().or(arg.get_help()).map(|h| h.to_string()).unwrap_or_default(),
    }
}

/// The global flags, as arguments.
fn globals() -> Vec<ArgDoc> {
    Cli::command().get_arguments().filter(|a| !matches!(a.get_id().as_str(), "help" | "version")).map(arg_doc).collect()
}

pub fn run(context: &Context) -> Result<(), CliError> {
    let commands = catalogue();
    if context.out.json {
        let codes: Vec<serde_json::Value> = CODES
            .iter()
            .map(|c| serde_json::json!({ "exit_code": c.exit_code, "code": c.code, "meaning": c.meaning }))
            .collect();
        context.out.json(&serde_json::json!({
            "program": "ayx",
            "version": env!("CARGO_PKG_VERSION"),
            "global_arguments": globals(),
            "exit_codes": codes,
            "commands": commands,
        }));
        return Ok(());
    }
    let width = commands.iter().filter(|c| !c.command.starts_with("api ")).map(|c| c.command.len()).max().unwrap_or(0);
    for command in &commands {
        let mark = if command.changes_server { "changes" } else { "       " };
        println!("{:width$}  {mark}  {}", command.command, command.about);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_is_listed_with_its_arguments_and_what_it_changes() {
        let commands = catalogue();
        let find = |name: &str| commands.iter().find(|c| c.command == name).unwrap_or_else(|| panic!("{name}"));
        // The commands that change a server, as their help says (and as they ask before).
        let changing: Vec<&str> = commands
            .iter()
            .filter(|c| c.changes_server && !c.command.starts_with("api "))
            .map(|c| c.command.as_str())
            .collect();
        assert_eq!(
            changing,
            [
                "workflows upload",
                "jobs run",
                "migrate",
                "apply",
                "users offboard",
                "groups create",
                "groups add-users",
                "groups remove-user",
                "groups delete",
                "schedules enable",
                "schedules disable",
            ]
        );
        let list = find("workflows list");
        assert!(!list.changes_server);
        let upload = find("workflows upload");
        let mode = upload.arguments.iter().find(|a| a.name == "execution_mode").unwrap();
        assert_eq!(mode.long.as_deref(), Some("--execution-mode"));
        assert_eq!(mode.values, ["Safe", "SemiSafe", "Standard"]);
        let file = upload.arguments.iter().find(|a| a.long.is_none()).unwrap();
        assert!(file.required && file.takes_value, "{file:?}");
        let run = find("jobs run");
        let answer = run.arguments.iter().find(|a| a.long.as_deref() == Some("--answer")).unwrap();
        assert!(answer.repeated && answer.takes_value);
        let wait = run.arguments.iter().find(|a| a.name == "wait").unwrap();
        assert!(!wait.takes_value);
        // No global flag is repeated under each command.
        assert!(commands.iter().all(|c| c.arguments.iter().all(|a| a.name != "json")));
        assert!(globals().iter().any(|a| a.name == "json"));
    }

    #[test]
    fn a_run_is_told_whether_its_command_changes_a_server() {
        let tree = Cli::command();
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(changes_server(&tree, &words(&["groups", "create"])));
        assert!(!changes_server(&tree, &words(&["groups", "list"])));
        assert!(!changes_server(&tree, &words(&["groups"])));
        assert!(!changes_server(&tree, &words(&["no-such-command"])));
        #[cfg(feature = "api")]
        assert!(changes_server(&tree, &words(&["api", "workflows", "delete-workflow"])));
    }

    #[cfg(feature = "api")]
    #[test]
    fn api_commands_change_the_server_by_their_method() {
        let commands = catalogue();
        let api: Vec<&CommandDoc> = commands.iter().filter(|c| c.command.starts_with("api ")).collect();
        let operations: usize = alteryx_server::cli::API.groups.iter().map(|g| g.commands.len()).sum();
        assert_eq!(api.len(), operations);
        let get = api.iter().find(|c| c.command == "api jobs get").unwrap();
        assert!(!get.changes_server);
        let delete = api.iter().find(|c| c.command == "api workflows delete-workflow").unwrap();
        assert!(delete.changes_server);
    }
}
