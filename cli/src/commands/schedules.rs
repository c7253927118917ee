//! `ayx schedules`: list, and switch schedules on or off (a partial update of `enabled` each).
//! Safe to run twice: a schedule already in the wanted state is left alone.

use alteryx_server::operations::GetSchedulesOptions;
use alteryx_server::types::{PatchScheduleContract, View};
use serde_json::json;

use crate::context::Context;
use crate::exit::{self, CliError};
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum SchedulesCommand {
    /// List schedules.
    #[command(
        after_help = "Examples:\n  ayx schedules list\n  ayx schedules list --workflow 6512a7c3e4b0a1b2c3d4e5f6 --json"
    )]
    List {
        /// Only the schedules of this workflow.
        #[arg(long)]
        workflow: Option<String>,
        /// Only the schedules of this owner (user id).
        #[arg(long)]
        owner: Option<String>,
    },
    /// Enable schedules.
    #[command(after_help = concat!(
        "Example:\n  ayx schedules enable 6512a7c3e4b0a1b2c3d4e5fa 6512a7c3e4b0a1b2c3d4e5fb --yes\n",
        crate::changes!(),
    ))]
    Enable {
        /// The schedule ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Disable schedules.
    #[command(after_help = concat!("Example:\n  ayx schedules disable 6512a7c3e4b0a1b2c3d4e5fa --yes\n", crate::changes!()))]
    Disable {
        /// The schedule ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
}

pub async fn run(context: &Context, command: SchedulesCommand) -> Result<(), CliError> {
    let client = context.client()?;
    let out = context.out;
    match command {
        SchedulesCommand::List { workflow, owner } => {
            let mut options = GetSchedulesOptions::default().view(View::Default);
            options.workflow_id = workflow;
            options.owner_id = owner;
            let schedules = client.schedules().get_schedules(options).await?;
            if out.json {
                out.json(&schedules);
                return Ok(());
            }
            out.list(
                &crate::owners::named(&client, &schedules).await,
                &[
                    ("ID", "id"),
                    ("NAME", "name"),
                    ("WORKFLOW", "workflowId"),
                    ("OWNER", "owner"),
                    ("NEXT RUN", "runDateTime"),
                ],
            );
            Ok(())
        }
        SchedulesCommand::Enable { ids } => switch(context, &client, ids, true).await,
        SchedulesCommand::Disable { ids } => switch(context, &client, ids, false).await,
    }
}

async fn switch(
    context: &Context,
    client: &alteryx_server::Client,
    ids: Vec<String>,
    enabled: bool,
) -> Result<(), CliError> {
    let verb = if enabled { "enable" } else { "disable" };
    context.confirm(&format!("{} {} schedule(s)?", if enabled { "Enable" } else { "Disable" }, ids.len()))?;
    let mut report = Vec::new();
    let mut failed = 0;
    for id in &ids {
        let result = async {
            let current = client.schedules().get_schedule(id).await?;
            if current.enabled == Some(enabled) {
                return Ok("unchanged");
            }
            let mut patch = PatchScheduleContract::new();
            patch.enabled = Some(enabled);
            client.schedules().patch_schedule(id, &patch).await?;
            Ok::<_, alteryx_server::Error>(if enabled { "enabled" } else { "disabled" })
        }
        .await;
        let row = match result {
            Ok(state) => json!({"id": id, "result": state}),
            Err(e) => {
                failed += 1;
                json!({"id": id, "result": "failed", "error": e.to_string()})
            }
        };
        report.push(row);
    }
    context.out.list(&report, &[("SCHEDULE", "id"), ("RESULT", "result"), ("ERROR", "error")]);
    if failed > 0 {
        return Err(CliError::Exit {
            message: format!("could not {verb} {failed} of {} schedule(s)", ids.len()),
            code: if failed == ids.len() { exit::API } else { exit::PARTIAL },
        });
    }
    Ok(())
}
