//! Rust names for spec names: `heck` for the case, then keywords, leading digits, non-ASCII and
//! collisions. Collisions are resolved deterministically by appending a number in spec order.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::HashSet;

/// Rust keywords (strict, reserved and 2018+), which become raw identifiers (`r#type`).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Names that cannot be raw identifiers (`r#self` is invalid), so they get a trailing underscore.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names of the prelude and std that generated code writes bare, or that would read as
/// std's: no source lists them. The runtime's names come from its source
/// ([`crate::runtime_names`]), the names the generated modules import from elsewhere from the
/// emitter ([`crate::emit::IMPORTED_NAMES`]).
const RESERVED_TYPES: &[&str] = &[
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Bytes",
    "Value",
    "DateTime",
    "Utc",
    "NaiveDate",
    "Uuid",
    "HashMap",
    "IndexMap",
    "Default",
    "From",
    "Into",
    "ToOwned",
    "Future",
    "BTreeMap",
    "Send",
    "Sync",
    "Sized",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "Iterator",
    "Fn",
    "FnMut",
    "FnOnce",
    "Drop",
    "AsRef",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Types",
    "Operations",
];

fn ascii_words(s: &str) -> String {
    // A leading sign before a digit is a word (`+1` → `plus 1`, `-1` → `minus 1`), so that such
    // names stay apart and readable.
    let sign = match (s.chars().next(), s.chars().nth(1)) {
        (Some('+'), Some(d)) if d.is_ascii_digit() => "plus ",
        (Some('-'), Some(d)) if d.is_ascii_digit() => "minus ",
        _ => "",
    };
    // Keep letters and digits (transliterating nothing: non-ASCII letters become separators).
    let words: String = s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    format!("{sign}{words}")
}

/// `snake_case` for fields, parameters, methods and modules.
pub fn snake(s: &str) -> String {
    let mut out = ascii_words(s).to_snake_case();
    if out.is_empty() {
        out = "value".into();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    escape_keyword(out)
}

/// `UpperCamelCase` for types and variants.
pub fn camel(s: &str) -> String {
    let mut out = ascii_words(s).to_upper_camel_case();
    if out.is_empty() {
        out = "Value".into();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    escape_keyword(out)
}

/// A type name that cannot clash with the crate's own names.
pub fn type_name(s: &str) -> String {
    let name = camel(s);
    let taken = RESERVED_TYPES.contains(&name.as_str())
        || crate::emit::IMPORTED_NAMES.contains(&name.as_str())
        || crate::runtime_names::runtime_names().types.contains(&name);
    if taken { format!("{name}Model") } else { name }
}

fn escape_keyword(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// A Rust identifier the IR holds: always valid where Rust code names it (a keyword is kept in
/// its raw spelling, `r#type`). The one place that knows about raw identifiers: code reads
/// [`RustName::raw`] (or prints it with `quote!`), prose, file names and doc links read
/// [`RustName::bare`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct RustName(String);

impl RustName {
    /// A name already made valid by [`snake`], [`camel`] or [`type_name`] (raw for keywords).
    pub fn new(valid: impl Into<String>) -> Self {
        RustName(valid.into())
    }

    /// As Rust code writes it: `r#type`.
    pub fn raw(&self) -> &str {
        &self.0
    }

    /// Without the raw prefix, as prose, file names and doc links write it: `type`.
    pub fn bare(&self) -> &str {
        self.0.strip_prefix("r#").unwrap_or(&self.0)
    }

    /// The identifier token.
    pub fn ident(&self) -> proc_macro2::Ident {
        let span = proc_macro2::Span::call_site();
        match self.0.strip_prefix("r#") {
            Some(raw) => proc_macro2::Ident::new_raw(raw, span),
            None => proc_macro2::Ident::new(&self.0, span),
        }
    }

    /// The name in `SCREAMING_SNAKE_CASE`, for a static (`_2_0` keeps its underscore, which
    /// `heck` drops, as a name cannot start with a digit).
    pub fn screaming(&self) -> RustName {
        let mut out = heck::ToShoutySnakeCase::to_shouty_snake_case(self.bare());
        if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
            out.insert(0, '_');
        }
        RustName(out)
    }

    /// This name with `suffix` added (`get_jobs` → `get_jobs_stream`): a candidate to claim.
    pub fn suffixed(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.bare())
    }
}

impl std::fmt::Display for RustName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for RustName {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for RustName {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl quote::ToTokens for RustName {
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        self.ident().to_tokens(tokens);
    }
}

/// Hands out names unique within one scope, appending `2`, `3`... to later duplicates.
#[derive(Debug, Default)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope { taken: reserved.iter().map(|s| s.to_string()).collect() }
    }

    /// `name`, or `name2`, `name3`... whichever is free first; marks it taken. `name` is a
    /// candidate made valid by [`snake`], [`camel`] or [`type_name`].
    pub fn claim(&mut self, name: String) -> RustName {
        if self.taken.insert(name.clone()) {
            return RustName(name);
        }
        let base = RustName(name).bare().trim_end_matches('_').to_string();
        let free = (2..).map(|i| format!("{base}{i}")).find(|n| self.taken.insert(n.clone()));
        RustName(free.unwrap_or(base))
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_static_never_starts_with_a_digit() {
        let name = RustName::new(snake("2.0"));
        assert_eq!((name.raw(), name.screaming().raw()), ("_2_0", "_2_0"));
        assert_eq!(RustName::new(snake("getJob")).screaming().raw(), "GET_JOB");
        // Every name the scope gives is a valid identifier, as a static too.
        let _ = name.screaming().ident();
    }

    #[test]
    fn signs_before_digits_are_words() {
        assert_eq!(snake("+1"), "plus_1");
        assert_eq!(snake("-1"), "minus_1");
        assert_eq!(camel("-1"), "Minus1");
        assert_eq!(snake("-x"), "x");
        assert_eq!(snake("2fa"), "_2fa");
    }

    #[test]
    fn names_the_generated_code_uses_are_not_given_to_types() {
        for name in ["From", "Default", "Future", "Serialize", "Option", "Client"] {
            assert_eq!(type_name(name), format!("{name}Model"));
        }
    }
}
