//! Swagger 2.0 input: a hand-written 2.0 document of a few Alteryx operations generates the same
//! API surface, and the same code, as its OpenAPI 3.0 twin; errors and warnings in a 2.0 file
//! name its own lines and pointers.

use workspace_tests::{api_from_text, root};

fn fixture(name: &str) -> (String, codegen::ir::Api) {
    let path = root().join(format!("tests/fixtures/{name}.yaml"));
    let text = std::fs::read_to_string(path).unwrap();
    let api = api_from_text(&format!("{name}.yaml"), &text).unwrap_or_else(|e| panic!("{e}"));
    (text, api)
}

#[test]
fn a_swagger2_document_has_the_surface_of_its_openapi3_twin() {
    let (_, swagger) = fixture("swagger2");
    let (_, twin) = fixture("swagger2_twin");
    assert!(swagger.warnings.is_empty(), "{:?}", swagger.warnings);
    let (a, b) = (codegen::surface::render(&swagger), codegen::surface::render(&twin));
    assert_eq!(a, b, "surfaces differ:\n{}", diff(&b, &a));
    // What the surface says about the constructs 2.0 writes its own way.
    for expected in [
        "oauth2 client credentials, token https://your-server.example.com/webapi/oauth2/token",
        "body multipart/form-data: UploadWorkflowRequest",
        "returns bytes",
        "query tags?: [string]  as tags",
        "query districts?: [string] (comma-separated)  as districts",
    ] {
        assert!(a.contains(expected), "`{expected}` missing from:\n{a}");
    }
}

#[test]
fn a_swagger2_document_generates_the_code_of_its_openapi3_twin() {
    let (_, swagger) = fixture("swagger2");
    let (_, twin) = fixture("swagger2_twin");
    // Only the header (which names the input) and the crate docs (the description) differ.
    let strip = |files: Vec<codegen::GeneratedFile>| -> Vec<(String, String)> {
        files
            .into_iter()
            .map(|f| {
                let body: String = f.contents.lines().filter(|l| !l.starts_with("//")).collect::<Vec<_>>().join("\n");
                (f.path, body)
            })
            .collect()
    };
    let settings = codegen::Settings::new("x");
    let a = strip(codegen::generate(&swagger, &settings).unwrap());
    let b = strip(codegen::generate(&twin, &settings).unwrap());
    assert_eq!(a.len(), b.len());
    for ((path, a), (_, b)) in a.iter().zip(&b) {
        assert_eq!(a, b, "{path} differs:\n{}", diff(b, a));
    }
}

/// The lines that differ, as a unified diff.
fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual).unified_diff().context_radius(2).to_string()
}

const HEAD: &str = "swagger: '2.0'\ninfo:\n  title: T\n  version: '1'\n";

#[test]
fn errors_in_a_swagger2_document_name_its_own_lines() {
    // A definition's property refers to a definition that is not there.
    let text = format!(
        "{HEAD}paths: {{}}\ndefinitions:\n  Pet:\n    type: object\n    properties:\n      owner:\n        $ref: '#/definitions/Missing'\n"
    );
    let e = api_from_text("bad2.yaml", &text).unwrap_err();
    assert!(e.pointer.starts_with("#/definitions/Pet/properties/owner"), "{e}");
    assert_eq!(e.location.map(|l| l.line), Some(11), "{e}");

    // A body parameter's schema: the error names the parameter of the 2.0 file.
    let text = format!(
        "{HEAD}paths:\n  /pets:\n    post:\n      parameters:\n        - name: ok\n          in: query\n          type: string\n        - name: pet\n          in: body\n          schema:\n            $ref: '#/definitions/Missing'\n      responses:\n        '204': {{description: stored}}\n"
    );
    let e = api_from_text("bad2.yaml", &text).unwrap_err();
    assert_eq!(e.pointer, "#/paths/~1pets/post/parameters/1/schema/$ref", "{e}");
    assert_eq!(e.location.map(|l| l.line), Some(15), "{e}");
}

#[test]
fn warnings_in_a_swagger2_document_name_its_own_lines() {
    let text = format!(
        "{HEAD}paths:\n  /pets:\n    get:\n      parameters:\n        - name: ids\n          in: query\n          type: array\n          items: {{type: string}}\n          collectionFormat: tsv\n      responses:\n        '204': {{description: none}}\n"
    );
    let api = api_from_text("warn2.yaml", &text).unwrap();
    let [w] = &api.warnings[..] else { panic!("one warning: {:?}", api.warnings) };
    assert_eq!(w.pointer, "#/paths/~1pets/get/parameters/0/collectionFormat");
    assert_eq!(w.location.map(|l| l.line), Some(13));
    assert!(w.message.contains("tsv"), "{w}");
}

#[test]
fn form_parameters_without_a_file_are_url_encoded_and_path_level_ones_reach_every_operation() {
    let text = format!(
        "{HEAD}host: api.example.com\nschemes: [http, https]\npaths:\n  /pets/{{id}}:\n    parameters:\n      - {{name: id, in: path, required: true, type: integer}}\n      - {{name: token, in: formData, type: string}}\n    post:\n      parameters:\n        - {{name: name, in: formData, required: true, type: string}}\n      responses:\n        '204': {{description: stored}}\n    put:\n      parameters:\n        - {{name: token, in: formData, required: true, type: string}}\n      responses:\n        '204': {{description: stored}}\n"
    );
    let api = api_from_text("form2.yaml", &text).unwrap();
    let surface = codegen::surface::render(&api);
    assert!(surface.contains("server https://api.example.com"), "https comes first:\n{surface}");
    let ops: Vec<_> = api.operations().collect();
    for op in &ops {
        let body = op.body.as_ref().unwrap();
        assert_eq!(body.media_type, "application/x-www-form-urlencoded");
        assert_eq!(op.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["id"]);
    }
    let fields = |op: &codegen::ir::Operation| -> Vec<(String, bool)> {
        let codegen::ir::TypeRef::Named { id, .. } = &op.body.as_ref().unwrap().ty else { panic!() };
        let t = api.ty(*id);
        let codegen::ir::TypeKind::Struct { fields, .. } = &t.kind else { panic!("{:?}", t.kind) };
        fields.iter().map(|f| (f.name.clone(), f.required)).collect()
    };
    // The path's `token` and the operation's own; an operation's parameter of the same name wins.
    let method = |m: &str| *ops.iter().find(|op| op.method.as_str() == m).unwrap();
    assert_eq!(fields(method("POST")), [("token".to_string(), false), ("name".to_string(), true)]);
    assert_eq!(fields(method("PUT")), [("token".to_string(), true)]);
}
