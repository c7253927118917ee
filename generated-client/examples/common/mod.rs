//! How the examples connect: `ALTERYX_SERVER` (a host name such as `my-server.example.com`, or
//! a base URL such as `https://my-server.example.com/webapi`), `ALTERYX_API_KEY` and
//! `ALTERYX_API_SECRET` (the key and secret from your profile's "Keys" page).
//! `ALTERYX_ALLOW_HTTP=1` allows a plain-http base URL (for a local test server only).

use alteryx_server::{Client, server_url};

/// A client for the server the environment names, authenticating with client credentials.
pub fn client_from_env() -> Result<Client, Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name} (see examples/common/mod.rs)"));
    let server = var("ALTERYX_SERVER")?;
    let base_url = if server.contains("://") { server } else { server_url(&server) };
    let client = Client::builder(base_url)
        .client_credentials(var("ALTERYX_API_KEY")?, var("ALTERYX_API_SECRET")?)
        .allow_insecure_http(std::env::var("ALTERYX_ALLOW_HTTP").is_ok_and(|v| v == "1"))
        .build()?;
    Ok(client)
}
