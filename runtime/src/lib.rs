//! The hand-written runtime of every client the generator emits: the client and its builder,
//! credentials, the attempt loop with retries and timeouts, errors, parameter encoding, streamed
//! uploads and downloads, multipart forms, pagination and polling.
//!
//! This crate is the runtime's home, where it is built, linted and unit-tested on its own. It is
//! not a dependency of the generated crates: `cargo xtask generate` copies `src/runtime/` into
//! each of them as `src/runtime/` (drift-checked like every generated file), so that a generated
//! crate stands alone and its `@generated` modules can add the operation groups to `Client`.
//! What names the generated crate (tracing span names, the user agent) is read from the crate
//! that compiles the copy (`CARGO_CRATE_NAME`, `CARGO_PKG_NAME`, `CARGO_PKG_VERSION`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod runtime;

pub use runtime::exports::*;

#[cfg(test)]
mod tests;
