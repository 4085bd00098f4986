//! When and how long to wait before trying a request again.

use std::time::{Duration, SystemTime};

use backon::BackoffBuilder;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How failed requests are retried: exponential backoff with jitter,
/// honouring `Retry-After`.
///
/// What is retried depends on the operation. Operations that can be sent
/// twice without harm (GET, HEAD, PUT, DELETE, and POST searches, lists
/// and gets, which only read) are retried on connection errors and on 429,
/// 502, 503 and 504 answers; the others (creates, updates, actions) only on
/// 429 and 503 and when the connection could not be made, so a create is
/// never run twice. Every other answer is final.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: usize,
    min_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Three retries, waiting from 200 ms up to 10 s.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            min_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// At most `max_retries` retries after the first attempt.
    pub fn with_max_retries(mut self, max_retries: usize) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The first backoff waits about `min`; backoffs and `Retry-After` waits
    /// never exceed `max`.
    pub fn with_delays(mut self, min: Duration, max: Duration) -> Self {
        self.min_delay = min;
        self.max_delay = max.max(min);
        self
    }

    /// The successive backoff delays, one per allowed retry.
    pub(crate) fn backoff(&self) -> impl Iterator<Item = Duration> {
        backon::ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_retries)
            .with_jitter()
            .build()
    }

    /// The wait before the next attempt: the server's `Retry-After` when it
    /// gave one (capped at the maximum delay), the backoff otherwise.
    pub(crate) fn delay(&self, backoff: Duration, retry_after: Option<Duration>) -> Duration {
        retry_after.map_or(backoff, |wait| wait.min(self.max_delay))
    }
}

/// Which failures an operation is tried again after, from what it does
/// (the effects table of the spec's overlay, `x-c1-effect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retries {
    /// Sending it twice does what sending it once does (it reads, or it is
    /// an idempotent write): every failure worth another try.
    Idempotent,
    /// Only failures that say the request was not acted on: 429, 503, and
    /// a connection that could not be made.
    Unsent,
    /// Never: each call uses something up (a secret's view), so a second
    /// try could spend what the first already did.
    Never,
}

/// Whether an answer with this status is worth another try, in general.
pub(crate) fn retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Whether this client tries again after an answer with this status: 429
/// and 503 say the request was not acted on; after 502 and 504 it may have
/// been, so only idempotent operations are retried.
pub(crate) fn retry_status(status: u16, retries: Retries) -> bool {
    match (status, retries) {
        (_, Retries::Never) => false,
        (429 | 503, _) => true,
        (502 | 504, Retries::Idempotent) => true,
        _ => false,
    }
}

/// Whether this client tries again after a transport failure: when the
/// connection could not be made (nothing was sent), unless it never
/// retries; for idempotent operations, also when it broke while sending.
/// Timeouts are not retried.
pub(crate) fn retry_transport(e: &reqwest::Error, retries: Retries) -> bool {
    let sent = match retries {
        Retries::Never => return false,
        Retries::Unsent => false,
        Retries::Idempotent => e.is_request(),
    };
    !e.is_timeout() && (e.is_connect() || sent)
}

/// The `Retry-After` header: a number of seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn only_throttling_and_gateway_errors_are_retryable() {
        let retryable: Vec<u16> = (400..600).filter(|s| retryable_status(*s)).collect();
        assert_eq!(retryable, [429, 502, 503, 504]);
        let each =
            |retries| -> Vec<u16> { (400..600).filter(|s| retry_status(*s, retries)).collect() };
        assert_eq!(each(Retries::Idempotent), retryable);
        assert_eq!(each(Retries::Unsent), [429, 503]);
        assert!(each(Retries::Never).is_empty());
    }

    #[test]
    fn retry_after_accepts_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&later).unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(
            wait > Duration::from_secs(25) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn backoff_grows_within_bounds_and_stops() {
        let policy = RetryPolicy::default()
            .with_max_retries(5)
            .with_delays(Duration::from_millis(100), Duration::from_secs(1));
        let delays: Vec<Duration> = policy.backoff().collect();
        assert_eq!(delays.len(), 5);
        assert!(
            delays
                .iter()
                .all(|d| *d >= Duration::from_millis(100) && *d <= Duration::from_secs(2)),
            "{delays:?}"
        );
        assert!(delays[3] >= Duration::from_millis(800), "{delays:?}");
        assert_eq!(RetryPolicy::disabled().backoff().count(), 0);
    }

    #[test]
    fn retry_after_is_capped() {
        let policy =
            RetryPolicy::default().with_delays(Duration::from_millis(1), Duration::from_secs(2));
        assert_eq!(
            policy.delay(Duration::from_millis(5), Some(Duration::from_secs(60))),
            Duration::from_secs(2)
        );
        assert_eq!(
            policy.delay(Duration::from_millis(5), Some(Duration::from_secs(1))),
            Duration::from_secs(1)
        );
        assert_eq!(
            policy.delay(Duration::from_millis(5), None),
            Duration::from_millis(5)
        );
    }
}
