//! Contract tests: every operation of the spec (as generation sees it, overlays applied) called
//! through the generated client against Prism, an independent mock server that rejects requests
//! the spec does not allow. Once with the spec's examples, once with data Prism generates from
//! the schemas (fixed seed). Prism's log must show every operation received and no request
//! violation; requests the API refuses come back as typed errors; and where the vendor's own
//! examples contradict its schemas, the client names the JSON path that failed.
//!
//! `cargo xtask contract` runs this file alone; `cargo xtask ci` runs it with everything else.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use alteryx_server::operations::*;
use alteryx_server::types::*;
use alteryx_server::{Client, Error, FilePart, PollOptions, RetryPolicy};
use support::prism::{Prism, fits};
use workspace_tests::{SPEC, alteryx_api, root};

/// The spec with the project's overlays, written where Prism can read it, once: Prism watches
/// its spec file and restarts when it changes, so the parallel tests must not rewrite it.
fn overlaid_spec() -> PathBuf {
    static PATH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(write_overlaid_spec).clone()
}

fn write_overlaid_spec() -> PathBuf {
    let overlays: Vec<codegen::Source> = codegen::overlay::overlay_files(&root().join("spec/overlays"))
        .unwrap()
        .iter()
        .map(|p| codegen::Source::read(p).unwrap())
        .collect();
    let doc = codegen::overlaid_document(&codegen::Source::read(&root().join(SPEC)).unwrap(), &overlays).unwrap();
    let path = root().join("target/contract/alteryx-overlaid.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    path
}

/// A client for Prism: any bearer token passes; no retries, and a deadline so that a Prism that
/// stops answering fails the call instead of hanging the suite.
fn client(prism: &Prism) -> Client {
    Client::builder(&prism.base_url)
        .bearer_token("contract-token")
        .allow_insecure_http(true)
        .retry(RetryPolicy::never())
        .deadline(Some(Duration::from_secs(10)))
        .build()
        .unwrap()
}

fn start() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2027-01-15T10:30:00Z").unwrap().to_utc()
}

/// A small package file to upload as a real file part (written once).
fn package() -> PathBuf {
    static PATH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(write_package).clone()
}

fn write_package() -> PathBuf {
    let path = root().join("target/contract/flow.yxzp");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, b"PK\x03\x04 contract-test package").unwrap();
    path
}

