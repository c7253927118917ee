//! The generated operations over real HTTP on 127.0.0.1, against the crate's own mock server:
//! what each kind of parameter and body looks like on the wire (the mock keeps every request as
//! it came), what the client makes of answers (lists, bare string ids, no body, bytes, errors,
//! bodies that do not fit, unknown enum values), page streams and poll helpers that own what they
//! need, and the crate's own name in its user agent and traces.

use std::sync::{Arc, Mutex};

use alteryx_server::mock::{Mock, Reply, Request};
use alteryx_server::operations::{
    DeleteWorkflowOptions, DownloadWorkflowPackageOptions, GetWorkflowJobsOptions, GetWorkflowsOptions,
};
use alteryx_server::types::{
    CreateScheduleContract, ErrorResponse, GetWorkflowJobsStatus, IterationType, JobDetail, JobStatus, JobSummary,
    ScheduleIteration, View,
};
use alteryx_server::{ApiErrorExt, Client, Error, Paged};
use serde_json::json;

/// Every request the mock received, as `METHOD path?query` with the query as it was sent.
fn lines(mock: &Mock) -> Vec<String> {
    mock.server().received().iter().map(line).collect()
}

fn line(request: &Request) -> String {
    let query: Vec<String> = request.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if query.is_empty() {
        format!("{} {}", request.method, request.path)
    } else {
        format!("{} {}?{}", request.method, request.path, query.join("&"))
    }
}

#[tokio::test]
async fn a_list_call_sends_its_options_as_query_and_decodes_the_list() {
    let mock = Mock::start().await;
    mock.workflows().get_workflows().reply(Reply::json(200, &json!([{"id": "w1", "name": "Flow", "extra": 1}])));
    let after = chrono::DateTime::parse_from_rfc3339("2026-01-15T10:30:00Z").unwrap().to_utc();
    let options = GetWorkflowsOptions::default().view(View::Full).name("a b&c".into()).created_after(after);
    let list = mock.client().workflows().get_workflows(options).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id.as_deref(), Some("w1"));
    let request = &mock.server().received()[0];
    assert_eq!(request.target, "/api/v3/workflows?view=Full&name=a+b%26c&createdAfter=2026-01-15T10%3A30%3A00Z");
    let received = mock.received().workflows().get_workflows();
    assert_eq!(received[0].created_after, Some(after), "the date-time reads back as it was sent");
    assert_eq!(request.header("authorization"), Some("Bearer mock-token-1"));
    assert_eq!(request.header("user-agent"), Some(concat!("alteryx-server/", env!("CARGO_PKG_VERSION"))));
}

#[tokio::test]
async fn path_parameters_stay_inside_their_segment() {
    let mock = Mock::start().await;
    mock.workflows().get_workflow().reply(Reply::json(200, &json!({})));
    let client = mock.client();
    for id in ["../../admin", "a/b?c=d#e", "100% é"] {
        client.workflows().get_workflow(id).await.unwrap();
    }
    let paths: Vec<String> = mock.server().received().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/api/v3/workflows/..%2F..%2Fadmin",
            "/api/v3/workflows/a%2Fb%3Fc%3Dd%23e",
            "/api/v3/workflows/100%25%20%C3%A9"
        ]
    );
    let ids: Vec<String> = mock.received().workflows().get_workflow().into_iter().map(|c| c.workflow_id).collect();
    assert_eq!(ids, ["../../admin", "a/b?c=d#e", "100% é"], "each arrives whole, as one segment");
    // Values that would address another resource are refused before anything is sent.
    for bad in ["", ".", ".."] {
        let err = client.workflows().get_workflow(bad).await.unwrap_err();
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "workflowId"), "{err:?}");
        let err = client.jobs().wait_until_done(bad, Default::default(), Default::default()).await.unwrap_err();
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "jobId"), "{err:?}");
    }
    assert_eq!(mock.server().received().len(), 3);
}

