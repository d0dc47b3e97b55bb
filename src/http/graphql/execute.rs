//! Answering one GraphQL operation: pinned to the snapshot served when it arrives, answered from
//! the caches when it can be, and otherwise executed when admitted (`--max-running-queries`),
//! within `--request-timeout`.
//!
//! The snapshot is read once, here, and everything else comes from that one value: the `ETag`,
//! the response-cache key and the commit the operation executes at (it is handed to execution
//! as request data, which the schema's `PinSnapshot` extension keeps).

use std::sync::Arc;

use async_graphql::{ServerError, Variables};
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use serde::Serialize;
use serde_json::Value;

use super::request::{Params, is_query};
use super::respond::if_none_match;
use crate::app::Pinned;
use crate::graphql::{Access, Read, Reads, code};
use crate::http::AppState;
use crate::http::admission::RunError;
use crate::http::answers::{PersistedError, RequestDigest, UrlAnswer};
use crate::http::error::{ApiError, Media};

/// An operation's answer, before it is written as a response.
#[derive(Debug)]
pub(crate) enum Answer {
    /// The client's `If-None-Match` names the current answer: 304 with this tag.
    NotModified {
        etag: String,
        /// Seconds until a scheduled post appears or disappears, when one will.
        fresh_for: Option<u64>,
        scope: Scope,
    },
    /// An answer body.
    Body {
        body: Bytes,
        status: StatusCode,
        /// For a GET answered without errors: the tag that makes it cacheable.
        etag: Option<String>,
        /// Answered without errors (for the metrics).
        ok: bool,
        /// Seconds until a scheduled post appears or disappears, when one will.
        fresh_for: Option<u64>,
        scope: Scope,
    },
}

/// Who may keep an answer, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Any cache, for `--cache-max-age` (cut to the next scheduled change).
    Shared,
    /// Any cache, for good: it read only commits named by their full id, with nothing
    /// scheduled.
    Immutable,
    /// Read with a preview token: no shared cache, no response cache.
    Private,
}

/// What executing an operation gave.
struct Execution {
    body: Bytes,
    outcome: Outcome,
    /// The commits it read through refs (`at`, `changes`).
    reads: Arc<Reads>,
}

/// How an executed operation went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// `data` and no errors: cacheable.
    Data,
    /// `data` with field errors.
    FieldErrors,
    /// Refused before execution (syntax, validation, limits): no `data` at all.
    RequestError,
}

impl Outcome {
    /// GraphQL over HTTP: a request error is 400 in its own media type, 200 in JSON.
    fn status(self, media: Media) -> StatusCode {
        if self == Outcome::RequestError && media == Media::GraphqlResponse {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        }
    }
}

