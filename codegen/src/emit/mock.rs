//! `src/mock/mod.rs` and `src/mock/<tag>.rs`, behind the generated crate's `mock` feature: the
//! typed layer over the runtime's mock server. Per group, an accessor of expectations
//! (`mock.jobs()`) and of received calls (`mock.received().jobs()`); per operation, an
//! expectation with a matcher per parameter (and the body), and the call decoded from a request.
//! The fixed parts (`Mock`, `Received`) are the runtime's `generated_mock!`.

use proc_macro2::TokenStream;
use quote::quote;

use super::Cx;
use super::docs;
use super::rust_types::{Site, rust_type};
use super::wire::{place, style};
use crate::ir::{
    Api, BodyEncoding, Group, Operation, ParamEncoding, ParamLocation, Parameter, RequestBody, Success, TypeRef,
};

/// `src/mock/mod.rs`: the groups' modules, and `Mock` over every operation's descriptor.
pub fn emit_mod(cx: Cx<'_>) -> TokenStream {
    let api = cx.api;
    let runtime = cx.runtime();
    let mods = api.groups.iter().map(|g| {
        let (m, cfg) = (&g.module, super::group_cfg(g));
        quote!(#cfg mod #m; #cfg pub use #m::*;)
    });
    let descriptors = api.groups.iter().flat_map(|g| {
        let cfg = super::group_cfg(g);
        g.operations.iter().map(move |op| {
            let d = &op.descriptor;
            quote!(#cfg &crate::operations::#d)
        })
    });
    let doc = docs::inner(&format!(
        "A mock server of the {} for tests of code that uses the client (the `mock` feature): start a [`Mock`], make expectations in the client's own words (`mock.<group>().<operation>()`, a matcher per parameter), get a [`Client`](crate::Client) for it with [`Mock::client`], then read what it received ([`Mock::received`]) and [`Mock::verify`] it.\n\nThe real client talks to it over HTTP on 127.0.0.1, so credentials, retries, timeouts and decoding run as they do against a server. A request that no expectation answers gets a `501` whose body says which operation it resolved to and why each expectation of it did not match.",
        docs::sanitize(&api.title)
    ));
    quote! {
        #doc
        #![allow(clippy::doc_lazy_continuation, clippy::disallowed_names, deprecated)]
        #( #mods )*

        pub use #runtime::mock::{Form, MockServer, Part, Reply, Request, Times, Unmet, pattern};

        /// Every operation of the crate, for the mock server to resolve requests against.
        static OPERATIONS: &[&#runtime::__private::Operation] = &[ #( #descriptors ),* ];

        #runtime::generated_mock!(OPERATIONS);
    }
}

/// `src/mock/<tag>.rs`: one group's expectations, received calls, and each operation's types.
pub fn emit_group(cx: Cx<'_>, group: &Group) -> TokenStream {
    let runtime = cx.runtime();
    let (accessor, mock_type, received_type) = (&group.module, &group.mock_type, &group.received_type);
    let module_doc = docs::inner(&format!("Expectations and received calls of the operations tagged `{}`.", group.tag));
    let mock_doc = docs::raw(&format!(
        "Expectations of the operations tagged `{}`, as [`Client::{}`](crate::Client::{}) calls them: get it from [`Mock::{}`].",
        group.tag,
        group.module,
        group.module.bare(),
        group.module.bare()
    ));
    let received_doc = docs::raw(&format!(
        "The calls of the operations tagged `{}` the mock received, decoded: get it from [`Received::{}`].",
        group.tag,
        group.module.bare()
    ));
    let received_accessor_doc =
        docs::raw(&format!("The calls of the operations tagged `{}` the mock received, decoded.", group.tag));
    let mock_accessor_doc = docs::raw(&format!(
        "Expectations of the operations tagged `{}`, as [`Client::{}`](crate::Client::{}) calls them.",
        group.tag,
        group.module,
        group.module.bare()
    ));
    let makers = group.operations.iter().map(|op| {
        let (name, expectation) = (&op.rust_name, &op.mock.expectation);
        let doc = docs::raw(&format!(
            "A new expectation of `{} {}` ([`{}::{}`](crate::operations::{}::{})). Requests try the expectations in the order they were made; the first that matches and is not used up answers.",
            op.method,
            op.path,
            group.type_name,
            op.rust_name.bare(),
            group.type_name,
            op.rust_name.bare()
        ));
        quote! {
            #doc
            pub fn #name(&self) -> #expectation {
                #expectation(Expectation::new(self.mock.server()))
            }
        }
    });
    let readers = group.operations.iter().map(|op| {
        let (name, call) = (&op.rust_name, &op.mock.call);
        let doc = format!(
            " The calls of `{}` received, decoded, in order (a request that does not decode is left out).",
            op.id
        );
        quote! {
            #[doc = #doc]
            pub fn #name(&self) -> Vec<#call> {
                #runtime::mock::received(self.mock.server())
            }
        }
    });
    let operations = group.operations.iter().map(|op| operation(cx, op));
    quote! {
        #module_doc
        #[allow(unused_imports)]
        use #runtime::__private::{Operation, ParamStyle};
        #[allow(unused_imports)]
        use #runtime::mock::{Binary, Call, Empty, Expectation, Json, Place, Request, Text};
        #[allow(unused_imports)]
        use crate::types;
        use super::{Mock, Received};

        #mock_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #mock_type<'a> {
            mock: &'a Mock,
        }

        impl Mock {
            #mock_accessor_doc
            pub fn #accessor(&self) -> #mock_type<'_> {
                #mock_type { mock: self }
            }
        }

        impl #mock_type<'_> {
            #( #makers )*
        }

        #received_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #received_type<'a> {
            mock: &'a Mock,
        }

        impl<'a> Received<'a> {
            #received_accessor_doc
            pub fn #accessor(&self) -> #received_type<'a> {
                #received_type { mock: self.mock }
            }
        }

        impl #received_type<'_> {
            #( #readers )*
        }

        #( #operations )*
    }
}