#[tokio::test]
async fn a_json_body_goes_out_as_json_and_a_bare_string_id_comes_back() {
    let mock = Mock::start().await;
    mock.schedules().create_schedule().reply(Reply::json(201, &json!("schedule-9")));
    let start = chrono::DateTime::parse_from_rfc3339("2026-01-15T10:30:00Z").unwrap().to_utc();
    let body = CreateScheduleContract::new("wf-1".into(), ScheduleIteration::new(IterationType::Once, start));
    let id = mock.client().schedules().create_schedule(&body).await.unwrap();
    assert_eq!(id, "schedule-9");
    let request = &mock.server().received()[0];
    assert_eq!(request.content_type(), Some("application/json"));
    let sent: serde_json::Value = request.json_body().unwrap();
    assert_eq!(
        sent,
        json!({"workflowId": "wf-1", "iteration": {"iterationType": "Once", "startTime": "2026-01-15T10:30:00Z"}})
    );
    assert_eq!(mock.received().schedules().create_schedule()[0].body, body);
}

#[tokio::test]
async fn bodiless_and_binary_responses() {
    let package: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    let mock = Mock::start().await;
    mock.workflows().delete_workflow().reply(Reply::bytes(200, "application/json", ""));
    mock.workflows().download_workflow_package().respond(package.clone());
    let client = mock.client();
    client.workflows().delete_workflow("w1", DeleteWorkflowOptions::default().force(true)).await.unwrap();
    let stream = client
        .workflows()
        .download_workflow_package("w1", DownloadWorkflowPackageOptions::default().version_id("v2".into()))
        .await
        .unwrap();
    assert_eq!(stream.content_length(), Some(100_000));
    assert_eq!(stream.collect().await.unwrap().as_ref(), package.as_slice());
    assert_eq!(
        lines(&mock),
        ["DELETE /api/v3/workflows/w1?force=true", "GET /api/v3/workflows/w1/package?versionId=v2"]
    );
}

#[tokio::test]
async fn an_error_status_keeps_status_and_body_and_parses_the_error_response() {
    let body = json!({"message": "no such workflow", "errors": [{"field": "workflowId", "message": "unknown"}]});
    let mock = Mock::start().await;
    mock.workflows().get_workflow().respond_status(404, &body);
    let err = mock.client().workflows().get_workflow("nope").await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!((api.status, api.operation_id), (404, "getWorkflow"));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&api.body).unwrap(), body);
    let parsed: ErrorResponse = api.parse().expect("an ErrorResponse");
    assert_eq!(parsed.errors.unwrap()[0].field.as_deref(), Some("workflowId"));
    assert_eq!(api.error_response().and_then(|e| e.message).as_deref(), Some("no such workflow"));
    assert!(err.to_string().contains("getWorkflow: the server answered 404"), "{err}");
}

