//! How a generated crate reaches the runtime crate (`client-runtime`): the dependency lines of its
//! manifest, and the copy of the runtime written beside a standalone crate. The runtime's source
//! and manifest are compiled into the generator ([`crate::runtime_names::RUNTIME_FILES`]), so a
//! generator binary writes the runtime it was built with.

use crate::runtime_names::{RUNTIME_FILES, RUNTIME_MANIFEST};
use crate::{GENERATED_MARKER, GeneratedFile, ir};

/// The crates that generated code names besides the runtime (types from `bytes`, `chrono`,
/// `serde_json` and `uuid`, serde's derive) or that the hand-written modules a spec declares may
/// use (`thiserror`, `tokio`). Their lines are taken from the runtime's manifest: one version of each.
const CLIENT_CRATES: &[&str] = &["bytes", "chrono", "serde", "serde_json", "thiserror", "tokio", "uuid"];

/// The workspace settings the runtime's manifest inherits (`edition.workspace = true`...),
/// written out in its standalone copy.
const WORKSPACE_MANIFEST: &str = include_str!("../../Cargo.toml");

/// Where a standalone crate's copy of the runtime goes, relative to the crate's root.
pub const RUNTIME_DIR: &str = "runtime";

/// The runtime crate's library name, as generated code names it: its package name with `_`.
pub fn runtime_library() -> String {
    section(RUNTIME_MANIFEST, "[package]")
        .find(|line| key(line) == Some("name"))
        .and_then(|line| line.split_once('=')?.1.trim().strip_prefix('"')?.strip_suffix('"'))
        .unwrap_or("client-runtime")
        .replace('-', "_")
}

/// The `[dependencies]` section of a generated crate: `client-runtime` at `runtime_path`
/// (relative to the generated crate's manifest), and the runtime's own lines for
/// the crates generated code names, in name order.
pub fn client_dependencies(runtime_path: &str) -> String {
    let mut lines = vec![format!("client-runtime = {{ path = \"{runtime_path}\" }}")];
    lines.extend(
        section(RUNTIME_MANIFEST, "[dependencies]")
            .filter(|line| CLIENT_CRATES.iter().any(|name| key(line) == Some(name)))
            .map(str::to_string),
    );
    lines.sort_by(|a, b| key(a).cmp(&key(b)));
    format!("[dependencies]\n{}\n", lines.join("\n"))
}

/// The `[features]` section of a generated crate: one feature per API group (its operations,
/// the types they need, its mock and command-line parts), all on by default, so that a program
/// that needs a few groups of a large API compiles only those (`default-features = false,
/// features = ["repos"]`); `mock` turns on the runtime's mock server and the crate's typed layer
/// over it (`src/mock/`); `cli` the command line (`src/cli/`).
pub fn client_features(api: &ir::Api) -> String {
    let groups: Vec<String> =
        api.groups.iter().map(|g| &g.feature).chain(&api.unused_schemas_feature).map(|f| format!("\"{f}\"")).collect();
    let mut out = String::from("[features]\n# Every API group, each a feature of its own (see below).\n");
    out.push_str(&format!("default = [{}]\n", groups.join(", ")));
    out.push_str(concat!(
        "# A mock server of the API for tests of code that uses the client.\nmock = [\"client-runtime/mock\"]\n",
        "# Every operation as a command line (the `cli` module; `clap`).\ncli = [\"client-runtime/cli\"]\n"
    ));
    for group in &api.groups {
        let about = group.description.as_deref().and_then(|d| d.lines().next()).unwrap_or("").trim();
        let about = if about.is_empty() { format!("operations tagged `{}`", group.tag) } else { about.to_string() };
        let about = match about.char_indices().nth(90) {
            // Cut at a word, not inside one.
            Some((at, _)) => format!("{}...", about[..at].rsplit_once(' ').map_or(&about[..at], |(head, _)| head)),
            None => about,
        };
        out.push_str(&format!("# The {} group: {about}\n{} = []\n", group.tag, group.feature));
    }
    if let Some(feature) = &api.unused_schemas_feature {
        out.push_str(&format!("# The schemas no operation uses (webhook payloads, ...).\n{feature} = []\n"));
    }
    out
}

/// The `Cargo.toml` of a standalone generated crate called `name` (`my-api`, library `my_api`),
/// which reaches the runtime at `runtime_path`. Its own `[workspace]` keeps the crate standalone
/// wherever it is written; the runtime's copy inside it is a member of that workspace, and so is
/// the command line's crate, `cli/`, when `cli` asks for one ([`cli_crate`]).
pub fn crate_manifest(name: &str, api: &ir::Api, runtime_path: &str, cli: bool) -> String {
    let title = api.title.split_whitespace().collect::<Vec<_>>().join(" ");
    let description = format!("Typed async client for {title}, generated from its OpenAPI document")
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    let members = if cli { format!("members = [\"{CLI_DIR}\"]\n") } else { String::new() };
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"{}\"\nrust-version = \"{}\"\npublish = false\ndescription = \"{description}\"\n\n[lib]\nname = \"{}\"\n\n[workspace]\n{members}\n{}\n{}",
        workspace_value("edition").unwrap_or("2024"),
        workspace_value("rust-version").unwrap_or("1.88"),
        name.replace('-', "_"),
        client_dependencies(runtime_path),
        client_features(api)
    )
}

