//! Timeouts that do not cut large transfers short. The per-attempt timeout is a *no-progress*
//! timeout: it fires when that long passes with no byte of the upload handed on, no response
//! headers, and no byte of the body read. A 1 GiB upload that keeps moving never times out; a
//! server that stops answering does. The overall deadline is a plain point in time.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::Poll;
use std::time::Duration;

use tokio::time::Instant;

/// When an attempt last made progress, shared with the streams that carry its body.
#[derive(Debug)]
pub(crate) struct Progress {
    origin: Instant,
    /// Microseconds after `origin`.
    last: AtomicU64,
}

impl Progress {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Progress { origin: Instant::now(), last: AtomicU64::new(0) })
    }

    /// Notes progress now.
    pub(crate) fn touch(&self) {
        let micros = u64::try_from(self.origin.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.last.store(micros, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.origin + Duration::from_micros(self.last.load(Ordering::Relaxed))
    }
}

/// Runs `future` until it ends (`Some`), or until `idle` passes without progress or the
/// `deadline` passes (`None`).
pub(crate) async fn run<F: Future>(
    future: F,
    progress: &Progress,
    idle: Option<Duration>,
    deadline: Option<Instant>,
) -> Option<F::Output> {
    let mut future = pin!(future);
    let due = |progress: &Progress| {
        let idle_due = idle.map(|idle| progress.last() + idle);
        match (idle_due, deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    };
    let Some(first) = due(progress) else { return Some(future.await) };
    let mut sleep = pin!(tokio::time::sleep_until(first));
    std::future::poll_fn(|cx| {
        if let Poll::Ready(out) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(out));
        }
        // The timer is re-armed only when it fires, not on every chunk: progress made since it was
        // set moves the due time on, and costs nothing until then.
        loop {
            match sleep.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(()) => match due(progress) {
                    Some(at) if at > Instant::now() => sleep.as_mut().reset(at),
                    _ => return Poll::Ready(None),
                },
            }
        }
    })
    .await
}

/// Which limit a timed-out call ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// The per-attempt timeout: nothing moved for that long.
    Attempt,
    /// The overall deadline of the call, retries included.
    Deadline,
    /// A poll helper's timeout: the answer was still not final.
    Polling,
}

impl std::fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TimeoutKind::Attempt => "no progress within the attempt timeout",
            TimeoutKind::Deadline => "the call's deadline passed",
            TimeoutKind::Polling => "the answer was still not final when polling timed out",
        })
    }
}

/// Which limit has passed, if any, at `now`.
pub(crate) fn which(deadline: Option<Instant>) -> TimeoutKind {
    if deadline.is_some_and(|d| d <= Instant::now()) { TimeoutKind::Deadline } else { TimeoutKind::Attempt }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn progress_keeps_an_attempt_alive_and_silence_ends_it() {
        let progress = Progress::new();
        let idle = Some(Duration::from_secs(1));
        let busy = async {
            for _ in 0..5 {
                tokio::time::sleep(Duration::from_millis(600)).await;
                progress.touch();
            }
            "done"
        };
        assert_eq!(run(busy, &progress, idle, None).await, Some("done"));
        let silent = tokio::time::sleep(Duration::from_secs(5));
        let started = Instant::now();
        progress.touch();
        assert_eq!(run(silent, &progress, idle, None).await, None);
        assert_eq!(started.elapsed(), Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_ends_even_a_busy_attempt() {
        let progress = Progress::new();
        let started = Instant::now();
        let busy = async {
            loop {
                tokio::time::sleep(Duration::from_millis(100)).await;
                progress.touch();
            }
        };
        let deadline = Some(started + Duration::from_secs(2));
        assert_eq!(run(busy, &progress, Some(Duration::from_secs(1)), deadline).await, None::<()>);
        assert_eq!(started.elapsed(), Duration::from_secs(2));
        assert_eq!(which(deadline), TimeoutKind::Deadline);
    }
}
