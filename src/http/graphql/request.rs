//! Reading a GraphQL request: the media type to answer in, the operation's parameters from a
//! JSON body or a URL, and whether the operation is a query (GET runs nothing else).

use async_graphql::parser::types::{DocumentOperations, OperationType};
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use futures_util::FutureExt as _;
use headers::{ContentLength, ContentType, HeaderMapExt as _};
use headers_accept::Accept;
use mediatype::ReadParams as _;
use mediatype::names::{_STAR, APPLICATION, JSON, Q};
use serde_json::{Map, Value};

use crate::http::error::{ApiError, Media};

const GRAPHQL_RESPONSE: mediatype::Name<'static> =
    mediatype::Name::new_unchecked("graphql-response");

/// The media type to answer in, by RFC 9110's rules (the highest `q`, then the most specific
/// range, then the first listed; parameters such as `charset` do not narrow a range: answers
/// are UTF-8); `application/json` for `*/*`, `application/*` or no `Accept` at all; `None`
/// when the client accepts neither, or its `Accept` does not parse.
pub(crate) fn negotiate(headers: &HeaderMap) -> Option<Media> {
    if !headers.contains_key(axum::http::header::ACCEPT) {
        return Some(Media::Json);
    }
    let accept: Accept = headers.typed_get()?;
    // In order of precedence, so the first acceptable range decides.
    accept.media_types().find_map(|range| {
        let refused = range
            .get_param(Q)
            .is_some_and(|q| q.as_str().parse::<f32>().is_ok_and(|q| q <= 0.0));
        let (ty, subty, suffix) = (range.ty(), range.subty(), range.suffix());
        match () {
            () if refused => None,
            () if ty == _STAR || (ty == APPLICATION && subty == _STAR) => Some(Media::Json),
            () if ty == APPLICATION && subty == JSON && suffix.is_none() => Some(Media::Json),
            () if ty == APPLICATION && subty == GRAPHQL_RESPONSE && suffix == Some(JSON) => {
                Some(Media::GraphqlResponse)
            }
            () => None,
        }
    })
}

/// One operation as the client sent it.
#[derive(Debug, Default)]
pub(crate) struct Params {
    pub(crate) query: Option<String>,
    pub(crate) operation_name: Option<String>,
    pub(crate) variables: Option<Map<String, Value>>,
    pub(crate) extensions: Option<Map<String, Value>>,
}

impl Params {
    /// From a JSON body.
    pub(crate) fn from_json(value: Value) -> Result<Params, ApiError> {
        let Value::Object(mut map) = value else {
            return Err(ApiError::bad_input(
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
    pub(crate) fn from_url(query: &str) -> Result<Params, ApiError> {
        let mut params = Params::default();
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let json = |name: &str| -> Result<Option<Map<String, Value>>, ApiError> {
                if value.is_empty() {
                    return Ok(None);
                }
                let parsed = serde_json::from_str(&value)
                    .map_err(|err| ApiError::bad_input(format!("`{name}` is not JSON ({err})")))?;
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
    pub(crate) fn persisted(&self) -> Option<&Value> {
        self.extensions.as_ref()?.get("persistedQuery")
    }
}

fn string(value: Option<Value>, name: &str) -> Result<Option<String>, ApiError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::bad_input(format!("`{name}` must be a string"))),
    }
}

fn object(value: Option<Value>, name: &str) -> Result<Option<Map<String, Value>>, ApiError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(ApiError::bad_input(format!(
            "`{name}` must be an object (a JSON map)"
        ))),
    }
}

/// The body as JSON, within `limit` bytes and `timeout`.
pub(crate) async fn read_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    timeout: std::time::Duration,
) -> Result<Value, ApiError> {
    let is_json = headers
        .typed_get::<ContentType>()
        .is_some_and(|t| mime::Mime::from(t).essence_str() == "application/json");
    if !is_json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            crate::graphql::code::BAD_USER_INPUT,
            "send the body as JSON with `Content-Type: application/json`",
        ));
    }
    let too_large = || {
        ApiError::limit(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the body is larger than the limit of {} KiB (--max-body-kb)",
                limit / 1024
            ),
        )
    };
    if headers
        .typed_get::<ContentLength>()
        .is_some_and(|ContentLength(n)| n > limit as u64)
    {
        return Err(too_large());
    }
    // A client that sends its body a byte at a time must not hold the connection: the body
    // arrives within the request's time limit. A body that came with the headers, as most do,
    // is read at once, without arming a timer.
    let reading = axum::body::to_bytes(body, limit);
    let mut reading = std::pin::pin!(reading);
    let read = match reading.as_mut().now_or_never() {
        Some(read) => read,
        None => tokio::time::timeout(timeout, reading).await.map_err(|_| {
            ApiError::limit(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the body did not arrive within {} s (--request-timeout)",
                    timeout.as_secs()
                ),
            )
        })?,
    };
    let bytes = read.map_err(|_| too_large())?;
    if bytes.is_empty() {
        return Err(ApiError::bad_input(
            "the body is empty: send {\"query\": \"…\"}",
        ));
    }
    serde_json::from_slice(&bytes)
        .map_err(|err| ApiError::bad_input(format!("the body is not valid JSON: {err}")))
}

/// Whether the operation `name` (or the only one) of `query` is a query. A document that does
/// not parse counts as a query: running it reports the syntax error.
pub(crate) fn is_query(query: &str, name: Option<&str>) -> bool {
    // Text nested too deeply for the parser is refused when the query runs.
    if crate::graphql::too_deep(query) {
        return true;
    }
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
    use axum::http::{HeaderValue, header};

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
        assert_eq!(
            negotiate(&accept("application/json; charset=UTF-8")),
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
            assert_eq!(refusal.status(), StatusCode::BAD_REQUEST);
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
}
