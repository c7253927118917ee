//! Overlays (OpenAPI Overlay 1.0): the engine's semantics (merge, append, replace, remove,
//! order), its errors (no match, bad JSONPath, malformed overlay), and what the project's own
//! overlays do to the Alteryx spec: only what they say, with the pristine spec still generating
//! and still the vendor's text.

use std::path::PathBuf;

use codegen::Source;
use serde_json::{Value, json};
use workspace_tests::{SPEC, root};

fn source(name: &str, text: &str) -> Source {
    Source { path: PathBuf::from(name), text: text.to_string() }
}

/// `doc` (JSON text) with the overlays (YAML texts) applied in order.
fn overlaid(doc: &str, overlays: &[&str]) -> codegen::Result<Value> {
    let overlays: Vec<Source> =
        overlays.iter().enumerate().map(|(i, text)| source(&format!("overlay-{i}.yaml"), text)).collect();
    codegen::overlaid_document(&source("doc.json", doc), &overlays)
}

const DOC: &str = r#"{
  "info": {"title": "T", "version": "1", "contact": {"name": "a", "email": "a@x"}},
  "tags": [{"name": "one"}],
  "paths": {"/a": {"get": {"summary": "A", "tags": ["one"]}}, "/b": {"get": {"summary": "B"}}}
}"#;

const HEAD: &str = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\n";

#[test]
fn objects_merge_recursively_arrays_append_and_scalars_are_replaced() {
    let overlay = format!(
        "{HEAD}actions:\n  - target: $.info\n    update:\n      version: '2'\n      contact: {{url: 'https://x'}}\n      x-new: true\n  - target: $.paths['/a'].get\n    update:\n      tags: [two]\n"
    );
    let doc = overlaid(DOC, &[&overlay]).unwrap();
    assert_eq!(
        doc["info"],
        json!({"title": "T", "version": "2", "contact": {"name": "a", "email": "a@x", "url": "https://x"}, "x-new": true})
    );
    assert_eq!(doc["paths"]["/a"]["get"]["tags"], json!(["one", "two"]));
}

#[test]
fn an_update_on_an_array_appends_it_as_one_entry() {
    let overlay = format!("{HEAD}actions:\n  - target: $.tags\n    update: {{name: two}}\n");
    let doc = overlaid(DOC, &[&overlay]).unwrap();
    assert_eq!(doc["tags"], json!([{"name": "one"}, {"name": "two"}]));
}

#[test]
fn remove_takes_object_members_and_array_entries_and_every_match() {
    let overlay = format!(
        "{HEAD}actions:\n  - target: $.paths['/b']\n    remove: true\n  - target: $.paths.*.get.summary\n    remove: true\n  - target: $.paths['/a'].get.tags[0]\n    remove: true\n"
    );
    let doc = overlaid(DOC, &[&overlay]).unwrap();
    assert_eq!(doc["paths"], json!({"/a": {"get": {"tags": []}}}));
}

#[test]
fn actions_and_overlays_apply_in_order() {
    // The second action acts on what the first added; the second overlay on what the first made.
    let first = format!(
        "{HEAD}actions:\n  - target: $.paths\n    update: {{'/c': {{get: {{summary: C}}}}}}\n  - target: $.paths['/c'].get\n    update: {{summary: C2}}\n"
    );
    let second = format!("{HEAD}actions:\n  - target: $.paths['/c'].get.summary\n    remove: true\n");
    let doc = overlaid(DOC, &[&first]).unwrap();
    assert_eq!(doc["paths"]["/c"]["get"]["summary"], "C2");
    let keys: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["/a", "/b", "/c"], "added members go last: the spec's order is kept");
    let doc = overlaid(DOC, &[&first, &second]).unwrap();
    assert_eq!(doc["paths"]["/c"]["get"], json!({}));
    // The other way round, the first overlay's target does not exist yet.
    let err = overlaid(DOC, &[&second, &first]).unwrap_err();
    assert_eq!((err.file.to_str(), err.pointer.as_str()), (Some("overlay-0.yaml"), "#/actions/0/target"));
}

#[test]
fn a_target_that_selects_nothing_names_the_overlay_and_the_action() {
    let overlay = format!(
        "{HEAD}actions:\n  - target: $.info\n    update: {{version: '2'}}\n  - target: $.components.schemas.Gone\n    update: {{type: object}}\n"
    );
    let err = overlaid(DOC, &[&overlay]).unwrap_err();
    assert_eq!(err.file, PathBuf::from("overlay-0.yaml"));
    assert_eq!(err.pointer, "#/actions/1/target");
    assert!(err.message.contains("selects nothing"), "{err}");
    let loc = err.location.expect("located in the overlay's text");
    assert_eq!((loc.line, loc.column), (6, 5), "{err}");
}