/// Answers `params` at `pinned` (the snapshot served when the request arrived, and what its
/// publishing rules hide at that instant); `url` is the query string of a GET, `None` for a POST.
///
/// # Errors
/// [`ApiError`] for what is refused before execution: not ready, a persisted query that is
/// unknown or wrong, a mutation over GET, the time limit, a panic.
pub(crate) async fn answer(
    state: &AppState,
    pinned: &Pinned,
    params: Params,
    url: Option<&str>,
    headers: &HeaderMap,
    media: Media,
) -> Result<Answer, ApiError> {
    let query = query_text(state, &params).await?;
    let access = state.app.access(headers);
    if access.preview {
        return preview(state, pinned, &query, &params, url.is_some(), access, media).await;
    }
    let get = url.is_some();
    let digest = RequestDigest::new(
        &query,
        params.operation_name.as_deref(),
        params.variables.as_ref(),
    );
    let version = pinned.version();
    let (commit, epoch) = (pinned.snapshot.commit_id(), pinned.view.epoch());
    let fresh_for = pinned.seconds_to_change();
    let etag = get.then(|| etag(state, digest, &version, media));
    if let Some(etag) = &etag
        && if_none_match(headers, etag)
    {
        state.metrics.not_modified();
        return Ok(Answer::NotModified {
            etag: etag.clone(),
            fresh_for,
            scope: Scope::Shared,
        });
    }
    let cache = state.responses.as_deref();
    if let Some(cache) = cache {
        if let Some(body) = cache.get(commit, epoch, digest).await {
            state.metrics.cache_hit();
            remember_url(state, url, media, &version, etag.as_deref(), &body, &params);
            return Ok(Answer::Body {
                body,
                status: StatusCode::OK,
                etag,
                ok: true,
                fresh_for,
                scope: Scope::Shared,
            });
        }
        state.metrics.cache_miss();
    }
    // Checked after the caches, which only hold answers without errors: a mutation or a
    // subscription over HTTP never has one (the schema has no mutations), so no hit is one.
    if get && !is_query(&query, params.operation_name.as_deref()) {
        return Err(get_runs_queries_only());
    }
    let execution = execute(state, pinned.clone(), &query, &params, access).await?;
    let reads = execution.reads.all();
    if !reads.is_empty() && execution.outcome == Outcome::Data {
        // It read other commits, whose names may move: answered anew each time.
        let tag = get.then(|| refs_etag(state, pinned, &reads, digest, &query, &params, media));
        return Ok(match tag {
            Some((etag, scope)) if if_none_match(headers, &etag) => {
                state.metrics.not_modified();
                Answer::NotModified {
                    etag,
                    fresh_for: refs_fresh_for(pinned, &reads),
                    scope,
                }
            }
            tag => Answer::Body {
                body: execution.body,
                status: StatusCode::OK,
                fresh_for: refs_fresh_for(pinned, &reads),
                scope: tag.as_ref().map_or(Scope::Shared, |(_, scope)| *scope),
                etag: tag.map(|(etag, _)| etag),
                ok: true,
            },
        });
    }
    match execution.outcome {
        Outcome::Data => {
            if let Some(cache) = cache {
                remember_url(
                    state,
                    url,
                    media,
                    &version,
                    etag.as_deref(),
                    &execution.body,
                    &params,
                );
                cache
                    .insert(commit, epoch, digest, execution.body.clone())
                    .await;
            }
            Ok(Answer::Body {
                body: execution.body,
                status: StatusCode::OK,
                etag,
                ok: true,
                fresh_for,
                scope: Scope::Shared,
            })
        }
        outcome => Ok(Answer::Body {
            body: execution.body,
            status: outcome.status(media),
            etag: None,
            ok: false,
            fresh_for,
            scope: Scope::Shared,
        }),
    }
}

/// Answers a request that brought a preview token: executed every time, never from or into
/// the response cache (where a public request could find it), and kept by no shared cache.
async fn preview(
    state: &AppState,
    pinned: &Pinned,
    query: &str,
    params: &Params,
    get: bool,
    access: Access,
    media: Media,
) -> Result<Answer, ApiError> {
    if get && !is_query(query, params.operation_name.as_deref()) {
        return Err(get_runs_queries_only());
    }
    let execution = execute(state, pinned.clone(), query, params, access).await?;
    let ok = execution.outcome == Outcome::Data;
    Ok(Answer::Body {
        body: execution.body,
        status: execution.outcome.status(media),
        etag: None,
        ok,
        fresh_for: None,
        scope: Scope::Private,
    })
}

/// The tag of an answer that read `reads` besides the request's snapshot, and who may keep
/// it: for good when the operation reads nothing but `at` with full commit ids and none of
/// them has a scheduled change (the tag is then the commit), else as any answer.
fn refs_etag(
    state: &AppState,
    pinned: &Pinned,
    reads: &[Read],
    digest: RequestDigest,
    query: &str,
    params: &Params,
    media: Media,
) -> (String, Scope) {
    let fixed = reads
        .iter()
        .all(|r| r.full_id && !r.preview && r.next_change.is_none());
    if fixed && reads_only_at(query, params.operation_name.as_deref()) {
        let mut commits: Vec<String> = reads.iter().map(|r| r.commit.to_string()).collect();
        commits.sort_unstable();
        commits.dedup();
        return (format!("\"{}\"", commits.join("+")), Scope::Immutable);
    }
    let mut version = pinned.version();
    for read in reads {
        version.push_str(&format!("+{}", read.commit));
    }
    (etag(state, digest, &version, media), Scope::Shared)
}

/// Seconds until the answer may change by a scheduled post of the served commit or of one read.
fn refs_fresh_for(pinned: &Pinned, reads: &[Read]) -> Option<u64> {
    let left = |t: chrono::DateTime<chrono::Utc>| {
        u64::try_from((t - pinned.now).num_seconds()).unwrap_or(0)
    };
    reads
        .iter()
        .filter_map(|r| r.next_change.map(left))
        .chain(pinned.seconds_to_change())
        .min()
}

/// Whether the operation's top-level fields are all `at` (or `__typename`), without fragments.
fn reads_only_at(query: &str, operation: Option<&str>) -> bool {
    use async_graphql::parser::types::{DocumentOperations, Selection};
    let Ok(document) = async_graphql::parser::parse_query(query) else {
        return false;
    };
    let operation = match (&document.operations, operation) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        _ => None,
    };
    operation.is_some_and(|op| {
        op.node
            .selection_set
            .node
            .items
            .iter()
            .all(|item| match &item.node {
                Selection::Field(field) => {
                    matches!(field.node.name.node.as_str(), "at" | "__typename")
                }
                _ => false,
            })
    })
}

