//! Bad specs give located errors, never panics: file, JSON pointer, line and column, message.

use workspace_tests::api_from_text;

fn error_of(text: &str) -> codegen::Error {
    match api_from_text("bad.yaml", text) {
        Ok(_) => panic!("the spec should be rejected"),
        Err(e) => e,
    }
}

const HEAD: &str = "openapi: 3.1.0\ninfo:\n  title: T\n  version: '1'\n";

#[test]
fn invalid_yaml_names_line_and_column() {
    let e = error_of("openapi: 3.1.0\ninfo:\n  title: [unclosed\n");
    assert_eq!(e.file.to_str(), Some("bad.yaml"));
    assert!(e.message.starts_with("invalid YAML"), "{e}");
    assert!(e.location.is_some_and(|l| l.line >= 3), "{e}");
}

#[test]
fn dangling_ref_names_the_pointer() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Missing'\n"
    );
    let e = error_of(&spec);
    assert_eq!(e.pointer, "#/paths/~1a/get/responses/200/content/application~1json/schema/$ref");
    assert!(e.message.contains("dangling reference `#/components/schemas/Missing`"), "{e}");
    let loc = e.location.expect("located");
    assert_eq!(loc.line, 15, "{e}");
    assert!(e.to_string().starts_with("bad.yaml:15:"), "{e}");
}

#[test]
fn a_structured_non_json_body_is_raw_bytes_with_a_located_warning() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    post:\n      operationId: postA\n      requestBody:\n        content:\n          application/xml:\n            schema:\n              type: object\n              properties:\n                a: {{type: string}}\n      responses:\n        '204': {{description: none}}\n"
    );
    let api = api_from_text("quirky.yaml", &spec).unwrap();
    let [w] = &api.warnings[..] else { panic!("one warning: {:?}", api.warnings) };
    assert_eq!(w.pointer, "#/paths/~1a/post/requestBody/content/application~1xml");
    assert_eq!(w.location.map(|l| l.line), Some(11));
    assert!(w.message.contains("raw bytes"), "{w}");
    assert!(w.to_string().starts_with("warning: quirky.yaml:11:"), "{w}");
    let body = api.operations().next().unwrap().body.as_ref().unwrap();
    assert_eq!(body.ty, codegen::ir::TypeRef::Binary);
}

/// Every construct of the quirks fixture that is read with an assumption says so, at its line.
#[test]
fn the_quirks_fixture_warns_at_each_assumption() {
    let path = workspace_tests::root().join("tests/fixtures/quirks.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let api = api_from_text("quirks.yaml", &text).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).map(|i| i + 1);
    let found: Vec<(String, Option<usize>)> =
        api.warnings.iter().map(|w| (w.pointer.clone(), w.location.map(|l| l.line))).collect();
    let expect = [
        ("#/paths/~1documents-alias", line_of("/documents-alias:")),
        ("#/components/securitySchemes/tls", line_of("    tls:")),
        ("#/components/schemas/Document/properties/never", line_of("never: false")),
        ("#/components/schemas/Document/properties/nothing", line_of("nothing: {type: 'null'}")),
        ("#/paths/~1raw/put/requestBody/content/application~1octet-stream", line_of("application/octet-stream:")),
        (
            "#/components/schemas/Document/properties/parent/$ref",
            line_of("$ref: '#/components/schemas/Document/properties/owner'"),
        ),
        ("#/components/schemas/Either", line_of("    Either:")),
    ];
    for (pointer, line) in expect {
        assert!(line.is_some());
        assert!(found.contains(&(pointer.to_string(), line)), "no warning at {pointer} (line {line:?}): {found:?}");
    }
    assert!(api.warnings.iter().all(|w| !w.message.is_empty()));
}

#[test]
fn all_of_an_object_and_a_primitive_is_any_json_with_a_warning() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Mixed:\n      allOf:\n        - type: object\n          properties:\n            a: {{type: string}}\n        - type: integer\n"
    );
    let api = api_from_text("mixed.yaml", &spec).unwrap();
    let [w] = &api.warnings[..] else { panic!("one warning: {:?}", api.warnings) };
    assert_eq!(w.pointer, "#/components/schemas/Mixed");
    assert_eq!(w.location.map(|l| l.line), Some(8));
    assert!(w.message.contains("object (member 0), integer (member 1)"), "{w}");
    assert_eq!(api.types[0].kind, codegen::ir::TypeKind::Alias(codegen::ir::TypeRef::Any));
}

