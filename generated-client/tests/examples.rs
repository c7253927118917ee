//! The crate's examples (`examples/`) built and run as programs against its mock server, which
//! plays Alteryx Server for them: token endpoint, workflows, jobs, packages.

use std::path::{Path, PathBuf};
use std::process::Command;

use alteryx_server::mock::Mock;
use alteryx_server::types::{JobDetail, JobMessage, JobOutput, JobStatus, WorkflowSummary};

const PACKAGE: &[u8] = b"PK\x03\x04 a workflow package";

/// The workspace's root, where the examples are built.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Builds the examples once; returns their directory.
fn examples() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = root().join("target");
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--offline", "-p", "alteryx-server", "--examples"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(root())
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the examples build");
    target.join("debug/examples")
}

/// A scratch path under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/test-scratch");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("examples-{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

/// Runs an example with the environment pointing at the mock; returns its standard output.
async fn run(dir: &Path, example: &str, args: &[&str], mock: &Mock) -> String {
    let (key, secret) = mock.server().client_credentials();
    let mut command = Command::new(dir.join(example));
    command
        .args(args)
        .env("ALTERYX_SERVER", mock.base_url())
        .env("ALTERYX_API_KEY", key)
        .env("ALTERYX_API_SECRET", secret)
        .env("ALTERYX_ALLOW_HTTP", "1");
    let output = tokio::task::spawn_blocking(move || command.output().unwrap()).await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{example} failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

fn job(status: JobStatus) -> JobDetail {
    let mut job = JobDetail::new();
    job.id = Some("j1".into());
    job.status = Some(status);
    let mut message = JobMessage::new();
    (message.status, message.text) = (Some(1), Some("Finished in 2 s".into()));
    let mut output = JobOutput::new();
    (output.id, output.file_name) = (Some("o1".into()), Some("sales.csv".into()));
    (job.messages, job.outputs) = (Some(vec![message]), Some(vec![output]));
    job
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_examples_run_against_the_mock() {
    let dir = examples();
    let mock = Mock::start().await;
    let mut sales = WorkflowSummary::new();
    (sales.id, sales.name, sales.owner_id, sales.published_version_number) =
        (Some("w1".into()), Some("Sales".into()), Some("o1".into()), Some(3));
    mock.workflows().get_workflows().respond(vec![sales]);
    mock.workflows().upload_workflow().respond("w2".to_string());
    mock.jobs().create_job().workflow_id("w1").respond(job(JobStatus::Queued));
    mock.jobs().get().job_id("j1").respond_in_turn([
        job(JobStatus::Running),
        job(JobStatus::Running),
        job(JobStatus::Completed),
    ]);
    mock.workflows().download_workflow_package().workflow_id("w1").respond(PACKAGE.to_vec());

    let listed = run(&dir, "list_workflows", &[], &mock).await;
    assert!(listed.contains("w1") && listed.contains("Sales") && listed.contains("1 workflows"), "{listed}");

    let package = scratch("example.yxzp");
    std::fs::write(&package, PACKAGE).unwrap();
    let uploaded = run(&dir, "upload_package", &[package.to_str().unwrap(), "Sales v2", "o1"], &mock).await;
    assert!(uploaded.contains("as workflow w2"), "{uploaded}");
    let upload = &mock.received().workflows().upload_workflow()[0];
    assert_eq!(&upload.body.file("file").unwrap().data[..], PACKAGE);
    assert_eq!(upload.body.text("name").as_deref(), Some("Sales v2"));

    let ran = run(&dir, "run_job", &["w1", "0.05"], &mock).await;
    assert!(ran.contains("queued job j1") && ran.contains("job j1 finished: Completed"), "{ran}");
    assert!(ran.contains("message 1: Finished in 2 s") && ran.contains("output sales.csv (o1)"), "{ran}");

    let target = scratch("downloaded.yxzp");
    let downloaded = run(&dir, "download_package", &["w1", target.to_str().unwrap()], &mock).await;
    assert!(downloaded.contains(&format!("wrote {} bytes", PACKAGE.len())), "{downloaded}");
    assert_eq!(std::fs::read(&target).unwrap(), PACKAGE);
    mock.verify().unwrap();
}
