//! The intermediate model: what the client is, in plain data. [`crate::lower`] builds it from an
//! OpenAPI document; the emitters read nothing else. It holds no tokens and no OpenAPI types, keeps
//! the spec's order everywhere (never a hash map's), and already carries the Rust names, so that
//! every naming decision is visible in the IR snapshot a reviewer reads.

/// The whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The first entry of `servers`, if any.
    pub server: Option<Server>,
    /// The OAuth2 client-credentials token URL template, if the spec declares that flow.
    pub token_url: Option<String>,
    /// The named type that the spec's error responses (4xx, 5xx, `default`) use most, if any:
    /// the client offers `ApiErrorExt::error_response()` to read it.
    pub error_type: Option<String>,
    /// Operation groups, in the order the spec's `tags` declare them, then in order of first use.
    pub groups: Vec<Group>,
    /// Named types: component schemas in spec order, each followed by the inline types it needs,
    /// then the inline types of operations in operation order.
    pub types: Vec<TypeDef>,
    /// Hand-written modules of the crate that `lib.rs` declares (`x-codegen-modules`), such as
    /// task helpers built on the operations.
    pub modules: Vec<ExtraModule>,
    /// What generation assumed about defects of the spec that have one reading, located.
    pub warnings: Vec<crate::diagnostics::Warning>,
    /// The generated crate's library name (`alteryx_server`), when the caller knows it: the doc
    /// examples (compiled as doctests) name it. Without it, they are left out.
    pub library: Option<String>,
    /// More of the crate's front page, Markdown (`x-codegen-guide` at the document's root): the
    /// spec owner's own walk-through, after the generated quickstart.
    pub guide: Option<String>,
}

/// A hand-written module that the generated crate root declares (`pub mod <name>;`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraModule {
    /// The module's name (`tasks`): a file `src/<name>.rs` or `src/<name>/mod.rs` of the crate.
    pub name: String,
    /// What it holds, for the crate's docs.
    pub description: String,
}

/// A server URL template such as `https://{serverHostname}/webapi`.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The template.
    pub url: String,
    /// Its variables with their defaults and descriptions, in spec order.
    pub variables: Vec<ServerVariable>,
}

/// One `{variable}` of a server URL template.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// The name in the template.
    pub name: String,
    /// The Rust parameter name.
    pub rust_name: String,
    /// The spec's default value.
    pub default: String,
    /// The spec's description.
    pub description: Option<String>,
}

/// The operations of one tag: `client.workflows()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The tag's name (`Workflows`), or `default` for untagged operations.
    pub tag: String,
    /// The tag's description.
    pub description: Option<String>,
    /// Module and accessor name (`workflows`).
    pub module: String,
    /// The accessor's type name (`Workflows`).
    pub type_name: String,
    /// Operations in spec order.
    pub operations: Vec<Operation>,
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or a stable name derived from method and path.
    pub id: String,
    /// The method's Rust name (`upload_workflow`).
    pub rust_name: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template (`/v3/workflows/{workflowId}`).
    pub path: String,
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
    /// [`MAX_POSITIONAL`]) or two `bool`s side by side.
    pub params_type: Option<String>,
    /// The name of the struct holding the optional parameters, when there are any.
    pub options_type: Option<String>,
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
}

/// The parameters that page through a list operation, and the stream method over all pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// How a page's position is counted.
    pub kind: PageKind,
    /// The Rust name of the position parameter (`offset` or `page`).
    pub offset: String,
    /// The Rust name of the page size parameter (`limit` or `page_size`).
    pub limit: String,
    /// The stream method's Rust name (`get_workflow_jobs_stream`).
    pub rust_name: String,
}

/// How the position of a page is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `offset`: items to skip.
    Offset,
    /// `page`: the page number, from 1.
    Number,
}

/// A helper that calls an operation until a string field of its answer is final (a job until it
/// has completed, failed or been cancelled). Declared in the spec, or an overlay, as
/// `x-codegen-poll: {method, field, final}` (or `pending` instead of `final`) on an operation
/// without a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poll {
    /// The helper's Rust name (`wait_until_done`).
    pub rust_name: String,
    /// The field's wire name (`status`).
    pub field: String,
    /// The field's Rust name.
    pub field_rust_name: String,
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

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// How an array query parameter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `a=1&a=2` (form, explode: the default).
    FormExploded,
    /// `a=1,2` (form, explode: false).
    FormComma,
    /// `a=1 2` (spaceDelimited, not exploded: its default).
    SpaceDelimited,
    /// `a=1|2` (pipeDelimited, not exploded: its default).
    PipeDelimited,
    /// `a[k]=v` (deepObject).
    DeepObject,
}

impl QueryStyle {
    /// What joins the items of a list into one value, for the styles that join them.
    pub fn delimiter(self) -> Option<&'static str> {
        match self {
            QueryStyle::FormComma => Some(","),
            QueryStyle::SpaceDelimited => Some(" "),
            QueryStyle::PipeDelimited => Some("|"),
            QueryStyle::FormExploded | QueryStyle::DeepObject => None,
        }
    }
}