/// Where a standalone crate's command line lives, beside the client.
pub const CLI_DIR: &str = "cli";

/// The command line of a standalone generated crate `name`: a binary crate `<name>-cli` in
/// [`CLI_DIR`] whose program, `name`, is the client's `cli::main` (the `cli` feature).
pub fn cli_crate(name: &str, api: &ir::Api) -> Vec<GeneratedFile> {
    let title = api.title.split_whitespace().collect::<Vec<_>>().join(" ").replace('\\', "\\\\").replace('"', "\\\"");
    let marker = GENERATED_MARKER.trim_start_matches("// ");
    let manifest = format!(
        "# {marker}\n[package]\nname = \"{name}-cli\"\nversion = \"0.1.0\"\nedition = \"{}\"\nrust-version = \"{}\"\npublish = false\ndescription = \"Every operation of {title} at the terminal\"\n\n[[bin]]\nname = \"{name}\"\npath = \"src/main.rs\"\n\n[dependencies]\n{name} = {{ path = \"..\", features = [\"cli\"] }}\n",
        workspace_value("edition").unwrap_or("2024"),
        workspace_value("rust-version").unwrap_or("1.88"),
    );
    let main = format!(
        "{GENERATED_MARKER}\n//! `{name}`: every operation of {title} at the terminal (`{name} --help`).\n\nfn main() -> std::process::ExitCode {{\n    {}::cli::main()\n}}\n",
        name.replace('-', "_")
    );
    vec![
        GeneratedFile { path: format!("{CLI_DIR}/Cargo.toml"), contents: manifest },
        GeneratedFile { path: format!("{CLI_DIR}/src/main.rs"), contents: main },
    ]
}

/// The runtime crate as files of a standalone generated crate, under [`RUNTIME_DIR`]: its
/// manifest (the workspace settings it inherits written out) and its sources, each under an
/// `@generated` header that says where to edit it, so `cargo xtask generate` keeps the copy exact.
pub fn runtime_crate() -> Vec<GeneratedFile> {
    let mut manifest =
        format!("# {}: a copy of runtime/Cargo.toml — edit it there\n", GENERATED_MARKER.trim_start_matches("// "));
    for line in RUNTIME_MANIFEST.lines() {
        match line.strip_suffix(".workspace = true").and_then(|k| Some((k, workspace_value(k)?))) {
            Some((k, value)) => manifest.push_str(&format!("{k} = \"{value}\"\n")),
            None => {
                manifest.push_str(line);
                manifest.push('\n');
            }
        }
    }
    let mut files = vec![GeneratedFile { path: format!("{RUNTIME_DIR}/Cargo.toml"), contents: manifest }];
    files.extend(RUNTIME_FILES.iter().map(|(name, text)| GeneratedFile {
        path: format!("{RUNTIME_DIR}/src/{name}"),
        contents: format!(
            "{GENERATED_MARKER}: a copy of runtime/src/{name}, the runtime crate's — edit it there\n{text}"
        ),
    }));
    files
}

/// The lines of a manifest's `header` section, without blank lines and comments.
fn section<'a>(manifest: &'a str, header: &str) -> impl Iterator<Item = &'a str> {
    manifest
        .lines()
        .skip_while(move |line| line.trim() != header)
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
}

/// The key of a `key = value` line.
fn key(line: &str) -> Option<&str> {
    line.split_once('=').map(|(k, _)| k.trim())
}

/// A `[workspace.package]` setting of this repository's manifest, unquoted.
fn workspace_value(name: &str) -> Option<&'static str> {
    section(WORKSPACE_MANIFEST, "[workspace.package]")
        .find(|line| key(line) == Some(name))
        .and_then(|line| line.split_once('=')?.1.trim().strip_prefix('"')?.strip_suffix('"'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_name_the_runtime_and_take_its_versions() {
        let deps = client_dependencies("../runtime");
        let lines: Vec<&str> = deps.lines().collect();
        assert_eq!(lines[0], "[dependencies]");
        let keys: Vec<&str> = lines[1..].iter().filter_map(|l| key(l)).collect();
        assert_eq!(keys, ["bytes", "chrono", "client-runtime", "serde", "serde_json", "thiserror", "tokio", "uuid"]);
        assert!(deps.contains("client-runtime = { path = \"../runtime\" }"), "{deps}");
        for line in &lines[1..] {
            let runtime_line = RUNTIME_MANIFEST.lines().any(|l| l == *line);
            assert!(runtime_line || line.starts_with("client-runtime"), "{line} is the runtime's own line");
        }
    }

    #[test]
    fn generated_code_names_the_runtime_by_its_package_name() {
        assert_eq!(runtime_library(), "client_runtime");
    }

    #[test]
    fn the_runtime_copy_is_a_crate_of_its_own() {
        let files = runtime_crate();
        assert_eq!(files.len(), RUNTIME_FILES.len() + 1);
        let manifest = &files[0].contents;
        assert!(manifest.starts_with("# @generated by cargo xtask generate"), "{manifest}");
        assert!(!manifest.contains(".workspace"), "{manifest}");
        for setting in ["edition = \"2024\"", "rust-version = \"1.88\"", "name = \"client-runtime\""] {
            assert!(manifest.contains(setting), "{setting}: {manifest}");
        }
        assert!(files.iter().any(|f| f.path == "runtime/src/lib.rs"));
    }
}