fn get_runs_queries_only() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        code::BAD_USER_INPUT,
        "GET runs queries only: send mutations and subscriptions with POST (subscriptions over WebSocket)",
    )
}

/// The query to run: sent as it is, or registered by its hash (Apollo's automatic persisted
/// queries).
async fn query_text(state: &AppState, params: &Params) -> Result<Arc<str>, ApiError> {
    match params.persisted() {
        Some(persisted) => match state
            .persisted
            .resolve(persisted, params.query.clone())
            .await
        {
            Ok(query) => Ok(query),
            // Apollo's protocol: 200, and the client sends the query along next time.
            Err(PersistedError::NotFound) => Err(ApiError::new(
                StatusCode::OK,
                "PERSISTED_QUERY_NOT_FOUND",
                PersistedError::NotFound.to_string(),
            )),
            Err(err) => Err(ApiError::bad_input(err.to_string())),
        },
        None => match &params.query {
            Some(query) => Ok(query.as_str().into()),
            None => Err(ApiError::bad_input("`query` is missing")),
        },
    }
}

/// Executes `query` at `pinned` once admitted, within `--request-timeout`.
async fn execute(
    state: &AppState,
    pinned: Pinned,
    query: &str,
    params: &Params,
    access: Access,
) -> Result<Execution, ApiError> {
    let reads = Arc::new(Reads::default());
    let mut request = async_graphql::Request::new(query)
        .data(pinned.snapshot)
        .data(pinned.view)
        .data(access)
        .data(Arc::clone(&reads));
    if let Some(name) = &params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(variables) = &params.variables {
        request = request.variables(Variables::from_json(Value::Object(variables.clone())));
    }
    let timeout = state.app.api().request_timeout();
    let response = state
        .queries
        .run(state.app.schema().execute(request), timeout)
        .await
        .map_err(|err| match err {
            RunError::Timeout => ApiError::limit(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the request ran longer than the limit of {} s (--request-timeout)",
                    timeout.as_secs()
                ),
            ),
            RunError::Panicked(message) => ApiError::internal(format!(
                "a GraphQL request panicked: {message}; query: {query}"
            )),
        })?;
    // Only execution adds the revision; an answer without it was refused before (parse,
    // validation, limits): a "request error".
    let executed = response.extensions.contains_key("revision");
    let outcome = match (executed, response.errors.is_empty()) {
        (false, _) => Outcome::RequestError,
        (true, true) => Outcome::Data,
        (true, false) => Outcome::FieldErrors,
    };
    let mut body = serde_json::to_vec(&Body::new(&response, executed)).unwrap_or_default();
    // Kept in the response cache as it is: with no spare capacity, it weighs what it holds.
    body.shrink_to_fit();
    Ok(Execution {
        body: Bytes::from(body),
        outcome,
        reads,
    })
}

/// Keeps a GET's answer at `version` under its URL, for the next identical GET; a POST (`url`
/// is `None`) or an answer without a tag is not kept.
fn remember_url(
    state: &AppState,
    url: Option<&str>,
    media: Media,
    version: &str,
    etag: Option<&str>,
    body: &Bytes,
    params: &Params,
) {
    if let (Some(cache), Some(url), Some(etag)) = (state.responses.as_deref(), url, etag) {
        cache.insert_by_url(UrlAnswer {
            url: url.into(),
            media: media.essence(),
            version: version.into(),
            etag: etag.to_owned(),
            body: body.clone(),
            operation: params.operation_name.clone(),
        });
    }
}

/// The JSON of an answer: no `data` entry for a request error, as the specification says.
#[derive(Serialize)]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [ServerError],
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
}

impl<'a> Body<'a> {
    fn new(response: &'a async_graphql::Response, executed: bool) -> Body<'a> {
        Body {
            data: executed.then_some(&response.data),
            errors: &response.errors,
            extensions: &response.extensions,
        }
    }
}

/// The tag of `request`'s answer at `version` (commit and publishing epoch): it also changes
/// with the Quire version and the settings that change what a commit serves
/// ([`crate::App::content_variant`]).
pub(crate) fn etag(
    state: &AppState,
    request: RequestDigest,
    version: &str,
    media: Media,
) -> String {
    request.etag(version, media.essence(), state.app.content_variant())
}