#[test]
fn typeless_items_and_inline_tagged_members_are_read_with_located_warnings() {
    let spec = format!(
        "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200': {{description: ok}}\n  /b/{{id}}:\n    get:\n      parameters:\n        - $ref: '#/paths/~1a~1{{id}}/get/parameters/0'\n      responses:\n        '200': {{description: ok}}\ncomponents:\n  schemas:\n    Loose:\n      items: {{type: string}}\n    Pet:\n      oneOf:\n        - {{type: object, properties: {{kind: {{type: string}}}}}}\n        - {{type: string}}\n      discriminator: {{propertyName: kind}}\n"
    );
    let api = api_from_text("loose.yaml", &spec).unwrap();
    let at = |pointer: &str| {
        api.warnings.iter().find(|w| w.pointer == pointer).unwrap_or_else(|| panic!("{pointer}: {:?}", api.warnings))
    };
    let loose = at("#/components/schemas/Loose");
    assert!(loose.message.contains("`items` without `type: array`"), "{loose}");
    let line_of = |needle: &str| spec.lines().position(|l| l.contains(needle)).map(|i| i + 1);
    assert_eq!(loose.location.map(|l| l.line), line_of("    Loose:"));
    let pet = at("#/components/schemas/Pet/oneOf/0");
    assert!(pet.message.contains("read by shape"), "{pet}");
    assert_eq!(pet.location.map(|l| l.line), line_of("        - {type: object"));
    let param = at("#/paths/~1b~1{id}/get/parameters/0/$ref");
    assert!(param.message.contains("the parameter there becomes the component `Id`"), "{param}");
    let loose_type = api.types.iter().find(|t| t.name.raw() == "Loose").unwrap();
    assert_eq!(loose_type.kind, codegen::ir::TypeKind::Alias(codegen::ir::TypeRef::Any));
}

#[test]
fn a_reference_to_nothing_is_an_error_at_the_reference() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/A/properties/missing'}}\n"
    );
    let e = error_of(&spec);
    assert_eq!(e.pointer, "#/components/schemas/A/properties/b/$ref");
    assert!(e.message.contains("refers to nothing"), "{e}");
    assert_eq!(e.location.map(|l| l.line), Some(11));
}

#[test]
fn path_items_that_refer_in_a_circle_are_an_error() {
    let spec = format!("{HEAD}paths:\n  /a:\n    $ref: '#/paths/~1b'\n  /b:\n    $ref: '#/paths/~1a'\n");
    let e = error_of(&spec);
    assert_eq!(e.pointer, "#/paths/~1a/$ref");
    assert!(e.message.contains("circle"), "{e}");
}

#[test]
fn duplicate_operation_id() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: same\n      responses: {{'204': {{description: x}}}}\n  /b:\n    get:\n      operationId: same\n      responses: {{'204': {{description: x}}}}\n"
    );
    let e = error_of(&spec);
    assert_eq!(e.pointer, "#/paths/~1b/get/operationId");
    assert!(e.message.contains("duplicate operationId `same`"), "{e}");
    assert!(e.message.contains("#/paths/~1a/get"), "names the first use: {e}");
    assert_eq!(e.location.map(|l| l.line), Some(12));
}

#[test]
fn missing_required_field_of_the_document() {
    let e = error_of("openapi: 3.1.0\npaths: {}\n");
    assert_eq!(e.pointer, "#");
    assert!(e.message.contains("missing required field `info`"), "{e}");
    let e = error_of("openapi: 3.0.3\ninfo:\n  title: T\npaths: {}\n");
    assert_eq!(e.pointer, "#/info");
    assert!(e.message.contains("`version`"), "{e}");
    assert_eq!(e.location.map(|l| l.line), Some(2), "the `info` key: {e}");
}

#[test]
fn missing_parameter_name_points_at_the_parameter() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - in: query\n          schema: {{type: string}}\n      responses: {{'204': {{description: x}}}}\n"
    );
    let e = error_of(&spec);
    assert_eq!(e.pointer, "#/paths/~1a/get/parameters/0");
    assert!(e.message.contains("`name`"), "{e}");
}

#[test]
fn a_wrongly_typed_node_deep_inside_is_named() {
    // openapiv3 alone would only say "did not match any variant" at the path item.
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: 42\n          content:\n            application/json:\n              schema:\n                type: object\n"
    );
    let e = error_of(&spec);
    assert_eq!(e.pointer, "#/paths/~1a/get/responses/200/description", "{e}");
    assert!(e.message.contains("expected a string"), "{e}");
    assert!(e.location.is_some(), "{e}");
}

#[test]
fn unsupported_openapi_versions() {
    assert!(error_of("swagger: '1.2'\ninfo: {title: T, version: '1'}\n").message.contains("Swagger 2.0"));
    assert!(api_from_text("ok.yaml", "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n").is_ok());
    assert!(error_of("openapi: 4.0.0\ninfo: {title: T, version: '1'}\n").message.contains("not supported"));
}

