//! Calling an operation again and again until its answer is final (a job until it is no longer
//! queued or running). The generator emits one helper per `x-codegen-poll` operation on top of this.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::error::Error;
use super::timeout::TimeoutKind;

/// How often, and for how long, a helper such as `jobs().wait_until_done(..)` asks again, and
/// what to tell of each answer on the way (`T` is the answer's type).
#[non_exhaustive]
pub struct PollOptions<T = ()> {
    /// The pause between two calls. Default 2 s.
    pub interval: Duration,
    /// How long to keep asking, in all (`None`: until the answer is final). Default 30 min.
    pub timeout: Option<Duration>,
    /// Called with every answer, final or not, before the next pause.
    on_answer: Option<AnswerHook<T>>,
}

/// What [`PollOptions::on_answer`] calls with each answer.
type AnswerHook<T> = Arc<dyn Fn(&T) + Send + Sync>;

impl<T> Clone for PollOptions<T> {
    fn clone(&self) -> Self {
        PollOptions { interval: self.interval, timeout: self.timeout, on_answer: self.on_answer.clone() }
    }
}

impl<T> fmt::Debug for PollOptions<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PollOptions")
            .field("interval", &self.interval)
            .field("timeout", &self.timeout)
            .field("on_answer", &self.on_answer.as_ref().map(|_| "<callback>"))
            .finish()
    }
}

impl<T> Default for PollOptions<T> {
    fn default() -> Self {
        PollOptions { interval: Duration::from_secs(2), timeout: Some(Duration::from_secs(30 * 60)), on_answer: None }
    }
}

impl<T> PollOptions<T> {
    /// Sets the pause between two calls.
    #[must_use]
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Sets how long to keep asking (`None`: no limit).
    #[must_use]
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }
}

impl<T: 'static> PollOptions<T> {
    /// Calls `hook` with every answer, final or not (a job's status for a spinner, a log line),
    /// after the hooks given before.
    #[must_use]
    pub fn on_answer(mut self, hook: impl Fn(&T) + Send + Sync + 'static) -> Self {
        self.on_answer = Some(match self.on_answer.take() {
            None => Arc::new(hook),
            Some(first) => Arc::new(move |answer: &T| {
                first(answer);
                hook(answer);
            }),
        });
        self
    }
}

/// Calls `fetch` until `done` accepts its answer, pausing `options.interval` in between; stops
/// with [`Error::Timeout`] (`Polling`) when the next pause would pass `options.timeout`.
pub async fn poll_until<T, F, Fut>(
    operation_id: &'static str,
    options: PollOptions<T>,
    mut fetch: F,
    done: impl Fn(&T) -> bool,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let started = Instant::now();
    let deadline = options.timeout.map(|t| started + t);
    loop {
        let value = fetch().await?;
        if let Some(hook) = &options.on_answer {
            hook(&value);
        }
        if done(&value) {
            return Ok(value);
        }
        if deadline.is_some_and(|d| Instant::now() + options.interval > d) {
            tracing::debug!(operation_id, "polling timed out before the answer was final");
            return Err(Error::Timeout { operation_id, kind: TimeoutKind::Polling, after: started.elapsed() });
        }
        tokio::time::sleep(options.interval).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn asks_until_done_then_returns_that_answer() {
        let mut calls = 0;
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let heard = seen.clone();
        let options = PollOptions::default()
            .interval(Duration::from_secs(1))
            .on_answer(move |n: &i32| heard.lock().unwrap().push(*n));
        let started = Instant::now();
        let answer = poll_until(
            "op",
            options,
            || {
                calls += 1;
                let n = calls;
                async move { Ok::<_, Error>(n) }
            },
            |n| *n == 3,
        )
        .await;
        assert_eq!(answer.unwrap(), 3);
        assert_eq!(started.elapsed(), Duration::from_secs(2));
        assert_eq!(*seen.lock().unwrap(), [1, 2, 3], "every answer, the final one included");
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_at_the_timeout() {
        let options =
            PollOptions::<i32>::default().interval(Duration::from_secs(4)).timeout(Some(Duration::from_secs(10)));
        let err = poll_until("op", options, || async { Ok::<_, Error>(0) }, |_| false).await.unwrap_err();
        assert!(matches!(err, Error::Timeout { kind: TimeoutKind::Polling, operation_id: "op", .. }), "{err:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn an_error_ends_polling() {
        let err =
            poll_until("op", PollOptions::default(), || async { Err::<u8, _>(Error::Config("x".into())) }, |_| true)
                .await
                .unwrap_err();
        assert!(matches!(err, Error::Config(_)));
    }
}
