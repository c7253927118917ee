//! One operation's call: the generated method adds parameters (one call per parameter, chosen by
//! the encoding the generator decided) and the body, then one of the `send_*` methods
//! (`answer.rs`) runs the attempts kept here (credentials, the 401 token refresh, retries with
//! backoff, timeouts, a tracing span). Building never fails on the spot: an encoding problem is
//! kept and returned by `send_*`, so the generated methods are plain functions that return the
//! runtime's future.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use serde::Serialize;
use tokio::time::Instant;
use tracing::Instrument;

use super::auth::{Auth, Secret};
use super::body::{Body, Source};
use super::client::Client;
use super::error::{ApiError, Error, MAX_ERROR_BODY};
use super::intercept::{Attempt, AttemptKind};
use super::multipart::MultipartForm;
use super::operation::Operation;
use super::params::{In, ParamStyle, ToParam, delimited_text, fill_path, form_encode, json_text, simple_param};
use super::read::{ReadFailed, read_capped};
use super::retry::{retry_after, retryable_status};
use super::timeout::{self, Progress, TimeoutKind, which};

mod answer;
#[cfg(feature = "cli")]
mod preview;

enum Payload {
    None,
    Bytes(Bytes),
    Source(Source),
    Multipart(MultipartForm),
}

impl Payload {
    fn replayable(&self) -> bool {
        match self {
            Payload::None | Payload::Bytes(_) => true,
            Payload::Source(source) => source.replayable(),
            Payload::Multipart(form) => form.replayable(),
        }
    }
}

/// One call being built by a generated operation: path, query, headers and body; `send_*`
/// sends it and decodes the answer.
pub struct OperationRequest {
    /// A clone of the caller's client (one reference count): the call's future owns what it
    /// needs, so it can be spawned or kept in a stream.
    client: Client,
    /// The operation's descriptor: id, method and path template.
    operation: &'static Operation,
    method: reqwest::Method,
    operation_id: &'static str,
    path: String,
    query: Vec<(std::borrow::Cow<'static, str>, String)>,
    headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    cookies: Vec<String>,
    content_type: Option<&'static str>,
    payload: Payload,
    /// The first problem met while building; `send_*` returns it without sending anything.
    error: Option<Error>,
    /// A whole URL the server gave (the next page's), sent instead of the base URL and path.
    absolute: Option<reqwest::Url>,
}

/// A 2xx response, and the limits that still apply to reading its body.
struct Received {
    operation_id: &'static str,
    /// The request id the server gave the call, if it sent one.
    request_id: Option<String>,
    response: reqwest::Response,
    idle: Option<Duration>,
    deadline: Option<Instant>,
    started: Instant,
}

impl OperationRequest {
    /// A request for `operation`, whose path placeholders take `values` in order, each encoded
    /// as exactly one path segment. A value that cannot be one (empty, `.`, `..`) is kept as the
    /// request's error: nothing is sent.
    pub(crate) fn new(client: &Client, operation: &'static Operation, values: &[&dyn ToParam]) -> Self {
        let operation_id = operation.id;
        let (path, error) = match fill_path(operation.path, values) {
            Ok(path) => (path, None),
            Err((name, reason)) => {
                (String::new(), Some(Error::InvalidArgument { operation_id, name: name.to_owned(), reason }))
            }
        };
        OperationRequest {
            client: client.clone(),
            operation,
            method: operation.method.to_reqwest(),
            operation_id,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            content_type: None,
            payload: Payload::None,
            error,
            absolute: None,
        }
    }

