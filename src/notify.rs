//! Outbound notifications: after each refresh that changes the commit, every `--notify`
//! receiver gets a signed `POST` saying which posts were added, changed, removed or renamed,
//! so a static frontend rebuilds exactly those pages.
//!
//! The message is `{ "type": "content.updated", "previous", "commit", "added", "changed",
//! "removed", "renamed" }`, signed the Standard Webhooks way ([`signing`]): `webhook-id` (one per
//! message, the same on every retry of it), `webhook-timestamp` (of the attempt) and
//! `webhook-signature`. The refresher hands each update to [`Notifier::enqueue`], which only
//! queues it: each receiver has its own ordered queue, served by a task that sends message N+1
//! once N was delivered or given up ([`delivery`]), retrying on the schedule of [`retry`].
//! At shutdown, [`Deliveries::shutdown`] tries what is still queued once more, briefly.
//!
//! The first load after start is not announced: it changes nothing this process served, and
//! every replica and every restart would send one.

mod delivery;
mod retry;
mod signing;

pub use retry::RetrySchedule;
pub use signing::{NotifySecret, SecretError};

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use tokio::sync::{mpsc, watch};
use url::Url;

use crate::config::NotifyConfig;
use crate::index::PostChanges;
use crate::refresh::Update;

/// Messages a receiver may have waiting; more are dropped (and counted failed), so that a
/// receiver that stays down cannot make Quire hold every update since.
const QUEUE: usize = 256;
/// How long a stopping server tries the notifications still queued.
pub(crate) const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Sends the notifications: holds one queue per receiver. Built with the app; its delivery
/// tasks run from [`Notifier::start`] (the server) until [`Deliveries::shutdown`].
pub(crate) struct Notifier {
    queues: Vec<Queue>,
    shared: Arc<Shared>,
    /// Unix milliseconds when this process built the notifier, part of every message id, so
    /// that ids differ across restarts.
    boot: u128,
    /// Messages made so far, part of every message id.
    made: AtomicU64,
}

/// One receiver's queue.
struct Queue {
    receiver: Arc<Receiver>,
    sender: mpsc::Sender<Arc<Message>>,
    /// The other end, until [`Notifier::start`] hands it to the delivery task.
    waiting: Mutex<Option<mpsc::Receiver<Arc<Message>>>>,
}

/// A `--notify` URL, and how logs name it.
#[derive(Debug)]
struct Receiver {
    url: Url,
    /// Scheme, host, port and path: no user, password or query, which may hold a token.
    shown: String,
}

/// One notification, the same for every receiver and every attempt.
#[derive(Debug)]
struct Message {
    /// `webhook-id`.
    id: String,
    /// The commit it announces, for the logs.
    commit: String,
    /// The JSON body, signed as sent.
    body: Vec<u8>,
}

/// What the delivery tasks share.
struct Shared {
    client: reqwest::Client,
    secret: Option<NotifySecret>,
    schedule: RetrySchedule,
    counters: NotifyCounters,
}

/// Running totals since start, for `GET /metrics`.
#[derive(Debug, Default)]
pub(crate) struct NotifyCounters {
    /// Messages a receiver accepted (answered 2xx).
    pub(crate) delivered: AtomicU64,
    /// Failed attempts that were tried again.
    pub(crate) retried: AtomicU64,
    /// Messages given up: out of attempts, refused with 410 Gone, dropped from a full queue,
    /// or still queued when Quire stopped.
    pub(crate) failed: AtomicU64,
    /// Messages queued or being delivered now.
    pub(crate) pending: AtomicI64,
}

/// The body of a notification.
#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    previous: Option<&'a str>,
    commit: &'a str,
    #[serde(flatten)]
    changes: &'a PostChanges,
}

impl Notifier {
    /// One queue per `--notify` receiver; none without receivers, or without a secret to sign
    /// with (which the command line refuses, and a `Config` built in code is told about in the
    /// log).
    pub(crate) fn new(config: &NotifyConfig) -> Notifier {
        let receivers = if config.secret.is_none() && !config.receivers.is_empty() {
            tracing::error!(
                "--notify is given without --notify-secret: no notifications are sent; set QUIRE_NOTIFY_SECRET"
            );
            &[][..]
        } else {
            &config.receivers[..]
        };
        let queues = receivers
            .iter()
            .map(|url| {
                let (sender, waiting) = mpsc::channel(QUEUE);
                Queue {
                    receiver: Arc::new(Receiver {
                        url: url.clone(),
                        shown: shown(url),
                    }),
                    sender,
                    waiting: Mutex::new(Some(waiting)),
                }
            })
            .collect();
        let client = reqwest::Client::builder()
            // A 3xx is a failure: the receiver's URL should be updated, and a signed body
            // should not follow a redirect to another host.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("quire/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client's TLS backend starts");
        Notifier {
            queues,
            shared: Arc::new(Shared {
                client,
                secret: config.secret.clone(),
                schedule: config.retry.clone(),
                counters: NotifyCounters::default(),
            }),
            boot: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_millis(),
            made: AtomicU64::new(0),
        }
    }

