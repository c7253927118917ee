//! Operations: their path, parameters (each with its encoding decided), bodies, responses,
//! and the helpers built on them (page streams, poll helpers).

use super::{RustName, TypeId, TypeRef};

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or a stable name derived from method and path.
    pub id: String,
    /// The method's Rust name (`upload_workflow`).
    pub rust_name: RustName,
    /// The name of the operation's descriptor, a static of its group's module (`UPLOAD_WORKFLOW`).
    pub descriptor: RustName,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template, parsed.
    pub path: PathTemplate,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Path-level and operation-level parameters, path parameters first in template order.
    pub params: Vec<Parameter>,
    /// The name of the struct holding the required parameters, when they are too many to be
    /// positional arguments (with the body, the options and a poll helper's settings, more than
    /// [`super::MAX_POSITIONAL`]) or two `bool`s side by side.
    pub params_type: Option<RustName>,
    /// The name of the struct holding the optional parameters, when there are any.
    pub options_type: Option<RustName>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// Documented responses in spec order.
    pub responses: Vec<Response>,
    /// What a successful call returns.
    pub success: Success,
    /// Pagination, when the operation returns a JSON array and has `offset` and `limit` (or
    /// `page` and `pageSize`) query parameters: the client then also offers a stream over all
    /// pages, named here.
    pub pagination: Option<Pagination>,
    /// A helper that repeats the call until a field of the answer is final (`x-codegen-poll`).
    pub poll: Option<Poll>,
    /// The JSON array it returns may come as a single item, read as a list of one
    /// (`x-codegen-one-or-many: true`, for servers whose document and answers disagree).
    pub one_or_many: bool,
    /// Where the operation is in the spec (`#/paths/~1v3~1workflows/post`).
    pub pointer: String,
    /// What the mock layer (the generated crate's `mock` feature) calls its parts.
    pub mock: MockNames,
    /// How the command line (the generated crate's `cli` feature) offers it.
    pub cli: CliCommand,
}

/// An operation as a command of the generated command line: its subcommand, an argument per
/// parameter and the body's. Decided by the lowering's `cli` pass, from the Rust names (no second
/// naming scheme) and the wire decisions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CliCommand {
    /// The subcommand, the method's name in kebab case (`get-job`).
    pub name: String,
    /// One per parameter, in [`Operation::params`] order.
    pub params: Vec<CliArg>,
    /// How the body is given, when there is one.
    pub body: Option<CliBody>,
}

/// A parameter's (or a body field's) argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliArg {
    /// A flag without its dashes (`include-messages`), or a path parameter's positional value
    /// name (`JOB_ID`).
    pub name: String,
    /// What a value is (each item's, for a list).
    pub value: CliValue,
    /// A list: the flag is repeated.
    pub repeated: bool,
}

/// What a value given on the command line is, checked before anything is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CliValue {
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
    /// A date.
    Date,
    /// A UUID.
    Uuid,
    /// Base64 text.
    Base64,
    /// One of a string enum's values.
    Enum(TypeId),
    /// JSON text of the value's type (objects, unions, maps, lists of them).
    Json,
    /// A file's path, streamed (a file part).
    File,
}

/// How a body is given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliBody {
    /// A JSON (or form) document with `--body`, and a flag per top-level scalar field of its
    /// object.
    Document {
        /// The flags, each with the index of its field in the body type's fields.
        fields: Vec<(usize, CliArg)>,
    },
    /// `multipart/form-data`: a flag per part, in the form's field order.
    Parts(Vec<CliArg>),
    /// Text or bytes, with `--body`.
    Raw,
}

/// The names the mock layer gives an operation: decided with the others, in lowering.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MockNames {
    /// The typed expectation (`GetJobExpectation`).
    pub expectation: RustName,
    /// The decoded call (`GetJobCall`).
    pub call: RustName,
    /// One matcher per parameter, in [`Operation::params`] order: the parameter's name, unless
    /// the runtime's expectation has a method of that name.
    pub matchers: Vec<RustName>,
    /// The body's matchers: by value, and by a predicate.
    pub body: RustName,
    /// See [`MockNames::body`].
    pub body_matching: RustName,
}

impl Operation {
    /// The status a successful answer carries: the first 2xx one documented, else 200.
    pub fn success_status(&self) -> u16 {
        self.responses
            .iter()
            .find_map(|r| match r.status {
                Status::Code(code) if (200..300).contains(&code) => Some(code),
                _ => None,
            })
            .unwrap_or(200)
    }
}

impl Operation {
    /// The required parameters, in order: the leading arguments of the method.
    pub fn required_params(&self) -> impl Iterator<Item = &Parameter> {
        self.params.iter().filter(|p| p.required)
    }

    /// The optional parameters, in order: the fields of the options struct.
    pub fn optional_params(&self) -> impl Iterator<Item = &Parameter> {
        self.params.iter().filter(|p| !p.required)
    }
}

