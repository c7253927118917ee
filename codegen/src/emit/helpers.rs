//! The helpers an operation brings besides its method: a page stream (one `paginate` call, from
//! the plan lowering resolved) and a poll helper (one `poll_until` call).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::operations::required_args;
use super::rust_types::{Site, borrowed, param_type, pass_again, rust_type};
use crate::ir::{Api, Group, Operation, PageKind, PageSlot, Pagination, Parameter, Poll, PollUntil, SlotPlace};

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

/// The page stream of a list operation: every item of every page, the position (`offset`, or
/// `page`) advancing from the caller's (default 0, or 1) by the items received (or by one page),
/// each page asking for the caller's page size (default 100). The stream sets the position; a
/// required page size stays the caller's to give.
pub fn page_stream(api: &Api, op: &Operation, paging: &Pagination, group: &Group) -> TokenStream {
    let item = rust_type(api, &paging.item, Site::Outside);
    let (call, accessor, name) = (&op.rust_name, &group.module, &paging.rust_name);
    let (position, size) = (&paging.position, &paging.size);
    // The stream's arguments: the call's, but a positional position (the stream's to set).
    let taken: Vec<&Parameter> = match op.params_type {
        Some(_) => Vec::new(),
        None => op.required_params().filter(|p| p.rust_name != position.rust_name).collect(),
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
    let copies = [(SlotPlace::Options, quote!(options)), (SlotPlace::Params, quote!(params))].map(|(place, n)| {
        let changed = [position, size].iter().any(|s| s.place == place);
        let exists = match place {
            SlotPlace::Options => op.options_type.is_some(),
            _ => op.params_type.is_some(),
        };
        match (exists, changed) {
            (true, true) => quote!(let mut #n = #n.clone();),
            (true, false) => quote!(let #n = #n.clone();),
            _ => quote!(),
        }
    });
    // Each argument of the page call: the page's position and size where the call takes them
    // positionally, the caller's values for the others.
    let pass = match &op.params_type {
        Some(_) => vec![quote!(&params)],
        None => op
            .required_params()
            .map(|p| {
                if p.rust_name == position.rust_name {
                    quote!(PageParam::from_count(offset))
                } else if p.rust_name == size.rust_name {
                    quote!(PageParam::from_count(limit))
                } else {
                    pass_again(&p.ty, &p.rust_name)
                }
            })
            .collect(),
    };
    let options_pass = op.options_type.as_ref().map(|_| quote!(options));
    let (kind, counted, from) = match paging.kind {
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
    let doc = docs::raw(&format!(
        "Every item of [`Self::{}`], page after page, as a stream.\n\nPages are fetched as the stream is read: `{}` ({counted}) {starts} and advances page by page; each page asks for {asks}. The stream ends after a shorter page, or with the first error. It owns a clone of the client, so it can be returned or spawned.",
        op.rust_name.bare(),
        position.name
    ));
    quote! {
        #doc
        pub fn #name(&self, #( #args ),*) -> crate::Paged<#item> {
            let client = self.client.clone();
            #( #owned )*
            paginate(#kind, #start, #limit, move |offset, limit| {
                #( #copies )*
                #( #sets )*
                client.#accessor().#call(#( #pass, )* #options_pass)
            })
        }
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
            op.required_params().map(|p| pass_again(&p.ty, &p.rust_name)).collect(),
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
