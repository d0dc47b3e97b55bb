//! Writing a GraphQL answer as an HTTP response: the media type, and for a GET answered without
//! errors its `ETag`, `Cache-Control` and `Vary`, or `304 Not Modified`; and counting it.

use std::time::Instant;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use headers::{ETag, HeaderMapExt as _, IfNoneMatch};

use super::Handled;
use super::execute::Answer;
use crate::http::AppState;
use crate::http::error::Media;

/// `answer` as a response in `media`.
pub(crate) fn respond(state: &AppState, answer: Answer, media: Media) -> Response {
    match answer {
        Answer::NotModified { etag } => {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            cacheable(state, response.headers_mut(), &etag);
            response
        }
        Answer::Body {
            body, status, etag, ..
        } => {
            let mut response = (status, body).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, media.content_type());
            // Without a tag, the router's default `Cache-Control: no-store` applies.
            if let Some(etag) = etag {
                cacheable(state, headers, &etag);
            }
            response
        }
    }
}

/// A successful answer with a tag, from the cache of answers by URL.
pub(crate) fn ok(state: &AppState, media: Media, body: Bytes, etag: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, media.content_type());
    cacheable(state, headers, etag);
    response
}

/// The headers that let browsers and CDNs keep an answer and revalidate it.
pub(crate) fn cacheable(state: &AppState, headers: &mut HeaderMap, etag: &str) {
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
pub(crate) fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    if !headers.contains_key(header::IF_NONE_MATCH) {
        return false;
    }
    let (Some(condition), Ok(etag)) = (headers.typed_get::<IfNoneMatch>(), etag.parse::<ETag>())
    else {
        return false;
    };
    condition != IfNoneMatch::any() && !condition.precondition_passes(&etag)
}

/// Counts a request in the metrics and hands its response back.
pub(crate) fn record(state: &AppState, started: Instant, handled: Handled) -> Response {
    let Handled {
        response,
        operation,
        ok,
    } = handled;
    state.metrics.request(
        operation.as_deref().map(|name| (name, ok)),
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_uses_weak_comparison() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", W/\"abc\""),
        );
        assert!(if_none_match(&headers, "W/\"abc\""));
        assert!(if_none_match(&headers, "\"x\""));
        assert!(!if_none_match(&headers, "W/\"abd\""));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(!if_none_match(&headers, "W/\"abd\""));
        assert!(!if_none_match(&HeaderMap::new(), "W/\"abd\""));
    }
}
