//! `/graphql` as the GraphQL-over-HTTP specification says: `POST` with a JSON body, `GET` with
//! URL parameters (queries only), `application/graphql-response+json` or `application/json`
//! chosen by `Accept`, and the status codes the specification gives. On top of it: an `ETag`,
//! `Cache-Control` and `304 Not Modified` for GET, ready-made answers from the response cache,
//! Apollo's automatic persisted queries, batches (off by default), a body limit and a timeout.

use std::panic::AssertUnwindSafe;
use std::time::Instant;

use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{ServerError, Variables};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt as _;
use serde::Serialize;
use serde_json::{Map, Value};

use super::AppState;
use super::answers::{PersistedError, RequestDigest, ResponseCache, UrlAnswer};
use crate::graphql::code;

/// The two media types an answer can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Media {
    GraphqlResponse,
    Json,
}

impl Media {
    fn essence(self) -> &'static str {
        match self {
            Media::GraphqlResponse => "application/graphql-response+json",
            Media::Json => "application/json",
        }
    }

    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Media::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Media::Json => "application/json; charset=utf-8",
        })
    }
}

/// The media type to answer in: the acceptable one with the highest `q`, the first listed on a
/// tie; `application/json` for `*/*`, `application/*` or no `Accept` at all; `None` when the
/// client accepts neither.
pub(crate) fn negotiate(headers: &HeaderMap) -> Option<Media> {
    let accept: Vec<&str> = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    if accept.is_empty() {
        return Some(Media::Json);
    }
    let mut best: Option<(f32, Media)> = None;
    for range in accept {
        let mut parts = range.split(';').map(str::trim);
        let essence = parts.next().unwrap_or_default().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let media = match essence.as_str() {
            "application/graphql-response+json" => Media::GraphqlResponse,
            "application/json" | "application/*" | "*/*" => Media::Json,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, media));
        }
    }
    best.map(|(_, media)| media)
}

/// One operation as the client sent it.
#[derive(Debug, Default)]
pub(crate) struct Params {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<Map<String, Value>>,
    extensions: Option<Map<String, Value>>,
}

impl Params {
    /// From a JSON body.
    fn from_json(value: Value) -> Result<Params, Refusal> {
        let Value::Object(mut map) = value else {
            return Err(Refusal::bad_request(
                "the body must be a JSON object like {\"query\": \"{ posts { nodes { title } } }\"}",
            ));
        };
        Ok(Params {
            query: string(map.remove("query"), "query")?,
            operation_name: string(map.remove("operationName"), "operationName")?,
            variables: object(map.remove("variables"), "variables")?,
            extensions: object(map.remove("extensions"), "extensions")?,
        })
    }

    /// From GET parameters; `variables` and `extensions` are JSON text.
    fn from_url(query: &str) -> Result<Params, Refusal> {
        let mut params = Params::default();
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let json = |name: &str| -> Result<Option<Map<String, Value>>, Refusal> {
                if value.is_empty() {
                    return Ok(None);
                }
                let parsed = serde_json::from_str(&value)
                    .map_err(|err| Refusal::bad_request(format!("`{name}` is not JSON ({err})")))?;
                object(Some(parsed), name)
            };
            match &*key {
                "query" => params.query = Some(value.clone().into_owned()),
                "operationName" if !value.is_empty() => {
                    params.operation_name = Some(value.clone().into_owned());
                }
                "variables" => params.variables = json("variables")?,
                "extensions" => params.extensions = json("extensions")?,
                _ => {}
            }
        }
        Ok(params)
    }

    /// `extensions.persistedQuery`, if sent.
    fn persisted(&self) -> Option<&Value> {
        self.extensions.as_ref()?.get("persistedQuery")
    }
}

fn string(value: Option<Value>, name: &str) -> Result<Option<String>, Refusal> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Refusal::bad_request(format!("`{name}` must be a string"))),
    }
}

fn object(value: Option<Value>, name: &str) -> Result<Option<Map<String, Value>>, Refusal> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(Refusal::bad_request(format!(
            "`{name}` must be an object (a JSON map)"
        ))),
    }
}

/// A request answered without running it: its status, message and code.
#[derive(Debug)]
pub(crate) struct Refusal {
    status: StatusCode,
    message: String,
    code: &'static str,
}