    /// A request for `operation` sent to `url`, a link the server gave (the next page), query
    /// included. A URL of another origin than the client's base URL (scheme, host and port) is
    /// refused without sending anything: the client's credentials go to its own server only.
    pub(crate) fn following(client: &Client, operation: &'static Operation, url: &str) -> Self {
        let mut request = OperationRequest::new(client, operation, &[]);
        request.error = None;
        let base = reqwest::Url::parse(&client.inner.base_url);
        let target = base.as_ref().map_err(ToString::to_string).and_then(|base| {
            let target = base.join(url).map_err(|e| format!("the link `{url}` is not a URL: {e}"))?;
            if target.origin() == base.origin() {
                Ok(target)
            } else {
                Err(format!("the link `{url}` leaves the API's origin ({})", base.origin().ascii_serialization()))
            }
        });
        match target {
            Ok(target) => request.absolute = Some(target),
            Err(reason) => {
                request.error = Some(Error::InvalidArgument { operation_id: operation.id, name: "link".into(), reason })
            }
        }
        request
    }

    /// The request sent to `path` (under the base URL) instead of the operation's.
    pub(crate) fn at(mut self, path: String) -> Self {
        self.path = path;
        self
    }

    /// Keeps the first encoding problem for `send_*`.
    fn fail(&mut self, message: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(Error::Encode { operation_id: self.operation_id, message: message.into() });
        }
    }

    /// A parameter in its plain text form (`ToParam`).
    pub fn param(&mut self, place: In, name: &'static str, value: &dyn ToParam) {
        self.add(place, name, value.to_param());
    }

    /// A list parameter, one `name=value` pair (or header, or cookie) per item.
    pub fn param_items<T: ToParam>(&mut self, place: In, name: &'static str, values: &[T]) {
        for value in values {
            self.add(place, name, value.to_param());
        }
    }

    /// A list parameter, its items' text joined into one value by `delimiter`.
    pub fn param_joined<T: ToParam>(&mut self, place: In, name: &'static str, values: &[T], delimiter: &'static str) {
        let joined = values.iter().map(ToParam::to_param).collect::<Vec<_>>().join(delimiter);
        self.add(place, name, joined);
    }

    /// A parameter of an object (or any) type, by its JSON form. In the query, an object's
    /// properties become `k=v` pairs (`form`, exploded), `name[k]=v` (`deepObject`) or
    /// `name=k,v,...` (`form`, not exploded); a list is repeated or joined by its style's
    /// delimiter; anything else is its text. In a header or cookie, the `simple` style: a list as
    /// `a,b`, an object as `k,v,k2,v2`.
    pub fn param_json<T: Serialize + ?Sized>(&mut self, place: In, name: &'static str, value: &T, style: ParamStyle) {
        if place != In::Query {
            return self.add(place, name, simple_param(value));
        }
        let value = match serde_json::to_value(value) {
            Ok(value) => value,
            Err(e) => return self.fail(format!("query parameter `{name}`: {e}")),
        };
        match (value, style) {
            (serde_json::Value::Object(map), ParamStyle::DeepObject) => {
                for (k, v) in map {
                    self.query.push((format!("{name}[{k}]").into(), json_text(&v)));
                }
            }
            (serde_json::Value::Object(map), ParamStyle::FormExploded) => {
                for (k, v) in map {
                    self.query.push((k.into(), json_text(&v)));
                }
            }
            (serde_json::Value::Array(items), ParamStyle::FormExploded) => {
                for v in items {
                    self.query.push((name.into(), json_text(&v)));
                }
            }
            (other, style) => self.query.push((name.into(), delimited_text(&other, style.delimiter()))),
        }
    }

    fn add(&mut self, place: In, name: &'static str, value: String) {
        match place {
            In::Query => self.query.push((name.into(), value)),
            In::Header => self.header(name, &value),
            In::Cookie => self.cookies.push(format!("{name}={value}")),
        }
    }

    /// A header; an invalid name or value becomes the call's error.
    fn header(&mut self, name: &'static str, value: &str) {
        let header = reqwest::header::HeaderName::from_bytes(name.as_bytes());
        match (header, reqwest::header::HeaderValue::from_str(value)) {
            (Ok(header), Ok(value)) => self.headers.push((header, value)),
            (Err(e), _) => self.fail(format!("header name `{name}`: {e}")),
            (_, Err(e)) => self.fail(format!("header `{name}`: {e}")),
        }
    }

