//! Progress bars for transfers and a spinner while waiting, drawn on standard error, and only
//! when it is a terminal: piped or redirected, nothing is drawn (and nothing is written).

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Hands out bars that draw only when standard error is a terminal.
#[derive(Clone)]
pub struct Progress {
    multi: Option<MultiProgress>,
}

impl Progress {
    /// Bars on standard error if it is a terminal and `enabled`; hidden ones otherwise.
    pub fn new(enabled: bool) -> Self {
        let drawn = enabled && std::io::stderr().is_terminal();
        Progress { multi: drawn.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())) }
    }

    fn add(&self, bar: ProgressBar) -> ProgressBar {
        match &self.multi {
            Some(multi) => multi.add(bar),
            None => {
                bar.set_draw_target(ProgressDrawTarget::hidden());
                bar
            }
        }
    }

    /// A bar for a transfer of `total` bytes (unknown: a byte counter).
    pub fn bytes(&self, label: &str, total: Option<u64>) -> ProgressBar {
        let bar = match total {
            Some(total) => ProgressBar::new(total).with_style(style(
                "{msg:30!} {bar:30.cyan/blue} {bytes:>10}/{total_bytes:10} {bytes_per_sec:>11} {eta:>4}",
            )),
            None => ProgressBar::no_length().with_style(style("{msg:30!} {spinner} {bytes:>10} {bytes_per_sec:>11}")),
        };
        let bar = self.add(bar);
        bar.set_message(label.to_string());
        bar
    }

    /// A bar counting `total` items (workflows, packages...).
    pub fn items(&self, label: &str, total: u64) -> ProgressBar {
        let bar =
            self.add(ProgressBar::new(total).with_style(style("{msg:30!} {bar:30.green/white} {pos:>5}/{len:5}")));
        bar.set_message(label.to_string());
        bar
    }

    /// A spinner with a message (a job's status while waiting).
    pub fn spinner(&self, message: &str) -> ProgressBar {
        let bar = self.add(ProgressBar::new_spinner().with_style(style("{spinner} {msg} ({elapsed})")));
        bar.set_message(message.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}
