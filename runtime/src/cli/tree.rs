//! The `clap` command tree of an [`Api`]: a subcommand per group, under it one per operation,
//! with the operation's summary, description and `METHOD PATH` as its help; path parameters as
//! positional arguments, the others as flags with their value kinds checked; the body as
//! `--body` and flags for its fields (or one flag per multipart part); `--out` for a binary
//! answer, `--all` for a paged list, `--dry-run` everywhere.

use clap::{Arg, ArgAction};

use super::values::{ValueParser, value_name};
use super::{Answer, Api, Body, BodyForm, Command, Encoding, Field, Group, Param, Place, Value};

/// The help's heading of the body's arguments.
const BODY: &str = "Body";
/// The help's heading of what the command layer adds (`--out`, `--all`, `--dry-run`).
const REQUEST: &str = "Request";

/// `command` with the API's groups as its subcommands (`ayx api` mounts it so).
pub fn mount(api: &'static Api, command: clap::Command) -> clap::Command {
    let command = if command.get_about().is_none() { command.about(api.about) } else { command };
    command.subcommand_required(true).arg_required_else_help(true).subcommands(api.groups.iter().copied().map(group))
}

fn group(group: &'static Group) -> clap::Command {
    clap::Command::new(group.name)
        .about(group.about)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommands(group.commands.iter().map(command))
}

fn command(command: &'static Command) -> clap::Command {
    let op = command.operation;
    let marker = if command.deprecated { "[deprecated] " } else { "" };
    let summary = if command.summary.is_empty() { op.id } else { command.summary };
    let mut long = format!("{marker}{summary}");
    if !command.description.is_empty() && command.description != command.summary {
        long.push_str("\n\n");
        long.push_str(command.description);
    }
    long.push_str(&format!("\n\n{} {} (operation `{}`)", op.method, op.template, op.id));
    let mut cmd = clap::Command::new(command.name).about(format!("{marker}{summary}")).long_about(long);
    for param in command.params {
        cmd = cmd.arg(param_arg(param));
    }
    if let Some(body) = &command.body {
        cmd = cmd.args(body_args(body));
    }
    if let Answer::Binary = command.answer {
        cmd =
            cmd.arg(Arg::new("out").long("out").help_heading(REQUEST).value_name("FILE").help(
                "Where to write the answer's bytes (`-`: standard output, which must not be a terminal otherwise)",
            ));
    }
    if command.pages.is_some() {
        cmd = cmd.arg(
            Arg::new("all")
                .long("all")
                .help_heading(REQUEST)
                .action(ArgAction::SetTrue)
                .help("Every page, one item per line (JSON lines), from the position and size given, if any"),
        );
    }
    cmd.arg(
        Arg::new("dry-run")
            .long("dry-run")
            .help_heading(REQUEST)
            .action(ArgAction::SetTrue)
            .help("Print the request (secrets redacted) and send nothing"),
    )
}

fn param_arg(param: &'static Param) -> Arg {
    let arg = match param.place {
        Place::Path => Arg::new(param.arg).value_name(param.arg).required(true),
        _ => value_flag(Arg::new(param.arg).long(param.arg).required(param.required), param.value)
            .help_heading("Parameters"),
    };
    let place = param.place;
    let repeated = matches!(param.encoding, Encoding::Items | Encoding::Joined(_));
    let arg = described(arg, param.doc, &format!("{place} parameter `{}`", param.name), repeated);
    arg.value_parser(ValueParser(param.value)).action(if repeated { ArgAction::Append } else { ArgAction::Set })
}

/// A flag's value: a boolean flag alone means `true` (`--include-messages`), `=false` says no.
fn value_flag(arg: Arg, value: Value) -> Arg {
    match value {
        Value::Bool => arg.value_name("BOOL").num_args(0..=1).require_equals(true).default_missing_value("true"),
        other => arg.value_name(value_name(other)),
    }
}

/// The help of an argument: its description, then where it goes (and that it repeats).
fn described(arg: Arg, doc: &str, wire: &str, repeated: bool) -> Arg {
    let first = doc.split("\n\n").next().unwrap_or("").trim();
    let repeat = if repeated { "; repeat it for several" } else { "" };
    let short = if first.is_empty() { format!("The {wire}{repeat}") } else { format!("{first} [{wire}{repeat}]") };
    let long = if doc.trim().is_empty() { short.clone() } else { format!("{}\n\n[{wire}{repeat}]", doc.trim()) };
    arg.help(short).long_help(long)
}

fn body_args(body: &'static Body) -> Vec<Arg> {
    let about = if body.doc.is_empty() { String::new() } else { format!("{} ", body.doc.trim()) };
    let document = |fields: &'static [Field], what: &str| {
        let help = format!(
            "{about}The request body ({}): {what}, a file of it, or `-` to read it from standard input",
            body.type_name
        );
        let body_arg = Arg::new("body").long("body").value_name("JSON|FILE|-").help(help).help_heading(BODY);
        let mut args = vec![body_arg.required(body.required && fields.is_empty())];
        args.extend(fields.iter().map(|f| field_arg(f, "body field", false)));
        args
    };
    match &body.form {
        BodyForm::Json { fields, .. } => document(fields, "JSON"),
        BodyForm::Form { fields, .. } => document(fields, "JSON of the form's fields"),
        BodyForm::Multipart(parts) => parts.iter().map(|f| field_arg(f, "part", f.required)).collect(),
        BodyForm::Text => vec![
            Arg::new("body")
                .long("body")
                .help_heading(BODY)
                .value_name("TEXT|FILE|-")
                .required(body.required)
                .help(format!("{about}The request body: a file, `-` for standard input, or the text itself")),
        ],
        BodyForm::Binary => vec![
            Arg::new("body")
                .long("body")
                .help_heading(BODY)
                .value_name("FILE|-")
                .required(body.required)
                .value_parser(ValueParser(Value::File))
                .help(format!("{about}The request body: a file, or `-` for standard input (streamed)")),
        ],
    }
}

fn field_arg(field: &'static Field, what: &str, required: bool) -> Arg {
    let arg = value_flag(Arg::new(field.arg).long(field.arg).required(required), field.value).help_heading(BODY);
    let arg = described(arg, field.doc, &format!("{what} `{}`", field.name), field.repeated);
    arg.value_parser(ValueParser(field.value)).action(if field.repeated { ArgAction::Append } else { ArgAction::Set })
}
