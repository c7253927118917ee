//! `ayx groups`: user groups and their members. Changes ask first (see `Context::confirm`).

use alteryx_server::operations::DeleteUserGroupOptions;
use alteryx_server::types::{CreateUserGroupContract, Role};
use serde_json::json;

use crate::args::EnumArg;
use crate::context::{Context, user_id};
use crate::exit::CliError;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum GroupsCommand {
    /// List user groups.
    #[command(after_help = "Example:\n  ayx groups list --json")]
    List,
    /// Show a user group and its members.
    #[command(after_help = "Example:\n  ayx groups get 6512a7c3e4b0a1b2c3d4e5f9")]
    Get {
        /// The group id.
        id: String,
    },
    /// Create a user group; prints its id.
    #[command(after_help = concat!("Example:\n  ayx groups create \"Finance analysts\" --role artisan --yes\n", crate::changes!()))]
    Create {
        /// The group's name.
        name: String,
        /// The role its members have at least.
        #[arg(long, value_parser = EnumArg::<Role>::new(), default_value = "Viewer")]
        role: Role,
    },
    /// Add users (ids or emails) to a group.
    #[command(
        name = "add-users",
        after_help = concat!(
            "Example:\n  ayx groups add-users 6512a7c3e4b0a1b2c3d4e5f9 ada@example.com grace@example.com --yes\n",
            crate::changes!(),
        )
    )]
    AddUsers {
        /// The group id.
        id: String,
        /// The users: ids or emails.
        #[arg(required = true)]
        users: Vec<String>,
    },
    /// Remove a user (id or email) from a group.
    #[command(
        name = "remove-user",
        after_help = concat!(
            "Example:\n  ayx groups remove-user 6512a7c3e4b0a1b2c3d4e5f9 ada@example.com --yes\n",
            crate::changes!(),
        )
    )]
    RemoveUser {
        /// The group id.
        id: String,
        /// The user: an id or an email.
        user: String,
    },
    /// Delete a user group.
    #[command(after_help = concat!("Example:\n  ayx groups delete 6512a7c3e4b0a1b2c3d4e5f9 --force --yes\n", crate::changes!()))]
    Delete {
        /// The group id.
        id: String,
        /// Delete it even when it still has members or shares.
        #[arg(long)]
        force: bool,
    },
}

pub async fn run(context: &Context, command: GroupsCommand) -> Result<(), CliError> {
    let client = context.client()?;
    let out = context.out;
    let groups = client.user_groups();
    match command {
        GroupsCommand::List => {
            let all = groups.get_user_groups().await?;
            out.list(&all, &[("ID", "id"), ("NAME", "name"), ("ROLE", "role")]);
        }
        GroupsCommand::Get { id } => {
            let group = groups.get_user_group(&id).await?;
            if out.json {
                out.json(&group);
            } else {
                out.object(&group, &[("id", "id"), ("name", "name"), ("role", "role"), ("created", "dateAdded")]);
                let members = group.members.unwrap_or_default();
                println!("members: {}", members.len());
                for m in &members {
                    let who = m
                        .user_id
                        .clone()
                        .or_else(|| m.active_directory_object.as_ref().and_then(|a| a.display_name.clone()))
                        .unwrap_or_default();
                    println!("  {who}");
                }
            }
        }
        GroupsCommand::Create { name, role } => {
            context.confirm(&format!("Create the user group {name:?}?"))?;
            let id = groups.create_user_group(&CreateUserGroupContract::new(name, role)).await?;
            out.say(&id);
            if out.json {
                out.json(&json!({ "id": id }));
            }
        }
        GroupsCommand::AddUsers { id, users } => {
            let mut ids = Vec::new();
            for user in &users {
                ids.push(user_id(&client, user).await?);
            }
            context.confirm(&format!("Add {} user(s) to the group {id}?", ids.len()))?;
            let added = groups.add_users_to_user_group(&id, &ids).await?;
            if out.json {
                out.json(&added);
            } else {
                println!(
                    "added {} of {} user(s)",
                    added.successfully_added_user_count.unwrap_or_default(),
                    added.total_users_submitted_count.unwrap_or(ids.len() as i64)
                );
                for (user, reason) in added.failed_user_reasons.iter().flatten() {
                    println!("  not added: {user}: {}", crate::output::cell(reason));
                }
            }
        }
        GroupsCommand::RemoveUser { id, user } => {
            let user = user_id(&client, &user).await?;
            context.confirm(&format!("Remove the user {user} from the group {id}?"))?;
            let group = groups.remove_user_from_user_group(&id, &user).await?;
            out.say(format!("removed {user} from {id}"));
            if out.json {
                out.json(&group);
            }
        }
        GroupsCommand::Delete { id, force } => {
            context.confirm(&format!("Delete the user group {id}?"))?;
            groups.delete_user_group(&id, DeleteUserGroupOptions::default().force_delete(force)).await?;
            out.say(format!("deleted {id}"));
            if out.json {
                out.json(&json!({ "deleted": id }));
            }
        }
    }
    Ok(())
}