#[test]
fn garbage_never_panics() {
    for text in ["", "[]", "42", "{", ": :", "openapi: [1]", "openapi: 3.1.0\ninfo: 7", "\u{0}\u{1}"] {
        let _ = api_from_text("bad.yaml", text);
    }
}

#[test]
fn a_reference_cycle_is_an_error_not_a_stack_overflow() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n"
    );
    let e = error_of(&spec);
    assert_eq!(e.pointer, "#/components/schemas/A");
    assert!(e.message.contains("reference cycle"), "{e}");
}

#[test]
fn references_to_other_sections_are_refused_where_they_are() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - $ref: '#/components/schemas/Nope'\n      responses: {{'204': {{description: x}}}}\n"
    );
    let e = error_of(&spec);
    assert_eq!(e.pointer, "#/paths/~1a/get/parameters/0/$ref");
    assert!(e.message.contains("expected #/components/parameters/<name>"), "{e}");
}

/// A spec whose one operation returns `Thing` and carries `extension` (YAML, indented for it).
fn with_extension(extension: &str) -> String {
    format!(
        "{HEAD}paths:\n  /things/{{id}}:\n    get:\n      operationId: getThing\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Thing'}}\n{extension}components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        state: {{type: string}}\n        size: {{type: integer}}\n"
    )
}

#[test]
fn helper_extensions_are_checked_against_the_operation() {
    let cases = [
        ("      x-codegen-poll: {method: wait, field: state}\n", "exactly one of `final`"),
        ("      x-codegen-poll: {method: wait, field: state, final: [a], pending: [b]}\n", "exactly one of `final`"),
        ("      x-codegen-poll: {method: wait, field: state, final: []}\n", "`final` must be a non-empty list"),
        ("      x-codegen-poll: {method: wait, field: colour, pending: [a]}\n", "`Thing` has no field `colour`"),
        ("      x-codegen-poll: {method: wait, field: size, pending: [a]}\n", "must be a string or a string enum"),
        ("      x-codegen-poll: {field: state, pending: [a]}\n", "`method` must be a non-empty string"),
        ("      x-rust-name: 7\n", "`x-rust-name` must be a non-empty string"),
    ];
    for (extension, says) in cases {
        let e = error_of(&with_extension(extension));
        assert!(e.pointer.starts_with("#/paths/~1things~1{id}/get/x-"), "{extension}: {e}");
        assert!(e.message.contains(says), "{extension}: expected `{says}` in {e}");
        assert_eq!(e.location.map(|l| l.line), Some(17), "{extension}: {e}");
    }
    let ok =
        api_from_text("ok.yaml", &with_extension("      x-codegen-poll: {method: wait, field: state, pending: [a]}\n"));
    let api = ok.unwrap_or_else(|e| panic!("{e}"));
    let poll = api.operations().next().and_then(|op| op.poll.clone()).expect("the helper is in the IR");
    assert_eq!((poll.rust_name.raw(), poll.field_optional), ("wait", true));
    assert_eq!(poll.until, codegen::ir::PollUntil::NotPending(vec!["a".into()]));
    let ok = api_from_text(
        "ok.yaml",
        &with_extension("      x-codegen-poll: {method: wait, field: state, final: [done]}\n"),
    );
    let poll = ok.unwrap_or_else(|e| panic!("{e}")).operations().next().and_then(|op| op.poll.clone()).unwrap();
    assert_eq!(poll.until, codegen::ir::PollUntil::Final(vec!["done".into()]));
}

/// Nested object schemas `depth` deep around `leaf` (a YAML flow mapping).
fn nested(depth: usize, leaf: &str) -> String {
    let mut schema = leaf.to_string();
    for _ in 0..depth {
        schema = format!("{{type: object, properties: {{x: {schema}}}}}");
    }
    format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n"
    )
}

#[test]
fn a_bad_keyword_deep_inside_nested_schemas_is_named_without_backtracking() {
    // Without the keyword check, typing this took time doubling with each level (found by the fuzzer).
    let e = error_of(&nested(40, "{type: string, minLength: bad}"));
    assert!(e.pointer.ends_with("/properties/x/minLength"), "{e}");
    assert_eq!(e.pointer.matches("/properties/x").count(), 40, "{e}");
    assert!(e.message.contains("`minLength` must be a non-negative integer"), "{e}");
    let fine = api_from_text("ok.yaml", &nested(40, "{type: string, minLength: 1}"));
    assert!(fine.is_ok(), "{:?}", fine.err());
}

