//! The command line of a generated crate (its `cli` feature): every operation as a subcommand of
//! its group, interpreted from fixed data. The generated `cli` module holds one [`Api`]: per
//! operation a [`Command`] naming its descriptor, its parameters with their value kinds, its
//! body and its answer. This module turns that into a `clap` command tree ([`mount`], `tree.rs`),
//! checks the arguments and builds the request before anything is sent (`prepare.rs`), then sends
//! it and writes the answer ([`run`]). Data interpreted by hand-written code rather than a derive per
//! operation: the command layer of a spec of a thousand operations is a few static tables.

mod main;
mod prepare;
mod progress;
mod run;
mod text;
mod tree;
mod values;

use std::io::Write;

pub use main::{Standalone, main};
pub use progress::{NoProgress, Progress, StderrProgress, Transfer};
pub use run::{Failure, run, run_confirmed, run_from};
pub(crate) use text::pretty_json;
pub use tree::mount;

pub use crate::operation::Operation;
pub use crate::paginate::Paging;
pub use crate::params::{ParamStyle, Place, StringEnum};

/// The flags the command layer itself uses, and those of the programs that mount it (`ayx`'s
/// global flags): the generator gives no parameter or field one of these names.
pub const RESERVED_FLAGS: &[&str] = &[
    "help",
    "version",
    "body",
    "out",
    "all",
    "dry-run",
    "base-url",
    "profile",
    "config",
    "json",
    "no-progress",
    "yes",
];

/// A whole API's commands.
#[derive(Debug)]
pub struct Api {
    /// What the API is (its title), for the help.
    pub about: &'static str,
    /// The groups, in the spec's order.
    pub groups: &'static [&'static Group],
}

/// The commands of one tag (`jobs`).
#[derive(Debug)]
pub struct Group {
    /// The subcommand (`jobs`).
    pub name: &'static str,
    /// The tag's description, or its name.
    pub about: &'static str,
    /// The operations, in the spec's order.
    pub commands: &'static [Command],
}

/// One operation as a command.
#[derive(Debug)]
pub struct Command {
    /// The subcommand (`get-job`).
    pub name: &'static str,
    /// The operation's descriptor.
    pub operation: &'static Operation,
    /// The operation's summary (one line).
    pub summary: &'static str,
    /// The operation's description (may be empty).
    pub description: &'static str,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// The parameters, path parameters first in template order.
    pub params: &'static [Param],
    /// The request body, if the operation takes one.
    pub body: Option<Body>,
    /// What a successful answer holds.
    pub answer: Answer,
    /// How to read every page (`--all`), for a list operation with paging parameters.
    pub pages: Option<Pages>,
}

/// One parameter: a positional argument in the path, a flag elsewhere.
#[derive(Debug)]
pub struct Param {
    /// The wire name (`jobId`).
    pub name: &'static str,
    /// The flag without its dashes (`include-messages`), or a positional's value name
    /// (`JOB_ID`).
    pub arg: &'static str,
    /// Where it travels.
    pub place: Place,
    /// Whether the call needs it.
    pub required: bool,
    /// What a value is (each item's, for a list).
    pub value: Value,
    /// How its values are written.
    pub encoding: Encoding,
    /// Its description.
    pub doc: &'static str,
}

/// How a parameter's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// One value, its text.
    Text,
    /// A list, the flag repeated: one `name=value` per item.
    Items,
    /// A list, the flag repeated: the items joined by the delimiter into one value.
    Joined(&'static str),
    /// One JSON value (an object, a union, a list of them) laid out in the style.
    Json(ParamStyle),
}

/// What a value given on the command line is: checked before anything is sent.
#[derive(Debug, Clone, Copy)]
pub enum Value {
    /// Any text.
    Text,
    /// `true` or `false`.
    Bool,
    /// A whole number.
    Integer,
    /// A whole number, 0 or more.
    Unsigned,
    /// A number.
    Number,
    /// An RFC 3339 date-time.
    DateTime,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// A UUID.
    Uuid,
    /// Base64 text.
    Base64,
    /// One of a string enum's values (others are sent as they are, with a warning, as the
    /// client accepts them).
    Enum(&'static [&'static str]),
    /// JSON text that decodes into the value's type (checked with the type's own decoder).
    Json(Check),
    /// A file's path (a file part, streamed).
    File,
}

/// A request body.
#[derive(Debug)]
pub struct Body {
    /// The media type sent.
    pub media: &'static str,
    /// Whether the operation needs one.
    pub required: bool,
    /// The body's type, as the client names it (`UpdateWorkflowContract`), for messages.
    pub type_name: &'static str,
    /// The body's description.
    pub doc: &'static str,
    /// How it is given and sent.
    pub form: BodyForm,
}

