//! `$ref` resolution, one mechanism for every component section: follows chains of references
//! (bounded, so a reference cycle is an error rather than a stack overflow) and reports a dangling
//! or foreign reference at the `$ref` that names it.

use indexmap::IndexMap;
use openapiv3::ReferenceOr;

use crate::error::{Error, Result, escape_token, unescape_token};

/// What a reference led to.
pub(crate) struct Resolved<'d, T> {
    /// The object.
    pub item: &'d T,
    /// The component key it is stored under, when it came through a reference.
    pub key: Option<String>,
    /// Where the object is in the document.
    pub pointer: String,
}

/// How long a chain of references may be before it counts as a cycle.
const MAX_CHAIN: usize = 64;

/// Resolves `node` (found at `at`) against `components.<section>`, named `noun` in messages.
pub(crate) fn resolve<'d, T>(
    node: &'d ReferenceOr<T>,
    section: &str,
    noun: &str,
    map: Option<&'d IndexMap<String, ReferenceOr<T>>>,
    at: &str,
) -> Result<Resolved<'d, T>> {
    match node {
        ReferenceOr::Item(item) => Ok(Resolved { item, key: None, pointer: at.to_string() }),
        ReferenceOr::Reference { reference } => follow(reference, section, noun, map, at),
    }
}

/// Follows `reference` (the `$ref` of the object at `at`) to the object it finally names.
pub(crate) fn follow<'d, T>(
    reference: &str,
    section: &str,
    noun: &str,
    map: Option<&'d IndexMap<String, ReferenceOr<T>>>,
    at: &str,
) -> Result<Resolved<'d, T>> {
    let prefix = format!("#/components/{section}/");
    let (mut reference, mut pointer) = (reference.to_string(), at.to_string());
    for _ in 0..MAX_CHAIN {
        let here = format!("{pointer}/$ref");
        let raw = reference.strip_prefix(&prefix).filter(|k| !k.contains('/')).ok_or_else(|| {
            Error::at(&here, format!("unsupported reference `{reference}` (expected {prefix}<name>)"))
        })?;
        let name = unescape_token(raw);
        let found = map
            .and_then(|m| m.get(&name))
            .ok_or_else(|| Error::at(&here, format!("dangling reference `{reference}`: no such {noun}")))?;
        pointer = format!("{prefix}{}", escape_token(&name));
        match found {
            ReferenceOr::Item(item) => return Ok(Resolved { item, key: Some(name), pointer }),
            ReferenceOr::Reference { reference: next } => reference = next.clone(),
        }
    }
    Err(Error::at(at, format!("a chain of more than {MAX_CHAIN} references (a reference cycle?)")))
}
