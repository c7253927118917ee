//! The error of a task: a call's [`Error`], or what the task itself found wrong (an answer to a
//! question the app does not ask, a format an output does not offer...).

use crate::Error;

/// Why a task stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TaskError {
    /// A call failed.
    #[error(transparent)]
    Call(#[from] Error),
    /// Answers name questions the app does not ask, or leave required ones unanswered.
    #[error("{problem}; the app's questions are: {}", list(questions))]
    Answers {
        /// What is wrong (`no question named "Regoin"`).
        problem: String,
        /// Every question of the app, with its type (`Region (QuestionTextBox)`).
        questions: Vec<String>,
    },
    /// The server created a job but its answer has no id to follow it by.
    #[error("the server created a job but returned no job id")]
    NoJobId,
    /// An output does not offer the format asked for.
    #[error("output `{output}` cannot be downloaded as `{format}`; it offers {}", list(available))]
    Format {
        /// The output's file name (or id).
        output: String,
        /// The format asked for.
        format: String,
        /// What it offers.
        available: Vec<String>,
    },
    /// The answer to an input file upload holds no reference id the task can find.
    #[error("the input file upload answered without a reference id: {0:?}")]
    NoReference(String),
    /// A local file could not be read or written.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

fn list(items: &[String]) -> String {
    if items.is_empty() { "none".into() } else { items.join(", ") }
}