    /// A JSON body, sent as `media_type`.
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T, media_type: &'static str) {
        self.content_type = Some(media_type);
        match serde_json::to_vec(body) {
            Ok(bytes) => self.payload = Payload::Bytes(Bytes::from(bytes)),
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// An `application/x-www-form-urlencoded` body of an object's properties, sent as
    /// `media_type`.
    pub fn form<T: Serialize + ?Sized>(&mut self, body: &T, media_type: &'static str) {
        self.content_type = Some(media_type);
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

    /// A text body, sent as `media_type`.
    pub fn text(&mut self, body: String, media_type: &'static str) {
        self.content_type = Some(media_type);
        self.payload = Payload::Bytes(Bytes::from(body));
    }

    /// A binary body: bytes, or a stream read as it is sent; sent as `media_type`.
    pub fn body(&mut self, body: impl Into<Body>, media_type: &'static str) {
        self.content_type = Some(media_type);
        self.payload = match body.into().0 {
            Source::Bytes(bytes) => Payload::Bytes(bytes),
            source => Payload::Source(source),
        };
    }

    /// A `multipart/form-data` body (its content type carries the boundary).
    pub fn multipart(&mut self, form: MultipartForm) {
        self.content_type = None;
        self.payload = Payload::Multipart(form);
    }

    /// Runs the attempts inside the call's tracing span; a non-2xx status becomes [`Error::Api`].
    async fn send(self) -> Result<Received, Error> {
        let op = self.operation;
        let span = (self.client.inner.names.request_span)(op.id, op.method.as_str(), op.template);
        self.attempts().instrument(span).await
    }

    async fn attempts(mut self) -> Result<Received, Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let operation_id = self.operation_id;
        let settings = self.client.settings;
        let started = Instant::now();
        let deadline = settings.deadline.map(|d| started + d);
        let url = self.url()?;
        let may_retry = self.operation.method.is_idempotent() || settings.retry.retry_non_idempotent;
        let span = tracing::Span::current();
        let timed_out = || Error::Timeout { operation_id, kind: which(deadline), after: started.elapsed() };
        let mut attempt = 0u32;
        let mut refreshed = false;
        let interceptors = self.client.inner.interceptors.clone();
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let progress = Progress::new();
            let sent_at = Instant::now();
            let outcome =
                timeout::run(self.attempt(&url, &progress, attempt), &progress, settings.timeout, deadline).await;
            if !interceptors.is_empty() {
                let seen = Attempt {
                    operation_id,
                    kind: AttemptKind::Call,
                    number: attempt,
                    method: self.operation.method.as_str(),
                };
                let timeout = outcome.is_none().then(timed_out);
                let result = match (&outcome, &timeout) {
                    (Some(Ok((response, _))), _) => Ok(response),
                    (Some(Err(error)), _) | (None, Some(error)) => Err(error),
                    (None, None) => unreachable!("a timed-out attempt has its error"),
                };
                interceptors.response(&seen, &result, sent_at.elapsed());
            }
            let can_retry = may_retry && attempt < settings.retry.max_attempts && self.payload.replayable();
            let (response, token) = match outcome {
                // The attempt timeout (not the deadline): nothing moved for that long. Idempotent
                // requests are tried again, as after a reset.
                None => {
                    let delay = settings.retry.backoff_delay(attempt);
                    if can_retry && which(deadline) == TimeoutKind::Attempt && fits(delay, deadline) {
                        pause(delay, attempt, "the attempt timed out").await;
                        continue;
                    }
                    return Err(timed_out());
                }
                Some(Ok(sent)) => sent,
                Some(Err(error)) => {
                    // Refused, reset, closed...: no status arrived, so an idempotent request can
                    // be sent again.
                    let transient = error.transport_kind().is_some_and(|kind| kind.before_response());
                    let delay = settings.retry.backoff_delay(attempt);
                    if transient && can_retry && fits(delay, deadline) {
                        pause(delay, attempt, "the connection failed").await;
                        continue;
                    }
                    return Err(error);
                }
            };
            let status = response.status().as_u16();
            span.record("status", status);
            span.record("latency_ms", started.elapsed().as_millis() as u64);
            let request_id = self.client.request_id(response.headers());
            if response.status().is_success() {
                tracing::debug!(status, attempt, "response");
                return Ok(Received { operation_id, request_id, response, idle: settings.timeout, deadline, started });
            }
            if status == 401
                && !refreshed
                && self.payload.replayable()
                && let (Auth::ClientCredentials(source), Some(token)) = (&self.client.inner.auth, &token)
            {
                tracing::debug!("401: fetching a new access token and trying again");
                source.invalidate(token).await;
                refreshed = true;
                continue;
            }
            if retryable_status(status) && can_retry {
                let delay = match retry_after(response.headers(), SystemTime::now()) {
                    Some(asked) if asked <= settings.retry.max_retry_after => Some(asked),
                    Some(_) => None,
                    None => Some(settings.retry.backoff_delay(attempt)),
                };
                // When the wait would pass the deadline, this answer is the call's result.
                if let Some(delay) = delay.filter(|d| fits(*d, deadline)) {
                    drop(response);
                    pause(delay, attempt, "the server answered with a transient status").await;
                    continue;
                }
            }
            tracing::debug!(status, attempt, "error response");
            let headers = response.headers().clone();
            let read = read_capped(response, MAX_ERROR_BODY, settings.timeout, deadline);
            return match read.await {
                Ok((content_type, body)) => Err(Error::Api(Box::new(ApiError {
                    operation_id,
                    status,
                    content_type,
                    body,
                    headers,
                    request_id,
                }))),
                Err(ReadFailed::Timeout) => Err(timed_out()),
                Err(ReadFailed::Transport { source, received, expected }) => {
                    Err(Error::reading(operation_id, source, received, expected))
                }
            };
        }
    }

