//! The helpers an operation brings besides its method: a page stream (one `paginate*` call, in
//! the style lowering resolved) and a poll helper (one `poll_until` call).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::operations::required_args;
use super::rust_types::{Site, borrowed, param_type, pass_again, rust_type};
use crate::ir::{
    Api, FieldStep, Group, Operation, PageKind, PageSlot, PageStyle, PageToken, Pagination, Parameter, Poll, PollUntil,
    SlotPlace, Success, TypeRef, field_path_text,
};

/// `let name = ToOwned::to_owned(name);` for a borrowed argument a helper keeps (`&str`, `&[T]`);
/// nothing for one taken by value.
fn own(p: &Parameter) -> TokenStream {
    if borrowed(&p.ty) {
        let n = &p.rust_name;
        quote!(let #n = ToOwned::to_owned(#n);)
    } else {
        quote!()
    }
}

/// The page stream of a list operation: every item of every page, one page asked for at a time,
/// in the operation's paging style. Its arguments are the call's, but a positional position (the
/// stream's to set); the stream owns a clone of them and of the client.
pub fn page_stream(api: &Api, op: &Operation, paging: &Pagination, group: &Group) -> TokenStream {
    let item = rust_type(api, &paging.item, Site::Outside);
    let (call, accessor, name) = (&op.rust_name, &group.module, &paging.rust_name);
    let position = match &paging.style {
        PageStyle::Counted { position, .. } => Some(position),
        _ => None,
    };
    let is_position = |p: &Parameter| position.is_some_and(|slot| slot.rust_name == p.rust_name);
    let taken: Vec<&Parameter> = match op.params_type {
        Some(_) => Vec::new(),
        None => op.required_params().filter(|p| !is_position(p)).collect(),
    };
    let mut args: Vec<TokenStream> = taken
        .iter()
        .map(|p| {
            let (n, ty) = (&p.rust_name, param_type(api, &p.ty));
            quote!(#n: #ty)
        })
        .collect();
    if let Some(t) = &op.params_type {
        args.push(quote!(params: #t));
    }
    if let Some(t) = &op.options_type {
        args.push(quote!(options: #t));
    }
    let owned = taken.iter().map(|p| own(p));
    // Each argument of the page call: the page's position and size where the call takes them
    // positionally, the caller's values for the others.
    let size_name = match &paging.style {
        PageStyle::Counted { size, .. } => Some(&size.rust_name),
        _ => None,
    };
    let pass: Vec<TokenStream> = match &op.params_type {
        Some(_) => vec![quote!(&params)],
        None => op
            .required_params()
            .map(|p| {
                if is_position(p) {
                    quote!(PageParam::from_count(offset))
                } else if size_name == Some(&p.rust_name) {
                    quote!(PageParam::from_count(limit))
                } else {
                    pass_again(api, &p.ty, &p.rust_name)
                }
            })
            .collect(),
    };
    let options_pass = op.options_type.as_ref().map(|_| quote!(options));
    let page_call = quote!(client.#accessor().#call(#( #pass, )* #options_pass));
    // The clones each page makes of the caller's params and options (`mut` where the stream sets
    // a field of them).
    let set_in = |place: SlotPlace| match &paging.style {
        PageStyle::Counted { position, size, .. } => [position, size].iter().any(|s| s.place == place),
        PageStyle::Cursor { param, .. } => param.place == place,
        PageStyle::Link { .. } => false,
    };
    let copies = [(SlotPlace::Options, quote!(options)), (SlotPlace::Params, quote!(params))].map(|(place, n)| {
        let exists = match place {
            SlotPlace::Options => op.options_type.is_some(),
            _ => op.params_type.is_some(),
        };
        match (exists, set_in(place)) {
            (true, true) => quote!(let mut #n = #n.clone();),
            (true, false) => quote!(let #n = #n.clone();),
            _ => quote!(),
        }
    });
    // An answer that may be absent (a `204` beside the list) is an `Option` of it.
    let nullable = matches!(&op.success, Success::Json(TypeRef::Nullable(_)));
    let descriptor = &op.descriptor;
    let follow = quote!(client.inner.follow(&#descriptor, &url));
    let (body, how) = match &paging.style {
        PageStyle::Counted { kind, position, size } => {
            counted(&paging.items, nullable, *kind, position, size, &copies, &page_call)
        }
        PageStyle::Cursor { param, token } => {
            let n = &param.rust_name;
            let (next, items) = token_and_items(paging, token, nullable);
            let body = quote! {
                paginate_cursor(move |cursor: Option<String>| {
                    #( #copies )*
                    if let Some(cursor) = cursor {
                        options.#n = PageParam::from_text(cursor);
                    }
                    let call = #page_call;
                    async move {
                        let answer = call.await?;
                        #next
                        Ok((#items, next))
                    }
                })
            };
            let how = format!(
                "the answer's {} is sent back as `{}` for the next page, starting from the one in `options`. The stream ends after a page without one",
                match token {
                    PageToken::Field(path) => format!("`{}`", field_path_text(path)),
                    PageToken::LastItem { has_more, field } => {
                        format!("last item's `{}` (while `{}` is true)", field.name, field_path_text(has_more))
                    }
                },
                param.name
            );
            (body, how)
        }
        PageStyle::Link { field: None } => {
            let take = match (&op.success, paging.items.is_empty() && !nullable) {
                (Success::Json(answer), false) => {
                    let answer = rust_type(api, answer, Site::Outside);
                    let items = owned_at(&paging.items, nullable);
                    quote!(|answer: #answer| #items)
                }
                _ => quote!(std::convert::identity),
            };
            let body = quote! {
                paginate_links(
                    move |link: Option<String>| {
                        #( #copies )*
                        match link {
                            None => #page_call,
                            Some(url) => #follow,
                        }
                    },
                    #take,
                )
            };
            let how = "each next page is the `Link` header's `rel=\"next\"` of the one before, fetched as it is (with the client's credentials, on its server only). The stream ends after a page without one".to_string();
            (body, how)
        }
        PageStyle::Link { field: Some(path) } => {
            let next = text_at(path, nullable);
            let items = owned_at(&paging.items, nullable);
            let body = quote! {
                paginate_cursor(move |link: Option<String>| {
                    #( #copies )*
                    let call = match link {
                        None => #page_call,
                        Some(url) => #follow,
                    };
                    async move {
                        let answer = call.await?;
                        let next = #next;
                        Ok((#items, next))
                    }
                })
            };
            let how = format!(
                "each next page is at the URL in the answer's `{}`, fetched as it is (with the client's credentials, on its server only). The stream ends after a page without one",
                field_path_text(path)
            );
            (body, how)
        }
    };
    let doc = docs::raw(&format!(
        "Every item of [`Self::{}`], page after page, as a stream.\n\nPages are fetched as the stream is read: {how}, or with the first error. It owns a clone of the client, so it can be returned or spawned.",
        op.rust_name.bare(),
    ));
    quote! {
        #doc
        pub fn #name(&self, #( #args ),*) -> crate::Paged<#item> {
            let client = self.client.clone();
            #( #owned )*
            #body
        }
    }
}

/// The `paginate` call of counted pages, and how they advance, for the docs.
fn counted(
    items: &[FieldStep],
    nullable: bool,
    kind: PageKind,
    position: &PageSlot,
    size: &PageSlot,
    copies: &[TokenStream],
    page_call: &TokenStream,
) -> (TokenStream, String) {
    // Where the caller's start and size are read: the stream sets the position itself unless
    // the caller's options hold one; the size is the caller's wherever it is.
    let start = match position.place {
        SlotPlace::Options => {
            let n = &position.rust_name;
            quote!(options.#n.as_ref().and_then(PageParam::to_count))
        }
        SlotPlace::Params | SlotPlace::Argument => quote!(None),
    };
    let limit = {
        let n = &size.rust_name;
        match size.place {
            SlotPlace::Options => quote!(options.#n.as_ref().and_then(PageParam::to_count)),
            SlotPlace::Params => quote!(PageParam::to_count(&params.#n)),
            SlotPlace::Argument => quote!(PageParam::to_count(&#n)),
        }
    };
    let set = |slot: &PageSlot, value: TokenStream| {
        let n = &slot.rust_name;
        match slot.place {
            SlotPlace::Options => quote!(options.#n = Some(PageParam::from_count(#value));),
            SlotPlace::Params => quote!(params.#n = PageParam::from_count(#value);),
            SlotPlace::Argument => quote!(),
        }
    };
    let sets = [set(position, quote!(offset)), set(size, quote!(limit))];
    let (paging, counted, from) = match kind {
        PageKind::Offset => (quote!(Paging::Offset), "items to skip", "0"),
        PageKind::Number => (quote!(Paging::Number), "the page number", "1"),
    };
    let starts = match position.place {
        SlotPlace::Options => format!("starts at the one in `options` (default {from})"),
        _ => format!("starts at {from}"),
    };
    let asks = match size.place {
        SlotPlace::Options => format!("`{}` items (from `options`, default 100)", size.name),
        _ => format!("`{}` items (the argument)", size.name),
    };
    let how = format!(
        "`{}` ({counted}) {starts} and advances page by page; each page asks for {asks}. The stream ends after a shorter page",
        position.name
    );
    // A list inside the answer is taken out of it.
    let page = if items.is_empty() && !nullable {
        quote!(#page_call)
    } else {
        let items = owned_at(items, nullable);
        quote! {
            let call = #page_call;
            async move {
                let answer = call.await?;
                Ok(#items)
            }
        }
    };
    let body = quote! {
        paginate(#paging, #start, #limit, move |offset, limit| {
            #( #copies )*
            #( #sets )*
            #page
        })
    };
    (body, how)
}

/// `let next = ...;` (the token of the page after `answer`, as text) and the expression that
/// moves the items out of `answer`.
fn token_and_items(paging: &Pagination, token: &PageToken, nullable: bool) -> (TokenStream, TokenStream) {
    let items = owned_at(&paging.items, nullable);
    match token {
        PageToken::Field(path) => {
            let next = text_at(path, nullable);
            (quote!(let next = #next;), items)
        }
        PageToken::LastItem { has_more, field } => {
            let more = match borrowed_at(has_more, nullable) {
                Chain::Plain(e) => e,
                Chain::Optional(e) => quote!(#e == Some(&true)),
            };
            let f = &field.rust_name;
            let last = if field.optional {
                quote!(items.last().and_then(|item| item.#f.as_ref()).map(|v| v.to_text()))
            } else {
                quote!(items.last().map(|item| item.#f.to_text()))
            };
            let next = quote! {
                let more = #more;
                let items = #items;
                let next = if more { #last } else { None };
            };
            (next, quote!(items))
        }
    }
}

/// An expression over `answer` that is a value (`Plain`) or an `Option` of it (`Optional`).
enum Chain {
    Plain(TokenStream),
    Optional(TokenStream),
}

/// The fields of `path` in `answer` (an `Option` when `nullable`), borrowed: `&T` reads as `Plain(answer.a.b)`, and as soon as
/// a field is optional, `Optional(answer.a.as_ref().map(|v| &v.b))` (an `Option<&T>`).
fn borrowed_at(path: &[FieldStep], nullable: bool) -> Chain {
    let mut chain = if nullable { Chain::Optional(quote!(answer.as_ref())) } else { Chain::Plain(quote!(answer)) };
    for step in path {
        let n = &step.rust_name;
        chain = match (chain, step.optional) {
            (Chain::Plain(e), false) => Chain::Plain(quote!(#e.#n)),
            (Chain::Plain(e), true) => Chain::Optional(quote!(#e.#n.as_ref())),
            (Chain::Optional(e), false) => Chain::Optional(quote!(#e.map(|v| &v.#n))),
            (Chain::Optional(e), true) => Chain::Optional(quote!(#e.and_then(|v| v.#n.as_ref()))),
        };
    }
    chain
}

/// The field at `path` (a string or an integer) as `Option<String>`.
fn text_at(path: &[FieldStep], nullable: bool) -> TokenStream {
    match borrowed_at(path, nullable) {
        Chain::Plain(e) => quote!(Some(#e.to_text())),
        Chain::Optional(e) => quote!(#e.map(|v| v.to_text())),
    }
}

/// The list at `path` moved out of `answer` (an `Option` when `nullable`; empty where an
/// optional field, or the answer, is absent).
fn owned_at(path: &[FieldStep], nullable: bool) -> TokenStream {
    let mut chain = if nullable { Chain::Optional(quote!(answer)) } else { Chain::Plain(quote!(answer)) };
    for step in path {
        let n = &step.rust_name;
        chain = match (chain, step.optional) {
            (Chain::Plain(e), false) => Chain::Plain(quote!(#e.#n)),
            (Chain::Plain(e), true) => Chain::Optional(quote!(#e.#n)),
            (Chain::Optional(e), false) => Chain::Optional(quote!(#e.map(|v| v.#n))),
            (Chain::Optional(e), true) => Chain::Optional(quote!(#e.and_then(|v| v.#n))),
        };
    }
    match chain {
        Chain::Plain(e) => e,
        Chain::Optional(e) => quote!(#e.unwrap_or_default()),
    }
}

/// `<x-codegen-poll method>`: the operation called every `poll.interval` until the field is final.
pub fn poll_helper(api: &Api, op: &Operation, poll: &Poll, group: &Group) -> TokenStream {
    let crate::ir::Success::Json(ty) = &op.success else { return quote!() };
    let ty = rust_type(api, ty, Site::Outside);
    let (name, call, accessor, field) = (&poll.rust_name, &op.rust_name, &group.module, &poll.field_rust_name);
    // The helper's future owns copies of the arguments, so it borrows nothing.
    let (args, owned, pass): (Vec<TokenStream>, Vec<TokenStream>, Vec<TokenStream>) = match &op.params_type {
        Some(t) => (vec![quote!(params: #t)], Vec::new(), vec![quote!(&params)]),
        None => (
            required_args(api, op),
            op.required_params().map(own).collect(),
            op.required_params().map(|p| pass_again(api, &p.ty, &p.rust_name)).collect(),
        ),
    };
    let (options_arg, options_pass) = match &op.options_type {
        Some(t) => (quote!(options: #t,), quote!(options.clone())),
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
    let method = op.rust_name.bare();
    let doc = docs::raw(&format!(
        "Calls [`Self::{method}`] every `poll.interval` {rule} Returns that answer; `poll.on_answer` hears of every one.\n\n# Errors\n\n[`Error::Timeout`](crate::Error::Timeout) with [`TimeoutKind::Polling`](crate::TimeoutKind::Polling) when `poll.timeout` passes first, and any error of [`Self::{method}`] (each call retries as usual)."
    ));
    let op_id = &op.id;
    quote! {
        #doc
        pub fn #name(&self, #( #args, )* #options_arg poll: crate::PollOptions<#ty>) -> impl Future<Output = Result<#ty, Error>> + Send + use<> {
            let client = self.client.clone();
            #( #owned )*
            async move {
                poll_until(#op_id, poll, || client.#accessor().#call(#( #pass, )* #options_pass), |value: &#ty| #check).await
            }
        }
    }
}
