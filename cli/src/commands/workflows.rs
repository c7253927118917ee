//! `ayx workflows`: list, show, upload (streamed from disk, with a progress bar), download
//! (streamed to disk, written whole or not at all), versions and an app's questions.

use std::path::PathBuf;

use alteryx_server::FilePart;
use alteryx_server::operations::{DownloadWorkflowPackageOptions, GetWorkflowQuestionsOptions, GetWorkflowsOptions};
use alteryx_server::types::{
    ExecutionMode, UploadWorkflowRequest, UploadWorkflowRequestRequired, View, WorkflowCredentialType,
};
use serde_json::json;

use crate::args::EnumArg;
use crate::context::Context;
use crate::exit::CliError;
use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum WorkflowsCommand {
    /// List workflows.
    #[command(after_help = "Examples:\n  ayx workflows list\n  ayx workflows list --name Sales --json")]
    List {
        /// Only workflows whose name contains this.
        #[arg(long)]
        name: Option<String>,
        /// Only workflows of this owner (user id).
        #[arg(long)]
        owner: Option<String>,
    },
    /// Show one workflow.
    #[command(after_help = "Example:\n  ayx workflows get 6512a7c3e4b0a1b2c3d4e5f6")]
    Get {
        /// The workflow id.
        id: String,
    },
    /// Upload a package (.yxzp) as a new workflow; prints its id.
    #[command(
        after_help = concat!(
            "Example:\n  ayx workflows upload flow.yxzp --name Sales --owner 6512a7c3e4b0a1b2c3d4e5f7 --others-can-execute\n",
            crate::changes!(),
        )
    )]
    Upload(UploadArgs),
    /// Download a workflow's package (.yxzp).
    #[command(
        after_help = "Examples:\n  ayx workflows download 6512a7c3e4b0a1b2c3d4e5f6\n  ayx workflows download 6512a7c3e4b0a1b2c3d4e5f6 --version 3 --out sales.yxzp"
    )]
    Download {
        /// The workflow id.
        id: String,
        /// A version id (default: the published version).
        #[arg(long)]
        version: Option<String>,
        /// Where to write the package (default: WORKFLOW-ID.yxzp).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// List a workflow's versions.
    #[command(after_help = "Example:\n  ayx workflows versions 6512a7c3e4b0a1b2c3d4e5f6")]
    Versions {
        /// The workflow id.
        id: String,
    },
    /// List an analytic app's questions.
    #[command(after_help = "Example:\n  ayx workflows questions 6512a7c3e4b0a1b2c3d4e5f6")]
    Questions {
        /// The workflow id.
        id: String,
        /// A version id (default: the published version).
        #[arg(long)]
        version: Option<String>,
    },
}
#[derive(Debug, Args)]
pub struct UploadArgs {
    /// The package file.
    pub file: PathBuf,
    /// The workflow's name.
    #[arg(long)]
    pub name: String,
    /// The owner's user id.
    #[arg(long)]
    pub owner: String,
    /// Comments.
    #[arg(long)]
    pub comments: Option<String>,
    /// Make it visible to every user.
    #[arg(long)]
    pub public: bool,
    /// Mark it ready for migration.
    #[arg(long)]
    pub ready_for_migration: bool,
    /// Let others download it.
    #[arg(long)]
    pub others_may_download: bool,
    /// Let others run it.
    #[arg(long)]
    pub others_can_execute: bool,
    /// Execution mode.
    #[arg(long, value_parser = EnumArg::<ExecutionMode>::new(), default_value = "Standard")]
    pub execution_mode: ExecutionMode,
    /// Which credential it runs with: the runner's default, one the runner must give, or a specific one (--credential).
    #[arg(long, value_parser = EnumArg::<WorkflowCredentialType>::new(), default_value = "Default")]
    pub credential_type: WorkflowCredentialType,
    /// The credential id, with --credential-type specific.
    #[arg(long)]
    pub credential: Option<String>,
}

