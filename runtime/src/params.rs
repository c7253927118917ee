//! Encoding of path, query and header values, and of path segments.

use crate::operation::PathPart;

/// A value that can travel as a path segment, query value, header or multipart text part.
pub trait ToParam {
    /// The value's text form as the API expects it (`true`, `42`, RFC 3339 date-times, enum wire values).
    fn to_param(&self) -> String;
}

impl ToParam for str {
    fn to_param(&self) -> String {
        self.to_owned()
    }
}

impl ToParam for String {
    fn to_param(&self) -> String {
        self.clone()
    }
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ToParam for $t {
            fn to_param(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
display_param!(bool, i32, i64, u32, u64, f32, f64, uuid::Uuid, chrono::NaiveDate);

/// Raw bytes as a parameter: their text, where they are text.
impl ToParam for bytes::Bytes {
    fn to_param(&self) -> String {
        String::from_utf8_lossy(self).into_owned()
    }
}

impl ToParam for chrono::DateTime<chrono::Utc> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

/// A string enum of a generated crate: the values its spec lists, and each value's wire text.
/// Values the spec does not list are kept, not refused (`Unknown`), so a command line may accept
/// them with a warning.
pub trait StringEnum: for<'a> From<&'a str> + Sized {
    /// The values the spec lists, as they travel on the wire.
    const VALUES: &'static [&'static str];

    /// The value's wire text.
    fn wire(&self) -> &str;

    /// The value `text` names: a listed value written as it is, or in any case with dashes and
    /// underscores (`semi-safe` for `SemiSafe`); `Err` with the listed values when none is.
    fn parse_listed(text: &str) -> Result<Self, String> {
        find_listed(Self::VALUES, text)
            .map(Self::from)
            .ok_or_else(|| format!("`{text}` is not one of {}", Self::VALUES.join(", ")))
    }
}

/// The listed value `text` names: written as it is, or in any case with dashes and underscores.
pub(crate) fn find_listed(values: &'static [&'static str], text: &str) -> Option<&'static str> {
    let bare = |s: &str| s.chars().filter(|c| *c != '-' && *c != '_').collect::<String>().to_lowercase();
    let wanted = bare(text);
    values.iter().find(|v| **v == text).or_else(|| values.iter().find(|v| bare(v) == wanted)).copied()
}

/// A value read back from its text form ([`ToParam`]'s inverse): what a command line parses from
/// its arguments, and what the mock server decodes from a request.
pub trait FromParam: Sized {
    /// The value of `text`, or why it is not one.
    fn from_param(text: &str) -> Result<Self, String>;
}

impl FromParam for String {
    fn from_param(text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }
}

impl FromParam for bool {
    fn from_param(text: &str) -> Result<Self, String> {
        match text {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(format!("`{other}` is not `true` or `false`")),
        }
    }
}

macro_rules! parsed_param {
    ($($t:ty => $what:literal),*) => {$(
        impl FromParam for $t {
            fn from_param(text: &str) -> Result<Self, String> {
                text.trim().parse().map_err(|e| format!("`{text}` is not {}: {e}", $what))
            }
        }
    )*};
}
parsed_param!(
    i32 => "a 32-bit integer", i64 => "a 64-bit integer", u32 => "an unsigned 32-bit integer",
    u64 => "an unsigned 64-bit integer", f32 => "a number", f64 => "a number", uuid::Uuid => "a UUID",
    chrono::NaiveDate => "a date (YYYY-MM-DD)"
);

impl FromParam for chrono::DateTime<chrono::Utc> {
    fn from_param(text: &str) -> Result<Self, String> {
        chrono::DateTime::parse_from_rfc3339(text.trim())
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(|e| format!("`{text}` is not an RFC 3339 date-time (2026-01-15T10:30:00Z): {e}"))
    }
}

impl FromParam for bytes::Bytes {
    fn from_param(text: &str) -> Result<Self, String> {
        Ok(bytes::Bytes::copy_from_slice(text.as_bytes()))
    }
}

impl FromParam for crate::Base64 {
    fn from_param(text: &str) -> Result<Self, String> {
        crate::Base64::decode(text)
    }
}

/// A value of a JSON type (an object, a union) from its parameter text: JSON, or a plain string.
pub fn json_from_param<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text)
        .or_else(|_| serde_json::from_value(serde_json::Value::String(text.to_owned())))
        .map_err(|e| format!("`{text}` does not fit: {e}"))
}

