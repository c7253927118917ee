//! A figure of the bench (what, its value, its unit), and the arithmetic the bench's sections
//! share: so that `bench.rs` and `rebuild.rs` both use this and not each other.

use std::time::Duration;

/// One figure: what, its value, and the unit.
pub(crate) struct Row {
    pub(crate) name: String,
    pub(crate) value: f64,
    pub(crate) unit: &'static str,
}

pub(crate) fn row(name: impl Into<String>, value: f64, unit: &'static str) -> Row {
    Row { name: name.into(), value, unit }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// (min, median) of some durations, in milliseconds.
pub(crate) fn min_median(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    (ms(times[0]), ms(times[times.len() / 2]))
}
