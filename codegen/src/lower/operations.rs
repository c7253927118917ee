//! Lowering of paths: operations grouped by tag, their parameters, bodies and responses.

use super::resolve::Resolved;
use super::*;

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
            for (method, op) in [
                ("get", &item.get),
                ("put", &item.put),
                ("post", &item.post),
                ("delete", &item.delete),
                ("options", &item.options),
                ("head", &item.head),
                ("patch", &item.patch),
                ("trace", &item.trace),
            ] {
                let Some(op) = op else { continue };
                let at = format!("{item_at}/{method}");
                let id = op.operation_id.clone().unwrap_or_else(|| derived_id(method, path));
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
        // Every method of a group is named here, in one scope: operations first (in spec order, so
        // that an operation keeps its name), then the page streams and poll helpers they bring.
        for g in &mut groups {
            let mut names = Scope::with_reserved(&["new", "client"]);
            for op in &mut g.operations {
                op.rust_name = names.claim(op.rust_name.clone());
            }
            for op in &mut g.operations {
                let base = op.rust_name.trim_start_matches("r#").to_string();
                if let Some(p) = &mut op.pagination {
                    p.rust_name = names.claim(format!("{base}_stream"));
                }
                if let Some(p) = &mut op.poll {
                    p.rust_name = names.claim(p.rust_name.clone());
                }
            }
        }
        Ok(groups)
    }

    fn operation(
        &mut self,
        id: &str,
        method: &str,
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
            // `explode` defaults to true for `form` only; exploded, the delimited styles are `form`'s.
            let style = match param {
                OaParameter::Query { style: openapiv3::QueryStyle::DeepObject, .. } => QueryStyle::DeepObject,
                OaParameter::Query { style: openapiv3::QueryStyle::SpaceDelimited, parameter_data, .. }
                    if parameter_data.explode != Some(true) =>
                {
                    QueryStyle::SpaceDelimited
                }
                OaParameter::Query { style: openapiv3::QueryStyle::PipeDelimited, parameter_data, .. }
                    if parameter_data.explode != Some(true) =>
                {
                    QueryStyle::PipeDelimited
                }
                OaParameter::Query { style: openapiv3::QueryStyle::Form, parameter_data, .. }
                    if parameter_data.explode == Some(false) =>
                {
                    QueryStyle::FormComma
                }
                _ => QueryStyle::FormExploded,
            };
            params.push(Parameter {
                name: data.name.clone(),
                rust_name: names.claim(snake(&data.name)),
                location,
                required: data.required || location == ParamLocation::Path,
                ty,
                style,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
                wire: Wire::Text,
            });
        }
        // Path parameters first, in the order the template names them.
        let template: Vec<&str> = path.split('{').skip(1).filter_map(|s| s.split('}').next()).collect();
        for name in &template {
            if !params.iter().any(|p| p.location == ParamLocation::Path && p.name == *name) {
                return Err(Error::at(at, format!("path parameter `{name}` of `{path}` is not declared")));
            }
        }
        params.sort_by_key(|p| match p.location {
            ParamLocation::Path => template.iter().position(|n| *n == p.name).unwrap_or(usize::MAX),
            _ => usize::MAX,
        });
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
        let pagination = if body.is_none() { pagination_of(&params, &success) } else { None };
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
        let one_or_many = match op.extensions.get("x-codegen-one-or-many") {
            None | Some(serde_json::Value::Bool(false)) => false,
            Some(serde_json::Value::Bool(true)) if matches!(success, Success::Json(TypeRef::Array(_))) => true,
            Some(serde_json::Value::Bool(true)) => {
                return Err(Error::at(
                    format!("{at}/x-codegen-one-or-many"),
                    "only an operation that returns a JSON array can accept a single item in its place",
                ));
            }
            Some(_) => return Err(Error::at(format!("{at}/x-codegen-one-or-many"), "must be true or false")),
        };
        Ok(Operation {
            id: id.to_string(),
            rust_name: rust_name_of(op, id, at)?,
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
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
        })
    }

    /// The `x-codegen-poll` helper of an operation, checked against what it returns.
    fn poll_of(&self, op: &openapiv3::Operation, success: &Success, has_body: bool, at: &str) -> Result<Option<Poll>> {
        let Some(spec) = op.extensions.get("x-codegen-poll") else { return Ok(None) };
        let at = format!("{at}/x-codegen-poll");
        let text = |key: &str| {
            spec.get(key).and_then(serde_json::Value::as_str).filter(|s| !s.is_empty()).ok_or_else(|| {
                Error::at(&at, format!("`{key}` must be a non-empty string (x-codegen-poll: {{method, field, final}})"))
            })
        };
        let (method, field) = (text("method")?, text("field")?);
        let list = |key: &str| match spec.get(key).and_then(serde_json::Value::as_array) {
            Some(values) if !values.is_empty() && values.iter().all(serde_json::Value::is_string) => {
                Ok(values.iter().filter_map(|v| v.as_str().map(str::to_string)).collect::<Vec<_>>())
            }
            _ => Err(Error::at(&at, format!("`{key}` must be a non-empty list of strings"))),
        };
        let until = match (spec.get("final"), spec.get("pending")) {
            (Some(_), None) => PollUntil::Final(list("final")?),
            (None, Some(_)) => PollUntil::NotPending(list("pending")?),
            _ => {
                return Err(Error::at(
                    &at,
                    "give exactly one of `final` (the values that end polling) and `pending` (the values that continue it)",
                ));
            }
        };
        if has_body {
            return Err(Error::at(&at, "a polled operation cannot have a request body"));
        }
        let Success::Json(TypeRef::Named { name, .. }) = success else {
            return Err(Error::at(&at, "a polled operation must return a JSON object of a named type"));
        };
        let fields = match self.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
            Some(TypeKind::Struct { fields, .. }) => fields,
            _ => return Err(Error::at(&at, format!("`{name}`, which the operation returns, is not an object"))),
        };
        let Some(f) = fields.iter().find(|f| f.name == field) else {
            return Err(Error::at(&at, format!("`{name}` has no field `{field}`")));
        };
        let nullable = matches!(f.ty, TypeRef::Nullable(_));
        let inner = match &f.ty {
            TypeRef::Nullable(inner) => inner.as_ref(),
            other => other,
        };
        let stringy = match inner {
            TypeRef::String => true,
            TypeRef::Named { name, .. } => {
                self.types.iter().any(|t| &t.name == name && matches!(t.kind, TypeKind::Enum { .. }))
            }
            _ => false,
        };
        if !stringy {
            return Err(Error::at(&at, format!("`{name}.{field}` must be a string or a string enum")));
        }
        Ok(Some(Poll {
            rust_name: snake(method),
            field: field.to_string(),
            field_rust_name: f.rust_name.clone(),
            field_optional: !f.required || nullable,
            until,
        }))
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
        let (props, required) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required),
            SchemaKind::Any(a) if !a.properties.is_empty() => (&a.properties, &a.required),
            _ => return Err(Error::at(at, "a multipart/form-data body must be an object schema")),
        };
        let slot = self.types.len();
        let fields = self.fields(props, required, hint, &at)?;
        let name = self.scope.claim(type_name(&hint.full));
        Ok(self.insert(
            slot,
            TypeDef {
                name,
                pointer: at,
                description: doc_of(schema),
                deprecated: false,
                kind: TypeKind::Multipart { fields },
                required_fields: None,
            },
        ))
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

