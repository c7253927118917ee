//! The hand-written runtime of every client the generator emits: the client's core and its
//! builder, credentials, the attempt loop with retries and timeouts, errors, parameter encoding,
//! streamed uploads and downloads, multipart forms, pagination and polling.
//!
//! Generated crates depend on this crate and re-export its public types; each wraps [`Client`]
//! in a `Client` of its own, which the `@generated` operation modules extend with the operation
//! groups (`client.workflows()`). What the generated code calls to build and send a request is
//! public only for it: [`__private`] and the `json_object!` and `client_names!` macros are hidden
//! from the docs and are not a stable API. What names the generated crate (its tracing spans
//! `<crate>.request` and `<crate>.token`, its user agent) comes from the crate itself, through
//! `client_names!` expanded there.
//!
//! Why a dependency rather than a copy in each generated crate: see the README's "The runtime".
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth;
mod base64;
mod body;
mod call;
#[cfg(feature = "cli")]
pub mod cli;
mod client;
mod download;
mod error;
mod intercept;
mod json_path;
#[cfg(feature = "mock")]
pub mod mock;
mod multipart;
mod operation;
mod paginate;
mod params;
mod poll;
mod read;
mod request;
mod retry;
mod timeout;
mod transport;
mod wire;

pub use api::*;
pub use client::{Client, ClientBuilder};

/// What a generated crate re-exports at its root, besides the `Client` and `ClientBuilder` of its
/// own: the types its users name.
pub mod api {
    pub use crate::base64::Base64;
    pub use crate::body::{Body, BoxError, OnProgress};
    pub use crate::call::{CallFuture, FromAnswer, WithResponse};
    pub use crate::download::ByteStream;
    pub use crate::error::{ApiError, Error};
    pub use crate::intercept::{Attempt, AttemptKind, AttemptOutcome, Interceptor, OutgoingRequest};
    pub use crate::multipart::FilePart;
    pub use crate::paginate::{PageParam, Paged};
    pub use crate::params::StringEnum;
    pub use crate::poll::PollOptions;
    pub use crate::retry::RetryPolicy;
    pub use crate::timeout::TimeoutKind;
    pub use crate::transport::TransportKind;
}

/// What the generated modules call: building and sending requests, encoding parameters, paging,
/// polling, reading and writing JSON objects. Not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use crate::client::ClientNames;
    pub use crate::multipart::MultipartForm;
    pub use crate::operation::{HttpMethod, Operation, PathPart};
    pub use crate::paginate::{Paging, paginate, paginate_cursor, paginate_links};
    pub use crate::params::{FromParam, In, ParamStyle, ToParam, json_from_param, json_param, simple_param};
    pub use crate::poll::poll_until;
    pub use crate::request::OperationRequest;
    pub use crate::wire::{
        Entries, ErasedSerialize, ExtraSlot, Key, Slot, TaggedMember, deserialize_string_enum, deserialize_tagged,
        present, read_fields, write_object,
    };
    #[cfg(feature = "cli")]
    pub use clap;
    pub use {serde, tracing};
}

/// The [`ClientNames`](__private::ClientNames) of the crate where it is expanded: the user agent
/// `<package>/<version>` and the spans `<crate>.request` and `<crate>.token`, read from that
/// crate's `CARGO_PKG_NAME`, `CARGO_PKG_VERSION` and `CARGO_CRATE_NAME`. A span's name is part
/// of its static metadata, so it has to be written in the crate it names.
#[doc(hidden)]
#[macro_export]
macro_rules! client_names {
    () => {
        $crate::client_names!(request_id: None)
    };
    (request_id: $request_id:expr) => {
        $crate::__private::ClientNames {
            request_id_header: $request_id,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            request_span: |operation_id, method, path| {
                $crate::__private::tracing::debug_span!(
                    concat!(env!("CARGO_CRATE_NAME"), ".request"),
                    operation_id,
                    method = %method,
                    path,
                    status = $crate::__private::tracing::field::Empty,
                    attempt = $crate::__private::tracing::field::Empty,
                    latency_ms = $crate::__private::tracing::field::Empty,
                )
            },
            token_span: |token_url| {
                $crate::__private::tracing::debug_span!(concat!(env!("CARGO_CRATE_NAME"), ".token"), token_url = %token_url)
            },
        }
    };
}

#[cfg(test)]
mod tests;

