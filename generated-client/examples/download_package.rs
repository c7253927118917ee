//! Downloads a workflow's package to a file, streamed in bounded memory. The body is written to
//! `FILE.part` and renamed to `FILE` only when complete.
//!
//! `cargo run -p alteryx-server --example download_package -- WORKFLOW-ID FILE [VERSION-ID]`

mod common;

use alteryx_server::operations::DownloadWorkflowPackageOptions;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (workflow_id, file) = match args.as_slice() {
        [id, file, ..] => (id, file),
        _ => return Err("usage: download_package WORKFLOW-ID FILE [VERSION-ID]".into()),
    };
    let mut options = DownloadWorkflowPackageOptions::default();
    if let Some(version) = args.get(2) {
        options = options.version_id(version.clone());
    }
    let client = common::client_from_env()?;
    let package = client.workflows().download_workflow_package(workflow_id, options).await?;
    let size = package.save_to_file(file).await?;
    println!("wrote {size} bytes to {file}");
    Ok(())
}
