//! `ayx api`: every operation of the API as it is, from the client's generated command line
//! (`alteryx_server::cli`), with the profile's connection, `ayx`'s progress bars and its exit
//! codes. The tasks above it cover what admins do most; this covers the rest.

use std::io::IsTerminal;
use std::sync::Arc;

use alteryx_server::cli::{Failure, Invocation, Output, Transfer};
use indicatif::ProgressBar;

use crate::context::Context;
use crate::exit::CliError;
use crate::progress::Progress;

/// The examples of `ayx api --help`.
pub const EXAMPLES: &str = concat!(
    "Examples:\n",
    "  ayx api jobs get 6512a7c3e4b0a1b2c3d4e5f6 --include-messages\n",
    "  ayx api credentials get-credentials --view Full\n",
    "  ayx api schedules create-schedule --body schedule.json --name Nightly --priority high --yes\n",
    "  ayx api input-files upload-input-file --input-file customers.csv --yes\n",
    "  ayx api workflows download-workflow-package 6512a7c3e4b0a1b2c3d4e5f6 --out sales.yxzp\n",
    "  ayx api jobs get-workflow-jobs 6512a7c3e4b0a1b2c3d4e5f6 --all > jobs.jsonl\n",
    "  ayx api users deactivate-user 6512a7c3e4b0a1b2c3d4e5f7 --dry-run\n",
    "\nAnswers are the server's JSON (pretty on a terminal, compact when piped); --all writes JSON lines.\n",
    "Arguments are checked before anything is sent: a bad one exits 2 and sends nothing.\n",
    "Operations that may change the server (any method but GET) ask first, or need --yes without a terminal."
);

/// Runs one operation. Once its arguments are checked, one that may change the server (any
/// method but GET, HEAD and OPTIONS) asks first, as every `ayx` command that changes a server
/// does; a dry run never asks.
pub async fn run(context: &Context, invocation: &Invocation) -> Result<(), CliError> {
    let client = context.client()?;
    let mut stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let bars = Bars(context.progress.clone());
    let mut output = Output { out: &mut stdout, terminal, progress: &bars };
    let confirm = |operation: &'static alteryx_server::cli::Operation| {
        let method = operation.method.as_str();
        if !crate::commands::catalogue::method_changes(method) {
            return Ok(());
        }
        context.confirm(&format!("{method} {} ({})", operation.template, operation.id)).map_err(|e| e.to_string())
    };
    invocation.run_confirmed(&client, &mut output, confirm).await.map_err(|e| match e {
        Failure::Usage(message) => CliError::Usage(message),
        Failure::Call(e) => CliError::Call(e),
        Failure::Declined(message) => CliError::Exit { message, code: crate::exit::DECLINED },
        Failure::Io { context, source } => CliError::Io { context, source },
    })
}

/// `ayx`'s progress bars for the command line's transfers.
struct Bars(Progress);

impl alteryx_server::cli::Progress for Bars {
    fn transfer(&self, label: &str) -> Arc<dyn Transfer> {
        Arc::new(Bar(self.0.bytes(label, None)))
    }
}

struct Bar(ProgressBar);

impl Transfer for Bar {
    fn update(&self, done: u64, total: Option<u64>) {
        if let Some(total) = total {
            self.0.set_length(total);
        }
        self.0.set_position(done);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
