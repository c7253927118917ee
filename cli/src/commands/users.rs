//! `ayx users`: list users, and offboard one: every workflow, schedule and collection they own
//! goes to another user (one transfer call), then, if asked, the account is deactivated. With
//! `--dry-run` the assets are listed and nothing changes. Safe to run twice: a second run finds
//! nothing left to transfer.

use alteryx_server::operations::{GetUserAssetsOptions, GetUsersOptions};
use alteryx_server::types::{
    TransferUserAssetsRequest, TransferUserAssetsRequestRequired, UserAsset, UserAssets, View,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::commands::plan::PlanServer;

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
        /// Write the plan to FILE and change nothing; `ayx apply FILE` carries it out later,
        /// and refuses when the user's assets or either user changed.
        #[arg(long, value_name = "FILE", conflicts_with = "dry_run")]
        plan_out: Option<std::path::PathBuf>,
    },
}

/// `ayx users offboard --plan-out`: whose assets go to whom, and exactly which assets.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OffboardPlan {
    pub server: PlanServer,
    /// The user leaving, as given, and their id.
    pub user: String,
    pub user_id: String,
    /// The new owner, as given, and their id.
    pub to: String,
    pub new_owner_id: String,
    pub deactivate: bool,
    /// The ids of the assets the user owned when the plan was made.
    pub workflows: Vec<String>,
    pub schedules: Vec<String>,
    pub collections: Vec<String>,
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
        UsersCommand::Offboard { user, to, deactivate, dry_run, plan_out } => {
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
            if let Some(path) = plan_out {
                let connection = context.connection()?;
                let plan = OffboardPlan {
                    server: PlanServer { profile: connection.profile, url: connection.url },
                    user: user.clone(),
                    user_id: leaving.clone(),
                    to: to.clone(),
                    new_owner_id: owner.clone(),
                    deactivate,
                    workflows: ids(&assets.workflows),
                    schedules: ids(&assets.schedules),
                    collections: ids(&assets.collections),
                };
                crate::commands::plan::write(&path, crate::commands::plan::Plan::Offboard(plan))?;
                out.say(format!(
                    "{summary}; plan written to {}; carry it out with `ayx apply {}`",
                    path.display(),
                    path.display()
                ));
                if out.json {
                    out.json(&json!({"plan": path, "user_id": leaving, "new_owner_id": owner}));
                }
                return Ok(());
            }
            let counts = (workflows, schedules, collections);
            transfer(context, &client, (&leaving, &user), (&owner, &to), deactivate, counts, &summary).await
        }
    }
}

/// The ids of a list of assets.
fn ids(list: &Option<Vec<UserAsset>>) -> Vec<String> {
    let mut ids: Vec<String> = list.iter().flatten().filter_map(|a| a.id.clone()).collect();
    ids.sort();
    ids
}

/// `ayx apply` of an offboarding plan: the profile still points at the same server, both users
/// are still there, and the user owns exactly the planned assets (the transfer moves all of
/// them); otherwise the plan is refused whole (exit 9). Then the transfer, as planned.
pub async fn apply(context: &Context, plan: OffboardPlan) -> Result<(), CliError> {
    let (client, connection) = context.client_of(&plan.server.profile)?;
    let mut stale: Vec<String> = plan.server.moved(&connection.url).into_iter().collect();
    for (who, id) in [(&plan.user, &plan.user_id), (&plan.to, &plan.new_owner_id)] {
        match client.users().get_user(id).await {
            Err(alteryx_server::Error::Api(e)) if e.status == 404 => {
                stale.push(format!("the user {who} ({id}) is gone"))
            }
            Err(e) => return Err(e.into()),
            Ok(_) => {}
        }
    }
    let mut counts = (plan.workflows.len(), plan.schedules.len(), plan.collections.len());
    if stale.is_empty() {
        let assets = client.users().get_user_assets(&plan.user_id, GetUserAssetsOptions::default()).await?;
        for (kind, planned, now) in [
            ("workflow", &plan.workflows, ids(&assets.workflows)),
            ("schedule", &plan.schedules, ids(&assets.schedules)),
            ("collection", &plan.collections, ids(&assets.collections)),
        ] {
            for id in planned.iter().filter(|id| !now.contains(id)) {
                stale.push(format!("the {kind} {id} is no longer {}'s", plan.user));
            }
            for id in now.iter().filter(|id| !planned.contains(id)) {
                stale.push(format!("{} now owns the {kind} {id}, which the plan does not list", plan.user));
            }
        }
        counts = (ids(&assets.workflows).len(), ids(&assets.schedules).len(), ids(&assets.collections).len());
    }
    crate::commands::plan::refuse_if_stale(&stale, "ayx users offboard ... --plan-out FILE")?;
    let summary = format!(
        "{} owns {} workflow(s), {} schedule(s) and {} collection(s), as planned",
        plan.user, counts.0, counts.1, counts.2
    );
    let users = ((plan.user_id.as_str(), &plan.user), (plan.new_owner_id.as_str(), &plan.to));
    transfer(context, &client, (users.0.0, users.0.1), (users.1.0, users.1.1), plan.deactivate, counts, &summary).await
}

/// Asks, transfers every asset of `leaving` to `owner` (ids and the names given), deactivates
/// when asked, and reports.
async fn transfer(
    context: &Context,
    client: &alteryx_server::Client,
    (leaving, user): (&str, &str),
    (owner, to): (&str, &str),
    deactivate: bool,
    (workflows, schedules, collections): (usize, usize, usize),
    summary: &str,
) -> Result<(), CliError> {
    let out = context.out;
    let (leaving, owner) = (leaving.to_string(), owner.to_string());
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

fn print_assets(assets: &UserAssets) {
    for (kind, list) in
        [("workflow", &assets.workflows), ("schedule", &assets.schedules), ("collection", &assets.collections)]
    {
        for asset in list.iter().flatten() {
            println!("  {kind:<10} {}  {}", asset.id.as_deref().unwrap_or("?"), asset.name.as_deref().unwrap_or(""));
        }
    }
}
