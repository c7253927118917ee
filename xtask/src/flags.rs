//! The flag table: what each command takes, in one place ([`crate::COMMANDS`]), and the parser
//! that holds a command line to it. A flag the command does not know (a typo such as
//! `--overlay`), a flag without its value, or a stray argument is refused with what the command
//! does take, rather than ignored.

use std::path::Path;

/// One command of `cargo xtask`: its flags and what runs it.
pub struct Command {
    /// Its name (`generate`).
    pub name: &'static str,
    /// What it does, for the usage text.
    pub about: &'static str,
    /// Flags that take a value (`--spec PATH`).
    pub valued: &'static [&'static str],
    /// Flags that stand alone (`--no-overlays`).
    pub switches: &'static [&'static str],
    /// The names of its plain arguments, all optional, in order.
    pub positional: &'static [&'static str],
    /// Runs it.
    pub run: fn(&Path, &Flags) -> Result<(), String>,
}

/// A command line, as the table allows it.
#[derive(Debug, Default)]
pub struct Flags {
    values: Vec<(&'static str, String)>,
    switches: Vec<&'static str>,
    /// The plain arguments, in order.
    pub positional: Vec<String>,
}

impl Flags {
    /// The value of a flag, the last one given.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// Whether a switch was given.
    pub fn switch(&self, name: &str) -> bool {
        self.switches.contains(&name)
    }
}

/// Parses the arguments after the command's name.
pub fn parse(command: &Command, args: &[String]) -> Result<Flags, String> {
    let mut flags = Flags::default();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if let Some(name) = command.valued.iter().find(|f| **f == arg) {
            match rest.next().filter(|v| !v.starts_with("--")) {
                Some(value) => flags.values.push((name, value.clone())),
                None => return Err(format!("`{arg}` needs a value (`cargo xtask {} {arg} ...`)", command.name)),
            }
        } else if let Some(name) = command.switches.iter().find(|f| **f == arg) {
            flags.switches.push(name);
        } else if arg.starts_with('-') {
            let known: Vec<&str> = command.valued.iter().chain(command.switches).copied().collect();
            let known = if known.is_empty() { "none".to_string() } else { known.join(", ") };
            return Err(format!("`cargo xtask {}` has no flag `{arg}` (its flags: {known})", command.name));
        } else if flags.positional.len() < command.positional.len() {
            flags.positional.push(arg.clone());
        } else {
            return Err(format!("`cargo xtask {}` takes no argument `{arg}`", command.name));
        }
    }
    Ok(flags)
}

/// The usage text of every command, from the table.
pub fn usage(commands: &[Command]) -> String {
    let mut text = String::from("usage: cargo xtask <command> [flags]\n\ncommands:\n");
    for c in commands {
        let mut line = format!("  {}", c.name);
        for p in c.positional {
            line.push_str(&format!(" [{p}]"));
        }
        for v in c.valued {
            line.push_str(&format!(" [{v} {}]", v.trim_start_matches("--").to_uppercase()));
        }
        for s in c.switches {
            line.push_str(&format!(" [{s}]"));
        }
        text.push_str(&format!("{line}\n      {}\n", c.about));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(name: &'static str) -> &'static Command {
        crate::COMMANDS.iter().find(|c| c.name == name).unwrap()
    }

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flags_are_held_to_the_table() {
        let generate = command("generate");
        let flags = parse(generate, &args(&["--spec", "x.yaml", "--no-overlays"])).unwrap();
        assert_eq!((flags.value("--spec"), flags.switch("--no-overlays")), (Some("x.yaml"), true));
        assert!(parse(generate, &args(&["--overlay", "x"])).unwrap_err().contains("no flag `--overlay`"));
        assert!(parse(generate, &args(&["--out"])).unwrap_err().contains("needs a value"));
        assert!(parse(command("ci"), &args(&["--fast"])).is_err());
        let diff = parse(command("diff"), &args(&["a.yaml", "b.yaml", "--fail-on-breaking"])).unwrap();
        assert_eq!(diff.positional, ["a.yaml", "b.yaml"]);
        assert!(parse(command("diff"), &args(&["a", "b", "c"])).is_err());
    }

    #[test]
    fn the_usage_names_every_command_and_flag() {
        let text = usage(crate::COMMANDS);
        for c in crate::COMMANDS {
            assert!(text.contains(&format!("  {}", c.name)), "{text}");
            for f in c.valued.iter().chain(c.switches) {
                assert!(text.contains(f), "{f}: {text}");
            }
        }
    }
}
