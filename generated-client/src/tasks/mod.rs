//! Tasks that take several calls, written by hand on top of the generated operations (this
//! module is not generated; the crate root declares it through the spec's `x-codegen-modules`).
//!
//! - [`Answers`](crate::tasks::Answers): an analytic app's answers, checked against its questions before a job is
//!   created; a file answer is uploaded as an input file and its reference id becomes the value.
//! - [`run_and_wait`](crate::tasks::run_and_wait): create a job, poll it to a final status, read its messages, and tell
//!   success from failure ([`JobOutcome::verdict`](crate::tasks::JobOutcome::verdict)): a job can be `Completed` while the workflow
//!   inside it failed.
//! - [`download_outputs`](crate::tasks::download_outputs): every output of a job into a directory, streamed, each file written
//!   whole or not at all.
//! - [`upload_input_file`](crate::tasks::upload_input_file): one input file, and the reference id the server gives it, however
//!   the server words its answer.
//!
//! ```no_run
//! # async fn run(client: alteryx_server::Client) -> Result<(), alteryx_server::tasks::TaskError> {
//! use alteryx_server::tasks::{Answers, JobRun, download_outputs, run_and_wait};
//!
//! let answers = Answers::new().text("Region", "EMEA").file("Customers", "customers.csv");
//! let outcome = run_and_wait(&client, JobRun::new("6512a7c3e4b0a1b2c3d4e5f6").answers(answers)).await?;
//! if !outcome.succeeded() {
//!     for message in outcome.errors() {
//!         eprintln!("{}", message.text.as_deref().unwrap_or_default());
//!     }
//! }
//! let files = download_outputs(&client, &outcome.job, "out".as_ref(), None).await?;
//! # Ok(()) }
//! ```

mod answers;
mod error;
mod input_files;
mod messages;
mod outcome;
mod outputs;
mod run;

pub use answers::{Answer, Answers, is_required};
pub use error::TaskError;
pub use input_files::{reference_id, upload_input_file};
pub use messages::MessageKind;
pub use outcome::{JobOutcome, Verdict};
pub use outputs::{DownloadedOutput, OutputProgress, download_outputs, download_outputs_with_progress};
pub use run::{Events, JobRun, RunEvent, outcome_of, run_and_wait, run_and_wait_with_events, start_job, wait_for_job};

/// The crate README's examples, compiled as doctests so that they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