/// An HTTP method, spelled once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl HttpMethod {
    /// Every method, in the order a path item lists them.
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// As HTTP writes it: `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// As a path item's key writes it: `get`.
    pub fn key(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
        }
    }

    /// The runtime's variant name (`Get`), as the descriptor writes it.
    pub fn variant(self) -> &'static str {
        match self {
            HttpMethod::Get => "Get",
            HttpMethod::Put => "Put",
            HttpMethod::Post => "Post",
            HttpMethod::Delete => "Delete",
            HttpMethod::Options => "Options",
            HttpMethod::Head => "Head",
            HttpMethod::Patch => "Patch",
            HttpMethod::Trace => "Trace",
        }
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A path template (`/v3/workflows/{workflowId}/jobs`), parsed once, by lowering
/// (`lower/operations.rs`): nothing later reads the text for its placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    /// The template as the spec writes it.
    pub text: String,
    /// Its literal pieces and placeholders, in order.
    pub segments: Vec<PathSegment>,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Text sent as it is (`/v3/workflows/`).
    Literal(String),
    /// A `{placeholder}`: the path parameter at this index of [`Operation::params`].
    Param(usize),
}

impl std::fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParamLocation {
    /// A `{segment}` of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

impl ParamLocation {
    /// As the spec's `in` writes it: `query`.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

impl std::fmt::Display for ParamLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parameter's serialization style, as the spec declares it (`style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamStyle {
    /// `a=1&a=2` (form, explode: the query's default).
    FormExploded,
    /// `a=1,2` (form, explode: false).
    FormComma,
    /// `a=1 2` (spaceDelimited, not exploded: its default).
    SpaceDelimited,
    /// `a=1|2` (pipeDelimited, not exploded: its default).
    PipeDelimited,
    /// `a[k]=v` (deepObject).
    DeepObject,
    /// `1,2` (simple: the path's and header's default).
    Simple,
}

/// How a parameter's value is written. Decided by the lowering's wire pass from its location,
/// style and the types its reference leads to; the emitter maps each to one runtime call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ParamEncoding {
    /// Its plain text form (`ToParam`).
    #[default]
    Text,
    /// A list, one `name=value` pair per item (form, exploded).
    TextItems,
    /// A list, its items' text joined into one value by the delimiter.
    Joined(Delimiter),
    /// Its JSON form laid out in the style: objects, maps, unions, arbitrary JSON, and lists of
    /// them.
    Json(ParamStyle),
}

/// What joins a list's items into one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delimiter {
    /// `,`
    Comma,
    /// ` `
    Space,
    /// `|`
    Pipe,
}

impl Delimiter {
    /// The delimiter's text.
    pub fn as_str(self) -> &'static str {
        match self {
            Delimiter::Comma => ",",
            Delimiter::Space => " ",
            Delimiter::Pipe => "|",
        }
    }
}

/// One parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The wire name.
    pub name: String,
    /// The Rust name.
    pub rust_name: RustName,
    /// Where it travels.
    pub location: ParamLocation,
    /// `required` (always true for path parameters).
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// How the spec says it is laid out.
    pub style: ParamStyle,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// How its value is written: decided by the wire pass.
    pub encoding: ParamEncoding,
}

/// How a body is encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json` and `+json` types.
    Json,
    /// `multipart/form-data`.
    Multipart,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `text/*`.
    Text,
    /// Raw bytes (`application/octet-stream` and everything else).
    Binary,
}

/// A request body; of several media types the first JSON one wins, then the first in spec order.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The media type sent as `Content-Type`.
    pub media_type: String,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// Its type.
    pub ty: TypeRef,
    /// `required`.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
}

/// Which status codes a response covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// One code (`200`).
    Code(u16),
    /// A range (`2XX` → 2).
    Range(u16),
    /// `default`.
    Default,
}

impl Status {
    /// Whether the status stands for success (2xx).
    pub fn is_success(&self) -> bool {
        match self {
            Status::Code(c) => (200..300).contains(c),
            Status::Range(r) => *r == 2,
            Status::Default => false,
        }
    }

    /// Whether a response with `code` is the one this status documents (`default` covers any).
    pub fn covers(&self, code: u16) -> bool {
        match self {
            Status::Code(c) => *c == code,
            Status::Range(r) => code / 100 == *r,
            Status::Default => true,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(c) => write!(f, "{c}"),
            Status::Range(r) => write!(f, "{r}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

/// One documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status it covers.
    pub status: Status,
    /// `description`.
    pub description: String,
    /// The body, if the response declares content.
    pub body: Option<ResponseBody>,
}

/// A response's body.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseBody {
    /// The media type chosen (JSON first, then the first one).
    pub media_type: String,
    /// How it is decoded.
    pub encoding: BodyEncoding,
    /// Its type.
    pub ty: TypeRef,
}

/// What a call returns on success.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// No body (`()`).
    Empty,
    /// A decoded JSON value of this type.
    Json(TypeRef),
    /// The body as text.
    Text,
    /// The body as bytes.
    Bytes,
}

/// The page stream of a list operation: how pages follow each other, where the stream sets the
/// position, where the items are, and what the stream yields. Resolved by lowering (recognised,
/// or declared with `x-codegen-pagination`), so that the emitters print it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// How one page leads to the next.
    pub style: PageStyle,
    /// Where the items are in the answer: a path of fields, or empty when the answer is the list.
    pub items: Vec<FieldStep>,
    /// The stream method's Rust name (`get_workflow_jobs_stream`).
    pub rust_name: RustName,
    /// The type of the items.
    pub item: TypeRef,
}

