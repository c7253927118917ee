//! Shared helpers of the workspace tests: paths, and loading the project's spec.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The default spec's path, relative to the root, as generation labels it.
pub const SPEC: &str = "spec/alteryx-server-v3.yaml";

/// The project's overlays, applied to the spec before generation.
pub const OVERLAYS: &str = "spec/overlays";

/// How the generated headers name the default input.
pub fn label() -> String {
    codegen::input_label(SPEC, Some(OVERLAYS))
}

/// The IR of the Alteryx spec with the project's overlays, as `cargo xtask generate` sees it.
pub fn alteryx_api() -> codegen::ir::Api {
    let overlays = codegen::overlay::overlay_files(&root().join(OVERLAYS)).expect("the overlays are readable");
    codegen::load_api_with_overlays(&root().join(SPEC), &overlays)
        .unwrap_or_else(|e| panic!("the Alteryx spec must load: {e}"))
}

/// The Alteryx spec with the project's overlays applied, as a JSON document (what Prism serves in
/// the contract tests, and what a server would serve if it served exactly the client's spec).
pub fn alteryx_document() -> serde_json::Value {
    let overlays: Vec<codegen::Source> = codegen::overlay::overlay_files(&root().join(OVERLAYS))
        .expect("the overlays are readable")
        .iter()
        .map(|p| codegen::Source::read(p).expect("an overlay is readable"))
        .collect();
    let source = codegen::Source::read(&root().join(SPEC)).expect("the spec is readable");
    codegen::overlaid_document(&source, &overlays).unwrap_or_else(|e| panic!("the overlays apply: {e}"))
}

/// The settings `cargo xtask generate` uses for the Alteryx crate.
pub fn settings() -> codegen::Settings {
    codegen::Settings::new(label()).library("alteryx_server")
}

/// The Alteryx crate's files, as `cargo xtask generate` writes them.
pub fn alteryx_files() -> Vec<codegen::GeneratedFile> {
    codegen::generate(&alteryx_api(), &settings()).expect("the Alteryx crate generates")
}

/// The IR of the vendor's spec alone.
pub fn pristine_alteryx_api() -> codegen::ir::Api {
    codegen::load_api(&root().join(SPEC)).unwrap_or_else(|e| panic!("the Alteryx spec must load: {e}"))
}

/// The IR of a spec given as text (YAML or JSON), with `name` as its file name in errors.
pub fn api_from_text(name: &str, text: &str) -> codegen::Result<codegen::ir::Api> {
    codegen::api_from_source(&codegen::Source { path: PathBuf::from(name), text: text.to_string() })
}
