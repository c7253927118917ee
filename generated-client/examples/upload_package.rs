//! Uploads a workflow package (`.yxzp`) as a new workflow. The file is streamed from disk, never
//! read into memory whole, so packages of any size upload in bounded memory.
//!
//! `cargo run -p alteryx-server --example upload_package -- PACKAGE.yxzp NAME OWNER-ID`

mod common;

use alteryx_server::FilePart;
use alteryx_server::types::{
    ExecutionMode, UploadWorkflowRequest, UploadWorkflowRequestRequired, WorkflowCredentialType,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [package, name, owner] = args.as_slice() else {
        return Err("usage: upload_package PACKAGE.yxzp NAME OWNER-ID".into());
    };
    let client = common::client_from_env()?;
    let mut request = UploadWorkflowRequest::new(UploadWorkflowRequestRequired {
        file: FilePart::from_path(package),
        name: name.clone(),
        owner_id: owner.clone(),
        is_public: false,
        is_ready_for_migration: false,
        others_may_download: true,
        others_can_execute: true,
        execution_mode: ExecutionMode::Standard,
        workflow_credential_type: WorkflowCredentialType::Default,
    });
    request.comments = Some("uploaded by the alteryx-server example".into());
    let id = client.workflows().upload_workflow(request).await?;
    println!("uploaded {package} as workflow {id}");
    Ok(())
}
