//! Waiting for the API to finish something: a call sent again at an
//! interval until its answer shows what is awaited (a task closed, an
//! export done), or until a timeout.

use std::fmt;
use std::time::Duration;

use crate::call::{Call, Operation};
use crate::error::Error;

impl<Op: Operation> Call<Op> {
    /// Sends this call, and again every `interval`, until `done` accepts
    /// the answer; gives that answer. After `timeout` it stops with
    /// [`WaitError::TimedOut`], which holds the last answer. A failed call
    /// stops it with [`WaitError::Failed`] (each call is retried first, as
    /// the call's [`RetryPolicy`](crate::RetryPolicy) says).
    ///
    /// The timeout bounds the whole wait, a call in flight included: a
    /// server that stops answering ends the wait on time, not when the
    /// call's own [`timeout`](Self::timeout) passes. A task, for one, is
    /// done when closed:
    ///
    /// ```no_run
    /// # #[cfg(feature = "task")]
    /// # async fn example(client: c1_client::Client) -> c1_client::Result<()> {
    /// use std::time::Duration;
    /// use c1_client::models::TaskState;
    ///
    /// let closed = client
    ///     .task()
    ///     .get("2cBzmcbvb5PRQDZd0HCT4Ps0SpN")
    ///     .poll_until(
    ///         |answer| {
    ///             let task = answer.task_view.as_ref().and_then(|view| view.task.as_ref());
    ///             task.and_then(|task| task.state.as_ref()) == Some(&TaskState::Closed)
    ///         },
    ///         Duration::from_secs(5),
    ///         Duration::from_secs(600),
    ///     )
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn poll_until(
        self,
        mut done: impl FnMut(&Op::Output) -> bool,
        interval: Duration,
        timeout: Duration,
    ) -> Result<Op::Output, WaitError<Op::Output>> {
        let started = tokio::time::Instant::now();
        // A timeout past what the clock can count waits as long as it can.
        let far = |from: tokio::time::Instant, by: Duration| {
            from.checked_add(by)
                .unwrap_or_else(|| from + Duration::from_secs(100 * 365 * 86_400))
        };
        let deadline = far(started, timeout);
        let mut calls = 0;
        let mut last = None;
        loop {
            calls += 1;
            let sent = tokio::time::timeout_at(deadline, self.clone().send()).await;
            let answer = match sent {
                Ok(answer) => answer.map_err(WaitError::Failed)?,
                // The deadline passed with the call in flight.
                Err(_) => break,
            };
            if done(&answer) {
                return Ok(answer);
            }
            last = Some(Box::new(answer));
            // The next call, unless the deadline comes first.
            let next = far(tokio::time::Instant::now(), interval);
            tokio::time::sleep_until(next.min(deadline)).await;
            if next >= deadline {
                break;
            }
        }
        Err(WaitError::TimedOut {
            operation: Op::NAME,
            waited: started.elapsed(),
            calls,
            last,
        })
    }
}

/// Why [`Call::poll_until`] gave no awaited answer.
///
/// It converts into [`Error`] (as [`Error::WaitTimedOut`], without the last
/// answer), so `?` works in functions that return [`Result`](crate::Result).
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError<T> {
    /// The timeout passed and the last answer still was not the awaited one.
    TimedOut {
        /// The operation, such as `task.get`.
        operation: &'static str,
        /// How long it waited.
        waited: Duration,
        /// How many calls were sent.
        calls: u32,
        /// The last answer, if one came before the timeout.
        last: Option<Box<T>>,
    },
    /// A call failed.
    Failed(Error),
}

impl<T> WaitError<T> {
    /// The last answer, when the wait timed out after one came.
    pub fn last(&self) -> Option<&T> {
        match self {
            WaitError::TimedOut { last, .. } => last.as_deref(),
            WaitError::Failed(_) => None,
        }
    }

    /// The last answer, by value, when the wait timed out.
    pub fn into_last(self) -> Option<T> {
        match self {
            WaitError::TimedOut { last, .. } => last.map(|last| *last),
            WaitError::Failed(_) => None,
        }
    }
}

impl<T> fmt::Display for WaitError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::TimedOut {
                operation,
                waited,
                calls,
                ..
            } => write!(
                f,
                "{}",
                Error::timed_out_waiting(operation, *waited, *calls)
            ),
            WaitError::Failed(e) => write!(f, "{e}"),
        }
    }
}

impl<T: fmt::Debug> std::error::Error for WaitError<T> {
    /// `Failed` is transparent: it shows the call's error, and gives that
    /// error's source, so that chains show each cause once.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::TimedOut { .. } => None,
            WaitError::Failed(e) => std::error::Error::source(e),
        }
    }
}

impl<T> From<WaitError<T>> for Error {
    fn from(e: WaitError<T>) -> Self {
        match e {
            WaitError::TimedOut {
                operation,
                waited,
                calls,
                ..
            } => Error::WaitTimedOut {
                operation,
                waited,
                calls,
            },
            WaitError::Failed(e) => e,
        }
    }
}
