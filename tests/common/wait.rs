//! Waiting in tests: on a condition nothing announces, and the one fixed wait, for asserting
//! that something does not happen.

/// Checks `check` every 20 ms until it gives a value, for at most `within`, and returns it;
/// panics naming `what` when time runs out.
///
/// The one polling loop of the tests: only for a condition that nothing announces (a value
/// another process serves over HTTP, a process's exit, a reference count). Wait on an event
/// where there is one: a log line ([`Process::wait_for_log`]), a message, an answer.
pub async fn eventually<T, F, Fut>(what: &str, within: std::time::Duration, check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    eventually_or_none(within, check)
        .await
        .unwrap_or_else(|| panic!("waited {} s for {what} in vain", within.as_secs_f32()))
}

/// [`eventually`], giving `None` when time runs out, for a caller that says more on failure.
pub async fn eventually_or_none<T, F, Fut>(within: std::time::Duration, mut check: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if let Some(value) = check().await {
            return Some(value);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// The one fixed wait of the tests, for asserting that something did NOT happen (a refresh
/// that must not start, a process that must not exit): there is no event for a non-event, so
/// the test gives it this long to happen wrongly. Never use it to wait for something to happen.
pub async fn quiet_period() {
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
}
