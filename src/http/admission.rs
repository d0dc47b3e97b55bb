//! Admission of GraphQL operations: at most `--max-running-queries` execute at once (the CPU
//! budget of queries; the others wait their turn without holding a thread), each within
//! `--request-timeout` counted from when it asked to run, waiting included. An operation that
//! passes the limit, or whose client leaves, is dropped: cancelled at its next await. A panic
//! is caught and reported, never taking the connection down.
//!
//! Operations run on the runtime's own threads. A first design ran them on a runtime of their
//! own, so that no query could hold up a health check; the hand-over between runtimes woke a
//! parked thread twice per operation and cost 10% of executed POSTs and 23% of executed GETs.
//! It bought nothing once every check before execution was bounded: parsing and validation are
//! linear in the query's size, which `--max-body-kb` bounds, and rendering runs on blocking
//! threads.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt as _;
use tokio::sync::Semaphore;

/// Why [`Admission::run`] gave no answer.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RunError {
    #[error("the operation ran past its time limit")]
    Timeout,
    #[error("the operation panicked: {0}")]
    Panicked(String),
}

/// How many operations may execute at once.
pub(crate) struct Admission {
    slots: Arc<Semaphore>,
}

impl Admission {
    /// At most `running` operations at once; four per core for 0.
    pub(crate) fn new(running: usize) -> Admission {
        let running = if running == 0 {
            4 * std::thread::available_parallelism().map_or(2, usize::from)
        } else {
            running
        };
        Admission {
            slots: Arc::new(Semaphore::new(running)),
        }
    }

    /// Runs `operation` when a slot is free, for at most `limit` from now, waiting included.
    ///
    /// # Errors
    /// [`RunError`] when it times out or panics.
    pub(crate) async fn run<F: Future>(
        &self,
        operation: F,
        limit: Duration,
    ) -> Result<F::Output, RunError> {
        let admitted = async {
            // The semaphore is never closed, so acquiring only waits.
            let _slot = self.slots.acquire().await;
            AssertUnwindSafe(operation).catch_unwind().await
        };
        match tokio::time::timeout(limit, admitted).await {
            Ok(Ok(output)) => Ok(output),
            Ok(Err(panic)) => Err(RunError::Panicked(crate::panic_message(&*panic))),
            Err(_) => Err(RunError::Timeout),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends when dropped: tells that a future holding it was dropped.
    struct Dropped(Option<tokio::sync::oneshot::Sender<()>>);

    impl Drop for Dropped {
        fn drop(&mut self) {
            if let Some(send) = self.0.take() {
                let _ = send.send(());
            }
        }
    }

    #[tokio::test]
    async fn answers_times_out_cancels_and_catches_panics() {
        let admission = Admission::new(1);
        let answer = admission.run(async { 42 }, Duration::from_secs(5)).await;
        assert_eq!(answer.unwrap(), 42);
        let (send, dropped) = tokio::sync::oneshot::channel();
        let guard = Dropped(Some(send));
        let slow = async move {
            let _guard = &guard;
            std::future::pending::<()>().await;
        };
        let answer = admission.run(slow, Duration::from_millis(1)).await;
        assert!(matches!(answer, Err(RunError::Timeout)), "{answer:?}");
        // Cancelled: the operation's future is dropped, not left pending.
        assert!(dropped.await.is_ok());
        let answer = admission
            .run(async { panic!("boom") }, Duration::from_secs(5))
            .await;
        assert!(matches!(answer, Err(RunError::Panicked(m)) if m == "boom"));
    }

    #[tokio::test]
    async fn an_operation_waits_for_a_free_slot_and_its_wait_counts_against_its_limit() {
        let admission = Arc::new(Admission::new(1));
        let (release, released) = tokio::sync::oneshot::channel::<()>();
        let (started, running) = tokio::sync::oneshot::channel::<()>();
        let holder = {
            let admission = Arc::clone(&admission);
            tokio::spawn(async move {
                let hold = async move {
                    let _ = started.send(());
                    let _ = released.await;
                };
                admission.run(hold, Duration::from_secs(30)).await
            })
        };
        running.await.unwrap();
        // The only slot is taken: waiting for it uses up this operation's limit.
        let waiting = admission.run(async { 1 }, Duration::from_millis(20)).await;
        assert!(matches!(waiting, Err(RunError::Timeout)), "{waiting:?}");
        release.send(()).unwrap();
        assert!(holder.await.unwrap().is_ok());
        assert_eq!(
            admission
                .run(async { 2 }, Duration::from_secs(5))
                .await
                .unwrap(),
            2
        );
    }
}
