//! A post's git history: `Post.history`, `createdAt`, `updatedAt`, `contributors`, and
//! `lastmod` when it comes from git. Every post's history at a commit is read by one walk, on
//! a blocking thread, the first time any post's is asked for (see `crate::index`'s history
//! cache); every later request at that commit reads it from memory.

use std::sync::Arc;

use async_graphql::{Context, Object, Result, SimpleObject};

use super::PageInfo;
use crate::graphql::changes::CommitFields;
use crate::graphql::{Access, bad_input, code, coded, shared};
use crate::index::{Change, History, HistoryCache, Placed, Snapshot, page_of, page_size};

/// A commit that changed a post's file, with the lines it changed when they were counted
/// for its whole page at once.
#[derive(Clone)]
pub(crate) struct PostCommit(Change, Option<(usize, usize)>);

/// A commit that changed a post's file, and how much of the file it changed.
#[Object]
impl PostCommit {
    /// The full commit id (40 hex digits).
    async fn commit(&self) -> String {
        CommitFields(&self.0.commit).commit()
    }

    /// The author's name, as the commit records it.
    async fn author_name(&self) -> &str {
        CommitFields(&self.0.commit).author_name()
    }

    /// The author's email address: only with a preview token (`Authorization: Bearer`), null
    /// otherwise, so that a public site does not publish its authors' addresses.
    async fn author_email(&self, ctx: &Context<'_>) -> Option<&str> {
        CommitFields(&self.0.commit).author_email(ctx)
    }

    /// When the change was written: RFC 3339, in the author's offset.
    async fn authored_at(&self) -> String {
        CommitFields(&self.0.commit).authored_at()
    }

    /// When the commit was made: RFC 3339, in the committer's offset.
    async fn committed_at(&self) -> String {
        CommitFields(&self.0.commit).committed_at()
    }

    /// The message's subject: its first paragraph, on one line.
    async fn message(&self) -> &str {
        CommitFields(&self.0.commit).message()
    }

    /// The rest of the message, after the first blank line; null when there is none.
    async fn body(&self) -> Option<&str> {
        CommitFields(&self.0.commit).body()
    }

    /// Lines of the post's file this commit added and removed (against its first parent; a
    /// move counts only the lines it edited, a binary file none). Counted when asked for.
    async fn diff_stat(&self, ctx: &Context<'_>) -> Result<DiffStat> {
        let (added, removed) = match self.1 {
            Some(counted) => counted,
            None => count(ctx, &[&self.0]).await?[0],
        };
        Ok(DiffStat { added, removed })
    }
}

/// Lines a commit added to and removed from one file.
#[derive(SimpleObject)]
pub(crate) struct DiffStat {
    /// Lines added.
    added: usize,
    /// Lines removed.
    removed: usize,
}

/// A page of a post's history, newest first (Relay connection).
#[derive(SimpleObject)]
pub(crate) struct PostHistoryConnection {
    /// The commits of this page with their cursors.
    edges: Vec<PostHistoryEdge>,
    /// The commits of this page.
    nodes: Vec<PostCommit>,
    /// Where this page is in the history.
    page_info: PageInfo,
    /// Commits in the whole history, across all pages.
    total_count: usize,
}

/// A commit of a post's history and its cursor.
#[derive(SimpleObject)]
pub(crate) struct PostHistoryEdge {
    /// Pass as `after` to continue after this commit.
    cursor: String,
    /// The commit.
    node: PostCommit,
}

/// Someone who changed a post: an author as the commits name them (by name and email).
#[derive(SimpleObject)]
#[graphql(name = "Contributor")]
pub(crate) struct ContributorObject {
    /// The author's name, as the commits record it.
    name: String,
    /// The author's email address: only with a preview token, null otherwise.
    email: Option<String>,
    /// Commits of theirs in the post's history.
    commits: usize,
}

