//! `/graphql` as the GraphQL-over-HTTP specification says: `POST` with a JSON body, `GET` with
//! URL parameters (queries only), `application/graphql-response+json` or `application/json`
//! chosen by `Accept`, and the status codes the specification gives. On top of it: an `ETag`,
//! `Cache-Control` and `304 Not Modified` for GET, ready-made answers from the response cache,
//! Apollo's automatic persisted queries, batches (off by default), a body limit and a timeout.
//!
//! One stage a file: [`request`] reads what the client sent, [`execute`] answers it at one
//! pinned snapshot (from the caches or by running it), [`respond`] writes the response.

mod execute;
mod request;
mod respond;

pub(crate) use request::negotiate;
pub(crate) use respond::{cacheable, if_none_match};

use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::AppState;
use super::error::{ApiError, Media};
use execute::Answer;
use request::Params;
use respond::{record, respond};

/// `POST /graphql`.
pub(crate) async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let handled = match negotiate(&headers) {
        None => Handled::unnamed(not_acceptable()),
        Some(media) => {
            let api = state.app.api();
            let (limit, timeout) = (api.max_body_bytes(), api.request_timeout());
            match request::read_body(&headers, body, limit, timeout).await {
                Err(refusal) => Handled::unnamed(refusal.graphql(media).into_response()),
                Ok(Value::Array(items)) => Handled::unnamed(batch(&state, items, media).await),
                Ok(value) => match Params::from_json(value) {
                    Err(refusal) => Handled::unnamed(refusal.graphql(media).into_response()),
                    Ok(params) => answer(&state, params, None, &headers, media).await,
                },
            }
        }
    };
    record(&state, started, handled)
}

/// `GET /graphql?query=…` (the GraphiQL page and WebSocket upgrades are served before this).
pub(crate) async fn get(state: &AppState, headers: &HeaderMap, query: Option<&str>) -> Response {
    let started = Instant::now();
    let query = query.unwrap_or_default();
    let handled = match negotiate(headers) {
        None => Handled::unnamed(not_acceptable()),
        // A preview token's answer may differ from the public one (authors' emails).
        Some(media) if state.app.access(headers).preview => {
            Box::pin(get_anew(state, headers, query, media)).await
        }
        Some(media) => match answered_before(state, headers, query, media) {
            Some(answered) => answered,
            // Boxed, so that the future of a GET answered before stays small.
            None => Box::pin(get_anew(state, headers, query, media)).await,
        },
    };
    record(state, started, handled)
}

/// A GET answered before at the commit served now, found by its URL: nothing is parsed or
/// hashed but the query string. Only answers without errors are kept, so every check the first
/// answer passed holds again; a URL naming a persisted query by hash alone is answered even once
/// that hash has left the persisted-query store.
fn answered_before(
    state: &AppState,
    headers: &HeaderMap,
    query: &str,
    media: Media,
) -> Option<Handled> {
    let cache = state.responses.as_ref()?;
    let pinned = state.app.pinned()?;
    let known = cache.by_url(query, media.essence(), &pinned.version())?;
    let fresh_for = pinned.seconds_to_change();
    drop(pinned);
    let response = if if_none_match(headers, &known.etag) {
        state.metrics.not_modified();
        respond(
            state,
            Answer::NotModified {
                etag: known.etag.clone(),
                fresh_for,
                scope: execute::Scope::Shared,
            },
            media,
        )
    } else {
        state.metrics.cache_hit();
        respond::ok(state, media, known.body.clone(), &known.etag, fresh_for)
    };
    Some(Handled {
        response,
        operation: known.operation.clone(),
        ok: true,
    })
}

async fn get_anew(state: &AppState, headers: &HeaderMap, query: &str, media: Media) -> Handled {
    match Params::from_url(query) {
        Err(refusal) => Handled::unnamed(refusal.graphql(media).into_response()),
        Ok(params) if params.query.is_none() && params.persisted().is_none() => Handled::unnamed(
            ApiError::bad_input(
                "GET /graphql needs a `query` parameter: /graphql?query={posts{nodes{title}}} \
                     (open /graphql in a browser for GraphiQL)",
            )
            .graphql(media)
            .into_response(),
        ),
        Ok(params) => answer(state, params, Some(query), headers, media).await,
    }
}

fn not_acceptable() -> Response {
    ApiError::new(
        StatusCode::NOT_ACCEPTABLE,
        crate::graphql::code::BAD_USER_INPUT,
        "Quire answers in application/graphql-response+json or application/json: accept one of them",
    )
    .graphql(Media::Json)
    .into_response()
}

/// A JSON array of operations, when `--max-batch` allows it; answered as an array, each in the
/// place of its operation.
async fn batch(state: &AppState, items: Vec<Value>, media: Media) -> Response {
    let limit = state.app.api().max_batch as usize;
    if limit == 0 {
        return ApiError::bad_input(
            "batched requests are off: send one operation per request (or start Quire with --max-batch N)",
        )
        .graphql(media)
        .into_response();
    }
    if items.is_empty() || items.len() > limit {
        return ApiError::limit(
            StatusCode::BAD_REQUEST,
            format!(
                "a batch holds 1 to {limit} operations (--max-batch); this one has {}",
                items.len()
            ),
        )
        .graphql(media)
        .into_response();
    }
    // Every operation of a batch reads the same commit.
    let Some(pinned) = state.app.pinned() else {
        return ApiError::not_ready().graphql(media).into_response();
    };
    let mut body = Vec::from(b"[".as_slice());
    let no_headers = HeaderMap::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        let part = match Params::from_json(item) {
            Ok(params) => {
                match execute::answer(state, &pinned, params, None, &no_headers, media).await {
                    Ok(Answer::Body { body, .. }) => body,
                    Ok(Answer::NotModified { .. }) => Bytes::new(),
                    Err(refusal) => refusal.graphql_body(),
                }
            }
            Err(refusal) => refusal.graphql_body(),
        };
        body.extend_from_slice(&part);
    }
    body.push(b']');
    // Not cacheable: the router's default `Cache-Control: no-store` applies.
    ([(header::CONTENT_TYPE, media.content_type())], body).into_response()
}

/// Answers one operation; `url` is the query string of a GET, `None` for a POST.
async fn answer(
    state: &AppState,
    params: Params,
    url: Option<&str>,
    headers: &HeaderMap,
    media: Media,
) -> Handled {
    let operation = params.operation_name.clone();
    let answered = match state.app.pinned() {
        Some(pinned) => execute::answer(state, &pinned, params, url, headers, media).await,
        None => Err(ApiError::not_ready()),
    };
    match answered {
        Ok(answer) => {
            let ok = match &answer {
                Answer::NotModified { .. } => true,
                Answer::Body { ok, .. } => *ok,
            };
            Handled {
                response: respond(state, answer, media),
                operation,
                ok,
            }
        }
        Err(refusal) => Handled {
            response: refusal.graphql(media).into_response(),
            operation,
            ok: false,
        },
    }
}

/// A request handled: its response, and what the metrics count of it.
pub(crate) struct Handled {
    pub(crate) response: Response,
    /// The operation's name, when the request gave one.
    pub(crate) operation: Option<String>,
    /// Whether the operation was answered without errors.
    pub(crate) ok: bool,
}

impl Handled {
    /// A request answered without one named operation: refused before one was read, or a
    /// batch.
    fn unnamed(response: Response) -> Handled {
        Handled {
            response,
            operation: None,
            ok: false,
        }
    }
}
