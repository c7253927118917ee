//! The names the hand-written runtime takes, read from its own source (compiled into the
//! generator), so that no generated name can collide with one the runtime has or adds later: the
//! methods of `Client` (the generated `Client` delegates them, and a group accessor such as
//! `client.workflows()` must not be one of them), the types the runtime defines or brings into
//! scope (a schema must not be named like them), and the types it exports (the generated crate
//! re-exports them at its root).

use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Every source file of the runtime crate (`runtime/src/`): read here for its names, and copied
/// beside a standalone generated crate (a test checks that none is missing).
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../../runtime/src/auth.rs")),
    ("base64.rs", include_str!("../../runtime/src/base64.rs")),
    ("body.rs", include_str!("../../runtime/src/body.rs")),
    ("call.rs", include_str!("../../runtime/src/call.rs")),
    ("cli/main.rs", include_str!("../../runtime/src/cli/main.rs")),
    ("cli/mod.rs", include_str!("../../runtime/src/cli/mod.rs")),
    ("cli/prepare.rs", include_str!("../../runtime/src/cli/prepare.rs")),
    ("cli/progress.rs", include_str!("../../runtime/src/cli/progress.rs")),
    ("cli/run.rs", include_str!("../../runtime/src/cli/run.rs")),
    ("cli/text.rs", include_str!("../../runtime/src/cli/text.rs")),
    ("cli/tree.rs", include_str!("../../runtime/src/cli/tree.rs")),
    ("cli/values.rs", include_str!("../../runtime/src/cli/values.rs")),
    ("client.rs", include_str!("../../runtime/src/client.rs")),
    ("download.rs", include_str!("../../runtime/src/download.rs")),
    ("error.rs", include_str!("../../runtime/src/error.rs")),
    ("intercept.rs", include_str!("../../runtime/src/intercept.rs")),
    ("json_path.rs", include_str!("../../runtime/src/json_path.rs")),
    ("lib.rs", include_str!("../../runtime/src/lib.rs")),
    ("mock/mod.rs", include_str!("../../runtime/src/mock/mod.rs")),
    ("mock/reply.rs", include_str!("../../runtime/src/mock/reply.rs")),
    ("mock/request.rs", include_str!("../../runtime/src/mock/request.rs")),
    ("mock/rules.rs", include_str!("../../runtime/src/mock/rules.rs")),
    ("mock/server.rs", include_str!("../../runtime/src/mock/server.rs")),
    ("multipart.rs", include_str!("../../runtime/src/multipart.rs")),
    ("operation.rs", include_str!("../../runtime/src/operation.rs")),
    ("paginate.rs", include_str!("../../runtime/src/paginate.rs")),
    ("params.rs", include_str!("../../runtime/src/params.rs")),
    ("poll.rs", include_str!("../../runtime/src/poll.rs")),
    ("read.rs", include_str!("../../runtime/src/read.rs")),
    ("request/answer.rs", include_str!("../../runtime/src/request/answer.rs")),
    ("request/mod.rs", include_str!("../../runtime/src/request/mod.rs")),
    ("request/preview.rs", include_str!("../../runtime/src/request/preview.rs")),
    ("retry.rs", include_str!("../../runtime/src/retry.rs")),
    ("tests.rs", include_str!("../../runtime/src/tests.rs")),
    ("timeout.rs", include_str!("../../runtime/src/timeout.rs")),
    ("transport.rs", include_str!("../../runtime/src/transport.rs")),
    ("wire.rs", include_str!("../../runtime/src/wire.rs")),
];

/// The runtime crate's manifest, copied with the files.
pub const RUNTIME_MANIFEST: &str = include_str!("../../runtime/Cargo.toml");

/// What the runtime's source declares.
#[derive(Debug, Default)]
pub struct RuntimeNames {
    /// Methods of `Client`, in any `impl` block (trait impls included), and `from` when
    /// `ClientBuilder::build` asks for `From<Client>`.
    pub client_methods: BTreeSet<String>,
    /// Public types, traits and aliases the runtime defines, the names its `pub use` items bring
    /// in, and the types its macros declare where they are expanded; but the mock's.
    pub types: BTreeSet<String>,
    /// The types of the mock server (`mock/`, and what `generated_mock!` declares): only a
    /// generated crate's `mock` module meets them.
    pub mock_types: BTreeSet<String>,
    /// Methods of the mock's `Expectation`, which a generated expectation derefs to: its
    /// matchers must not shadow them.
    pub expectation_methods: BTreeSet<String>,
    /// What the runtime's `lib.rs` exports for users in its `api` module, which a generated crate
    /// re-exports (its `Client` and `ClientBuilder` are the crate's own).
    pub exports: BTreeSet<String>,
}

