//! Queues a job for a workflow and polls the workflow's jobs until this one reaches a final
//! status (anything but `Queued` and `Running`).
//!
//! `cargo run -p alteryx-server --example run_job -- WORKFLOW-ID [POLL-SECONDS]`

mod common;

use std::time::Duration;

use alteryx_server::operations::GetWorkflowJobsOptions;
use alteryx_server::types::CreateJobContract;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let workflow_id = args.next().ok_or("usage: run_job WORKFLOW-ID [POLL-SECONDS]")?;
    let every = Duration::from_secs_f64(args.next().map_or(Ok(2.0), |s| s.parse())?);
    let client = common::client_from_env()?;

    let created = client.jobs().create_job(&workflow_id, &CreateJobContract::new()).await?;
    let job_id = created.id.clone().ok_or("the server returned a job without an id")?;
    println!("queued job {job_id}");

    // Poll the workflow's jobs until this one is no longer queued or running.
    let finished = loop {
        tokio::time::sleep(every).await;
        let jobs = client.jobs().get_workflow_jobs_stream(&workflow_id, GetWorkflowJobsOptions::default());
        let job = jobs
            .collect_all()
            .await?
            .into_iter()
            .find(|j| j.id.as_deref() == Some(job_id.as_str()))
            .ok_or("the job disappeared from the workflow's jobs")?;
        let status = job.status.clone().unwrap_or_default();
        println!("job {job_id}: {status}");
        if !matches!(status.as_str(), "Queued" | "Running" | "") {
            break status;
        }
    };
    println!("job {job_id} finished: {finished}");
    Ok(())
}
