//! Stage 5: tokens → source text: `syn` parses, `prettyplease` formats, the `@generated` header goes on top.

use crate::error::{Error, Result};

/// Formats one file's tokens. A failure here is a bug of the generator, reported as such.
pub fn format(path: &str, tokens: proc_macro2::TokenStream, header: &str) -> Result<String> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| Error::at("#", format!("internal error: generated code for {path} does not parse: {e}")))?;
    let mut out = String::with_capacity(4096);
    out.push_str(header);
    out.push('\n');
    out.push_str(&prettyplease::unparse(&file));
    Ok(out)
}
