//! The generated mock server (`--features mock`), as a user of the crate tests their program
//! with it: typed expectations with matchers per parameter, sequences, faults the client retries,
//! the token endpoint, the 501 a request nothing expects gets, `verify`, and the calls received,
//! decoded (JSON bodies, query parameters, multipart forms).

use std::time::Duration;

use alteryx_server::mock::{Mock, Reply, Times};
use alteryx_server::operations::{GetJobOptions, GetWorkflowsOptions};
use alteryx_server::types::{
    CreateJobContract, ExecutionMode, JobDetail, JobStatus, Priority, UploadWorkflowRequest,
    UploadWorkflowRequestRequired, View, WorkflowCredentialType, WorkflowSummary,
};
use alteryx_server::{Error, FilePart, PollOptions, RetryPolicy};

fn job(id: &str, status: JobStatus) -> JobDetail {
    let mut job = JobDetail::new();
    job.id = Some(id.into());
    job.status = Some(status);
    job
}

fn workflow(id: &str) -> WorkflowSummary {
    let mut workflow = WorkflowSummary::new();
    workflow.id = Some(id.into());
    workflow
}

#[tokio::test]
async fn an_expectation_answers_the_call_it_matches() {
    let mock = Mock::start().await;
    mock.jobs().get().job_id("j1").respond(job("j1", JobStatus::Completed));
    let client = mock.client();
    let answer = client.jobs().get("j1", GetJobOptions::default()).await.unwrap();
    assert_eq!(answer.status, Some(JobStatus::Completed));
    mock.verify().unwrap();
}

#[tokio::test]
async fn a_sequence_of_answers_drives_a_poll_helper() {
    let mock = Mock::start().await;
    mock.jobs().get().job_id("j1").respond_in_turn([
        job("j1", JobStatus::Queued),
        job("j1", JobStatus::Running),
        job("j1", JobStatus::Completed),
    ]);
    let heard = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let hearing = heard.clone();
    let poll = PollOptions::default()
        .interval(Duration::from_millis(5))
        .on_answer(move |job: &JobDetail| hearing.lock().unwrap().push(job.status.clone()));
    let done = mock.client().jobs().wait_until_done("j1", GetJobOptions::default(), poll).await.unwrap();
    assert_eq!(done.status, Some(JobStatus::Completed));
    let statuses = heard.lock().unwrap().clone();
    assert_eq!(statuses, [Some(JobStatus::Queued), Some(JobStatus::Running), Some(JobStatus::Completed)]);
    assert_eq!(mock.received().jobs().get().len(), 3, "queued, running, completed");
}

#[tokio::test]
async fn faults_are_retried_and_their_answers_come_through() {
    let mock = Mock::start().await;
    mock.workflows()
        .get_workflows()
        .reply(Reply::status(503).retry_after(0))
        .reply(Reply::reset())
        .respond(vec![workflow("w1")]);
    let client = mock.client();
    let list = client.workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(mock.received().workflows().get_workflows().len(), 3);

    // A POST is not retried: the first answer is the call's.
    mock.jobs().create_job().reply(Reply::status(503)).respond(job("j2", JobStatus::Queued));
    let err = client.jobs().create_job("w1", &CreateJobContract::new()).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    let created = client
        .with_retry(RetryPolicy::default().retry_non_idempotent(true))
        .jobs()
        .create_job("w1", &CreateJobContract::new())
        .await
        .unwrap();
    assert_eq!(created.id.as_deref(), Some("j2"));
}

#[tokio::test]
async fn a_call_nothing_expects_gets_a_501_that_says_why() {
    let mock = Mock::start().await;
    mock.jobs().get().job_id("j1").respond(job("j1", JobStatus::Completed));
    let err = mock.client().jobs().get("j2", GetJobOptions::default()).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.status, 501);
    let body: serde_json::Value = api.parse().unwrap();
    assert_eq!(body["operation"], "getJob");
    assert_eq!(body["why"], "#1 getJob (jobId \"j1\"): wanted jobId \"j1\", got \"j2\"");
    let unmet = mock.verify().unwrap_err().to_string();
    assert!(unmet.contains("GET /api/v3/jobs/j2 was answered by no expectation (getJob)"), "{unmet}");
}

