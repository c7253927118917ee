//! Lowering of paths: operations grouped by tag, their parameters (path parameters first, the
//! template parsed once), bodies and responses, and what a successful call returns.

use indexmap::IndexMap;
use openapiv3::{
    Parameter as OaParameter, ReferenceOr, RequestBody as OaRequestBody, Response as OaResponse, Schema, SchemaKind,
    StatusCode, Type, VariantOrUnknownOrEmpty,
};
use std::collections::HashMap;

use super::extensions::{one_or_many, rust_name_of};
use super::resolve::Resolved;
use super::schemas::{Hint, doc_of};
use super::{Lowerer, Sch, resolve, sch};
use crate::error::{Error, Result, escape_token};
use crate::ir::*;
use crate::naming::{Scope, camel, snake, type_name};

impl<'a> Lowerer<'a> {
    pub(super) fn operations(&mut self) -> Result<Vec<Group>> {
        let doc = self.doc;
        let mut groups: IndexMap<String, Group> = IndexMap::new();
        // A group accessor is a method of the generated `Client`, which has the runtime client's
        // methods: none may take a name it has.
        let client_methods: Vec<&str> =
            crate::runtime_names::runtime_names().client_methods.iter().map(String::as_str).collect();
        let mut modules = Scope::with_reserved(&client_methods);
        for tag in &doc.tags {
            groups
                .entry(tag.name.clone())
                .or_insert_with(|| new_group(&tag.name, tag.description.clone(), &mut modules, &mut self.scope));
        }
        let mut seen_ids: HashMap<String, String> = HashMap::new();
        for (path, item) in doc.paths.paths.iter() {
            let item_at = format!("#/paths/{}", escape_token(path));
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { .. } => {
                    return Err(Error::at(item_at, "path item references are not supported"));
                }
            };
            for method in HttpMethod::ALL {
                let op = match method {
                    HttpMethod::Get => &item.get,
                    HttpMethod::Put => &item.put,
                    HttpMethod::Post => &item.post,
                    HttpMethod::Delete => &item.delete,
                    HttpMethod::Options => &item.options,
                    HttpMethod::Head => &item.head,
                    HttpMethod::Patch => &item.patch,
                    HttpMethod::Trace => &item.trace,
                };
                let Some(op) = op else { continue };
                let at = format!("{item_at}/{}", method.key());
                let id = op.operation_id.clone().unwrap_or_else(|| derived_id(method.key(), path));
                if let Some(first) = seen_ids.insert(id.clone(), at.clone()) {
                    return Err(Error::at(
                        format!("{at}/operationId"),
                        format!("duplicate operationId `{id}` (first used at {first})"),
                    ));
                }
                let tag = op.tags.first().cloned().unwrap_or_else(|| "default".into());
                if !groups.contains_key(&tag) {
                    let group = new_group(&tag, None, &mut modules, &mut self.scope);
                    groups.insert(tag.clone(), group);
                }
                let operation = self.operation(&id, method, path, &item.parameters, op, &at)?;
                groups[&tag].operations.push(operation);
            }
        }
        let mut groups: Vec<Group> = groups.into_values().filter(|g| !g.operations.is_empty()).collect();
        // The operations of a group are named in one scope, in spec order, so that an operation
        // keeps its name; the helpers they bring are named after them (`helpers.rs`).
        for g in &mut groups {
            let mut names = Scope::with_reserved(GROUP_RESERVED);
            for op in &mut g.operations {
                op.rust_name = names.claim(op.rust_name.raw().to_string());
            }
        }
        Ok(groups)
    }

    fn operation(
        &mut self,
        id: &str,
        method: HttpMethod,
        path: &str,
        path_params: &'a [ReferenceOr<OaParameter>],
        op: &'a openapiv3::Operation,
        at: &str,
    ) -> Result<Operation> {
        let op_camel = camel(id);
        // Operation-level parameters override path-level ones with the same name and location.
        let mut raw: Vec<(&OaParameter, String)> = Vec::new();
        for (i, p) in path_params.iter().enumerate() {
            let p_at = format!("#/paths/{}/parameters/{i}", escape_token(path));
            raw.push(self.parameter_ref(p, &p_at)?);
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let p_at = format!("{at}/parameters/{i}");
            let (param, p_at) = self.parameter_ref(p, &p_at)?;
            let key = (param.parameter_data_ref().name.clone(), location_of(param));
            raw.retain(|(q, _)| (q.parameter_data_ref().name.clone(), location_of(q)) != key);
            raw.push((param, p_at));
        }
        let mut names = Scope::with_reserved(&["body", "options", "self"]);
        let mut params = Vec::with_capacity(raw.len());
        for (param, p_at) in raw {
            let data = param.parameter_data_ref();
            let location = location_of(param);
            let ty = match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(s) => self.type_ref(
                    sch(s),
                    &Hint::new(op_camel.clone()).child(&camel(&data.name)),
                    &format!("{p_at}/schema"),
                )?,
                openapiv3::ParameterSchemaOrContent::Content(_) => TypeRef::String,
            };
            let style = style_of(param);
            params.push(Parameter {
                name: data.name.clone(),
                rust_name: names.claim(snake(&data.name)),
                location,
                required: data.required || location == ParamLocation::Path,
                ty,
                style,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
                encoding: ParamEncoding::Text,
            });
        }
        // Path parameters first, in the order the template names them; the template is parsed
        // here, once.
        let template = placeholders(path).map_err(|e| Error::at(at, e))?;
        params.sort_by_key(|p| match p.location {
            ParamLocation::Path => template.iter().position(|n| *n == p.name).unwrap_or(usize::MAX),
            _ => usize::MAX,
        });
        let path = parse_template(path, |name| {
            params.iter().position(|p| p.location == ParamLocation::Path && p.name == name)
        })
        .map_err(|e| Error::at(at, e))?;
        let options_type =
            params.iter().any(|p| !p.required).then(|| self.scope.claim(type_name(&format!("{op_camel}Options"))));
        let body = match &op.request_body {
            Some(b) => self.request_body(b, &op_camel, &format!("{at}/requestBody"))?,
            None => None,
        };
        let mut responses = Vec::new();
        for (status, r) in op.responses.responses.iter() {
            let status = match status {
                StatusCode::Code(c) => Status::Code(*c),
                StatusCode::Range(r) => Status::Range(*r),
            };
            let r_at = format!("{at}/responses/{status}");
            responses.push(self.response(r, status, &op_camel, &r_at)?);
        }
        if let Some(r) = &op.responses.default {
            responses.push(self.response(r, Status::Default, &op_camel, &format!("{at}/responses/default"))?);
        }
        let success = success_of(&responses);
        let poll = self.poll_of(op, &success, body.is_some(), at)?;
        // More arguments than a call takes positionally, or two `bool`s a caller could swap: the
        // required parameters go into a struct whose fields the call site names.
        let required: Vec<&Parameter> = params.iter().filter(|p| p.required).collect();
        let positional = required.len()
            + usize::from(body.is_some())
            + usize::from(options_type.is_some())
            + usize::from(poll.is_some());
        let alike = required.windows(2).any(|w| w[0].ty == TypeRef::Bool && w[1].ty == TypeRef::Bool);
        let params_type =
            (positional > MAX_POSITIONAL || alike).then(|| self.scope.claim(type_name(&format!("{op_camel}Params"))));
        let one_or_many = one_or_many(op, &success, at)?;
        let pagination = self.pagination_of(op, &params, params_type.is_some(), &success, body.is_some(), at)?;
        Ok(Operation {
            id: id.to_string(),
            rust_name: RustName::new(rust_name_of(op, id, at)?),
            descriptor: RustName::default(),
            method,
            path,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            params,
            params_type,
            options_type,
            body,
            responses,
            success,
            pagination,
            poll,
            one_or_many,
            pointer: at.to_string(),
            mock: MockNames::default(),
            cli: CliCommand::default(),
        })
    }

    fn parameter_ref(&self, p: &'a ReferenceOr<OaParameter>, at: &str) -> Result<(&'a OaParameter, String)> {
        let r = resolve(p, "parameters", "parameter", self.doc.components.as_ref().map(|c| &c.parameters), at)?;
        Ok((r.item, r.pointer))
    }

    fn request_body(
        &mut self,
        b: &'a ReferenceOr<OaRequestBody>,
        op_camel: &str,
        at: &str,
    ) -> Result<Option<RequestBody>> {
        let bodies = self.doc.components.as_ref().map(|c| &c.request_bodies);
        let Resolved { item: body, pointer: at, .. } = resolve(b, "requestBodies", "request body", bodies, at)?;
        let Some((media, content)) = pick_media(&body.content) else { return Ok(None) };
        let media_at = format!("{at}/content/{}", escape_token(media));
        let encoding = encoding_of(media);
        let hint = Hint::new(format!("{op_camel}Request"));
        let ty = match (encoding, &content.schema) {
            (BodyEncoding::Multipart, Some(s)) => self.multipart(s, &hint, &format!("{media_at}/schema"))?,
            (BodyEncoding::Multipart | BodyEncoding::Form, None) => {
                return Err(Error::at(media_at, format!("a `{media}` body needs a schema")));
            }
            (BodyEncoding::Json | BodyEncoding::Form, Some(s)) => {
                self.type_ref(sch(s), &hint, &format!("{media_at}/schema"))?
            }
            (BodyEncoding::Json, None) => TypeRef::Any,
            (BodyEncoding::Text, _) => TypeRef::String,
            (BodyEncoding::Binary, Some(ReferenceOr::Item(s))) if is_structured(s) => {
                crate::diagnostics::warn(
                    media_at,
                    format!(
                        "a `{media}` body with an object schema: the client sends it as raw bytes the caller encodes"
                    ),
                );
                TypeRef::Binary
            }
            (BodyEncoding::Binary, _) => TypeRef::Binary,
        };
        Ok(Some(RequestBody {
            media_type: media.clone(),
            encoding,
            ty,
            required: body.required,
            description: body.description.clone(),
        }))
    }

    fn multipart(&mut self, s: &ReferenceOr<Schema>, hint: &Hint, at: &str) -> Result<TypeRef> {
        let (schema, at) = match sch(s) {
            Sch::Ref(r) => {
                let (schema, _, pointer) = self.component_schema(r, at)?;
                (schema, pointer)
            }
            Sch::Item(s) => (s, at.to_string()),
        };
        let (mut props, mut required) = (IndexMap::new(), Vec::new());
        self.multipart_parts(schema, &at, &mut props, &mut required, false)?;
        let slot = self.order.len();
        let fields = self.fields(&props, &required, hint, &at)?;
        let name = self.scope.claim(type_name(&hint.full));
        let def = TypeDef {
            name,
            pointer: at,
            description: doc_of(schema),
            deprecated: false,
            kind: TypeKind::Multipart { fields },
            required_fields: None,
            features: Vec::new(),
        };
        Ok(TypeRef::named(self.place(slot, def)))
    }

    /// A multipart body's parts: an object's properties; through `allOf`, every member's;
    /// through `oneOf`/`anyOf`, every alternative's, made optional (one form cannot say which
    /// set a caller sends), with a located warning. `optional` is set inside an alternative.
    fn multipart_parts<'s>(
        &'s self,
        schema: &'s Schema,
        at: &str,
        props: &mut IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &mut Vec<String>,
        optional: bool,
    ) -> Result<()> {
        let mut add = |own: &IndexMap<String, ReferenceOr<Box<Schema>>>, own_required: &[String]| {
            for (name, part) in own {
                props.entry(name.clone()).or_insert_with(|| part.clone());
            }
            if !optional {
                required.extend(own_required.iter().filter(|r| own.contains_key(*r)).cloned());
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => add(&o.properties, &o.required),
            SchemaKind::Any(a) if !a.properties.is_empty() => add(&a.properties, &a.required),
            SchemaKind::AllOf { all_of } => {
                for (i, member) in all_of.iter().enumerate() {
                    let (member, member_at) = self.part_schema(member, &format!("{at}/allOf/{i}"))?;
                    self.multipart_parts(member, &member_at, props, required, optional)?;
                }
            }
            SchemaKind::OneOf { one_of: alternatives } | SchemaKind::AnyOf { any_of: alternatives } => {
                let keyword = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
                crate::diagnostics::warn(
                    at,
                    format!(
                        "a multipart/form-data body with alternative sets of parts (`{keyword}`): read as one form in which every alternative's parts are optional"
                    ),
                );
                for (i, alternative) in alternatives.iter().enumerate() {
                    let (alternative, alt_at) = self.part_schema(alternative, &format!("{at}/{keyword}/{i}"))?;
                    self.multipart_parts(alternative, &alt_at, props, required, true)?;
                }
            }
            _ => {
                return Err(Error::at(
                    at,
                    "a multipart/form-data body must be an object schema, or an allOf/oneOf/anyOf of them",
                ));
            }
        }
        let mut seen = std::collections::HashSet::new();
        required.retain(|r| seen.insert(r.clone()));
        Ok(())
    }

    /// A member of a composition, resolved, with its pointer.
    fn part_schema<'s>(&'s self, member: &'s ReferenceOr<Schema>, at: &str) -> Result<(&'s Schema, String)> {
        Ok(match sch(member) {
            Sch::Ref(r) => {
                let (schema, _, pointer) = self.component_schema(r, at)?;
                (schema, pointer)
            }
            Sch::Item(s) => (s, at.to_string()),
        })
    }

    fn response(
        &mut self,
        r: &'a ReferenceOr<OaResponse>,
        status: Status,
        op_camel: &str,
        at: &str,
    ) -> Result<Response> {
        let responses = self.doc.components.as_ref().map(|c| &c.responses);
        let Resolved { item: resp, pointer: at, .. } = resolve(r, "responses", "response", responses, at)?;
        // A string that the response offers both as JSON and as text is read as text: the runtime
        // then takes either a JSON string or plain text (an id a server may send either way).
        let text_alternative = resp.content.iter().find(|(m, _)| encoding_of(m) == BodyEncoding::Text);
        let picked = match (pick_media(&resp.content), text_alternative) {
            (Some((m, c)), Some(text)) if encoding_of(m) == BodyEncoding::Json && self.is_string_schema(c) => {
                Some(text)
            }
            (picked, _) => picked,
        };
        let body = match picked {
            None => None,
            Some((media, content)) => {
                let encoding = encoding_of(media);
                let hint = Hint::new(if status.is_success() {
                    format!("{op_camel}Response")
                } else {
                    format!("{op_camel}Error{}", camel(&status.to_string()))
                });
                let media_at = format!("{at}/content/{}/schema", escape_token(media));
                let ty = match (encoding, &content.schema) {
                    (BodyEncoding::Json, Some(s)) => self.type_ref(sch(s), &hint, &media_at)?,
                    (BodyEncoding::Json, None) => TypeRef::Any,
                    (BodyEncoding::Text, _) => TypeRef::String,
                    _ => TypeRef::Binary,
                };
                Some(ResponseBody {
                    media_type: media.clone(),
                    // Responses are decoded as JSON, as text, or kept as bytes.
                    encoding: match encoding {
                        BodyEncoding::Json | BodyEncoding::Text => encoding,
                        _ => BodyEncoding::Binary,
                    },
                    ty,
                })
            }
        };
        Ok(Response { status, description: resp.description.clone(), body })
    }
}

