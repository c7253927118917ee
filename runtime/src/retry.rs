//! When a failed attempt is tried again, and after how long: exponential backoff with jitter, or
//! the server's `Retry-After` (seconds or an HTTP date) when it sends one.
//!
//! The loop itself lives in `request/mod.rs`, because it is bound up with the per-attempt timeout, the
//! overall deadline, replayable bodies and the 401 token refresh; a backoff crate would own only
//! the two small functions here, and could not see `Retry-After`.

use std::time::{Duration, SystemTime};

/// How a client retries failed attempts.
///
/// A request is tried again when the connection could not be made or the server answered 429,
/// 502, 503 or 504, if its method is idempotent (GET, PUT, DELETE, HEAD, OPTIONS) or
/// [`retry_non_idempotent`](RetryPolicy::retry_non_idempotent) is set, and its body can be sent
/// again (bytes and files can, a caller's one-shot stream cannot). The wait doubles from
/// `initial_backoff` up to `max_backoff`, with jitter; a `Retry-After` from the server replaces it
/// when it is at most `max_retry_after`, otherwise the error is returned at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included; `1` never retries. Default 3.
    pub max_attempts: u32,
    /// The wait before the first retry, before jitter. Default 200 ms.
    pub initial_backoff: Duration,
    /// The longest computed wait. Default 10 s.
    pub max_backoff: Duration,
    /// The longest `Retry-After` that is waited for. Default 60 s.
    pub max_retry_after: Duration,
    /// Also retry POST and PATCH. Off by default: the server may have acted on the first attempt.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn never() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// Sets the number of attempts in all (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first wait and the longest computed wait.
    #[must_use]
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Sets the longest `Retry-After` that is honoured.
    #[must_use]
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Retries POST and PATCH too.
    #[must_use]
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// The wait before retry number `retry` (1 for the first): half of the exponential step
    /// plus a random part of the other half, so that clients that failed together spread out.
    pub(crate) fn backoff_delay(&self, retry: u32) -> Duration {
        let factor = 1u32 << retry.saturating_sub(1).min(20);
        let step = self.initial_backoff.saturating_mul(factor).min(self.max_backoff);
        let half = step / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// Whether a status is worth another attempt.
pub(crate) fn retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// The wait a `Retry-After` header asks for: delay-seconds, or an HTTP date (past dates: zero).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_its_jitter_and_stops_at_the_maximum() {
        let policy = RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(1000));
        for _ in 0..100 {
            let first = policy.backoff_delay(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100), "{first:?}");
            let third = policy.backoff_delay(3);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400), "{third:?}");
            let late = policy.backoff_delay(30);
            assert!(late >= Duration::from_millis(500) && late <= Duration::from_millis(1000), "{late:?}");
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let mut headers = reqwest::header::HeaderMap::new();
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        headers.insert("retry-after", "7".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        headers.insert("retry-after", "Sun, 06 Nov 1994 08:49:49 GMT".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(12)));
        headers.insert("retry-after", "Sunday, 06-Nov-94 08:49:40 GMT".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(3)));
        headers.insert("retry-after", "Sun, 06 Nov 1994 08:00:00 GMT".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&headers, now), None);
    }

    #[test]
    fn only_transient_statuses_qualify() {
        assert!([429, 502, 503, 504].into_iter().all(retryable_status));
        assert!(![400, 401, 404, 500, 501].into_iter().any(retryable_status));
    }
}
