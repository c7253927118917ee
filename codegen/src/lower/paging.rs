//! How a list operation pages, resolved while its operation is read: declared with
//! `x-codegen-pagination` (an error at its pointer when it does not fit the operation), declared
//! by an Azure-style `x-ms-pageable`, or recognised where the document leaves one reading:
//!
//! - a `Link` header declared on a successful answer that is a list, or an object with one list:
//!   links (`rel="next"`);
//! - a list answer with `offset` and `limit` (or `page` and `pageSize`, `per_page`...) query
//!   parameters: counted;
//! - an object answer with one list (or one called `items`, `data`...) and a next-token field
//!   (`nextPageToken`, `next_cursor`, `meta.next_cursor`...) beside one optional token parameter
//!   (`pageToken`, `cursor`...), or a `has_more` flag beside `starting_after`: cursor.
//!
//! Anything else has no page stream: a guess would page wrongly, and the extension says it.

use openapiv3::ReferenceOr;

use super::Lowerer;
use crate::error::{Error, Result};
use crate::ir::*;

/// Names of the query parameter that takes a page's position or size.
const OFFSETS: &[&str] = &["offset"];
const LIMITS: &[&str] = &["limit"];
const PAGES: &[&str] = &["page"];
const PAGE_SIZES: &[&str] = &["pageSize", "page_size", "per_page", "perPage", "limit"];
/// Names of the query parameter that takes a cursor, and of the answer's field that holds it.
const CURSOR_PARAMS: &[&str] =
    &["pageToken", "page_token", "cursor", "nextToken", "next_token", "continuationToken", "continuation_token"];
const TOKEN_FIELDS: &[&str] = &[
    "nextPageToken",
    "next_page_token",
    "nextCursor",
    "next_cursor",
    "nextToken",
    "next_token",
    "continuationToken",
    "continuation_token",
];
/// Fields an answer may keep its token in (`meta.next_cursor`, `response_metadata.next_cursor`).
const TOKEN_HOLDERS: &[&str] = &["meta", "metadata", "response_metadata", "pagination", "paging", "page_info", "links"];
/// Names that mark the list among several in an answer.
const ITEM_FIELDS: &[&str] = &["items", "data", "results", "value", "values", "entries", "records"];

/// What `x-codegen-pagination` declares.
struct Declared<'v> {
    spec: &'v serde_json::Value,
    at: String,
}

impl Declared<'_> {
    fn text(&self, key: &str) -> Result<Option<&str>> {
        match self.spec.get(key) {
            None => Ok(None),
            Some(serde_json::Value::String(s)) if !s.is_empty() => Ok(Some(s)),
            Some(_) => Err(Error::at(&self.at, format!("`{key}` must be a non-empty string"))),
        }
    }

    fn needs(&self, key: &str, style: &str) -> Result<&str> {
        self.text(key)?.ok_or_else(|| Error::at(&self.at, format!("style `{style}` needs `{key}`")))
    }
}