fn new_group(tag: &str, description: Option<String>, modules: &mut Scope, types: &mut Scope) -> Group {
    let base = if tag == "default" { "untagged" } else { tag };
    let module = modules.claim(snake(base));
    let type_name = types.claim(type_name(&format!("{}Api", camel(base))));
    Group { tag: tag.to_string(), description, module, type_name, operations: Vec::new() }
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

/// The method's Rust name: `x-rust-name` when the spec (or an overlay) sets one, else the
/// `operationId` in snake case.
fn rust_name_of(op: &openapiv3::Operation, id: &str, at: &str) -> Result<String> {
    match op.extensions.get("x-rust-name") {
        None => Ok(snake(id)),
        Some(serde_json::Value::String(name)) if !name.trim().is_empty() => Ok(snake(name)),
        Some(_) => Err(Error::at(format!("{at}/x-rust-name"), "`x-rust-name` must be a non-empty string")),
    }
}

/// Paging: a JSON array returned, and query parameters `offset` and `limit`, or `page` and
/// `pageSize` (`page_size`), that are integers or strings (the Alteryx spec types `offset` and
/// `limit` as strings). The stream method's name is decided by the caller, in the group's scope.
fn pagination_of(params: &[Parameter], success: &Success) -> Option<Pagination> {
    if !matches!(success, Success::Json(TypeRef::Array(_))) {
        return None;
    }
    let find = |names: &[&str]| {
        params.iter().find(|p| {
            p.location == ParamLocation::Query
                && names.iter().any(|n| p.name.eq_ignore_ascii_case(n))
                && matches!(p.ty, TypeRef::String | TypeRef::Integer { .. })
        })
    };
    let (kind, position, size) = match (find(&["offset"]), find(&["limit"])) {
        (Some(offset), Some(limit)) => (PageKind::Offset, offset, limit),
        _ => (PageKind::Number, find(&["page"])?, find(&["pageSize", "page_size"])?),
    };
    Some(Pagination {
        kind,
        offset: position.rust_name.clone(),
        limit: size.rust_name.clone(),
        rust_name: String::new(),
    })
}

/// What a successful call returns, from the 2xx responses (or `default` when none is 2xx).
fn success_of(responses: &[Response]) -> Success {
    let mut ok: Vec<&Response> = responses.iter().filter(|r| r.status.is_success()).collect();
    if ok.is_empty() {
        ok = responses.iter().filter(|r| r.status == Status::Default).collect();
    }
    let bodies: Vec<&ResponseBody> = ok.iter().filter_map(|r| r.body.as_ref()).collect();
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
