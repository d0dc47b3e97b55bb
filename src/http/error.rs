//! [`ApiError`]: the one error type at the HTTP edge, for `/graphql`, the webhooks, replica
//! notices, readiness and `/files`. Everything below the edge reports with its own `thiserror` type; a
//! handler turns what the client must hear into an `ApiError`, and this module decides how it
//! is said.
//!
//! # Policy
//! - **What the client sees**: a status, a code and a message that says what was wrong and what
//!   to do about it. On `/graphql` the body is a GraphQL answer, `{"errors": [{"message",
//!   "extensions": {"code"}}]}`, in the media type the client negotiated; elsewhere it is
//!   `{"error": message, "code": CODE}`. Every error answer has `Cache-Control: no-store`.
//! - **What the client never sees**: server paths, repository URLs with their credentials, or
//!   the text of an internal error. An [`ApiError::internal`] answers "internal error: the
//!   server log has the details" and logs the details, at error level, with the code.
//! - **What is logged**: internal errors at `error`; refused authentication (webhook signatures,
//!   replica notices) at `warn`, since a misconfigured git host or replica needs an operator; a
//!   client's own mistakes (`BAD_USER_INPUT`, `LIMIT_EXCEEDED`, `NOT_FOUND`) at `debug` only, so
//!   a noisy GraphQL client does not fill the log.
//! - **Which status**: the code decides it unless the protocol says otherwise (GraphQL over HTTP
//!   answers some errors with 200):
//!
//! | code | status | when |
//! | --- | --- | --- |
//! | `BAD_USER_INPUT` | 400 (405, 406, 415 for the method or media type; 416 for a range past a file's end) | the request is wrong |
//! | `LIMIT_EXCEEDED` | 400, 413 for the body, 503 for the time limit | a limit was passed |
//! | `UNAUTHENTICATED` | 401 | a webhook or notice signature is missing or wrong |
//! | `NOT_FOUND` | 404 | the thing named does not exist (or, for `/files`, is not served) |
//! | `NOT_READY` | 503, with `Retry-After: 1` | nothing is loaded yet (`/readyz` adds its report) |
//! | `INTERNAL` | 500 | the server failed |

use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::graphql::code;

/// The two media types a GraphQL answer can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Media {
    GraphqlResponse,
    Json,
}

impl Media {
    pub(crate) fn essence(self) -> &'static str {
        match self {
            Media::GraphqlResponse => "application/graphql-response+json",
            Media::Json => "application/json",
        }
    }

    pub(crate) fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Media::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Media::Json => "application/json; charset=utf-8",
        })
    }
}

/// How an error is written: as a GraphQL answer in a media type, or as plain JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Graphql(Media),
    Plain,
}

/// An error answered to an HTTP client; see the module's policy.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    shape: Shape,
    /// More fields for a plain answer, beside `error` and `code` (readiness adds its report).
    details: serde_json::Map<String, serde_json::Value>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            shape: Shape::Plain,
            details: serde_json::Map::new(),
        }
    }

    /// With `details` beside `error` and `code` in a plain answer.
    pub(crate) fn with_details(
        mut self,
        details: serde_json::Map<String, serde_json::Value>,
    ) -> Self {
        self.details = details;
        self
    }

    /// A mistake in the request, 400.
    pub(crate) fn bad_input(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, code::BAD_USER_INPUT, message)
    }

    /// A limit passed: `status` says which kind.
    pub(crate) fn limit(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError::new(status, code::LIMIT_EXCEEDED, message)
    }

    /// A signature or token that is missing or wrong, 401.
    pub(crate) fn unauthenticated(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, code::UNAUTHENTICATED, message)
    }

    /// Nothing is loaded yet, 503 with `Retry-After`.
    pub(crate) fn not_ready() -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            code::NOT_READY,
            "Quire is still loading its content: retry in a moment (GET /readyz says when it is ready)",
        )
    }

    /// The server failed: `detail` goes to the log, never to the client.
    pub(crate) fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(code = code::INTERNAL, "{detail}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            code::INTERNAL,
            "internal error: the server log has the details",
        )
    }

    /// Written as a GraphQL answer in `media`.
    pub(crate) fn graphql(mut self, media: Media) -> Self {
        self.shape = Shape::Graphql(media);
        self
    }

    #[cfg(test)]
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    /// The body as a GraphQL answer, for a place in a batch.
    pub(crate) fn graphql_body(&self) -> Bytes {
        Bytes::from(
            serde_json::json!({ "errors": [{
                "message": self.message,
                "extensions": { "code": self.code },
            }]})
            .to_string(),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self.code {
            c if c == code::INTERNAL => {}
            c if c == code::UNAUTHENTICATED => tracing::warn!(code = c, "{}", self.message),
            c => tracing::debug!(code = c, "{}", self.message),
        }
        let status = self.status;
        let retry = status == StatusCode::SERVICE_UNAVAILABLE && self.code == code::NOT_READY;
        let (body, content_type) = match self.shape {
            Shape::Graphql(media) => (self.graphql_body(), media.content_type()),
            Shape::Plain => {
                let mut body = self.details;
                body.insert("error".to_owned(), self.message.into());
                body.insert("code".to_owned(), self.code.into());
                (
                    Bytes::from(serde_json::Value::Object(body).to_string()),
                    HeaderValue::from_static("application/json"),
                )
            }
        };
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, content_type);
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if status == StatusCode::METHOD_NOT_ALLOWED {
            headers.insert(header::ALLOW, HeaderValue::from_static("POST"));
        }
        // Not for a timeout: retrying the same slow query at once would not help.
        if retry {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(response: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn writes_graphql_answers_and_plain_errors_without_caching() {
        let response = ApiError::bad_input("no `query`")
            .graphql(Media::GraphqlResponse)
            .into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "application/graphql-response+json; charset=utf-8"
        );
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
        assert_eq!(
            body(response).await,
            serde_json::json!({"errors": [{"message": "no `query`", "extensions": {"code": "BAD_USER_INPUT"}}]})
        );
        let response = ApiError::unauthenticated("bad signature").into_response();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            body(response).await,
            serde_json::json!({"error": "bad signature", "code": "UNAUTHENTICATED"})
        );
    }

    #[tokio::test]
    async fn an_internal_error_keeps_its_detail_out_of_the_answer() {
        let response = ApiError::internal("/srv/quire/data/clone: disk full").into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let text = body(response).await.to_string();
        assert!(!text.contains("/srv"), "{text}");
        assert!(text.contains("server log"), "{text}");
    }

    #[tokio::test]
    async fn not_ready_says_when_to_retry_beside_its_details() {
        let mut report = serde_json::Map::new();
        report.insert("ready".to_owned(), false.into());
        let response = ApiError::not_ready().with_details(report).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
        let body = body(response).await;
        assert_eq!(body["ready"], false);
        assert_eq!(body["code"], "NOT_READY");
        assert!(
            body["error"].as_str().unwrap().contains("/readyz"),
            "{body}"
        );
    }
}
