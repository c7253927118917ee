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
