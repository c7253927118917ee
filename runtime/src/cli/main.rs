//! A generated crate's command line as a program of its own (`cargo xtask generate --cli` writes
//! one beside the client): the connection from `--base-url` and the environment, the commands of
//! [`mount`](super::mount), the answer on standard output, progress on standard error, and the
//! exit codes of [`Failure::exit_code`].

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Arg;

use super::{Api, Failure, Output, StderrProgress};
use crate::client::{Client, ClientBuilder, ClientNames};

/// What a generated program needs of its crate.
#[derive(Debug)]
pub struct Standalone {
    /// The crate's user agent and span names.
    pub names: &'static ClientNames,
    /// The crate's name (`petstore_api`): its environment variables start with it in capitals
    /// (`PETSTORE_API_BASE_URL`).
    pub crate_name: &'static str,
    /// The spec's server URL, when it names one without variables.
    pub default_url: Option<&'static str>,
}

/// Parses the program's arguments, runs the command, and says how it went.
pub fn main(api: &'static Api, program: &Standalone) -> ExitCode {
    let prefix = program.crate_name.to_ascii_uppercase();
    let var = |name: &str| format!("{prefix}_{name}");
    let env = |name: &str| std::env::var(var(name)).ok().filter(|v| !v.is_empty());
    let after = format!(
        "Connection: --base-url or {base}{default}; credentials from {token} (a bearer token), or {id} and {secret} \
(OAuth2 client credentials, from {token_url} if set); {headers} adds headers (`Name: value`, one a line, for API keys \
and the like) and {query} query parameters (`name=value&...`) to every request; {insecure}=1 allows plain http.\n\n\
Exit codes: 0 success; 1 failure (network, local files); 2 usage (nothing was sent); 3 the server refused the request; \
5 timed out; 6 configuration missing.",
        base = var("BASE_URL"),
        default = program.default_url.map(|u| format!(" (default {u})")).unwrap_or_default(),
        token = var("TOKEN"),
        id = var("CLIENT_ID"),
        secret = var("CLIENT_SECRET"),
        token_url = var("TOKEN_URL"),
        insecure = var("INSECURE_HTTP"),
        headers = var("HEADERS"),
        query = var("QUERY"),
    );
    let tree = clap::Command::new(program.crate_name.replace('_', "-"))
        .after_help(after)
        .arg(Arg::new("base-url").long("base-url").global(true).value_name("URL").help("The API's base URL"));
    let matches = match super::mount(api, tree).try_get_matches() {
        Ok(matches) => matches,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let url = matches.get_one::<String>("base-url").cloned().or_else(|| env("BASE_URL"));
    let Some(url) = url.or(program.default_url.map(str::to_owned)) else {
        eprintln!("error: no base URL: give --base-url or set {}", var("BASE_URL"));
        return ExitCode::from(6);
    };
    let mut builder = ClientBuilder::<Client>::new(url, program.names)
        .allow_insecure_http(env("INSECURE_HTTP").is_some_and(|v| v == "1"));
    if let Some(token) = env("TOKEN") {
        builder = builder.bearer_token(token);
    } else if let (Some(id), Some(secret)) = (env("CLIENT_ID"), env("CLIENT_SECRET")) {
        builder = builder.client_credentials(id, secret);
        if let Some(url) = env("TOKEN_URL") {
            builder = builder.token_url(url);
        }
    }
    let result = async {
        let client = extras(builder.build()?, env("HEADERS"), env("QUERY"))?;
        let mut out = std::io::stdout();
        let terminal = out.is_terminal();
        let mut output = Output { out: &mut out, terminal, progress: &StderrProgress };
        super::run(api, &client, &matches, &mut output).await
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    let result = match runtime {
        Ok(runtime) => runtime.block_on(result),
        Err(e) => Err(Failure::Io { context: "cannot start".into(), source: e }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// `client` with the headers (`Name: value` lines) and query parameters (`a=b&c=d`) the
/// environment adds to every request.
fn extras(mut client: Client, headers: Option<String>, query: Option<String>) -> Result<Client, Failure> {
    for line in headers.iter().flat_map(|h| h.lines()).filter(|l| !l.trim().is_empty()) {
        let Some((name, value)) = line.split_once(':') else {
            return Err(Failure::Usage(format!("a header is `Name: value`, not `{line}`")));
        };
        client = client.with_header(name.trim(), value.trim())?;
    }
    for pair in query.iter().flat_map(|q| q.split('&')).filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        client = client.with_query(name, value);
    }
    Ok(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_adds_headers_and_query_parameters() {
        let client = Client::builder("http://127.0.0.1:1").allow_insecure_http(true).build().unwrap();
        let headers = Some("X-Api-Key: k1\n\nCookie: sid=2".to_string());
        let with = extras(client.clone(), headers, Some("api_key=k2&debug".into())).unwrap();
        let headers: Vec<(&str, &str)> =
            with.extra.headers.iter().map(|(n, v)| (n.as_str(), v.to_str().unwrap())).collect();
        assert_eq!(headers, [("x-api-key", "k1"), ("cookie", "sid=2")]);
        assert_eq!(with.extra.query, [("api_key".to_string(), "k2".to_string()), ("debug".into(), String::new())]);
        let bad = extras(client, Some("no colon".into()), None).unwrap_err();
        assert_eq!(bad.exit_code(), 2, "{bad}");
    }
}
