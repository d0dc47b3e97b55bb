//! One receiver's delivery task: takes its queue's messages in order, and sends each until the
//! receiver accepts it (a 2xx answer) or the retry schedule runs out; only then the next. At
//! shutdown, the message in hand and those queued are tried once more, until the deadline.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::{Message, Receiver, Shared};

/// Why an attempt failed.
#[derive(Debug, thiserror::Error)]
pub(super) enum AttemptError {
    #[error("it answered HTTP {status}{}", hint(*status))]
    Status {
        status: StatusCode,
        /// How long the receiver asked to wait (`Retry-After` in seconds).
        retry_after: Option<Duration>,
    },
    #[error("no answer within {} s", .0.as_secs_f32())]
    Timeout(Duration),
    #[error("cannot reach it: {0}")]
    Network(String),
}

/// What to do about an answer, beyond its status line.
fn hint(status: StatusCode) -> &'static str {
    if status.is_redirection() {
        " (redirects are not followed: give --notify the URL it redirects to)"
    } else if status == StatusCode::GONE {
        " (410 Gone: it wants no more notifications)"
    } else if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
        " (does it have the same secret as --notify-secret?)"
    } else {
        ""
    }
}

/// Shutdown began while a message was waiting to be tried again.
struct Stopping;

/// Delivers one receiver's messages, in order.
pub(super) struct Worker {
    receiver: Arc<Receiver>,
    messages: mpsc::Receiver<Arc<Message>>,
    /// The shutdown deadline, once shutdown begins.
    stop: watch::Receiver<Option<Instant>>,
    shared: Arc<Shared>,
    /// Set when the receiver answered 410 Gone: it is sent nothing more.
    gone: bool,
}

impl Worker {
    pub(super) fn new(
        receiver: Arc<Receiver>,
        messages: mpsc::Receiver<Arc<Message>>,
        stop: watch::Receiver<Option<Instant>>,
        shared: Arc<Shared>,
    ) -> Worker {
        Worker {
            receiver,
            messages,
            stop,
            shared,
            gone: false,
        }
    }

    /// Delivers messages until the queue closes (the app is gone) or shutdown ends.
    pub(super) async fn run(mut self) {
        let in_hand = loop {
            let message = tokio::select! {
                biased;
                _ = stopping(&mut self.stop) => break None,
                message = self.messages.recv() => match message {
                    Some(message) => message,
                    None => return,
                },
            };
            if let Err(Stopping) = self.deliver(&message).await {
                break Some(message);
            }
        };
        self.finish(in_hand).await;
    }

