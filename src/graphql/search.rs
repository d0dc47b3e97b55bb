//! `search`: full-text search over the published posts, with the listings' filter, and the
//! text every post has (word counts, footnotes) for the listings that need it.

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, Enum, Result, SimpleObject};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::listing::{self, PostFilter};
use super::post::PostObject;
use super::{bad_input, code, coded, shared};
use crate::index::{Order, SearchHits, SearchMode, Snapshot, TextIndex, View, page_size};

/// Results per page when `first` is not given (at most as many as a page of posts).
const DEFAULT_FIRST: i32 = 10;

/// Every post's text at `snapshot`, read after the load; `NOT_READY` while it is still being
/// read (for longer than a few seconds), never a partial answer.
pub(crate) async fn text_facts(snapshot: &Arc<Snapshot>) -> Result<Arc<TextIndex>> {
    let done = match snapshot.text_index_built() {
        Some(built) => built,
        None => {
            let snapshot = Arc::clone(snapshot);
            super::after_load("every post's text is", move || snapshot.text_index()).await?
        }
    };
    done.map_err(|err| {
        tracing::error!("{}", crate::error_chain(&*err));
        coded(
            "the search index could not be built: the server log has the details",
            code::INTERNAL,
        )
    })
}

/// How `search` reads its query.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
#[graphql(name = "SearchMode")]
pub(crate) enum SearchModeInput {
    /// The query syntax: every word must match (stemmed: `running` finds `runs`), `"a phrase"`,
    /// a prefix `kube*`, `-word` to leave out, `title:word` for one field.
    #[default]
    Exact,
    /// Search as you type: each word also matches with a typo or two, and the last word as a
    /// prefix.
    AsYouType,
}

/// One page of the posts a search found, best first.
#[derive(SimpleObject)]
pub(crate) struct SearchConnection {
    /// The posts of this page, with their scores and snippets.
    edges: Vec<SearchEdge>,
    /// Where this page is in the results.
    page_info: super::post::PageInfo,
    /// Published posts found that pass the filter, across all pages.
    total_count: usize,
}

/// A post found.
#[derive(SimpleObject)]
#[graphql(complex)]
pub(crate) struct SearchEdge {
    /// Pass as `after` for the results after this one (with the same query and filter).
    cursor: String,
    /// Relevance (BM25, with title and keywords weighing more): only comparable within one
    /// answer.
    score: f64,
    /// The post.
    node: PostObject,
    /// The page of results it is in, and its place there: its snippet is made when asked for.
    #[graphql(skip)]
    found: (Arc<TextIndex>, Arc<SearchHits>, usize),
}

/// Where a snippet is taken from.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum SnippetField {
    /// The body's text (the description when the body has none of the words).
    #[default]
    Body,
}

/// A passage of a post around the words searched for.
#[derive(SimpleObject)]
pub(crate) struct Snippet {
    /// About 180 characters of text, HTML-escaped, each word found in `<mark>`.
    html: String,
}

#[ComplexObject]
impl SearchEdge {
    /// The passage of the post where the words searched for are.
    async fn snippet(&self, #[graphql(default)] field: SnippetField) -> Result<Snippet> {
        let (text, hits, i) = &self.found;
        match field {
            SnippetField::Body => {
                let html = text.search().snippet(hits, *i).map_err(|err| {
                    tracing::error!("{}", crate::error_chain(&err));
                    coded(
                        "a snippet could not be made: the server log has the details",
                        code::INTERNAL,
                    )
                })?;
                Ok(Snippet { html })
            }
        }
    }
}

/// `search(query:, filter:, mode:, first:, after:)`.
pub(crate) async fn search(
    ctx: &Context<'_>,
    query: &str,
    filter: Option<PostFilter>,
    mode: SearchModeInput,
    first: Option<i32>,
    after: Option<&str>,
) -> Result<SearchConnection> {
    let first =
        page_size(Some(first.unwrap_or(DEFAULT_FIRST))).map_err(|e| bad_input(e.to_string()))?;
    let offset = match after {
        None => 0,
        Some(cursor) => decode(cursor).ok_or_else(|| {
            bad_input("`after` is not a search cursor: pass the `endCursor` of the previous page")
        })?,
    };
    let filter = filter.unwrap_or_default().read()?;
    let snapshot = shared::<Arc<Snapshot>>(ctx)?;
    let view = shared::<Arc<View>>(ctx)?;
    // Every post the filter and the publishing rules let through, by position; `None` when
    // that is every post listed everywhere (no filter, nothing hidden, none listed locally).
    let allowed: Option<Vec<bool>> =
        if filter.is_empty() && view.hides_nothing() && snapshot.listed_everywhere().is_none() {
            None
        } else {
            let (positions, _) = listing::select(ctx, &filter, Order::DateDesc).await?;
            let mut allowed = vec![false; snapshot.posts().len()];
            for i in positions {
                allowed[i] = true;
            }
            Some(allowed)
        };
    let text = text_facts(snapshot).await?;
    let accept = |key: u64| {
        text.position(key)
            .is_some_and(|i| allowed.as_ref().is_none_or(|a| a[i]))
    };
    let mode = match mode {
        SearchModeInput::Exact => SearchMode::Exact,
        SearchModeInput::AsYouType => SearchMode::Typo,
    };
    let found = Arc::new(
        text.search()
            .search(query, mode, &accept, offset, first)
            .map_err(|e| bad_input(e.to_string()))?,
    );
    let edges: Vec<SearchEdge> = found
        .hits
        .iter()
        .enumerate()
        .filter_map(|(n, hit)| {
            let post = &snapshot.posts()[text.position(hit.key)?];
            Some(SearchEdge {
                cursor: encode(offset + n + 1),
                score: f64::from(hit.score),
                node: PostObject(Arc::clone(post)),
                found: (Arc::clone(&text), Arc::clone(&found), n),
            })
        })
        .collect();
    let end = offset + edges.len();
    Ok(SearchConnection {
        page_info: super::post::PageInfo {
            has_next_page: end < found.total,
            has_previous_page: offset > 0,
            start_cursor: edges.first().map(|e| e.cursor.clone()),
            end_cursor: edges.last().map(|e| e.cursor.clone()),
        },
        edges,
        total_count: found.total,
    })
}

/// A search cursor: how many results come before the next page. Results may move when a
/// commit changes them; a cursor only says where to start.
fn encode(after: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("s1:{after}"))
}

fn decode(cursor: &str) -> Option<usize> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    text.strip_prefix("s1:")?.parse().ok()
}
