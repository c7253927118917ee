//! What a request would send, as text, for the command line's `--dry-run`: the method and URL,
//! the headers (credentials and other secrets redacted), and the body (JSON laid out, files and
//! streams named, never read). Builds nothing and sends nothing; no token is fetched.

use std::fmt::Write as _;

use super::{OperationRequest, Payload};
use crate::auth::Auth;
use crate::body::Source;
use crate::error::Error;

/// Header, cookie and query names whose values are secrets.
fn sensitive(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["authorization", "token", "secret", "password", "passwd", "api-key", "apikey", "api_key", "cookie", "session"]
        .iter()
        .any(|word| name.contains(word))
}

const REDACTED: &str = "<redacted>";

impl OperationRequest {
    /// The request as text: `METHOD URL`, the headers, a blank line and the body.
    ///
    /// # Errors
    ///
    /// The problem met while building it (a path value that cannot be a segment, an invalid
    /// header), as `send_*` would return it.
    pub(crate) fn preview(mut self) -> Result<String, Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let mut url = self.url()?;
        if url.query_pairs().any(|(name, _)| sensitive(&name)) {
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .map(|(n, v)| {
                    let v = if sensitive(&n) { REDACTED.to_string() } else { v.into_owned() };
                    (n.into_owned(), v)
                })
                .collect();
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
        let mut out = format!("{} {url}\n", self.operation.method);
        match &self.client.inner.auth {
            Auth::None => {}
            Auth::Bearer(_) => out.push_str("authorization: Bearer <redacted>\n"),
            Auth::ClientCredentials(source) => {
                let _ = writeln!(out, "authorization: Bearer <redacted: a token from {}>", source.token_url);
            }
        }
        if let Some(content_type) = self.content_type {
            let _ = writeln!(out, "content-type: {content_type}");
        }
        if let Payload::Multipart(_) = self.payload {
            out.push_str("content-type: multipart/form-data; boundary=<chosen when sent>\n");
        }
        let headers = self.headers.iter().chain(self.client.extra.headers.iter());
        for (name, value) in headers {
            let value = if sensitive(name.as_str()) { REDACTED } else { value.to_str().unwrap_or("<not text>") };
            let _ = writeln!(out, "{name}: {value}");
        }
        if !self.cookies.is_empty() {
            let cookies: Vec<String> = self
                .cookies
                .iter()
                .map(|c| match c.split_once('=') {
                    Some((name, _)) if sensitive(name) => format!("{name}={REDACTED}"),
                    _ => c.clone(),
                })
                .collect();
            let _ = writeln!(out, "cookie: {}", cookies.join("; "));
        }
        out.push('\n');
        match &self.payload {
            Payload::None => {}
            Payload::Bytes(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) if self.content_type.is_some_and(crate::read::is_json) => {
                    out.push_str(&crate::cli::pretty_json(text.as_bytes()));
                    out.push('\n');
                }
                Ok(text) => {
                    out.push_str(text);
                    out.push('\n');
                }
                Err(_) => {
                    let _ = writeln!(out, "<{} bytes>", bytes.len());
                }
            },
            Payload::Source(source) => {
                let _ = writeln!(out, "{}", describe(source));
            }
            Payload::Multipart(form) => {
                for (name, part) in form.describe(describe) {
                    let _ = writeln!(out, "--- part `{name}`: {part}");
                }
            }
        }
        Ok(out)
    }
}

/// Where a streamed body comes from, without reading it.
pub(crate) fn describe(source: &Source) -> String {
    match source {
        Source::Bytes(bytes) => format!("<{} bytes>", bytes.len()),
        Source::Path(path) => format!("<the file {}, streamed>", path.display()),
        Source::Stream(_, Some(length)) => format!("<a stream of {length} bytes>"),
        Source::Stream(_, None) => "<a stream>".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use crate::Client;
    use crate::operation::{HttpMethod, Operation, PathPart};
    use crate::params::In;

    static OP: Operation =
        Operation { id: "op", method: HttpMethod::Post, template: "/x", path: &[PathPart::Literal("/x")] };

    #[test]
    fn secrets_are_redacted_and_the_body_laid_out() {
        let client = Client::builder("http://host/api")
            .allow_insecure_http(true)
            .bearer_token("s3cret")
            .build()
            .unwrap()
            .with_header("X-Api-Key", "k3y")
            .unwrap();
        let mut r = client.request(&OP, &[]);
        r.param(In::Query, "access_token", &"t0ken");
        r.param(In::Query, "view", &"Full");
        r.param(In::Header, "X-Trace", &"abc");
        r.param(In::Cookie, "session", &"c00kie");
        r.body(bytes::Bytes::from_static(br#"{"name":"a","tags":[1,2]}"#), "application/json");
        let text = r.preview().unwrap();
        for secret in ["s3cret", "k3y", "t0ken", "c00kie"] {
            assert!(!text.contains(secret), "{secret} shown in:\n{text}");
        }
        assert!(text.starts_with("POST http://host/api/x?access_token=%3Credacted%3E&view=Full\n"), "{text}");
        assert!(text.contains("authorization: Bearer <redacted>\n") && text.contains("x-trace: abc\n"), "{text}");
        assert!(text.contains("x-api-key: <redacted>\n") && text.contains("cookie: session=<redacted>\n"), "{text}");
        assert!(text.ends_with("\n\n{\n  \"name\": \"a\",\n  \"tags\": [\n    1,\n    2\n  ]\n}\n"), "{text}");
    }
}
