//! Writing a GraphQL answer as an HTTP response: the media type, and for a GET answered without
//! errors its `ETag`, `Cache-Control` and `Vary`, or `304 Not Modified`; and counting it.

use std::time::Instant;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use headers::{ETag, HeaderMapExt as _, IfNoneMatch};

use super::Handled;
use super::execute::{Answer, Scope};
use crate::http::AppState;
use crate::http::error::Media;

/// `answer` as a response in `media`.
pub(crate) fn respond(state: &AppState, answer: Answer, media: Media) -> Response {
    match answer {
        Answer::NotModified {
            etag,
            fresh_for,
            scope,
        } => {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            kept_by(state, response.headers_mut(), &etag, fresh_for, scope);
            response
        }
        Answer::Body {
            body,
            status,
            etag,
            fresh_for,
            scope,
            ..
        } => {
            let mut response = (status, body).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, media.content_type());
            if scope == Scope::Private {
                headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(PRIVATE));
                headers.insert(header::VARY, HeaderValue::from_static("Authorization"));
            } else if let Some(etag) = etag {
                kept_by(state, headers, &etag, fresh_for, scope);
            }
            // Otherwise the router's default `Cache-Control: no-store` applies.
            response
        }
    }
}

/// `Cache-Control` of an answer read with a preview token.
const PRIVATE: &str = "private, no-store";

/// `Cache-Control` of an answer that never changes.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The caching headers of a tagged answer of `scope`.
fn kept_by(
    state: &AppState,
    headers: &mut HeaderMap,
    etag: &str,
    fresh_for: Option<u64>,
    scope: Scope,
) {
    cacheable(state, headers, etag, fresh_for);
    match scope {
        Scope::Shared => {}
        Scope::Immutable => {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
        }
        Scope::Private => {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(PRIVATE));
        }
    }
}

/// A successful answer with a tag, from the cache of answers by URL.
pub(crate) fn ok(
    state: &AppState,
    media: Media,
    body: Bytes,
    etag: &str,
    fresh_for: Option<u64>,
) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, media.content_type());
    cacheable(state, headers, etag, fresh_for);
    response
}

/// The headers that let browsers and CDNs keep an answer and revalidate it. `fresh_for` is
/// the number of seconds until a scheduled post appears or disappears, when one will: neither
/// `max-age` nor `stale-while-revalidate` lets a cache keep the answer past that instant.
pub(crate) fn cacheable(
    state: &AppState,
    headers: &mut HeaderMap,
    etag: &str,
    fresh_for: Option<u64>,
) {
    if let Ok(etag) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, etag);
    }
    let api = state.app.api();
    let (max_age, stale) = (
        u64::from(api.cache_max_age),
        u64::from(api.stale_while_revalidate),
    );
    let control = match fresh_for {
        Some(left) if left < max_age + stale => {
            let max_age = max_age.min(left);
            HeaderValue::from_str(&format!(
                "public, max-age={max_age}, stale-while-revalidate={}",
                stale.min(left - max_age)
            ))
            .expect("digits and ASCII make a header value")
        }
        _ => state.cache_control.clone(),
    };
    headers.insert(header::CACHE_CONTROL, control);
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
