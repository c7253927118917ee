//! `ayx config`: add, list, remove and choose profiles, and show what a command would connect to.
//! Secrets go in through standard input or a file, never the command line (shell histories keep
//! command lines), and never come out.

use std::io::Read;

use serde_json::json;

use crate::config::{self, Environment, Profile, secret_source};
use crate::context::Context;
use crate::exit::CliError;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Add (or replace) a profile. The secret is read from standard input or kept in a file of its own, never given on the command line.
    #[command(after_help = concat!(
        "Examples:\n",
        "  ayx config add prod --url https://alteryx.example.com/webapi --key KEY --secret-stdin < secret.txt\n",
        "  ayx config add dev --url https://dev.example.com/webapi --key KEY --secret-file ~/.ayx/dev.secret --default",
    ))]
    Add {
        /// The profile's name.
        name: String,
        /// The API's base URL (https://SERVER/webapi).
        #[arg(long)]
        url: String,
        /// The API key (your profile's "Keys" page).
        #[arg(long)]
        key: String,
        /// Read the API secret from standard input and keep it in the config file (written readable by you only).
        #[arg(long, conflicts_with = "secret_file")]
        secret_stdin: bool,
        /// Keep the API secret in this file (it must be readable by you only).
        #[arg(long, value_name = "PATH")]
        secret_file: Option<PathBuf>,
        /// The OAuth2 token URL, when it is not URL/oauth2/token.
        #[arg(long)]
        token_url: Option<String>,
        /// Allow a plain http:// URL (local test servers only).
        #[arg(long)]
        insecure_http: bool,
        /// Trust the certificate authorities in this PEM file besides the system's (a server
        /// whose certificate an in-house authority signed).
        #[arg(long, value_name = "PATH")]
        ca_file: Option<PathBuf>,
        /// Make it the default profile.
        #[arg(long)]
        default: bool,
    },
    /// List the profiles (secrets are never shown).
    #[command(after_help = "Example:\n  ayx config list --json")]
    List,
    /// Remove a profile.
    #[command(after_help = "Example:\n  ayx config remove dev")]
    Remove {
        /// The profile's name.
        name: String,
    },
    /// Make a profile the default.
    #[command(after_help = "Example:\n  ayx config use prod")]
    Use {
        /// The profile's name.
        name: String,
    },
    /// Show the connection a command would use, with where each value comes from (not the secret).
    #[command(after_help = "Example:\n  AYX_PROFILE=dev ayx config show")]
    Show,
}

pub fn run(context: &Context, command: ConfigCommand) -> Result<(), CliError> {
    let path = &context.config_path;
    let out = context.out;
    match command {
        ConfigCommand::Add {
            name,
            url,
            key,
            secret_stdin,
            secret_file,
            token_url,
            insecure_http,
            ca_file,
            default,
        } => {
            if !(url.starts_with("https://") || (insecure_http && url.starts_with("http://"))) {
                return Err(CliError::Usage(format!(
                    "`{url}` must start with https:// (http:// only with --insecure-http, for local test servers)"
                )));
            }
            let secret = if secret_stdin {
                let mut text = String::new();
                std::io::stdin().read_to_string(&mut text).map_err(|e| CliError::io("cannot read the secret", e))?;
                let secret = text.lines().next().unwrap_or_default().trim().to_string();
                if secret.is_empty() {
                    return Err(CliError::Usage("no secret on standard input".into()));
                }
                Some(secret)
            } else {
                None
            };
            let mut file = config::load(path)?;
            let first = file.profiles.is_empty();
            file.profiles
                .insert(name.clone(), Profile { url, key, secret, secret_file, token_url, insecure_http, ca_file });
            if default || first {
                file.default = Some(name.clone());
            }
            config::save(path, &file)?;
            out.say(format!("profile `{name}` saved in {}", path.display()));
            if out.json {
                out.json(&json!({"profile": name, "config": path}));
            }
            Ok(())
        }
        ConfigCommand::List => {
            let file = config::load(path)?;
            let rows: Vec<_> = file
                .profiles
                .iter()
                .map(|(name, p)| {
                    json!({
                        "name": name,
                        "url": p.url,
                        "key": p.key,
                        "secret": secret_source(p),
                        "default": file.default.as_deref() == Some(name.as_str()),
                    })
                })
                .collect();
            out.list(
                &rows,
                &[("NAME", "name"), ("URL", "url"), ("KEY", "key"), ("SECRET", "secret"), ("DEFAULT", "default")],
            );
            Ok(())
        }
        ConfigCommand::Remove { name } => {
            let mut file = config::load(path)?;
            if file.profiles.remove(&name).is_none() {
                return Err(CliError::Config(format!("no profile named `{name}`")));
            }
            if file.default.as_deref() == Some(name.as_str()) {
                file.default = None;
            }
            config::save(path, &file)?;
            out.say(format!("profile `{name}` removed"));
            Ok(())
        }
        ConfigCommand::Use { name } => {
            let mut file = config::load(path)?;
            if !file.profiles.contains_key(&name) {
                return Err(CliError::Config(format!("no profile named `{name}`")));
            }
            file.default = Some(name.clone());
            config::save(path, &file)?;
            out.say(format!("`{name}` is the default profile"));
            Ok(())
        }
        ConfigCommand::Show => {
            let file = config::load(path)?;
            let env = Environment::read();
            let connection = config::resolve(&file, context.profile.as_deref(), &env)?;
            let from = |overridden: bool| if overridden { "environment" } else { "profile" };
            let shown = json!({
                "profile": connection.profile,
                "config": path,
                "url": connection.url,
                "url_from": from(env.url.is_some()),
                "key": connection.key,
                "key_from": from(env.key.is_some()),
                "secret_from": if env.secret.is_some() { "AYX_SECRET" } else if env.secret_file.is_some() { "AYX_SECRET_FILE" } else { "profile" },
                "token_url": connection.token_url,
                "ca_file": connection.ca_file,
            });
            out.object(
                &shown,
                &[
                    ("profile", "profile"),
                    ("config", "config"),
                    ("url", "url"),
                    ("  from", "url_from"),
                    ("key", "key"),
                    ("  from", "key_from"),
                    ("secret from", "secret_from"),
                    ("token url", "token_url"),
                    ("ca file", "ca_file"),
                ],
            );
            Ok(())
        }
    }
}
