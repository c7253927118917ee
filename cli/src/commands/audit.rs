//! `ayx audit`: every page of the audit log of one kind of entity (the page stream reads them in
//! turn, in bounded memory), filtered by `--since`, as a table, JSON lines (`--json`) or CSV
//! (`--csv`). Events whose timestamp cannot be read are kept: nothing is dropped silently.

use alteryx_server::types::AuditEvent;

use crate::context::Context;
use crate::exit::CliError;
use clap::Args;

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The kind of entity: AppInfo (workflows), Collection, Credential, Subscription, User, UserGroup.
    #[arg(long)]
    pub entity: String,
    /// Only events at or after this date (2026-11-01) or time (2026-11-01T08:00:00Z).
    #[arg(long, value_parser = since)]
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    /// Write CSV instead of a table (--json writes JSON lines).
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Events asked for per page.
    #[arg(long, default_value_t = 100, hide = true)]
    pub page_size: u32,
}
/// A date (`2026-11-01`, midnight UTC) or an RFC 3339 time.
fn since(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(t.to_utc());
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
        .map_err(|_| format!("`{text}` is not a date (2026-11-01) or an RFC 3339 time"))
}

const COLUMNS: [&str; 8] = ["id", "timestamp", "entity", "entityId", "userId", "event", "oldValues", "newValues"];

pub async fn run(context: &Context, args: AuditArgs) -> Result<(), CliError> {
    let client = context.client()?;
    let mut events = client.audit_log().get_events_stream(&args.entity, args.page_size);
    let mut table = Vec::new();
    if args.csv {
        println!("{}", COLUMNS.join(","));
    }
    while let Some(event) = events.next_item().await {
        let event = event?;
        if !after(&event, args.since) {
            continue;
        }
        let value = serde_json::to_value(&event).unwrap_or_default();
        if context.out.json {
            context.out.json_line(&value);
        } else if args.csv {
            let row: Vec<String> = COLUMNS.iter().map(|c| csv_field(&crate::output::cell(&value[*c]))).collect();
            println!("{}", row.join(","));
        } else {
            table.push(value);
        }
    }
    if !context.out.json && !args.csv {
        let columns = [
            ("TIME", "timestamp"),
            ("EVENT", "event"),
            ("ENTITY ID", "entityId"),
            ("BY", "userId"),
            ("NEW VALUES", "newValues"),
        ];
        println!("{}", crate::output::table(&table, &columns));
    }
    Ok(())
}

/// Whether an event is at or after `since` (an unreadable timestamp counts as yes).
fn after(event: &AuditEvent, since: Option<chrono::DateTime<chrono::Utc>>) -> bool {
    let Some(since) = since else { return true };
    let Some(text) = event.timestamp.as_deref() else { return true };
    let parsed = chrono::DateTime::parse_from_rfc3339(text).map(|t| t.to_utc()).ok().or_else(|| {
        // Servers also write times without an offset; they are UTC.
        ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
            .iter()
            .find_map(|f| chrono::NaiveDateTime::parse_from_str(text, f).ok())
            .map(|t| t.and_utc())
    });
    parsed.is_none_or(|t| t >= since)
}

/// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed_and_times_compared() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field(r#"{"a":1,"b":"x"}"#), r#""{""a"":1,""b"":""x""}""#);
        let since = chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z").unwrap().to_utc();
        let mut event = AuditEvent::new();
        for (time, kept) in [
            (Some("2026-11-02T10:00:00Z"), true),
            (Some("2026-10-31T23:59:59Z"), false),
            (Some("2026-11-01T08:00:00.123"), true),
            (Some("2026-10-01 08:00:00"), false),
            (Some("last Tuesday"), true),
            (None, true),
        ] {
            event.timestamp = time.map(str::to_string);
            assert_eq!(after(&event, Some(since)), kept, "{time:?}");
        }
    }
}