/// How a body is given on the command line.
#[derive(Debug)]
pub enum BodyForm {
    /// A JSON document (`--body`), with flags for its top-level scalar fields; checked against
    /// the body's type before it is sent.
    Json {
        /// Decodes the document into the body's type.
        check: Check,
        /// The flags of its top-level fields.
        fields: &'static [Field],
    },
    /// An object given as JSON (`--body`) and fields, sent `application/x-www-form-urlencoded`.
    Form {
        /// Decodes the document into the body's type.
        check: Check,
        /// The flags of its top-level fields.
        fields: &'static [Field],
    },
    /// `multipart/form-data`: a flag per part; file parts are paths, streamed.
    Multipart(&'static [Field]),
    /// Text, from a file, standard input or the argument itself.
    Text,
    /// Bytes, streamed from a file or standard input.
    Binary,
}

/// A body field (or part) given by a flag.
#[derive(Debug)]
pub struct Field {
    /// The wire name.
    pub name: &'static str,
    /// The flag without its dashes.
    pub arg: &'static str,
    /// What a value is (each item's, for a list).
    pub value: Value,
    /// A list: the flag is repeated.
    pub repeated: bool,
    /// Whether the body needs it.
    pub required: bool,
    /// Its description.
    pub doc: &'static str,
}

/// What a successful answer holds.
#[derive(Debug, Clone, Copy)]
pub enum Answer {
    /// JSON, checked against the answer's type.
    Json(Check),
    /// Text.
    Text,
    /// Bytes: written to `--out`.
    Binary,
    /// Nothing.
    Empty,
}

/// How to read every page of a list operation.
#[derive(Debug, Clone, Copy)]
pub enum Pages {
    /// A position the client counts.
    Counted {
        /// How pages are counted.
        paging: Paging,
        /// The position's parameter (`offset`, `page`).
        position: &'static str,
        /// The size's parameter (`limit`, `pageSize`).
        size: &'static str,
    },
    /// A token from each answer sent back in a query parameter.
    Cursor {
        /// The parameter that takes the token (`pageToken`).
        param: &'static str,
        /// Where the items are in the answer (empty: the answer is the list).
        items: &'static [&'static str],
        /// Where the token is.
        token: Token,
    },
    /// The next page's URL, followed as it is.
    Links {
        /// Where the items are in the answer (empty: the answer is the list).
        items: &'static [&'static str],
        /// The answer's field with the URL, or `None` for the `Link` header.
        next: Option<&'static [&'static str]>,
    },
}

/// Where a cursor page's next token is.
#[derive(Debug, Clone, Copy)]
pub enum Token {
    /// A field of the answer.
    Field(&'static [&'static str]),
    /// A field of the last item, while a boolean field of the answer is true.
    LastItem {
        /// The boolean field.
        has_more: &'static [&'static str],
        /// The item's field.
        field: &'static str,
    },
}

/// Decodes JSON text into a type, to check it: the JSON path and the reason where it does not fit.
pub type Check = fn(&[u8]) -> Result<(), Mismatch>;

/// Where and why JSON does not fit its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The JSON path (`schedule.frequency`, `.` for the whole value).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// A [`Check`]: whether `json` decodes into `T`, with the decoder the client uses for answers.
pub fn check<T: serde::de::DeserializeOwned>(json: &[u8]) -> Result<(), Mismatch> {
    let text: &[u8] = if json.iter().all(u8::is_ascii_whitespace) { b"null" } else { json };
    serde_json::from_slice::<T>(text).map(|_| ()).map_err(|e| Mismatch {
        path: crate::json_path::path_at(text, crate::json_path::offset_of(text, e.line(), e.column())),
        message: e.to_string(),
    })
}

/// A [`Check`] for an answer that is a list of `T` or, from servers whose answers disagree with
/// their document, a single `T`.
pub fn check_one_or_many<T: serde::de::DeserializeOwned>(json: &[u8]) -> Result<(), Mismatch> {
    match json.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') | None => check::<Vec<T>>(json),
        Some(_) => check::<T>(json),
    }
}

/// Where a command writes: standard output (or a test's buffer), whether that is a terminal
/// (then JSON is pretty and binary answers need `--out -`), and how transfers show progress.
pub struct Output<'a> {
    /// Where answers go.
    pub out: &'a mut (dyn Write + Send),
    /// Whether it is a terminal.
    pub terminal: bool,
    /// Progress of uploads and downloads.
    pub progress: &'a dyn Progress,
}

