//! `ayx jobs`: run a workflow or app (answers checked first, file answers uploaded with a progress
//! bar, a spinner with the job's status while waiting, its messages printed, its outputs
//! downloaded), and read jobs, their messages and outputs.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use alteryx_server::operations::{GetJobOptions, GetWorkflowJobsOptions};
use alteryx_server::tasks::{self, Answers, DownloadedOutput, JobOutcome, JobRun, RunEvent, Verdict};
use alteryx_server::types::{JobDetail, JobMessage, JobStatus, Priority};
use alteryx_server::{Client, Error, PollOptions, TimeoutKind};
use indicatif::ProgressBar;
use serde::Serialize;
use serde_json::json;

use crate::args::{EnumArg, duration};
use crate::context::Context;
use crate::exit::{self, CliError};
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Run a workflow or an analytic app. With --wait: wait for it to finish, print its messages, and exit 0 only if it succeeded (4 if it failed, also when it completed with error messages).
    #[command(after_help = concat!(
        "Examples:\n",
        "  ayx jobs run 6512a7c3e4b0a1b2c3d4e5f6 --wait\n",
        "  ayx jobs run 6512a7c3e4b0a1b2c3d4e5f6 --answer Region=EMEA --answer \"Top N=10\" \\\n",
        "      --answer-file Customers=customers.csv --wait --timeout 2h --out results/ --format Csv\n",
        "  ayx jobs run 6512a7c3e4b0a1b2c3d4e5f6 --priority high --json   # prints the job id at once\n",
        crate::changes!(),
    ))]
    Run(RunArgs),
    /// Show one job.
    #[command(after_help = "Example:\n  ayx jobs get 66ebd18d3d6200007e000d8c")]
    Get {
        /// The job id.
        id: String,
    },
    /// List a workflow's jobs, newest first.
    #[command(
        after_help = "Examples:\n  ayx jobs list 6512a7c3e4b0a1b2c3d4e5f6\n  ayx jobs list 6512a7c3e4b0a1b2c3d4e5f6 --limit 500 --json"
    )]
    List {
        /// The workflow id.
        workflow: String,
        /// At most this many jobs.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Print a job's messages (error ones marked).
    #[command(after_help = "Example:\n  ayx jobs messages 66ebd18d3d6200007e000d8c")]
    Messages {
        /// The job id.
        id: String,
    },
    /// List a job's outputs, or download them with --out.
    #[command(
        after_help = "Examples:\n  ayx jobs outputs 66ebd18d3d6200007e000d8c\n  ayx jobs outputs 66ebd18d3d6200007e000d8c --out results/ --format Csv"
    )]
    Outputs {
        /// The job id.
        id: String,
        /// Download every output into this directory.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The format to download them in (default: the first each output offers).
        #[arg(long, requires = "out")]
        format: Option<String>,
    },
}
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The workflow (app) id.
    pub workflow: String,
    /// An answer to one of the app's questions, NAME=VALUE (repeat for each).
    #[arg(long = "answer", value_name = "NAME=VALUE", value_parser = name_value)]
    pub answers: Vec<(String, String)>,
    /// A file answer, NAME=PATH: the file is uploaded and its reference becomes the answer.
    #[arg(long = "answer-file", value_name = "NAME=PATH", value_parser = name_value)]
    pub answer_files: Vec<(String, String)>,
    /// The job's priority (needs the right to set priorities).
    #[arg(long, value_parser = EnumArg::<Priority>::new())]
    pub priority: Option<Priority>,
    /// The credential id to run with.
    #[arg(long)]
    pub credential: Option<String>,
    /// The worker tag to run on.
    #[arg(long)]
    pub worker_tag: Option<String>,
    /// Wait for the job to finish and report how it went.
    #[arg(long)]
    pub wait: bool,
    /// How long to wait at most (with --wait), e.g. 90s, 30m, 2h.
    #[arg(long, value_parser = duration, default_value = "30m", requires = "wait")]
    pub timeout: Duration,
    /// How often to ask while waiting.
    #[arg(long, value_parser = duration, default_value = "2s", hide = true)]
    pub interval: Duration,
    /// Download the outputs into this directory once the job is done (needs --wait).
    #[arg(long, requires = "wait")]
    pub out: Option<PathBuf>,
    /// The format to download the outputs in (default: the first each output offers).
    #[arg(long, requires = "out")]
    pub format: Option<String>,
    /// Do not read the app's questions to check the answers first.
    #[arg(long)]
    pub no_check: bool,
}
/// `NAME=VALUE`, split at the first `=`.
fn name_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => Ok((name.trim().to_string(), value.to_string())),
        _ => Err(format!("`{text}` is not NAME=VALUE")),
    }
}

