//! Pages of posts as Relay connections.

use std::sync::Arc;

use async_graphql::{Result, SimpleObject};

use super::PostObject;
use crate::graphql::bad_input;
use crate::index::{self, Facts, Order, Page, Snapshot};

/// A page of posts (Relay connection).
#[derive(SimpleObject)]
pub(crate) struct PostConnection {
    /// The posts of this page with their cursors.
    edges: Vec<PostEdge>,
    /// The posts of this page.
    nodes: Vec<PostObject>,
    /// Where this page is in the listing.
    page_info: PageInfo,
    /// Posts in the whole listing, across all pages.
    total_count: usize,
}

/// A post and its cursor.
#[derive(SimpleObject)]
pub(crate) struct PostEdge {
    /// Pass as `after` to continue after this post.
    cursor: String,
    /// The post.
    node: PostObject,
}

/// Where a page is in its listing.
#[derive(SimpleObject)]
pub(crate) struct PageInfo {
    /// More posts follow this page.
    pub(crate) has_next_page: bool,
    /// Posts precede this page.
    pub(crate) has_previous_page: bool,
    /// Cursor of the first post of the page.
    pub(crate) start_cursor: Option<String>,
    /// Cursor of the last post of the page: pass it as `after` for the next page.
    pub(crate) end_cursor: Option<String>,
}

impl PostConnection {
    /// A page of `posts` (positions in the snapshot's posts, newest first; all when `None`).
    pub(crate) fn page(
        snapshot: &Snapshot,
        posts: Option<&[usize]>,
        first: Option<i32>,
        after: Option<&str>,
    ) -> Result<Self> {
        let page = snapshot
            .page(posts, first, after)
            .map_err(|e| bad_input(e.to_string()))?;
        Ok(Self::from(page))
    }

    /// A page of `positions`, which are in `order`.
    pub(crate) fn ordered(
        snapshot: &Snapshot,
        positions: &[usize],
        order: Order,
        facts: Option<&dyn Facts>,
        first: Option<i32>,
        after: Option<&str>,
    ) -> Result<Self> {
        let page = index::paginate(snapshot.posts(), positions, order, facts, first, after)
            .map_err(|e| bad_input(e.to_string()))?;
        Ok(Self::from(page))
    }
}

impl From<Page> for PostConnection {
    fn from(page: Page) -> Self {
        let page_info = PageInfo {
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            start_cursor: page.edges.first().map(|(c, _)| c.clone()),
            end_cursor: page.edges.last().map(|(c, _)| c.clone()),
        };
        let nodes = page
            .edges
            .iter()
            .map(|(_, p)| PostObject(Arc::clone(p)))
            .collect();
        let edges = page
            .edges
            .into_iter()
            .map(|(cursor, p)| PostEdge {
                cursor,
                node: PostObject(p),
            })
            .collect();
        PostConnection {
            edges,
            nodes,
            page_info,
            total_count: page.total_count,
        }
    }
}
