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
mod client;
mod download;
mod error;
mod json_path;
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
    pub use crate::download::ByteStream;
    pub use crate::error::{ApiError, Error};
    pub use crate::multipart::FilePart;
    pub use crate::paginate::{PageParam, Paged};
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
    pub use crate::paginate::{Paging, paginate};
    pub use crate::params::{In, ParamStyle, ToParam, json_param, simple_param};
    pub use crate::poll::poll_until;
    pub use crate::request::OperationRequest;
    pub use crate::wire::{
        Entries, ErasedSerialize, ExtraSlot, Key, Slot, deserialize_string_enum, present, read_fields, write_object,
    };
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
        $crate::__private::ClientNames {
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
        static CLIENT_NAMES: $crate::__private::ClientNames = $crate::client_names!();

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
