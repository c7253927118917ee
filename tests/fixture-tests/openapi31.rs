//! Runs inside the generated `openapi31` fixture crate: 3.1 nullability and `const` on the wire.

use fixture_openapi31::types::{Kind, Thing};
use serde_json::json;

#[test]
fn a_required_nullable_field_is_written_as_null_and_read_back() {
    let thing = Thing::new("t1".into(), None);
    assert_eq!(serde_json::to_value(&thing).unwrap(), json!({"id": "t1", "label": null}));
    let back: Thing = serde_json::from_value(json!({"id": "t1", "label": null, "kind": "large"})).unwrap();
    assert_eq!(back.label, None);
    assert_eq!(back.kind, Some(Kind::Large));
}

#[test]
fn an_absent_required_nullable_field_reads_as_none() {
    let back: Thing = serde_json::from_value(json!({"id": "t1"})).unwrap();
    assert_eq!(back.label, None);
    assert!(serde_json::from_value::<Thing>(json!({"label": "x"})).is_err(), "`id` is required");
}