impl Lowerer<'_> {
    /// The operation's paging, if it has one. `params_type`: whether its required parameters go
    /// into a params struct.
    pub(super) fn pagination_of(
        &self,
        op: &openapiv3::Operation,
        params: &[Parameter],
        params_type: bool,
        success: &Success,
        has_body: bool,
        at: &str,
    ) -> Result<Option<Pagination>> {
        if let Some(spec) = op.extensions.get("x-codegen-pagination") {
            let declared = Declared { spec, at: format!("{at}/x-codegen-pagination") };
            return self.declared(&declared, params, params_type, success, has_body);
        }
        let Success::Json(answer) = success else { return Ok(None) };
        if has_body {
            return Ok(None);
        }
        if let Some(pageable) = op.extensions.get("x-ms-pageable") {
            let next = pageable.get("nextLinkName").and_then(serde_json::Value::as_str);
            let items = pageable.get("itemName").and_then(serde_json::Value::as_str).unwrap_or("value");
            return Ok(next.and_then(|next| self.body_links(answer, next, items)));
        }
        if self.declares_link_header(op) {
            // The list is the answer, or the answer's one list (`{total_count, workflow_runs}`).
            return Ok(self
                .items_of(answer, None)
                .map(|(items, item)| page(PageStyle::Link { field: None }, items, item)));
        }
        if let TypeRef::Array(item) = self.plain(answer) {
            let item = (**item).clone();
            return Ok(self.counted(params, params_type, None, None).map(|style| page(style, Vec::new(), item)));
        }
        Ok(self.cursor(params, answer))
    }

    /// `x-codegen-pagination: {style: offset|page|cursor|link|none, ...}`.
    fn declared(
        &self,
        d: &Declared,
        params: &[Parameter],
        params_type: bool,
        success: &Success,
        has_body: bool,
    ) -> Result<Option<Pagination>> {
        let style = d.needs("style", "any")?;
        if style == "none" {
            return Ok(None);
        }
        if has_body {
            return Err(Error::at(&d.at, "a paged operation cannot have a request body"));
        }
        let Success::Json(answer) = success else {
            return Err(Error::at(&d.at, "a paged operation must answer with JSON"));
        };
        let items = d.text("items")?;
        let (items, item) = self.items_of(answer, items).ok_or_else(|| match items {
            Some(path) => Error::at(&d.at, format!("`items`: the answer has no list at `{path}`")),
            None => Error::at(&d.at, "the answer is not a list: say where the items are with `items`"),
        })?;
        let pagination = match style {
            "offset" | "page" => {
                let (position, size) = (d.needs("position", style)?, d.needs("size", style)?);
                let kind = if style == "offset" { PageKind::Offset } else { PageKind::Number };
                let counted = self.counted(params, params_type, Some((kind, position)), Some(size));
                let style = counted.ok_or_else(|| {
                    Error::at(
                        &d.at,
                        format!("`{position}` and `{size}` must be query parameters of integer or string type"),
                    )
                })?;
                page(style, items, item)
            }
            "cursor" => {
                let name = d.needs("cursor", style)?;
                let param = cursor_param(params, &[name]).ok_or_else(|| {
                    Error::at(&d.at, format!("`{name}` must be an optional query parameter of string or integer type"))
                })?;
                let token = match (d.text("next")?, d.text("hasMore")?, d.text("lastItem")?) {
                    (Some(next), None, None) => PageToken::Field(self.token_path(answer, next).ok_or_else(|| {
                        Error::at(&d.at, format!("`next`: the answer has no string or integer field `{next}`"))
                    })?),
                    (None, Some(more), Some(field)) => self.last_item(answer, &item, more, field).ok_or_else(|| {
                        Error::at(
                            &d.at,
                            format!("`hasMore` must be a boolean field of the answer (`{more}`) and `lastItem` a string or integer field of the items (`{field}`)"),
                        )
                    })?,
                    _ => {
                        return Err(Error::at(
                            &d.at,
                            "style `cursor` needs either `next` (the answer's token field) or both `hasMore` and `lastItem`",
                        ));
                    }
                };
                page(PageStyle::Cursor { param, token }, items, item)
            }
            "link" => {
                let field =
                    match d.text("next")? {
                        None => None,
                        Some(next) => Some(self.string_path(answer, next).ok_or_else(|| {
                            Error::at(&d.at, format!("`next`: the answer has no string field `{next}`"))
                        })?),
                    };
                page(PageStyle::Link { field }, items, item)
            }
            other => {
                return Err(Error::at(&d.at, format!("unknown style `{other}` (offset, page, cursor, link or none)")));
            }
        };
        Ok(Some(pagination))
    }

    /// Counted paging over `params`: the names given, else `offset`+`limit`, else `page`+a size.
    fn counted(
        &self,
        params: &[Parameter],
        params_type: bool,
        position: Option<(PageKind, &str)>,
        size: Option<&str>,
    ) -> Option<PageStyle> {
        let find = |names: &[&str]| {
            params.iter().position(|p| {
                p.location == ParamLocation::Query
                    && names.iter().any(|n| p.name.eq_ignore_ascii_case(n))
                    && matches!(self.plain(&p.ty), TypeRef::String | TypeRef::Integer { .. })
            })
        };
        let (kind, position, size) = match (position, size) {
            (Some((kind, position)), Some(size)) => (kind, find(&[position])?, find(&[size])?),
            _ => match (find(OFFSETS), find(LIMITS)) {
                (Some(offset), Some(limit)) => (PageKind::Offset, offset, limit),
                _ => (PageKind::Number, find(PAGES)?, find(PAGE_SIZES)?),
            },
        };
        let slot = |index: usize| slot_of(params, index, params_type);
        Some(PageStyle::Counted { kind, position: slot(position), size: slot(size) })
    }

    /// Cursor paging recognised in an object answer.
    fn cursor(&self, params: &[Parameter], answer: &TypeRef) -> Option<Pagination> {
        let (items, item) = self.items_of(answer, None)?;
        if let Some(param) = cursor_param(params, &["starting_after"]) {
            let token = self.last_item(answer, &item, "has_more", "id")?;
            return Some(page(PageStyle::Cursor { param, token }, items, item));
        }
        let param = cursor_param(params, CURSOR_PARAMS)?;
        let fields = self.fields_of(answer)?;
        let mut tokens = Vec::new();
        for name in TOKEN_FIELDS {
            if fields.iter().any(|f| f.name == *name) {
                tokens.extend(self.token_path(answer, name));
            }
            for holder in TOKEN_HOLDERS {
                if fields.iter().any(|f| f.name == *holder) {
                    tokens.extend(self.token_path(answer, &format!("{holder}.{name}")));
                }
            }
        }
        // Two candidate tokens: ambiguous, left to the extension.
        let [token] = <[Vec<FieldStep>; 1]>::try_from(tokens).ok()?;
        Some(page(PageStyle::Cursor { param, token: PageToken::Field(token) }, items, item))
    }

    /// Links in a field of an object answer (`x-ms-pageable`).
    fn body_links(&self, answer: &TypeRef, next: &str, items: &str) -> Option<Pagination> {
        let field = self.string_path(answer, next)?;
        let (items, item) = self.items_of(answer, Some(items))?;
        Some(page(PageStyle::Link { field: Some(field) }, items, item))
    }

    /// `has_more` + the last item's `id`, as Stripe pages.
    fn last_item(&self, answer: &TypeRef, item: &TypeRef, has_more: &str, field: &str) -> Option<PageToken> {
        let (more, ty) = self.path(answer, has_more)?;
        if *self.plain(&ty) != TypeRef::Bool {
            return None;
        }
        let (mut steps, ty) = self.path(item, field)?;
        if steps.len() != 1 || !matches!(self.plain(&ty), TypeRef::String | TypeRef::Integer { .. }) {
            return None;
        }
        Some(PageToken::LastItem { has_more: more, field: steps.remove(0) })
    }

    /// Where the items are: the answer itself when it is a list (and no path is given), the
    /// path given, else the answer's only list field (or the one with a list-like name).
    fn items_of(&self, answer: &TypeRef, path: Option<&str>) -> Option<(Vec<FieldStep>, TypeRef)> {
        let list = |ty: &TypeRef| match self.plain(ty) {
            TypeRef::Array(item) => Some((**item).clone()),
            _ => None,
        };
        if let Some(path) = path {
            let (steps, ty) = self.path(answer, path)?;
            return Some((steps, list(&ty)?));
        }
        if let Some(item) = list(answer) {
            return Some((Vec::new(), item));
        }
        let lists: Vec<&Field> = self.fields_of(answer)?.iter().filter(|f| list(&f.ty).is_some()).collect();
        let field = match lists.as_slice() {
            [one] => *one,
            many => {
                let named: Vec<&&Field> = many.iter().filter(|f| ITEM_FIELDS.contains(&f.name.as_str())).collect();
                match named.as_slice() {
                    [one] => **one,
                    _ => return None,
                }
            }
        };
        Some((vec![step(field)], list(&field.ty)?))
    }

    /// A path to a string or integer field (a token).
    fn token_path(&self, answer: &TypeRef, path: &str) -> Option<Vec<FieldStep>> {
        let (steps, ty) = self.path(answer, path)?;
        matches!(self.plain(&ty), TypeRef::String | TypeRef::Integer { .. }).then_some(steps)
    }

    /// A path to a string field (a URL).
    fn string_path(&self, answer: &TypeRef, path: &str) -> Option<Vec<FieldStep>> {
        let (steps, ty) = self.path(answer, path)?;
        matches!(self.plain(&ty), TypeRef::String).then_some(steps)
    }

    /// The fields on a dotted path into `ty` (`meta.next_cursor`), and the last one's type. A
    /// field name with dots (`@odata.nextLink`) is matched whole first.
    fn path(&self, ty: &TypeRef, path: &str) -> Option<(Vec<FieldStep>, TypeRef)> {
        let fields = self.fields_of(ty)?;
        if let Some(f) = fields.iter().find(|f| f.name == path) {
            return Some((vec![step(f)], f.ty.clone()));
        }
        let (head, rest) = path.split_once('.')?;
        let f = fields.iter().find(|f| f.name == head)?;
        let (mut steps, ty) = self.path(&f.ty, rest)?;
        steps.insert(0, step(f));
        Some((steps, ty))
    }

    fn fields_of(&self, ty: &TypeRef) -> Option<&[Field]> {
        match self.plain(ty) {
            TypeRef::Named { id, .. } => match &self.def(*id).kind {
                TypeKind::Struct { fields, .. } => Some(fields),
                _ => None,
            },
            _ => None,
        }
    }

    /// `ty` with `nullable` taken off and aliases followed.
    fn plain<'t>(&'t self, ty: &'t TypeRef) -> &'t TypeRef {
        let mut ty = ty;
        for _ in 0..64 {
            match ty {
                TypeRef::Nullable(inner) => ty = inner,
                TypeRef::Named { id, .. } => match &self.def(*id).kind {
                    TypeKind::Alias(target) => ty = target,
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }

    /// Whether a successful answer declares a `Link` header.
    fn declares_link_header(&self, op: &openapiv3::Operation) -> bool {
        let responses = self.doc.components.as_ref().map(|c| &c.responses);
        op.responses.responses.iter().any(|(status, r)| {
            let ok = matches!(status, openapiv3::StatusCode::Code(200..=299) | openapiv3::StatusCode::Range(2));
            let response = match r {
                ReferenceOr::Item(r) => Some(r),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|key| responses?.get(key))
                    .and_then(ReferenceOr::as_item),
            };
            ok && response.is_some_and(|r| r.headers.keys().any(|h| h.eq_ignore_ascii_case("link")))
        })
    }
}

fn page(style: PageStyle, items: Vec<FieldStep>, item: TypeRef) -> Pagination {
    Pagination { style, items, rust_name: RustName::default(), item }
}

fn step(f: &Field) -> FieldStep {
    FieldStep {
        name: f.name.clone(),
        rust_name: f.rust_name.clone(),
        optional: !f.required || matches!(f.ty, TypeRef::Nullable(_)),
    }
}

/// An optional query parameter named one of `names`, of string or integer type: a cursor.
fn cursor_param(params: &[Parameter], names: &[&str]) -> Option<PageSlot> {
    let index = params.iter().position(|p| {
        p.location == ParamLocation::Query
            && !p.required
            && names.iter().any(|n| p.name == *n)
            && matches!(p.ty.non_null(), TypeRef::String | TypeRef::Integer { .. })
    })?;
    Some(slot_of(params, index, false))
}

fn slot_of(params: &[Parameter], index: usize, params_type: bool) -> PageSlot {
    let p = &params[index];
    let place = match (p.required, params_type) {
        (false, _) => SlotPlace::Options,
        (true, true) => SlotPlace::Params,
        (true, false) => SlotPlace::Argument,
    };
    PageSlot { param: index, name: p.name.clone(), rust_name: p.rust_name.clone(), place }
}
