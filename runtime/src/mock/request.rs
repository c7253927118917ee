//! A request as the mock server received it ([`Request`]): method, path, query, headers and body,
//! with the operation it resolved to and its path placeholders, and readers that decode each
//! parameter and the body the way the client encoded them (the inverse of `request/`).

use std::fmt;

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::operation::{HttpMethod, Operation, percent_decode};
use crate::params::{FromParam, ParamStyle, Place};

/// One request the mock server received.
#[derive(Clone)]
pub struct Request {
    /// The method.
    pub method: String,
    /// The path as sent (percent-encoded), the server's base path included (`/api/v3/jobs/j1`).
    pub path: String,
    /// The request target exactly as sent: the path and the query, percent-encoded.
    pub target: String,
    /// The query pairs in order, decoded.
    pub query: Vec<(String, String)>,
    /// The headers in order, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body (at most the server's body limit; see [`Request::body_len`]).
    pub body: Bytes,
    /// The body's whole length, kept or not.
    pub body_len: u64,
    /// The operation the request resolved to, and its path placeholders' values, decoded.
    pub(crate) operation: Option<(&'static Operation, Vec<(&'static str, String)>)>,
    /// Whether no expectation answered it (a 501).
    pub(crate) unmatched: bool,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.operation_id())
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("body_len", &self.body_len)
            .finish_non_exhaustive()
    }
}

impl Request {
    /// The id of the operation the request resolved to, if any.
    pub fn operation_id(&self) -> Option<&'static str> {
        self.operation.as_ref().map(|(op, _)| op.id)
    }

    /// The first value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The values of a query parameter, in order.
    pub fn query_values(&self, name: &str) -> impl Iterator<Item = &str> {
        self.query.iter().filter(move |(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The `Content-Type` header.
    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }

    /// The cookies of the `Cookie` header.
    fn cookies(&self) -> impl Iterator<Item = (&str, &str)> {
        self.header("cookie").into_iter().flat_map(|c| c.split(';')).filter_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            Some((k, v))
        })
    }

    /// The texts a parameter arrived as, where `place` says (`path`, `query`, `header`,
    /// `cookie`); several only for a repeated query parameter.
    fn texts(&self, place: Place, name: &str) -> Vec<String> {
        match place {
            Place::Path => self
                .operation
                .iter()
                .flat_map(|(_, values)| values)
                .filter(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
                .collect(),
            Place::Query => self.query_values(name).map(str::to_owned).collect(),
            Place::Header => self.header(name).map(str::to_owned).into_iter().collect(),
            Place::Cookie => self.cookies().filter(|(n, _)| *n == name).map(|(_, v)| v.to_owned()).collect(),
        }
    }

    /// A parameter sent as its text form: `Ok(None)` when absent.
    pub fn param<T: FromParam>(&self, place: Place, name: &str) -> Result<Option<T>, String> {
        match self.texts(place, name).first() {
            None => Ok(None),
            Some(text) => T::from_param(text).map(Some).map_err(|e| format!("{place} parameter `{name}`: {e}")),
        }
    }

    /// A list parameter sent one pair per item: `Ok(None)` when absent.
    pub fn param_items<T: FromParam>(&self, place: Place, name: &str) -> Result<Option<Vec<T>>, String> {
        let texts = self.texts(place, name);
        if texts.is_empty() {
            return Ok(None);
        }
        texts
            .iter()
            .map(|t| T::from_param(t))
            .collect::<Result<_, _>>()
            .map(Some)
            .map_err(|e| format!("{place} parameter `{name}`: {e}"))
    }

    /// A list parameter sent as one value joined by `delimiter`: `Ok(None)` when absent.
    pub fn param_joined<T: FromParam>(
        &self,
        place: Place,
        name: &str,
        delimiter: &str,
    ) -> Result<Option<Vec<T>>, String> {
        let Some(text) = self.texts(place, name).into_iter().next() else { return Ok(None) };
        if text.is_empty() {
            return Ok(Some(Vec::new()));
        }
        text.split(delimiter)
            .map(T::from_param)
            .collect::<Result<_, _>>()
            .map(Some)
            .map_err(|e| format!("{place} parameter `{name}`: {e}"))
    }

    /// A parameter sent by its JSON form in `style` (objects, unions, lists of them): `Ok(None)`
    /// when absent. `others` are the operation's other query parameters, which an exploded
    /// object's properties are told apart from.
    pub fn param_json<T: DeserializeOwned>(
        &self,
        place: Place,
        name: &str,
        style: ParamStyle,
        others: &[&str],
    ) -> Result<Option<T>, String> {
        let value = match (place, style) {
            (Place::Query, ParamStyle::DeepObject) => {
                let prefix = format!("{name}[");
                let map: serde_json::Map<String, serde_json::Value> = self
                    .query
                    .iter()
                    .filter_map(|(k, v)| Some((k.strip_prefix(&prefix)?.strip_suffix(']')?.to_owned(), scalar(v))))
                    .collect();
                (!map.is_empty()).then_some(serde_json::Value::Object(map))
            }
            (Place::Query, ParamStyle::FormExploded) => {
                let repeated: Vec<serde_json::Value> = self.query_values(name).map(scalar).collect();
                if !repeated.is_empty() {
                    // A single value may be the whole JSON text of a union or a list of one.
                    Some(match repeated.as_slice() {
                        [one] => one.clone(),
                        _ => serde_json::Value::Array(repeated),
                    })
                } else {
                    let map: serde_json::Map<String, serde_json::Value> = self
                        .query
                        .iter()
                        .filter(|(k, _)| k != name && !others.contains(&k.as_str()))
                        .map(|(k, v)| (k.clone(), scalar(v)))
                        .collect();
                    (!map.is_empty()).then_some(serde_json::Value::Object(map))
                }
            }
            _ => self.texts(place, name).first().map(|text| delimited(text, style.delimiter())),
        };
        let Some(value) = value else { return Ok(None) };
        // A list of one or an object may have arrived as a plain value: try it as it is, then
        // as a list.
        match serde_json::from_value::<T>(value.clone()) {
            Ok(v) => Ok(Some(v)),
            Err(first) => serde_json::from_value::<T>(serde_json::Value::Array(vec![value]))
                .map(Some)
                .map_err(|_| format!("{place} parameter `{name}`: {first}")),
        }
    }

    /// The body decoded as JSON into `T`; an empty body reads as `null`.
    pub fn json_body<T: DeserializeOwned>(&self) -> Result<T, String> {
        let body: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) { b"null" } else { &self.body };
        serde_json::from_slice(body).map_err(|e| format!("the JSON body does not fit its type: {e}"))
    }

    /// An `application/x-www-form-urlencoded` body decoded into `T` (each value read as JSON
    /// when it is a number or a boolean).
    pub fn form_body<T: DeserializeOwned>(&self) -> Result<T, String> {
        let map: serde_json::Map<String, serde_json::Value> =
            form_pairs(&self.text()).into_iter().map(|(k, v)| (k, scalar(&v))).collect();
        serde_json::from_value(serde_json::Value::Object(map))
            .map_err(|e| format!("the form body does not fit its type: {e}"))
    }

    /// A `multipart/form-data` body, its parts in order.
    pub fn multipart_body(&self) -> Result<Form, String> {
        let boundary = self
            .content_type()
            .and_then(|ct| ct.split(';').map(str::trim).find_map(|p| p.strip_prefix("boundary=")))
            .map(|b| b.trim_matches('"').to_owned())
            .ok_or("the body is not multipart/form-data (no boundary)")?;
        parse_multipart(&self.body, &boundary).map(|parts| Form { parts })
    }
}

