//! Lists the workflows on a server, with their owners and latest versions.
//!
//! `cargo run -p alteryx-server --example list_workflows [NAME-FILTER]`
//! (connection settings: see `examples/common/mod.rs`).

mod common;

use alteryx_server::operations::GetWorkflowsOptions;
use alteryx_server::types::View;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = common::client_from_env()?;
    let mut options = GetWorkflowsOptions::default().view(View::Full);
    if let Some(name) = std::env::args().nth(1) {
        options = options.name(name);
    }
    let workflows = client.workflows().get_workflows(options).await?;
    for w in &workflows {
        println!(
            "{:<26} {:<40} owner {:<26} version {}",
            w.id.as_deref().unwrap_or("?"),
            w.name.as_deref().unwrap_or(""),
            w.owner_id.as_deref().unwrap_or("?"),
            w.published_version_number.map_or("-".to_string(), |v| v.to_string()),
        );
    }
    println!("{} workflows", workflows.len());
    Ok(())
}