/// Where a parameter other than a path placeholder travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// The `Cookie` header.
    Cookie,
}

/// Where any parameter travels, its path placeholders included: how the mock server reads a
/// parameter back, and where the command line puts one.
#[cfg(any(feature = "mock", feature = "cli"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A path placeholder.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

#[cfg(any(feature = "mock", feature = "cli"))]
impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Place::Path => "path",
            Place::Query => "query",
            Place::Header => "header",
            Place::Cookie => "cookie",
        })
    }
}

/// How a parameter of a list or object type is laid out, as the spec declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `a=1&a=2`, `k=v&k2=v2` (`form`, exploded: the query's default).
    FormExploded,
    /// `a=1,2`, `a=k,v,k2,v2` (`form`, not exploded).
    FormComma,
    /// `a=1 2`, `a=k v k2 v2` (`spaceDelimited`, not exploded).
    SpaceDelimited,
    /// `a=1|2`, `a=k|v|k2|v2` (`pipeDelimited`, not exploded).
    PipeDelimited,
    /// `a[k]=v` (`deepObject`).
    DeepObject,
    /// `1,2`, `k,v,k2,v2` (`simple`: the path's and headers' style).
    Simple,
}

impl ParamStyle {
    /// What joins a list's items (or an object's keys and values) that travel as one value:
    /// `form`'s comma unless the style names another.
    pub(crate) fn delimiter(self) -> &'static str {
        match self {
            ParamStyle::SpaceDelimited => " ",
            ParamStyle::PipeDelimited => "|",
            _ => ",",
        }
    }
}

/// One JSON value as parameter text: a string without quotes, anything else as JSON.
pub(crate) fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A value in the `simple` style of path and header parameters (and comma-joined `form`): a list
/// as `a,b`, an object as `k,v,k2,v2`, anything else as its text.
pub(crate) fn simple_text(value: &serde_json::Value) -> String {
    delimited_text(value, ",")
}

/// A list as its items joined by `delimiter`, an object as its keys and values joined by it,
/// anything else as its text.
pub(crate) fn delimited_text(value: &serde_json::Value, delimiter: &str) -> String {
    match value {
        serde_json::Value::Array(items) => items.iter().map(json_text).collect::<Vec<_>>().join(delimiter),
        serde_json::Value::Object(map) => {
            map.iter().flat_map(|(k, v)| [k.clone(), json_text(v)]).collect::<Vec<_>>().join(delimiter)
        }
        other => json_text(other),
    }
}

/// A path, header or cookie parameter of any type in the `simple` style.
pub fn simple_param<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_value(value).map(|v| simple_text(&v)).unwrap_or_default()
}

/// A value of a union type as a parameter: its JSON form, a string without its quotes.
pub fn json_param<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Percent-encodes `value` as exactly one path segment: everything but RFC 3986 unreserved
/// characters is escaped, so `/`, `?`, `#`, `%` and spaces cannot leave the segment. Values that
/// URL parsers resolve away whatever their escaping (empty, `.`, `..`) are refused by
/// [`fill_path`], not here.
pub fn encode_path_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~' | b'.') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Why a value cannot be a path segment, if it cannot: an empty segment, `.` or `..` makes the
/// URL address another resource (`/v3/workflows/..` is `/v3/`), and URL parsers (WHATWG, the
/// `url` crate) also read `%2E` and `%2E%2E` as dot segments, so no escaping helps.
pub(crate) fn refused_segment(value: &str) -> Option<String> {
    match value {
        "" => Some("it is empty, so the request would address the enclosing resource".into()),
        "." | ".." => Some(format!("`{value}` is a dot segment: the request would address another resource")),
        _ => None,
    }
}

/// The path of an operation: its literal pieces as they are, each placeholder filled with the
/// next of `values`, encoded as one segment. `Err((placeholder, reason))` names the first value
/// that cannot be a segment.
pub(crate) fn fill_path(parts: &[PathPart], values: &[&dyn ToParam]) -> Result<String, (&'static str, String)> {
    let mut out = String::new();
    let mut values = values.iter();
    for part in parts {
        match part {
            PathPart::Literal(text) => out.push_str(text),
            PathPart::Param(name) => {
                let value = values.next().map(|v| v.to_param()).unwrap_or_default();
                if let Some(reason) = refused_segment(&value) {
                    return Err((name, reason));
                }
                out.push_str(&encode_path_segment(&value));
            }
        }
    }
    Ok(out)
}