#[test]
fn schema_keywords_of_the_wrong_type_are_named() {
    for (leaf, keyword) in [
        ("{type: string, nullable: 3}", "nullable"),
        ("{type: object, required: [1]}", "required"),
        ("{type: array, items: [1]}", "items"),
        ("{allOf: 5}", "allOf"),
        ("{type: object, additionalProperties: 3}", "additionalProperties"),
        ("{oneOf: [{type: string}], discriminator: {mapping: {}}}", "discriminator"),
    ] {
        let e = error_of(&nested(1, leaf));
        assert!(e.pointer.ends_with(&format!("/{keyword}")), "{leaf}: {e}");
    }
}

#[test]
fn a_deep_schema_like_tree_where_no_schema_belongs_is_named_at_once() {
    // Found by the fuzzer: under `tags`, nested `properties` ending in a list. Narrowing the
    // error re-read an inner node as a schema, which openapiv3 takes exponential time to refuse.
    let mut chain = "[x]".to_string();
    for _ in 0..40 {
        chain = format!("{{type: object, properties: {{x: {chain}}}}}");
    }
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      tags: {chain}\n      responses:\n        '200': {{description: ok}}\n"
    );
    let e = error_of(&spec);
    assert!(e.pointer.starts_with("#/paths/~1a/get/tags"), "{e}");
}

#[test]
fn a_schema_that_includes_itself_through_all_of_is_refused_not_a_stack_overflow() {
    // Found by the fuzzer: a property of `Named` whose `allOf` merges `Named` again.
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Named:\n      type: object\n      properties:\n        name: {{type: string}}\n        cat:\n          allOf:\n            - $ref: '#/components/schemas/Named'\n            - {{type: object, properties: {{indoor: {{type: boolean}}}}}}\n"
    );
    let e = error_of(&spec);
    assert_eq!(e.pointer, "#/components/schemas/Named/properties/cat/allOf/0", "{e}");
    assert!(e.message.contains("includes itself through `allOf`"), "{e}");
}

#[test]
fn hand_written_modules_are_checked() {
    let spec = |modules: &str| format!("{HEAD}x-codegen-modules: {modules}\npaths: {{}}\n");
    let ok = api_from_text("ok.yaml", &spec("[{name: tasks, description: Helpers}]")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        ok.modules,
        vec![codegen::ir::ExtraModule { name: codegen::ir::RustName::new("tasks"), description: "Helpers".into() }]
    );
    let cases = [
        ("{name: tasks}", "#/x-codegen-modules", "must be a list"),
        ("[{name: tasks}]", "#/x-codegen-modules/0", "needs a `name` and a `description`"),
        ("[{name: Tasks, description: x}]", "#/x-codegen-modules/0/name", "not a free module name"),
        ("[{name: types, description: x}]", "#/x-codegen-modules/0/name", "not a free module name"),
        (
            "[{name: a, description: x}, {name: a, description: y}]",
            "#/x-codegen-modules/1/name",
            "not a free module name",
        ),
    ];
    for (modules, pointer, says) in cases {
        let e = error_of(&spec(modules));
        assert_eq!(e.pointer, pointer, "{modules}: {e}");
        assert!(e.message.contains(says), "{modules}: {e}");
    }
}

/// Strict YAML 1.2 refuses flow lines at or left of their key; libyaml, go-yaml and js-yaml
/// read them, and so does the generator, errors still located by line.
#[test]
fn a_flow_mapping_left_of_its_key_reads_as_libyaml_reads_it() {
    let text = "openapi: 3.0.0\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              example: {\n              \"a\": [1,\n            2]\n              }\n              schema: {type: object}\n  b: {}\n";
    let source = codegen::Source { path: "flow.yaml".into(), text: text.into() };
    let doc = source.parse().unwrap();
    let example = &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["example"];
    assert_eq!(example, &serde_json::json!({"a": [1, 2]}));
    let e = error_of(text);
    assert_eq!(e.pointer, "#/paths/b");
    assert_eq!(e.location.map(|l| l.line), Some(18), "{e}");
}

/// A schema that a `$ref` to a JSON pointer hoisted into a component is still reported where
/// the file has it.
#[test]
fn an_error_inside_a_hoisted_schema_names_its_place_in_the_file() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/C/properties/inner'}}\n    C:\n      type: object\n      properties:\n        inner:\n          type: object\n          properties:\n            x: {{type: 7}}\n"
    );
    let e = error_of(&spec);
    assert!(e.pointer.starts_with("#/components/schemas/C/properties/inner/properties/x"), "{e}");
    assert_eq!(e.location.map(|l| l.line), Some(18), "{e}");
}