pub async fn run(context: &Context, command: WorkflowsCommand) -> Result<(), CliError> {
    let client = context.client()?;
    let out = context.out;
    match command {
        WorkflowsCommand::List { name, owner } => {
            let mut options = GetWorkflowsOptions::default().view(View::Default);
            options.name = name;
            options.owner_id = owner;
            let workflows = client.workflows().get_workflows(options).await?;
            if out.json {
                out.json(&workflows);
                return Ok(());
            }
            out.list(
                &crate::owners::named(&client, &workflows).await,
                &[
                    ("ID", "id"),
                    ("NAME", "name"),
                    ("OWNER", "owner"),
                    ("CREATED", "dateCreated"),
                    ("VERSION", "publishedVersionNumber"),
                ],
            );
        }
        WorkflowsCommand::Get { id } => {
            let workflow = client.workflows().get_workflow(&id).await?;
            if out.json {
                out.json(&workflow);
                return Ok(());
            }
            let shown = crate::owners::named(&client, std::slice::from_ref(&workflow)).await;
            out.object(
                &shown[0],
                &[
                    ("id", "id"),
                    ("name", "name"),
                    ("owner", "owner"),
                    ("created", "dateCreated"),
                    ("runs", "runCount"),
                    ("published version", "publishedVersionId"),
                    ("public", "isPublic"),
                    ("ready for migration", "isReadyForMigration"),
                    ("execution mode", "executionMode"),
                    ("worker tag", "workerTag"),
                    ("comments", "comments"),
                ],
            );
        }
        WorkflowsCommand::Upload(upload) => {
            let id = upload_workflow(context, &client, upload).await?;
            out.say(&id);
            if out.json {
                out.json(&json!({ "id": id }));
            }
        }
        WorkflowsCommand::Download { id, version, out: path } => {
            let path = path.unwrap_or_else(|| PathBuf::from(format!("{id}.yxzp")));
            let mut options = DownloadWorkflowPackageOptions::default();
            options.version_id = version;
            let body = client.workflows().download_workflow_package(&id, options).await?;
            let bar = context.progress.bytes(&path.display().to_string(), body.content_length());
            let shown = bar.clone();
            let bytes = body.on_progress(move |received, _| shown.set_position(received)).save_to_file(&path).await?;
            bar.finish_and_clear();
            out.say(format!("saved {bytes} bytes to {}", path.display()));
            if out.json {
                out.json(&json!({ "path": path, "bytes": bytes }));
            }
        }
        WorkflowsCommand::Versions { id } => {
            let workflow = client.workflows().get_workflow(&id).await?;
            let versions = workflow.versions.unwrap_or_default();
            out.list(
                &versions,
                &[
                    ("VERSION ID", "versionId"),
                    ("NUMBER", "versionNumber"),
                    ("CREATED", "dateCreated"),
                    ("PUBLISHED", "published"),
                    ("SOURCE", "uploadSource"),
                    ("TYPE", "packageWorkflowType"),
                    ("COMMENTS", "comments"),
                ],
            );
        }
        WorkflowsCommand::Questions { id, version } => {
            let mut options = GetWorkflowQuestionsOptions::default();
            options.version_id = version;
            let questions = client.workflows().get_workflow_questions(&id, options).await?;
            // The required flag is the task helpers' rule of thumb; the API has none.
            let rows: Vec<_> = questions
                .iter()
                .map(|q| {
                    let mut row = serde_json::to_value(q).unwrap_or_default();
                    row["required"] = json!(alteryx_server::tasks::is_required(q));
                    row
                })
                .collect();
            out.list(
                &rows,
                &[
                    ("NAME", "name"),
                    ("TYPE", "questionType"),
                    ("REQUIRED", "required"),
                    ("DEFAULT", "value"),
                    ("DESCRIPTION", "description"),
                ],
            );
        }
    }
    Ok(())
}

/// Uploads a package as a new workflow, with a progress bar; returns the new id.
async fn upload_workflow(
    context: &Context,
    client: &alteryx_server::Client,
    upload: UploadArgs,
) -> Result<String, CliError> {
    let size = std::fs::metadata(&upload.file)
        .map_err(|e| CliError::io(format!("cannot read {}", upload.file.display()), e))?
        .len();
    let bar = context.progress.bytes(&upload.file.display().to_string(), Some(size));
    let shown = bar.clone();
    let file = FilePart::from_path(&upload.file).on_progress(move |sent, _| shown.set_position(sent));
    let mut request = UploadWorkflowRequest::new(UploadWorkflowRequestRequired {
        file,
        name: upload.name,
        owner_id: upload.owner,
        is_public: upload.public,
        is_ready_for_migration: upload.ready_for_migration,
        others_may_download: upload.others_may_download,
        others_can_execute: upload.others_can_execute,
        execution_mode: upload.execution_mode,
        workflow_credential_type: upload.credential_type,
    });
    request.comments = upload.comments;
    request.credential_id = upload.credential;
    let id = client.workflows().upload_workflow(request).await?;
    bar.finish_and_clear();
    Ok(id)
}
