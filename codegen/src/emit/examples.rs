//! Doc examples: a short call of each operation, and the crate's quickstart. Both are `no_run`
//! doctests, so `cargo test` compiles them against the generated API and they cannot go stale.
//! They name the crate, so they are written only when the caller says what its library is
//! ([`crate::Settings::library`]).

use super::rust_types::{Site, param_type, rust_type};
use crate::ir::{Api, BodyEncoding, Group, HttpMethod, Operation, RustName, Success, TypeRef};

/// The `# Example` section of an operation's docs: the call, with placeholder arguments.
pub fn call(api: &Api, op: &Operation, group: &Group, library: &str) -> String {
    let mut hidden = Vec::new();
    let mut args = Vec::new();
    if let Some(t) = &op.params_type {
        hidden.push(format!("let params: {library}::operations::{t} = todo!();"));
        args.push("&params".to_string());
    } else {
        for p in op.params.iter().filter(|p| p.required) {
            args.push(placeholder(api, &p.ty, &p.rust_name, &mut hidden, library));
        }
    }
    if let Some(body) = &op.body {
        if !body.required {
            args.push("None".into());
        } else {
            let ty = match body.encoding {
                BodyEncoding::Binary => format!("{library}::Body"),
                BodyEncoding::Text => "String".into(),
                _ => typed(&rust_type(api, &body.ty, Site::Outside).to_string(), library),
            };
            hidden.push(format!("let body: {ty} = todo!();"));
            let borrowed =
                !matches!(body.encoding, BodyEncoding::Binary | BodyEncoding::Text | BodyEncoding::Multipart);
            args.push(if borrowed { "&body".into() } else { "body".into() });
        }
    }
    if op.options_type.is_some() {
        args.push("Default::default()".into());
    }
    let call = format!("client.{}().{}({}).await?", group.module, op.rust_name, args.join(", "));
    let line = match op.success {
        Success::Empty => format!("{call};"),
        _ => format!("let answer = {call};\n# let _ = answer;"),
    };
    let hidden: String = hidden.iter().map(|h| format!("# {h}\n")).collect();
    format!(
        "# Example\n\n```no_run\n# async fn example(client: {library}::Client) -> Result<(), {library}::Error> {{\n{hidden}{line}\n# Ok(())\n# }}\n```"
    )
}

/// An argument for a required parameter: a literal where one reads well, else a hidden binding.
fn placeholder(api: &Api, ty: &TypeRef, name: &RustName, hidden: &mut Vec<String>, library: &str) -> String {
    match ty {
        TypeRef::String => format!("\"{}\"", name.bare()),
        TypeRef::Integer { .. } => "1".into(),
        TypeRef::Number { .. } => "1.0".into(),
        TypeRef::Bool => "true".into(),
        TypeRef::Nullable(_) => "None".into(),
        TypeRef::Array(_) => "&[]".into(),
        other => {
            hidden.push(format!("let {name}: {} = todo!();", typed(&param_type(api, other).to_string(), library)));
            name.to_string()
        }
    }
}

/// A type written for the generated modules (`types::X`, `crate::Body`) as a doctest writes it.
fn typed(ty: &str, library: &str) -> String {
    let ty = ty.replace(' ', "").replace("crate::", &format!("{library}::"));
    if ty.starts_with("types::") || ty.contains("<types::") || ty.starts_with("&types::") {
        ty.replace("types::", &format!("{library}::types::"))
    } else {
        ty
    }
}

/// The quickstart of the crate's front page: build a client (with the spec's server and
/// OAuth2 client credentials where it has them) and make a first call, the first `GET` that
/// needs no argument and returns JSON.
pub fn quickstart(api: &Api, library: &str) -> Option<String> {
    let (group, op) = api.groups.iter().find_map(|g| {
        g.operations
            .iter()
            .find(|op| {
                op.method == HttpMethod::Get
                    && op.params.iter().all(|p| !p.required)
                    && matches!(op.success, Success::Json(_))
            })
            .map(|op| (g, op))
    })?;
    let base = match &api.server {
        Some(s) if !s.variables.is_empty() => {
            let args: Vec<String> = s.variables.iter().map(|v| format!("{:?}", v.default)).collect();
            format!("{library}::server_url({})", args.join(", "))
        }
        Some(s) if s.url.starts_with("http") => format!("{:?}", s.url),
        _ => "\"https://api.example.com\"".into(),
    };
    let credentials = if api.token_url.is_some() {
        "\n    // The API key and secret of an account (OAuth2 client credentials).\n    .client_credentials(\"API key\", \"API secret\")"
    } else {
        ""
    };
    let options = if op.options_type.is_some() { "Default::default()" } else { "" };
    Some(format!(
        "# Quickstart\n\n```no_run\nuse {library}::Client;\n\n# async fn quickstart() -> Result<(), {library}::Error> {{\nlet client = Client::builder({base}){credentials}\n    .build()?;\nlet answer = client.{}().{}({options}).await?;\nprintln!(\"{{answer:?}}\");\n# Ok(())\n# }}\n```",
        group.module, op.rust_name,
    ))
}

/// The crate front page's "Testing code that uses the client" section, shown with the `mock`
/// feature: a test that answers the first `GET` without required arguments whose answer can be
/// written as a literal (a list, or an object with no required field), and runs it.
pub fn testing(api: &Api, library: &str) -> Option<String> {
    let (group, op, value) = api.groups.iter().find_map(|g| {
        g.operations.iter().find_map(|op| {
            if op.method != HttpMethod::Get || op.params.iter().any(|p| p.required) {
                return None;
            }
            let value = match &op.success {
                Success::Json(TypeRef::Array(_)) => "Vec::new()",
                Success::Json(TypeRef::Named { id, .. }) => match &api.ty(*id).kind {
                    crate::ir::TypeKind::Struct { fields, .. } if fields.iter().all(|f| !f.required) => {
                        "Default::default()"
                    }
                    _ => return None,
                },
                _ => return None,
            };
            Some((g, op, value))
        })
    })?;
    let options = if op.options_type.is_some() { "Default::default()" } else { "" };
    Some(format!(
        "# Testing code that uses the client\n\n\
         With the `mock` feature (`{library} = {{ ..., features = [\"mock\"] }}` among your `[dev-dependencies]`), \
         [`mock::Mock`] is a server of this API on 127.0.0.1 that answers what each test expects, in the client's own \
         words, and records what it received. The real client talks to it, so credentials, retries and decoding run as \
         they do against a server.\n\n\
         ```\n\
         use {library}::mock::Mock;\n\n\
         # tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {{\n\
         let mock = Mock::start().await;\n\
         mock.{group}().{method}().respond({value});\n\
         // Hand this client to the code under test.\n\
         let client = mock.client();\n\
         let answer = client.{group}().{method}({options}).await?;\n\
         # let _ = answer;\n\
         assert_eq!(mock.received().{group}().{method}().len(), 1);\n\
         mock.verify()?;\n\
         # Ok::<(), Box<dyn std::error::Error>>(())\n\
         # }})?;\n\
         # Ok::<(), Box<dyn std::error::Error>>(())\n\
         ```\n\n\
         A request no expectation answers gets a `501` that names the operation and why each expectation of it did \
         not match; sequences (`respond_in_turn`), faults (`reply(Reply::reset())`, `Reply::status(503).retry_after(1)`), \
         handlers (`respond_with`) and `times` are on every expectation.",
        group = group.module,
        method = op.rust_name,
    ))
}
