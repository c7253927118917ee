//! `ayx api-diff`: what this server really serves, against what this client was generated from.
//! Servers describe themselves under `/webapi/swagger` (a Swagger UI page that names its
//! document's URL); the document (Swagger 2.0 or OpenAPI 3.x) is read by the generator's own
//! pipeline (`codegen`, the `api-diff` feature) and compared with the client's spec and overlays,
//! embedded at build time: by group, the operations the server lacks, the ones only it has, and
//! the fields, parameters and enum values that differ. For a maintainer it is the first draft of
//! the next overlay.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::context::Context;
use crate::exit::{self, CliError};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/spec.rs"));
}

#[derive(Debug, Args)]
pub struct ApiDiffArgs {
    /// The server's API document, when its Swagger page cannot be followed (a URL, or a file).
    #[arg(long, value_name = "URL|FILE")]
    pub spec_url: Option<String>,
    /// Also list changes that only touch documentation.
    #[arg(long)]
    pub docs: bool,
}

pub async fn run(context: &Context, args: ApiDiffArgs) -> Result<(), CliError> {
    let connection = context.connection()?;
    let (origin, text) = match &args.spec_url {
        Some(spec) if !spec.contains("://") => {
            let text = std::fs::read_to_string(spec).map_err(|e| CliError::io(format!("cannot read {spec}"), e))?;
            (spec.clone(), text)
        }
        Some(url) => (url.clone(), fetch(&connection, url).await?),
        None => server_document(&connection).await?,
    };
    let ours = client_api()?;
    let theirs = codegen::api_from_source(&codegen::Source { path: PathBuf::from(&origin), text }).map_err(|e| {
        CliError::Exit { message: format!("the server's document cannot be read: {e}"), code: exit::FAILURE }
    })?;
    let mut report = codegen::diff::diff(&ours, &theirs);
    if !args.docs {
        report.changes.retain(|c| c.impact != codegen::diff::Impact::Documentation);
    }
    if context.out.json {
        let changes: Vec<serde_json::Value> = report
            .changes
            .iter()
            .map(|c| serde_json::json!({"group": c.section, "kind": kind(c), "text": c.text}))
            .collect();
        context.out.json(&serde_json::json!({"document": origin, "changes": changes, "notes": report.notes}));
        return Ok(());
    }
    println!("{}", explain(&report, &origin));
    Ok(())
}

/// What a change means seen from the server: `server_lacks`, `server_only`, `differs`, `docs`.
fn kind(change: &codegen::diff::Change) -> &'static str {
    if change.text.starts_with("operation") && change.text.contains(" removed (") {
        "server_lacks"
    } else if change.text.starts_with("new operation") {
        "server_only"
    } else if change.impact == codegen::diff::Impact::Documentation {
        "docs"
    } else {
        "differs"
    }
}

/// The report for people: by group, what the server lacks, what only it has, what differs.
fn explain(report: &codegen::diff::Report, origin: &str) -> String {
    use std::fmt::Write;
    let mut out = format!("this client (its spec and overlays) against {origin}\n");
    if report.changes.is_empty() {
        out.push_str("no difference: the server serves what the client was generated from\n");
        return out;
    }
    let mut section = "";
    for change in &report.changes {
        if change.section != section {
            section = &change.section;
            let _ = writeln!(out, "\n{section}");
        }
        let label = match kind(change) {
            "server_lacks" => "server lacks",
            "server_only" => "server only ",
            "docs" => "docs        ",
            _ => "differs     ",
        };
        let _ = writeln!(out, "  {label}  {}", change.text.replace('`', ""));
    }
    for note in &report.notes {
        let _ = writeln!(out, "note: {}", note.replace('`', ""));
    }
    out.push_str(
        "\n(\"differs\" reads old → new as client → server. For a maintainer: each line is a candidate for an overlay in spec/overlays/.)\n",
    );
    out
}

