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

/// Type names of the prelude, std and serde that generated code uses or that would shadow the
/// prelude. The runtime's own names come from its source ([`crate::runtime_names`]).
const RESERVED_TYPES: &[&str] = &[
    // Declared inside generated deserializers.
    "ObjectVisitor",
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
    "Serialize",
    "Deserialize",
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
    "RetryPolicy",
    "Base64",
    "TimeoutKind",
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
    if RESERVED_TYPES.contains(&name.as_str()) || crate::runtime_names::runtime_names().types.contains(&name) {
        format!("{name}Model")
    } else {
        name
    }
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

    /// `name`, or `name2`, `name3`... whichever is free first; marks it taken.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let base = name.trim_start_matches("r#").trim_end_matches('_').to_string();
        (2..).map(|i| format!("{base}{i}")).find(|n| self.taken.insert(n.clone())).unwrap_or(name)
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
