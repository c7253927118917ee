//! `ayx doctor`: what stands between this machine and a working server, checked in the order a
//! request meets it (the config file and the profile, the name, a TCP connection, the proxy,
//! TLS, the token endpoint and the clock, each API family the commands use), each finding with
//! its fix. `--json` gives the findings as data; the exit code is 0 only when everything the
//! commands need works (an API family that only some commands use, or a clock a little off, is
//! a warning).

mod api;
mod net;

use std::time::Duration;

use alteryx_server::{Error, RetryPolicy};
use clap::Args;
use serde::Serialize;

use crate::config::Connection;
use crate::context::Context;
use crate::exit::{self, CliError};
use api::{FAMILIES, Reach, TokenWatch};
use net::Target;

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// How long each network check may wait.
    #[arg(long, default_value = "10s", value_parser = crate::args::duration, value_name = "DURATION")]
    pub timeout: Duration,
}

/// How a check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// It works.
    Ok,
    /// It works, or is not needed by every command, but something deserves attention.
    Warning,
    /// It does not work.
    Failed,
    /// Not checked: a check it depends on failed.
    Skipped,
}

/// One finding: what was checked, how it went, what was seen, and what to do.
#[derive(Debug, Serialize)]
pub struct Finding {
    /// `profile`, `dns`, `tcp`, `tls`, `token`, `clock`, `api v3`...
    pub check: String,
    /// How it went.
    pub status: Status,
    /// What was seen.
    pub detail: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// For an API family: reachable, refused or absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reach: Option<Reach>,
}

/// The findings so far, and the exit code of the first failure.
#[derive(Default)]
struct Report {
    findings: Vec<Finding>,
    code: Option<u8>,
}

impl Report {
    fn add(&mut self, check: &str, status: Status, detail: impl Into<String>, fix: Option<String>) {
        self.findings.push(Finding { check: check.into(), status, detail: detail.into(), fix, reach: None });
    }

    fn ok(&mut self, check: &str, detail: impl Into<String>) {
        self.add(check, Status::Ok, detail, None);
    }

    fn warn(&mut self, check: &str, detail: impl Into<String>, fix: impl Into<String>) {
        self.add(check, Status::Warning, detail, Some(fix.into()));
    }

    fn fail(&mut self, check: &str, code: u8, detail: impl Into<String>, fix: impl Into<String>) {
        self.code.get_or_insert(code);
        self.add(check, Status::Failed, detail, Some(fix.into()));
    }

    fn skip(&mut self, checks: &[&str], why: &str) {
        for check in checks {
            self.add(check, Status::Skipped, why, None);
        }
    }
}

/// The checks after the profile, in order (skipped together when an earlier one fails).
const NETWORK: [&str; 5] = ["dns", "tcp", "tls", "token", "clock"];

pub async fn run(context: &Context, args: DoctorArgs) -> Result<(), CliError> {
    let mut report = Report::default();
    if let Some(connection) = profile(context, &mut report) {
        server(&connection, args.timeout, &mut report).await;
    } else {
        let families: Vec<&str> = FAMILIES.iter().map(|f| f.name).collect();
        report.skip(&[&NETWORK[..], &families].concat(), "no usable profile");
    }
    let failed = report.findings.iter().filter(|f| f.status == Status::Failed).count();
    if context.out.json {
        context.out.json(&serde_json::json!({ "ok": failed == 0, "findings": report.findings }));
    } else {
        print(&report.findings);
    }
    match report.code {
        None => Ok(()),
        Some(code) => Err(CliError::Exit {
            message: format!("{failed} check{} failed", if failed == 1 { "" } else { "s" }),
            code,
        }),
    }
}

