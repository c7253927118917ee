//! Spec prose → rustdoc attributes that pass `cargo doc -D warnings` and never become doctests:
//! indentation is dropped (4 spaces would start a code block), code fences are marked `text`,
//! `[`/`]` and `<`/`>` are escaped (no broken links or stray HTML), bare URLs are wrapped in `<>`.

use proc_macro2::TokenStream;
use quote::quote;

/// Sanitized markdown for spec prose.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.trim().lines() {
        let line = line.trim();
        // Tabs in prose render unevenly (and clippy flags them): four spaces each.
        let expanded;
        let line = if line.contains('\t') {
            expanded = line.replace('\t', "    ");
            expanded.as_str()
        } else {
            line
        };
        if line.starts_with("```") {
            out.push(if in_fence { "```".to_string() } else { "```text".to_string() });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
            continue;
        }
        out.push(escape_line(line));
    }
    if in_fence {
        out.push("```".into());
    }
    out.join("\n")
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for word in line.split_inclusive(' ') {
        let bare = word.trim_end();
        if bare.starts_with("http://") || bare.starts_with("https://") {
            let (url, rest) = split_url_end(bare);
            out.push('<');
            out.push_str(&url.replace('>', "%3E"));
            out.push('>');
            out.push_str(&escape_text(rest));
            out.push_str(&word[bare.len()..]);
        } else {
            out.push_str(&escape_text(word));
        }
    }
    out
}

/// Splits trailing punctuation off a URL (`https://x.y.` → `https://x.y`, `.`).
fn split_url_end(word: &str) -> (&str, &str) {
    let end = word.trim_end_matches(['.', ',', ';', ':', ')', '!', '?']).len();
    word.split_at(end)
}

fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Markdown lines as doc attribute values: ` text` (rustdoc's usual leading space), or empty.
fn doc_lines(markdown: &str) -> impl Iterator<Item = String> + '_ {
    markdown.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") })
}

/// `#[doc = "..."]` lines for already-written markdown (one attribute per line).
pub fn raw(markdown: &str) -> TokenStream {
    let lines = doc_lines(markdown);
    quote! { #( #[doc = #lines] )* }
}

/// Doc attributes for optional spec prose; nothing when there is none.
pub fn prose(text: Option<&str>) -> TokenStream {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => raw(&sanitize(t)),
        None => TokenStream::new(),
    }
}

/// `#![doc = "..."]` lines: a module's own documentation.
pub fn inner(markdown: &str) -> TokenStream {
    let lines = doc_lines(markdown);
    quote! { #( #![doc = #lines] )* }
}
