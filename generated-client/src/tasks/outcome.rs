//! How a finished job ended. A job's status says only that the run is over: `Completed` is also
//! what a job whose workflow failed reports. Its `disposition` (Success, Warning, Error,
//! Cancelled) and its error messages say how it went; both are read here.

use crate::types::{JobDetail, JobMessage, JobStatus};

/// A finished job, with every message it wrote.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct JobOutcome {
    /// The job as the server last reported it.
    pub job: JobDetail,
    /// Its messages: those the job read carried, or those of the messages call.
    pub messages: Vec<JobMessage>,
}

/// Whether a job did what it was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// It completed, without an error message (warnings allowed).
    Succeeded,
    /// It was cancelled.
    Cancelled,
    /// It failed: the reason, in words.
    Failed(String),
    /// It has not finished (the job was read before a final status).
    Unfinished,
}

impl JobOutcome {
    /// A job and its messages.
    pub fn new(job: JobDetail, messages: Vec<JobMessage>) -> Self {
        JobOutcome { job, messages }
    }

    /// How the job ended: its status first (Error, Cancelled), then its disposition (Error,
    /// Failed, Cancelled), then its messages (any error message is a failure).
    pub fn verdict(&self) -> Verdict {
        let disposition = self.job.disposition.as_deref().map(str::to_ascii_lowercase);
        match &self.job.status {
            Some(JobStatus::Error) => return Verdict::Failed(self.reason("the job's status is Error")),
            Some(JobStatus::Cancelled) => return Verdict::Cancelled,
            Some(JobStatus::Completed | JobStatus::Complete) => {}
            _ => return Verdict::Unfinished,
        }
        match disposition.as_deref() {
            Some("error" | "failed" | "failure") => {
                return Verdict::Failed(self.reason("the job's disposition is Error"));
            }
            Some("cancelled" | "canceled") => return Verdict::Cancelled,
            _ => {}
        }
        match self.errors().count() {
            0 => Verdict::Succeeded,
            n => Verdict::Failed(self.reason(&format!(
                "the job completed, but the workflow wrote {n} error message{}",
                if n == 1 { "" } else { "s" }
            ))),
        }
    }

    /// Whether the job succeeded.
    pub fn succeeded(&self) -> bool {
        self.verdict() == Verdict::Succeeded
    }

    /// The error messages.
    pub fn errors(&self) -> impl Iterator<Item = &JobMessage> {
        self.messages.iter().filter(|m| m.is_error())
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &JobMessage> {
        self.messages.iter().filter(|m| m.kind() == super::MessageKind::Warning)
    }

    /// `why`, and the first error message when there is one.
    fn reason(&self, why: &str) -> String {
        match self.errors().next().and_then(|m| m.text.as_deref()) {
            Some(text) => format!("{why}: {text}"),
            None => why.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(status: JobStatus, disposition: Option<&str>) -> JobDetail {
        let mut job = JobDetail::new();
        job.status = Some(status);
        job.disposition = disposition.map(str::to_string);
        job
    }

    fn message(status: i64, text: &str) -> JobMessage {
        let mut m = JobMessage::new();
        m.status = Some(status);
        m.text = Some(text.into());
        m
    }

    #[test]
    fn completed_is_not_success_when_the_workflow_failed() {
        let ok = JobOutcome::new(job(JobStatus::Completed, Some("Success")), vec![message(2, "slow")]);
        assert_eq!(ok.verdict(), Verdict::Succeeded);
        let inside = JobOutcome::new(job(JobStatus::Completed, None), vec![message(1, "ok"), message(3, "bad file")]);
        assert_eq!(
            inside.verdict(),
            Verdict::Failed("the job completed, but the workflow wrote 1 error message: bad file".into())
        );
        let disposed = JobOutcome::new(job(JobStatus::Completed, Some("Error")), vec![]);
        assert!(matches!(disposed.verdict(), Verdict::Failed(r) if r.contains("disposition")));
        assert_eq!(JobOutcome::new(job(JobStatus::Cancelled, None), vec![]).verdict(), Verdict::Cancelled);
        assert!(matches!(JobOutcome::new(job(JobStatus::Error, None), vec![]).verdict(), Verdict::Failed(_)));
        assert_eq!(JobOutcome::new(job(JobStatus::Running, None), vec![]).verdict(), Verdict::Unfinished);
        assert_eq!(JobOutcome::new(job(JobStatus::Complete, Some("Warning")), vec![]).verdict(), Verdict::Succeeded);
    }
}