/// One parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The wire name.
    pub name: String,
    /// The Rust name.
    pub rust_name: String,
    /// Where it travels.
    pub location: ParamLocation,
    /// `required` (always true for path parameters).
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// How it is written in a query string.
    pub style: QueryStyle,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// How its value (each item, for a list) is written: decided by the wire pass.
    pub wire: Wire,
}

/// How a value that travels as text (a parameter, a multipart text part) is written. Decided by
/// the lowering's wire pass (`lower/wire.rs`) from the types a reference leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Wire {
    /// Its plain text form (`ToParam`): strings, numbers, booleans, dates, UUIDs, bytes, string
    /// enums and aliases of them.
    #[default]
    Text,
    /// Its JSON text: objects, maps, unions, arbitrary JSON.
    Json,
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

/// A reference to a type, as a field, parameter or body uses it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A named type of [`Api::types`].
    Named {
        /// The Rust type name.
        name: String,
        /// Whether it must be boxed here to break a cycle.
        boxed: bool,
    },
    /// `string`.
    String,
    /// `string` with `format: date-time`.
    DateTime,
    /// `string` with `format: date`.
    Date,
    /// `string` with `format: uuid`.
    Uuid,
    /// `string` with `format: binary` (raw bytes; a file part in multipart).
    Binary,
    /// `string` with `format: byte` (base64).
    Base64,
    /// `boolean`.
    Bool,
    /// `integer` of a given width and signedness.
    Integer {
        /// 32 or 64.
        bits: u8,
        /// Unsigned when `minimum: 0`.
        unsigned: bool,
    },
    /// `number` (`float` → 32 bits, else 64).
    Number {
        /// 32 or 64.
        bits: u8,
    },
    /// An array.
    Array(Box<TypeRef>),
    /// A string-keyed map.
    Map(Box<TypeRef>),
    /// Any JSON value (an empty schema).
    Any,
    /// A nullable value.
    Nullable(Box<TypeRef>),
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Where the schema is (`#/components/schemas/Foo`).
    pub pointer: String,
    /// The schema's `title`/`description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// What it is.
    pub kind: TypeKind,
    /// For a struct or multipart form whose required fields are too many (more than
    /// [`MAX_POSITIONAL`]) or too alike (two `bool`s) to be positional arguments of `new`: the
    /// name of the struct of required fields that `new` takes instead, so that every value is
    /// named where it is given.
    pub required_fields: Option<String>,
}

/// The most positional arguments a generated function takes.
pub const MAX_POSITIONAL: usize = 5;

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// An object with known fields.
    Struct {
        /// Fields in spec order (`allOf` members' fields first, in member order).
        fields: Vec<Field>,
        /// Extra properties kept in a map of this value type (`additionalProperties`).
        additional: Option<TypeRef>,
    },
    /// A string enum.
    Enum {
        /// Variants in spec order.
        variants: Vec<EnumVariant>,
    },
    /// Another name for a type.
    Alias(TypeRef),
    /// `oneOf`/`anyOf`.
    OneOf {
        /// Members in spec order.
        variants: Vec<OneOfVariant>,
        /// The discriminator property, when the union is tagged.
        discriminator: Option<String>,
    },
    /// A multipart form: fields become parts; binary fields are file parts.
    Multipart {
        /// The parts in spec order.
        fields: Vec<Field>,
    },
}

/// One field of a struct.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The wire name.
    pub name: String,
    /// The Rust name.
    pub rust_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `readOnly: true`.
    pub read_only: bool,
    /// The schema's `default` (as JSON text): what the server assumes when the field is absent.
    pub default: Option<String>,
    /// How a multipart part of it is written (each item, for a list): decided by the wire pass.
    pub wire: Wire,
}

/// One variant of a string enum.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumVariant {
    /// The wire value.
    pub value: String,
    /// The Rust name.
    pub rust_name: String,
}

/// One member of a union.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OneOfVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The discriminator value that selects it (tagged unions only).
    pub tag: Option<String>,
    /// Its type.
    pub ty: TypeRef,
}

impl TypeKind {
    /// Every type reference the kind holds directly (fields, extra properties, an alias's
    /// target, union members), for the passes that walk them.
    pub fn refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct { fields, additional } => {
                fields.iter().map(|f| &f.ty).chain(additional.as_ref()).collect()
            }
            TypeKind::Multipart { fields } => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::OneOf { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Enum { .. } => Vec::new(),
        }
    }

    /// [`Self::refs`], to change them.
    pub fn refs_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeKind::Struct { fields, additional } => {
                fields.iter_mut().map(|f| &mut f.ty).chain(additional.as_mut()).collect()
            }
            TypeKind::Multipart { fields } => fields.iter_mut().map(|f| &mut f.ty).collect(),
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::OneOf { variants, .. } => variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Enum { .. } => Vec::new(),
        }
    }
}

impl Api {
    /// All operations, group by group.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.groups.iter().flat_map(|g| g.operations.iter())
    }
}