#[tokio::test]
async fn a_body_that_does_not_match_names_the_json_path() {
    let mock = Mock::start().await;
    mock.schedules().get_schedule().reply(Reply::json(
        200,
        &json!({"id": "s1", "iteration": {"iterationType": "Hourly", "startTime": "2026-01-15T10:30:00Z", "hourlyContract": "https://www.example.com"}}),
    ));
    match mock.client().schedules().get_schedule("s1").await.unwrap_err() {
        Error::Decode { path, status, operation_id, .. } => {
            assert_eq!((path.as_str(), status, operation_id), ("iteration.hourlyContract", 200, "getSchedule"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unknown_enum_value_is_kept_and_sent_back_unchanged() {
    let mock = Mock::start().await;
    mock.jobs()
        .get_workflow_jobs()
        .reply(Reply::json(200, &json!([{"id": "j1", "status": "Suspended"}, {"id": "j2", "status": "Completed"}])));
    let jobs = mock.client().jobs().get_workflow_jobs("w1", GetWorkflowJobsOptions::default()).await.unwrap();
    assert_eq!(jobs[0].status, Some(JobStatus::Unknown("Suspended".into())));
    assert_eq!(jobs[1].status, Some(JobStatus::Completed));
    assert_eq!(serde_json::to_value(&jobs[0]).unwrap()["status"], "Suspended");
}

fn summaries(ids: impl Iterator<Item = usize>) -> Vec<JobSummary> {
    ids.map(|i| {
        let mut job = JobSummary::new();
        job.id = Some(format!("j{i}"));
        job
    })
    .collect()
}

#[tokio::test]
async fn pages_are_fetched_until_a_short_one() {
    let mock = Mock::start().await;
    mock.jobs().get_workflow_jobs().respond_with(|call| {
        let number = |v: &Option<String>| v.as_deref().unwrap().parse::<usize>().unwrap();
        let (offset, limit) = (number(&call.offset), number(&call.limit));
        Reply::json(200, &summaries(offset..(offset + limit).min(250)))
    });
    let client = mock.client();
    let options = GetWorkflowJobsOptions::default().status(GetWorkflowJobsStatus::Complete);
    let jobs = client.jobs().get_workflow_jobs_stream("w1", options).collect_all().await.unwrap();
    assert_eq!(jobs.len(), 250);
    assert_eq!(jobs[249].id.as_deref(), Some("j249"));
    let asked: Vec<(Option<String>, Option<String>, Option<GetWorkflowJobsStatus>)> =
        mock.received().jobs().get_workflow_jobs().into_iter().map(|c| (c.offset, c.limit, c.status)).collect();
    let page =
        |offset: &str| (Some(offset.to_string()), Some("100".to_string()), Some(GetWorkflowJobsStatus::Complete));
    assert_eq!(asked, [page("0"), page("100"), page("200")]);

    let small_pages = GetWorkflowJobsOptions::default().offset("240".into()).limit("4".into());
    let mut stream = client.jobs().get_workflow_jobs_stream("w1", small_pages);
    let mut ids = Vec::new();
    while let Some(job) = stream.next_item().await {
        ids.push(job.unwrap().id.unwrap());
    }
    assert_eq!(ids, (240..250).map(|i| format!("j{i}")).collect::<Vec<_>>());
}

/// A page stream returned from a function that only borrowed the client.
fn every_job_of(client: &Client, workflow_id: &str) -> Paged<JobSummary> {
    client.jobs().get_workflow_jobs_stream(workflow_id, GetWorkflowJobsOptions::default().limit("2".into()))
}

#[tokio::test]
async fn page_streams_and_poll_helpers_can_be_returned_and_spawned() {
    let mock = Mock::start().await;
    mock.jobs().get_workflow_jobs().respond_in_turn([summaries(1..3), summaries(3..4)]);
    let mut done = JobDetail::new();
    done.id = Some("j9".into());
    done.status = Some(JobStatus::Completed);
    mock.jobs().get().job_id("j9").respond(done);
    let client = mock.client();
    let stream = every_job_of(&client, "wf-1");
    let jobs = tokio::spawn(stream.collect_all()).await.unwrap().unwrap();
    assert_eq!(jobs.iter().filter_map(|j| j.id.as_deref()).collect::<Vec<_>>(), ["j1", "j2", "j3"]);
    let waiting = client.jobs().wait_until_done("j9", Default::default(), Default::default());
    drop(client);
    let done = tokio::spawn(waiting).await.unwrap().unwrap();
    assert_eq!(done.id.as_deref(), Some("j9"));
    assert_eq!(
        lines(&mock),
        [
            "GET /api/v3/workflows/wf-1/jobs?offset=0&limit=2",
            "GET /api/v3/workflows/wf-1/jobs?offset=2&limit=2",
            "GET /api/v3/jobs/j9",
        ]
    );
}

#[test]
fn plain_http_needs_an_explicit_opt_in_and_the_token_never_shows() {
    let err = Client::builder("http://example.com/webapi").build().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    let client = Client::builder("https://example.com/webapi/").bearer_token("secret-token").build().unwrap();
    assert_eq!(client.base_url(), "https://example.com/webapi");
    assert!(!format!("{client:?}").contains("secret-token"));
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn traces_are_named_after_the_crate_and_never_show_the_secret_or_tokens() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer({
            let captured = captured.clone();
            move || captured.clone()
        })
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // Other tests of this binary may have run calls with no subscriber, and callsites cache
    // that nobody listens: ask them again.
    tracing::callsite::rebuild_interest_cache();
    let mock = Mock::start().await;
    mock.workflows().get_workflows().respond(vec![]);
    let client = mock.client();
    client.workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap();
    mock.server().tokens().revoke();
    client.workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap();
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "alteryx_server.request",
        "operation_id=\"getWorkflows\"",
        "method=GET",
        "path=\"/v3/workflows\"",
        "status=200",
        "alteryx_server.token",
        "client_runtime::request: 401",
    ] {
        assert!(log.contains(expected), "the trace lacks `{expected}`:\n{log}");
    }
    for secret in ["mock-secret", "mock-token-1", "mock-token-2"] {
        assert!(!log.contains(secret), "the trace shows `{secret}`:\n{log}");
    }
}