impl Refusal {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            message: message.into(),
            code,
        }
    }

    fn bad_request(message: impl Into<String>) -> Refusal {
        Refusal::new(StatusCode::BAD_REQUEST, code::BAD_USER_INPUT, message)
    }

    fn body(&self) -> Bytes {
        Bytes::from(
            serde_json::json!({ "errors": [{
                "message": self.message,
                "extensions": { "code": self.code },
            }]})
            .to_string(),
        )
    }

    fn into_response(self, media: Media) -> Response {
        let mut response = (self.status, self.body()).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, media.content_type());
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        match self.status {
            StatusCode::METHOD_NOT_ALLOWED => {
                headers.insert(header::ALLOW, HeaderValue::from_static("POST"));
            }
            // Not for a timeout: retrying the same slow query at once would not help.
            StatusCode::SERVICE_UNAVAILABLE if self.code == code::NOT_READY => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response
    }
}

/// `POST /graphql`.
pub(crate) async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let (response, operation) = match negotiate(&headers) {
        None => (not_acceptable(), None),
        Some(media) => match read_body(&state, &headers, body).await {
            Err(refusal) => (refusal.into_response(media), None),
            Ok(Value::Array(items)) => (batch(&state, items, media).await, None),
            Ok(value) => match Params::from_json(value) {
                Err(refusal) => (refusal.into_response(media), None),
                Ok(params) => answer(&state, params, None, &headers, media).await,
            },
        },
    };
    record(&state, started, operation, response)
}

/// `GET /graphql?query=…` (the GraphiQL page and WebSocket upgrades are served before this).
pub(crate) async fn get(state: &AppState, headers: &HeaderMap, query: Option<&str>) -> Response {
    let started = Instant::now();
    let query = query.unwrap_or_default();
    let (response, operation) = match negotiate(headers) {
        None => (not_acceptable(), None),
        Some(media) => match answered_before(state, headers, query, media) {
            Some(answered) => answered,
            // Boxed, so that the future of a GET answered before stays small.
            None => Box::pin(get_anew(state, headers, query, media)).await,
        },
    };
    record(state, started, operation, response)
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
) -> Option<(Response, Option<(String, bool)>)> {
    let cache = state.responses.as_ref()?;
    let snapshot = state.app.snapshot()?;
    let known = cache.by_url(query, media.essence(), &snapshot.revision().commit)?;
    drop(snapshot);
    let response = if matches_etag(headers, &known.etag) {
        state.metrics.not_modified();
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        cacheable(state, response.headers_mut(), &known.etag);
        response
    } else {
        state.metrics.cache_hit();
        ok(state, media, known.body.clone(), Some(known.etag.clone()))
    };
    Some((response, known.operation.clone().map(|name| (name, true))))
}

async fn get_anew(
    state: &AppState,
    headers: &HeaderMap,
    query: &str,
    media: Media,
) -> (Response, Option<(String, bool)>) {
    match Params::from_url(query) {
        Err(refusal) => (refusal.into_response(media), None),
        Ok(params) if params.query.is_none() && params.persisted().is_none() => (
            Refusal::bad_request(
                "GET /graphql needs a `query` parameter: /graphql?query={posts{nodes{title}}} \
                     (open /graphql in a browser for GraphiQL)",
            )
            .into_response(media),
            None,
        ),
        Ok(params) => answer(state, params, Some(query), headers, media).await,
    }
}

fn not_acceptable() -> Response {
    Refusal::new(
        StatusCode::NOT_ACCEPTABLE,
        code::BAD_USER_INPUT,
        "Quire answers in application/graphql-response+json or application/json: accept one of them",
    )
    .into_response(Media::Json)
}

/// The body as JSON, within `--max-body-kb`.
async fn read_body(state: &AppState, headers: &HeaderMap, body: Body) -> Result<Value, Refusal> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    if content_type.as_deref() != Some("application/json") {
        return Err(Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code::BAD_USER_INPUT,
            "send the body as JSON with `Content-Type: application/json`",
        ));
    }
    let limit = state.app.api().max_body_bytes();
    let too_large = || {
        Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            code::LIMIT_EXCEEDED,
            format!(
                "the body is larger than the limit of {} KiB (--max-body-kb)",
                limit / 1024
            ),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large())?;
    if bytes.is_empty() {
        return Err(Refusal::bad_request(
            "the body is empty: send {\"query\": \"…\"}",
        ));
    }
    serde_json::from_slice(&bytes)
        .map_err(|err| Refusal::bad_request(format!("the body is not valid JSON: {err}")))
}