pub async fn run(context: &Context, command: JobsCommand) -> Result<(), CliError> {
    let client = context.client()?;
    let out = context.out;
    match command {
        JobsCommand::Run(args) => run_job(context, &client, args).await,
        JobsCommand::Get { id } => {
            let job = client.jobs().get(&id, GetJobOptions::default().include_messages(false)).await?;
            out.object(
                &job,
                &[
                    ("id", "id"),
                    ("workflow", "appId"),
                    ("created", "createDateTime"),
                    ("status", "status"),
                    ("disposition", "disposition"),
                    ("priority", "priority"),
                    ("worker tag", "workerTag"),
                ],
            );
            Ok(())
        }
        JobsCommand::List { workflow, limit } => {
            let mut stream = client.jobs().get_workflow_jobs_stream(&workflow, GetWorkflowJobsOptions::default());
            let mut jobs = Vec::new();
            while jobs.len() < limit {
                match stream.next_item().await {
                    Some(job) => jobs.push(job?),
                    None => break,
                }
            }
            out.list(
                &jobs,
                &[
                    ("ID", "id"),
                    ("CREATED", "createDate"),
                    ("STATUS", "status"),
                    ("PRIORITY", "priority"),
                    ("WORKER TAG", "workerTag"),
                ],
            );
            Ok(())
        }
        JobsCommand::Messages { id } => {
            let job = client.jobs().get(&id, GetJobOptions::default().include_messages(true)).await?;
            let outcome = tasks::outcome_of(&client, job).await?;
            print_messages(context, &outcome.messages);
            Ok(())
        }
        JobsCommand::Outputs { id, out: dir, format } => {
            let job = client.jobs().get(&id, GetJobOptions::default().include_messages(false)).await?;
            match dir {
                None => {
                    let outputs = job.outputs.unwrap_or_default();
                    out.list(&outputs, &[("ID", "id"), ("FILE", "fileName"), ("FORMATS", "availableFormats")]);
                }
                Some(dir) => {
                    let written = download(context, &client, &job, &dir, format.as_deref()).await?;
                    print_downloads(context, &written);
                    if out.json {
                        out.json(&written.iter().map(downloaded_json).collect::<Vec<_>>());
                    }
                }
            }
            Ok(())
        }
    }
}

/// `ayx jobs run`.
async fn run_job(context: &Context, client: &Client, args: RunArgs) -> Result<(), CliError> {
    let mut answers = Answers::new();
    for (name, value) in &args.answers {
        answers = answers.text(name, value);
    }
    for (name, path) in &args.answer_files {
        if !Path::new(path).is_file() {
            return Err(CliError::Usage(format!("--answer-file {name}={path}: no such file")));
        }
        answers = answers.file(name, path);
    }
    let mut run = JobRun::new(&args.workflow)
        .answers(answers)
        .poll(PollOptions::default().interval(args.interval).timeout(Some(args.timeout)));
    run.check_answers = !args.no_check;
    run.priority = args.priority;
    run.credential_id = args.credential.clone();
    run.worker_tag = args.worker_tag.clone();

    let bars = Bars::new(context);
    let events: tasks::Events = {
        let bars = bars.clone();
        Arc::new(move |event| bars.on(event))
    };
    let job_id = tasks::start_job(client, run, &events).await?;
    if !args.wait {
        context.out.say(format!("queued job {job_id}"));
        if context.out.json {
            context.out.json(&json!({ "job_id": job_id, "workflow_id": args.workflow }));
        }
        return Ok(());
    }
    let poll = PollOptions::default().interval(args.interval).timeout(Some(args.timeout));
    let job = match tasks::wait_for_job(client, &job_id, poll, &events).await {
        Ok(job) => job,
        Err(Error::Timeout { kind: TimeoutKind::Polling, after, .. }) => {
            bars.finish();
            return Err(CliError::Exit {
                message: format!(
                    "job {job_id} had not finished after {}; follow it with `ayx jobs get {job_id}`",
                    humantime::format_duration(std::time::Duration::from_secs(after.as_secs()))
                ),
                code: exit::TIMEOUT,
            });
        }
        Err(e) => return Err(e.into()),
    };
    bars.finish();
    let outcome = tasks::outcome_of(client, job).await?;
    let verdict = outcome.verdict();
    let written = match &args.out {
        Some(dir) => download(context, client, &outcome.job, dir, args.format.as_deref()).await?,
        None => Vec::new(),
    };
    report(context, &args.workflow, &outcome, &verdict, &written);
    match verdict {
        Verdict::Succeeded => Ok(()),
        Verdict::Failed(reason) => {
            Err(CliError::Exit { message: format!("job {job_id} failed: {reason}"), code: exit::JOB_FAILED })
        }
        Verdict::Cancelled => {
            Err(CliError::Exit { message: format!("job {job_id} was cancelled"), code: exit::JOB_FAILED })
        }
        other => {
            Err(CliError::Exit { message: format!("job {job_id} did not finish: {other:?}"), code: exit::FAILURE })
        }
    }
}

/// The bars of a run: one per uploaded answer file, a spinner while the job runs.
#[derive(Clone)]
struct Bars {
    progress: crate::progress::Progress,
    uploads: Arc<Mutex<HashMap<String, ProgressBar>>>,
    spinner: Arc<Mutex<Option<ProgressBar>>>,
}

