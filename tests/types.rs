//! The generated types' JSON behaviour: what the serde impls emitted by `emit/types.rs` do with
//! real payloads (absent, null and unknown fields, unknown enum values, missing required fields,
//! extra properties) and the JSON path a decoding error names.

use alteryx_server::types::{CreateScheduleContract, IterationType, JobDetail, Priority, ScheduleIteration};
use serde_json::json;

fn start() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-01-15T10:30:00Z").unwrap().with_timezone(&chrono::Utc)
}

#[test]
fn a_request_body_serializes_required_fields_and_leaves_out_unset_ones() {
    let iteration = ScheduleIteration::new(IterationType::Once, start());
    let mut body = CreateScheduleContract::new("wf-1".into(), iteration);
    body.priority = Some(Priority::High);
    let value = serde_json::to_value(&body).unwrap();
    assert_eq!(
        value,
        json!({
            "workflowId": "wf-1",
            "iteration": {"iterationType": "Once", "startTime": "2026-01-15T10:30:00Z"},
            "priority": "High"
        })
    );
    let back: CreateScheduleContract = serde_json::from_value(value).unwrap();
    assert_eq!(back, body);
}

#[test]
fn unknown_fields_are_ignored_and_absent_or_null_optionals_are_none() {
    let job: JobDetail = serde_json::from_value(json!({
        "id": "job-1",
        "status": null,
        "somethingNew": {"nested": [1, 2, 3]},
        "messages": [{"status": 1, "text": "done", "futureField": true}]
    }))
    .unwrap();
    assert_eq!(job.id.as_deref(), Some("job-1"));
    assert_eq!(job.status, None);
    assert_eq!(job.outputs, None);
    let messages = job.messages.expect("messages");
    assert_eq!(messages[0].text.as_deref(), Some("done"));
}

#[test]
fn an_unknown_enum_value_is_kept_and_written_back_unchanged() {
    let p: Priority = serde_json::from_value(json!("Urgent")).unwrap();
    assert_eq!(p, Priority::Unknown("Urgent".into()));
    assert_eq!(serde_json::to_value(&p).unwrap(), json!("Urgent"));
    assert_eq!(serde_json::from_value::<Priority>(json!("Low")).unwrap(), Priority::Low);
    assert_eq!(Priority::from("Critical"), Priority::Critical);
    assert_eq!(Priority::Medium.to_string(), "Medium");
    assert!(serde_json::from_value::<Priority>(json!(3)).is_err(), "a number is not a priority");
}

#[test]
fn a_missing_required_field_is_named() {
    let err = serde_json::from_value::<ScheduleIteration>(json!({"iterationType": "Once"})).unwrap_err();
    assert!(err.to_string().contains("missing field `startTime`"), "{err}");
}

#[test]
fn a_decoding_error_names_the_json_path() {
    // The spec's own example puts a string where `hourlyContract` wants an object.
    let body = r#"{"workflowId": "w", "iteration": {"iterationType": "Hourly",
        "startTime": "2026-01-15T10:30:00Z", "hourlyContract": "https://www.example.com"}}"#;
    let mut de = serde_json::Deserializer::from_str(body);
    let err = serde_path_to_error::deserialize::<_, CreateScheduleContract>(&mut de).unwrap_err();
    assert_eq!(err.path().to_string(), "iteration.hourlyContract");
    let mut de = serde_json::Deserializer::from_str(r#"{"messages": [{"status": "one"}]}"#);
    let err = serde_path_to_error::deserialize::<_, JobDetail>(&mut de).unwrap_err();
    assert_eq!(err.path().to_string(), "messages[0].status");
}

#[test]
fn a_non_object_is_refused() {
    let err = serde_json::from_value::<JobDetail>(json!([1, 2])).unwrap_err();
    assert!(err.to_string().contains("a JobDetail object"), "{err}");
}
