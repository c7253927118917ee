//! `cargo xtask diff`: the API change report between two specs, per change kind (fixture pairs
//! in `tests/diff/`, with snapshots of the report), on a realistic Alteryx update, and the
//! command's exit status with `--fail-on-breaking`.

use codegen::Source;
use codegen::diff::{Impact, Report, diff};
use workspace_tests::{SPEC, root};

fn source(path: &str) -> Source {
    Source::read(&root().join(path)).unwrap_or_else(|e| panic!("{e}"))
}

fn pair(name: &str) -> Report {
    let old = codegen::api_from_source(&source(&format!("tests/diff/{name}.old.yaml"))).unwrap();
    let new = codegen::api_from_source(&source(&format!("tests/diff/{name}.new.yaml"))).unwrap();
    diff(&old, &new)
}

fn has(report: &Report, impact: Impact, text: &str) -> bool {
    report.changes.iter().any(|c| c.impact == impact && c.text.contains(text))
}

#[test]
fn operation_changes_are_classified() {
    let r = pair("operations");
    let breaking = [
        "operation `purgeAll` removed",
        "`deleteItem` now sends `POST /items/{id}/remove` (was `DELETE /items/{id}`)",
        "`getStats` is now `client.items().get_stats()` (was `client.admin().get_stats()`)",
        "`listItems`'s query parameter `sort` is now required",
        "`listItems`'s query parameter `filter` is i64 (was string)",
        "new required header parameter `tenant`",
        "`listItems`'s query parameter `page` removed",
        "`createItem`'s request body is `multipart/form-data CreateItemRequest` (was `application/json Item`)",
        "`createItem` returns `Item` (was nothing)",
    ];
    for text in breaking {
        assert!(has(&r, Impact::Breaking, text), "breaking `{text}` missing:\n{r:#?}");
    }
    let compatible = [
        "new operation `replaceItem`",
        "new operation `purgeEverything`",
        "new optional query parameter `limit`",
        "new optional query parameter `verbose`",
        "`listItems` gains the page stream `list_items_stream()`",
        "`getItem` is deprecated",
    ];
    for text in compatible {
        assert!(has(&r, Impact::Compatible, text), "compatible `{text}` missing:\n{r:#?}");
    }
    assert!(has(&r, Impact::Documentation, "`getItem` documents a `410` response"));
    assert!(has(&r, Impact::Documentation, "`getItem` no longer documents a `404` response"));
    assert!(has(&r, Impact::Documentation, "`listItems`'s summary or description"));
    assert!(r.notes.iter().any(|n| n.contains("`purgeAll` was removed and `purgeEverything` added")), "{:?}", r.notes);
    assert_eq!(r.next_version("0.1.0").as_deref(), Some("0.2.0"));
    assert_eq!(r.next_version("1.4.2").as_deref(), Some("2.0.0"));
    insta::assert_snapshot!("operations", r.to_markdown("operations.old.yaml", "operations.new.yaml", Some("0.1.0")));
}

#[test]
fn type_changes_are_classified() {
    let r = pair("types");
    let breaking = [
        "`Thing` has a new required field `kind`",
        "`Thing.owner` is now required",
        "`Thing.size` is string (was i64)",
        "`Thing.colour` removed",
        "`State` loses the value `closed`",
        "`Shape` is one of string, i64, bool (was string, i64)",
        "`Code` is i64 (was string)",
        "type `Legacy` removed",
        "`Mode` is now an object (was a string enum)",
    ];
    for text in breaking {
        assert!(has(&r, Impact::Breaking, text), "breaking `{text}` missing:\n{r:#?}");
    }
    let compatible = [
        "`Thing` has a new optional field `note`",
        "`Thing` has a new optional field `tags`",
        "`State` has a new value `archived`",
        "new type `Renamed`",
        "`Thing` keeps extra properties (string)",
    ];
    for text in compatible {
        assert!(has(&r, Impact::Compatible, text), "compatible `{text}` missing:\n{r:#?}");
    }
    assert!(has(&r, Impact::Documentation, "`Thing.label` description"));
    assert!(has(&r, Impact::Documentation, "`Thing`'s description"));
    assert!(r.notes.iter().any(|n| n.contains("`Thing.colour` removed and `Thing.color` added")), "{:?}", r.notes);
    assert!(r.notes.iter().any(|n| n.contains("type `Legacy` was removed and `Renamed` added")), "{:?}", r.notes);
    insta::assert_snapshot!("types", r.to_markdown("types.old.yaml", "types.new.yaml", Some("0.1.0")));
}

