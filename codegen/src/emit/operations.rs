//! `src/operations/<tag>.rs`: one file per tag group, holding the group's accessor
//! (`client.workflows()`), the optional-parameter structs and one async method per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::rust_types::{Site, borrowed, ident, param_type, pass_again, rust_type};
use crate::ir::{
    BodyEncoding, Group, Operation, PageKind, Pagination, ParamLocation, Parameter, Poll, PollUntil, QueryStyle,
    Success, TypeRef, Wire,
};

/// The tokens of one group's file.
pub fn emit(group: &Group, library: Option<&str>) -> TokenStream {
    let accessor = ident(&group.module);
    let type_name = ident(&group.type_name);
    let about = match &group.description {
        Some(d) => format!("Operations tagged `{}`: {}", group.tag, docs::sanitize(d)),
        None => format!("Operations tagged `{}`.", group.tag),
    };
    let module_doc = docs::inner(&about);
    let struct_doc = docs::raw(&format!("{about}\n\nGet it from [`Client::{}`].", group.module));
    let accessor_doc = docs::raw(&about);
    let options = group.operations.iter().flat_map(|op| [params_struct(op), options_struct(op)]).flatten();
    let methods = group.operations.iter().map(|op| {
        let stream = op.pagination.as_ref().map(|p| page_stream(op, p, &group.module));
        let poll = op.poll.as_ref().map(|p| poll_helper(op, p, &group.module));
        let call = method(op, &group.module, library);
        quote!(#call #stream #poll)
    });
    quote! {
        #module_doc
        #![allow(clippy::doc_lazy_continuation, clippy::disallowed_names, deprecated)]
        #[allow(unused_imports)]
        use client_runtime::__private::{Method, Paging, QueryStyle, ToParam, paginate, poll_until, simple_param};
        #[allow(unused_imports)]
        use crate::{Client, Error, PageParam};
        #[allow(unused_imports)]
        use crate::types;

        #struct_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #type_name<'a> {
            client: &'a Client,
        }

        impl Client {
            #accessor_doc
            pub fn #accessor(&self) -> #type_name<'_> {
                #type_name { client: self }
            }
        }

        impl<'a> #type_name<'a> {
            #( #methods )*
        }

        #( #options )*
    }
}

fn required(op: &Operation) -> impl Iterator<Item = &Parameter> {
    op.params.iter().filter(|p| p.required)
}

