//! Where a node of a rewritten document was in the file: the Swagger 2.0 conversion and the
//! repairs move nodes, and errors and warnings found by later stages must still name the line a
//! reader can open.

use crate::error::escape_token;

/// Prefix pairs: a node at or below `converted` came from `original` (plus the same rest).
#[derive(Debug, Clone, Default)]
pub struct PointerMap {
    pairs: Vec<(String, String)>,
}

impl PointerMap {
    /// Records that `converted` (a pointer of the rewritten document) is `original` in the file.
    pub(crate) fn add(&mut self, converted: impl Into<String>, original: impl Into<String>) {
        let (converted, original) = (converted.into(), original.into());
        if converted != original {
            self.pairs.push((converted, original));
        }
    }

    /// The file's pointer of a rewritten one: the longest recorded prefix is replaced; a pointer
    /// no prefix covers is the same in both (`#/paths/~1a/get/summary`).
    pub fn original(&self, pointer: &str) -> String {
        let best = self
            .pairs
            .iter()
            .filter(|(converted, _)| {
                pointer == converted
                    || (pointer.starts_with(converted.as_str()) && pointer[converted.len()..].starts_with('/'))
            })
            .max_by_key(|(converted, _)| converted.len());
        match best {
            Some((converted, original)) => format!("{original}{}", &pointer[converted.len()..]),
            None => pointer.to_string(),
        }
    }
}

/// `#/a/b` + `c/d` → `#/a/b/c~1d`.
pub(crate) fn child(at: &str, token: &str) -> String {
    format!("{at}/{}", escape_token(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_prefix_wins_at_token_boundaries() {
        let mut map = PointerMap::default();
        map.add("#/components/schemas", "#/definitions");
        map.add("#/paths/~1a/get/parameters/0/schema", "#/paths/~1a/get/parameters/1");
        map.add("#/paths/~1a/get/parameters/0", "#/paths/~1a/get/parameters/1");
        assert_eq!(map.original("#/components/schemas/Pet/properties/id"), "#/definitions/Pet/properties/id");
        assert_eq!(map.original("#/paths/~1a/get/parameters/0/schema/items"), "#/paths/~1a/get/parameters/1/items");
        assert_eq!(map.original("#/paths/~1a/get/parameters/0"), "#/paths/~1a/get/parameters/1");
        assert_eq!(map.original("#/paths/~1a/get/parameters/01"), "#/paths/~1a/get/parameters/01");
        assert_eq!(map.original("#/paths/~1a/get/summary"), "#/paths/~1a/get/summary");
    }
}