/// How one page of a list leads to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageStyle {
    /// A position counted by the client (`offset` and `limit`, `page` and `pageSize`); the last
    /// page is the first shorter than the size asked for.
    Counted {
        /// How the position is counted.
        kind: PageKind,
        /// Where the position (`offset` or `page`) is set.
        position: PageSlot,
        /// Where the page size (`limit` or `pageSize`) is set.
        size: PageSlot,
    },
    /// A token from each answer, sent back in a query parameter for the next page; the last
    /// page is the one without a token.
    Cursor {
        /// The optional query parameter that takes the token (`pageToken`, `starting_after`).
        param: PageSlot,
        /// Where the token is.
        token: PageToken,
    },
    /// The next page's URL, followed as it is; the last page is the one without it.
    Link {
        /// The answer's field holding the URL (`@odata.nextLink`), or `None` for the `Link`
        /// header's `rel="next"`.
        field: Option<Vec<FieldStep>>,
    },
}

/// Where a cursor page's next token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageToken {
    /// A field of the answer (`nextPageToken`, `meta.next_cursor`).
    Field(Vec<FieldStep>),
    /// A field of the page's last item (its `id`) while a boolean field of the answer says there
    /// are more (`has_more`), as Stripe pages.
    LastItem {
        /// The boolean field of the answer.
        has_more: Vec<FieldStep>,
        /// The item's field.
        field: FieldStep,
    },
}

/// One field on a path into an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    /// The wire name.
    pub name: String,
    /// The Rust name.
    pub rust_name: RustName,
    /// Whether the Rust field is an `Option`.
    pub optional: bool,
}

/// A path of fields as the wire names it: `meta.next_cursor`.
pub fn field_path_text(path: &[FieldStep]) -> String {
    path.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(".")
}

impl Pagination {
    /// How the stream pages, in a few words: `offset (offset and limit)`,
    /// `cursor (pageToken from nextPageToken)`, `links (Link header)`.
    pub fn describe(&self) -> String {
        match &self.style {
            PageStyle::Counted { kind, position, size } => {
                let by = match kind {
                    PageKind::Offset => "offset",
                    PageKind::Number => "page number",
                };
                format!("{by} ({} and {})", position.name, size.name)
            }
            PageStyle::Cursor { param, token: PageToken::Field(path) } => {
                format!("cursor ({} from {})", param.name, field_path_text(path))
            }
            PageStyle::Cursor { param, token: PageToken::LastItem { has_more, field } } => {
                format!(
                    "cursor ({} from the last item's {} while {})",
                    param.name,
                    field.name,
                    field_path_text(has_more)
                )
            }
            PageStyle::Link { field: None } => "links (Link header)".into(),
            PageStyle::Link { field: Some(path) } => format!("links ({})", field_path_text(path)),
        }
    }
}

/// How the position of a page is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `offset`: items to skip.
    Offset,
    /// `page`: the page number, from 1.
    Number,
}

/// Where a paging parameter lives in a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSlot {
    /// The parameter, an index into [`Operation::params`].
    pub param: usize,
    /// Its wire name (`offset`).
    pub name: String,
    /// Its Rust name (`offset`).
    pub rust_name: RustName,
    /// Where the call takes it.
    pub place: SlotPlace,
}

/// Where a call takes a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotPlace {
    /// A positional argument of the method (a required parameter).
    Argument,
    /// A field of the operation's params struct (a required parameter, named).
    Params,
    /// A field of the operation's options struct (an optional parameter).
    Options,
}

/// A helper that calls an operation until a string field of its answer is final (a job until it
/// has completed, failed or been cancelled). Declared in the spec, or an overlay, as
/// `x-codegen-poll: {method, field, final}` (or `pending` instead of `final`) on an operation
/// without a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poll {
    /// The helper's Rust name (`wait_until_done`).
    pub rust_name: RustName,
    /// The field's wire name (`status`).
    pub field: String,
    /// The field's Rust name.
    pub field_rust_name: RustName,
    /// Whether the field is an `Option` (then an absent value counts as not final).
    pub field_optional: bool,
    /// When the answer is final.
    pub until: PollUntil,
}

/// When a polled answer is final.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollUntil {
    /// When the field has one of these wire values (`final`); any other value, one the spec does
    /// not know included, means "ask again".
    Final(Vec<String>),
    /// When the field has none of these wire values (`pending`).
    NotPending(Vec<String>),
}

impl PollUntil {
    /// The values listed, whichever way they are read.
    pub fn values(&self) -> &[String] {
        match self {
            PollUntil::Final(v) | PollUntil::NotPending(v) => v,
        }
    }
}