/// The document the server's Swagger page names, and its URL.
pub async fn server_document(connection: &crate::config::Connection) -> Result<(String, String), CliError> {
    let page_url = format!("{}/swagger", connection.url.trim_end_matches('/'));
    let page = fetch(connection, &page_url).await?;
    let url = document_url(&page, &page_url).ok_or_else(|| CliError::Exit {
        message: format!(
            "{page_url} names no API document (no swagger.json or /swagger/docs/ URL in it): give it with --spec-url URL"
        ),
        code: exit::FAILURE,
    })?;
    let text = fetch(connection, &url).await?;
    Ok((url, text))
}

/// The client's own API: its spec with its overlays, as the generator lowered them.
fn client_api() -> Result<codegen::ir::Api, CliError> {
    let source = |(path, text): &(&str, &str)| codegen::Source { path: PathBuf::from(path), text: text.to_string() };
    let overlays: Vec<codegen::Source> = embedded::OVERLAYS.iter().map(source).collect();
    codegen::api_from_sources(&source(&embedded::SPEC), &overlays)
        .map_err(|e| CliError::Exit { message: format!("the embedded spec: {e}"), code: exit::FAILURE })
}

/// The URL of the API document a Swagger UI page names (`url: "/webapi/swagger/docs/v3"`,
/// `"url":"swagger.json"`...), made absolute against the page's URL.
pub fn document_url(page: &str, page_url: &str) -> Option<String> {
    let quoted = page.split(['"', '\'']).skip(1).step_by(2);
    let found = quoted
        .filter(|s| !s.contains(char::is_whitespace) && !s.is_empty())
        .find(|s| s.ends_with("swagger.json") || s.ends_with("openapi.json") || s.contains("/swagger/docs/"))?;
    Some(absolute(found, page_url))
}

fn absolute(found: &str, page_url: &str) -> String {
    if found.contains("://") {
        return found.to_string();
    }
    let (scheme, rest) = page_url.split_once("://").unwrap_or(("https", page_url));
    let host = rest.split('/').next().unwrap_or(rest);
    if let Some(path) = found.strip_prefix('/') {
        return format!("{scheme}://{host}/{path}");
    }
    let base = page_url.rsplit_once('/').map_or(page_url, |(b, _)| b);
    format!("{base}/{found}")
}

/// GETs `url` (the profile's authorities trusted; no credentials: the document is public on
/// servers that serve it).
async fn fetch(connection: &crate::config::Connection, url: &str) -> Result<String, CliError> {
    crate::context::refuse_plain_http(connection, url)?;
    let mut builder = reqwest::Client::builder().timeout(Duration::from_secs(60));
    if let Some(pem) = crate::context::ca_pem(connection)? {
        for cert in reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| CliError::Config(e.to_string()))? {
            builder = builder.add_root_certificate(cert);
        }
    }
    let client = builder.build().map_err(|e| CliError::Config(e.to_string()))?;
    let failed = |e: reqwest::Error| CliError::Exit { message: format!("{url}: {e}"), code: exit::FAILURE };
    let response = client.get(url).send().await.map_err(failed)?;
    let status = response.status();
    if !status.is_success() {
        return Err(CliError::Exit { message: format!("{url} answered {status}"), code: exit::API });
    }
    response.text().await.map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_found_in_a_swagger_ui_page() {
        let page = r#"<script>window.onload = function() { SwaggerUIBundle({ url: "/webapi/swagger/docs/v3", dom_id: '#ui' }) }</script>"#;
        assert_eq!(
            document_url(page, "https://ayx.example.com/webapi/swagger").as_deref(),
            Some("https://ayx.example.com/webapi/swagger/docs/v3")
        );
        let relative = r#"{"urls":[{"url":"v3/swagger.json","name":"V3"}]}"#;
        assert_eq!(
            document_url(relative, "https://ayx.example.com/webapi/swagger/index.html").as_deref(),
            Some("https://ayx.example.com/webapi/swagger/v3/swagger.json")
        );
        assert_eq!(document_url("<html>no document here</html>", "https://h/webapi/swagger"), None);
    }

    #[test]
    fn the_embedded_spec_lowers_to_the_clients_97_operations() {
        assert_eq!(client_api().unwrap().operations().count(), 97);
    }
}