/// A text as the JSON scalar it spells (a number, `true`, `false`, `null`), else a string.
fn scalar(text: &str) -> serde_json::Value {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => v,
        Ok(v @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) if text.starts_with(['{', '[']) => v,
        _ => serde_json::Value::String(text.to_owned()),
    }
}

/// A delimited value (`k,v,k2,v2` or `a,b`) as JSON: JSON text as it is, else a list of its items.
fn delimited(text: &str, delimiter: &str) -> serde_json::Value {
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(text)
        && (v.is_object() || v.is_array())
    {
        return v;
    }
    if !text.contains(delimiter) {
        return scalar(text);
    }
    serde_json::Value::Array(text.split(delimiter).map(scalar).collect())
}

/// The pairs of an `application/x-www-form-urlencoded` text, decoded.
pub(crate) fn form_pairs(text: &str) -> Vec<(String, String)> {
    let decode = |s: &str| percent_decode(&s.replace('+', " "));
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// A `multipart/form-data` body, as received.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    /// The parts in order.
    pub parts: Vec<Part>,
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Its `name`.
    pub name: String,
    /// Its `filename`, for a file part.
    pub file_name: Option<String>,
    /// Its `Content-Type`.
    pub content_type: Option<String>,
    /// Its bytes.
    pub data: Bytes,
}

impl Form {
    /// The text of the first part called `name`.
    pub fn text(&self, name: &str) -> Option<String> {
        self.parts.iter().find(|p| p.name == name).map(|p| String::from_utf8_lossy(&p.data).into_owned())
    }