/// What a successful answer of the operation is, as the runtime's marker type.
fn success(api: &Api, op: &Operation) -> TokenStream {
    match &op.success {
        Success::Json(ty) => {
            let ty = rust_type(api, ty, Site::Outside);
            quote!(Json<#ty>)
        }
        Success::Text => quote!(Text),
        Success::Bytes => quote!(Binary),
        Success::Empty => quote!(Empty),
    }
}

/// A parameter's field in the call: its owned type, an `Option` when it may be absent.
fn field_type(api: &Api, p: &Parameter) -> TokenStream {
    let ty = rust_type(api, p.ty.non_null(), Site::Outside);
    if p.required && !matches!(p.ty, TypeRef::Nullable(_)) { ty } else { quote!(Option<#ty>) }
}

/// The body's field in the call.
fn body_type(api: &Api, body: &RequestBody, runtime: &proc_macro2::Ident) -> TokenStream {
    let ty = match body.encoding {
        BodyEncoding::Multipart => quote!(#runtime::mock::Form),
        BodyEncoding::Binary => quote!(bytes::Bytes),
        BodyEncoding::Text => quote!(String),
        BodyEncoding::Json | BodyEncoding::Form => rust_type(api, &body.ty, Site::Outside),
    };
    if body.required { ty } else { quote!(Option<#ty>) }
}

/// How one parameter is read back from a request: the inverse of its encoding.
fn decode_param(op: &Operation, p: &Parameter) -> TokenStream {
    let (wire, place) = (&p.name, place(p.location));
    let read = match p.encoding {
        ParamEncoding::Text => quote!(request.param(#place, #wire)?),
        ParamEncoding::TextItems => quote!(request.param_items(#place, #wire)?),
        ParamEncoding::Joined(delimiter) => {
            let delimiter = delimiter.as_str();
            quote!(request.param_joined(#place, #wire, #delimiter)?)
        }
        ParamEncoding::Json(s) => {
            let style = style(s);
            let others = op
                .params
                .iter()
                .filter(|q| q.location == ParamLocation::Query && q.name != p.name)
                .map(|q| q.name.as_str());
            quote!(request.param_json(#place, #wire, #style, &[ #( #others ),* ])?)
        }
    };
    if p.required && !matches!(p.ty, TypeRef::Nullable(_)) {
        let missing = format!("no `{}` {} parameter", p.name, p.location);
        quote!(#read.ok_or(#missing)?)
    } else {
        read
    }
}

/// How the body is read back from a request.
fn decode_body(body: &RequestBody) -> TokenStream {
    let read = match body.encoding {
        BodyEncoding::Json => quote!(request.json_body()?),
        BodyEncoding::Form => quote!(request.form_body()?),
        BodyEncoding::Multipart => quote!(request.multipart_body()?),
        BodyEncoding::Text => quote!(request.text()),
        BodyEncoding::Binary => quote!(request.body.clone()),
    };
    if body.required { read } else { quote!(if request.body_len == 0 { None } else { Some(#read) }) }
}

/// One operation's expectation (a matcher per parameter and for the body) and call.
fn operation(cx: Cx<'_>, op: &Operation) -> TokenStream {
    let (api, runtime) = (cx.api, cx.runtime());
    let (expectation, call) = (&op.mock.expectation, &op.mock.call);
    let success = success(api, op);
    let what = format!("`{}` (`{} {}`)", op.id, op.method, op.path);
    let expectation_doc = docs::raw(&format!(
        "An expectation of {what}: a matcher per parameter here; the answers (`respond`, `reply`, `respond_with`...) and `times` are [`Expectation`]'s, which it dereferences to."
    ));
    let call_doc = docs::raw(&format!("A call of {what} as the mock received it, decoded into the client's types."));
    let fields = op.params.iter().map(|p| {
        let (n, ty) = (&p.rust_name, field_type(api, p));
        let doc = format!(" The `{}` {} parameter.", p.name, p.location);
        quote!(#[doc = #doc] pub #n: #ty,)
    });
    let body_field = op.body.as_ref().map(|b| {
        let ty = body_type(api, b, &runtime);
        quote!(/// The body.
        pub body: #ty,)
    });
    let matchers = op.params.iter().zip(&op.mock.matchers).map(|(p, matcher)| {
        let (n, wire) = (&p.rust_name, &p.name);
        let inner = rust_type(api, p.ty.non_null(), Site::Outside);
        let optional = !p.required || matches!(p.ty, TypeRef::Nullable(_));
        let (arg, value) = match (p.ty.non_null(), optional) {
            (TypeRef::String, false) => (quote!(impl Into<String>), quote!(value.into())),
            (TypeRef::String, true) => (quote!(impl Into<String>), quote!(Some(value.into()))),
            (_, false) => (inner.clone(), quote!(value)),
            (_, true) => (inner.clone(), quote!(Some(value))),
        };
        let doc = format!(" Calls whose `{wire}` {} parameter is `value`.", p.location);
        quote! {
            #[doc = #doc]
            pub fn #matcher(&self, value: #arg) -> &Self {
                self.0.field(#wire, #value, |call: &#call| &call.#n);
                self
            }
        }
    });
    let body_matchers = op.body.as_ref().map(|b| {
        let (by_value, by_check) = (&op.mock.body, &op.mock.body_matching);
        // What the body is when present.
        let ty = body_type(api, &RequestBody { required: true, ..b.clone() }, &runtime);
        let (value, check) = if b.required {
            (quote!(value), quote!(check(&call.body)))
        } else {
            (quote!(Some(value)), quote!(call.body.as_ref().is_some_and(&check)))
        };
        quote! {
            /// Calls whose body is `value`.
            pub fn #by_value(&self, value: #ty) -> &Self {
                self.0.field("body", #value, |call: &#call| &call.body);
                self
            }

            /// Calls whose body `check` accepts.
            pub fn #by_check(&self, check: impl Fn(&#ty) -> bool + Send + Sync + 'static) -> &Self {
                self.0.when("a body it accepts", move |call: &#call| #check);
                self
            }
        }
    });
    let reads = op.params.iter().map(|p| {
        let (n, read) = (&p.rust_name, decode_param(op, p));
        quote!(#n: #read,)
    });
    let body_read = op.body.as_ref().map(|b| {
        let read = decode_body(b);
        quote!(body: #read,)
    });
    let descriptor = &op.descriptor;
    let status = op.success_status();
    // A call of nothing reads nothing of the request.
    let request = if op.params.is_empty() && op.body.is_none() { quote!(_request) } else { quote!(request) };
    quote! {
        #expectation_doc
        #[derive(Debug)]
        pub struct #expectation(Expectation<#call, #success>);

        impl std::ops::Deref for #expectation {
            type Target = Expectation<#call, #success>;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl #expectation {
            #( #matchers )*
            #body_matchers
        }

        #call_doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #call {
            #( #fields )*
            #body_field
        }

        impl Call for #call {
            const OPERATION: &'static Operation = &crate::operations::#descriptor;
            const SUCCESS: u16 = #status;
            fn decode(#request: &Request) -> Result<Self, String> {
                Ok(#call { #( #reads )* #body_read })
            }
        }
    }
}