/// The findings for people: one line each, the fix below it.
fn print(findings: &[Finding]) {
    let width = findings.iter().map(|f| f.check.len()).max().unwrap_or(0);
    for finding in findings {
        let mark = match finding.status {
            Status::Ok => "ok  ",
            Status::Warning => "warn",
            Status::Failed => "FAIL",
            Status::Skipped => "skip",
        };
        println!("{mark}  {:width$}  {}", finding.check, finding.detail);
        if let Some(fix) = &finding.fix {
            println!("      {:width$}  fix: {fix}", "");
        }
    }
}

/// The config file and the profile: a connection to check, or `None` after saying why not.
fn profile(context: &Context, report: &mut Report) -> Option<Connection> {
    let path = &context.config_path;
    match crate::config::load(path) {
        Ok(_) => report.ok("config", config_detail(path)),
        Err(e) => {
            report.fail(
                "config",
                exit::CONFIG,
                e.to_string(),
                "make the file private and valid (`chmod 600`, `ayx config show`)",
            );
            report.skip(&["profile"], "the config file cannot be used");
            return None;
        }
    }
    let connection = match context.connection() {
        Ok(c) => c,
        Err(e) => {
            report.fail(
                "profile",
                exit::CONFIG,
                e.to_string(),
                "add a profile: `ayx config add NAME --url https://SERVER/webapi --key KEY --secret-stdin`",
            );
            return None;
        }
    };
    let insecure = crate::context::insecure_http(&connection);
    if crate::context::refuse_plain_http(&connection, &connection.url).is_err() {
        report.fail("profile", exit::CONFIG, format!("`{}` is plain HTTP", connection.url), crate::context::HTTP_FIX);
        return None;
    }
    if let Err(e) = crate::context::ca_pem(&connection) {
        report.fail("profile", exit::CONFIG, e.to_string(), "fix the path, or remove ca_file");
        return None;
    }
    let key: String = connection.key.chars().take(4).collect();
    let mut detail = format!("`{}`: {} (key {key}…)", connection.profile, connection.url);
    if let Some(ca) = &connection.ca_file {
        detail.push_str(&format!(", trusting {}", ca.display()));
    }
    if insecure {
        report.warn("profile", detail, "plain HTTP is for test servers: the secret travels unencrypted; use https://");
    } else {
        report.ok("profile", detail);
    }
    Some(connection)
}

/// `PATH (mode 600)`, or that there is no file and the environment is used.
fn config_detail(path: &std::path::Path) -> String {
    let Ok(meta) = std::fs::metadata(path) else {
        return format!("no config file at {} (the environment may give a connection)", path.display());
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        format!("{} (mode {:03o})", path.display(), meta.permissions().mode() & 0o777)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        path.display().to_string()
    }
}