/// `application/x-www-form-urlencoded` encoding of one key or value.
pub(crate) fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_cannot_escape() {
        assert_eq!(encode_path_segment("../a/b?c#d%e f"), "..%2Fa%2Fb%3Fc%23d%25e%20f");
        assert_eq!(encode_path_segment("abc-123_~.yxzp"), "abc-123_~.yxzp");
        assert_eq!(encode_path_segment("é"), "%C3%A9");
    }

    #[test]
    fn templates_are_filled_and_dot_segments_refused() {
        use PathPart::{Literal, Param};
        let parts = [Literal("/v3/a/"), Param("x"), Literal("/b/"), Param("y")];
        assert_eq!(fill_path(&parts, &[&"1 2", &"..."]).unwrap(), "/v3/a/1%202/b/...");
        assert_eq!(fill_path(&parts, &[&7, &true]).unwrap(), "/v3/a/7/b/true");
        assert_eq!(fill_path(&[Literal("/v3/a")], &[]).unwrap(), "/v3/a");
        for bad in ["", ".", ".."] {
            let (name, reason) = fill_path(&parts, &[&"ok", &bad]).unwrap_err();
            assert_eq!(name, "y");
            assert!(!reason.is_empty());
        }
    }

    #[derive(Debug, PartialEq)]
    enum Mode {
        SemiSafe,
        Other(String),
    }

    impl From<&str> for Mode {
        fn from(text: &str) -> Self {
            if text == "SemiSafe" { Mode::SemiSafe } else { Mode::Other(text.to_owned()) }
        }
    }

    impl StringEnum for Mode {
        const VALUES: &'static [&'static str] = &["SemiSafe", "Standard"];
        fn wire(&self) -> &str {
            match self {
                Mode::SemiSafe => "SemiSafe",
                Mode::Other(text) => text,
            }
        }
    }

    #[test]
    fn listed_values_are_found_however_they_are_spelled() {
        assert_eq!(Mode::parse_listed("SemiSafe"), Ok(Mode::SemiSafe));
        assert_eq!(Mode::parse_listed("semi-safe"), Ok(Mode::SemiSafe));
        assert_eq!(Mode::parse_listed("standard"), Ok(Mode::Other("Standard".into())));
        assert_eq!(Mode::parse_listed("turbo"), Err("`turbo` is not one of SemiSafe, Standard".into()));
    }

    #[test]
    fn values_read_back_from_their_wire_form() {
        assert_eq!(i32::from_param("42"), Ok(42));
        assert!(u32::from_param("-1").unwrap_err().contains("unsigned"));
        assert_eq!(bool::from_param("false"), Ok(false));
        assert!(bool::from_param("yes").is_err());
        let t = chrono::DateTime::<chrono::Utc>::from_param("2026-01-15T10:30:00Z").unwrap();
        assert_eq!(FromParam::from_param(&t.to_param()), Ok(t));
        assert!(chrono::DateTime::<chrono::Utc>::from_param("yesterday").unwrap_err().contains("RFC 3339"));
        assert_eq!(json_from_param::<serde_json::Value>("{\"a\":1}"), Ok(serde_json::json!({"a": 1})));
        assert_eq!(json_from_param::<String>("plain"), Ok("plain".to_string()));
    }

    #[test]
    fn values_have_the_wire_form() {
        assert_eq!(true.to_param(), "true");
        let t = chrono::DateTime::parse_from_rfc3339("2026-01-15T10:30:00Z").unwrap().with_timezone(&chrono::Utc);
        assert_eq!(t.to_param(), "2026-01-15T10:30:00Z");
        assert_eq!(json_param(&"a b"), "a b");
        assert_eq!(json_param(&42), "42");
        assert_eq!(json_param(&vec![1, 2]), "[1,2]");
        assert_eq!(simple_param(&["a", "b"]), "a,b");
        assert_eq!(simple_param(&serde_json::json!({"role": "admin"})), "role,admin");
        assert_eq!(simple_param(&"x y"), "x y");
    }
}