/// The runtime's names, parsed once per process.
pub fn runtime_names() -> &'static RuntimeNames {
    static NAMES: OnceLock<RuntimeNames> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = RuntimeNames::default();
        for (name, text) in RUNTIME_FILES {
            // The runtime compiles, so it parses; a file that did not would only miss names.
            if let Ok(file) = syn::parse_file(text) {
                if *name == "tests.rs" || name.starts_with("cli/") {
                    // The runtime's own tests: nothing generated meets their names. The command
                    // line's types are named by path in the generated `cli` module, the one place
                    // that uses them, beside only the names of `generated_cli!`.
                } else if name.starts_with("mock/") {
                    // The mock's types live in its module: only a generated `mock` module meets them.
                    let mut mock = RuntimeNames::default();
                    items(&file.items, &mut mock);
                    names.mock_types.extend(mock.types);
                    names.expectation_methods.extend(mock.expectation_methods);
                } else {
                    items(&file.items, &mut names);
                }
                if *name == "lib.rs" {
                    exports(&file.items, &mut names.exports);
                }
            }
        }
        names
    })
}

/// Whether an item is public: only public names can meet generated code (through the crate's
/// re-exports, the `__private` module, or a path).
fn public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn items(list: &[syn::Item], names: &mut RuntimeNames) {
    for item in list {
        match item {
            syn::Item::Struct(s) => {
                if public(&s.vis) {
                    names.types.insert(s.ident.to_string());
                }
                if s.ident == "Client" {
                    derived_methods(&s.attrs, names);
                }
            }
            syn::Item::Enum(e) if public(&e.vis) => {
                names.types.insert(e.ident.to_string());
            }
            syn::Item::Type(t) if public(&t.vis) => {
                names.types.insert(t.ident.to_string());
            }
            syn::Item::Trait(t) if public(&t.vis) => {
                names.types.insert(t.ident.to_string());
            }
            syn::Item::Use(u) if public(&u.vis) => use_tree(&u.tree, &mut names.types),
            // A macro the generated code expands (`json_object!`) declares its types there; the
            // mock's in the generated `mock` module.
            syn::Item::Macro(m) if m.ident.as_ref().is_some_and(|i| i == "generated_mock") => {
                declared_in(m.mac.tokens.clone(), &mut names.mock_types)
            }
            syn::Item::Macro(m) => declared_in(m.mac.tokens.clone(), &mut names.types),
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    items(inner, names);
                }
            }
            syn::Item::Impl(i) if is_named(&i.self_ty, "Expectation") => {
                for member in &i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        names.expectation_methods.insert(f.sig.ident.to_string());
                    }
                }
            }
            syn::Item::Impl(i) if is_client(&i.self_ty) => {
                for member in &i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        names.client_methods.insert(f.sig.ident.to_string());
                    }
                }
            }
            // `ClientBuilder::build` returns any `C: From<Client>`: the generated `Client` is one,
            // so `from` is one of its methods too.
            syn::Item::Impl(i) if is_builder(&i.self_ty) => {
                for member in &i.items {
                    if let syn::ImplItem::Fn(f) = member
                        && f.sig.generics.where_clause.as_ref().is_some_and(mentions_from_client)
                    {
                        names.client_methods.insert("from".into());
                    }
                }
            }
            _ => {}
        }
    }
}

/// The names of the structs and enums a macro's body declares.
fn declared_in(tokens: proc_macro2::TokenStream, out: &mut BTreeSet<String>) {
    let mut after_keyword = false;
    for tree in tokens {
        match &tree {
            proc_macro2::TokenTree::Ident(i) if after_keyword => {
                out.insert(i.to_string());
            }
            proc_macro2::TokenTree::Group(g) => declared_in(g.stream(), out),
            _ => {}
        }
        after_keyword = matches!(&tree, proc_macro2::TokenTree::Ident(i) if i == "struct" || i == "enum");
    }
}

/// The leaves of the public `use` items of `lib.rs`'s `api` module: what a generated crate
/// re-exports.
fn exports(list: &[syn::Item], out: &mut BTreeSet<String>) {
    for item in list {
        if let syn::Item::Mod(m) = item
            && m.ident == "api"
            && let Some((_, inner)) = &m.content
        {
            for item in inner {
                if let syn::Item::Use(u) = item
                    && matches!(u.vis, syn::Visibility::Public(_))
                {
                    use_tree(&u.tree, out);
                }
            }
        }
    }
}

/// The methods a `#[derive(..)]` gives `Client` (an inherent method of the same name would
/// shadow them: an accessor named `clone` would break `client.clone()`).
fn derived_methods(attrs: &[syn::Attribute], names: &mut RuntimeNames) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            let methods: &[&str] = match meta.path.get_ident().map(ToString::to_string).as_deref() {
                Some("Clone") => &["clone", "clone_from"],
                Some("Debug") => &["fmt"],
                Some("Default") => &["default"],
                Some("PartialEq") => &["eq", "ne"],
                _ => &[],
            };
            names.client_methods.extend(methods.iter().map(|m| m.to_string()));
            Ok(())
        });
    }
}