    fn url(&self) -> Result<reqwest::Url, Error> {
        let inner = &self.client.inner;
        if let Some(url) = &self.absolute {
            // The server's link carries the whole query: only the client's extra pairs it lacks
            // are added.
            let mut url = url.clone();
            let present: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
            let missing: Vec<_> =
                self.client.extra.query.iter().filter(|(k, _)| !present.iter().any(|p| p == k)).collect();
            if !missing.is_empty() {
                let mut pairs = url.query_pairs_mut();
                for (name, value) in missing {
                    pairs.append_pair(name, value);
                }
            }
            return Ok(url);
        }
        let mut url = reqwest::Url::parse(&format!("{}{}", inner.base_url, self.path))
            .map_err(|e| Error::Encode { operation_id: self.operation_id, message: format!("invalid URL: {e}") })?;
        let extra = &self.client.extra.query;
        if !self.query.is_empty() || !extra.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &self.query {
                pairs.append_pair(name.as_ref(), value);
            }
            for (name, value) in extra.iter() {
                pairs.append_pair(name, value);
            }
        }
        Ok(url)
    }

    /// One attempt: credentials, headers and body, up to the response headers. Returns the
    /// client-credentials token it used, to drop it after a 401.
    async fn attempt(
        &mut self,
        url: &reqwest::Url,
        progress: &Arc<Progress>,
        number: u32,
    ) -> Result<(reqwest::Response, Option<Secret>), Error> {
        let operation_id = self.operation_id;
        let inner = &self.client.inner;
        let (token, refreshable) = match &inner.auth {
            Auth::None => (None, false),
            Auth::Bearer(token) => (Some(token.clone()), false),
            Auth::ClientCredentials(source) => (Some(source.token(self.client.token_context()).await?), true),
        };
        let mut request = inner.http.request(self.method.clone(), url.clone());
        if let Some(token) = &token {
            request = request.header(reqwest::header::AUTHORIZATION, token.bearer_header()?);
        }
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        for (name, value) in self.client.extra.headers.iter() {
            request = request.header(name, value);
        }
        if !self.cookies.is_empty() {
            request = request.header(reqwest::header::COOKIE, self.cookies.join("; "));
        }
        if let Some(content_type) = self.content_type {
            request = request.header(reqwest::header::CONTENT_TYPE, content_type);
        }
        request = match &mut self.payload {
            Payload::None => request,
            Payload::Bytes(bytes) => request.body(bytes.clone()),
            Payload::Source(source) => {
                let (body, length) = source.open(operation_id, progress, None).await?;
                let request = match length {
                    Some(length) => request.header(reqwest::header::CONTENT_LENGTH, length),
                    None => request,
                };
                request.body(body)
            }
            Payload::Multipart(form) => request.multipart(form.open(operation_id, progress).await?),
        };
        let mut request = request.build().map_err(|e| Error::Encode { operation_id, message: e.to_string() })?;
        let attempt = Attempt { operation_id, kind: AttemptKind::Call, number, method: self.operation.method.as_str() };
        inner.interceptors.request(attempt, &mut request);
        progress.touch();
        let response = inner.http.execute(request).await.map_err(|source| Error::sending(operation_id, source))?;
        Ok((response, token.filter(|_| refreshable)))
    }
}

