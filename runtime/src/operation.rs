//! Operation descriptors: what a generated crate says of each operation as fixed data (one
//! `static` per operation), read by the runtime to build a request, name its span and its
//! errors, and to match a request to its operation. A path template arrives split into its
//! literal pieces and placeholders, so nothing parses it on a request.

use std::fmt;

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl HttpMethod {
    /// As HTTP writes it: `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// The method from its HTTP spelling (case-sensitive, as HTTP methods are).
    pub fn parse(method: &str) -> Option<HttpMethod> {
        Some(match method {
            "GET" => HttpMethod::Get,
            "PUT" => HttpMethod::Put,
            "POST" => HttpMethod::Post,
            "DELETE" => HttpMethod::Delete,
            "OPTIONS" => HttpMethod::Options,
            "HEAD" => HttpMethod::Head,
            "PATCH" => HttpMethod::Patch,
            "TRACE" => HttpMethod::Trace,
            _ => return None,
        })
    }

    /// Whether the client may send it twice on its own (GET, PUT, DELETE, HEAD, OPTIONS): a
    /// second attempt has no second effect.
    pub fn is_idempotent(self) -> bool {
        matches!(self, HttpMethod::Get | HttpMethod::Put | HttpMethod::Delete | HttpMethod::Head | HttpMethod::Options)
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Delete => reqwest::Method::DELETE,
            HttpMethod::Options => reqwest::Method::OPTIONS,
            HttpMethod::Head => reqwest::Method::HEAD,
            HttpMethod::Patch => reqwest::Method::PATCH,
            HttpMethod::Trace => reqwest::Method::TRACE,
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A piece of a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPart {
    /// Text sent as it is (`/v3/workflows/`).
    Literal(&'static str),
    /// A `{placeholder}`, by its name: filled with one value, encoded as exactly one segment.
    Param(&'static str),
}

/// One operation of a generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId` (or the name derived from method and path).
    pub id: &'static str,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template as the spec writes it (`/v3/workflows/{workflowId}`), for traces.
    pub template: &'static str,
    /// The template's pieces, in order.
    pub path: &'static [PathPart],
}

impl Operation {
    /// The placeholders' names, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.path.iter().filter_map(|part| match part {
            PathPart::Param(name) => Some(*name),
            PathPart::Literal(_) => None,
        })
    }

    /// Whether a request `path` (decoded of nothing: as it came, without the query) is this
    /// operation's template with each placeholder one non-empty segment; then the placeholders'
    /// values, percent-decoded, in order.
    pub fn match_path(&self, path: &str) -> Option<Vec<(&'static str, String)>> {
        let mut rest = path;
        let mut values = Vec::new();
        let mut parts = self.path.iter().peekable();
        while let Some(part) = parts.next() {
            match part {
                PathPart::Literal(text) => rest = rest.strip_prefix(text)?,
                PathPart::Param(name) => {
                    // A placeholder ends at the next literal's text, or at the segment's end.
                    let end = match parts.peek() {
                        Some(PathPart::Literal(next)) => rest.find(next)?,
                        _ => rest.find('/').unwrap_or(rest.len()),
                    };
                    let (value, after) = rest.split_at(end);
                    if value.is_empty() || value.contains('/') {
                        return None;
                    }
                    values.push((*name, percent_decode(value)));
                    rest = after;
                }
            }
        }
        rest.is_empty().then_some(values)
    }
}

/// `%XX` escapes decoded (invalid ones kept as they are); the result read as UTF-8, lossily.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    static GET_JOB: Operation = Operation {
        id: "getJob",
        method: HttpMethod::Get,
        template: "/v3/jobs/{jobId}/messages.{format}",
        path: &[
            PathPart::Literal("/v3/jobs/"),
            PathPart::Param("jobId"),
            PathPart::Literal("/messages."),
            PathPart::Param("format"),
        ],
    };

    #[test]
    fn paths_match_their_template_and_give_the_values_decoded() {
        let values = GET_JOB.match_path("/v3/jobs/a%20b/messages.json").unwrap();
        assert_eq!(values, vec![("jobId", "a b".to_string()), ("format", "json".to_string())]);
        assert_eq!(GET_JOB.match_path("/v3/jobs//messages.json"), None);
        assert_eq!(GET_JOB.match_path("/v3/jobs/a/b/messages.json"), None);
        assert_eq!(GET_JOB.match_path("/v3/jobs/a/messages.json/more"), None);
        assert_eq!(GET_JOB.placeholders().collect::<Vec<_>>(), ["jobId", "format"]);
        assert_eq!(HttpMethod::parse("PATCH"), Some(HttpMethod::Patch));
        assert!(!HttpMethod::Post.is_idempotent() && HttpMethod::Put.is_idempotent());
    }
}