/// The outcome of one call: what came back, briefly, or the error.
type Outcome = (&'static str, Result<String, Error>);

fn shown<T: std::fmt::Debug>(value: T) -> String {
    let text = format!("{value:?}");
    text.chars().take(80).collect()
}

/// Calls every operation once with valid arguments.
///
/// A call that fails to reach Prism (connection refused, no answer before the deadline) ends the
/// suite at once with Prism's log: a dead or hung Prism must not cost a deadline per operation.
async fn call_every_operation(c: &Client, file: &Path, prism: &mut Prism) -> Vec<Outcome> {
    let mut out: Vec<Outcome> = Vec::new();
    let mut record = |id: &'static str, result: Result<String, Error>| {
        if let Err(e @ (Error::Transport { .. } | Error::Timeout { .. })) = &result {
            prism.assert_alive();
            let log = prism.log();
            let tail: Vec<&str> = log.lines().rev().take(20).collect();
            panic!(
                "Prism stopped answering at `{id}`: {e}\nthe end of its log:\n{}",
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        out.push((id, result));
    };
    let id = "6512a7c3e4b0a1b2c3d4e5f6";
    let iteration = || {
        let mut it = ScheduleIteration::new(ScheduleIterationIterationType::Daily, start());
        it.end_time = Some(start() + chrono::Duration::days(30));
        let mut daily = ScheduleIterationDailyContract::new();
        daily.run_only_work_week = Some(true);
        it.daily_contract = Some(daily);
        it
    };

    // Workflows
    let w = c.workflows();
    record("getWorkflows", w.get_workflows(GetWorkflowsOptions::default().view(View::Full)).await.map(shown));
    let upload = UploadWorkflowRequest::new(UploadWorkflowRequestRequired {
        file: FilePart::from_path(file),
        name: "Contract flow".into(),
        owner_id: id.into(),
        is_public: false,
        is_ready_for_migration: true,
        others_may_download: true,
        others_can_execute: false,
        execution_mode: ExecutionMode::Standard,
        workflow_credential_type: WorkflowCredentialType::Default,
    });
    record("uploadWorkflow", w.upload_workflow(upload).await.map(shown));
    record("getWorkflow", w.get_workflow(id).await.map(shown));
    let update = UpdateWorkflowContract::new(UpdateWorkflowContractRequired {
        name: "Renamed".into(),
        version_id: id.into(),
        owner_id: id.into(),
        worker_tag: String::new(),
        district_tags: vec!["emea".into()],
        comments: "updated by the contract test".into(),
    });
    record("updateWorkflow", w.update_workflow(id, &update).await.map(shown));
    record("deleteWorkflow", w.delete_workflow(id, DeleteWorkflowOptions::default().force(false)).await.map(shown));
    let version = UploadWorkflowVersionRequest::new(UploadWorkflowVersionRequestRequired {
        file: FilePart::from_path(file),
        name: "Contract flow v2".into(),
        owner_id: id.into(),
        others_may_download: true,
        others_can_execute: true,
        execution_mode: ExecutionMode::Safe,
        make_published: true,
        workflow_credential_type: WorkflowCredentialType::Default,
    });
    record("uploadWorkflowVersion", w.upload_workflow_version(id, version).await.map(shown));
    let package = w.download_workflow_package(id, DownloadWorkflowPackageOptions::default()).await;
    let package = match package {
        Ok(stream) => stream.collect().await.map(|b| format!("{} bytes", b.len())),
        Err(e) => Err(e),
    };
    record("downloadWorkflowPackage", package);
    record(
        "getWorkflowQuestions",
        w.get_workflow_questions(id, GetWorkflowQuestionsOptions::default()).await.map(shown),
    );
    record(
        "transferWorkflow",
        w.transfer_workflow(id, &TransferWorkflowRequest::new(id.into(), true)).await.map(shown),
    );

    // Schedules
    let s = c.schedules();
    record("getSchedules", s.get_schedules(GetSchedulesOptions::default()).await.map(shown));
    let mut create = CreateScheduleContract::new(id.into(), iteration());
    create.name = Some("Nightly".into());
    record("createSchedule", s.create_schedule(&create).await.map(shown));
    record("getSchedule", s.get_schedule(id).await.map(shown));
    let update = UpdateScheduleContract::new(UpdateScheduleContractRequired {
        workflow_id: id.into(),
        owner_id: id.into(),
        iteration: iteration(),
        name: "Nightly".into(),
        comment: "moved".into(),
        worker_tag: String::new(),
        credential_id: String::new(),
    });
    record("updateSchedule", s.update_schedule(id, &update).await.map(shown));
    record("deleteSchedule", s.delete_schedule(id).await.map(shown));
    let mut patch = PatchScheduleContract::new();
    patch.name = Some("Renamed schedule".into());
    record("patchSchedule", s.patch_schedule(id, &patch).await.map(shown));

    // Users
    let u = c.users();
    record("getUsers", u.get_users(GetUsersOptions::default()).await.map(shown));
    let user = CreateUserContract::new("Ada".into(), "Lovelace".into(), "ada@example.com".into());
    record("createUser", u.create_user(&user).await.map(shown));
    record("getUser", u.get_user(id).await.map(shown));
    let update = UpdateUserContract::new(UpdateUserContractRequired {
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        email: "ada@example.com".into(),
        role: Role::Artisan,
        default_worker_tag: String::new(),
        can_schedule_jobs: true,
        can_prioritize_jobs: false,
        can_assign_jobs: false,
        is_api_enabled: true,
        default_credential_id: String::new(),
        is_active: true,
        is_validated: true,
        time_zone: "UTC".into(),
    });
    record("updateUser", u.update_user(id, &update).await.map(shown));
    record("deleteUser", u.delete_user(id).await.map(shown));
    record("deactivateUser", u.deactivate_user(id).await.map(shown));
    record("resetUserPassword", u.reset_user_password(id).await.map(shown));
    record("getUserAssets", u.get_user_assets(id, GetUserAssetsOptions::default()).await.map(shown));
    let transfer = TransferUserAssetsRequest::new(TransferUserAssetsRequestRequired {
        owner_id: id.into(),
        transfer_workflows: true,
        transfer_schedules: true,
        transfer_collections: false,
    });
    record("transferUserAssets", u.transfer_user_assets(id, &transfer).await.map(shown));

    // Credentials
    let cr = c.credentials();
    record("getCredentials", cr.get_credentials(GetCredentialsOptions::default()).await.map(shown));
    let credential = CreateCredentialRequest::new("svc-etl".into(), "s3cret!".into());
    record("createCredential", cr.create_credential(&credential).await.map(shown));
    record("getCredential", cr.get_credential(id).await.map(shown));
    let update = UpdateCredentialRequest::new("svc-etl".into(), "n3w-s3cret!".into());
    record("updateCredential", cr.update_credential(id, &update).await.map(shown));
    record("deleteCredential", cr.delete_credential(id, DeleteCredentialOptions::default()).await.map(shown));
    let share = ShareCredentialWithUserRequest::new(id.into());
    record("shareCredentialWithUser", cr.share_credential_with_user(id, &share).await.map(shown));
    record("removeCredentialUserAccess", cr.remove_credential_user_access(id, id).await.map(shown));
    let share = ShareCredentialWithUserGroupRequest::new(id.into());
    record("shareCredentialWithUserGroup", cr.share_credential_with_user_group(id, &share).await.map(shown));
    record("removeCredentialUserGroupAccess", cr.remove_credential_user_group_access(id, id).await.map(shown));

    // Collections
    let co = c.collections();
    record("getCollections", co.get_collections(GetCollectionsOptions::default()).await.map(shown));
    record("createCollection", co.create_collection(&CreateCollectionRequest::new("Finance".into())).await.map(shown));
    record("getCollection", co.get_collection(id).await.map(shown));
    let update = UpdateCollectionRequest::new("Finance EMEA".into(), id.into());
    record("updateCollection", co.update_collection(id, &update).await.map(shown));
    record("deleteCollection", co.delete_collection(id, DeleteCollectionOptions::default()).await.map(shown));
    let mut member = CollectionUserPermission::new(id.into());
    member.is_admin = Some(false);
    record("addUserToCollection", co.add_user_to_collection(id, &member).await.map(shown));
    let mut flags = CollectionPermissionFlags::new();
    flags.can_add_assets = Some(true);
    record("updateCollectionUserPermissions", co.update_collection_user_permissions(id, id, &flags).await.map(shown));
    record("removeUserFromCollection", co.remove_user_from_collection(id, id).await.map(shown));
    let group = AddUserGroupToCollectionRequest::new(id.into());
    record("addUserGroupToCollection", co.add_user_group_to_collection(id, &group).await.map(shown));
    let permissions = co.update_collection_user_group_permissions(id, id, &flags).await;
    record("updateCollectionUserGroupPermissions", permissions.map(shown));
    record("removeUserGroupFromCollection", co.remove_user_group_from_collection(id, id).await.map(shown));
    let workflow = AddWorkflowToCollectionRequest::new(id.into());
    record("addWorkflowToCollection", co.add_workflow_to_collection(id, &workflow).await.map(shown));
    record("removeWorkflowFromCollection", co.remove_workflow_from_collection(id, id).await.map(shown));
    let schedule = AddScheduleToCollectionRequest::new(id.into());
    record("addScheduleToCollection", co.add_schedule_to_collection(id, &schedule).await.map(shown));
    record("removeScheduleFromCollection", co.remove_schedule_from_collection(id, id).await.map(shown));

    // Jobs
    let j = c.jobs();
    let jobs = j.get_workflow_jobs(id, GetWorkflowJobsOptions::default().offset("0".into()).limit("10".into()));
    record("getWorkflowJobs", jobs.await.map(shown));
    let mut job = CreateJobContract::new();
    job.priority = Some(Priority::High);
    record("createJob", j.create_job(id, &job).await.map(shown));
    record("getJob", j.get(id).await.map(shown));
    out
}

/// Runs every operation against a Prism serving `spec`; returns Prism (for its log) and outcomes.
async fn run_suite(spec: &Path, dynamic: bool, name: &str) -> (Prism, Vec<Outcome>) {
    let mut prism = Prism::start(spec, dynamic, name);
    let client = client(&prism);
    let outcomes = call_every_operation(&client, &package(), &mut prism).await;
    prism.assert_alive();
    (prism, outcomes)
}

/// Every operation of the IR that Prism's log shows no request for.
fn uncovered(prism: &Prism) -> Vec<String> {
    let seen = prism.requests();
    alteryx_api()
        .operations()
        .filter(|op| !seen.iter().any(|(m, p)| *m == op.method && fits(&op.path, p)))
        .map(|op| format!("{} ({} {})", op.id, op.method, op.path))
        .collect()
}

fn assert_clean_run(prism: &Prism, outcomes: &[Outcome], mode: &str) {
    let failed: Vec<String> =
        outcomes.iter().filter_map(|(id, r)| r.as_ref().err().map(|e| format!("  {id}: {e}"))).collect();
    assert!(failed.is_empty(), "{mode}: calls that failed:\n{}", failed.join("\n"));
    let missing = uncovered(prism);
    assert!(missing.is_empty(), "{mode}: operations no contract call reached: {}", missing.join(", "));
    let violations = prism.violations();
    assert!(violations.is_empty(), "{mode}: Prism found request violations:\n{}", violations.join("\n"));
    let called: Vec<&str> = outcomes.iter().map(|(id, _)| *id).collect();
    for op in alteryx_api().operations() {
        assert!(called.contains(&op.id.as_str()), "{mode}: no contract call is named `{}`", op.id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_against_prism_with_generated_data() {
    let (prism, outcomes) = run_suite(&overlaid_spec(), true, "dynamic").await;
    assert_clean_run(&prism, &outcomes, "dynamic");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_against_prism_with_the_specs_examples() {
    let (prism, outcomes) = run_suite(&overlaid_spec(), false, "static").await;
    assert_clean_run(&prism, &outcomes, "static");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_vendors_wrong_typed_examples_are_decode_errors_that_name_the_path() {
    // The vendor spec alone, whose ScheduleIteration contracts have string examples.
    let (_prism, outcomes) = run_suite(&root().join(SPEC), false, "vendor-static").await;
    let decode_paths: Vec<(&str, String)> = outcomes
        .iter()
        .filter_map(|(id, r)| match r {
            Err(Error::Decode { path, .. }) => Some((*id, path.clone())),
            _ => None,
        })
        .collect();
    for id in ["getSchedule", "updateSchedule", "patchSchedule"] {
        let path = decode_paths.iter().find(|(i, _)| *i == id).map(|(_, p)| p.as_str());
        assert!(
            path.is_some_and(|p| p.starts_with("iteration.") && p.ends_with("Contract")),
            "{id}: expected a decode error at iteration.<contract>, got {path:?}\nall: {decode_paths:?}"
        );
    }
    assert!(decode_paths.iter().any(|(_, p)| p == "iteration.hourlyContract"), "{decode_paths:?}");
    // The vendor's spec has no GET /v3/jobs/{jobId} (the overlay adds it): Prism knows no such path.
    let get_job = outcomes.iter().find(|(id, _)| *id == "getJob").and_then(|(_, r)| r.as_ref().err());
    assert_eq!(get_job.and_then(Error::status), Some(404), "{get_job:?}");
    // Everything else still works against the vendor's spec.
    let others: Vec<String> = outcomes
        .iter()
        .filter(|(id, r)| r.is_err() && *id != "getJob" && !decode_paths.iter().any(|(i, _)| i == id))
        .map(|(id, r)| format!("{id}: {:?}", r.as_ref().err()))
        .collect();
    assert!(others.is_empty(), "{others:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_the_api_refuses_come_back_as_typed_errors() {
    let prism = Prism::start(&overlaid_spec(), true, "negative");
    let c = client(&prism);
    // A value outside a query parameter's enum.
    let options = GetWorkflowsOptions::default().view(View::Unknown("Everything".into()));
    let err = c.workflows().get_workflows(options).await.unwrap_err();
    let api = err.as_api().unwrap_or_else(|| panic!("an API error, got {err:?}"));
    assert_eq!((api.status, api.operation_id), (400, "getWorkflows"));
    assert!(api.error_response().is_some(), "the body is the spec's ErrorResponse: {}", api.text());
    // A value outside an enum in a JSON body.
    let mut user = CreateUserContract::new("Ada".into(), "Lovelace".into(), "ada@example.com".into());
    user.role = Some(Role::Unknown("Overlord".into()));
    let err = c.users().create_user(&user).await.unwrap_err();
    assert_eq!(err.status(), Some(400), "{err:?}");
    assert!(err.as_api().and_then(|a| a.error_response()).is_some(), "{err:?}");
    // A body missing a required field, sent raw (the typed client cannot build it).
    let raw = reqwest::Client::new()
        .post(format!("{}/v3/users", prism.base_url))
        .bearer_auth("contract-token")
        .header("content-type", "application/json")
        .body(r#"{"firstName": "Ada"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 400);
    let violations = raw.headers().get("sl-violations").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    assert!(violations.contains("lastName") && violations.contains("email"), "{violations}");
    let body = raw.bytes().await.unwrap();
    serde_json::from_slice::<ErrorResponse>(&body).expect("an ErrorResponse body");
    assert!(prism.violations().len() >= 3, "{:?}", prism.violations());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_is_polled_to_completion_against_prism() {
    let prism = Prism::start(&overlaid_spec(), false, "poll");
    let c = client(&prism);
    // The static example's status is not a pending one: the first answer is final.
    let poll = PollOptions::default().interval(Duration::from_millis(50)).timeout(Some(Duration::from_secs(5)));
    let job = c.jobs().wait_until_done("6512a7c3e4b0a1b2c3d4e5f6", poll).await.unwrap();
    assert!(job.status.is_some());
    assert_eq!(prism.requests().iter().filter(|(m, p)| m == "GET" && p.starts_with("/v3/jobs/")).count(), 1);
}

/// The panic message of a finished task that panicked.
fn panic_message(result: Result<(), tokio::task::JoinError>) -> String {
    let payload = result.expect_err("the run must fail").into_panic();
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prism_that_dies_ends_the_run_at_once_with_its_log() {
    let mut prism = Prism::start(&overlaid_spec(), false, "killed");
    let c = client(&prism);
    prism.kill();
    let started = std::time::Instant::now();
    let run = tokio::spawn(async move {
        call_every_operation(&c, &package(), &mut prism).await;
    });
    let message = panic_message(run.await);
    assert!(message.contains("Prism exited"), "{message}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prism_that_stops_answering_ends_the_run_at_the_first_deadline() {
    let mut prism = Prism::start(&overlaid_spec(), false, "frozen");
    let c = Client::builder(&prism.base_url)
        .bearer_token("contract-token")
        .allow_insecure_http(true)
        .retry(RetryPolicy::never())
        .deadline(Some(Duration::from_secs(1)))
        .build()
        .unwrap();
    let stopped = std::process::Command::new("kill").args(["-STOP", &prism.pid().to_string()]).status().unwrap();
    assert!(stopped.success());
    let started = std::time::Instant::now();
    let run = tokio::spawn(async move {
        call_every_operation(&c, &package(), &mut prism).await;
    });
    let message = panic_message(run.await);
    assert!(message.contains("Prism stopped answering at `getWorkflows`"), "{message}");
    assert!(started.elapsed() < Duration::from_secs(5), "one deadline, not one per operation: {:?}", started.elapsed());
}