impl Lowerer<'_> {
    /// Whether a media type's schema is a plain string (directly or through a `$ref`).
    fn is_string_schema(&self, content: &openapiv3::MediaType) -> bool {
        let schema = match &content.schema {
            Some(ReferenceOr::Item(s)) => s,
            Some(ReferenceOr::Reference { reference }) => match self.component_schema(reference, "") {
                Ok((s, _, _)) => s,
                Err(_) => return false,
            },
            None => return false,
        };
        matches!(&schema.schema_kind, SchemaKind::Type(Type::String(s)) if s.enumeration.is_empty() && s.format == VariantOrUnknownOrEmpty::Empty)
    }
}

/// The method names every group's accessor type has besides its operations.
pub(super) const GROUP_RESERVED: &[&str] = &["new", "client"];

fn new_group(tag: &str, description: Option<String>, modules: &mut Scope, types: &mut Scope) -> Group {
    let base = if tag == "default" { "untagged" } else { tag };
    let module = modules.claim(snake(base));
    let type_name = types.claim(type_name(&format!("{}Api", camel(base))));
    Group {
        tag: tag.to_string(),
        description,
        module,
        type_name,
        mock_type: RustName::default(),
        received_type: RustName::default(),
        cli_name: String::new(),
        feature: String::new(),
        operations: Vec::new(),
    }
}

