//! The feed and sitemap routes: `/feed.xml`, `/atom.xml`, `/feed.json`, the same under
//! `/categories/{term}/` and `/keywords/{term}/`, and `/sitemap.xml`. A feed's posts are read
//! with a GraphQL query at the request's pinned snapshot and instant, so a feed shows what
//! `posts` shows (published posts only, links resolved as in `html`); the answer has an `ETag`
//! from that commit and publishing epoch, and a `Cache-Control` that ends at the next scheduled
//! change, as GraphQL GETs do.

use std::sync::Arc;

use async_graphql::Variables;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest as _, Sha256};

use super::{Channel, FeedFormat, Item, SitemapUrl, write_feed, write_sitemap};
use crate::app::Pinned;
use crate::config::FeedContent;
use crate::graphql::code;
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::graphql::{cacheable, if_none_match};

/// The posts of a feed, as the API gives them.
const FEED_QUERY: &str = "query Feed($filter: PostFilter, $first: Int, $full: Boolean!) {
  posts(filter: $filter, first: $first) { nodes {
    title url date lastmod authors
    categories { name } keywords { name }
    summary summaryText: summary(format: PLAIN)
    html(footnotes: SECTION) @include(if: $full)
  } }
}";

/// `GET /feed.xml`: the newest posts in RSS 2.0.
pub(crate) async fn rss(State(state): State<AppState>, headers: HeaderMap) -> Response {
    feed(&state, &headers, None, FeedFormat::Rss.file_name()).await
}

/// `GET /atom.xml`: the newest posts in Atom.
pub(crate) async fn atom(State(state): State<AppState>, headers: HeaderMap) -> Response {
    feed(&state, &headers, None, FeedFormat::Atom.file_name()).await
}

/// `GET /feed.json`: the newest posts in JSON Feed 1.1.
pub(crate) async fn json(State(state): State<AppState>, headers: HeaderMap) -> Response {
    feed(&state, &headers, None, FeedFormat::Json.file_name()).await
}

