//! The invariants of ARCHITECTURE.md that a machine can check, read off the sources: the emitter
//! decides nothing it could ask the runtime's name reader, raw identifiers are handled by the
//! identifier type alone, and path templates are parsed by lowering alone.

use std::path::{Path, PathBuf};

use workspace_tests::root;

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    out.sort();
    out
}

/// The lines of the non-test part of a file (a `#[cfg(test)]` module is the file's last item).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().take_while(|(_, l)| !l.starts_with("#[cfg(test)]")).map(|(i, l)| (i + 1, l))
}

/// `(file:line: text)` for each line under `dir`, but in `allowed` files, that holds one of
/// `needles`.
fn offending(dir: &str, needles: &[&str], allowed: &[&str]) -> Vec<String> {
    let root = root();
    let mut found = Vec::new();
    for (path, text) in sources(&root.join(dir)) {
        let rel = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        if allowed.iter().any(|a| rel.starts_with(a)) {
            continue;
        }
        for (n, line) in code_lines(&text) {
            if needles.iter().any(|needle| line.contains(needle)) {
                found.push(format!("{rel}:{n}: {}", line.trim()));
            }
        }
    }
    found
}

#[test]
fn the_emitter_reads_only_the_ir_and_the_settings() {
    let found = offending("codegen/src/emit", &["runtime_names", "openapiv3"], &[]);
    assert!(found.is_empty(), "the emitter reaches past the IR:\n{}", found.join("\n"));
}

#[test]
fn raw_identifiers_are_the_identifier_types_business() {
    let needles = ["\"r#\")", "strip_prefix(\"r#", "starts_with(\"r#", "trim_start_matches(\"r#"];
    let mut found = offending("codegen/src", &needles, &["codegen/src/naming.rs"]);
    found.extend(offending("xtask/src", &needles, &[]));
    assert!(found.is_empty(), "raw identifiers handled outside `RustName`:\n{}", found.join("\n"));
}

#[test]
fn path_templates_are_parsed_by_lowering_alone() {
    // Scanning for a placeholder's braces is parsing a template: lowering does it once
    // (`lower/operations.rs`); the emitter and the runtime read the parsed segments.
    let needles = ["find('{')", "split('{')", "find(\"{\")", "split(\"{\")"];
    let mut found = offending("codegen/src", &needles, &["codegen/src/lower/operations.rs"]);
    found.extend(offending("runtime/src", &needles, &[]));
    assert!(found.is_empty(), "a path template parsed outside lowering:\n{}", found.join("\n"));
}

#[test]
fn the_passes_run_from_one_list() {
    // Every pass module of lowering is in `PASSES`, and nothing else calls a pass.
    let passes: Vec<&str> = codegen::lower::PASSES.iter().map(|(what, _)| *what).collect();
    for module in ["helpers", "cycles", "binary", "wire", "error type"] {
        assert!(passes.iter().any(|p| p.starts_with(module)), "{module}: {passes:?}");
    }
    let calls = offending(
        "codegen/src",
        &["mark_boxes(", "binary_in_json_is_text(", "decide_encodings(", "plan_helpers(", "choose_error_type("],
        &[],
    );
    let outside: Vec<&String> =
        calls.iter().filter(|c| !c.contains("fn ") && !c.contains("codegen/src/lower/mod.rs")).collect();
    assert!(outside.is_empty(), "a pass called outside `PASSES`: {outside:?}");
}
