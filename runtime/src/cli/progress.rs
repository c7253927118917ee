//! How a command shows its transfers: a program gives its own ([`Progress`]; `ayx` draws its
//! progress bars); a generated program of its own uses [`StderrProgress`], one line per transfer
//! on standard error, drawn only when that is a terminal.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Starts a transfer's progress display.
pub trait Progress: Send + Sync {
    /// A display for the transfer of `label` (a file's name).
    fn transfer(&self, label: &str) -> Arc<dyn Transfer>;
}

/// One transfer's progress display.
pub trait Transfer: Send + Sync {
    /// `done` bytes moved of `total`, when known (from 0 again if an upload is retried).
    fn update(&self, done: u64, total: Option<u64>);
    /// The transfer is over.
    fn finish(&self);
}

/// Shows nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn transfer(&self, _: &str) -> Arc<dyn Transfer> {
        Arc::new(NoProgress)
    }
}

impl Transfer for NoProgress {
    fn update(&self, _: u64, _: Option<u64>) {}
    fn finish(&self) {}
}

/// A line per transfer on standard error, rewritten at most ten times a second, when standard
/// error is a terminal (and nothing otherwise).
#[derive(Debug, Clone, Copy, Default)]
pub struct StderrProgress;

impl Progress for StderrProgress {
    fn transfer(&self, label: &str) -> Arc<dyn Transfer> {
        if !std::io::stderr().is_terminal() {
            return Arc::new(NoProgress);
        }
        Arc::new(Line { label: label.to_owned(), started: Instant::now(), drawn_at_ms: AtomicU64::new(0) })
    }
}

struct Line {
    label: String,
    started: Instant,
    /// When the line was last drawn, in milliseconds since `started`.
    drawn_at_ms: AtomicU64,
}

impl Transfer for Line {
    fn update(&self, done: u64, total: Option<u64>) {
        let now = self.started.elapsed().as_millis() as u64;
        let last = self.drawn_at_ms.load(Ordering::Relaxed);
        if now > 0 && now.saturating_sub(last) < 100 && Some(done) != total {
            return;
        }
        self.drawn_at_ms.store(now.max(1), Ordering::Relaxed);
        let total = total.map(|t| format!(" of {}", size(t))).unwrap_or_default();
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{}: {}{total}", self.label, size(done));
        let _ = err.flush();
    }

    fn finish(&self) {
        if self.drawn_at_ms.load(Ordering::Relaxed) > 0 {
            eprintln!();
        }
    }
}

/// `1.5 MiB`.
fn size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{bytes} B") } else { format!("{value:.1} {}", UNITS[unit]) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(super::size(512), "512 B");
        assert_eq!(super::size(1536), "1.5 KiB");
        assert_eq!(super::size(3 * 1024 * 1024 * 1024), "3.0 GiB");
    }
}