/// A JSON array of operations, when `--max-batch` allows it; answered as an array, each in the
/// place of its operation.
async fn batch(state: &AppState, items: Vec<Value>, media: Media) -> Response {
    let limit = state.app.api().max_batch as usize;
    if limit == 0 {
        return Refusal::bad_request(
            "batched requests are off: send one operation per request (or start Quire with --max-batch N)",
        )
        .into_response(media);
    }
    if items.is_empty() || items.len() > limit {
        return Refusal::new(
            StatusCode::BAD_REQUEST,
            code::LIMIT_EXCEEDED,
            format!(
                "a batch holds 1 to {limit} operations (--max-batch); this one has {}",
                items.len()
            ),
        )
        .into_response(media);
    }
    let mut body = Vec::from(b"[".as_slice());
    let no_headers = HeaderMap::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        let part = match Params::from_json(item) {
            Ok(params) => {
                let (response, _) = answer(state, params, None, &no_headers, media).await;
                axum::body::to_bytes(response.into_body(), usize::MAX)
                    .await
                    .unwrap_or_default()
            }
            Err(refusal) => refusal.body(),
        };
        body.extend_from_slice(&part);
    }
    body.push(b']');
    (
        [
            (header::CONTENT_TYPE, media.content_type()),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// Runs one operation, or answers it from the caches; `url` is the query string of a GET, `None`
/// for a POST. With the answer: the operation's name, if given, and whether it was answered
/// without errors (for the metrics).
async fn answer(
    state: &AppState,
    params: Params,
    url: Option<&str>,
    headers: &HeaderMap,
    media: Media,
) -> (Response, Option<(String, bool)>) {
    let name = params.operation_name.clone();
    let (response, ok) = match run(state, params, url, headers, media).await {
        Ok(answered) => answered,
        Err(refusal) => (refusal.into_response(media), false),
    };
    (response, name.map(|name| (name, ok)))
}

/// Counts a request in the metrics and hands its response back.
fn record(
    state: &AppState,
    started: Instant,
    operation: Option<(String, bool)>,
    response: Response,
) -> Response {
    state.metrics.request(
        operation.as_ref().map(|(name, ok)| (name.as_str(), *ok)),
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

async fn run(
    state: &AppState,
    params: Params,
    url: Option<&str>,
    headers: &HeaderMap,
    media: Media,
) -> Result<(Response, bool), Refusal> {
    let Some(snapshot) = state.app.snapshot() else {
        return Err(Refusal::new(
            StatusCode::SERVICE_UNAVAILABLE,
            code::NOT_READY,
            "Quire is still loading its content: retry in a moment (GET /readyz says when it is ready)",
        ));
    };
    let query = match params.persisted() {
        Some(persisted) => match state
            .persisted
            .resolve(persisted, params.query.clone())
            .await
        {
            Ok(query) => query,
            // Apollo's protocol: 200, and the client sends the query along next time.
            Err(PersistedError::NotFound) => {
                return Err(Refusal::new(
                    StatusCode::OK,
                    "PERSISTED_QUERY_NOT_FOUND",
                    PersistedError::NotFound.to_string(),
                ));
            }
            Err(err) => return Err(Refusal::bad_request(err.to_string())),
        },
        None => match params.query.clone() {
            Some(query) => query.into(),
            None => return Err(Refusal::bad_request("`query` is missing")),
        },
    };
    let get = url.is_some();
    let digest = RequestDigest::new(
        &query,
        params.operation_name.as_deref(),
        params.variables.as_ref(),
    );
    let commit = snapshot.revision().commit.clone();
    drop(snapshot);
    // The tag at the commit served now: for If-None-Match and for a cache hit.
    let tag = get.then(|| etag(state, digest, &commit, media));
    if let Some(tag) = tag.as_deref()
        && matches_etag(headers, tag)
    {
        state.metrics.not_modified();
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        cacheable(state, response.headers_mut(), tag);
        return Ok((response, true));
    }
    let cache = state.responses.as_ref();
    if let Some(cache) = cache {
        if let Some(body) = cache.get(&commit, digest).await {
            state.metrics.cache_hit();
            let operation = &params.operation_name;
            remember_url(cache, url, media, &commit, tag.as_deref(), &body, operation);
            return Ok((ok(state, media, body, tag), true));
        }
        state.metrics.cache_miss();
    }
    // Checked after the caches, which only hold answers without errors: a mutation or a
    // subscription over HTTP never has one (the schema has no mutations), so no hit is one.
    if get && !is_query(&query, params.operation_name.as_deref()) {
        return Err(Refusal::new(
            StatusCode::METHOD_NOT_ALLOWED,
            code::BAD_USER_INPUT,
            "GET runs queries only: send mutations and subscriptions with POST (subscriptions over WebSocket)",
        ));
    }
    let mut request = async_graphql::Request::new(query.to_string());
    if let Some(name) = &params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(variables) = params.variables {
        request = request.variables(Variables::from_json(Value::Object(variables)));
    }
    let timeout = state.app.api().request_timeout();
    // Boxed: execution's state is large, and a request answered from the cache should not carry
    // (and move) it in its own future.
    let running = AssertUnwindSafe(Box::pin(state.app.schema().execute(request))).catch_unwind();
    let response = match tokio::time::timeout(timeout, running).await {
        Ok(Ok(response)) => response,
        Ok(Err(panic)) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(query = %query, "a GraphQL request panicked: {message}");
            return Err(Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                code::INTERNAL,
                "internal error: the server log has the details",
            ));
        }
        Err(_) => {
            return Err(Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                code::LIMIT_EXCEEDED,
                format!(
                    "the request ran longer than the limit of {} s (--request-timeout)",
                    timeout.as_secs()
                ),
            ));
        }
    };
    // The snapshot extension marks every executed answer with its commit; an answer without
    // one was refused before execution (parse, validation, limits): a "request error".
    let executed = match response.extensions.get("revision") {
        Some(async_graphql::Value::String(commit)) => Some(commit.clone()),
        _ => None,
    };
    let mut body =
        serde_json::to_vec(&Answer::new(&response, executed.is_some())).unwrap_or_default();
    // Kept in the response cache as it is: with no spare capacity, it weighs what it holds.
    body.shrink_to_fit();
    let body = Bytes::from(body);
    match executed {
        Some(executed) if response.errors.is_empty() => {
            // A refresh may have swapped the snapshot since `commit` was read.
            let tag = if executed == commit {
                tag
            } else {
                get.then(|| etag(state, digest, &executed, media))
            };
            if let Some(cache) = cache {
                let operation = &params.operation_name;
                remember_url(
                    cache,
                    url,
                    media,
                    &executed,
                    tag.as_deref(),
                    &body,
                    operation,
                );
                cache.insert(&executed, digest, body.clone()).await;
            }
            Ok((ok(state, media, body, tag), true))
        }
        executed => {
            let status = if executed.is_none() && media == Media::GraphqlResponse {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            let mut response = (status, body).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, media.content_type());
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok((response, false))
        }
    }
}

/// Keeps a GET's answer at `commit` under its URL, for
/// [`answered_before`]; a POST (`url` is `None`) or an answer without a tag is not kept.
fn remember_url(
    cache: &ResponseCache,
    url: Option<&str>,
    media: Media,
    commit: &str,
    tag: Option<&str>,
    body: &Bytes,
    operation: &Option<String>,
) {
    if let (Some(url), Some(tag)) = (url, tag) {
        cache.insert_by_url(UrlAnswer {
            url: url.into(),
            media: media.essence(),
            commit: commit.into(),
            etag: tag.to_owned(),
            body: body.clone(),
            operation: operation.clone(),
        });
    }
}

/// The JSON of an answer: no `data` entry for a request error, as the specification says.
#[derive(Serialize)]
struct Answer<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [ServerError],
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
}