/// The struct of an operation's required parameters, when they are too many (or too alike) to be
/// positional: a plain struct the caller writes as a literal, so every value is named.
fn params_struct(op: &Operation) -> Option<TokenStream> {
    let name = ident(op.params_type.as_ref()?);
    let doc = format!(
        " Required parameters of `{}` (`{} {}`), named: more than a call takes positionally.",
        op.id, op.method, op.path
    );
    let fields = required(op).map(|p| {
        let n = ident(&p.rust_name);
        let ty = rust_type(&p.ty, Site::Outside);
        let pdoc = docs::prose(p.description.as_deref());
        let wire = format!(" The `{}` {} parameter.", p.name, location_name(p.location));
        let sep = if pdoc.is_empty() { quote!() } else { quote!(#[doc = ""]) };
        quote! { #pdoc #sep #[doc = #wire] pub #n: #ty, }
    });
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name { #( #fields )* }
    })
}

/// `let org: &str = &params.org;` for each required parameter of an operation that takes them
/// as a struct: the method's body then reads them as it would read positional arguments.
fn unpack_params(op: &Operation) -> TokenStream {
    if op.params_type.is_none() {
        return quote!();
    }
    let lets = required(op).map(|p| {
        let n = ident(&p.rust_name);
        let ty = param_type(&p.ty);
        let value = pass_again(&p.ty, quote!(params.#n));
        quote!(let #n: #ty = #value;)
    });
    quote!(#( #lets )*)
}

fn optional(op: &Operation) -> impl Iterator<Item = &Parameter> {
    op.params.iter().filter(|p| !p.required)
}

fn options_struct(op: &Operation) -> Option<TokenStream> {
    let name = ident(op.options_type.as_ref()?);
    let doc = format!(
        " Optional parameters of `{}` (`{} {}`). Start from `default()` and set what you need.",
        op.id, op.method, op.path
    );
    let fields = optional(op).map(|p| {
        let n = ident(&p.rust_name);
        let ty = rust_type(&p.ty, Site::Outside);
        let ty = if matches!(p.ty, TypeRef::Nullable(_)) { ty } else { quote!(Option<#ty>) };
        let pdoc = docs::prose(p.description.as_deref());
        let wire = format!(" The `{}` {} parameter.", p.name, location_name(p.location));
        let sep = if pdoc.is_empty() { quote!() } else { quote!(#[doc = ""]) };
        quote! { #pdoc #sep #[doc = #wire] pub #n: #ty, }
    });
    let setters = optional(op).map(|p| {
        let n = ident(&p.rust_name);
        let inner = match &p.ty {
            TypeRef::Nullable(inner) => inner.as_ref(),
            other => other,
        };
        let ty = rust_type(inner, Site::Outside);
        let sdoc = format!(" Sets `{}`.", p.name);
        quote! {
            #[doc = #sdoc]
            #[must_use]
            pub fn #n(mut self, value: #ty) -> Self {
                self.#n = Some(value);
                self
            }
        }
    });
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name { #( #fields )* }
        impl #name {
            #( #setters )*
        }
    })
}

fn location_name(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn method_doc(op: &Operation, group_module: &str, library: Option<&str>) -> TokenStream {
    let mut text = String::new();
    if let Some(s) = &op.summary {
        text.push_str(&docs::sanitize(s));
        text.push_str("\n\n");
    }
    if let Some(d) = op.description.as_deref().filter(|d| Some(*d) != op.summary.as_deref()) {
        text.push_str(&docs::sanitize(d));
        text.push_str("\n\n");
    }
    text.push_str(&format!("`{} {}` (operation `{}`)\n\n# Responses\n", op.method, op.path, op.id));
    for r in &op.responses {
        let desc = docs::sanitize(&r.description).replace('\n', " ");
        text.push_str(&format!("\n- `{}`: {desc}", r.status));
    }
    text.push_str("\n\n# Errors\n\nThe future resolves to [`Error::Api`](crate::Error::Api) when the server answers with a status outside 2xx, and to the other [`Error`](crate::Error) variants for transport, timeout and decoding failures.");
    if let Some(library) = library {
        text.push_str("\n\n");
        text.push_str(&super::examples::call(op, group_module, library));
    }
    docs::raw(&text)
}

fn method(op: &Operation, group_module: &str, library: Option<&str>) -> TokenStream {
    let name = ident(&op.rust_name);
    let doc = method_doc(op, group_module, library);
    let deprecated = if op.deprecated { quote!(#[deprecated]) } else { quote!() };
    // Arguments: required parameters in order (path first), then the body, then the options.
    let mut args = required_args(op);
    if let Some(body) = &op.body {
        let ty = match body.encoding {
            BodyEncoding::Multipart => rust_type(&body.ty, Site::Outside),
            BodyEncoding::Binary => quote!(crate::Body),
            BodyEncoding::Text => quote!(String),
            // Borrowed as a slice or `str` where that is what a caller holds.
            _ if borrowed(&body.ty) => param_type(&body.ty),
            _ => {
                let ty = rust_type(&body.ty, Site::Outside);
                quote!(&#ty)
            }
        };
        let ty = if body.required { ty } else { quote!(Option<#ty>) };
        args.push(quote!(body: #ty));
    }
    if let Some(opts) = &op.options_type {
        let ty = ident(opts);
        args.push(quote!(options: #ty));
    }
    let values = path_values(op);
    let method = format_ident!("{}", op.method);
    let op_id = &op.id;
    let template = &op.path;
    let mut steps = Vec::new();
    for p in &op.params {
        if p.location == ParamLocation::Path {
            continue;
        }
        let n = ident(&p.rust_name);
        let value = if p.required { quote!(#n) } else { quote!(options.#n) };
        steps.push(param_step(p, value));
    }
    if let Some(body) = &op.body {
        let send = match body.encoding {
            BodyEncoding::Json => quote!(request.json(body);),
            BodyEncoding::Form => quote!(request.form(body);),
            BodyEncoding::Multipart => quote!(request.multipart(body.into_form());),
            BodyEncoding::Text => quote!(request.text(body);),
            BodyEncoding::Binary => quote!(request.body(body);),
        };
        let media = &body.media_type;
        let send = quote!(#send request.content_type(#media););
        steps.push(if body.required { send } else { quote!(if let Some(body) = body { #send }) });
    }
    let (ret, finish) = match &op.success {
        Success::Empty => (quote!(()), quote!(request.send_empty())),
        Success::Json(ty) if op.one_or_many => (rust_type(ty, Site::Outside), quote!(request.send_one_or_many())),
        Success::Json(ty) => (rust_type(ty, Site::Outside), quote!(request.send_json())),
        Success::Text => (quote!(String), quote!(request.send_text())),
        Success::Bytes => (quote!(crate::ByteStream), quote!(request.send_stream())),
    };
    let mutable = if steps.is_empty() { quote!() } else { quote!(mut) };
    let unpack = unpack_params(op);
    quote! {
        #doc
        #deprecated
        pub fn #name(&self, #( #args ),*) -> impl Future<Output = Result<#ret, Error>> + Send + use<> {
            #unpack
            let #mutable request = self.client.inner.request(Method::#method, #op_id, #template, #values);
            #( #steps )*
            #finish
        }
    }
}

/// `&[workflow_id, &version.to_param()]`: the values of the path's `{placeholders}` in template
/// order, as text; the runtime checks and encodes each as one segment.
fn path_values(op: &Operation) -> TokenStream {
    let mut values = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        let name = &rest[start + 1..start + len];
        if let Some(p) = op.params.iter().find(|p| p.location == ParamLocation::Path && p.name == name) {
            let n = ident(&p.rust_name);
            values.push(if p.wire == Wire::Json || matches!(p.ty, TypeRef::Array(_)) {
                quote!(&simple_param(&#n))
            } else if p.ty == TypeRef::String {
                quote!(#n)
            } else {
                quote!(&#n.to_param())
            });
        }
        rest = &rest[start + len + 1..];
    }
    quote!(&[ #( #values ),* ])
}

/// The page stream of a list operation: every item of every page, the position (`offset`, or
/// `page`) advancing from the caller's (default 0, or 1) by the items received (or by one page),
/// each page asking for the caller's page size (default 100). The paging parameters are the
/// stream's to set: required ones are not among its arguments.
fn page_stream(op: &Operation, paging: &Pagination, group_module: &str) -> Option<TokenStream> {
    let Success::Json(TypeRef::Array(item)) = &op.success else { return None };
    let item = rust_type(item, Site::Outside);
    let call = ident(&op.rust_name);
    let accessor = ident(group_module);
    let name = ident(&paging.rust_name);
    // The position is the stream's to set; a required page size stays the caller's to choose.
    let required: Vec<&Parameter> = op.params.iter().filter(|p| p.required && p.rust_name != paging.offset).collect();
    let args: Vec<TokenStream> = match &op.params_type {
        // The struct holds the position too: the stream overwrites it page by page.
        Some(t) => {
            let t = ident(t);
            vec![quote!(params: #t)]
        }
        None => required
            .iter()
            .map(|p| {
                let n = ident(&p.rust_name);
                let ty = param_type(&p.ty);
                quote!(#n: #ty)
            })
            .collect(),
    };
    let owned: Vec<TokenStream> =
        if op.params_type.is_some() { Vec::new() } else { required.iter().map(|p| own(p)).collect() };
    let (offset, limit) = (ident(&paging.offset), ident(&paging.limit));
    let position = |p: &Parameter| op.params.iter().find(|q| q.rust_name == p.rust_name).is_some_and(|q| q.required);
    let offset_param = op.params.iter().find(|p| p.rust_name == paging.offset)?;
    let limit_param = op.params.iter().find(|p| p.rust_name == paging.limit)?;
    // Each argument of the page call: the stream's own position and size for the paging
    // parameters, the caller's values for the others.
    let value_of = |p: &Parameter| {
        if p.rust_name == paging.offset {
            quote!(PageParam::from_count(offset))
        } else if p.rust_name == paging.limit {
            // The stream's size is the caller's (or the default when theirs is not a count).
            quote!(PageParam::from_count(limit))
        } else {
            pass_again(&p.ty, ident(&p.rust_name))
        }
    };
    let (params_prep, pass): (TokenStream, Vec<TokenStream>) = if op.params_type.is_some() {
        let sets = [offset_param, limit_param].into_iter().filter(|p| p.required).map(|p| {
            let n = ident(&p.rust_name);
            let v = value_of(p);
            quote!(params.#n = #v;)
        });
        (quote!(let mut params = params.clone(); #( #sets )*), vec![quote!(&params)])
    } else {
        (quote!(), op.params.iter().filter(|p| p.required).map(value_of).collect())
    };
    let first = if position(offset_param) {
        quote!(None)
    } else {
        quote!(options.#offset.as_ref().and_then(PageParam::to_count))
    };
    let size = if position(limit_param) && op.params_type.is_some() {
        quote!(PageParam::to_count(&params.#limit))
    } else if position(limit_param) {
        quote!(PageParam::to_count(&#limit))
    } else {
        quote!(options.#limit.as_ref().and_then(PageParam::to_count))
    };
    let set = |p: &Parameter, n: &proc_macro2::Ident, v: TokenStream| {
        if position(p) { quote!() } else { quote!(options.#n = Some(PageParam::from_count(#v));) }
    };
    let (set_offset, set_limit) = (set(offset_param, &offset, quote!(offset)), set(limit_param, &limit, quote!(limit)));
    let mutable = if set_offset.is_empty() && set_limit.is_empty() { quote!() } else { quote!(mut) };
    let (options_arg, options_pass, options_prep) = match &op.options_type {
        Some(t) => {
            let t = ident(t);
            (
                quote!(options: #t),
                quote!(options),
                quote!(let #mutable options = options.clone(); #set_offset #set_limit),
            )
        }
        None => (quote!(), quote!(), quote!()),
    };
    let (kind, counted, from) = match paging.kind {
        PageKind::Offset => (quote!(Paging::Offset), "items to skip", "0"),
        PageKind::Number => (quote!(Paging::Number), "the page number", "1"),
    };
    let method = op.rust_name.trim_start_matches("r#");
    let starts = if position(offset_param) {
        format!("starts at {from}")
    } else {
        format!("starts at the one in `options` (default {from})")
    };
    let asks = if position(limit_param) {
        format!("`{}` items (the argument)", limit_param.name)
    } else {
        format!("`{}` items (from `options`, default 100)", limit_param.name)
    };
    let doc = docs::raw(&format!(
        "Every item of [`Self::{method}`], page after page, as a stream.\n\nPages are fetched as the stream is read: `{}` ({counted}) {starts} and advances page by page; each page asks for {asks}. The stream ends after a shorter page, or with the first error. It owns a clone of the client, so it can be returned or spawned.",
        offset_param.name
    ));
    Some(quote! {
        #doc
        pub fn #name(&self, #( #args, )* #options_arg) -> crate::Paged<#item> {
            let client = self.client.clone();
            #( #owned )*
            paginate(#kind, #first, #size, move |offset, limit| {
                #options_prep
                #params_prep
                client.#accessor().#call(#( #pass, )* #options_pass)
            })
        }
    })
}

/// `let name = ToOwned::to_owned(name);` for a borrowed argument a helper keeps (`&str`, `&[T]`);
/// nothing for one taken by value.
fn own(p: &Parameter) -> TokenStream {
    if borrowed(&p.ty) {
        let n = ident(&p.rust_name);
        quote!(let #n = ToOwned::to_owned(#n);)
    } else {
        quote!()
    }
}

/// `name: type` for each required parameter, in order: the leading arguments of a method.
fn required_args(op: &Operation) -> Vec<TokenStream> {
    if let Some(t) = &op.params_type {
        let t = ident(t);
        return vec![quote!(params: &#t)];
    }
    op.params
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let n = ident(&p.rust_name);
            let ty = param_type(&p.ty);
            quote!(#n: #ty)
        })
        .collect()
}

/// `<x-codegen-poll method>`: the operation called every `poll.interval` until the field is final.
fn poll_helper(op: &Operation, poll: &Poll, group_module: &str) -> TokenStream {
    let Success::Json(ty) = &op.success else { return quote!() };
    let ty = rust_type(ty, Site::Outside);
    let name = ident(&poll.rust_name);
    let call = ident(&op.rust_name);
    let accessor = ident(group_module);
    let field = ident(&poll.field_rust_name);
    // The helper's future owns copies of the arguments, so it borrows nothing.
    let (args, owned, pass): (Vec<TokenStream>, Vec<TokenStream>, Vec<TokenStream>) = match &op.params_type {
        Some(t) => {
            let t = ident(t);
            (vec![quote!(params: #t)], Vec::new(), vec![quote!(&params)])
        }
        None => (
            required_args(op),
            required(op).map(own).collect(),
            required(op).map(|p| pass_again(&p.ty, ident(&p.rust_name))).collect(),
        ),
    };
    let (options_arg, options_pass) = match &op.options_type {
        Some(t) => {
            let t = ident(t);
            (quote!(options: #t,), quote!(options.clone()))
        }
        None => (quote!(), quote!()),
    };
    let value = if poll.field_optional {
        quote!(value.#field.as_ref().map(ToParam::to_param))
    } else {
        quote!(Some(value.#field.to_param()))
    };
    let listed = |values: &[String]| values.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
    let absent = if poll.field_optional { " An answer without it is not final either." } else { "" };
    let (rule, check) = match &poll.until {
        PollUntil::Final(values) => (
            format!(
                "until `{}` is one of {} (a value the spec does not list is not final: it keeps asking).{absent}",
                poll.field,
                listed(values)
            ),
            quote!(matches!(#value.as_deref(), Some(#( #values )|*))),
        ),
        PollUntil::NotPending(values) => (
            format!("until `{}` is none of {}.{absent}", poll.field, listed(values)),
            quote!(!matches!(#value.as_deref(), None | Some(#( #values )|*))),
        ),
    };
    let doc = docs::raw(&format!(
        "Calls [`Self::{}`] every `poll.interval` {rule} Returns that answer.\n\n# Errors\n\n[`Error::Timeout`](crate::Error::Timeout) with [`TimeoutKind::Polling`](crate::TimeoutKind::Polling) when `poll.timeout` passes first, and any error of [`Self::{}`] (each call retries as usual).",
        op.rust_name.trim_start_matches("r#"),
        op.rust_name.trim_start_matches("r#")
    ));
    let op_id = &op.id;
    quote! {
        #doc
        pub fn #name(&self, #( #args, )* #options_arg poll: crate::PollOptions) -> impl Future<Output = Result<#ty, Error>> + Send + use<> {
            let client = self.client.clone();
            #( #owned )*
            async move {
                poll_until(#op_id, poll, || client.#accessor().#call(#( #pass, )* #options_pass), |value: &#ty| #check).await
            }
        }
    }
}

fn param_step(p: &Parameter, value: TokenStream) -> TokenStream {
    let wire = &p.name;
    // A `nullable` parameter is an `Option` even when required: `None` leaves it out.
    let (ty, maybe) = match &p.ty {
        TypeRef::Nullable(inner) => (inner.as_ref(), true),
        other => (other, !p.required),
    };
    let add = |v: TokenStream| -> TokenStream {
        if p.wire == Wire::Json {
            let style = match p.style {
                QueryStyle::FormExploded => quote!(QueryStyle::FormExploded),
                QueryStyle::FormComma => quote!(QueryStyle::FormComma),
                QueryStyle::SpaceDelimited => quote!(QueryStyle::SpaceDelimited),
                QueryStyle::PipeDelimited => quote!(QueryStyle::PipeDelimited),
                QueryStyle::DeepObject => quote!(QueryStyle::DeepObject),
            };
            return match p.location {
                ParamLocation::Query => quote!(request.query_value(#wire, &#v, #style);),
                ParamLocation::Header => quote!(request.header(#wire, &simple_param(&#v));),
                ParamLocation::Cookie => quote!(request.cookie(#wire, &simple_param(&#v));),
                ParamLocation::Path => quote!(),
            };
        }
        match (p.location, ty, p.style.delimiter()) {
            (ParamLocation::Query, TypeRef::Array(_), Some(delimiter)) => {
                quote!(request.query(#wire, &#v.iter().map(ToParam::to_param).collect::<Vec<_>>().join(#delimiter));)
            }
            (ParamLocation::Query, TypeRef::Array(_), _) => {
                quote!(for item in #v.iter() { request.query(#wire, &item.to_param()); })
            }
            (ParamLocation::Query, _, _) => quote!(request.query(#wire, &#v.to_param());),
            // Arrays in headers and cookies are comma-separated (`simple` and `form` styles).
            (ParamLocation::Header | ParamLocation::Cookie, TypeRef::Array(_), _) => {
                let join = quote!(&#v.iter().map(ToParam::to_param).collect::<Vec<_>>().join(","));
                if p.location == ParamLocation::Header {
                    quote!(request.header(#wire, #join);)
                } else {
                    quote!(request.cookie(#wire, #join);)
                }
            }
            (ParamLocation::Header, _, _) => quote!(request.header(#wire, &#v.to_param());),
            (ParamLocation::Cookie, _, _) => quote!(request.cookie(#wire, &#v.to_param());),
            (ParamLocation::Path, _, _) => quote!(),
        }
    };
    if maybe {
        let body = add(quote!(value));
        quote!(if let Some(value) = &#value { #body })
    } else {
        add(value)
    }
}