#[test]
fn documentation_only_changes_ask_for_a_patch_release_and_no_change_for_none() {
    let r = pair("docs");
    assert!(!r.changes.is_empty() && r.changes.iter().all(|c| c.impact == Impact::Documentation), "{r:#?}");
    assert_eq!(r.next_version("0.1.0").as_deref(), Some("0.1.1"));
    assert_eq!(r.next_version("1.2.3").as_deref(), Some("1.2.4"));
    let same = codegen::api_from_source(&source("tests/diff/operations.old.yaml")).unwrap();
    let none = diff(&same, &same);
    assert!(none.changes.is_empty() && none.notes.is_empty());
    assert!(none.to_markdown("a", "b", Some("0.1.0")).contains("no release needed"));
    assert_eq!(pair("operations").next_version("0.1.0").as_deref(), Some("0.2.0"));
    let compatible = Report {
        changes: vec![codegen::diff::Change { section: "x".into(), impact: Impact::Compatible, text: "y".into() }],
        notes: vec![],
    };
    assert_eq!(compatible.next_version("0.3.1").as_deref(), Some("0.3.2"));
    assert_eq!(compatible.next_version("1.3.1").as_deref(), Some("1.4.0"));
}

#[test]
fn a_realistic_alteryx_update() {
    let overlays = codegen::overlay::overlay_files(&root().join("spec/overlays")).unwrap();
    let get_job: Vec<Source> =
        overlays.iter().filter(|p| p.ends_with("20-get-job.yaml")).map(|p| Source::read(p).unwrap()).collect();
    assert_eq!(get_job.len(), 1);
    let old = codegen::api_from_source(&source(SPEC)).unwrap();
    let new_overlays = [get_job[0].clone(), source("tests/diff/alteryx-update.overlay.yaml")];
    let new = codegen::api_from_sources(&source(SPEC), &new_overlays).unwrap();
    let r = diff(&old, &new);
    assert!(has(&r, Impact::Compatible, "new operation `getJob`, `GET /v3/jobs/{jobId}`: `client.jobs().get()`"));
    assert!(has(&r, Impact::Breaking, "`WorkflowSummary.publishedVersionNumber` is string (was i64)"), "{r:#?}");
    assert!(has(&r, Impact::Breaking, "`ExecutionMode` loses the value `SemiSafe`"), "{r:#?}");
    assert!(has(&r, Impact::Compatible, "`getWorkflows` has a new optional query parameter `limit`"), "{r:#?}");
    assert!(r.is_breaking());
    insta::assert_snapshot!(
        "alteryx_update",
        r.to_markdown(SPEC, "the same + 20-get-job + alteryx-update", Some("0.1.0"))
    );
}

#[test]
fn the_command_fails_on_breaking_changes_only_when_asked() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let run = |args: &[&str]| {
        std::process::Command::new(&cargo)
            .args(["run", "--quiet", "--offline", "-p", "xtask", "--", "diff"])
            .args(args)
            .current_dir(root())
            .output()
            .expect("cargo runs")
    };
    let (old, new) = ("tests/diff/types.old.yaml", "tests/diff/types.new.yaml");
    let plain = run(&[old, new]);
    assert!(plain.status.success(), "{}", String::from_utf8_lossy(&plain.stderr));
    let text = String::from_utf8_lossy(&plain.stdout);
    assert!(
        text.starts_with("# API changes") && text.contains("**Suggested version bump: 0.1.0 → 0.2.0** (breaking)"),
        "{text}"
    );
    let strict = run(&[old, new, "--fail-on-breaking"]);
    assert!(!strict.status.success());
    assert!(String::from_utf8_lossy(&strict.stderr).contains("breaking"));
    let docs = run(&["tests/diff/docs.old.yaml", "tests/diff/docs.new.yaml", "--fail-on-breaking"]);
    assert!(docs.status.success(), "documentation changes pass --fail-on-breaking");
}