impl<'a> Answer<'a> {
    fn new(response: &'a async_graphql::Response, executed: bool) -> Answer<'a> {
        Answer {
            data: executed.then_some(&response.data),
            errors: &response.errors,
            extensions: &response.extensions,
        }
    }
}

/// The tag of `request`'s answer at `commit`: it also changes with the Quire version and the
/// settings that change what a commit serves ([`crate::App::content_variant`]).
fn etag(state: &AppState, request: RequestDigest, commit: &str, media: Media) -> String {
    request.etag(commit, media.essence(), state.app.content_variant())
}

/// A successful answer; with an `etag`, cacheable by browsers and CDNs.
fn ok(state: &AppState, media: Media, body: Bytes, etag: Option<String>) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, media.content_type());
    match etag {
        Some(etag) => cacheable(state, headers, &etag),
        None => {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    }
    response
}

fn cacheable(state: &AppState, headers: &mut HeaderMap, etag: &str) {
    if let Ok(etag) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(header::CACHE_CONTROL, state.cache_control.clone());
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Accept, Accept-Encoding"),
    );
}

/// Whether `If-None-Match` names `etag` (weak comparison). `*` is not honoured: only answers
/// without errors have a tag, and `*` does not say the client holds one.
fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    let ours = etag.trim_start_matches("W/");
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag.trim_start_matches("W/") == ours)
}

