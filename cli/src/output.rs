//! How results are shown: a table (or a few `key: value` lines) for people, or with `--json` one
//! JSON document on standard output (JSON lines for streams such as the audit log), for scripts.
//! Objects of the API are written with the API's own field names; documents the command makes
//! itself (a run's result, a backup's summary) use snake_case names, listed in the README.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;
use serde_json::Value;

/// Where results go, and in which form.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// `--json`.
    pub json: bool,
}

impl Output {
    /// Prints `value` as one JSON document (pretty when standard output is a terminal).
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) {
        let text = if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            serde_json::to_string_pretty(value)
        } else {
            serde_json::to_string(value)
        };
        println!("{}", text.unwrap_or_else(|e| format!("{{\"error\": \"cannot write JSON: {e}\"}}")));
    }

    /// Prints one line of a JSON lines stream.
    pub fn json_line<T: Serialize + ?Sized>(&self, value: &T) {
        println!("{}", serde_json::to_string(value).unwrap_or_default());
    }

    /// Prints the items as a JSON array, or as a table of `columns` (header, JSON field).
    pub fn list<T: Serialize>(&self, items: &[T], columns: &[(&str, &str)]) {
        if self.json {
            return self.json(items);
        }
        let values: Vec<Value> = items.iter().map(|i| serde_json::to_value(i).unwrap_or(Value::Null)).collect();
        println!("{}", table(&values, columns));
    }

    /// Prints one object as JSON, or as `field: value` lines of `fields` (label, JSON field).
    pub fn object<T: Serialize>(&self, item: &T, fields: &[(&str, &str)]) {
        if self.json {
            return self.json(item);
        }
        let value = serde_json::to_value(item).unwrap_or(Value::Null);
        let width = fields.iter().map(|(label, _)| label.len()).max().unwrap_or(0);
        for (label, field) in fields {
            println!("{label:width$}  {}", cell(&value[*field]));
        }
    }

    /// Prints a line for people (nothing with `--json`, where the document says it).
    pub fn say(&self, line: impl std::fmt::Display) {
        if !self.json {
            println!("{line}");
        }
    }
}

/// A table of the given columns of JSON objects.
pub fn table(rows: &[Value], columns: &[(&str, &str)]) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    table.set_header(columns.iter().map(|(h, _)| *h));
    for row in rows {
        table.add_row(columns.iter().map(|(_, field)| cell(&row[*field])));
    }
    table
}

/// A JSON value as a table cell: strings bare, lists joined, absent values empty.
pub fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}
