//! `GET /highlight.css?theme=NAME`: the stylesheet for the class names of `--highlight classes`
//! in one of syntect's themes, `--highlight-theme` without `?theme=`. Each theme's stylesheet
//! is made once, on the first request for any, with a strong `ETag` from its content; a
//! browser or CDN keeps it for a day (a new Quire version may change it, so not for ever).

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use headers::{ETag, HeaderMapExt as _, IfNoneMatch};
use sha2::{Digest as _, Sha256};

use super::AppState;
use super::error::ApiError;
use crate::content::{highlight_stylesheet, theme_name, themes};
use crate::graphql::code;

/// One theme's stylesheet, ready to serve.
struct Stylesheet {
    css: String,
    /// A strong ETag: the SHA-256 of the stylesheet.
    etag: HeaderValue,
}

/// Every theme's stylesheet, by the theme's own name.
static STYLESHEETS: LazyLock<HashMap<&'static str, Stylesheet>> = LazyLock::new(|| {
    themes()
        .into_iter()
        .filter_map(|name| {
            let css = highlight_stylesheet(name).ok()?;
            let etag = format!("\"{}\"", hex::encode(&Sha256::digest(css.as_bytes())[..16]));
            let etag = HeaderValue::from_str(&etag).expect("hex makes a header value");
            Some((name, Stylesheet { css, etag }))
        })
        .collect()
});

const CSS: HeaderValue = HeaderValue::from_static("text/css; charset=utf-8");
const A_DAY: HeaderValue = HeaderValue::from_static("public, max-age=86400");

/// `GET /highlight.css`: the stylesheet, `304 Not Modified` when the client has it
/// (`If-None-Match`), 404 with the list of themes for an unknown one.
pub(crate) async fn stylesheet(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let asked = uri.query().and_then(|query| {
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == "theme")
            .map(|(_, value)| value.into_owned())
    });
    let asked = asked
        .as_deref()
        .unwrap_or(&state.app.render_options().highlight_theme);
    let found = theme_name(asked).map(|name| STYLESHEETS.get(name));
    let sheet = match found {
        Ok(Some(sheet)) => sheet,
        Ok(None) => {
            return ApiError::internal(format!("no stylesheet was made for theme {asked:?}"))
                .into_response();
        }
        Err(unknown) => {
            return ApiError::new(StatusCode::NOT_FOUND, code::NOT_FOUND, unknown.to_string())
                .into_response();
        }
    };
    let etag = sheet
        .etag
        .to_str()
        .ok()
        .and_then(|t| t.parse::<ETag>().ok());
    // Weak comparison, and `*` matches: the stylesheet exists.
    let cached = headers
        .typed_get::<IfNoneMatch>()
        .zip(etag)
        .is_some_and(|(condition, etag)| !condition.precondition_passes(&etag));
    let common = [
        (header::ETAG, sheet.etag.clone()),
        (header::CACHE_CONTROL, A_DAY),
    ];
    if cached {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (common, [(header::CONTENT_TYPE, CSS)], sheet.css.as_str()).into_response()
}
