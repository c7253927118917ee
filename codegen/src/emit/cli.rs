//! `src/cli/mod.rs` and `src/cli/<tag>.rs`, behind the generated crate's `cli` feature: the
//! command line as fixed data. Per group a static of its commands; per operation its descriptor,
//! its parameters with their value kinds, its body and its answer, each JSON value with the
//! decoder of its type (`check::<types::Job>`) to check it before sending. The runtime's `cli`
//! module interprets the tables; `generated_cli!` adds the parsed command and `main`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::rust_types::{Site, rust_type};
use super::{Cx, wire};
use crate::ir::{
    Api, BodyEncoding, CliArg, CliBody, CliValue, Field, FieldStep, Group, Operation, PageKind, PageStyle, PageToken,
    Pagination, ParamEncoding, Parameter, Success, TypeKind, TypeRef,
};

/// `src/cli/mod.rs`: the groups' modules and the [`Api`] of them all.
pub fn emit_mod(cx: Cx<'_>) -> TokenStream {
    let api = cx.api;
    let runtime = cx.runtime();
    let mods = api.groups.iter().map(|g| {
        let (m, cfg) = (&g.module, super::group_cfg(g));
        quote!(#cfg mod #m;)
    });
    let groups = api.groups.iter().map(|g| {
        let (m, cfg) = (&g.module, super::group_cfg(g));
        quote!(#cfg &#m::GROUP)
    });
    let doc = docs::inner(&format!(
        "The command line of the {} (the `cli` feature): every operation a subcommand of its group (`<group> <operation>`), its path parameters positional, the others flags checked before anything is sent, JSON bodies from `--body` (a file, `-` for standard input, or the JSON itself) with a flag per top-level field, multipart parts as flags, binary answers to `--out`, every page with `--all`, and `--dry-run`.\n\nMount [`API`] in a program's own `clap` tree with [`Invocation`] (a subcommand variant `Api(Invocation)`), or run it as a program of its own with [`main`].",
        docs::sanitize(&api.title)
    ));
    let about = one_line(&api.title);
    let default_url = match &api.server {
        Some(server) if server.variables.is_empty() && server.url.starts_with("http") => {
            let url = &server.url;
            quote!(Some(#url))
        }
        _ => quote!(None),
    };
    quote! {
        #doc
        #![allow(deprecated)]
        #( #mods )*

        /// Every operation of the API as a command, by group (those whose features are on).
        pub static API: #runtime::cli::Api = #runtime::cli::Api {
            about: #about,
            groups: &[ #( #groups ),* ],
        };

        #runtime::generated_cli!(API, default_url: #default_url);
    }
}

/// `src/cli/<tag>.rs`: the group's commands.
pub fn emit_group(cx: Cx<'_>, group: &Group) -> TokenStream {
    let runtime = cx.runtime();
    let module_doc = docs::inner(&format!("The commands of the operations tagged `{}`.", group.tag));
    let name = &group.cli_name;
    let about = match &group.description {
        Some(d) => one_line(d),
        None => format!("Operations tagged `{}`", group.tag),
    };
    let commands = group.operations.iter().map(|op| command(cx.api, op));
    quote! {
        #module_doc
        #[allow(unused_imports)]
        use #runtime::cli::{
            Answer, Body, BodyForm, Command, Encoding, Field, Group, Pages, Paging, Param, ParamStyle, Place,
            StringEnum, Token, Value, check, check_one_or_many,
        };
        #[allow(unused_imports)]
        use crate::types;

        /// The group's commands.
        pub(super) static GROUP: Group = Group {
            name: #name,
            about: #about,
            commands: &[ #( #commands ),* ],
        };
    }
}

fn command(api: &Api, op: &Operation) -> TokenStream {
    let name = &op.cli.name;
    let descriptor = &op.descriptor;
    let summary = op.summary.as_deref().map(one_line).unwrap_or_default();
    let description = op.description.as_deref().unwrap_or("").trim();
    let deprecated = op.deprecated;
    let params = op.params.iter().zip(&op.cli.params).map(|(p, arg)| param(api, p, arg));
    let body = match (&op.body, &op.cli.body) {
        (Some(body), Some(cli)) => {
            let media = &body.media_type;
            let required = body.required;
            let type_name = match body.ty.direct_id() {
                Some(id) => api.type_name(id).bare().to_string(),
                None => "JSON".to_string(),
            };
            let doc = body.description.as_deref().unwrap_or("").trim();
            let form = body_form(api, body.encoding, &body.ty, cli);
            quote!(Some(Body { media: #media, required: #required, type_name: #type_name, doc: #doc, form: #form }))
        }
        _ => quote!(None),
    };
    let answer = match &op.success {
        Success::Json(TypeRef::Array(item)) if op.one_or_many => {
            let item = rust_type(api, item, Site::Outside);
            quote!(Answer::Json(check_one_or_many::<#item>))
        }
        Success::Json(ty) => {
            let ty = rust_type(api, ty, Site::Outside);
            quote!(Answer::Json(check::<#ty>))
        }
        Success::Text => quote!(Answer::Text),
        Success::Bytes => quote!(Answer::Binary),
        Success::Empty => quote!(Answer::Empty),
    };
    let pages = match &op.pagination {
        Some(p) => {
            let pages = pages(p);
            quote!(Some(#pages))
        }
        None => quote!(None),
    };
    quote! {
        Command {
            name: #name,
            operation: &crate::operations::#descriptor,
            summary: #summary,
            description: #description,
            deprecated: #deprecated,
            params: &[ #( #params ),* ],
            body: #body,
            answer: #answer,
            pages: #pages,
        }
    }
}

/// How `--all` reads every page: the paging style with wire names and JSON paths.
fn pages(p: &Pagination) -> TokenStream {
    let path = |steps: &[FieldStep]| {
        let names = steps.iter().map(|s| &s.name);
        quote!(&[ #( #names ),* ])
    };
    let items = path(&p.items);
    match &p.style {
        PageStyle::Counted { kind, position, size } => {
            let paging = match kind {
                PageKind::Offset => quote!(Paging::Offset),
                PageKind::Number => quote!(Paging::Number),
            };
            let (position, size) = (&position.name, &size.name);
            quote!(Pages::Counted { paging: #paging, position: #position, size: #size })
        }
        PageStyle::Cursor { param, token } => {
            let param = &param.name;
            let token = match token {
                PageToken::Field(steps) => {
                    let steps = path(steps);
                    quote!(Token::Field(#steps))
                }
                PageToken::LastItem { has_more, field } => {
                    let (has_more, field) = (path(has_more), &field.name);
                    quote!(Token::LastItem { has_more: #has_more, field: #field })
                }
            };
            quote!(Pages::Cursor { param: #param, items: #items, token: #token })
        }
        PageStyle::Link { field } => {
            let next = match field {
                Some(steps) => {
                    let steps = path(steps);
                    quote!(Some(#steps))
                }
                None => quote!(None),
            };
            quote!(Pages::Links { items: #items, next: #next })
        }
    }
}

fn param(api: &Api, p: &Parameter, arg: &CliArg) -> TokenStream {
    let (name, flag, required) = (&p.name, &arg.name, p.required);
    let place = wire::place(p.location);
    let item = match (arg.repeated, p.ty.non_null()) {
        (true, TypeRef::Array(item)) => item.as_ref(),
        (_, ty) => ty,
    };
    let value = value(api, arg.value, item);
    let encoding = match p.encoding {
        ParamEncoding::Text => quote!(Encoding::Text),
        ParamEncoding::TextItems => quote!(Encoding::Items),
        ParamEncoding::Joined(delimiter) => {
            let delimiter = delimiter.as_str();
            quote!(Encoding::Joined(#delimiter))
        }
        ParamEncoding::Json(style) => {
            let style = wire::style(style);
            quote!(Encoding::Json(#style))
        }
    };
    let doc = p.description.as_deref().unwrap_or("").trim();
    quote! {
        Param { name: #name, arg: #flag, place: #place, required: #required, value: #value, encoding: #encoding, doc: #doc }
    }
}

fn body_form(api: &Api, encoding: BodyEncoding, ty: &TypeRef, cli: &CliBody) -> TokenStream {
    let fields_of = |ty: &TypeRef| -> Vec<Field> {
        match api.resolve(ty) {
            TypeRef::Named { id, .. } => match &api.ty(*id).kind {
                TypeKind::Struct { fields, .. } | TypeKind::Multipart { fields } => fields.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    };
    match (encoding, cli) {
        (BodyEncoding::Multipart, CliBody::Parts(args)) => {
            let all = fields_of(ty);
            let parts = all.iter().zip(args).map(|(f, arg)| field(api, f, arg));
            quote!(BodyForm::Multipart(&[ #( #parts ),* ]))
        }
        (BodyEncoding::Json | BodyEncoding::Form, CliBody::Document { fields }) => {
            let all = fields_of(ty);
            let flags = fields.iter().map(|(i, arg)| field(api, &all[*i], arg));
            let check = rust_type(api, ty, Site::Outside);
            let variant = if encoding == BodyEncoding::Form { quote!(Form) } else { quote!(Json) };
            quote!(BodyForm::#variant { check: check::<#check>, fields: &[ #( #flags ),* ] })
        }
        (BodyEncoding::Text, _) => quote!(BodyForm::Text),
        _ => quote!(BodyForm::Binary),
    }
}

fn field(api: &Api, f: &Field, arg: &CliArg) -> TokenStream {
    let (name, flag, repeated, required) = (&f.name, &arg.name, arg.repeated, f.required);
    let item = match (arg.repeated, f.ty.non_null()) {
        (true, TypeRef::Array(item)) => item.as_ref(),
        (_, ty) => ty,
    };
    let value = value(api, arg.value, item);
    let doc = f.description.as_deref().unwrap_or("").trim();
    quote! {
        Field { name: #name, arg: #flag, value: #value, repeated: #repeated, required: #required, doc: #doc }
    }
}

/// A value kind; JSON with the decoder of `ty`, an enum with its listed values.
fn value(api: &Api, value: CliValue, ty: &TypeRef) -> TokenStream {
    match value {
        CliValue::Text => quote!(Value::Text),
        CliValue::Bool => quote!(Value::Bool),
        CliValue::Integer => quote!(Value::Integer),
        CliValue::Unsigned => quote!(Value::Unsigned),
        CliValue::Number => quote!(Value::Number),
        CliValue::DateTime => quote!(Value::DateTime),
        CliValue::Date => quote!(Value::Date),
        CliValue::Uuid => quote!(Value::Uuid),
        CliValue::Base64 => quote!(Value::Base64),
        CliValue::File => quote!(Value::File),
        CliValue::Enum(id) => {
            let name = api.type_name(id);
            quote!(Value::Enum(<types::#name as StringEnum>::VALUES))
        }
        CliValue::Json => {
            let ty = rust_type(api, ty, Site::Outside);
            quote!(Value::Json(check::<#ty>))
        }
    }
}

/// Spec prose as one line of help: its first paragraph, whitespace collapsed.
fn one_line(text: &str) -> String {
    let first = text.trim().split("\n\n").next().unwrap_or("");
    first.split_whitespace().collect::<Vec<_>>().join(" ")
}
