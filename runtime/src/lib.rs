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
mod paginate;
mod params;
mod poll;
mod request;
mod retry;
mod timeout;
mod transport;
mod wire;

pub use base64::Base64;
pub use body::{Body, BoxError, OnProgress};
pub use client::{Client, ClientBuilder};
pub use download::ByteStream;
pub use error::{ApiError, Error};
pub use multipart::FilePart;
pub use paginate::{PageParam, Paged};
pub use poll::PollOptions;
pub use retry::RetryPolicy;
pub use timeout::TimeoutKind;
pub use transport::TransportKind;

/// What the generated modules call: building and sending requests, encoding parameters, paging,
/// polling, reading and writing JSON objects. Not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use crate::client::ClientNames;
    pub use crate::multipart::MultipartForm;
    pub use crate::paginate::{Paging, paginate};
    pub use crate::params::{QueryStyle, ToParam, json_param, simple_param};
    pub use crate::poll::poll_until;
    pub use crate::request::OperationRequest;
    pub use crate::wire::{
        Entries, ErasedSerialize, ExtraSlot, Key, Slot, deserialize_string_enum, present, read_fields, write_object,
    };
    pub use reqwest::Method;
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
