//! Queues a job for a workflow, waits until it reaches a final status, and prints its messages
//! and outputs.
//!
//! `cargo run -p alteryx-server --example run_job -- WORKFLOW-ID [POLL-SECONDS]`

mod common;

use std::time::Duration;

use alteryx_server::PollOptions;
use alteryx_server::operations::GetJobOptions;
use alteryx_server::types::{CreateJobContract, JobStatus};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let workflow_id = args.next().ok_or("usage: run_job WORKFLOW-ID [POLL-SECONDS]")?;
    let every = Duration::from_secs_f64(args.next().map_or(Ok(2.0), |s| s.parse())?);
    let client = common::client_from_env()?;

    let created = client.jobs().create_job(&workflow_id, &CreateJobContract::new()).await?;
    let job_id = created.id.ok_or("the server returned a job without an id")?;
    println!("queued job {job_id}");

    // GET /v3/jobs/{jobId} until the status is a final one (Completed, Cancelled, Error).
    let poll = PollOptions::default().interval(every).timeout(Some(Duration::from_secs(3600)));
    let job = client.jobs().wait_until_done(&job_id, GetJobOptions::default(), poll).await?;
    let status = job.status.as_ref().map_or("?", JobStatus::as_str);
    println!("job {job_id} finished: {status} ({})", job.disposition.as_deref().unwrap_or("no disposition"));
    for m in job.messages.iter().flatten() {
        println!("  message {}: {}", m.status.unwrap_or_default(), m.text.as_deref().unwrap_or(""));
    }
    for o in job.outputs.iter().flatten() {
        println!("  output {} ({})", o.file_name.as_deref().unwrap_or("?"), o.id.as_deref().unwrap_or("?"));
    }
    Ok(())
}
