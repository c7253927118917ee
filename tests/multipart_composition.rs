//! A `multipart/form-data` body that is a composition, as a real video platform's import body
//! is (`allOf` of a `oneOf` of alternative part sets and a common object): read as one form in
//! which the common parts keep their `required` and every alternative's parts are optional,
//! with a warning located at the composition, instead of refused.

use codegen::ir::TypeKind;

const SPEC: &str = r#"
openapi: 3.0.3
info: { title: Videos, version: "1" }
paths:
  /videos/import:
    post:
      operationId: importVideo
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              allOf:
                - oneOf:
                    - type: object
                      required: [file]
                      properties:
                        file: { type: string, format: binary }
                    - $ref: '#/components/schemas/FromUrl'
                - type: object
                  required: [title]
                  properties:
                    title: { type: string }
                    tags: { type: array, items: { type: string } }
      responses:
        "201": { description: created }
components:
  schemas:
    FromUrl:
      type: object
      required: [source]
      properties:
        source: { type: string, format: uri }
"#;

#[test]
fn a_composed_multipart_body_is_one_form_with_the_alternatives_optional() {
    let source = codegen::Source { path: "videos.yaml".into(), text: SPEC.into() };
    let api = codegen::api_from_source(&source).unwrap_or_else(|e| panic!("{e}"));
    let warnings = &api.warnings;
    let form = api
        .types
        .iter()
        .find_map(|t| match &t.kind {
            TypeKind::Multipart { fields } => Some(fields),
            _ => None,
        })
        .expect("a multipart type");
    let parts: Vec<(&str, bool)> = form.iter().map(|f| (f.name.as_str(), f.required)).collect();
    assert_eq!(parts, [("file", false), ("source", false), ("title", true), ("tags", false)]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        warnings[0].pointer,
        "#/paths/~1videos~1import/post/requestBody/content/multipart~1form-data/schema/allOf/0"
    );
    assert!(warnings[0].message.contains("every alternative's parts are optional"), "{}", warnings[0].message);
    // And it generates.
    codegen::generate(&api, &codegen::Settings::new("videos.yaml")).expect("the crate generates");
}

#[test]
fn a_multipart_body_that_is_no_object_is_still_refused_with_its_pointer() {
    let text = SPEC.replace("              allOf:\n", "              type: string\n              x-was-allOf:\n");
    let source = codegen::Source { path: "videos.yaml".into(), text };
    let err = codegen::api_from_source(&source).unwrap_err().to_string();
    assert!(err.contains("must be an object schema, or an allOf/oneOf/anyOf of them"), "{err}");
    assert!(err.contains("multipart~1form-data/schema"), "{err}");
}
