//! What calling every operation of a generated crate needs, for contract runs against a mock
//! server that checks requests (Prism): [`Samples`] reads values from the spec (its examples,
//! else values its schemas allow), [`invocation`] turns them into a command line of the crate's
//! generated `cli` module, and [`credentials`] says what satisfies an operation's security.

mod credentials;
mod fits;
mod invocation;
mod pattern;
mod samples;

pub use credentials::{Credentials, credentials};
pub use invocation::{invocation, sample};
pub use samples::{ID, Samples};
