//! Encoding of path, query and header values, and of path segments.

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

/// How a query parameter of a list or object type is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueryStyle {
    /// `a=1&a=2`, `k=v&k2=v2` (`form`, exploded: the default).
    FormExploded,
    /// `a=1,2`, `a=k,v,k2,v2` (`form`, not exploded).
    FormComma,
    /// `a[k]=v` (`deepObject`).
    DeepObject,
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
    match value {
        serde_json::Value::Array(items) => items.iter().map(json_text).collect::<Vec<_>>().join(","),
        serde_json::Value::Object(map) => {
            map.iter().flat_map(|(k, v)| [k.clone(), json_text(v)]).collect::<Vec<_>>().join(",")
        }
        other => json_text(other),
    }
}

/// A path, header or cookie parameter of any type in the `simple` style.
pub(crate) fn simple_param<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_value(value).map(|v| simple_text(&v)).unwrap_or_default()
}

/// A value of a union type as a parameter: its JSON form, a string without its quotes.
pub(crate) fn json_param<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Percent-encodes `value` as exactly one path segment: everything but RFC 3986 unreserved
/// characters is escaped, so `/`, `?`, `#`, `%`, `..` and spaces cannot leave the segment.
pub fn encode_path_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    // `.` is escaped too, above: a segment of `.` or `..` would otherwise be resolved away.
    out
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
        assert_eq!(encode_path_segment("../a/b?c#d%e f"), "%2E%2E%2Fa%2Fb%3Fc%23d%25e%20f");
        assert_eq!(encode_path_segment("abc-123_~"), "abc-123_~");
        assert_eq!(encode_path_segment("é"), "%C3%A9");
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
