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
    out.push_str(&prettyplease::unparse(&file));
    Ok(out)
}

/// A blank line between items, as a person writes them (prettyplease puts none): after a line
/// that ends an item (`}` or `;`) when the next line, at the same indentation, starts another
/// (a doc comment, an attribute or an item keyword). Consecutive `use` lines stay together.
pub fn space_items(text: &str) -> String {
    const STARTS: [&str; 14] = [
        "///", "#[", "pub ", "pub(", "impl", "fn ", "struct ", "enum ", "const ", "mod ", "type ", "use ", "trait ",
        "static ",
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
    use super::space_items;

    #[test]
    fn items_get_a_blank_line_and_statements_do_not() {
        let text = "use a;\nuse b;\npub struct A {\n    x: i32,\n}\nimpl A {\n    fn f() {\n        if x {\n            y();\n        }\n        z();\n    }\n    /// g\n    fn g() {}\n}\n";
        assert_eq!(
            space_items(text),
            "use a;\nuse b;\n\npub struct A {\n    x: i32,\n}\n\nimpl A {\n    fn f() {\n        if x {\n            y();\n        }\n        z();\n    }\n\n    /// g\n    fn g() {}\n}\n"
        );
    }
}
