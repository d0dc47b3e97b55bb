//! HTTP: the axum router. `GET /` is a landing page; `/graphql` runs GraphQL over HTTP (see
//! [`graphql`]), shows GraphiQL to a browser and upgrades to a WebSocket for subscriptions;
//! `POST /webhook` takes pushes from the git host and `POST /webhook/peer` notices from other
//! replicas; `GET /healthz` answers while the process is up, `GET /readyz` once content is
//! served, `GET /metrics` in the Prometheus format, `GET /files/{commit}/{path}` the posts'
//! images and other files from git, `GET /highlight.css` the stylesheet of highlighted code.

mod admission;
mod answers;
mod assets;
mod error;
mod feeds;
mod files;
mod graphql;
mod highlight;
mod metrics;
mod pages;
mod peers;
mod server;
mod signature;
mod webhook;

pub use server::{bind, serve};

use std::any::Any;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::Router;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde_json::json;
use sha2::{Digest as _, Sha256};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::app::App;
use crate::config::ApiConfig;
use crate::refresh::Outcome;

/// The state every handler gets: one `Arc`, so that handing it to a request is one reference
/// count, not one per part.
#[derive(Clone)]
pub(crate) struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] holds.
pub(crate) struct Shared {
    app: Arc<App>,
    hooks: Arc<Hooks>,
    metrics: Arc<metrics::Metrics>,
    /// How many GraphQL operations may execute at once.
    queries: admission::Admission,
    /// Ready-made answers; `None` with `--response-cache-mb 0`.
    responses: Option<Arc<answers::ResponseCache>>,
    persisted: Arc<answers::PersistedQueries>,
    /// The `Cache-Control` of cacheable answers, from `--cache-max-age` and
    /// `--stale-while-revalidate`.
    cache_control: HeaderValue,
    /// What `/files` keeps: files found and their bytes.
    files: files::FileCaches,
}

/// What the webhook handlers keep between requests.
struct Hooks {
    /// Delivery ids seen recently.
    deliveries: moka::future::Cache<String, ()>,
    /// This replica's id in notices to the others.
    node: String,
    /// The port this replica listens on: the port of peers given by DNS name alone.
    port: u16,
    client: reqwest::Client,
}

/// Builds the router; tests call this with an app of their own.
pub fn build_router(app: Arc<App>, port: u16) -> Router {
    let node = {
        let seed = format!(
            "{}-{:?}-{port}",
            std::process::id(),
            std::time::SystemTime::now()
        );
        hex::encode(&Sha256::digest(seed.as_bytes())[..6])
    };
    let hooks = Hooks {
        deliveries: webhook::deliveries(),
        node,
        port,
        client: reqwest::Client::new(),
    };
    let api = app.api().clone();
    let state = AppState(Arc::new(Shared {
        queries: admission::Admission::new(api.max_running_queries as usize),
        responses: answers::ResponseCache::new(api.response_cache_bytes()).map(Arc::new),
        persisted: Arc::new(answers::PersistedQueries::new()),
        metrics: Arc::new(metrics::Metrics::new()),
        cache_control: HeaderValue::from_str(&format!(
            "public, max-age={}, stale-while-revalidate={}",
            api.cache_max_age, api.stale_while_revalidate
        ))
        .expect("digits and ASCII make a header value"),
        app,
        hooks: Arc::new(hooks),
        files: files::FileCaches::new(),
    }));
    let mut graphql_route = get(graphql_get).post(graphql::post);
    if let Some(cors) = cors(&api) {
        graphql_route = graphql_route.layer(cors);
    }
    // A webhook's body must arrive within the request timeout: a client sending it a byte at a
    // time does not hold the handler.
    let slow_body =
        TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, api.request_timeout());
    // tower-http's 408 has no body: say what happened, as every error does.
    let limit = api.request_timeout;
    let explained = axum::middleware::map_response(move |response: Response| async move {
        if response.status() == StatusCode::REQUEST_TIMEOUT {
            let message =
                format!("the request did not arrive within {limit} s (--request-timeout)");
            error::ApiError::limit(StatusCode::REQUEST_TIMEOUT, message).into_response()
        } else {
            response
        }
    });
    // A panic in a handler answers INTERNAL (details in the log) instead of closing the
    // connection. Not on `/graphql`: its operations catch their own (`admission.rs`), and
    // its cached answers should not pay for the unwind guard.
    let catch_panic = CatchPanicLayer::custom(|panic: Box<dyn Any + Send>| {
        let message = crate::panic_message(&*panic);
        error::ApiError::internal(format!("a request handler panicked: {message}")).into_response()
    });
    Router::new()
        .route("/", get(pages::landing))
        .route(
            "/webhook",
            post(webhook::webhook).layer((
                DefaultBodyLimit::max(webhook::MAX_BODY),
                explained.clone(),
                slow_body,
            )),
        )
        .route(
            "/webhook/peer",
            post(peers::receive).layer((DefaultBodyLimit::max(64 * 1024), explained, slow_body)),
        )
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics::metrics))
        .route(&format!("{}/{{*file}}", assets::BASE), get(assets::serve))
        .route("/files/{commit}/{*path}", get(files::serve))
        .route("/highlight.css", get(highlight::stylesheet))
        .route("/feed.xml", get(feeds::rss))
        .route("/atom.xml", get(feeds::atom))
        .route("/feed.json", get(feeds::json))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/categories/{term}/{file}", get(feeds::category))
        .route("/keywords/{term}/{file}", get(feeds::keyword))
        .layer(catch_panic)
        .route("/graphql", graphql_route)
        // Only what says it may be cached is: a CDN in front must not keep a health check, the
        // metrics or a webhook's answer.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// CORS for `/graphql` when `--cors-origin` is given: the listed origins (or any, for `*`) may
