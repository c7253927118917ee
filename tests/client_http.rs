//! The generated client over real HTTP on 127.0.0.1: an in-process axum server records every
//! request and answers from a script, and each test checks what went over the wire and what the
//! client made of the answer.

mod support;

use std::sync::{Arc, Mutex};

use alteryx_server::operations::{DeleteWorkflowOptions, DownloadWorkflowPackageOptions, GetWorkflowsOptions};
use alteryx_server::types::{
    CreateScheduleContract, ErrorResponse, ExecutionMode, IterationType, ScheduleIteration, UploadWorkflowRequest,
    UploadWorkflowRequestRequired, View, WorkflowCredentialType,
};
use alteryx_server::{ApiErrorExt, Client, Error, FilePart};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::response::Response;

/// A request as the server received it.
#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    /// Path and query exactly as sent (no decoding).
    uri: String,
    headers: HeaderMap,
    body: bytes::Bytes,
}

/// A scripted answer: status, content type, body.
type Reply = (u16, &'static str, Vec<u8>);

#[derive(Clone, Default)]
struct Script {
    seen: Arc<Mutex<Vec<Seen>>>,
    replies: Arc<Mutex<Vec<Reply>>>,
}

async fn record(State(script): State<Script>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 64 << 20).await.unwrap_or_default();
    script.seen.lock().unwrap().push(Seen {
        method: parts.method,
        uri: parts.uri.to_string(),
        headers: parts.headers,
        body,
    });
    let (status, content_type, body) = script.replies.lock().unwrap().remove(0);
    Response::builder().status(status).header(header::CONTENT_TYPE, content_type).body(Body::from(body)).unwrap()
}