/// The style a parameter declares, with OpenAPI's defaults: `explode` defaults to true for
/// `form` only; exploded, the delimited styles are `form`'s.
fn style_of(param: &OaParameter) -> ParamStyle {
    match param {
        OaParameter::Query { style: openapiv3::QueryStyle::DeepObject, .. } => ParamStyle::DeepObject,
        OaParameter::Query { style: openapiv3::QueryStyle::SpaceDelimited, parameter_data, .. }
            if parameter_data.explode != Some(true) =>
        {
            ParamStyle::SpaceDelimited
        }
        OaParameter::Query { style: openapiv3::QueryStyle::PipeDelimited, parameter_data, .. }
            if parameter_data.explode != Some(true) =>
        {
            ParamStyle::PipeDelimited
        }
        OaParameter::Query { style: openapiv3::QueryStyle::Form, parameter_data, .. }
            if parameter_data.explode == Some(false) =>
        {
            ParamStyle::FormComma
        }
        OaParameter::Query { .. } | OaParameter::Cookie { .. } => ParamStyle::FormExploded,
        OaParameter::Path { .. } | OaParameter::Header { .. } => ParamStyle::Simple,
    }
}

/// `get /v3/workflows/{workflowId}` → `get_v3_workflows_by_workflow_id`.
fn derived_id(method: &str, path: &str) -> String {
    let mut out = method.to_string();
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        out.push('_');
        match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => {
                out.push_str("by_");
                out.push_str(&snake(param));
            }
            None => out.push_str(&snake(seg)),
        }
    }
    out
}

