//! The hand-written runtime that the `@generated` modules call: the client and its builder,
//! credentials, the attempt loop with retries and timeouts, errors, parameter encoding, streamed
//! uploads and downloads, multipart forms, pagination and polling. Written by hand in the runtime crate (`runtime/`), copied into each
//! generated crate.

// The runtime serves every spec the generator reads; a given spec uses only part of it.
#![allow(dead_code)]

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

/// The runtime's public API, re-exported at the crate root by the generated `lib.rs`.
pub mod exports {
    pub use super::base64::Base64;
    pub use super::body::{Body, BoxError, OnProgress};
    pub use super::client::{Client, ClientBuilder};
    pub use super::download::ByteStream;
    pub use super::error::{ApiError, Error};
    pub use super::multipart::FilePart;
    pub use super::paginate::{PageParam, Paged};
    pub use super::poll::PollOptions;
    pub use super::retry::RetryPolicy;
    pub use super::timeout::TimeoutKind;
    pub use super::transport::TransportKind;
}

// What the generated modules use; a spec without operations (webhooks only) uses none of it.
#[allow(unused_imports)]
pub use client::Client;
#[allow(unused_imports)]
pub use error::Error;
#[allow(unused_imports)]
pub(crate) use multipart::{FilePart, MultipartForm};
#[allow(unused_imports)]
pub(crate) use paginate::{PageParam, Paging, paginate};
#[allow(unused_imports)]
pub(crate) use params::{QueryStyle, ToParam, json_param, simple_param};
#[allow(unused_imports)]
pub(crate) use poll::poll_until;
#[allow(unused_imports)]
pub(crate) use reqwest::Method;
#[allow(unused_imports)]
pub(crate) use wire::{
    Entries, ErasedSerialize, ExtraSlot, Key, Slot, deserialize_string_enum, json_object, present, read_fields,
    write_object,
};