impl Bars {
    fn new(context: &Context) -> Self {
        Bars { progress: context.progress.clone(), uploads: Arc::default(), spinner: Arc::default() }
    }

    fn on(&self, event: RunEvent<'_>) {
        match event {
            RunEvent::Uploading { question, sent, total } => {
                let mut uploads = self.uploads.lock().unwrap_or_else(|e| e.into_inner());
                let bar = uploads
                    .entry(question.to_string())
                    .or_insert_with(|| self.progress.bytes(&format!("upload {question}"), total));
                bar.set_position(sent);
            }
            RunEvent::Created { job_id } => {
                for bar in self.uploads.lock().unwrap_or_else(|e| e.into_inner()).values() {
                    bar.finish_and_clear();
                }
                let spinner = self.progress.spinner(&format!("job {job_id}: created"));
                *self.spinner.lock().unwrap_or_else(|e| e.into_inner()) = Some(spinner);
            }
            RunEvent::Status { job_id, status } => {
                if let Some(spinner) = self.spinner.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
                    spinner.set_message(format!("job {job_id}: {}", status.map_or("no status yet", JobStatus::as_str)));
                }
            }
            _ => {}
        }
    }

    fn finish(&self) {
        if let Some(spinner) = self.spinner.lock().unwrap_or_else(|e| e.into_inner()).take() {
            spinner.finish_and_clear();
        }
    }
}

/// Downloads a job's outputs with a bar per file.
async fn download(
    context: &Context,
    client: &Client,
    job: &JobDetail,
    dir: &Path,
    format: Option<&str>,
) -> Result<Vec<DownloadedOutput>, CliError> {
    let bars: Arc<Mutex<HashMap<String, ProgressBar>>> = Arc::default();
    let progress = context.progress.clone();
    let shown = bars.clone();
    let hook: tasks::OutputProgress = Arc::new(move |name, received, total| {
        let mut bars = shown.lock().unwrap_or_else(|e| e.into_inner());
        bars.entry(name.to_string()).or_insert_with(|| progress.bytes(name, total)).set_position(received);
    });
    let written = tasks::download_outputs_with_progress(client, job, dir, format, Some(hook)).await?;
    for bar in bars.lock().unwrap_or_else(|e| e.into_inner()).values() {
        bar.finish_and_clear();
    }
    Ok(written)
}

/// A message as the command's JSON shows it.
#[derive(Serialize)]
struct MessageJson<'a> {
    kind: &'static str,
    status: Option<i64>,
    tool_id: Option<i64>,
    text: &'a str,
}

fn message_json(m: &JobMessage) -> MessageJson<'_> {
    MessageJson {
        kind: m.kind().as_str(),
        status: m.status,
        tool_id: m.tool_id,
        text: m.text.as_deref().unwrap_or_default(),
    }
}

fn downloaded_json(d: &DownloadedOutput) -> serde_json::Value {
    json!({ "output_id": d.output_id, "format": d.format, "path": d.path, "bytes": d.bytes })
}

fn print_messages(context: &Context, messages: &[JobMessage]) {
    let rows: Vec<MessageJson<'_>> = messages.iter().map(message_json).collect();
    context.out.list(&rows, &[("KIND", "kind"), ("TOOL", "tool_id"), ("MESSAGE", "text")]);
}

fn print_downloads(context: &Context, written: &[DownloadedOutput]) {
    for d in written {
        context.out.say(format!("  {} ({} bytes, {})", d.path.display(), d.bytes, d.format));
    }
}

/// What `jobs run --wait` prints: the job, its messages, its outputs, and the verdict.
fn report(context: &Context, workflow: &str, outcome: &JobOutcome, verdict: &Verdict, written: &[DownloadedOutput]) {
    let job = &outcome.job;
    let status = job.status.as_ref().map_or("unknown", JobStatus::as_str);
    let (word, reason) = match verdict {
        Verdict::Succeeded => ("succeeded", None),
        Verdict::Failed(reason) => ("failed", Some(reason.as_str())),
        Verdict::Cancelled => ("cancelled", None),
        _ => ("unfinished", None),
    };
    if context.out.json {
        context.out.json(&json!({
            "job_id": job.id,
            "workflow_id": workflow,
            "status": status,
            "disposition": job.disposition,
            "verdict": word,
            "reason": reason,
            "messages": outcome.messages.iter().map(message_json).collect::<Vec<_>>(),
            "outputs": written.iter().map(downloaded_json).collect::<Vec<_>>(),
        }));
        return;
    }
    let id = job.id.as_deref().unwrap_or("?");
    let disposition = job.disposition.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
    println!("job {id} finished: {status}{disposition}");
    for m in &outcome.messages {
        let tool = m.tool_id.map(|t| format!("tool {t}: ")).unwrap_or_default();
        println!("  {:<8} {tool}{}", m.kind().as_str(), m.text.as_deref().unwrap_or_default());
    }
    if !written.is_empty() {
        println!("outputs:");
        print_downloads(context, written);
    }
    match reason {
        Some(reason) => println!("{word}: {reason}"),
        None => println!("{word}"),
    }
}