/// Everything after the profile.
async fn server(connection: &Connection, timeout: Duration, report: &mut Report) {
    let families: Vec<&str> = FAMILIES.iter().map(|f| f.name).collect();
    let target = match Target::parse(&connection.url) {
        Ok(t) => t,
        Err(e) => {
            report.fail("profile", exit::CONFIG, e, "fix the profile's url: `https://SERVER/webapi`");
            report.skip(&[&NETWORK[..], &families].concat(), "no server to check");
            return;
        }
    };
    let proxy = net::proxy_for(&target);
    // Through a proxy, this machine may not reach the server itself: the proxy does.
    let (code, unreachable) =
        if proxy.is_some() { (None, Status::Warning) } else { (Some(exit::FAILURE), Status::Failed) };
    let refuse = |report: &mut Report, check: &str, detail: String, fix: String| {
        if let Some(code) = code {
            report.fail(check, code, detail, fix);
        } else {
            report.add(
                check,
                unreachable,
                detail,
                Some(format!("{fix} (requests go through the proxy, which may reach it)")),
            );
        }
    };
    if let Some(proxy) = &proxy {
        report.ok(
            "proxy",
            format!(
                "requests to {} go through {proxy} (HTTPS_PROXY, HTTP_PROXY or ALL_PROXY; NO_PROXY to bypass)",
                target.host
            ),
        );
    }
    let mut address = None;
    match net::resolve(&target, timeout).await {
        Ok(addrs) => {
            let list: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
            report.ok("dns", format!("{} is {}", target.host, list.join(", ")));
            match net::connect(&addrs, timeout).await {
                Ok((addr, took)) => {
                    report.ok("tcp", format!("{addr} accepted a connection in {} ms", took.as_millis()));
                    address = Some(addr);
                }
                Err(e) => refuse(
                    report,
                    "tcp",
                    e,
                    format!(
                        "check that the server is running and that port {} is open from here (firewall, VPN)",
                        target.port
                    ),
                ),
            }
        }
        Err(e) => refuse(
            report,
            "dns",
            e,
            "check the host name in the profile's url, and this machine's DNS (VPN, /etc/hosts)".into(),
        ),
    }
    if address.is_none() && proxy.is_none() {
        report.skip(&[&NETWORK[2..], &families].concat(), "the server cannot be reached");
        return;
    }
    let certificate = match (target.scheme.as_str(), address) {
        ("https", Some(addr)) => Some(net::inspect_tls(&target, addr, timeout).await),
        _ => None,
    };
    // The first call: its handshake judges trust with the client's roots, its token request
    // judges the key.
    let watch = TokenWatch::default();
    let built = crate::context::client_builder(connection).and_then(|builder| {
        Ok(builder.interceptor(watch.clone()).retry(RetryPolicy::never()).timeout(Some(timeout)).build()?)
    });
    let client: alteryx_server::Client = match built {
        Ok(client) => client,
        Err(e) => {
            let fix = "check the profile's ca_file: a PEM file of CERTIFICATE blocks";
            report.fail("tls", exit::CONFIG, format!("cannot build the client: {e}"), fix);
            return;
        }
    };
    let first = api::probe(&client, &FAMILIES[0]).await;
    if let Err(error) = &first
        && let Some((detail, fix)) = api::tls_failure(error, &target.host, proxy.as_deref())
    {
        report.fail("tls", exit::FAILURE, detail, fix);
        report.skip(&[&NETWORK[3..], &families].concat(), "no trusted TLS connection");
        return;
    }
    tls_finding(&target, certificate, report);
    #[cfg(feature = "api-diff")]
    version(connection, report).await;
    let seen = watch.0.lock().unwrap().clone();
    let token_url = connection
        .token_url
        .clone()
        .unwrap_or_else(|| format!("{}/oauth2/token", connection.url.trim_end_matches('/')));
    match (&first, seen.status) {
        (Err(Error::Auth(e)), _) => {
            let (detail, fix) = match e.status {
                404 => (
                    format!("there is no token endpoint at {token_url} (404)"),
                    "set the profile's token_url to the server's OAuth2 token endpoint".to_string(),
                ),
                status => (
                    format!("the token endpoint {token_url} refused the key and secret ({status}: {})", e.text().trim()),
                    "check the API key and secret (Alteryx Server: your profile's Keys page) and store them again: `ayx config add NAME --url ... --key KEY --secret-stdin`".to_string(),
                ),
            };
            report.fail("token", exit::API, detail, fix);
            report.skip(&[&["clock"][..], &families].concat(), "no token");
            return;
        }
        (Err(e), None) => {
            report.fail(
                "token",
                exit::FAILURE,
                format!("no answer from {token_url}: {}", api::chain(e)),
                "check that the server is up and reachable from here",
            );
            report.skip(&[&["clock"][..], &families].concat(), "no token");
            return;
        }
        (_, Some(_)) => report.ok("token", format!("{token_url} gave a token in {} ms", seen.elapsed.as_millis())),
        (Ok(_), None) => report.ok("token", "the call needed no token request"),
    }
    clock(seen.date, report);
    for (index, family) in FAMILIES.iter().enumerate() {
        let answer = if index == 0 {
            first.as_ref().map(|r| *r).map_err(|e| api::chain(e))
        } else {
            api::probe(&client, family).await.map_err(|e| api::chain(&e))
        };
        reach(family, answer, report);
    }
}