#[test]
fn a_bad_jsonpath_is_a_located_error() {
    let overlay = format!("{HEAD}actions:\n  - target: $.paths[?(\n    remove: true\n");
    let err = overlaid(DOC, &[&overlay]).unwrap_err();
    assert_eq!(err.pointer, "#/actions/0/target");
    assert!(err.message.contains("invalid JSONPath `$.paths[?(`"), "{err}");
    assert_eq!(err.location.map(|l| l.line), Some(4), "{err}");
}

#[test]
fn malformed_overlays_are_refused_with_the_reason() {
    let cases = [
        ("info: {title: t, version: '1'}\nactions: []\n", "#", "missing `overlay`"),
        (
            "overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, remove: true}]\n",
            "#/overlay",
            "unsupported overlay version",
        ),
        ("overlay: 1.0.0\nactions: [{target: $.info, update: {}}]\n", "#", "missing `info`"),
        ("overlay: 1.0.0\ninfo: {title: t}\nactions: [{target: $.info, update: {}}]\n", "#/info", "`info.version`"),
        ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []\n", "#/actions", "non-empty list"),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: info, remove: true}]\n",
            "#/actions/0/target",
            "starting with `$`",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $.info}]\n",
            "#/actions/0",
            "neither `update` nor `remove: true`",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $.info, update: 3}]\n",
            "#/actions/0/update",
            "must be a mapping",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $.info.title, update: {a: 1}}]\n",
            "#/actions/0/target",
            "selects a scalar",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, remove: true}]\n",
            "#/actions/0/target",
            "cannot be removed",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n  bad: [\n",
            "#",
            "invalid YAML",
        ),
    ];
    for (text, pointer, says) in cases {
        let err = overlaid(DOC, &[text]).unwrap_err();
        assert_eq!(err.pointer, pointer, "{text}\n{err}");
        assert!(err.message.contains(says), "{text}\nexpected `{says}` in: {err}");
        assert_eq!(err.file, PathBuf::from("overlay-0.yaml"));
    }
}

#[test]
fn overlay_files_are_taken_in_file_name_order() {
    let files = codegen::overlay::overlay_files(&root().join("spec/overlays")).unwrap();
    let names: Vec<String> = files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(names.len() >= 2, "{names:?}");
    let err = codegen::overlay::overlay_files(&root().join("spec/no-such-dir")).unwrap_err();
    assert!(err.to_string().contains("no-such-dir") && err.message.contains("cannot list the overlays"), "{err}");
}

fn alteryx_overlays() -> Vec<PathBuf> {
    codegen::overlay::overlay_files(&root().join("spec/overlays")).unwrap()
}

#[test]
fn every_overlay_says_why_it_exists_and_where_the_fact_comes_from() {
    for file in alteryx_overlays() {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc = Source { path: file.clone(), text }.parse().unwrap();
        let about = doc["info"]["description"].as_str().unwrap_or_default();
        assert!(about.contains("Why:") && about.contains("Source of the fact:"), "{}: {about}", file.display());
    }
}

#[test]
fn the_pristine_spec_still_generates_and_is_the_vendors_text() {
    let pristine = codegen::load_api(&root().join(SPEC)).expect("the vendor spec alone generates");
    assert_eq!(pristine.operations().count(), 50);
    assert!(!codegen::generate(&pristine, &codegen::Settings::new(SPEC)).unwrap().is_empty());
    let fidelity = std::process::Command::new("python3")
        .arg(root().join("../shared/tools/spec-fidelity"))
        .current_dir(root())
        .output()
        .expect("python3 runs");
    let said = String::from_utf8_lossy(&fidelity.stdout);
    assert!(fidelity.status.success() && said.contains("OK"), "{said}{}", String::from_utf8_lossy(&fidelity.stderr));
}

