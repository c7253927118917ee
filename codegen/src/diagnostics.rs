//! Warnings: what the generator assumed about a spec that is defective but has one obvious
//! reading (a `false` schema, a reference to a JSON pointer outside `components`, an object sent
//! as raw bytes...). Each names the file, the line, the JSON pointer and what was assumed; the
//! generation goes on. Errors stay for what has no reading.
//!
//! The stages report them with [`warn`] wherever they find them; [`collect`] runs a stage and
//! gathers what it reported (a sink per thread, so the stages need no extra argument).

use std::cell::RefCell;
use std::fmt;
use std::path::PathBuf;

use crate::error::Location;

/// Something the generator assumed, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The spec file.
    pub file: PathBuf,
    /// The JSON pointer of the node, as a URI fragment.
    pub pointer: String,
    /// Its line and column, when found.
    pub location: Option<Location>,
    /// What was assumed.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}", self.file.display())?;
        if let Some(loc) = self.location {
            write!(f, ":{}:{}", loc.line, loc.column)?;
        }
        write!(f, ": {}: {}", self.pointer, self.message)
    }
}

thread_local! {
    static SINK: RefCell<Option<Vec<Warning>>> = const { RefCell::new(None) };
}

/// Reports a warning at `pointer` (located later by the caller of [`collect`]). Outside
/// [`collect`] it is dropped.
pub fn warn(pointer: impl Into<String>, message: impl Into<String>) {
    SINK.with(|sink| {
        if let Some(warnings) = sink.borrow_mut().as_mut() {
            let warning =
                Warning { file: PathBuf::new(), pointer: pointer.into(), location: None, message: message.into() };
            if !warnings.contains(&warning) {
                warnings.push(warning);
            }
        }
    });
}

/// Runs `f`, returning its result and the warnings reported meanwhile, in order. Nested calls
/// collect their own.
pub fn collect<T>(f: impl FnOnce() -> T) -> (T, Vec<Warning>) {
    let outer = SINK.with(|sink| sink.borrow_mut().replace(Vec::new()));
    let result = f();
    let warnings = SINK.with(|sink| std::mem::replace(&mut *sink.borrow_mut(), outer)).unwrap_or_default();
    (result, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_are_collected_per_call_and_deduplicated() {
        warn("#/dropped", "outside collect");
        let ((), outer) = collect(|| {
            warn("#/a", "one");
            let ((), inner) = collect(|| warn("#/b", "two"));
            assert_eq!(inner.len(), 1);
            warn("#/a", "one");
            warn("#/c", "three");
        });
        assert_eq!(outer.iter().map(|w| w.pointer.as_str()).collect::<Vec<_>>(), ["#/a", "#/c"]);
    }
}
