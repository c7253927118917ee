//! `ayx groups`: user groups and their members. Changes ask first (see `Context::confirm`).

use alteryx_server::operations::DeleteUserGroupOptions;
use alteryx_server::types::{CreateUserGroupContract, Role};
use serde_json::json;

use super::{Context, user_id};
use crate::args::{GroupRole, GroupsCommand};
use crate::exit::CliError;

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
            let id = groups.create_user_group(&CreateUserGroupContract::new(name, role_of(role))).await?;
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

fn role_of(role: GroupRole) -> Role {
    match role {
        GroupRole::NoAccess => Role::NoAccess,
        GroupRole::Viewer => Role::Viewer,
        GroupRole::Member => Role::Member,
        GroupRole::Artisan => Role::Artisan,
        GroupRole::Curator => Role::Curator,
        GroupRole::Evaluated => Role::Evaluated,
    }
}
