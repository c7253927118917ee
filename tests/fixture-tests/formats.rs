//! Runs inside the generated `formats` fixture crate: formats and extra properties on the wire.

use fixture_formats::types::{Extensible, Sample};
use serde_json::json;

#[test]
fn formats_round_trip() {
    let value = json!({
        "small": -3, "big": 9_000_000_000i64, "count": 7, "ratio": 0.5, "precise": 0.25,
        "day": "2026-11-23", "at": "2026-11-23T10:00:00Z", "id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
        "labels": {"a": "b"}, "matrix": [[1.0, 2.0], []], "anything": {"free": ["form"]}, "blob": "aGk="
    });
    let sample: Sample = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(sample.small, -3);
    assert_eq!(sample.count, Some(7));
    assert_eq!(sample.day.unwrap().to_string(), "2026-11-23");
    assert_eq!(sample.blob.as_ref().map(|b| b.0.clone()), Some(b"hi".to_vec()), "format: byte is decoded base64");
    assert_eq!(serde_json::to_value(&sample).unwrap(), value);
}

#[test]
fn base64_that_is_not_base64_is_refused() {
    assert!(serde_json::from_value::<Sample>(json!({"small": 1, "blob": "not base64!"})).is_err());
}

#[test]
fn unsigned_fields_refuse_negatives() {
    assert!(serde_json::from_value::<Sample>(json!({"small": 1, "count": -1})).is_err());
}

#[test]
fn extra_properties_are_kept_in_order_and_written_back() {
    let value = json!({"known": "k", "zeta": 1, "alpha": [true]});
    let e: Extensible = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(e.known.as_deref(), Some("k"));
    assert_eq!(e.additional_properties.len(), 2);
    assert_eq!(e.additional_properties["alpha"], json!([true]));
    assert_eq!(serde_json::to_value(&e).unwrap(), value);
}