/// The generated crate's `Client`: the runtime's core [`Client`] wrapped in a type of the crate's
/// own, so that the operation modules can add the groups to it (`client.workflows()`), named
/// after the crate (its user agent and tracing spans, through [`client_names!`]); with its
/// `ClientBuilder` and the re-exports of [`api`]. Expanded once, at the generated crate's root,
/// with the docs of the client and of its `builder` that the spec's title and servers give.
#[doc(hidden)]
#[macro_export]
macro_rules! generated_client {
    (
        $(#[$client_doc:meta])*
        pub struct Client;
        $(#[$builder_doc:meta])*
        pub fn builder;
        request_id: $request_id:expr;
    ) => {
        pub use $crate::api::*;

        $(#[$client_doc])*
        #[derive(Clone)]
        pub struct Client {
            inner: $crate::Client,
        }

        /// Configures a [`Client`]: credentials, retries, timeouts, TLS.
        pub type ClientBuilder = $crate::ClientBuilder<Client>;

        /// This crate's user agent and tracing span names.
        static CLIENT_NAMES: $crate::__private::ClientNames = $crate::client_names!(request_id: $request_id);

        impl Client {
            $(#[$builder_doc])*
            pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
                ClientBuilder::new(base_url, &CLIENT_NAMES)
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.inner.base_url()
            }

            /// This client with another retry policy, for the calls made through the copy.
            #[must_use]
            pub fn with_retry(&self, retry: RetryPolicy) -> Client {
                Client { inner: self.inner.with_retry(retry) }
            }

            /// This client with another per-attempt timeout (`None`: none), for the calls made through the copy.
            #[must_use]
            pub fn with_timeout(&self, timeout: Option<std::time::Duration>) -> Client {
                Client { inner: self.inner.with_timeout(timeout) }
            }

            /// This client with a deadline for each whole call, retries included (`None`: none),
            /// for the calls made through the copy.
            #[must_use]
            pub fn with_deadline(&self, deadline: Option<std::time::Duration>) -> Client {
                Client { inner: self.inner.with_deadline(deadline) }
            }

            /// This client with a header added to every call made through the copy.
            ///
            /// # Errors
            ///
            /// `Error::Config` for a header name or value HTTP does not allow.
            pub fn with_header(&self, name: &str, value: &str) -> Result<Client, Error> {
                Ok(Client { inner: self.inner.with_header(name, value)? })
            }

            /// This client with a query parameter added to every call made through the copy.
            #[must_use]
            pub fn with_query(&self, name: &str, value: &str) -> Client {
                Client { inner: self.inner.with_query(name, value) }
            }

            /// Sends `method` to `path` under the base URL without a body, with this client's
            /// credentials, and returns the answer's status whatever it is: for diagnostics
            /// (does this server have that route, does it take this key?).
            ///
            /// # Errors
            ///
            /// No answer (transport, timeout), a refused token request, or an unknown method.
            pub async fn probe(&self, method: &str, path: &str) -> Result<u16, Error> {
                self.inner.probe(method, path).await
            }
        }

        impl From<$crate::Client> for Client {
            fn from(inner: $crate::Client) -> Self {
                Client { inner }
            }
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.inner.fmt(f)
            }
        }
    };
}

/// The generated crate's `Mock` (the `mock` feature): the runtime's [`mock::MockServer`] of the
/// crate's operations (the static it is given lists their descriptors), with a client for it and the `Received` calls; the generated mock
/// modules add the typed expectations per group (`mock.jobs().get_job()`). Expanded once, in the
/// crate's `mock` module.
#[cfg(feature = "mock")]
#[doc(hidden)]
#[macro_export]
// `crate::Client` is the generated crate's, which the macro means: it is expanded there.
#[allow(clippy::crate_in_macro_def)]
macro_rules! generated_mock {
    ($operations:ident) => {
        /// A mock server of this crate's operations on 127.0.0.1, for tests of code that uses
        /// the client: [`Mock::client`] reaches it through the real client (credentials,
        /// retries, timeouts and decoding run as in production), the group accessors
        /// (`mock.<group>().<operation>()`) make typed expectations, [`Mock::received`] gives the
        /// calls it received, decoded, and [`Mock::verify`] says which expectations were not
        /// met. The untyped server, its token endpoint and raw requests are [`Mock::server`].
        #[derive(Clone, Debug)]
        pub struct Mock {
            server: $crate::mock::MockServer,
        }

        impl Mock {
            /// Starts a mock server on a free port of 127.0.0.1, serving under `/api`.
            pub async fn start() -> Mock {
                Mock { server: $crate::mock::MockServer::start($operations).await }
            }

            /// Starts a mock server serving under `base_path` (`/webapi`), as a real server would.
            pub async fn start_under(base_path: &str) -> Mock {
                Mock { server: $crate::mock::MockServer::start_under($operations, base_path).await }
            }

            /// The untyped server: its token endpoint (`tokens()`), raw requests, untyped
            /// expectations.
            pub fn server(&self) -> &$crate::mock::MockServer {
                &self.server
            }

            /// The base URL a client for it uses.
            pub fn base_url(&self) -> &str {
                self.server.base_url()
            }

            /// A builder of clients for it: the mock's client credentials, plain HTTP allowed,
            /// retries that wait milliseconds. Change what the test needs, then `build()`.
            pub fn client_builder(&self) -> crate::ClientBuilder {
                let (key, secret) = self.server.client_credentials();
                crate::Client::builder(self.server.base_url())
                    .client_credentials(key, secret)
                    .allow_insecure_http(true)
                    .retry($crate::mock::test_retries())
            }

            /// A client for it.
            ///
            /// # Panics
            ///
            /// Never for the mock's own settings (the builder's errors are about URLs and
            /// certificates, which a mock client does not have).
            pub fn client(&self) -> crate::Client {
                self.client_builder().build().expect("a client for the mock server builds")
            }

            /// The calls received, by group and operation, decoded into the operations' types.
            pub fn received(&self) -> Received<'_> {
                Received { mock: self }
            }

            /// `Ok` when every expectation was met as many times as it was to be and every
            /// request was answered by one.
            ///
            /// # Errors
            ///
            /// `Unmet`, naming each expectation and request.
            pub fn verify(&self) -> Result<(), $crate::mock::Unmet> {
                self.server.verify()
            }
        }

        /// The calls the mock server received, by group and operation, decoded.
        #[derive(Debug, Clone, Copy)]
        pub struct Received<'a> {
            mock: &'a Mock,
        }
    };
}
