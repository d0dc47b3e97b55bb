//! GraphiQL's own scripts and style, compiled into the binary (`assets/graphiql/`, see its
//! README for the packages, versions and licences) and served at
//! `GET /graphiql/assets/<package>@<version>/<file>`, laid out as unpkg.com lays them out. The
//! version is in the path, so a file at a URL never changes: browsers may keep it for a year
//! without asking again. Compression is the router's (`CompressionLayer`).

use std::sync::LazyLock;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use headers::{ETag, HeaderMapExt as _, IfNoneMatch};
use sha2::{Digest as _, Sha256};

use super::AppState;
use super::pages::{GRAPHIQL_VERSION, REACT_VERSION};

/// Where the embedded files are served; the GraphiQL page's default `--graphiql-assets`.
pub(crate) const BASE: &str = "/graphiql/assets";

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

/// Embeds `assets/graphiql/<path>`, to be served at `<BASE>/<path>` with `content_type`.
macro_rules! asset {
    ($path:literal, $content_type:expr) => {
        (
            $path,
            $content_type,
            include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/assets/graphiql/",
                $path
            ))
            .as_slice(),
        )
    };
}

/// Every embedded file: its path under [`BASE`], its type and its bytes. The page needs the
/// scripts and the style; the licences go with them.
const FILES: [(&str, &str, &[u8]); 7] = [
    asset!("graphiql@3.9.0/graphiql.min.js", JS),
    asset!("graphiql@3.9.0/graphiql.min.css", CSS),
    asset!("graphiql@3.9.0/LICENSE", TEXT),
    asset!("react@18.3.1/umd/react.production.min.js", JS),
    asset!("react@18.3.1/LICENSE", TEXT),
    asset!("react-dom@18.3.1/umd/react-dom.production.min.js", JS),
    asset!("react-dom@18.3.1/LICENSE", TEXT),
];

/// One embedded file, ready to serve.
struct Asset {
    path: &'static str,
    content_type: HeaderValue,
    body: &'static [u8],
    /// A strong ETag: the SHA-256 of the bytes.
    etag: HeaderValue,
}

/// The files with their ETags, hashed once on first use.
static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|&(path, content_type, body)| Asset {
            path,
            content_type: HeaderValue::from_static(content_type),
            body,
            etag: HeaderValue::from_str(&format!(
                "\"{}\"",
                hex::encode(&Sha256::digest(body)[..16])
            ))
            .expect("hex makes a header value"),
        })
        .collect()
});

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

/// `GET /graphiql/assets/{*file}`: an embedded file, `304 Not Modified` when the browser has it
/// (`If-None-Match`), 404 for any other path or when GraphiQL is turned off.
pub(crate) async fn serve(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let found = ASSETS.iter().find(|a| a.path == file);
    let Some(asset) = found.filter(|_| !state.app.api().disable_graphiql) else {
        return (
            StatusCode::NOT_FOUND,
            format!(
                "no such file: this server has GraphiQL {GRAPHIQL_VERSION} and React \
                 {REACT_VERSION} under {BASE}/ (see the GraphiQL page, GET /graphql)\n"
            ),
        )
            .into_response();
    };
    // Weak comparison, and `*` matches: the file exists.
    let cached = headers.typed_get::<IfNoneMatch>().is_some_and(|condition| {
        let etag = asset
            .etag
            .to_str()
            .ok()
            .and_then(|t| t.parse::<ETag>().ok());
        etag.is_some_and(|etag| !condition.precondition_passes(&etag))
    });
    let common = [
        (header::ETAG, asset.etag.clone()),
        (header::CACHE_CONTROL, IMMUTABLE),
    ];
    if cached {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        common,
        [(header::CONTENT_TYPE, asset.content_type.clone())],
        asset.body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeds_the_versions_the_page_asks_for() {
        for wanted in [
            format!("graphiql@{GRAPHIQL_VERSION}/graphiql.min.js"),
            format!("graphiql@{GRAPHIQL_VERSION}/graphiql.min.css"),
            format!("react@{REACT_VERSION}/umd/react.production.min.js"),
            format!("react-dom@{REACT_VERSION}/umd/react-dom.production.min.js"),
        ] {
            assert!(
                ASSETS.iter().any(|a| a.path == wanted),
                "{wanted} is not embedded: put it in assets/graphiql/ (see its README)"
            );
        }
    }

    #[test]
    fn each_file_has_its_own_strong_etag() {
        let mut tags: Vec<_> = ASSETS.iter().map(|a| a.etag.as_bytes()).collect();
        assert!(tags.iter().all(|t| t.starts_with(b"\"")));
        tags.sort_unstable();
        tags.dedup();
        // The two React licences are the same text.
        assert_eq!(tags.len(), ASSETS.len() - 1);
    }
}
