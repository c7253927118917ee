//! The answer's side of a call: the `send_*` methods, which run the attempts and read the
//! response into a [`RawAnswer`] the same for every answer type (a JSON body, text, nothing, a
//! stream), for [`CallFuture`] to decode when it is polled. Nothing here is generic over the
//! answer's type, so it is compiled once, in the runtime.

use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::{OperationRequest, Received};
use crate::call::{AnswerBody, CallFuture, RawAnswer, Transport, WithResponse};
use crate::download::ByteStream;
use crate::error::{Error, MAX_ERROR_BODY};
use crate::read::{ReadFailed, is_json, read_capped};
use crate::timeout::which;

impl OperationRequest {
    /// Sends and decodes a JSON body into `T` when the call is awaited; a mismatch names the
    /// failing JSON path.
    pub fn send_json<T: DeserializeOwned + Send + 'static>(self) -> CallFuture<T> {
        CallFuture::new(self.json_reply(false))
    }

    /// Sends and decodes a JSON array of `T`; a body that is a single `T` instead (a server
    /// whose answers disagree with its document) is read as a list of one.
    pub fn send_one_or_many<T: DeserializeOwned + Send + 'static>(self) -> CallFuture<Vec<T>> {
        CallFuture::new(self.json_reply(true))
    }

    /// The attempts and the whole JSON body, not generic over what it decodes into.
    fn json_reply(self, one_or_many: bool) -> Transport {
        Box::pin(async move {
            let answer = self.accepting_json().send().await?.read_json().await?;
            Ok(answer.head.reply(AnswerBody::Json { body: answer.body, one_or_many }))
        })
    }

    /// Sends and checks the JSON body with `check` (the command line's decoder of the answer's
    /// type), returning it as it came.
    #[cfg(feature = "cli")]
    pub(crate) async fn send_checked(self, check: crate::cli::Check) -> Result<Bytes, Error> {
        Ok(self.send_checked_with_headers(check).await?.1)
    }

    /// [`Self::send_checked`], with the response's headers (a page's `Link`).
    #[cfg(feature = "cli")]
    pub(crate) async fn send_checked_with_headers(
        self,
        check: crate::cli::Check,
    ) -> Result<(reqwest::header::HeaderMap, Bytes), Error> {
        let answer = self.accepting_json().send().await?.read_json().await?;
        if let Err(mismatch) = check(&answer.body) {
            return Err(answer.head.mismatch(&answer.body, mismatch.path, mismatch.message));
        }
        Ok((answer.head.headers, answer.body))
    }

    /// The request asking for JSON first (`Accept: application/json, */*;q=0.1`), unless an
    /// `Accept` parameter says otherwise: a server that can answer in XML too (as many Swagger
    /// 2.0 APIs declare) then answers in the form this call decodes.
    fn accepting_json(mut self) -> Self {
        if !self.headers.iter().any(|(name, _)| name == reqwest::header::ACCEPT) {
            let value = reqwest::header::HeaderValue::from_static("application/json, */*;q=0.1");
            self.headers.push((reqwest::header::ACCEPT, value));
        }
        self
    }

    /// Sends and discards the body.
    pub fn send_empty(self) -> CallFuture<()> {
        CallFuture::new(Box::pin(async move {
            let received = self.send().await?;
            Ok(Head::of(&received).reply(AnswerBody::Made(Box::new(()))))
        }))
    }

    /// Sends and returns the body as text. A JSON string (with a JSON content type) is
    /// unquoted, so that a value a server sends either as `"abc"` or as `abc` reads the same.
    pub fn send_text(self) -> CallFuture<String> {
        CallFuture::new(Box::pin(async move {
            let received = self.send().await?;
            let head = Head::of(&received);
            let (content_type, body) = received.read().await?;
            if content_type.as_deref().is_some_and(is_json)
                && let Ok(serde_json::Value::String(text)) = serde_json::from_slice(&body)
            {
                return Ok(head.reply(AnswerBody::Made(Box::new(text))));
            }
            match String::from_utf8(body.to_vec()) {
                Ok(text) => Ok(head.reply(AnswerBody::Made(Box::new(text)))),
                Err(e) => Err(head.mismatch(&body, ".", format!("the body is not UTF-8 text: {e}"))),
            }
        }))
    }

    /// Sends and returns the body as a stream.
    pub fn send_stream(self) -> CallFuture<ByteStream> {
        CallFuture::new(Box::pin(async move {
            let received = self.send().await?;
            let head = Head::of(&received);
            let stream = ByteStream::new(received.operation_id, received.response, received.idle, received.deadline);
            Ok(head.reply(AnswerBody::Made(Box::new(stream))))
        }))
    }
}

/// What a call's answer says besides its body.
pub(super) struct Head {
    pub(super) operation_id: &'static str,
    pub(super) status: u16,
    headers: reqwest::header::HeaderMap,
    pub(super) request_id: Option<String>,
}

impl Head {
    fn of(received: &Received) -> Head {
        Head {
            operation_id: received.operation_id,
            status: received.response.status().as_u16(),
            headers: received.response.headers().clone(),
            request_id: received.request_id.clone(),
        }
    }

    /// The body does not fit its type at `path`.
    fn mismatch(&self, body: &Bytes, path: impl Into<String>, message: impl Into<String>) -> Error {
        Error::decode(self.operation_id, self.status, self.request_id.as_deref(), body, path, message)
    }

    /// The answer to decode, with the response's status and headers.
    fn reply(self, body: AnswerBody) -> WithResponse<RawAnswer> {
        let Head { operation_id, status, headers, request_id } = self;
        let reply = RawAnswer { operation_id, status, request_id: request_id.clone(), body };
        WithResponse { status, headers, request_id, value: reply }
    }
}

/// The transport's part of a JSON call: the response's head and its whole body.
struct JsonAnswer {
    head: Head,
    body: Bytes,
}

impl Received {
    /// The whole body of a response that must be JSON (or say nothing of its type).
    async fn read_json(self) -> Result<JsonAnswer, Error> {
        let head = Head::of(&self);
        let (content_type, body) = self.read().await?;
        if content_type.as_deref().is_some_and(|ct| !is_json(ct)) {
            let body = body.slice(..body.len().min(MAX_ERROR_BODY));
            let Head { operation_id, status, request_id, .. } = head;
            let request_id = request_id.map(Into::into);
            return Err(Error::ContentType { operation_id, status, content_type, body, request_id });
        }
        Ok(JsonAnswer { head, body })
    }

    /// The whole body, within the attempt timeout (per chunk) and the deadline.
    async fn read(self) -> Result<(Option<String>, Bytes), Error> {
        let (operation_id, deadline, started) = (self.operation_id, self.deadline, self.started);
        read_capped(self.response, usize::MAX, self.idle, deadline).await.map_err(|e| match e {
            ReadFailed::Timeout => Error::Timeout { operation_id, kind: which(deadline), after: started.elapsed() },
            ReadFailed::Transport { source, received, expected } => {
                Error::reading(operation_id, source, received, expected)
            }
        })
    }
}