/// `Post.history(first:, after:)`.
pub(super) async fn history(
    ctx: &Context<'_>,
    post: &Placed,
    first: Option<i32>,
    after: Option<&str>,
) -> Result<PostHistoryConnection> {
    // A bad `first` is refused before any git is read.
    page_size(first).map_err(|e| bad_input(e.to_string()))?;
    let history = walk(ctx, post).await?;
    let changes = history.changes(&post.path);
    let page = page_of(changes, first, after).map_err(|e| bad_input(e.to_string()))?;
    // The page's lines counted at once, when they are asked for (else each node counts its own).
    let ahead = ctx.look_ahead();
    let stats: Vec<Option<(usize, usize)>> = if ahead.field("nodes").field("diffStat").exists()
        || ahead
            .field("edges")
            .field("node")
            .field("diffStat")
            .exists()
    {
        let changes: Vec<&Change> = page.edges.iter().map(|(_, c)| *c).collect();
        count(ctx, &changes).await?.into_iter().map(Some).collect()
    } else {
        vec![None; page.edges.len()]
    };
    let edges: Vec<PostHistoryEdge> = page
        .edges
        .into_iter()
        .zip(stats)
        .map(|((cursor, change), stat)| PostHistoryEdge {
            cursor,
            node: PostCommit(change.clone(), stat),
        })
        .collect();
    Ok(PostHistoryConnection {
        page_info: PageInfo {
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            start_cursor: edges.first().map(|e| e.cursor.clone()),
            end_cursor: edges.last().map(|e| e.cursor.clone()),
        },
        nodes: edges.iter().map(|e| e.node.clone()).collect(),
        edges,
        total_count: changes.len(),
    })
}

/// `Post.createdAt`: the author date of the oldest commit of the history.
pub(super) async fn created_at(ctx: &Context<'_>, post: &Placed) -> Result<Option<String>> {
    let history = walk(ctx, post).await?;
    Ok(history
        .changes(&post.path)
        .last()
        .map(|c| c.commit.authored_at.to_rfc3339()))
}

/// `Post.updatedAt`: the author date of the newest commit of the history.
pub(super) async fn updated_at(ctx: &Context<'_>, post: &Placed) -> Result<Option<String>> {
    let history = walk(ctx, post).await?;
    Ok(history
        .changes(&post.path)
        .first()
        .map(|c| c.commit.authored_at.to_rfc3339()))
}

/// `Post.lastmod`: `updatedAt` when the date rules reach `:git` first and the post has a
/// history, else the front matter's.
pub(super) async fn lastmod(ctx: &Context<'_>, post: &Placed) -> Result<Option<String>> {
    if post.lastmod_from_git
        && let Some(updated) = updated_at(ctx, post).await?
    {
        return Ok(Some(updated));
    }
    Ok(post.lastmod.map(|d| d.to_rfc3339()))
}

/// `Post.contributors`.
pub(super) async fn contributors(
    ctx: &Context<'_>,
    post: &Placed,
) -> Result<Vec<ContributorObject>> {
    let history = walk(ctx, post).await?;
    let preview = Access::of(ctx).preview;
    Ok(crate::index::contributors(history.changes(&post.path))
        .into_iter()
        .map(|c| ContributorObject {
            name: c.name,
            email: preview.then_some(c.email),
            commits: c.commits,
        })
        .collect())
}

/// The history of the request's commit: from memory, or walked now on a blocking thread (the
/// walk finishes and is kept even when the request is gone). A failure is an `INTERNAL` error
/// whose details are in the log, and is tried again at the next request.
async fn walk(ctx: &Context<'_>, post: &Placed) -> Result<Arc<History>> {
    let snapshot = shared::<Arc<Snapshot>>(ctx)?;
    shared::<HistoryCache>(ctx)?
        .get(snapshot)
        .await
        .map_err(|err| {
            tracing::error!("{}", crate::error_chain(&*err));
            coded(
                format!(
                    "the history of {} could not be read from the repository: it is tried again at the next request; the server log has the details",
                    post.path
                ),
                code::INTERNAL,
            )
        })
}

/// The lines each of `changes` added and removed; a blob that cannot be read is an `INTERNAL`
/// error whose details are in the log.
async fn count(ctx: &Context<'_>, changes: &[&Change]) -> Result<Vec<(usize, usize)>> {
    let snapshot = shared::<Arc<Snapshot>>(ctx)?;
    shared::<HistoryCache>(ctx)?
        .diff_stats(snapshot, changes)
        .await
        .map_err(|err| {
            tracing::error!("{}", crate::error_chain(&err));
            coded(
                "the lines a commit changed could not be counted: a blob could not be read from the repository; the server log has the details",
                code::INTERNAL,
            )
        })
}

#[cfg(test)]
mod tests;
