//! What every command shares: how to print ([`Output`]), progress bars, the chosen profile and
//! its client, and asking before a change ([`Context::confirm`]).

use std::path::PathBuf;

use alteryx_server::Client;

use crate::config::{Connection, Environment};
use crate::exit::CliError;
use crate::output::Output;
use crate::progress::Progress;

/// What every command needs.
pub struct Context {
    /// How to print results.
    pub out: Output,
    /// Progress bars (hidden when standard error is not a terminal).
    pub progress: Progress,
    /// The config file.
    pub config_path: PathBuf,
    /// `--profile`.
    pub profile: Option<String>,
    /// `--yes`.
    pub yes: bool,
}

impl Context {
    /// The connection of the chosen profile, the environment on top.
    pub fn connection(&self) -> Result<Connection, CliError> {
        let config = crate::config::load(&self.config_path)?;
        crate::config::resolve(&config, self.profile.as_deref(), &Environment::read())
    }

    /// A client for the chosen profile.
    pub fn client(&self) -> Result<Client, CliError> {
        client_for(&self.connection()?)
    }

    /// A client for the named profile (no environment override: `migrate` talks to two servers).
    pub fn client_of(&self, profile: &str) -> Result<(Client, Connection), CliError> {
        let config = crate::config::load(&self.config_path)?;
        let connection = crate::config::resolve(&config, Some(profile), &Environment::default())?;
        Ok((client_for(&connection)?, connection))
    }

    /// Asks before a change: yes with `--yes`; on a terminal, the user's answer; with no terminal
    /// to ask on, a refusal that says to add `--yes`.
    pub fn confirm(&self, question: &str) -> Result<(), CliError> {
        use std::io::{BufRead, IsTerminal, Write};
        if self.yes {
            return Ok(());
        }
        if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
            return Err(CliError::Exit {
                message: format!(
                    "{question}: this changes the server; there is no terminal to ask on, so run it again with --yes"
                ),
                code: crate::exit::DECLINED,
            });
        }
        eprint!("{question} [y/N] ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer).map_err(|e| CliError::io("cannot read the answer", e))?;
        if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
            Ok(())
        } else {
            Err(CliError::Exit { message: "not confirmed: nothing was changed".into(), code: crate::exit::DECLINED })
        }
    }
}

/// A user's id from an id or an email (looked up with the user list's email filter).
pub async fn user_id(client: &Client, who: &str) -> Result<String, CliError> {
    if !who.contains('@') {
        return Ok(who.to_string());
    }
    let users =
        client.users().get_users(alteryx_server::operations::GetUsersOptions::default().email(who.to_string())).await?;
    let matching: Vec<&alteryx_server::types::UserDetail> =
        users.iter().filter(|u| u.email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(who))).collect();
    match matching.as_slice() {
        [one] => one.id.clone().ok_or_else(|| CliError::Usage(format!("the user {who} has no id"))),
        [] => Err(CliError::Usage(format!("no user with the email {who}"))),
        _ => Err(CliError::Usage(format!("several users have the email {who}: give an id"))),
    }
}

/// A client for a connection.
pub fn client_for(connection: &Connection) -> Result<Client, CliError> {
    Ok(client_builder(connection)?.build()?)
}

/// What allows plain HTTP, for the messages that refuse it.
pub const HTTP_FIX: &str = "use https://, or allow plain HTTP for a test server: `insecure_http = true` in the profile (`ayx config add NAME --url http://... --insecure-http`), or AYX_INSECURE_HTTP=1 for one run";

/// Whether the connection may use plain HTTP: the profile's `insecure_http`, or
/// `AYX_INSECURE_HTTP=1` (local test servers).
pub fn insecure_http(connection: &Connection) -> bool {
    connection.insecure_http || std::env::var("AYX_INSECURE_HTTP").is_ok_and(|v| v == "1")
}

/// The builder of a connection's client: OAuth2 client credentials, the profile's token URL and
/// certificate authorities, plain HTTP only where [`insecure_http`] allows it.
pub fn client_builder(connection: &Connection) -> Result<alteryx_server::ClientBuilder, CliError> {
    let insecure = insecure_http(connection);
    refuse_plain_http(connection, &connection.url)?;
    crate::records::server(&connection.profile, &connection.url);
    let mut builder = Client::builder(&connection.url)
        .client_credentials(&connection.key, &connection.secret)
        .allow_insecure_http(insecure)
        .interceptor(crate::records::log().clone());
    if let Some(url) = &connection.token_url {
        builder = builder.token_url(url);
    }
    if let Some(pem) = ca_pem(connection)? {
        builder = builder.root_certificates(pem);
    }
    Ok(builder)
}

/// Refuses `url` when it is plain HTTP and the connection does not allow it, saying what does.
pub fn refuse_plain_http(connection: &Connection, url: &str) -> Result<(), CliError> {
    if url.starts_with("http://") && !insecure_http(connection) {
        return Err(CliError::Config(format!("`{url}` is plain HTTP: {HTTP_FIX}")));
    }
    Ok(())
}

/// The certificate authorities the profile names (`ca_file`), PEM.
pub fn ca_pem(connection: &Connection) -> Result<Option<Vec<u8>>, CliError> {
    let Some(path) = &connection.ca_file else { return Ok(None) };
    std::fs::read(path)
        .map(Some)
        .map_err(|e| CliError::Config(format!("cannot read the profile's ca_file {}: {e}", path.display())))
}