/// The server's version, where it says it: its Swagger document's `info` (public on servers that
/// serve it). Not saying is no failure.
#[cfg(feature = "api-diff")]
async fn version(connection: &Connection, report: &mut Report) {
    match crate::commands::api_diff::server_document(connection).await {
        Ok((url, text)) => {
            let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            let (title, version) = (doc["info"]["title"].as_str(), doc["info"]["version"].as_str());
            match version {
                Some(version) => {
                    report.ok("version", format!("{} {version} (from {url})", title.unwrap_or("the API")));
                }
                None => report.ok("version", format!("{url} states no version")),
            }
        }
        Err(e) => report.ok("version", format!("the server does not say ({e})")),
    }
}

/// The certificate's dates, when the handshake that read it worked.
fn tls_finding(target: &Target, certificate: Option<Result<net::Certificate, String>>, report: &mut Report) {
    let Some(certificate) = certificate else {
        if target.scheme == "http" {
            report.warn("tls", "plain HTTP: no TLS", "use https:// outside test servers");
        } else {
            report.ok("tls", "trusted (through the proxy)");
        }
        return;
    };
    match certificate {
        Err(e) => report.warn(
            "tls",
            format!("trusted, but its certificate could not be read: {e}"),
            "nothing, unless the commands fail",
        ),
        Ok(cert) => {
            let Some(not_after) = cert.not_after else {
                report.ok("tls", format!("trusted ({}, {} certificates)", cert.protocol, cert.chain_len));
                return;
            };
            let days = (not_after - chrono::Utc::now()).num_days();
            let detail =
                format!("trusted, {}, valid until {} ({days} days)", cert.protocol, not_after.format("%Y-%m-%d"));
            if days < 30 {
                report.warn("tls", detail, "the certificate expires soon: ask the server's administrator to renew it");
            } else {
                report.ok("tls", detail);
            }
        }
    }
}

/// How far this machine's clock is from the server's, by the token answer's `Date`.
fn clock(date: Option<chrono::DateTime<chrono::Utc>>, report: &mut Report) {
    let Some(date) = date else {
        report.ok("clock", "the token endpoint sent no Date header to compare with");
        return;
    };
    let skew = (chrono::Utc::now() - date).num_seconds();
    let words = if skew > 0 { format!("{skew} s ahead of") } else { format!("{} s behind", -skew) };
    if skew.abs() > 300 {
        report.warn(
            "clock",
            format!("this machine's clock is {words} the server's"),
            "synchronise the clock (NTP): times in job and audit filters are compared with the server's",
        );
    } else {
        report.ok("clock", format!("within {} s of the server's", skew.abs()));
    }
}

/// A family's finding from its probe.
fn reach(family: &api::Family, answer: Result<Reach, String>, report: &mut Report) {
    let reach = answer.as_ref().ok().copied();
    let (status, detail, fix) = match answer {
        Ok(Reach::Reachable) => (Status::Ok, format!("reachable (used by {})", family.used_by), None),
        Ok(Reach::Refused) => (
            if family.required { Status::Failed } else { Status::Warning },
            format!("refused: {} (used by {})", family.right, family.used_by),
            Some("use a key of a user with that right, or ask an administrator to grant it".to_string()),
        ),
        Ok(Reach::Absent) => (
            if family.required { Status::Failed } else { Status::Warning },
            format!("absent (404): this server does not have it, an older version? (used by {})", family.used_by),
            Some(if family.required {
                "check that the url ends in /webapi".to_string()
            } else {
                format!("{} will not work against this server", family.used_by)
            }),
        ),
        Err(e) => (
            if family.required { Status::Failed } else { Status::Warning },
            format!("no answer: {e}"),
            Some("try again; if it persists, look at the server's logs".to_string()),
        ),
    };
    if status == Status::Failed {
        report.code.get_or_insert(exit::API);
    }
    report.findings.push(Finding { check: family.name.into(), status, detail, fix, reach });
}
