//! `ayx users`: list users, and offboard one: every workflow, schedule and collection they own
//! goes to another user (one transfer call), then, if asked, the account is deactivated. With
//! `--dry-run` the assets are listed and nothing changes. Safe to run twice: a second run finds
//! nothing left to transfer.

use alteryx_server::operations::{GetUserAssetsOptions, GetUsersOptions};
use alteryx_server::types::{
    TransferUserAssetsRequest, TransferUserAssetsRequestRequired, UserAsset, UserAssets, View,
};
use serde_json::json;

use crate::context::{Context, user_id};
use crate::exit::CliError;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// List users.
    #[command(after_help = "Examples:\n  ayx users list\n  ayx users list --email ada@example.com --json")]
    List {
        /// Only the user with this email.
        #[arg(long)]
        email: Option<String>,
    },
    /// Transfer all of a user's assets (workflows, schedules, collections) to another user, then optionally deactivate them.
    #[command(after_help = concat!(
        "Examples:\n",
        "  ayx users offboard ada@example.com --to grace@example.com --dry-run\n",
        "  ayx users offboard ada@example.com --to grace@example.com --deactivate --yes\n",
        crate::changes!(),
    ))]
    Offboard {
        /// The user leaving: an id or an email.
        user: String,
        /// The new owner: an id or an email.
        #[arg(long)]
        to: String,
        /// Deactivate the user once the assets are transferred.
        #[arg(long)]
        deactivate: bool,
        /// List the assets and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

pub async fn run(context: &Context, command: UsersCommand) -> Result<(), CliError> {
    let client = context.client()?;
    let out = context.out;
    match command {
        UsersCommand::List { email } => {
            let mut options = GetUsersOptions::default().view(View::Default);
            options.email = email;
            let users = client.users().get_users(options).await?;
            out.list(
                &users,
                &[
                    ("ID", "id"),
                    ("FIRST", "firstName"),
                    ("LAST", "lastName"),
                    ("EMAIL", "email"),
                    ("ROLE", "role"),
                    ("ACTIVE", "isActive"),
                ],
            );
            Ok(())
        }
        UsersCommand::Offboard { user, to, deactivate, dry_run } => {
            let leaving = user_id(&client, &user).await?;
            let owner = user_id(&client, &to).await?;
            if leaving == owner {
                return Err(CliError::Usage("the new owner is the user who leaves".into()));
            }
            let assets = client.users().get_user_assets(&leaving, GetUserAssetsOptions::default()).await?;
            let count = |list: &Option<Vec<UserAsset>>| list.as_ref().map_or(0, Vec::len);
            let (workflows, schedules, collections) =
                (count(&assets.workflows), count(&assets.schedules), count(&assets.collections));
            let summary =
                format!("{user} owns {workflows} workflow(s), {schedules} schedule(s) and {collections} collection(s)");
            if dry_run {
                if out.json {
                    out.json(&json!({"user_id": leaving, "new_owner_id": owner, "dry_run": true, "assets": assets, "deactivate": deactivate}));
                } else {
                    println!(
                        "{summary}; they would go to {to}{}:",
                        if deactivate { ", then the account would be deactivated" } else { "" }
                    );
                    print_assets(&assets);
                }
                return Ok(());
            }
            let what = if deactivate { ", then deactivate the account" } else { "" };
            context.confirm(&format!("{summary}. Transfer them to {to}{what}?"))?;
            let transfer = TransferUserAssetsRequest::new(TransferUserAssetsRequestRequired {
                owner_id: owner.clone(),
                transfer_workflows: true,
                transfer_schedules: true,
                transfer_collections: true,
            });
            let affected = client.users().transfer_user_assets(&leaving, &transfer).await?;
            let deactivated = if deactivate {
                client.users().deactivate_user(&leaving).await?;
                true
            } else {
                false
            };
            if out.json {
                out.json(&json!({
                    "user_id": leaving,
                    "new_owner_id": owner,
                    "transferred": {"workflows": workflows, "schedules": schedules, "collections": collections},
                    "affected_schedule_ids": affected.iter().filter_map(|a| a.affected_schedule_id.clone()).collect::<Vec<_>>(),
                    "deactivated": deactivated,
                }));
            } else {
                println!(
                    "transferred {workflows} workflow(s), {schedules} schedule(s) and {collections} collection(s) to {to}"
                );
                if !affected.is_empty() {
                    println!("{} schedule(s) changed", affected.len());
                }
                if deactivated {
                    println!("{user} is deactivated");
                }
            }
            Ok(())
        }
    }
}

fn print_assets(assets: &UserAssets) {
    for (kind, list) in
        [("workflow", &assets.workflows), ("schedule", &assets.schedules), ("collection", &assets.collections)]
    {
        for asset in list.iter().flatten() {
            println!("  {kind:<10} {}  {}", asset.id.as_deref().unwrap_or("?"), asset.name.as_deref().unwrap_or(""));
        }
    }
}
