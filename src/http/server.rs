//! The accept loop: takes TCP connections up to `--max-connections` and serves each with hyper
//! (HTTP/1.1, with upgrades for GraphQL subscriptions over WebSocket), under the timeouts of
//! [`connection`]; stops on Ctrl-C or SIGTERM, giving requests in flight `--shutdown-timeout`,
//! then the notifications still queued a few seconds.
//!
//! At the cap, the loop stops accepting: new connections wait in the kernel's listen queue
//! until one closes, and one warning says so. When the process runs out of file descriptors,
//! accepting pauses briefly instead of spinning, with one warning.

mod connection;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::time::Instant;

use crate::app::App;
use crate::config::ApiConfig;
use connection::Timeouts;

/// File descriptors kept free of connections: repository handles, fetches, peers, logs.
const RESERVED_FILES: u64 = 100;
/// How long accepting pauses after an error such as "too many open files".
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// At most one warning per this long about the cap or accept errors.
const WARN_EVERY: Duration = Duration::from_secs(60);

/// Serves `app` on `listener` until Ctrl-C or SIGTERM, refreshing in the background: on request
/// (webhooks, replica notices) and every poll interval; notifies `--notify` receivers of each
/// new commit.
///
/// # Errors
/// When the listener's address cannot be read.
pub async fn serve(app: Arc<App>, listener: TcpListener) -> std::io::Result<()> {
    let port = listener.local_addr()?.port();
    let background = app.refresher().spawn_background(app.poll_interval());
    let deliveries = app.notifier().start();
    if app.webhook_secret().is_none() {
        tracing::info!(
            "POST /webhook is off: start with --webhook-secret (or QUIRE_WEBHOOK_SECRET) to refresh on push"
        );
    }
    let limits = Limits::new(app.api());
    let router = super::build_router(app, port);
    accept(listener, router, limits, shutdown_signal()).await;
    background.shutdown().await;
    // No refresh runs now: what is left to notify is tried once more, briefly.
    deliveries.shutdown(crate::notify::SHUTDOWN_GRACE).await;
    Ok(())
}

/// What the flags allow connections.
#[derive(Debug, Clone, Copy)]
struct Limits {
    timeouts: Timeouts,
    max_connections: usize,
    shutdown: Duration,
}

impl Limits {
    fn new(api: &ApiConfig) -> Limits {
        let mut max_connections = api.max_connections as usize;
        if let Some(files) = open_files_limit() {
            let room = files.saturating_sub(RESERVED_FILES).max(1);
            if max_connections as u64 > room {
                tracing::warn!(
                    "--max-connections {max_connections} is more than this process may open (ulimit -n is {files}): \
                     serving at most {room} connections at once; raise the limit (ulimit -n, LimitNOFILE=) or lower --max-connections"
                );
                max_connections = usize::try_from(room).unwrap_or(usize::MAX);
            }
        }
        Limits {
            timeouts: Timeouts {
                header_read: api.header_read_timeout(),
                idle: api.idle_timeout(),
            },
            max_connections,
            shutdown: api.shutdown_timeout(),
        }
    }
}

/// Accepts and serves connections until `shutdown` completes, then closes the idle ones and
/// waits up to the shutdown timeout for the others.
async fn accept(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let (stopping, stop) = watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    let mut full = Warning::default();
    let mut failing = Warning::default();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = match Arc::clone(&permits).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if full.due() {
                    tracing::warn!(
                        "{} connections are open, the most --max-connections allows: new connections wait until one closes",
                        limits.max_connections
                    );
                }
                tokio::select! {
                    permit = Arc::clone(&permits).acquire_owned() => {
                        permit.expect("the semaphore is never closed")
                    }
                    () = &mut shutdown => break,
                }
            }
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(err) if is_connection_error(&err) => continue,
                Err(err) => {
                    if failing.due() {
                        tracing::warn!(
                            "cannot accept connections ({err}): pausing {} ms; if files run out, raise ulimit -n or lower --max-connections",
                            ACCEPT_BACKOFF.as_millis()
                        );
                    }
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            Some(_) = connections.join_next() => continue,
            () = &mut shutdown => break,
        };
        connections.spawn(connection::serve(
            stream,
            permit,
            router.clone(),
            limits.timeouts,
            stop.clone(),
        ));
    }
    drop(listener);
    let _ = stopping.send(true);
    let drained = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(limits.shutdown, drained)
        .await
        .is_err()
    {
        tracing::warn!(
            "requests still in flight after {} s (--shutdown-timeout): exiting without them",
            limits.shutdown.as_secs()
        );
        connections.shutdown().await;
    }
}

/// Errors about one connection, which was reset before it was accepted: take the next.
fn is_connection_error(err: &std::io::Error) -> bool {
    matches!(
        err.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

/// A warning logged at most once a minute, not once per connection.
#[derive(Debug, Default)]
struct Warning {
    last: Option<Instant>,
}

impl Warning {
    fn due(&mut self) -> bool {
        let now = Instant::now();
        let due = self.last.is_none_or(|last| now >= last + WARN_EVERY);
        if due {
            self.last = Some(now);
        }
        due
    }
}

/// The soft limit on open files (`ulimit -n`), where the system says.
fn open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    parse_open_files(&limits)
}

/// The soft limit from the "Max open files" line of `/proc/self/limits`.
fn parse_open_files(limits: &str) -> Option<u64> {
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line["Max open files".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Binds `addr`, with a message that says what to do when it is taken.
///
/// # Errors
/// The bind error, explained.
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await.map_err(|err| {
        std::io::Error::new(
            err.kind(),
            format!("cannot listen on {addr} ({err}): pass --listen with a free address"),
        )
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_soft_open_files_limit() {
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                      Max processes             63459                63459                processes \n\
                      Max open files            1024                 524288               files     \n";
        assert_eq!(parse_open_files(limits), Some(1024));
        assert_eq!(
            parse_open_files(
                "Max open files            unlimited            unlimited            files"
            ),
            None
        );
    }

    #[test]
    fn a_warning_is_due_once_a_minute() {
        let mut warning = Warning::default();
        assert!(warning.due());
        assert!(!warning.due());
    }
}