    /// Queues `update` for every receiver and returns at once; the first load (no previous
    /// commit) is not announced. A receiver whose queue is full misses it, with an error in
    /// the log.
    pub(crate) fn enqueue(&self, update: &Update) {
        let Some(previous) = update.previous.as_deref() else {
            return;
        };
        if self.queues.is_empty() {
            return;
        }
        let commit = update.revision.commit.clone();
        let body = serde_json::to_vec(&Body {
            kind: "content.updated",
            previous: Some(previous),
            commit: &commit,
            changes: &update.changes,
        })
        .expect("a notification serializes");
        let message = Arc::new(Message {
            id: self.next_id(&commit),
            commit,
            body,
        });
        let counters = &self.shared.counters;
        for queue in &self.queues {
            match queue.sender.try_send(Arc::clone(&message)) {
                Ok(()) => {
                    counters.pending.fetch_add(1, Ordering::Relaxed);
                }
                Err(err) => {
                    counters.failed.fetch_add(1, Ordering::Relaxed);
                    let why = match err {
                        mpsc::error::TrySendError::Full(_) => {
                            format!("{QUEUE} messages are waiting for it already: is it down?")
                        }
                        mpsc::error::TrySendError::Closed(_) => "Quire is stopping".to_owned(),
                    };
                    tracing::error!(
                        "notification of commit {} to {} dropped: {why}",
                        message.commit,
                        queue.receiver.shown
                    );
                }
            }
        }
    }

    /// `msg_`, the commit's first 12 digits, when this process started and a counter: unique
    /// across messages and restarts, and without a `.` (which separates the signed parts).
    fn next_id(&self, commit: &str) -> String {
        let n = self.made.fetch_add(1, Ordering::Relaxed) + 1;
        let short = commit.get(..12).unwrap_or(commit);
        format!("msg_{short}_{}_{n}", self.boot)
    }

    /// Starts one delivery task per receiver. Only the first call starts them; messages
    /// queued before wait for it.
    pub(crate) fn start(&self) -> Deliveries {
        let (stop, stopping) = watch::channel(None);
        let mut tasks = tokio::task::JoinSet::new();
        for queue in &self.queues {
            let waiting = queue
                .waiting
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            if let Some(messages) = waiting {
                tasks.spawn(
                    delivery::Worker::new(
                        Arc::clone(&queue.receiver),
                        messages,
                        stopping.clone(),
                        Arc::clone(&self.shared),
                    )
                    .run(),
                );
            }
        }
        if !tasks.is_empty() {
            tracing::info!(
                "notifying {} of each new commit",
                self.queues
                    .iter()
                    .map(|q| q.receiver.shown.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        Deliveries { tasks, stop }
    }

    /// Running totals since start.
    pub(crate) fn counters(&self) -> &NotifyCounters {
        &self.shared.counters
    }
}

/// The running delivery tasks; dropping this stops them at once, [`Self::shutdown`] first
/// tries what is queued.
#[must_use = "the delivery tasks stop when this is dropped"]
pub(crate) struct Deliveries {
    tasks: tokio::task::JoinSet<()>,
    /// Set to the deadline when shutting down.
    stop: watch::Sender<Option<tokio::time::Instant>>,
}

impl Deliveries {
    /// Tries every message still queued or waiting to be retried once more, for at most
    /// `grace`; what is left is logged with its commit, and counted failed.
    pub(crate) async fn shutdown(mut self, grace: Duration) {
        if self.tasks.is_empty() {
            return;
        }
        let deadline = tokio::time::Instant::now() + grace;
        let _ = self.stop.send(Some(deadline));
        // The tasks end by the deadline; a little more lets them log what they could not send.
        let ended = async { while self.tasks.join_next().await.is_some() {} };
        if tokio::time::timeout_at(deadline + Duration::from_secs(1), ended)
            .await
            .is_err()
        {
            self.tasks.shutdown().await;
        }
    }
}

/// How logs name a receiver: its URL without user, password, query or fragment.
fn shown(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

#[cfg(test)]
mod tests;
