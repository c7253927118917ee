//! One operation's request on its way: URL, query, headers and body are added by the generated
//! method, then one of the `send_*` methods runs it and turns the response into a typed result.
//! Building never fails on the spot: an encoding problem is kept and returned by `send_*`, so the
//! generated methods are plain functions that return the runtime's future (no state machine each).

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::client::Client;
use super::error::{ApiError, Error, MAX_ERROR_BODY};
use super::json_path;
use super::multipart::MultipartForm;

/// A raw request body (`application/octet-stream` uploads).
pub struct Body(pub(crate) reqwest::Body);

impl From<Bytes> for Body {
    fn from(b: Bytes) -> Self {
        Body(reqwest::Body::from(b))
    }
}

impl From<Vec<u8>> for Body {
    fn from(b: Vec<u8>) -> Self {
        Body(reqwest::Body::from(b))
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Body")
    }
}

enum Payload {
    None,
    Bytes(Bytes),
    Stream(reqwest::Body),
    Multipart(MultipartForm),
}

pub(crate) struct OperationRequest<'c> {
    client: &'c Client,
    method: reqwest::Method,
    operation_id: &'static str,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    cookies: Vec<String>,
    content_type: Option<&'static str>,
    payload: Payload,
    /// The first problem met while building; `send_*` returns it without sending anything.
    error: Option<Error>,
}

impl<'c> OperationRequest<'c> {
    pub(crate) fn new(client: &'c Client, method: reqwest::Method, operation_id: &'static str, path: String) -> Self {
        OperationRequest {
            client,
            method,
            operation_id,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            content_type: None,
            payload: Payload::None,
            error: None,
        }
    }

    /// Keeps the first encoding problem for `send_*`.
    fn fail(&mut self, message: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(Error::Encode { operation_id: self.operation_id, message: message.into() });
        }
    }

    pub(crate) fn query(&mut self, name: &'static str, value: &str) {
        self.query.push((name, value.to_owned()));
    }

    pub(crate) fn header(&mut self, name: &'static str, value: &str) {
        let header = reqwest::header::HeaderName::from_bytes(name.as_bytes());
        match (header, reqwest::header::HeaderValue::from_str(value)) {
            (Ok(header), Ok(value)) => self.headers.push((header, value)),
            (Err(e), _) => self.fail(format!("header name `{name}`: {e}")),
            (_, Err(e)) => self.fail(format!("header `{name}`: {e}")),
        }
    }

    pub(crate) fn cookie(&mut self, name: &'static str, value: &str) {
        self.cookies.push(format!("{name}={value}"));
    }

    pub(crate) fn content_type(&mut self, media_type: &'static str) {
        // Multipart bodies set their own type, with the boundary.
        if !matches!(self.payload, Payload::Multipart(_)) {
            self.content_type = Some(media_type);
        }
    }

    pub(crate) fn json<T: Serialize + ?Sized>(&mut self, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.payload = Payload::Bytes(Bytes::from(bytes)),
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(crate) fn form<T: Serialize + ?Sized>(&mut self, body: &T) {
        let value = match serde_json::to_value(body) {
            Ok(value) => value,
            Err(e) => return self.fail(e.to_string()),
        };
        let mut out = String::new();
        if let serde_json::Value::Object(map) = value {
            for (k, v) in map {
                let v = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => continue,
                    other => other.to_string(),
                };
                if !out.is_empty() {
                    out.push('&');
                }
                out.push_str(&form_encode(&k));
                out.push('=');
                out.push_str(&form_encode(&v));
            }
        }
        self.payload = Payload::Bytes(Bytes::from(out));
    }

    pub(crate) fn text(&mut self, body: String) {
        self.payload = Payload::Bytes(Bytes::from(body));
    }

    pub(crate) fn body(&mut self, body: impl Into<Body>) {
        self.payload = Payload::Stream(body.into().0);
    }

    pub(crate) fn multipart(&mut self, form: MultipartForm) {
        self.payload = Payload::Multipart(form);
    }

    /// Sends the request; a non-2xx status becomes [`Error::Api`].
    async fn send(self) -> Result<reqwest::Response, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let inner = &self.client.inner;
        let mut url = reqwest::Url::parse(&format!("{}{}", inner.base_url, self.path))
            .map_err(|e| Error::Encode { operation_id: self.operation_id, message: format!("invalid URL: {e}") })?;
        if !self.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &self.query {
                pairs.append_pair(name, value);
            }
        }
        let mut req = inner.http.request(self.method.clone(), url);
        if let Some(token) = &inner.bearer_token {
            req = req.bearer_auth(token);
        }
        for (name, value) in self.headers {
            req = req.header(name, value);
        }
        if !self.cookies.is_empty() {
            req = req.header(reqwest::header::COOKIE, self.cookies.join("; "));
        }
        if let Some(ct) = self.content_type {
            req = req.header(reqwest::header::CONTENT_TYPE, ct);
        }
        req = match self.payload {
            Payload::None => req,
            Payload::Bytes(b) => req.body(b),
            Payload::Stream(b) => req.body(b),
            Payload::Multipart(form) => {
                let form = form
                    .into_reqwest()
                    .map_err(|source| Error::Transport { operation_id: self.operation_id, source })?;
                req.multipart(form)
            }
        };
        let operation_id = self.operation_id;
        let response = req.send().await.map_err(|source| Error::Transport { operation_id, source })?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let content_type =
            response.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = read_bounded(response, MAX_ERROR_BODY).await;
        Err(Error::Api(Box::new(ApiError { operation_id, status: status.as_u16(), content_type, body })))
    }

    /// Sends and decodes a JSON body into `T`; a mismatch names the failing JSON path.
    pub(crate) async fn send_json<T: DeserializeOwned>(self) -> Result<T, Error> {
        let operation_id = self.operation_id;
        let response = self.send().await?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(|source| Error::Transport { operation_id, source })?;
        // An empty body reads as JSON `null`, which an `Option` accepts.
        let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"null" } else { &body };
        serde_json::from_slice(text).map_err(|e| Error::Decode {
            operation_id,
            status,
            path: json_path::path_at(text, json_path::offset_of(text, e.line(), e.column())),
            message: e.to_string(),
            body: body.slice(..body.len().min(MAX_ERROR_BODY)),
        })
    }

    /// Sends and discards the body.
    pub(crate) async fn send_empty(self) -> Result<(), Error> {
        self.send().await.map(drop)
    }

    /// Sends and returns the body as text.
    pub(crate) async fn send_text(self) -> Result<String, Error> {
        let operation_id = self.operation_id;
        let response = self.send().await?;
        response.text().await.map_err(|source| Error::Transport { operation_id, source })
    }

    /// Sends and returns the body as bytes.
    pub(crate) async fn send_bytes(self) -> Result<Bytes, Error> {
        let operation_id = self.operation_id;
        let response = self.send().await?;
        response.bytes().await.map_err(|source| Error::Transport { operation_id, source })
    }
}

/// Reads at most `limit` bytes of a body; what does not arrive is simply not kept.
async fn read_bounded(mut response: reqwest::Response, limit: usize) -> Bytes {
    let mut out = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = limit - out.len();
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= limit {
            break;
        }
    }
    Bytes::from(out)
}

fn form_encode(s: &str) -> String {
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
