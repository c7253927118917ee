//! Snapshots of the Alteryx spec: the IR's API surface (read this first on a spec update) and
//! every generated file; plus the drift check that `generated-client/` is what the spec gives.

use workspace_tests::{SPEC, alteryx_api, root};

#[test]
fn api_surface() {
    insta::assert_snapshot!("alteryx_surface", codegen::surface::render(&alteryx_api()));
}

#[test]
fn generated_files() {
    let files = codegen::generate(&alteryx_api(), SPEC).expect("generation succeeds");
    for f in &files {
        let name = format!("alteryx_{}", f.path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, &f.contents);
    }
}

#[test]
fn coverage_of_the_spec() {
    let api = alteryx_api();
    assert_eq!(api.operations().count(), 50, "every operation of the spec");
    let components = api
        .types
        .iter()
        .filter(|t| t.pointer.strip_prefix("#/components/schemas/").is_some_and(|rest| !rest.contains('/')))
        .count();
    assert_eq!(components, 24, "every component schema");
    // The inline objects the backbone issue names become named types.
    for name in [
        "UploadWorkflowRequest",
        "ScheduleIterationHourlyContract",
        "ScheduleIterationCronContract",
        "JobDetailOutput",
        "JobDetailMessage",
        "WorkflowQuestionItem",
        "ErrorResponseError",
    ] {
        assert!(api.types.iter().any(|t| t.name == name), "missing type {name}");
    }
}

#[test]
fn generation_is_deterministic() {
    let a = codegen::generate(&alteryx_api(), SPEC).unwrap();
    let b = codegen::generate(&alteryx_api(), SPEC).unwrap();
    assert_eq!(a, b);
}

/// The checked-in client must be exactly what the spec generates (rust-analyzer's pattern).
#[test]
fn generated_client_is_up_to_date() {
    let files = codegen::generate(&alteryx_api(), SPEC).unwrap();
    let out = root().join("generated-client");
    let stale: Vec<&str> = files
        .iter()
        .filter(|f| std::fs::read_to_string(out.join(&f.path)).ok().as_deref() != Some(f.contents.as_str()))
        .map(|f| f.path.as_str())
        .collect();
    assert!(stale.is_empty(), "generated-client/ is stale: {stale:?}\nrun cargo xtask generate");
}