    /// The first file part called `name`.
    pub fn file(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.name == name && p.file_name.is_some())
    }

    /// Every part called `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Part> {
        self.parts.iter().filter(move |p| p.name == name)
    }
}

fn parse_multipart(body: &[u8], boundary: &str) -> Result<Vec<Part>, String> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut rest = body;
    let start = find(rest, delimiter.as_bytes()).ok_or("the multipart body has no boundary line")?;
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        rest = rest.strip_prefix(b"\r\n").ok_or("a boundary line is not followed by a line end")?;
        let head_end = find(rest, b"\r\n\r\n").ok_or("a part has no end of headers")?;
        let head = String::from_utf8_lossy(&rest[..head_end]).into_owned();
        rest = &rest[head_end + 4..];
        let end = find(rest, format!("\r\n{delimiter}").as_bytes()).ok_or("a part is not closed by a boundary")?;
        let data = Bytes::copy_from_slice(&rest[..end]);
        rest = &rest[end + 2 + delimiter.len()..];
        let (mut name, mut file_name, mut content_type) = (None, None, None);
        for line in head.split("\r\n") {
            let Some((key, value)) = line.split_once(':') else { continue };
            match key.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for attribute in value.split(';').map(str::trim) {
                        if let Some(v) = attribute.strip_prefix("name=") {
                            name = Some(v.trim_matches('"').to_owned());
                        } else if let Some(v) = attribute.strip_prefix("filename=") {
                            file_name = Some(v.trim_matches('"').to_owned());
                        }
                    }
                }
                "content-type" => content_type = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        let name = name.ok_or("a part has no name")?;
        parts.push(Part { name, file_name, content_type, data });
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The method of a request as the runtime spells it, when it is one.
pub(crate) fn method_of(text: &str) -> Option<HttpMethod> {
    HttpMethod::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &[(&str, &str)], headers: &[(&str, &str)], body: &[u8]) -> Request {
        Request {
            method: "POST".into(),
            path: "/x".into(),
            target: "/x".into(),
            query: query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: Bytes::copy_from_slice(body),
            body_len: body.len() as u64,
            operation: None,
            unmatched: false,
        }
    }

    #[test]
    fn parameters_decode_as_they_were_encoded() {
        let r = request(
            &[("n", "7"), ("id", "a"), ("id", "b"), ("ids", "1|2"), ("f[owner]", "ann"), ("f[n]", "3")],
            &[("x-tags", "a,b"), ("cookie", "session=s1; lang=en")],
            b"",
        );
        assert_eq!(r.param::<i32>(Place::Query, "n"), Ok(Some(7)));
        assert_eq!(r.param::<i32>(Place::Query, "missing"), Ok(None));
        assert!(r.param::<bool>(Place::Query, "n").unwrap_err().contains("query parameter `n`"));
        assert_eq!(r.param_items::<String>(Place::Query, "id"), Ok(Some(vec!["a".into(), "b".into()])));
        assert_eq!(r.param_joined::<u32>(Place::Query, "ids", "|"), Ok(Some(vec![1, 2])));
        assert_eq!(r.param_joined::<String>(Place::Header, "x-tags", ","), Ok(Some(vec!["a".into(), "b".into()])));
        assert_eq!(r.param::<String>(Place::Cookie, "lang"), Ok(Some("en".into())));
        let f: Option<serde_json::Value> = r.param_json(Place::Query, "f", ParamStyle::DeepObject, &[]).unwrap();
        assert_eq!(f, Some(serde_json::json!({"owner": "ann", "n": 3})));
    }

    #[test]
    fn multipart_and_form_bodies_decode_into_their_parts() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nreport\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.yxzp\"\r\nContent-Type: application/zip\r\n\r\nPK\x03\x04\r\n--XyZ--\r\n";
        let r = request(&[], &[("content-type", "multipart/form-data; boundary=XyZ")], body);
        let form = r.multipart_body().unwrap();
        assert_eq!(form.text("name").as_deref(), Some("report"));
        let file = form.file("file").unwrap();
        assert_eq!(
            (file.file_name.as_deref(), file.content_type.as_deref()),
            (Some("a.yxzp"), Some("application/zip"))
        );
        assert_eq!(&file.data[..], b"PK\x03\x04");
        let r = request(&[], &[], b"grant_type=client_credentials&n=2&who=a+b%21");
        let v: serde_json::Value = r.form_body().unwrap();
        assert_eq!(v, serde_json::json!({"grant_type": "client_credentials", "n": 2, "who": "a b!"}));
    }
}
