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
use alteryx_server::{ApiErrorExt, Client, Error, RetryPolicy};
use support::calls;
use support::prism::{Prism, fits};
use workspace_tests::{SPEC, alteryx_api, root};

/// The spec with the project's overlays, written where Prism can read it, once: Prism watches
/// its spec file and restarts when it changes, so the parallel tests must not rewrite it.
fn overlaid_spec() -> PathBuf {
    static PATH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(write_overlaid_spec).clone()
}

fn write_overlaid_spec() -> PathBuf {
    let doc = workspace_tests::alteryx_document();
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

/// The outcome of one call: the JSON form of what came back, or the error.
type Outcome = (&'static str, Result<serde_json::Value, Error>);

/// Calls every operation once with valid arguments.
///
/// A call that fails to reach Prism (connection refused, no answer before the deadline) ends the
/// suite at once with Prism's log: a dead or hung Prism must not cost a deadline per operation.
async fn call_every_operation(c: &Client, file: &Path, prism: &mut Prism) -> Vec<Outcome> {
    let mut out: Vec<Outcome> = Vec::new();
    let mut record = |id: &'static str, result: Result<serde_json::Value, Error>| {
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
    calls::call_every_operation(c, file, &mut record).await;
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
        .filter(|op| !seen.iter().any(|(m, p)| *m == op.method.as_str() && fits(&op.path.text, p)))
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
    // The vendor spec alone, whose ScheduleIteration contracts have string examples. (Its other
    // shapes differ from what servers serve, which the overlays correct: calls whose shapes they
    // change may fail against it, by design.)
    let (_prism, outcomes) = run_suite(&root().join(SPEC), false, "vendor-static").await;
    let decode_path = |id: &str| {
        outcomes.iter().find(|(i, _)| *i == id).and_then(|(_, r)| match r {
            Err(Error::Decode { path, .. }) => Some(path.clone()),
            _ => None,
        })
    };
    for id in ["getSchedule", "patchSchedule"] {
        assert_eq!(decode_path(id).as_deref(), Some("iteration.hourlyContract"), "{id}");
    }
    // The operations the overlays add are unknown to it: Prism answers 404 for each.
    let pristine: Vec<String> = workspace_tests::pristine_alteryx_api().operations().map(|op| op.id.clone()).collect();
    let added: Vec<&Outcome> = outcomes.iter().filter(|(id, _)| !pristine.iter().any(|p| p == id)).collect();
    assert_eq!(added.len(), 47);
    for (id, result) in added {
        assert_eq!(result.as_ref().err().and_then(Error::status), Some(404), "{id}: {result:?}");
    }
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
    // The static example's status is a final one: the first answer ends polling.
    let job = c.jobs().wait_until_done(calls::ID, GetJobOptions::default(), calls::quick_poll()).await.unwrap();
    assert_eq!(job.status, Some(JobStatus::Completed));
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