/// GET and POST with any request headers, and read `ETag`.
fn cors(api: &ApiConfig) -> Option<CorsLayer> {
    if api.cors_origin.is_empty() {
        return None;
    }
    let origins = if api.cors_origin.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            api.cors_origin
                .iter()
                .filter_map(|o| HeaderValue::from_str(o).ok()),
        )
    };
    Some(
        CorsLayer::new()
            .allow_origin(origins)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers(AllowHeaders::mirror_request())
            .expose_headers([header::ETAG])
            .max_age(Duration::from_secs(86_400)),
    )
}

/// `GET /graphql`: a WebSocket upgrade for subscriptions, GraphiQL for a browser, otherwise a
/// query in the URL.
async fn graphql_get(
    State(state): State<AppState>,
    protocol: Result<GraphQLProtocol, StatusCode>,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if let (Ok(protocol), Ok(upgrade)) = (protocol, upgrade) {
        let schema = state.app.schema().clone();
        return upgrade
            .protocols(ALL_WEBSOCKET_PROTOCOLS)
            // A message is one operation: no larger than a POST body may be.
            .max_message_size(state.app.api().max_body_bytes())
            .on_upgrade(move |socket| GraphQLWebSocket::new(socket, schema, protocol).serve())
            .into_response();
    }
    if !state.app.api().disable_graphiql && uri.query().is_none() && wants_html(&headers) {
        return pages::graphiql(&state.app.api().graphiql_assets);
    }
    graphql::get(&state, &headers, uri.query()).await
}

/// A browser navigating to the page asks for HTML first; API clients do not.
fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.split(',').any(|t| t.trim().starts_with("text/html")))
}

async fn healthz() -> &'static str {
    "ok\n"
}

/// 200 once a snapshot is served, 503 before; both with the commit served and the last refresh.
async fn readyz(State(state): State<AppState>) -> Response {
    let snapshot = state.app.snapshot();
    let refresher = state.app.refresher();
    let revision = snapshot.as_ref().map(|s| {
        let r = s.revision();
        json!({
            "commit": r.commit,
            "branch": r.branch,
            "committedAt": r.committed_at.to_rfc3339(),
            "loadedAt": r.loaded_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "postCount": r.post_count,
            "problemCount": r.problem_count,
        })
    });
    let last = refresher.last().map(|report| {
        let mut value = json!({
            "trigger": report.trigger.to_string(),
            "startedAt": report.started_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "durationMs": ms(report.took),
            "phasesMs": {
                "fetch": ms(report.phases.fetch),
                "read": ms(report.phases.read),
                "build": ms(report.phases.build),
            },
            "error": report.error.as_deref().map(|e| state.app.disclosure().redact(e)),
        });
        let fields = match &report.outcome {
            Outcome::Updated {
                from,
                to,
                stats,
                changes,
            } => json!({
                "outcome": "updated",
                "from": from,
                "commit": to,
                "filesParsed": stats.parsed,
                "filesReused": stats.reused,
                "filesRemoved": stats.removed,
                "postsAdded": changes.added.len(),
                "postsChanged": changes.changed.len(),
                "postsRemoved": changes.removed.len(),
                "postsRenamed": changes.renamed.len(),
            }),
            Outcome::Unchanged => json!({ "outcome": "unchanged" }),
            Outcome::Failed => json!({ "outcome": "failed" }),
        };
        if let (Some(value), serde_json::Value::Object(fields)) = (value.as_object_mut(), fields) {
            value.extend(fields);
        }
        value
    });
    let counters = refresher.counters();
    let body = json!({
        "ready": snapshot.is_some(),
        "repository": state.app.shown_repository(),
        "revision": revision,
        "lastRefresh": last,
        "counters": {
            "refreshes": counters.refreshes.load(Ordering::Relaxed),
            "fetches": counters.fetches.load(Ordering::Relaxed),
            "failures": counters.failures.load(Ordering::Relaxed),
            "filesParsed": counters.files_parsed.load(Ordering::Relaxed),
        },
    });
    match (snapshot, body) {
        (Some(_), body) => (StatusCode::OK, Json(body)).into_response(),
        // Not ready is an error like any other, with the report beside its message: what was
        // tried and what failed.
        (None, serde_json::Value::Object(report)) => error::ApiError::not_ready()
            .with_details(report)
            .into_response(),
        (None, body) => (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response(),
    }
}

/// A JSON answer with `status`.
fn answer(status: StatusCode, body: serde_json::Value) -> Response {
    (status, Json(body)).into_response()
}

/// Milliseconds, to the microsecond.
fn ms(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1e6).round() / 1000.0
}