#[tokio::test]
async fn verify_names_the_expectations_not_met() {
    let mock = Mock::start().await;
    mock.workflows().get_workflows().respond(vec![]).times(Times::Exactly(2));
    mock.jobs().create_job().respond(job("j", JobStatus::Queued)).times(Times::AtLeast(1));
    mock.client().workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap();
    let unmet = mock.verify().unwrap_err();
    assert_eq!(
        unmet.0,
        [
            "#1 getWorkflows was to be met exactly 2 times, and was met 1 times",
            "#2 createJob was to be met at least 1 times, and was met 0 times",
        ]
    );
}

#[tokio::test]
async fn query_parameters_and_bodies_are_received_in_the_clients_types() {
    let mock = Mock::start().await;
    mock.workflows().get_workflows().view(View::Full).respond(vec![workflow("w1")]);
    mock.jobs()
        .create_job()
        .workflow_id("w1")
        .body_matching(|body| body.priority == Some(Priority::High))
        .respond(job("j1", JobStatus::Queued));
    let client = mock.client();
    let options = GetWorkflowsOptions::default().view(View::Full).name("Sales".into());
    client.workflows().get_workflows(options).await.unwrap();
    let mut contract = CreateJobContract::new();
    contract.priority = Some(Priority::High);
    contract.worker_tag = Some("gpu".into());
    client.jobs().create_job("w1", &contract).await.unwrap();

    let lists = mock.received().workflows().get_workflows();
    assert_eq!((lists[0].view.clone(), lists[0].name.as_deref()), (Some(View::Full), Some("Sales")));
    let created = mock.received().jobs().create_job();
    assert_eq!(created[0].workflow_id, "w1");
    assert_eq!(created[0].body, contract, "the body arrives as it was sent");
    mock.verify().unwrap();
}

#[tokio::test]
async fn a_multipart_upload_is_received_as_its_parts() {
    let mock = Mock::start().await;
    mock.workflows().upload_workflow().respond("wf-9".to_string());
    let form = UploadWorkflowRequest::new(UploadWorkflowRequestRequired {
        file: FilePart::from_bytes("flow.yxzp", b"PK\x03\x04 a package".to_vec()),
        name: "Flow".into(),
        owner_id: "owner-1".into(),
        is_public: false,
        is_ready_for_migration: true,
        others_may_download: true,
        others_can_execute: false,
        execution_mode: ExecutionMode::Standard,
        workflow_credential_type: WorkflowCredentialType::Default,
    });
    let id = mock.client().workflows().upload_workflow(form).await.unwrap();
    assert_eq!(id, "wf-9");
    let upload = &mock.received().workflows().upload_workflow()[0];
    let file = upload.body.file("file").unwrap();
    assert_eq!((file.file_name.as_deref(), &file.data[..]), (Some("flow.yxzp"), &b"PK\x03\x04 a package"[..]));
    assert_eq!(upload.body.text("name").as_deref(), Some("Flow"));
    assert_eq!(upload.body.text("executionMode").as_deref(), Some("Standard"));
    assert_eq!(upload.body.text("isReadyForMigration").as_deref(), Some("true"));
}

#[tokio::test]
async fn the_token_endpoint_can_refuse_and_revoke() {
    let mock = Mock::start().await;
    mock.workflows().get_workflows().respond(vec![]);
    let client = mock.client();
    client.workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap();
    mock.server().tokens().revoke();
    client.workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap();
    assert_eq!(mock.server().tokens().issued(), 2, "a 401, a new token, the call again");
    mock.server().tokens().refuse_with(Some(Reply::json(401, &serde_json::json!({"error": "invalid_client"}))));
    let fresh = mock.client();
    let err = fresh.workflows().get_workflows(GetWorkflowsOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
}

#[tokio::test]
async fn a_handler_answers_from_the_decoded_call() {
    let mock = Mock::start().await;
    mock.jobs().get().respond_with(|call| Reply::json(200, &job(&call.job_id, JobStatus::Running)));
    let client = mock.client();
    for id in ["a", "b"] {
        let answer = client.jobs().get(id, GetJobOptions::default()).await.unwrap();
        assert_eq!(answer.id.as_deref(), Some(id));
    }
}

#[tokio::test]
async fn a_download_streams_from_the_mock() {
    let mock = Mock::start().await;
    mock.workflows().download_workflow_package().respond_stream(3 << 20);
    let stream = mock.client().workflows().download_workflow_package("w1", Default::default()).await.unwrap();
    let bytes = stream.collect().await.unwrap();
    assert_eq!(bytes.len(), 3 << 20);
    assert!(bytes.iter().enumerate().step_by(997).all(|(i, b)| *b == alteryx_server::mock::pattern(i as u64)));
}