fn location_of(p: &OaParameter) -> ParamLocation {
    match p {
        OaParameter::Path { .. } => ParamLocation::Path,
        OaParameter::Query { .. } => ParamLocation::Query,
        OaParameter::Header { .. } => ParamLocation::Header,
        OaParameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// What a successful call returns, from the 2xx responses (or `default` when none is 2xx).
fn success_of(responses: &[Response]) -> Success {
    let mut ok: Vec<&Response> = responses.iter().filter(|r| r.status.is_success()).collect();
    if ok.is_empty() {
        ok = responses.iter().filter(|r| r.status == Status::Default).collect();
    }
    // A 204 or 205 has no body (RFC 9110), whatever content the spec gives it.
    let bodiless = |r: &&Response| matches!(r.status, Status::Code(204 | 205));
    let bodies: Vec<&ResponseBody> = ok.iter().filter(|r| !bodiless(r)).filter_map(|r| r.body.as_ref()).collect();
    let Some(first) = bodies.first() else { return Success::Empty };
    match first.encoding {
        BodyEncoding::Json => {
            let all_same = bodies.iter().all(|b| b.encoding == BodyEncoding::Json && b.ty == first.ty);
            let ty = if all_same { first.ty.clone() } else { TypeRef::Any };
            if bodies.len() < ok.len() && !matches!(ty, TypeRef::Nullable(_) | TypeRef::Any) {
                Success::Json(TypeRef::Nullable(Box::new(ty)))
            } else {
                Success::Json(ty)
            }
        }
        BodyEncoding::Text => Success::Text,
        _ => Success::Bytes,
    }
}

/// Whether a schema describes structured data (an object or array) rather than bytes or text.
fn is_structured(s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(_) | Type::Array(_)) => true,
        SchemaKind::Any(a) => !a.properties.is_empty() || a.items.is_some(),
        _ => false,
    }
}

