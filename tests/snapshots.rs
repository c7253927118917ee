//! Snapshots of the Alteryx spec: the IR's API surface (read this first on a spec update) and
//! every generated file; plus the drift check that `generated-client/` is what the spec gives.

use workspace_tests::{alteryx_api, label, pristine_alteryx_api, root};

#[test]
fn api_surface() {
    insta::assert_snapshot!("alteryx_surface", codegen::surface::render(&alteryx_api()));
}

#[test]
fn generated_files() {
    let files = codegen::generate(&alteryx_api(), &label()).expect("generation succeeds");
    // The runtime's copy is not the spec's doing: the runtime crate tests it, the drift check
    // below keeps the copy exact.
    for f in files.iter().filter(|f| !f.path.starts_with("src/runtime/")) {
        let name = format!("alteryx_{}", f.path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, &f.contents);
    }
}

#[test]
fn coverage_of_the_spec() {
    assert_eq!(pristine_alteryx_api().operations().count(), 50, "every operation of the vendor spec");
    let api = alteryx_api();
    assert_eq!(api.operations().count(), 97, "and the 47 the overlays add");
    let components = api
        .types
        .iter()
        .filter(|t| t.pointer.strip_prefix("#/components/schemas/").is_some_and(|rest| !rest.contains('/')))
        .count();
    assert_eq!(components, 82, "every component schema, the overlays' included");
    // The inline objects the backbone issue names become named types.
    for name in [
        "UploadWorkflowRequest",
        "IterationHourlyContract",
        "IterationCronContract",
        "JobOutput",
        "JobMessage",
        "WorkflowQuestionItem",
        "ErrorResponseError",
    ] {
        assert!(api.types.iter().any(|t| t.name == name), "missing type {name}");
    }
}

#[test]
fn generation_is_deterministic() {
    let a = codegen::generate(&alteryx_api(), &label()).unwrap();
    let b = codegen::generate(&alteryx_api(), &label()).unwrap();
    assert_eq!(a, b);
}

/// The checked-in client must be exactly what the spec generates (rust-analyzer's pattern),
/// with no leftover `@generated` file of an operation group that is gone.
#[test]
fn generated_client_is_up_to_date() {
    let files = codegen::generate(&alteryx_api(), &label()).unwrap();
    let drift = codegen::drift(&root().join("generated-client"), &files);
    assert!(drift.is_clean(), "{}", drift.report("generated-client"));
}

/// The client depends on the runtime crate in this workspace, with the dependency lines every
/// generated crate gets, and embeds no copy of it.
#[test]
fn the_client_depends_on_the_runtime_crate() {
    let manifest = std::fs::read_to_string(root().join("generated-client/Cargo.toml")).unwrap();
    let section: String = manifest[manifest.find("[dependencies]").unwrap()..]
        .lines()
        .take_while(|l| !l.starts_with("[dev-dependencies]"))
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        section,
        codegen::client_dependencies("../runtime"),
        "generated-client/Cargo.toml must take the dependencies a generated crate gets"
    );
    assert!(!root().join("generated-client/src/runtime").exists(), "the runtime is a dependency, not a copy");
    let files = codegen::generate(&alteryx_api(), &label()).unwrap();
    assert!(files.iter().all(|f| f.path.starts_with("src/")), "only the crate's own modules are generated");
}

/// The generated `Client` delegates the runtime's methods: every method it has (inherent, or of
/// a trait it implements) is one the lowering keeps group accessors away from.
#[test]
fn every_method_of_the_generated_client_is_reserved() {
    let lib = std::fs::read_to_string(root().join("generated-client/src/lib.rs")).unwrap();
    let file = syn::parse_file(&lib).unwrap();
    let reserved = &codegen::runtime_names::runtime_names().client_methods;
    let mut seen = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else { continue };
        let syn::Type::Path(ty) = &*block.self_ty else { continue };
        if !ty.path.is_ident("Client") {
            continue;
        }
        for member in &block.items {
            if let syn::ImplItem::Fn(f) = member {
                let name = f.sig.ident.to_string();
                assert!(reserved.contains(&name), "`Client::{name}` is not reserved: {reserved:?}");
                seen.push(name);
            }
        }
    }
    for method in ["builder", "base_url", "with_retry", "with_timeout", "with_deadline", "from", "fmt"] {
        assert!(seen.iter().any(|m| m == method), "{method}: {seen:?}");
    }
}

#[test]
fn drift_names_changed_and_orphaned_files() {
    let dir = root().join("target/drift-test");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src/operations")).unwrap();
    std::fs::create_dir_all(dir.join("runtime/src")).unwrap();
    let mut files = codegen::generate(&alteryx_api(), &label()).unwrap();
    files.extend(codegen::runtime_crate());
    for f in &files {
        std::fs::write(dir.join(&f.path), &f.contents).unwrap();
    }
    assert!(codegen::drift(&dir, &files).is_clean());
    std::fs::write(
        dir.join("src/types.rs"),
        "// @generated by cargo xtask generate
// hand edit
",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/operations/gone.rs"),
        "// @generated by cargo xtask generate from x
",
    )
    .unwrap();
    std::fs::write(dir.join("runtime/src/gone.rs"), "// @generated by cargo xtask generate: a copy\n").unwrap();
    std::fs::write(
        dir.join("src/hand_written.rs"),
        "// not generated
",
    )
    .unwrap();
    let drift = codegen::drift(&dir, &files);
    assert_eq!(drift.changed, vec!["src/types.rs".to_string()]);
    assert_eq!(drift.orphaned, vec!["runtime/src/gone.rs".to_string(), "src/operations/gone.rs".to_string()]);
    assert!(drift.report("out").ends_with("run cargo xtask generate"));
}

#[test]
fn identical_inline_types_are_shared_under_their_short_name() {
    let api = alteryx_api();
    let is_component =
        |t: &&codegen::ir::TypeDef| t.pointer.strip_prefix("#/components/schemas/").is_some_and(|r| !r.contains('/'));
    let inline: Vec<_> = api.types.iter().filter(|t| !is_component(t)).collect();
    for (i, a) in inline.iter().enumerate() {
        for b in &inline[i + 1..] {
            assert!(a.kind != b.kind, "{} and {} have the same shape and should be one type", a.name, b.name);
        }
    }
    // The `view` query enums of the list operations are one `View`, the `role` enums of users
    // and user groups one `Role`.
    let users_of = |type_name: &str| {
        let named =
            |ty: &codegen::ir::TypeRef| matches!(ty, codegen::ir::TypeRef::Named { name, .. } if name == type_name);
        let params = api.operations().filter(|op| op.params.iter().any(|p| named(&p.ty))).count();
        let fields = api
            .types
            .iter()
            .filter(|t| match &t.kind {
                codegen::ir::TypeKind::Struct { fields, .. } => fields.iter().any(|f| named(&f.ty)),
                _ => false,
            })
            .count();
        params + fields
    };
    assert_eq!(
        users_of("View"),
        6,
        "getWorkflows, getSchedules, getUsers, getCredentials, getCollections, getServerDataConnections"
    );
    assert!(users_of("Role") >= 6, "{}", users_of("Role"));
}
