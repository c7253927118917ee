//! In-process micro-benchmarks of the generator's stages on the Alteryx spec (overlays applied):
//! `cargo bench -p codegen`. `cargo xtask bench` gathers the same stages, GitHub's spec and the
//! whole-process figures into one table.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use codegen::Source;

fn main() {
    divan::main();
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace")
}

static SPEC: LazyLock<Source> =
    LazyLock::new(|| Source::read(&root().join("spec/alteryx-server-v3.yaml")).expect("the spec"));

static OVERLAYS: LazyLock<Vec<Source>> = LazyLock::new(|| {
    let files: Vec<PathBuf> = codegen::overlay::overlay_files(&root().join("spec/overlays")).expect("overlays");
    files.iter().map(|p| Source::read(p).expect("an overlay")).collect()
});

static API: LazyLock<codegen::ir::Api> =
    LazyLock::new(|| codegen::api_from_sources(&SPEC, &OVERLAYS).expect("the spec lowers"));

/// Bytes → JSON value (YAML parsing).
#[divan::bench]
fn load() -> serde_json::Value {
    SPEC.parse().expect("parses")
}

/// Parse, overlays, normalize, typing and lowering into the IR.
#[divan::bench]
fn lower() -> codegen::ir::Api {
    codegen::api_from_sources(&SPEC, &OVERLAYS).expect("lowers")
}

/// Emit and format, one after the other on one thread.
#[divan::bench]
fn emit_and_format_one_thread() -> usize {
    codegen::generate_staged(&API, &codegen::Settings::new("bench")).expect("generates").0.len()
}

/// Emit and format as `cargo xtask generate` runs them, on every core.
#[divan::bench]
fn emit_and_format_all_cores() -> usize {
    codegen::generate(&API, &codegen::Settings::new("bench")).expect("generates").len()
}
