//! `GET /metrics` in the Prometheus text format (OpenMetrics 1.0): GraphQL requests by operation
//! and status, their latency, response-cache hits and misses, and, read when scraped, the posts
//! served, the refresher's counters and the notifications' outcomes.

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use super::AppState;

/// Operation names become label values; past this many distinct names, new ones count as
/// `other`, so a client inventing names cannot grow the metrics without bound.
const MAX_OPERATIONS: usize = 100;

/// Latency buckets, in seconds: 100 µs to 10 s.
fn latency_buckets() -> Histogram {
    Histogram::new([
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
        5.0, 10.0,
    ])
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    operation: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    /// `delivered`, `retried` (an attempt that failed and is tried again) or `failed`.
    outcome: &'static str,
}

/// What the HTTP layer counts.
pub(crate) struct Metrics {
    requests: Family<RequestLabels, Counter>,
    latency: Family<OperationLabels, Histogram, fn() -> Histogram>,
    cache_hits: Counter,
    cache_misses: Counter,
    not_modified: Counter,
    operations: Mutex<HashSet<String>>,
}

impl Metrics {
    pub(crate) fn new() -> Metrics {
        Metrics {
            requests: Family::default(),
            latency: Family::new_with_constructor(latency_buckets),
            cache_hits: Counter::default(),
            cache_misses: Counter::default(),
            not_modified: Counter::default(),
            operations: Mutex::new(HashSet::new()),
        }
    }

    /// Counts one GraphQL request: `operation` is its name and whether it was answered without
    /// errors.
    pub(crate) fn request(&self, operation: Option<(&str, bool)>, status: u16, took: Duration) {
        let operation = self.label(operation);
        self.latency
            .get_or_create(&OperationLabels {
                operation: operation.clone(),
            })
            .observe(took.as_secs_f64());
        self.requests
            .get_or_create(&RequestLabels { operation, status })
            .inc();
    }

    pub(crate) fn cache_hit(&self) {
        self.cache_hits.inc();
    }

    pub(crate) fn cache_miss(&self) {
        self.cache_misses.inc();
    }

    pub(crate) fn not_modified(&self) {
        self.not_modified.inc();
    }

    /// The label for an operation name: `anonymous` without one; `other` for names that are not
    /// GraphQL names, that come after [`MAX_OPERATIONS`] others, or that have not yet been
    /// answered without errors (so made-up names in failing requests take no place).
    fn label(&self, operation: Option<(&str, bool)>) -> String {
        let Some((name, answered)) = operation else {
            return "anonymous".to_owned();
        };
        let valid = name.len() <= 64
            && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return "other".to_owned();
        }
        let mut seen = self
            .operations
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if seen.contains(name)
            || answered && seen.len() < MAX_OPERATIONS && seen.insert(name.to_owned())
        {
            name.to_owned()
        } else {
            "other".to_owned()
        }
    }

    /// Everything, with the served snapshot and the refresher's counters as of now.
    fn encode(&self, state: &AppState) -> Result<String, std::fmt::Error> {
        let mut registry = Registry::with_prefix("quire");
        registry.register(
            "graphql_requests",
            "GraphQL requests answered, by operation name and HTTP status",
            self.requests.clone(),
        );
        registry.register(
            "graphql_request_duration_seconds",
            "Time to answer a GraphQL request, by operation name",
            self.latency.clone(),
        );
        registry.register(
            "response_cache_hits",
            "GraphQL answers served ready-made from the response cache",
            self.cache_hits.clone(),
        );
        registry.register(
            "response_cache_misses",
            "Cacheable GraphQL requests that had to be executed",
            self.cache_misses.clone(),
        );
        registry.register(
            "not_modified",
            "GET requests answered 304 Not Modified from If-None-Match",
            self.not_modified.clone(),
        );
        let snapshot = state.app.snapshot();
        registry.register(
            "posts_served",
            "Posts in the snapshot being served",
            ConstGauge::new(snapshot.as_ref().map_or(0, |s| s.post_count() as i64)),
        );
        registry.register(
            "content_problems",
            "Files left out of the snapshot or served without one of their fields",
            ConstGauge::new(snapshot.as_ref().map_or(0, |s| s.problems().len() as i64)),
        );
        let counters = state.app.refresher().counters();
        registry.register(
            "refreshes",
            "Refreshes run (start, poll, webhook, peer notice), whatever their outcome",
            ConstCounter::new(counters.refreshes.load(Ordering::Relaxed)),
        );
        registry.register(
            "refresh_failures",
            "Refreshes that failed; the last good snapshot kept serving",
            ConstCounter::new(counters.failures.load(Ordering::Relaxed)),
        );
        registry.register(
            "refresh_duration_seconds",
            "Time a refresh took, from fetch to the new snapshot served",
            counters.seconds.clone(),
        );
        let notified = state.app.notifier().counters();
        let outcomes = Family::<OutcomeLabels, Counter>::default();
        for (outcome, count) in [
            ("delivered", &notified.delivered),
            ("retried", &notified.retried),
            ("failed", &notified.failed),
        ] {
            outcomes
                .get_or_create(&OutcomeLabels { outcome })
                .inc_by(count.load(Ordering::Relaxed));
        }
        registry.register(
            "notifications",
            "Notifications to --notify receivers: messages delivered, attempts retried, messages given up",
            outcomes,
        );
        registry.register(
            "notifications_pending",
            "Notifications queued or being delivered",
            ConstGauge::new(notified.pending.load(Ordering::Relaxed)),
        );
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &registry)?;
        Ok(text)
    }
}

pub(crate) async fn metrics(State(state): State<AppState>) -> Response {
    match state.metrics.encode(&state) {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
            )],
            text,
        )
            .into_response(),
        Err(err) => {
            tracing::error!("encoding metrics: {err}");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_labels_are_bounded() {
        let metrics = Metrics::new();
        assert_eq!(metrics.label(None), "anonymous");
        assert_eq!(
            metrics.label(Some(("PostPage", false))),
            "other",
            "not answered yet"
        );
        assert_eq!(metrics.label(Some(("PostPage", true))), "PostPage");
        assert_eq!(
            metrics.label(Some(("PostPage", false))),
            "PostPage",
            "known now"
        );
        assert_eq!(metrics.label(Some(("not a name", true))), "other");
        assert_eq!(metrics.label(Some((&"x".repeat(65), true))), "other");
        for i in 1..MAX_OPERATIONS {
            let name = format!("Op{i}");
            assert_eq!(metrics.label(Some((&name, true))), name);
        }
        assert_eq!(metrics.label(Some(("OneTooMany", true))), "other");
        assert_eq!(
            metrics.label(Some(("PostPage", true))),
            "PostPage",
            "known names stay"
        );
    }
}
