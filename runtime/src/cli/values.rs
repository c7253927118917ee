//! A command-line value checked against what it is ([`Value`]) while `clap` parses, so that a bad
//! number, date or JSON stops the command with exit code 2 before anything is sent. Each value is
//! kept as the text the client would send (`2026-01-15T10:30:00Z`, an enum's listed spelling).

use std::ffi::OsStr;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;

use super::Value;
use crate::params::{FromParam, find_listed};

/// The parser of one kind of value.
#[derive(Clone, Copy)]
pub(crate) struct ValueParser(pub(crate) Value);

impl TypedValueParser for ValueParser {
    type Value = String;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        let text = value.to_str().ok_or_else(|| clap::Error::new(ErrorKind::InvalidUtf8).with_cmd(command))?;
        parse(self.0, text).map_err(|why| {
            let arg = arg.map(|a| a.to_string()).unwrap_or_default();
            clap::Error::raw(ErrorKind::InvalidValue, format!("invalid value for {arg}: {why}\n")).with_cmd(command)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        match self.0 {
            Value::Enum(values) => Some(Box::new(values.iter().map(|v| PossibleValue::new(*v)))),
            Value::Bool => Some(Box::new(["true", "false"].into_iter().map(PossibleValue::new))),
            _ => None,
        }
    }
}

/// The placeholder a value has in the help (`--limit <INTEGER>`).
pub(crate) fn value_name(value: Value) -> &'static str {
    match value {
        Value::Text => "TEXT",
        Value::Bool => "BOOL",
        Value::Integer | Value::Unsigned => "INTEGER",
        Value::Number => "NUMBER",
        Value::DateTime => "DATE-TIME",
        Value::Date => "DATE",
        Value::Uuid => "UUID",
        Value::Base64 => "BASE64",
        Value::Enum(_) => "VALUE",
        Value::Json(_) => "JSON",
        Value::File => "FILE",
    }
}

/// `text` as the client would send it, or why it is not a value of that kind.
pub(crate) fn parse(value: Value, text: &str) -> Result<String, String> {
    fn canonical<T: FromParam + crate::params::ToParam>(text: &str) -> Result<String, String> {
        T::from_param(text).map(|v| v.to_param())
    }
    match value {
        Value::Text => Ok(text.to_owned()),
        Value::Bool => canonical::<bool>(text),
        Value::Integer => canonical::<i64>(text),
        Value::Unsigned => canonical::<u64>(text),
        // Checked, and sent as written (`1.50` stays `1.50`).
        Value::Number => f64::from_param(text).map(|_| text.trim().to_owned()),
        Value::DateTime => canonical::<chrono::DateTime<chrono::Utc>>(text),
        Value::Date => chrono::NaiveDate::from_param(text).map(|d| d.to_string()),
        Value::Uuid => uuid::Uuid::from_param(text).map(|u| u.to_string()),
        Value::Base64 => crate::Base64::from_param(text).map(|_| text.to_owned()),
        Value::Enum(values) if text.trim().is_empty() => {
            Err(format!("an empty value is not one of {}", values.join(", ")))
        }
        Value::Enum(values) => Ok(match find_listed(values, text) {
            Some(listed) => listed.to_owned(),
            None => {
                eprintln!("warning: `{text}` is not one of {}: sent as it is", values.join(", "));
                text.to_owned()
            }
        }),
        Value::Json(check) => json(check, text),
        Value::File => file(text),
    }
}

/// JSON text that fits its type; text that is not JSON is read as a JSON string (`Admin` for
/// `"Admin"`), as the client reads parameter text.
fn json(check: super::Check, text: &str) -> Result<String, String> {
    let json = if serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
        text.to_owned()
    } else {
        serde_json::Value::String(text.to_owned()).to_string()
    };
    check(json.as_bytes()).map_err(|m| {
        if m.path == "." {
            format!("`{text}` does not fit: {}", m.message)
        } else {
            format!("`{text}` does not fit at `{}`: {}", m.path, m.message)
        }
    })?;
    Ok(json)
}

/// A file that can be read, or `-` for standard input.
fn file(text: &str) -> Result<String, String> {
    if text == "-" {
        return Ok(text.to_owned());
    }
    match std::fs::metadata(text) {
        Ok(meta) if meta.is_file() => Ok(text.to_owned()),
        Ok(_) => Err(format!("`{text}` is not a file")),
        Err(e) => Err(format!("cannot read the file `{text}`: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::check;

    #[test]
    fn values_are_checked_and_kept_in_the_form_the_client_sends() {
        assert_eq!(parse(Value::Integer, "42"), Ok("42".into()));
        assert!(parse(Value::Integer, "4x").unwrap_err().contains("`4x` is not a 64-bit integer"));
        assert!(parse(Value::Unsigned, "-1").is_err());
        assert_eq!(parse(Value::Number, " 1.50 "), Ok("1.50".into()));
        assert_eq!(parse(Value::Bool, "true"), Ok("true".into()));
        assert!(parse(Value::Bool, "yes").is_err());
        assert_eq!(parse(Value::DateTime, "2026-01-15T11:30:00+01:00"), Ok("2026-01-15T10:30:00Z".into()));
        assert!(parse(Value::DateTime, "yesterday").unwrap_err().contains("RFC 3339"));
        assert_eq!(parse(Value::Date, "2026-01-15"), Ok("2026-01-15".into()));
        assert!(parse(Value::Uuid, "nope").is_err());
        let modes = Value::Enum(&["Safe", "SemiSafe"]);
        assert_eq!(parse(modes, "semi-safe"), Ok("SemiSafe".into()));
        assert_eq!(parse(modes, "Turbo"), Ok("Turbo".into()), "unknown values are sent, as the client sends them");
        assert!(parse(modes, " ").unwrap_err().contains("an empty value is not one of Safe, SemiSafe"));
        assert!(parse(Value::File, "/no/such/file").unwrap_err().contains("cannot read the file `/no/such/file`"));
        assert!(parse(Value::File, "/").unwrap_err().contains("is not a file"));
        assert_eq!(parse(Value::File, "-"), Ok("-".into()));
    }

    #[test]
    fn json_values_fit_their_type_or_say_where_they_do_not() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Filter {
            owner: String,
            tags: Vec<u32>,
        }
        let filter = Value::Json(check::<Filter>);
        assert_eq!(parse(filter, r#"{"owner":"ann","tags":[1]}"#), Ok(r#"{"owner":"ann","tags":[1]}"#.into()));
        let err = parse(filter, r#"{"owner":"ann","tags":[1,"x"]}"#).unwrap_err();
        assert!(err.contains("at `tags[1]`"), "{err}");
        assert_eq!(parse(Value::Json(check::<String>), "Admin"), Ok("\"Admin\"".into()));
    }
}