    /// Sends `message` until it is accepted or the schedule runs out.
    ///
    /// # Errors
    /// [`Stopping`] when shutdown begins while it waits to be tried again.
    async fn deliver(&mut self, message: &Message) -> Result<(), Stopping> {
        if self.gone {
            self.given_up(
                message,
                "it answered 410 Gone before: remove it from --notify",
            );
            return Ok(());
        }
        let schedule = &self.shared.schedule;
        let first = Instant::now();
        for attempt in 1..=schedule.attempts() {
            let result = tokio::select! {
                result = send(&self.receiver, &self.shared, message) => result,
                () = past_deadline(&mut self.stop) => return Err(Stopping),
            };
            let err = match result {
                Ok(()) => {
                    self.delivered(message, attempt);
                    return Ok(());
                }
                Err(err) => err,
            };
            let retry_after = match &err {
                AttemptError::Status { status, .. } if *status == StatusCode::GONE => {
                    self.gone = true;
                    let why = format!("{err}; nothing more is sent to it until Quire restarts");
                    self.given_up(message, &why);
                    return Ok(());
                }
                AttemptError::Status { retry_after, .. } => *retry_after,
                _ => None,
            };
            let Some(wait) = schedule.wait_after(attempt, &message.id, retry_after) else {
                let took = first.elapsed().as_secs();
                self.given_up(
                    message,
                    &format!(
                        "{err}, after {attempt} attempts over {} min {} s",
                        took / 60,
                        took % 60
                    ),
                );
                return Ok(());
            };
            self.shared.counters.retried.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(
                "notification of commit {} to {}: attempt {attempt} of {} failed, {err}; trying again in {:.1} s",
                message.commit,
                self.receiver.shown,
                schedule.attempts(),
                wait.as_secs_f32()
            );
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                _ = stopping(&mut self.stop) => return Err(Stopping),
            }
        }
        Ok(())
    }

    /// At shutdown: tries the message in hand and every one queued once more, until the
    /// deadline; logs the others.
    async fn finish(mut self, in_hand: Option<Arc<Message>>) {
        let deadline = stopping(&mut self.stop).await;
        self.messages.close();
        let mut left: Vec<Arc<Message>> = in_hand.into_iter().collect();
        while let Ok(message) = self.messages.try_recv() {
            left.push(message);
        }
        for message in left {
            if self.gone {
                self.given_up(&message, "it answered 410 Gone before");
                continue;
            }
            if Instant::now() >= deadline {
                self.given_up(&message, "Quire stopped before it was delivered");
                continue;
            }
            let sent = send(&self.receiver, &self.shared, &message);
            match tokio::time::timeout_at(deadline, sent).await {
                Ok(Ok(())) => self.delivered(&message, 0),
                Ok(Err(err)) => self.given_up(
                    &message,
                    &format!("{err}, in the last attempt before Quire stopped"),
                ),
                Err(_) => self.given_up(&message, "no answer before Quire stopped"),
            }
        }
    }

    /// Counts and logs `message` as accepted at `attempt` (0 for the last try at shutdown).
    fn delivered(&self, message: &Message, attempt: usize) {
        let counters = &self.shared.counters;
        counters.delivered.fetch_add(1, Ordering::Relaxed);
        counters.pending.fetch_sub(1, Ordering::Relaxed);
        let (commit, receiver) = (&message.commit, &self.receiver.shown);
        match attempt {
            1 => tracing::debug!("notified {receiver} of commit {commit}"),
            0 => tracing::info!("notified {receiver} of commit {commit} while stopping"),
            n => tracing::info!("notified {receiver} of commit {commit} at attempt {n}"),
        }
    }

    /// Counts and logs `message` as given up, saying `why`.
    fn given_up(&self, message: &Message, why: &str) {
        let counters = &self.shared.counters;
        counters.failed.fetch_add(1, Ordering::Relaxed);
        counters.pending.fetch_sub(1, Ordering::Relaxed);
        tracing::error!(
            "notification of commit {} to {} given up: {why}",
            message.commit,
            self.receiver.shown
        );
    }
}

/// One `POST` of `message` to `receiver`, signed at this instant.
pub(super) async fn send(
    receiver: &Receiver,
    shared: &Shared,
    message: &Message,
) -> Result<(), AttemptError> {
    let secret = shared
        .secret
        .as_ref()
        .expect("receivers are only queued with a secret");
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let timeout = shared.schedule.timeout();
    let response = shared
        .client
        .post(receiver.url.clone())
        .header(CONTENT_TYPE, "application/json")
        .header("webhook-id", &message.id)
        .header("webhook-timestamp", timestamp.to_string())
        .header(
            "webhook-signature",
            secret.sign(&message.id, timestamp, &message.body),
        )
        .timeout(timeout)
        .body(message.body.clone())
        .send()
        .await;
    match response {
        Ok(response) if response.status().is_success() => Ok(()),
        Ok(response) => Err(AttemptError::Status {
            status: response.status(),
            retry_after: retry_after(response.headers()),
        }),
        Err(err) if err.is_timeout() => Err(AttemptError::Timeout(timeout)),
        // Without the URL, which the logs show without its query.
        Err(err) => Err(AttemptError::Network(crate::error_chain(
            &err.without_url(),
        ))),
    }
}

/// `Retry-After` given in seconds (the HTTP-date form is not read).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?;
    text.trim().parse().ok().map(Duration::from_secs)
}

/// Resolves once shutdown begins, with its deadline; never when the notifier is dropped
/// without one (the task is aborted then).
async fn stopping(stop: &mut watch::Receiver<Option<Instant>>) -> Instant {
    loop {
        if let Some(deadline) = *stop.borrow_and_update() {
            return deadline;
        }
        if stop.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Resolves at the shutdown deadline.
async fn past_deadline(stop: &mut watch::Receiver<Option<Instant>>) {
    let deadline = stopping(stop).await;
    tokio::time::sleep_until(deadline).await;
}
