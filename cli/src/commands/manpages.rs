//! `ayx manpages DIR` (hidden; `cargo xtask dist` runs it): a man page per command, from the
//! clap definitions, as `ayx.1`, `ayx-workflows.1`, `ayx-workflows-list.1`...

use std::path::Path;

use clap::CommandFactory;

use crate::args::Cli;
use crate::exit::CliError;

pub fn run(dir: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir).map_err(|e| CliError::io(format!("cannot create {}", dir.display()), e))?;
    let mut root = Cli::command();
    root.build();
    let mut written = 0;
    write(&root, "ayx", dir, &mut written)?;
    eprintln!("{written} man pages in {}", dir.display());
    Ok(())
}

/// Writes `name.1` for `command`, then its subcommands' pages.
fn write(command: &clap::Command, name: &str, dir: &Path, written: &mut usize) -> Result<(), CliError> {
    let page = command.clone().name(name.to_string()).bin_name(name.replace('-', " "));
    let mut text = Vec::new();
    clap_mangen::Man::new(page).render(&mut text).map_err(|e| CliError::io("cannot render a man page", e))?;
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, text).map_err(|e| CliError::io(format!("cannot write {}", path.display()), e))?;
    *written += 1;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        write(sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}
