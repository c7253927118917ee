//! `cargo xtask`: the project's command line. It parses arguments against one table
//! ([`COMMANDS`]: each command's flags and what runs it), calls the `codegen` library and writes
//! files; everything else lives in the library. A file per command family: `generate.rs`
//! (`generate`, `spec`, `surface`), `diff.rs`, `ci.rs` (`check`, `ci`), `contract.rs`, `dist.rs`, `bench.rs`
//! and `rebuild.rs` (`bench`, sharing `figures.rs`), `corpus.rs`. `cargo xtask` alone prints
//! the usage.

mod bench;
mod ci;
mod contract;
mod corpus;
mod diff;
mod dist;
mod figures;
mod flags;
mod generate;
mod rebuild;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub(crate) use generate::write_standalone;

const DEFAULT_SPEC: &str = "spec/alteryx-server-v3.yaml";
const DEFAULT_OUT: &str = "generated-client";
const DEFAULT_OVERLAYS: &str = "spec/overlays";

/// Every command, its flags and what runs it: the one table the parser, the usage text and the
/// tests read.
pub(crate) const COMMANDS: &[flags::Command] = &[
    flags::Command {
        name: "generate",
        about: "regenerate the client crate (default: generated-client/ from the spec and its overlays); --crate-name makes --out a standalone crate, --cli adds its command line in --out/cli",
        valued: &["--spec", "--out", "--crate-name", "--overlays"],
        switches: &["--no-overlays", "--cli"],
        positional: &[],
        run: generate::generate,
    },
    flags::Command {
        name: "spec",
        about: "write the spec as generation sees it (overlays applied) as JSON",
        valued: &["--spec", "--out", "--overlays"],
        switches: &["--no-overlays"],
        positional: &[],
        run: generate::write_spec,
    },
    flags::Command {
        name: "surface",
        about: "print a spec's API surface, as the snapshots show it",
        valued: &["--spec", "--overlays"],
        switches: &["--no-overlays"],
        positional: &[],
        run: generate::surface,
    },
    flags::Command {
        name: "diff",
        about: "the API change report between two specs (default: HEAD against the working tree)",
        valued: &["--overlays"],
        switches: &["--no-overlays", "--fail-on-breaking"],
        positional: &["OLD", "NEW"],
        run: diff::diff,
    },
    flags::Command {
        name: "contract",
        about: "every operation of a spec's generated crate called against Prism (default: the Alteryx spec with its overlays), with examples and with generated data; fails on a request violation or an answer that does not decode",
        valued: &["--spec", "--overlays"],
        switches: &["--no-overlays"],
        positional: &[],
        run: contract::contract,
    },
    flags::Command {
        name: "bench",
        about: "performance figures (generation, rebuild, client, backup), as a table and target/bench/bench.json",
        valued: &["--only"],
        switches: &[],
        positional: &[],
        run: |root, flags| bench::bench(root, flags.value("--only")),
    },
    flags::Command {
        name: "corpus",
        about: "the generator on real-world specs from npm: generate, cargo check, the contract against Prism, a table; fails on a regression against xtask/corpus-baseline.json (--bless rewrites it)",
        valued: &[],
        switches: &["--bless"],
        positional: &[],
        run: corpus::corpus,
    },
    flags::Command {
        name: "check",
        about: "fail, listing stale files, when generated-client/ differs from what the spec gives",
        valued: &[],
        switches: &[],
        positional: &[],
        run: ci::check,
    },
    flags::Command {
        name: "dist",
        about: "a release archive of ayx (binary, man pages, completions, README, SHA256SUMS) in target/dist; --debug packs the debug build",
        valued: &["--out"],
        switches: &["--debug"],
        positional: &[],
        run: dist::dist,
    },
    flags::Command {
        name: "ci",
        about: "everything CI runs: drift, fmt, clippy, rustdoc, all tests",
        valued: &[],
        switches: &[],
        positional: &[],
        run: ci::ci,
    },
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first().and_then(|name| COMMANDS.iter().find(|c| c.name == name)) else {
        eprint!("{}", flags::usage(COMMANDS));
        return ExitCode::from(2);
    };
    let flags = match flags::parse(command, &args[1..]) {
        Ok(flags) => flags,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match (command.run)(&project_root(), &flags) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// The `.rs` files under `dir`, recursively.
pub(crate) fn rust_files(dir: &Path, out: &mut Vec<String>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            rust_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.to_string_lossy().into_owned());
        }
    }
    Ok(())
}
