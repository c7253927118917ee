//! Owners by name in tables: rows that carry an `ownerId` get an `owner` column with the
//! owner's email (or name), from one user list per run, kept for the rest of the run. JSON
//! output keeps the API's ids and makes no lookup. A key that may not list users (or a user the
//! list lacks) shows the id, as before.

use std::collections::HashMap;

use alteryx_server::Client;
use alteryx_server::operations::GetUsersOptions;
use serde::Serialize;
use serde_json::Value;
use tokio::sync::OnceCell;

/// The users of this run's server, by id: their email, or their name.
async fn directory(client: &Client) -> &'static HashMap<String, String> {
    static USERS: OnceCell<HashMap<String, String>> = OnceCell::const_new();
    USERS
        .get_or_init(|| async {
            let Ok(users) = client.users().get_users(GetUsersOptions::default()).await else {
                return HashMap::new();
            };
            users
                .into_iter()
                .filter_map(|u| {
                    let name = [u.first_name.as_deref(), u.last_name.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    let shown = u.email.filter(|e| !e.is_empty()).or((!name.is_empty()).then_some(name))?;
                    Some((u.id?, shown))
                })
                .collect()
        })
        .await
}

/// `rows` as JSON, each with `owner`: its owner's email or name, or its `ownerId`.
pub async fn named<T: Serialize>(client: &Client, rows: &[T]) -> Vec<Value> {
    let mut values: Vec<Value> = rows.iter().map(|r| serde_json::to_value(r).unwrap_or(Value::Null)).collect();
    if !values.iter().any(|v| v["ownerId"].is_string()) {
        return values;
    }
    let users = directory(client).await;
    for value in &mut values {
        let Some(id) = value["ownerId"].as_str() else { continue };
        let shown = users.get(id).cloned().unwrap_or_else(|| id.to_string());
        if let Value::Object(map) = value {
            map.insert("owner".into(), Value::String(shown));
        }
    }
    values
}