/// Whether waiting `delay` leaves time before the deadline.
fn fits(delay: Duration, deadline: Option<Instant>) -> bool {
    deadline.is_none_or(|d| Instant::now() + delay < d)
}

/// Waits `delay` before the attempt after `attempt`, which failed because of `why`.
async fn pause(delay: Duration, attempt: u32, why: &'static str) {
    tracing::warn!(attempt, delay_ms = delay.as_millis() as u64, reason = why, "retrying after a failed attempt");
    tokio::time::sleep(delay).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{HttpMethod, PathPart};
    use serde_json::json;

    static OP: Operation =
        Operation { id: "op", method: HttpMethod::Get, template: "/x", path: &[PathPart::Literal("/x")] };

    #[test]
    fn json_parameters_follow_their_style() {
        let client = Client::builder("http://host/api").allow_insecure_http(true).build().unwrap();
        let mut r = client.request(&OP, &[]);
        r.param_json(In::Query, "filter", &json!({"owner": "ann"}), ParamStyle::DeepObject);
        r.param_json(In::Query, "page", &json!({"size": 10}), ParamStyle::FormExploded);
        r.param_json(In::Query, "ids", &json!([1, 2]), ParamStyle::FormComma);
        r.param_json(In::Query, "tags", &json!(["a", "b"]), ParamStyle::FormExploded);
        r.param_json(In::Query, "mode", &json!("fast"), ParamStyle::FormExploded);
        r.param_json(In::Query, "words", &json!(["a", "b"]), ParamStyle::SpaceDelimited);
        r.param_json(In::Query, "codes", &json!([1, 2]), ParamStyle::PipeDelimited);
        r.param_json(In::Query, "pair", &json!({"k": "v"}), ParamStyle::PipeDelimited);
        r.param_json(In::Header, "x-filter", &json!({"role": "admin"}), ParamStyle::Simple);
        let url = r.url().unwrap();
        assert_eq!(
            url.query(),
            Some("filter%5Bowner%5D=ann&size=10&ids=1%2C2&tags=a&tags=b&mode=fast&words=a+b&codes=1%7C2&pair=k%7Cv")
        );
        assert_eq!(r.headers[0].1, "role,admin");
    }

    #[test]
    fn text_parameters_are_repeated_or_joined() {
        let client = Client::builder("http://host/api").allow_insecure_http(true).build().unwrap();
        let mut r = client.request(&OP, &[]);
        r.param(In::Query, "n", &7);
        r.param_items(In::Query, "id", &["a", "b"]);
        r.param_joined(In::Query, "ids", &[1, 2], "|");
        r.param_joined(In::Header, "x-tags", &["a", "b"], ",");
        r.param(In::Cookie, "session", &"s1");
        r.param(In::Cookie, "lang", &"en");
        assert_eq!(r.url().unwrap().query(), Some("n=7&id=a&id=b&ids=1%7C2"));
        assert_eq!(r.headers[0].1, "a,b");
        assert_eq!(r.cookies.join("; "), "session=s1; lang=en");
    }
}
