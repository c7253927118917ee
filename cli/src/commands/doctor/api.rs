//! The doctor's checks over HTTP, made with the same client every command uses (its roots, its
//! proxy, its token request): the first call tells whether TLS is trusted and whether the token
//! endpoint takes the key, an interceptor reads the token answer's `Date` for the clock, and one
//! call per API family the commands use says whether this server has it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use alteryx_server::{Attempt, AttemptKind, AttemptOutcome, Client, Error, Interceptor, TransportKind};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// What the token endpoint answered, as the interceptor saw it.
#[derive(Debug, Clone, Default)]
pub struct TokenSeen {
    /// The status of the last token request.
    pub status: Option<u16>,
    /// Its `Date` header.
    pub date: Option<DateTime<Utc>>,
    /// How long it took.
    pub elapsed: Duration,
}

/// An interceptor that keeps the token endpoint's answer.
#[derive(Debug, Clone, Default)]
pub struct TokenWatch(pub Arc<Mutex<TokenSeen>>);

impl Interceptor for TokenWatch {
    fn on_response(&self, attempt: &Attempt, outcome: AttemptOutcome<'_>, elapsed: Duration) {
        if attempt.kind != AttemptKind::Token {
            return;
        }
        if let AttemptOutcome::Response { status, headers } = outcome {
            let date = headers
                .get("date")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| DateTime::parse_from_rfc2822(v).ok())
                .map(|d| d.to_utc());
            *self.0.lock().unwrap() = TokenSeen { status: Some(status), date, elapsed };
        }
    }
}

/// Whether this server has an API family, for this key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// It answered.
    Reachable,
    /// It exists, and refused this key (401, 403).
    Refused,
    /// 404: this server does not have it (an older server).
    Absent,
}

/// An API family the commands use, and how to ask it something without changing anything.
pub struct Family {
    /// Its name in the findings: `api v3`.
    pub name: &'static str,
    /// What uses it.
    pub used_by: &'static str,
    /// The right a refusal means is missing.
    pub right: &'static str,
    /// Whether `ayx` is of no use without it.
    pub required: bool,
}

/// The families, in the order they are checked.
pub const FAMILIES: [Family; 4] = [
    Family {
        name: "api v3",
        used_by: "every command",
        right: "the API key's user must be a Curator (an administrator) to use the V3 API",
        required: true,
    },
    Family {
        name: "admin v1 migration",
        used_by: "ayx migrate (the default flow)",
        right: "the migration endpoints need a Curator's key",
        required: false,
    },
    Family { name: "audit log", used_by: "ayx audit", right: "the audit log needs a Curator's key", required: false },
    Family {
        name: "user v2 input files",
        used_by: "ayx jobs run --answer-file",
        right: "uploading input files needs a key whose user may run workflows",
        required: false,
    },
];

/// One call to `family` that changes nothing: a read, or for the input files (which have no
/// read) a POST without a file, which a server that has the route refuses as a bad request.
pub async fn probe(client: &Client, family: &Family) -> Result<Reach, Error> {
    let answer = match family.name {
        "api v3" => client
            .workflows()
            .get_workflows(alteryx_server::operations::GetWorkflowsOptions::default().name("ayx doctor".into()))
            .await
            .map(|_| 200),
        "admin v1 migration" => client
            .migration()
            .get_migratable_workflows(alteryx_server::operations::GetMigratableWorkflowsOptions::default())
            .await
            .map(|_| 200),
        "audit log" => client.audit_log().get_events("User", 1, 1).await.map(|_| 200),
        _ => client.probe("POST", "/user/v2/inputfiles").await,
    };
    let status = match answer {
        Ok(status) => status,
        Err(Error::Api(e)) => e.status,
        Err(e) => return Err(e),
    };
    Ok(match status {
        401 | 403 => Reach::Refused,
        404 => Reach::Absent,
        _ => Reach::Reachable,
    })
}

/// What a failed first call says of TLS: `Some((what, fix))` when the handshake failed.
pub fn tls_failure(error: &Error, host: &str, proxy: Option<&str>) -> Option<(String, String)> {
    let Error::Transport { kind: TransportKind::Tls, .. } = error else { return None };
    let text = chain(error);
    let intercepted = proxy
        .map(|p| format!(" A proxy is in the way ({p}): if it inspects TLS, its authority is the one to add."))
        .unwrap_or_default();
    let ca = "save the authority's certificate (PEM) and name it in the profile: `ayx config add NAME --url ... --key ... --ca-file /path/to/ca.pem`";
    Some(if text.contains("UnknownIssuer") || text.contains("unknown issuer") || text.contains("self-signed") {
        (
            format!("the server's certificate is signed by an authority this machine does not trust ({text})"),
            format!("if an in-house authority signed it, {ca}.{intercepted}"),
        )
    } else if text.contains("Expired") || text.contains("expired") {
        (format!("the server's certificate has expired ({text})"), "ask the server's administrator to renew it.".into())
    } else if text.contains("NotValidForName") || text.contains("not valid for name") {
        (
            format!("the server's certificate is not for {host} ({text})"),
            "use the host name the certificate was issued for in the profile's url.".into(),
        )
    } else {
        (
            format!("the TLS handshake failed ({text})"),
            format!("check that the server speaks HTTPS on this port.{intercepted}"),
        )
    })
}

/// An error and its causes on one line.
pub fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(e) = source {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = e.source();
    }
    parts.join(": ")
}