/// Starts a server that answers the given replies in order; returns a client for it and the script.
async fn server(replies: Vec<(u16, &'static str, &[u8])>) -> (Client, Script) {
    let script = Script::default();
    *script.replies.lock().unwrap() = replies.into_iter().map(|(s, c, b)| (s, c, b.to_vec())).collect();
    let app = axum::Router::new().fallback(record).with_state(script.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::builder(format!("http://{addr}/webapi"))
        .bearer_token("secret-token")
        .allow_insecure_http(true)
        .build()
        .unwrap();
    (client, script)
}

fn seen(script: &Script) -> Vec<Seen> {
    script.seen.lock().unwrap().clone()
}

const JSON: &str = "application/json";

#[tokio::test]
async fn a_list_call_sends_its_options_as_query_and_decodes_the_list() {
    let (client, script) = server(vec![(200, JSON, br#"[{"id": "w1", "name": "Flow", "extra": 1}]"#)]).await;
    let after = chrono::DateTime::parse_from_rfc3339("2026-01-15T10:30:00Z").unwrap().to_utc();
    let options = GetWorkflowsOptions::default().view(View::Full).name("a b&c".into()).created_after(after);
    let list = client.workflows().get_workflows(options).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id.as_deref(), Some("w1"));
    let req = &seen(&script)[0];
    assert_eq!(req.method, Method::GET);
    assert_eq!(req.uri, "/webapi/v3/workflows?view=Full&name=a+b%26c&createdAfter=2026-01-15T10%3A30%3A00Z");
    assert_eq!(req.headers[header::AUTHORIZATION], "Bearer secret-token");
    assert_eq!(req.headers[header::USER_AGENT], concat!("alteryx-server/", env!("CARGO_PKG_VERSION")));
}

#[tokio::test]
async fn path_parameters_stay_inside_their_segment() {
    let replies = vec![(200, JSON, &br#"{}"#[..]); 3];
    let (client, script) = server(replies).await;
    for id in ["../../admin", "a/b?c=d#e", "100% é"] {
        client.workflows().get_workflow(id).await.unwrap();
    }
    let uris: Vec<String> = seen(&script).into_iter().map(|s| s.uri).collect();
    assert_eq!(
        uris,
        [
            "/webapi/v3/workflows/..%2F..%2Fadmin",
            "/webapi/v3/workflows/a%2Fb%3Fc%3Dd%23e",
            "/webapi/v3/workflows/100%25%20%C3%A9",
        ]
    );
}

#[tokio::test]
async fn a_multipart_upload_sends_each_part_as_the_spec_names_it() {
    let (client, script) = server(vec![(200, JSON, br#""new-workflow-id""#)]).await;
    let file = FilePart::from_bytes("flow.yxzp", b"PK\x03\x04 package".to_vec());
    let mut form = UploadWorkflowRequest::new(UploadWorkflowRequestRequired {
        file,
        name: "My flow".into(),
        owner_id: "owner-1".into(),
        is_public: true,
        is_ready_for_migration: false,
        others_may_download: true,
        others_can_execute: false,
        execution_mode: ExecutionMode::SemiSafe,
        workflow_credential_type: WorkflowCredentialType::Default,
    });
    form.comments = Some("first upload".into());
    let id = client.workflows().upload_workflow(form).await.unwrap();
    assert_eq!(id, "new-workflow-id");

    let req = &seen(&script)[0];
    assert_eq!((req.method.as_str(), req.uri.as_str()), ("POST", "/webapi/v3/workflows"));
    let content_type = req.headers[header::CONTENT_TYPE].to_str().unwrap();
    let parts: Vec<(String, Option<String>, Option<String>, String)> =
        support::multipart_parts(content_type, req.body.clone())
            .await
            .into_iter()
            .map(|(name, file, ty, data)| (name, file, ty, String::from_utf8_lossy(&data).into_owned()))
            .collect();
    let text = |name: &str| parts.iter().find(|p| p.0 == name).map(|p| p.3.as_str());
    let file = &parts[0];
    assert_eq!(file.0, "file");
    assert_eq!(file.1.as_deref(), Some("flow.yxzp"));
    assert_eq!(file.2.as_deref(), Some("application/octet-stream"));
    assert_eq!(file.3, "PK\u{3}\u{4} package");
    assert_eq!(text("name"), Some("My flow"));
    assert_eq!(text("isPublic"), Some("true"));
    assert_eq!(text("isReadyForMigration"), Some("false"));
    assert_eq!(text("executionMode"), Some("SemiSafe"));
    assert_eq!(text("workflowCredentialType"), Some("Default"));
    assert_eq!(text("comments"), Some("first upload"));
    assert_eq!(text("workerTag"), None, "unset optional parts are not sent");
}

#[tokio::test]
async fn a_json_body_goes_out_as_json_and_a_bare_string_id_comes_back() {
    let (client, script) = server(vec![(201, JSON, br#""schedule-9""#)]).await;
    let start = chrono::DateTime::parse_from_rfc3339("2026-01-15T10:30:00Z").unwrap().to_utc();
    let body = CreateScheduleContract::new("wf-1".into(), ScheduleIteration::new(IterationType::Once, start));
    let id = client.schedules().create_schedule(&body).await.unwrap();
    assert_eq!(id, "schedule-9");
    let req = &seen(&script)[0];
    assert_eq!(req.headers[header::CONTENT_TYPE], JSON);
    let sent: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"workflowId": "wf-1", "iteration": {"iterationType": "Once", "startTime": "2026-01-15T10:30:00Z"}})
    );
}

#[tokio::test]
async fn bodiless_and_binary_responses() {
    let package: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    let leaked: &'static [u8] = Box::leak(package.clone().into_boxed_slice());
    let (client, script) = server(vec![(200, JSON, b""), (200, "application/octet-stream", leaked)]).await;
    client.workflows().delete_workflow("w1", DeleteWorkflowOptions::default().force(true)).await.unwrap();
    let stream = client
        .workflows()
        .download_workflow_package("w1", DownloadWorkflowPackageOptions::default().version_id("v2".into()))
        .await
        .unwrap();
    assert_eq!(stream.content_length(), Some(100_000));
    assert_eq!(stream.collect().await.unwrap().as_ref(), package.as_slice());
    let uris: Vec<String> = seen(&script).into_iter().map(|s| format!("{} {}", s.method, s.uri)).collect();
    assert_eq!(uris, ["DELETE /webapi/v3/workflows/w1?force=true", "GET /webapi/v3/workflows/w1/package?versionId=v2"]);
}

#[tokio::test]
async fn an_error_status_keeps_status_and_body_and_parses_the_error_response() {
    let body = br#"{"message": "no such workflow", "errors": [{"field": "workflowId", "message": "unknown"}]}"#;
    let (client, _) = server(vec![(404, JSON, body)]).await;
    let err = client.workflows().get_workflow("nope").await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!((api.status, api.operation_id), (404, "getWorkflow"));
    assert_eq!(api.body.as_ref(), body);
    let parsed: ErrorResponse = api.parse().expect("an ErrorResponse");
    assert_eq!(parsed.errors.unwrap()[0].field.as_deref(), Some("workflowId"));
    assert_eq!(api.error_response().and_then(|e| e.message).as_deref(), Some("no such workflow"));
    assert_eq!(err.status(), Some(404));
    assert!(err.to_string().contains("getWorkflow: the server answered 404"), "{err}");
}

#[tokio::test]
async fn a_body_that_does_not_match_names_the_json_path() {
    let (client, _) = server(vec![(200, JSON, br#"{"id": "s1", "iteration": {"iterationType": "Hourly", "startTime": "2026-01-15T10:30:00Z", "hourlyContract": "https://www.example.com"}}"#)]).await;
    let err = client.schedules().get_schedule("s1").await.unwrap_err();
    match err {
        Error::Decode { path, status, operation_id, .. } => {
            assert_eq!((path.as_str(), status, operation_id), ("iteration.hourlyContract", 200, "getSchedule"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn plain_http_needs_an_explicit_opt_in_and_the_token_never_shows() {
    let err = Client::builder("http://example.com/webapi").build().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    let client = Client::builder("https://example.com/webapi/").bearer_token("secret-token").build().unwrap();
    assert_eq!(client.base_url(), "https://example.com/webapi");
    assert!(!format!("{client:?}").contains("secret-token"));
}
