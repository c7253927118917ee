//! Running a workflow or an analytic app to its end: check the answers against the app's
//! questions, upload file answers, create the job, poll it until its status is final, and read
//! its messages, reporting each step to the caller (for spinners and progress bars).

use std::path::PathBuf;
use std::sync::Arc;

use super::{Answer, Answers, JobOutcome, TaskError, upload_input_file};
use crate::operations::{GetJobOptions, GetWorkflowQuestionsOptions};
use crate::types::{CreateJobContract, JobDetail, JobStatus, Priority, Question, WorkflowQuestion};
use crate::{Client, Error, PollOptions};

/// A job to run: the workflow, its answers, and how to run and wait for it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct JobRun {
    /// The workflow (app) id.
    pub workflow_id: String,
    /// The answers to its questions.
    pub answers: Answers,
    /// The job's priority (the server ignores it for users who may not set one).
    pub priority: Option<Priority>,
    /// The credential to run with.
    pub credential_id: Option<String>,
    /// The worker tag to run on.
    pub worker_tag: Option<String>,
    /// How often to ask, and for how long in all (default: every 2 s, for 30 min).
    pub poll: PollOptions<JobDetail>,
    /// Whether to read the app's questions and check the answers first (default: yes).
    pub check_answers: bool,
}

impl JobRun {
    /// A run of `workflow_id` without answers, polled every 2 s for 30 min at most.
    pub fn new(workflow_id: impl Into<String>) -> Self {
        JobRun {
            workflow_id: workflow_id.into(),
            answers: Answers::new(),
            priority: None,
            credential_id: None,
            worker_tag: None,
            poll: PollOptions::default(),
            check_answers: true,
        }
    }

    /// Sets the answers.
    #[must_use]
    pub fn answers(mut self, answers: Answers) -> Self {
        self.answers = answers;
        self
    }

    /// Sets the priority.
    #[must_use]
    pub fn priority(mut self, priority: Priority) -> Self {
        self.priority = Some(priority);
        self
    }

    /// Sets the credential.
    #[must_use]
    pub fn credential(mut self, credential_id: impl Into<String>) -> Self {
        self.credential_id = Some(credential_id.into());
        self
    }

    /// Sets the worker tag.
    #[must_use]
    pub fn worker_tag(mut self, tag: impl Into<String>) -> Self {
        self.worker_tag = Some(tag.into());
        self
    }

    /// Sets how often to ask and for how long.
    #[must_use]
    pub fn poll(mut self, poll: PollOptions<JobDetail>) -> Self {
        self.poll = poll;
        self
    }
}

/// A step of a run, as it happens.
#[derive(Debug)]
#[non_exhaustive]
pub enum RunEvent<'a> {
    /// The app's questions were read and the answers fit them.
    Checked {
        /// The app's questions.
        questions: &'a [WorkflowQuestion],
    },
    /// A file answer is being uploaded: bytes sent so far, of the total.
    Uploading {
        /// The question it answers.
        question: &'a str,
        /// Bytes sent so far.
        sent: u64,
        /// The file's size.
        total: Option<u64>,
    },
    /// The job was created.
    Created {
        /// Its id.
        job_id: &'a str,
    },
    /// The job was read while waiting.
    Status {
        /// Its id.
        job_id: &'a str,
        /// Its status, when it has one.
        status: Option<&'a JobStatus>,
    },
}

/// Hears of every step of a run; called from the task's own future (and, for uploads, from the
/// request body as it is sent), so it must be cheap.
pub type Events = Arc<dyn for<'a> Fn(RunEvent<'a>) + Send + Sync>;

/// Runs a job to its end and tells how it went: [`run_and_wait_with_events`] without events.
///
/// # Errors
///
/// See [`run_and_wait_with_events`].
pub async fn run_and_wait(client: &Client, run: JobRun) -> Result<JobOutcome, TaskError> {
    run_and_wait_with_events(client, run, Arc::new(|_| {})).await
}

