//! The hand-written runtime that the `@generated` modules call: the client and its builder,
//! request execution, errors, parameter encoding and multipart forms. Not generated; edit freely.

// The runtime serves every spec the generator reads; a given spec uses only part of it.
#![allow(dead_code)]

mod client;
mod error;
mod json_path;
mod multipart;
mod params;
mod request;
mod wire;

/// The runtime's public API, re-exported at the crate root by the generated `lib.rs`.
pub mod exports {
    pub use super::client::{Client, ClientBuilder};
    pub use super::error::{ApiError, Error};
    pub use super::multipart::FilePart;
    pub use super::request::Body;
}

pub use client::Client;
pub use error::Error;
pub(crate) use multipart::{FilePart, MultipartForm};
pub(crate) use params::{ToParam, encode_path_segment};
pub(crate) use reqwest::Method;
pub(crate) use wire::{Key, deserialize_string_enum};