/// The generated crate's `cli` module (its `cli` feature): [`Invocation`], the parsed `api`
/// command that a program mounts in its own `clap` tree (`ayx api`), and `main` for a program
/// of its own. Expanded once, in the crate's `cli` module, with the static [`Api`] it serves.
#[doc(hidden)]
#[macro_export]
// `crate::Client` is the generated crate's, which the macro means: it is expanded there.
#[allow(clippy::crate_in_macro_def)]
macro_rules! generated_cli {
    ($api:ident, default_url: $default_url:expr) => {
        pub use $crate::cli::{Failure, NoProgress, Operation, Output, Progress, StderrProgress, Transfer};

        /// The parsed command of an operation, mounted in a program's own `clap` tree as a
        /// subcommand (`#[command(flatten)]` is not it: a variant `Api(Invocation)` of the
        /// program's subcommands); [`Invocation::run`] sends it.
        #[derive(Debug, Clone)]
        pub struct Invocation {
            matches: $crate::__private::clap::ArgMatches,
        }

        impl Invocation {
            /// Checks the arguments, sends the request (nothing with `--dry-run`) and writes the
            /// answer.
            ///
            /// # Errors
            ///
            /// [`Failure::Usage`] for arguments that do not fit (nothing was sent),
            /// [`Failure::Call`] for a call that failed, [`Failure::Io`] for a local file.
            pub async fn run(
                &self,
                client: &crate::Client,
                output: &mut $crate::cli::Output<'_>,
            ) -> Result<(), $crate::cli::Failure> {
                $crate::cli::run(&$api, &client.inner, &self.matches, output).await
            }

            /// [`Invocation::run`], asking `confirm` about the operation once the arguments are
            /// checked and before anything is sent (not for `--dry-run`); its `Err` ends the
            /// command with [`Failure::Declined`], its reason as the message.
            ///
            /// # Errors
            ///
            /// As [`Invocation::run`], and [`Failure::Declined`].
            pub async fn run_confirmed(
                &self,
                client: &crate::Client,
                output: &mut $crate::cli::Output<'_>,
                confirm: impl FnOnce(&'static $crate::cli::Operation) -> Result<(), String>,
            ) -> Result<(), $crate::cli::Failure> {
                $crate::cli::run_confirmed(&$api, &client.inner, &self.matches, output, confirm).await
            }
        }

        /// Parses `args` (a program name first, then `<group> <operation> ...`) and runs the
        /// command with `client`: the command line inside a program of one's own, or a test.
        ///
        /// # Errors
        ///
        /// [`Failure::Usage`] with `clap`'s message for arguments it refuses; as
        /// [`Invocation::run`] otherwise.
        pub async fn run_from<I, T>(
            client: &crate::Client,
            args: I,
            output: &mut $crate::cli::Output<'_>,
        ) -> Result<(), $crate::cli::Failure>
        where
            I: IntoIterator<Item = T>,
            T: Into<std::ffi::OsString> + Clone,
        {
            $crate::cli::run_from(&$api, &client.inner, args, output).await
        }

        impl $crate::__private::clap::FromArgMatches for Invocation {
            fn from_arg_matches(
                matches: &$crate::__private::clap::ArgMatches,
            ) -> Result<Self, $crate::__private::clap::Error> {
                Ok(Invocation { matches: matches.clone() })
            }

            fn update_from_arg_matches(
                &mut self,
                matches: &$crate::__private::clap::ArgMatches,
            ) -> Result<(), $crate::__private::clap::Error> {
                self.matches = matches.clone();
                Ok(())
            }
        }

        impl $crate::__private::clap::Args for Invocation {
            fn augment_args(command: $crate::__private::clap::Command) -> $crate::__private::clap::Command {
                $crate::cli::mount(&$api, command)
            }

            fn augment_args_for_update(command: $crate::__private::clap::Command) -> $crate::__private::clap::Command {
                $crate::cli::mount(&$api, command)
            }
        }

        /// Runs the command line as a program of its own: the connection from `--base-url` and
        /// the environment (`<CRATE>_BASE_URL`, `<CRATE>_TOKEN`, or `<CRATE>_CLIENT_ID` and
        /// `<CRATE>_CLIENT_SECRET`), every operation a subcommand of its group, progress on
        /// standard error, and the exit codes of [`Failure::exit_code`].
        pub fn main() -> std::process::ExitCode {
            $crate::cli::main(
                &$api,
                &$crate::cli::Standalone {
                    names: &crate::CLIENT_NAMES,
                    crate_name: env!("CARGO_CRATE_NAME"),
                    default_url: $default_url,
                },
            )
        }
    };
}