/// `GET /categories/{term}/{file}`: the newest posts of a category.
pub(crate) async fn category(
    State(state): State<AppState>,
    Path((term, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    feed(&state, &headers, Some(Term::Category(term)), &file).await
}

/// `GET /keywords/{term}/{file}`: the newest posts with a keyword.
pub(crate) async fn keyword(
    State(state): State<AppState>,
    Path((term, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    feed(&state, &headers, Some(Term::Keyword(term)), &file).await
}

/// The term a feed is limited to.
enum Term {
    Category(String),
    Keyword(String),
}

/// A post as [`FEED_QUERY`] reads it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FeedPost {
    title: String,
    url: Option<String>,
    date: Option<String>,
    lastmod: Option<String>,
    authors: Vec<String>,
    categories: Vec<Named>,
    keywords: Vec<Named>,
    summary: String,
    summary_text: String,
    html: Option<String>,
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

async fn feed(state: &AppState, headers: &HeaderMap, term: Option<Term>, file: &str) -> Response {
    let Some(format) = FeedFormat::from_file_name(file) else {
        return not_found(format!(
            "there is no feed `{file}`: the feeds are feed.xml (RSS), atom.xml (Atom) and feed.json (JSON Feed)"
        ));
    };
    let Some(pinned) = state.app.pinned() else {
        return ApiError::not_ready().into_response();
    };
    let snapshot = &pinned.snapshot;
    let Some(base) = snapshot.public_base().cloned() else {
        return no_public_url();
    };
    let path = match &term {
        None => format!("/{file}"),
        Some(Term::Category(t)) => format!("/categories/{t}/{file}"),
        Some(Term::Keyword(t)) => format!("/keywords/{t}/{file}"),
    };
    let (filter, named) = match &term {
        None => (json!(null), None),
        Some(Term::Category(t)) => (json!({"category": t}), Some(snapshot.categories().find(t))),
        Some(Term::Keyword(t)) => (
            json!({"keywords": {"any": [t]}}),
            Some(snapshot.keywords().find(t)),
        ),
    };
    let term_name = match named {
        None => None,
        Some(Some((term, posts))) if pinned.view.count_shown(posts) > 0 => Some(term.name.clone()),
        Some(_) => {
            return not_found(format!(
                "no published post has this term, so {path} has no feed: the `categories` and `keywords` queries list the terms"
            ));
        }
    };
    let listing = state.app.listing();
    let etag = entity_tag(state, &pinned, &path);
    let fresh_for = pinned.seconds_to_change();
    if if_none_match(headers, &etag) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        cacheable(state, response.headers_mut(), &etag, fresh_for);
        return response;
    }
    let full = listing.feed_content == FeedContent::Full;
    let variables = json!({"filter": filter, "first": listing.feed_size, "full": full});
    let request = async_graphql::Request::new(FEED_QUERY)
        .variables(Variables::from_json(variables))
        .data(Arc::clone(&pinned.snapshot))
        .data(Arc::clone(&pinned.view));
    let response = state.app.schema().execute(request).await;
    if !response.errors.is_empty() {
        let message = response
            .errors
            .iter()
            .map(|e| e.message.clone())
            .collect::<Vec<_>>();
        return ApiError::internal(format!(
            "the feed's posts could not be read: {}",
            message.join("; ")
        ))
        .into_response();
    }
    let posts: Vec<FeedPost> = match response
        .data
        .into_json()
        .ok()
        .and_then(|data| serde_json::from_value(data["posts"]["nodes"].clone()).ok())
    {
        Some(posts) => posts,
        None => {
            return ApiError::internal("the feed's posts did not have the expected shape")
                .into_response();
        }
    };
    let absolute = |url: &str| base.join(url).map_or_else(|_| url.to_owned(), String::from);
    let items: Vec<Item> = posts
        .into_iter()
        .filter_map(|post| {
            let url = absolute(post.url.as_deref()?);
            let published = post.date.as_deref().and_then(parse_date);
            let mut categories: Vec<String> = post.categories.into_iter().map(|c| c.name).collect();
            categories.extend(post.keywords.into_iter().map(|k| k.name));
            Some(Item {
                title: post.title,
                id: url.clone(),
                url,
                published,
                updated: post.lastmod.as_deref().and_then(parse_date),
                authors: post.authors,
                categories,
                summary_html: Some(post.summary),
                summary_text: Some(post.summary_text).filter(|s| !s.is_empty()),
                content_html: post.html,
            })
        })
        .collect();
    let site_title = snapshot
        .site()
        .layout
        .title
        .clone()
        .unwrap_or_else(|| "Posts".to_owned());
    let committed = snapshot.revision().committed_at;
    let channel = Channel {
        title: match &term_name {
            Some(name) => format!("{site_title}: {name}"),
            None => site_title,
        },
        description: None,
        site_url: absolute(&snapshot.site().layout.under_base("/")),
        feed_url: absolute(&path),
        language: snapshot.site().layout.language_code.clone(),
        updated: items
            .iter()
            .filter_map(|i| i.updated.or(i.published))
            .max()
            .unwrap_or(committed),
    };
    let body = write_feed(format, &channel, &items);
    answer(state, format.content_type(), body, &etag, fresh_for)
}

/// `GET /sitemap.xml`: the URL of every published page and section, with its last change.
pub(crate) async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(pinned) = state.app.pinned() else {
        return ApiError::not_ready().into_response();
    };
    let snapshot = &pinned.snapshot;
    let Some(base) = snapshot.public_base() else {
        return no_public_url();
    };
    let etag = entity_tag(&state, &pinned, "/sitemap.xml");
    let fresh_for = pinned.seconds_to_change();
    if if_none_match(&headers, &etag) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        cacheable(&state, response.headers_mut(), &etag, fresh_for);
        return response;
    }
    let site = snapshot.site();
    let pages = site
        .sections
        .iter()
        .map(|s| (s.url.as_deref(), s.page.as_ref()))
        .chain(site.pages.values().map(|p| (p.url.as_deref(), Some(p))));
    let mut urls: Vec<SitemapUrl> = pages
        .filter(|(_, page)| page.is_none_or(|p| !pinned.view.hides(p)))
        .filter_map(|(url, page)| {
            Some(SitemapUrl {
                loc: base.join(url?).ok()?.into(),
                lastmod: page.and_then(|p| p.lastmod).map(|d| d.moment()),
            })
        })
        .collect();
    urls.sort_by(|a, b| a.loc.cmp(&b.loc));
    match write_sitemap(&urls) {
        Ok(body) => answer(
            &state,
            "application/xml; charset=utf-8",
            body,
            &etag,
            fresh_for,
        ),
        Err(err) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            code::INTERNAL,
            err.to_string(),
        )
        .into_response(),
    }
}

/// A date as the API writes it (RFC 3339).
fn parse_date(text: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text).ok()
}

/// The weak `ETag` of the document at `path`: the commit and publishing epoch, the settings
/// that change what a commit serves, and the feed settings.
fn entity_tag(state: &AppState, pinned: &Pinned, path: &str) -> String {
    let listing = state.app.listing();
    let mut hasher = Sha256::new();
    for part in [
        pinned.version().as_str(),
        state.app.content_variant(),
        path,
        &format!("{}:{:?}", listing.feed_size, listing.feed_content),
    ] {
        hasher.update(part.len().to_le_bytes());
        hasher.update(part.as_bytes());
    }
    format!("W/\"{}\"", hex::encode(&hasher.finalize()[..16]))
}

fn answer(
    state: &AppState,
    content_type: &'static str,
    body: Vec<u8>,
    etag: &str,
    fresh_for: Option<u64>,
) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    cacheable(state, headers, etag, fresh_for);
    response
}

fn not_found(message: String) -> Response {
    ApiError::new(StatusCode::NOT_FOUND, code::NOT_FOUND, message).into_response()
}

/// Feeds and sitemaps link to pages by absolute URL, which needs a base.
fn no_public_url() -> Response {
    not_found(
        "feeds and the sitemap need absolute links: start Quire with --public-url https://your.site/ \
         (or give the Hugo configuration a `baseURL`)"
            .to_owned(),
    )
}
