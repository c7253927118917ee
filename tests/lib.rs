//! Shared helpers of the workspace tests: paths, and loading the project's spec.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The default spec's path, relative to the root, as generation labels it.
pub const SPEC: &str = "spec/alteryx-server-v3.yaml";

/// The IR of the Alteryx spec.
pub fn alteryx_api() -> codegen::ir::Api {
    codegen::load_api(&root().join(SPEC)).unwrap_or_else(|e| panic!("the Alteryx spec must load: {e}"))
}

/// The IR of a spec given as text (YAML or JSON), with `name` as its file name in errors.
pub fn api_from_text(name: &str, text: &str) -> codegen::Result<codegen::ir::Api> {
    codegen::api_from_source(&codegen::Source { path: PathBuf::from(name), text: text.to_string() })
}