/// Runs a job to its end: [`start_job`], then [`wait_for_job`] until its status is final, and
/// returns it with its messages. A job that ended badly is not an error here: ask the
/// [`JobOutcome`] (`verdict`, `succeeded`).
///
/// # Errors
///
/// Those of [`start_job`], and [`TaskError::Call`] when a read fails, with [`Error::Timeout`]
/// ([`crate::TimeoutKind::Polling`]) when the job is not final within `run.poll.timeout`.
pub async fn run_and_wait_with_events(client: &Client, run: JobRun, events: Events) -> Result<JobOutcome, TaskError> {
    let poll = run.poll.clone();
    let job_id = start_job(client, run, &events).await?;
    let job = wait_for_job(client, &job_id, poll, &events).await?;
    outcome_of(client, job).await
}

/// Starts a job and returns its id: checks the answers against the app's questions (unless
/// `run.check_answers` is off; a workflow without questions to read needs no answers), uploads
/// file answers as input files, and creates the job.
///
/// # Errors
///
/// [`TaskError::Answers`] before anything is uploaded or created when an answer names no
/// question or a required question is unanswered; [`TaskError::Call`] when a call fails;
/// [`TaskError::NoJobId`] when the server's answer has no job id.
pub async fn start_job(client: &Client, run: JobRun, events: &Events) -> Result<String, TaskError> {
    if run.check_answers {
        let asked = client.workflows().get_workflow_questions(&run.workflow_id, GetWorkflowQuestionsOptions::default());
        match asked.await {
            Ok(questions) => {
                run.answers.check(&questions)?;
                events(RunEvent::Checked { questions: &questions });
            }
            // A workflow that is not an app may have no questions to read; without answers
            // there is nothing to check (the job creation says whether the workflow exists).
            Err(Error::Api(e)) if run.answers.is_empty() && matches!(e.status, 400 | 404) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let mut values = Vec::new();
    for (name, answer) in run.answers.iter() {
        let value = match answer {
            Answer::Text(text) => text.clone(),
            Answer::File(path) => upload(client, name, path.clone(), events).await?,
        };
        let mut question = Question::new();
        question.name = Some(name.to_string());
        question.value = Some(value);
        values.push(question);
    }
    let mut contract = CreateJobContract::new();
    contract.questions = (!values.is_empty()).then_some(values);
    contract.priority = run.priority;
    contract.credential_id = run.credential_id;
    contract.worker_tag = run.worker_tag;
    let created = client.jobs().create_job(&run.workflow_id, &contract).await?;
    let job_id = created.id.filter(|id| !id.is_empty()).ok_or(TaskError::NoJobId)?;
    events(RunEvent::Created { job_id: &job_id });
    Ok(job_id)
}

async fn upload(client: &Client, question: &str, path: PathBuf, events: &Events) -> Result<String, TaskError> {
    let (events, name) = (events.clone(), question.to_string());
    let hook: crate::OnProgress =
        Arc::new(move |sent, total| events(RunEvent::Uploading { question: &name, sent, total }));
    upload_input_file(client, &path, Some(hook)).await
}

/// Reads the job every `poll.interval` until its status is final (the statuses the spec's
/// overlay lists for `jobs().wait_until_done`; any other, unknown ones included, means "ask
/// again"), telling `events` of each answer (and `poll`'s own hook, if it has one).
///
/// # Errors
///
/// Any error of a read, and [`Error::Timeout`] ([`crate::TimeoutKind::Polling`]) when
/// `poll.timeout` passes first.
pub async fn wait_for_job(
    client: &Client,
    job_id: &str,
    poll: PollOptions<JobDetail>,
    events: &Events,
) -> Result<JobDetail, Error> {
    let (events, id) = (events.clone(), job_id.to_string());
    let poll =
        poll.on_answer(move |job: &JobDetail| events(RunEvent::Status { job_id: &id, status: job.status.as_ref() }));
    client.jobs().wait_until_done(job_id, GetJobOptions::default(), poll).await
}

/// The outcome of a final job: its messages are those the job read carried, or, when it had
/// none, those of the messages call (Curators only: for others the job's own are all there is).
///
/// # Errors
///
/// A failure of the messages call other than a refusal (401, 403, 404).
pub async fn outcome_of(client: &Client, job: JobDetail) -> Result<JobOutcome, TaskError> {
    let mut messages = job.messages.clone().unwrap_or_default();
    if messages.is_empty()
        && let Some(id) = job.id.as_deref()
    {
        match client.jobs().get_messages(id).await {
            Ok(all) => messages = all,
            Err(Error::Api(e)) if matches!(e.status, 401 | 403 | 404) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(JobOutcome::new(job, messages))
}