#[test]
fn the_overlays_change_only_what_they_say() {
    let pristine = codegen::surface::render(&codegen::load_api(&root().join(SPEC)).unwrap());
    let overlaid =
        codegen::surface::render(&codegen::load_api_with_overlays(&root().join(SPEC), &alteryx_overlays()).unwrap());
    let diff = similar::TextDiff::from_lines(&pristine, &overlaid);
    let changes: String = diff
        .iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .map(|c| format!("{}{}", if c.tag() == similar::ChangeTag::Delete { "-" } else { "+" }, c.value()))
        .collect();
    insta::assert_snapshot!("alteryx_overlay_surface_diff", changes);

    // The examples are not part of the surface: check them on the document itself. Each
    // contract's example names only properties of the schema the contract refers to.
    let read = |p: &std::path::Path| Source::read(p).unwrap();
    let overlays: Vec<Source> = alteryx_overlays().iter().map(|p| read(p)).collect();
    let doc = codegen::overlaid_document(&read(&root().join(SPEC)), &overlays).unwrap();
    let contracts = &doc["components"]["schemas"]["ScheduleIteration"]["properties"];
    for name in
        ["hourlyContract", "dailyContract", "weeklyContract", "monthlyContract", "customContract", "cronContract"]
    {
        let contract = &contracts[name];
        let example = contract["example"].as_object().unwrap_or_else(|| panic!("{name}: {}", contract["example"]));
        let target = contract["$ref"].as_str().and_then(|r| r.strip_prefix("#")).unwrap();
        let schema = doc.pointer(target).unwrap_or_else(|| panic!("{name} refers to {target}"));
        for key in example.keys() {
            assert!(schema["properties"].get(key).is_some(), "{name}.example.{key} is not a property of {target}");
        }
    }
    // Every example of a string enum is one of its values (Prism serves the examples).
    let mut enums = 0;
    let mut stack = vec![("#".to_string(), &doc)];
    while let Some((at, node)) = stack.pop() {
        if let (Some(values), Some(example)) = (node.get("enum").and_then(|e| e.as_array()), node.get("example")) {
            enums += 1;
            assert!(values.contains(example), "{at}: example {example} is not one of {values:?}");
        }
        match node {
            serde_json::Value::Object(map) => stack.extend(map.iter().map(|(k, v)| (format!("{at}/{k}"), v))),
            serde_json::Value::Array(items) => {
                stack.extend(items.iter().enumerate().map(|(i, v)| (format!("{at}/{i}"), v)))
            }
            _ => {}
        }
    }
    assert!(enums > 10, "{enums}");
}

/// `METHOD /v3/...` rows of the endpoint table in the Server API overview (seed 003).
fn documented_v3_endpoints() -> Vec<(String, String)> {
    let seed = std::fs::read_dir(root().join("../shared/seeds"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("003_")))
        .expect("the overview seed is there");
    let text = std::fs::read_to_string(seed).unwrap();
    let mut out = Vec::new();
    for line in text.lines().filter(|l| l.contains("| v3 |")) {
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            if let Some(rest) = line.split(&format!("| {method} /v3/")).nth(1) {
                let path = rest.split([' ', '|']).next().unwrap_or_default();
                out.push((method.to_string(), format!("/v3/{path}")));
            }
        }
    }
    out
}

#[test]
fn the_readme_lists_every_documented_v3_endpoint_the_spec_lacks() {
    let api = codegen::load_api_with_overlays(&root().join(SPEC), &alteryx_overlays()).unwrap();
    let have: Vec<(String, String)> =
        api.operations().map(|op| (op.method.to_string(), op.path.text.to_lowercase())).collect();
    let documented = documented_v3_endpoints();
    assert!(documented.len() > 60, "the table was read: {}", documented.len());
    assert!(have.contains(&("GET".into(), "/v3/jobs/{jobid}".into())), "the overlay adds GET /v3/jobs/{{jobId}}");
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme.split("### Endpoints the client lacks").nth(1).expect("the README has the section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut missing_from_readme = Vec::new();
    for (method, path) in &documented {
        // The table writes parameters in other spellings ({id}, {objectId}): compare shapes.
        let shape = |p: &str| {
            p.split('/').map(|s| if s.starts_with('{') { "{}" } else { s }).collect::<Vec<_>>().join("/").to_lowercase()
        };
        let in_spec = have.iter().any(|(m, p)| m == method && shape(p) == shape(path));
        let listed = section.contains(&format!("`{method} {path}`"));
        if in_spec {
            assert!(!listed, "`{method} {path}` is listed as missing but the spec has it");
        } else if !listed {
            missing_from_readme.push(format!("`{method} {path}`"));
        }
    }
    assert!(missing_from_readme.is_empty(), "the README does not list: {}", missing_from_readme.join(", "));
}
