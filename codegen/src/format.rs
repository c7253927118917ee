//! Stage 9: tokens → source text: `syn` parses, `prettyplease` formats, the `@generated` header goes on top.

use crate::error::{Error, Result};

/// Formats the tokens of one file, or of one unit of it (then `header` is `None` but for the first).
/// A failure here is a bug of the generator, reported as such.
pub fn format(path: &str, tokens: proc_macro2::TokenStream, header: Option<&str>) -> Result<String> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| Error::at("#", format!("internal error: generated code for {path} does not parse: {e}")))?;
    let mut out = String::with_capacity(4096);
    if let Some(header) = header {
        out.push_str(header);
        out.push('\n');
    }
    out.push_str(&layout_json_objects(&prettyplease::unparse(&file)));
    Ok(out)
}

/// `json_object!` invocations laid out one field per line (prettyplease prints a macro's tokens
/// as one flowing run). An invocation of another shape is left as prettyplease printed it.
pub fn layout_json_objects(text: &str) -> String {
    const OPEN: &str = "json_object!(";
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    while let Some(at) = rest.find(OPEN).filter(|&at| at == 0 || rest[..at].ends_with('\n')) {
        out.push_str(&rest[..at]);
        let body_start = at + OPEN.len();
        let first_line = rest[at..].lines().next().unwrap_or_default();
        // `json_object!(A {});` on one line, or the body on lines of its own up to `);`.
        let (body, end) = if first_line.len() > OPEN.len() && first_line.ends_with(");") {
            (&rest[body_start..at + first_line.len() - 2], at + first_line.len())
        } else {
            let Some(len) = rest[body_start..].find("\n);") else { break };
            (&rest[body_start..body_start + len], body_start + len + 3)
        };
        match json_object_lines(body) {
            Some(lines) => out.push_str(lines.trim_end_matches('\n')),
            None => out.push_str(&rest[at..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `Name { field: "wire" kind, ... } ..extra` as `json_object! {` lines, or `None` for any other shape.
fn json_object_lines(body: &str) -> Option<String> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut tokens = body.parse::<proc_macro2::TokenStream>().ok()?.into_iter();
    let Some(TokenTree::Ident(name)) = tokens.next() else { return None };
    let Some(TokenTree::Group(fields)) = tokens.next() else { return None };
    if fields.delimiter() != Delimiter::Brace {
        return None;
    }
    let mut entries = String::new();
    let list: Vec<TokenTree> = fields.stream().into_iter().collect();
    for entry in list.split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ',')) {
        match entry {
            [] => {}
            [TokenTree::Ident(field), TokenTree::Punct(colon), TokenTree::Literal(wire), TokenTree::Ident(kind)]
                if colon.as_char() == ':' =>
            {
                entries.push_str(&format!("        {field}: {wire} {kind},\n"));
            }
            _ => return None,
        }
    }
    let mut out = if entries.is_empty() {
        format!("json_object! {{\n    {name} {{}}")
    } else {
        format!("json_object! {{\n    {name} {{\n{entries}    }}")
    };
    let rest: Vec<TokenTree> = tokens.collect();
    match rest.as_slice() {
        [] => {}
        [TokenTree::Punct(a), TokenTree::Punct(b), TokenTree::Ident(extra)]
            if a.as_char() == '.' && b.as_char() == '.' =>
        {
            out.push_str(&format!(" ..{extra}"));
        }
        _ => return None,
    }
    out.push_str("\n}\n");
    Some(out)
}

/// A blank line between items, as a person writes them (prettyplease puts none): after a line
/// that ends an item (`}` or `;`) when the next line, at the same indentation, starts another
/// (a doc comment, an attribute or an item keyword). Consecutive `use` lines stay together.
pub fn space_items(text: &str) -> String {
    const STARTS: [&str; 15] = [
        "///",
        "#[",
        "pub ",
        "pub(",
        "impl",
        "fn ",
        "struct ",
        "enum ",
        "const ",
        "mod ",
        "type ",
        "use ",
        "trait ",
        "static ",
        "json_object!",
    ];
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(i + 1) else { continue };
        let indent = |l: &str| l.len() - l.trim_start().len();
        let (this, following) = (line.trim_start(), next.trim_start());
        let ends_item = (this.ends_with('}') || this.ends_with(';')) && !this.starts_with("//");
        let both_uses = this.starts_with("use ") && following.starts_with("use ")
            || this.starts_with("pub use ") && following.starts_with("pub use ");
        if ends_item && !both_uses && indent(line) == indent(next) && STARTS.iter().any(|s| following.starts_with(s)) {
            out.push('\n');
        }
    }
    if !text.ends_with('\n') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{layout_json_objects, space_items};

    #[test]
    fn json_objects_get_one_field_per_line() {
        let text = "impl A {}\njson_object!(\n    A { a : \"a,b\" optional, r#type : \"type\"\n    required }\n    ..additional_properties\n);\nstruct B;\n";
        assert_eq!(
            layout_json_objects(text),
            "impl A {}\njson_object! {\n    A {\n        a: \"a,b\" optional,\n        r#type: \"type\" required,\n    } ..additional_properties\n}\nstruct B;\n"
        );
        let odd = "json_object!(\n    A(x)\n);\n";
        assert_eq!(layout_json_objects(odd), odd, "another shape is left alone");
        let empty = "json_object!(A {});\njson_object!(\n    B { b : \"b\" required }\n);\n";
        assert_eq!(
            layout_json_objects(empty),
            "json_object! {\n    A {}\n}\njson_object! {\n    B {\n        b: \"b\" required,\n    }\n}\n"
        );
    }

    #[test]
    fn items_get_a_blank_line_and_statements_do_not() {
        let text = "use a;\nuse b;\npub struct A {\n    x: i32,\n}\nimpl A {\n    fn f() {\n        if x {\n            y();\n        }\n        z();\n    }\n    /// g\n    fn g() {}\n}\n";
        assert_eq!(
            space_items(text),
            "use a;\nuse b;\n\npub struct A {\n    x: i32,\n}\n\nimpl A {\n    fn f() {\n        if x {\n            y();\n        }\n        z();\n    }\n\n    /// g\n    fn g() {}\n}\n"
        );
    }
}