/// Media type → encoding.
fn encoding_of(media: &str) -> BodyEncoding {
    let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        BodyEncoding::Json
    } else if essence == "multipart/form-data" {
        BodyEncoding::Multipart
    } else if essence == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if essence.starts_with("text/") {
        BodyEncoding::Text
    } else {
        BodyEncoding::Binary
    }
}

/// The media type to use of several: the first JSON one, else the first.
fn pick_media<T>(content: &IndexMap<String, T>) -> Option<(&String, &T)> {
    content.iter().find(|(m, _)| encoding_of(m) == BodyEncoding::Json).or_else(|| content.iter().next())
}

/// The `{placeholder}` names of a path template, in order; `Err` for an unclosed brace.
fn placeholders(text: &str) -> std::result::Result<Vec<&str>, String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(format!("`{text}` opens a `{{` it does not close"));
        };
        names.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    Ok(names)
}

/// Parses a path template: the one parser of templates in the generator. Each placeholder is
/// placed at the index `param` gives its name. A fragment (`/#Action=AddPermission`, by which
/// converted AWS specs tell apart operations that differ only in their query) is not part of
/// any request: it stays in the template's text, not in what is sent.
fn parse_template(text: &str, param: impl Fn(&str) -> Option<usize>) -> std::result::Result<PathTemplate, String> {
    let sent = text.split('#').next().unwrap_or_default();
    let names = placeholders(sent)?;
    let mut segments = Vec::new();
    let mut rest = sent;
    for name in names {
        let start = rest.find('{').unwrap_or(rest.len());
        if start > 0 {
            segments.push(PathSegment::Literal(rest[..start].to_string()));
        }
        let index = param(name).ok_or_else(|| format!("path parameter `{name}` of `{text}` is not declared"))?;
        segments.push(PathSegment::Param(index));
        rest = &rest[start + name.len() + 2..];
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_string()));
    }
    Ok(PathTemplate { text: text.to_string(), segments })
}
