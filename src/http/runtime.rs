//! The query runtime: GraphQL operations run on a tokio runtime of their own, apart from the one
//! that accepts connections, answers health checks and serves cached answers. Parsing and
//! validating a query is CPU work that cannot yield; here it can only hold up other queries, at
//! most one per thread of this runtime (`--query-threads`, the CPU budget of queries), while
//! `/healthz` and the response cache keep answering. An operation that passes
//! `--request-timeout`, or whose client leaves, is cancelled at its next await.

use std::future::Future;
use std::time::Duration;

/// Why [`QueryRuntime::run`] gave no answer.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RunError {
    #[error("the operation ran past its time limit")]
    Timeout,
    #[error("the operation panicked: {0}")]
    Panicked(String),
    #[error("the query runtime is shutting down")]
    Stopped,
}

/// A runtime for GraphQL operations; shut down, without waiting, when dropped.
pub(crate) struct QueryRuntime {
    runtime: Option<tokio::runtime::Runtime>,
}

impl QueryRuntime {
    /// A runtime with `threads` worker threads (one per core for 0).
    ///
    /// # Errors
    /// When the operating system refuses the threads.
    pub(crate) fn new(threads: usize) -> std::io::Result<QueryRuntime> {
        let threads = if threads == 0 {
            std::thread::available_parallelism().map_or(2, usize::from)
        } else {
            threads
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .thread_name("quire-query")
            .enable_all()
            .build()?;
        Ok(QueryRuntime {
            runtime: Some(runtime),
        })
    }

    /// Runs `operation` on this runtime, for at most `limit`. Dropping the returned future (the
    /// client went away) cancels the operation too.
    ///
    /// # Errors
    /// [`RunError`] when it times out, panics or the runtime is stopping.
    pub(crate) async fn run<F>(&self, operation: F, limit: Duration) -> Result<F::Output, RunError>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let runtime = self.runtime.as_ref().ok_or(RunError::Stopped)?;
        let task = runtime.spawn(operation);
        let _cancel = CancelOnDrop(task.abort_handle());
        match tokio::time::timeout(limit, task).await {
            Ok(Ok(output)) => Ok(output),
            Ok(Err(err)) if err.is_panic() => {
                Err(RunError::Panicked(crate::panic_message(&*err.into_panic())))
            }
            Ok(Err(_)) => Err(RunError::Stopped),
            Err(_) => Err(RunError::Timeout),
        }
    }
}

impl Drop for QueryRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Aborts a task when the future waiting for it is dropped or done.
struct CancelOnDrop(tokio::task::AbortHandle);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.abort();
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
    async fn answers_times_out_and_cancels() {
        let queries = QueryRuntime::new(1).unwrap();
        let answer = queries.run(async { 42 }, Duration::from_secs(5)).await;
        assert_eq!(answer.unwrap(), 42);
        let (send, dropped) = tokio::sync::oneshot::channel();
        let guard = Dropped(Some(send));
        let slow = async move {
            let _guard = &guard;
            std::future::pending::<()>().await;
        };
        let answer = queries.run(slow, Duration::from_millis(1)).await;
        assert!(matches!(answer, Err(RunError::Timeout)), "{answer:?}");
        // Cancelled: the operation's future is dropped, not left pending on the runtime.
        assert!(dropped.await.is_ok());
        let answer = queries
            .run(async { panic!("boom") }, Duration::from_secs(5))
            .await;
        assert!(matches!(answer, Err(RunError::Panicked(m)) if m == "boom"));
    }
}
