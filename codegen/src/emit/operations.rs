//! `src/operations/<tag>.rs`: one file per tag group, holding the group's accessor
//! (`client.workflows()`), one async method per operation (each a few runtime calls, one per
//! parameter as its encoding says), the helpers the IR gives them (`helpers.rs`), each
//! operation's descriptor, and the params and options structs.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::helpers::{page_stream, poll_helper};
use super::rust_types::{Site, borrowed, param_type, pass_again, rust_type};
use super::{Cx, examples, wire};
use crate::ir::{
    Api, BodyEncoding, Group, Operation, ParamEncoding, ParamLocation, Parameter, PathSegment, Success, TypeRef,
};

/// The tokens of one group's file.
pub fn emit(cx: Cx<'_>, group: &Group) -> TokenStream {
    let api = cx.api;
    let accessor = &group.module;
    let type_name = &group.type_name;
    let about = match &group.description {
        Some(d) => format!("Operations tagged `{}`: {}", group.tag, docs::sanitize(d)),
        None => format!("Operations tagged `{}`.", group.tag),
    };
    let module_doc = docs::inner(&about);
    let struct_doc = docs::raw(&format!("{about}\n\nGet it from [`Client::{}`].", group.module));
    let accessor_doc = docs::raw(&about);
    let structs = group.operations.iter().flat_map(|op| [params_struct(api, op), options_struct(api, op)]).flatten();
    let methods = group.operations.iter().map(|op| {
        let stream = op.pagination.as_ref().map(|p| page_stream(api, op, p, group));
        let poll = op.poll.as_ref().map(|p| poll_helper(api, op, p, group));
        let call = method(cx, op, group);
        quote!(#call #stream #poll)
    });
    let descriptors = group.operations.iter().map(descriptor);
    let runtime = cx.runtime();
    quote! {
        #module_doc
        #![allow(clippy::doc_lazy_continuation, clippy::disallowed_names, deprecated)]
        #[allow(unused_imports)]
        use #runtime::__private::{HttpMethod, In, Operation, ParamStyle, Paging, PathPart, ToParam, paginate, paginate_cursor, paginate_links, poll_until, simple_param};
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

        #( #descriptors )*

        #( #structs )*
    }
}

/// The operation's descriptor: its id, method and path template, split at its placeholders.
fn descriptor(op: &Operation) -> TokenStream {
    let name = &op.descriptor;
    let (id, template) = (&op.id, &op.path.text);
    let method = quote::format_ident!("{}", op.method.variant());
    let parts = op.path.segments.iter().map(|segment| match segment {
        PathSegment::Literal(text) => quote!(PathPart::Literal(#text)),
        PathSegment::Param(i) => {
            let placeholder = &op.params[*i].name;
            quote!(PathPart::Param(#placeholder))
        }
    });
    let doc = format!(" `{} {}` (operation `{}`).", op.method, op.path, op.id);
    quote! {
        #[doc = #doc]
        pub(crate) static #name: Operation = Operation {
            id: #id,
            method: HttpMethod::#method,
            template: #template,
            path: &[ #( #parts ),* ],
        };
    }
}

/// The struct of an operation's required parameters, when they are too many (or too alike) to be
/// positional: a plain struct the caller writes as a literal, so every value is named.
fn params_struct(api: &Api, op: &Operation) -> Option<TokenStream> {
    let name = op.params_type.as_ref()?;
    let doc = format!(
        " Required parameters of `{}` (`{} {}`), named: more than a call takes positionally.",
        op.id, op.method, op.path
    );
    let fields = op.required_params().map(|p| {
        let n = &p.rust_name;
        let ty = rust_type(api, &p.ty, Site::Outside);
        let pdoc = docs::prose(p.description.as_deref());
        let wire = format!(" The `{}` {} parameter.", p.name, p.location);
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
fn unpack_params(api: &Api, op: &Operation) -> TokenStream {
    if op.params_type.is_none() {
        return quote!();
    }
    let lets = op.required_params().map(|p| {
        let n = &p.rust_name;
        let ty = param_type(api, &p.ty);
        let value = pass_again(api, &p.ty, quote!(params.#n));
        quote!(let #n: #ty = #value;)
    });
    quote!(#( #lets )*)
}

fn options_struct(api: &Api, op: &Operation) -> Option<TokenStream> {
    let name = op.options_type.as_ref()?;
    let doc = format!(
        " Optional parameters of `{}` (`{} {}`). Start from `default()` and set what you need.",
        op.id, op.method, op.path
    );
    let fields = op.optional_params().map(|p| {
        let n = &p.rust_name;
        let ty = rust_type(api, &p.ty, Site::Outside);
        let ty = if matches!(p.ty, TypeRef::Nullable(_)) { ty } else { quote!(Option<#ty>) };
        let pdoc = docs::prose(p.description.as_deref());
        let wire = format!(" The `{}` {} parameter.", p.name, p.location);
        let sep = if pdoc.is_empty() { quote!() } else { quote!(#[doc = ""]) };
        quote! { #pdoc #sep #[doc = #wire] pub #n: #ty, }
    });
    let setters = op.optional_params().map(|p| {
        let n = &p.rust_name;
        let ty = rust_type(api, p.ty.non_null(), Site::Outside);
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

fn method_doc(cx: Cx<'_>, op: &Operation, group: &Group) -> TokenStream {
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
    text.push_str("\n\n# Errors\n\nThe future resolves to [`Error::Api`](crate::Error::Api) when the server answers with a status outside 2xx, and to the other [`Error`](crate::Error) variants for transport, timeout and decoding failures. [`CallFuture::with_response`](crate::CallFuture::with_response) gives the answer with the response's status and headers.");
    if let Some(library) = cx.settings.library.as_deref() {
        text.push_str("\n\n");
        text.push_str(&examples::call(cx.api, op, group, library));
    }
    docs::raw(&text)
}

fn method(cx: Cx<'_>, op: &Operation, group: &Group) -> TokenStream {
    let api = cx.api;
    let name = &op.rust_name;
    let doc = method_doc(cx, op, group);
    let deprecated = if op.deprecated { quote!(#[deprecated]) } else { quote!() };
    // Arguments: required parameters in order (path first), then the body, then the options.
    let mut args = required_args(api, op);
    if let Some(body) = &op.body {
        let ty = match body.encoding {
            BodyEncoding::Multipart => rust_type(api, &body.ty, Site::Outside),
            BodyEncoding::Binary => quote!(crate::Body),
            BodyEncoding::Text => quote!(String),
            // Borrowed as a slice or `str` where that is what a caller holds.
            _ if borrowed(&body.ty) => param_type(api, &body.ty),
            _ => {
                let ty = rust_type(api, &body.ty, Site::Outside);
                quote!(&#ty)
            }
        };
        let ty = if body.required { ty } else { quote!(Option<#ty>) };
        args.push(quote!(body: #ty));
    }
    if let Some(opts) = &op.options_type {
        args.push(quote!(options: #opts));
    }
    let values = op.path.segments.iter().filter_map(|segment| match segment {
        PathSegment::Param(i) => Some(path_value(&op.params[*i])),
        PathSegment::Literal(_) => None,
    });
    let descriptor = &op.descriptor;
    let mut steps: Vec<TokenStream> =
        op.params.iter().filter(|p| p.location != ParamLocation::Path).map(param_step).collect();
    if let Some(body) = &op.body {
        let media = &body.media_type;
        let send = match body.encoding {
            BodyEncoding::Json => quote!(request.json(body, #media);),
            BodyEncoding::Form => quote!(request.form(body, #media);),
            BodyEncoding::Multipart => quote!(request.multipart(body.into_form());),
            BodyEncoding::Text => quote!(request.text(body, #media);),
            BodyEncoding::Binary => quote!(request.body(body, #media);),
        };
        steps.push(if body.required { send } else { quote!(if let Some(body) = body { #send }) });
    }
    let (ret, finish) = match &op.success {
        Success::Empty => (quote!(()), quote!(request.send_empty())),
        Success::Json(ty) if op.one_or_many => (rust_type(api, ty, Site::Outside), quote!(request.send_one_or_many())),
        Success::Json(ty) => (rust_type(api, ty, Site::Outside), quote!(request.send_json())),
        Success::Text => (quote!(String), quote!(request.send_text())),
        Success::Bytes => (quote!(crate::ByteStream), quote!(request.send_stream())),
    };
    let mutable = if steps.is_empty() { quote!() } else { quote!(mut) };
    let unpack = unpack_params(api, op);
    quote! {
        #doc
        #deprecated
        pub fn #name(&self, #( #args ),*) -> crate::CallFuture<#ret> {
            #unpack
            let #mutable request = self.client.inner.request(&#descriptor, &[ #( #values ),* ]);
            #( #steps )*
            #finish
        }
    }
}

/// A path placeholder's value, as the runtime takes it: its text form, or its `simple` form.
fn path_value(p: &Parameter) -> TokenStream {
    let n = &p.rust_name;
    match p.encoding {
        ParamEncoding::Json(_) | ParamEncoding::Joined(_) | ParamEncoding::TextItems => quote!(&simple_param(&#n)),
        ParamEncoding::Text => quote!(&#n),
    }
}

/// `name: type` for each required parameter, in order: the leading arguments of a method.
pub(super) fn required_args(api: &Api, op: &Operation) -> Vec<TokenStream> {
    if let Some(t) = &op.params_type {
        return vec![quote!(params: &#t)];
    }
    op.required_params()
        .map(|p| {
            let n = &p.rust_name;
            let ty = param_type(api, &p.ty);
            quote!(#n: #ty)
        })
        .collect()
}

/// The runtime call that adds one parameter, as its encoding says; a parameter that may be
/// absent (optional, or nullable) is added only when it is set.
fn param_step(p: &Parameter) -> TokenStream {
    let wire = &p.name;
    let place = match p.location {
        ParamLocation::Query => quote!(In::Query),
        ParamLocation::Header => quote!(In::Header),
        ParamLocation::Cookie => quote!(In::Cookie),
        ParamLocation::Path => return quote!(),
    };
    let n = &p.rust_name;
    let maybe = !p.required || matches!(p.ty, TypeRef::Nullable(_));
    // The value as the call takes it: a reference, or (a list's) slice.
    let (reference, slice) = if maybe { (quote!(value), quote!(value)) } else { (quote!(&#n), quote!(#n)) };
    let call = match p.encoding {
        ParamEncoding::Text => quote!(request.param(#place, #wire, #reference);),
        ParamEncoding::TextItems => quote!(request.param_items(#place, #wire, #slice);),
        ParamEncoding::Joined(delimiter) => {
            let delimiter = delimiter.as_str();
            quote!(request.param_joined(#place, #wire, #slice, #delimiter);)
        }
        ParamEncoding::Json(style) => {
            let style = wire::style(style);
            quote!(request.param_json(#place, #wire, #reference, #style);)
        }
    };
    match (maybe, p.required) {
        (false, _) => call,
        (true, true) => quote!(if let Some(value) = &#n { #call }),
        (true, false) => quote!(if let Some(value) = &options.#n { #call }),
    }
}