/// Whether the operation `name` (or the only one) of `query` is a query. A document that does
/// not parse counts as a query: running it reports the syntax error.
fn is_query(query: &str, name: Option<&str>) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(query) else {
        return true;
    };
    let ty = match (&document.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, op)| op.node.ty),
        // A lone named operation runs without `operationName`.
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| op.node.ty)
        }
        (DocumentOperations::Multiple(_), None) => None,
    };
    !matches!(
        ty,
        Some(OperationType::Mutation | OperationType::Subscription)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn negotiates_the_answer_media_type() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(Media::Json));
        assert_eq!(negotiate(&accept("*/*")), Some(Media::Json));
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json, application/json"
            )),
            Some(Media::GraphqlResponse)
        );
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json;q=0.9, application/json"
            )),
            Some(Media::Json)
        );
        assert_eq!(
            negotiate(&accept(
                "application/json;q=0, application/graphql-response+json;charset=utf-8"
            )),
            Some(Media::GraphqlResponse)
        );
        assert_eq!(
            negotiate(&accept("text/html, application/*;q=0.5")),
            Some(Media::Json)
        );
        assert_eq!(negotiate(&accept("text/plain")), None);
    }

    #[test]
    fn reads_parameters_from_json_and_from_the_url() {
        let params = Params::from_json(serde_json::json!({
            "query": "{ posts { totalCount } }",
            "operationName": null,
            "variables": {"a": 1},
            "extensions": {"persistedQuery": {"version": 1}},
        }))
        .unwrap();
        assert_eq!(params.query.as_deref(), Some("{ posts { totalCount } }"));
        assert!(params.operation_name.is_none());
        assert!(params.persisted().is_some());
        for bad in [
            serde_json::json!({"query": 1}),
            serde_json::json!({"variables": "x"}),
            serde_json::json!({"operationName": []}),
            serde_json::json!("x"),
        ] {
            let refusal = Params::from_json(bad).unwrap_err();
            assert_eq!(refusal.status, StatusCode::BAD_REQUEST);
        }
        let params = Params::from_url(
            "query=query%20P(%24s%3AString!)%7Bpost(slug%3A%24s)%7Btitle%7D%7D&operationName=P&variables=%7B%22s%22%3A%22a%22%7D",
        )
        .unwrap();
        assert_eq!(params.operation_name.as_deref(), Some("P"));
        assert_eq!(params.variables.unwrap()["s"], "a");
        assert!(Params::from_url("query=%7Bx%7D&variables=%5B1%5D").is_err());
        assert!(Params::from_url("query=%7Bx%7D&variables=nope").is_err());
    }

    #[test]
    fn tells_queries_from_mutations() {
        assert!(is_query("{ posts { totalCount } }", None));
        assert!(is_query("query A { a } mutation B { b }", Some("A")));
        assert!(!is_query("query A { a } mutation B { b }", Some("B")));
        assert!(!is_query("mutation { __typename }", None));
        assert!(!is_query("subscription { contentUpdated { added } }", None));
        assert!(is_query("{ not valid", None));
        assert!(
            !is_query("mutation M { __typename }", None),
            "a lone named mutation"
        );
        assert!(!is_query(
            "subscription S { contentUpdated { added } }",
            None
        ));
        assert!(is_query("query Q { __typename }", None));
    }

    #[test]
    fn if_none_match_uses_weak_comparison() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", W/\"abc\""),
        );
        assert!(matches_etag(&headers, "W/\"abc\""));
        assert!(matches_etag(&headers, "\"x\""));
        assert!(!matches_etag(&headers, "W/\"abd\""));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(!matches_etag(&headers, "W/\"abd\""));
    }
}