fn is_builder(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "ClientBuilder"))
}

/// Whether a `where` clause asks for `From<Client>`.
fn mentions_from_client(clause: &syn::WhereClause) -> bool {
    let text = quote::ToTokens::to_token_stream(clause).to_string().replace(' ', "");
    text.contains("From<Client>")
}

fn is_client(ty: &syn::Type) -> bool {
    is_named(ty, "Client")
}

fn is_named(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

/// The names a `use` brings into scope (its leaves and renames, not `self` or globs).
fn use_tree(tree: &syn::UseTree, names: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(p) => use_tree(&p.tree, names),
        syn::UseTree::Name(n) if n.ident != "self" => {
            names.insert(n.ident.to_string());
        }
        syn::UseTree::Rename(r) => {
            names.insert(r.rename.to_string());
        }
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_tree(t, names)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_runtime_file_is_read() {
        let dir = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime/src"));
        let mut on_disk = Vec::new();
        let mut folders = vec![dir.clone()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    on_disk.push(path.strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/"));
                }
            }
        }
        on_disk.sort();
        let listed: Vec<&str> = RUNTIME_FILES.iter().map(|(n, _)| *n).collect();
        assert_eq!(on_disk, listed, "RUNTIME_FILES must list every file of the runtime");
    }

    #[test]
    fn the_client_methods_and_types_come_from_the_source() {
        let names = runtime_names();
        for method in
            ["builder", "base_url", "with_retry", "with_timeout", "with_deadline", "request", "clone", "fmt", "from"]
        {
            assert!(names.client_methods.contains(method), "{method}: {:?}", names.client_methods);
        }
        for ty in [
            "Client",
            "ClientBuilder",
            "Error",
            "ApiError",
            "RetryPolicy",
            "TimeoutKind",
            "TransportKind",
            "Operation",
            "ObjectVisitor",
            "Paged",
            "Body",
        ] {
            assert!(names.types.contains(ty), "{ty}: {:?}", names.types);
        }
        for ty in ["ApiError", "Error", "RetryPolicy", "Body", "FilePart", "Paged", "PageParam", "TransportKind"] {
            assert!(names.exports.contains(ty), "{ty}: {:?}", names.exports);
        }
        for method in ["respond", "reply", "times", "when", "field", "respond_with", "hits"] {
            assert!(names.expectation_methods.contains(method), "{method}: {:?}", names.expectation_methods);
        }
        for mock in ["Mock", "Received", "Expectation", "Reply", "Request", "Empty", "Text"] {
            assert!(names.mock_types.contains(mock), "{mock}: {:?}", names.mock_types);
        }
        for mock in ["Mock", "Expectation", "Reply", "Request", "Empty", "Text"] {
            assert!(!names.types.contains(mock), "{mock} is the mock's alone");
        }
        for internal in ["Client", "ClientBuilder", "MultipartForm", "Paging", "OperationRequest", "serde"] {
            assert!(!names.exports.contains(internal), "{internal}: {:?}", names.exports);
        }
    }

    /// The generated `Client` (the runtime's `generated_client!`) delegates the runtime's
    /// methods: every method it has, inherent or of a trait it implements, is one the lowering
    /// keeps group accessors away from.
    #[test]
    fn every_method_of_the_generated_client_is_reserved() {
        /// The identifiers that follow `fn` anywhere in `tokens`.
        fn functions(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
            let mut after_fn = false;
            for tree in tokens {
                match &tree {
                    proc_macro2::TokenTree::Ident(i) if after_fn => out.push(i.to_string()),
                    proc_macro2::TokenTree::Group(g) => functions(g.stream(), out),
                    _ => {}
                }
                after_fn = matches!(&tree, proc_macro2::TokenTree::Ident(i) if i == "fn");
            }
        }
        let lib = RUNTIME_FILES.iter().find(|(name, _)| *name == "lib.rs").unwrap().1;
        let file = syn::parse_file(lib).unwrap();
        let body = file
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Macro(m) if m.ident.as_ref().is_some_and(|i| i == "generated_client") => {
                    Some(m.mac.tokens.clone())
                }
                _ => None,
            })
            .expect("the runtime defines generated_client!");
        let mut seen = Vec::new();
        functions(body, &mut seen);
        let reserved = &runtime_names().client_methods;
        for name in &seen {
            assert!(reserved.contains(name), "`Client::{name}` is not reserved: {reserved:?}");
        }
        for method in ["builder", "base_url", "with_retry", "with_timeout", "with_deadline", "from", "fmt"] {
            assert!(seen.iter().any(|m| m == method), "{method}: {seen:?}");
        }
    }
}
