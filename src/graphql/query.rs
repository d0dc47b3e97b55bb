//! The root `Query` type and the small object types around it.

use std::sync::Arc;

use async_graphql::{Context, Object, Result, SimpleObject};

use super::at::At;
use super::changes::ChangesObject;
use super::listing::{
    self, ArchiveBy, ArchivePeriod, AuthorObject, PostFilter, PostOrder, TaxonomyObject,
};
use super::post::{PostConnection, PostObject, TermObject};
use super::search::{self, SearchConnection, SearchModeInput};
use super::site::{self, SectionObject, UrlMatch};
use super::{bad_input, shared};
use crate::content::IsoWeek;
use crate::index::{self, Filter, Order, Snapshot, Taxonomy, Terms, View};

/// Read access to the posts of one commit.
pub struct Query;

/// Read access to the posts of one commit.
#[Object]
impl Query {
    /// One post: by `slug`, or by `path` (from the repository root, such as
    /// `content/posts/hello.md`; this also finds a post that is not listed or not published,
    /// for includes). Slugs are matched as written, then urlized the way Hugo does, so
    /// `"Week 50, 2017"` also finds `week-50-2017`. A slug may be shared by posts in different
    /// sections: give `section` (top-level section or the section's folder) to pick one; a slug
    /// still shared is a `BAD_USER_INPUT` error listing their URLs. Null when no post matches.
    /// To look a post up by its URL, use `postByUrl`.
    async fn post(
        &self,
        ctx: &Context<'_>,
        slug: Option<String>,
        section: Option<String>,
        path: Option<String>,
    ) -> Result<Option<PostObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        site::find_post(
            snapshot,
            shared::<Arc<View>>(ctx)?,
            slug.as_deref(),
            section.as_deref(),
            path.as_deref(),
        )
    }

    /// The post or section published at `url`: a path (`/posts/hello/`) or a full URL
    /// (`https://example.com/posts/hello`), with or without trailing slash, percent-encoded or
    /// not, with a query or fragment (ignored). An `aliases` entry of a post answers that post
    /// with `redirect` set to its URL, for a 301. Null when nothing is published there.
    async fn post_by_url(&self, ctx: &Context<'_>, url: String) -> Result<Option<UrlMatch>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        site::by_url(snapshot, shared::<Arc<View>>(ctx)?, &url)
    }

    /// The section at folder `path` under the content folder (`posts`, `docs/v1`; `""` for the
    /// home page), in `language` (the site's default language when not given). Null when there
    /// is none.
    async fn section(
        &self,
        ctx: &Context<'_>,
        path: String,
        language: Option<String>,
    ) -> Result<Option<SectionObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        Ok(snapshot
            .site()
            .section(&path, language.as_deref())
            .map(|(i, _)| SectionObject(i)))
    }

    /// Every section of `language` (every language when not given): the home pages first, then
    /// parents before children, by path.
    async fn sections(
        &self,
        ctx: &Context<'_>,
        language: Option<String>,
    ) -> Result<Vec<SectionObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        Ok(site::sections(snapshot, language.as_deref()))
    }

    /// Posts whose date falls in this ISO 8601 week, in the offset each post was written with
    /// (`2017-12-11T21:45:37+11:00` is in 2017-W50), newest first. `week` must exist in `year`:
    /// 1 to 52, or 53 in years that have one.
    async fn posts_by_week(
        &self,
        ctx: &Context<'_>,
        year: i32,
        week: i32,
    ) -> Result<Vec<PostObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        let view = shared::<Arc<View>>(ctx)?;
        let week = IsoWeek::new(year, week).map_err(bad_input)?;
        Ok(snapshot
            .posts_in_week(week)
            .filter(|p| !view.hides(p))
            .cloned()
            .map(PostObject)
            .collect())
    }

    /// Posts in a category, newest first. The category matches case-insensitively and by slug:
    /// "Weekly Notes", "weekly notes" and "weekly-notes" are the same. A category no post has is
    /// null with a `NOT_FOUND` error. `first` defaults to 20 and may be at most 100.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn posts_by_category(
        &self,
        ctx: &Context<'_>,
        category: String,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Option<PostConnection>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        let filter = Filter {
            category: Some(category.clone()),
            ..Filter::default()
        };
        term_page(
            ctx,
            snapshot.categories(),
            ("category", "categories"),
            (&category, filter),
            first,
            after.as_deref(),
        )
        .await
    }

    /// Posts with a keyword, newest first; matched like categories, and likewise null with a
    /// `NOT_FOUND` error for a keyword no post has. `first` defaults to 20, at most 100.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn posts_by_keyword(
        &self,
        ctx: &Context<'_>,
        keyword: String,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Option<PostConnection>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        let filter = Filter {
            keywords: Terms {
                any: vec![keyword.clone()],
                all: Vec::new(),
            },
            ..Filter::default()
        };
        term_page(
            ctx,
            snapshot.keywords(),
            ("keyword", "keywords"),
            (&keyword, filter),
            first,
            after.as_deref(),
        )
        .await
    }

    /// Published posts that pass `filter` (every post without one), in `orderBy` (newest first
    /// by default: by the instant of the date, across offsets; undated posts last), then by
    /// path. `totalCount` counts the whole filtered listing. A cursor holds its post's place in
    /// the order, so it stays valid across refreshes. `first` defaults to 20, at most 100.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn posts(
        &self,
        ctx: &Context<'_>,
        filter: Option<PostFilter>,
        #[graphql(default)] order_by: PostOrder,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<PostConnection> {
        listing::posts(ctx, filter, order_by, first, after.as_deref()).await
    }

    /// How many published posts of `filter` each year, month or ISO week has, newest first;
    /// periods without a post are left out. Each post counts in the offset it was written with.
    async fn archive(
        &self,
        ctx: &Context<'_>,
        by: ArchiveBy,
        filter: Option<PostFilter>,
    ) -> Result<Vec<ArchivePeriod>> {
        listing::archive(ctx, by, filter).await
    }

    /// Published posts matching `query`, best first, with a snippet of each: words, `"a
    /// phrase"`, a prefix `kube*`, `-word` to leave one out, `title:word` for one field (see
    /// `SearchMode`), over title, description, keywords, categories and the body's text, with
    /// `filter` as `posts` takes it. A query that cannot be read is a `BAD_USER_INPUT` error
    /// saying what is wrong. Every post's text is read after a load: until then `NOT_READY`.
    /// `first` defaults to 10, at most 100.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        query: String,
        filter: Option<PostFilter>,
        #[graphql(default)] mode: SearchModeInput,
        #[graphql(default = 10)] first: Option<i32>,
        after: Option<String>,
    ) -> Result<SearchConnection> {
        search::search(ctx, &query, filter, mode, first, after.as_deref()).await
    }

    /// Every category with a published post, sorted by slug, with its count of them.
    async fn categories(&self, ctx: &Context<'_>) -> Result<Vec<TermObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        listing::terms(ctx, snapshot.categories())
    }

    /// Every keyword with a published post, sorted by slug, with its count of them.
    async fn keywords(&self, ctx: &Context<'_>) -> Result<Vec<TermObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        listing::terms(ctx, snapshot.keywords())
    }

    /// Every author of a published post (front matter `author` or `authors`), sorted by slug.
    async fn authors(&self, ctx: &Context<'_>) -> Result<Vec<AuthorObject>> {
        listing::authors(ctx)
    }

    /// Every taxonomy the site defines (the Hugo configuration's `taxonomies`, by default
    /// `categories` and `tags`), with its terms that have a published post.
    async fn taxonomies(&self, ctx: &Context<'_>) -> Result<Vec<TaxonomyObject>> {
        listing::taxonomies(ctx)
    }

    /// Every field of `Query`, read at another branch, tag (light or annotated) or commit (its
    /// full id, or at least its first 7 hex digits), as `revision` inside says. The served
    /// branch and the commits in its history are public; any other ref, and `drafts: true`
    /// (drafts, and future and expired posts, as `--drafts --future --expired` would serve
    /// them), need `Authorization: Bearer <token>` with one of the server's
    /// `--preview-token`s: without it the answer is `FORBIDDEN`, whether the ref exists or not.
    /// A malformed ref is `BAD_USER_INPUT`, an unknown one `NOT_FOUND` (with a token). Over GET,
    /// an answer that only reads `at` with full commit ids never changes, and is sent with
    /// `Cache-Control: public, max-age=31536000, immutable`; a preview is
    /// `private, no-store`.
    async fn at(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "ref")] reference: String,
        drafts: Option<bool>,
    ) -> Result<At> {
        super::at::at(ctx, &reference, drafts.unwrap_or(false)).await
    }

    /// The posts that differ between commit `from` and commit `to` (the commit of this query
    /// when not given: the served one, or the one of the enclosing `at`), and the commits
    /// between them, so that a static frontend builds again only those pages. Refs are read as
    /// `at(ref:)` reads them, with the same access rules.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        from: String,
        to: Option<String>,
    ) -> Result<ChangesObject> {
        super::changes::between(ctx, &from, to.as_deref()).await
    }

    /// The commit being served.
    async fn revision(&self, ctx: &Context<'_>) -> Result<Revision> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        let view = shared::<Arc<View>>(ctx)?;
        Ok(Revision {
            next_scheduled_change: view
                .next_change()
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
            ..Revision::from(snapshot.revision())
        })
    }

    /// Files that were left out, or are served without one of their fields, and links to no
    /// page or section, with what to fix; sorted by path and line. (What only rendering finds,
    /// such as a broken shortcode or anchor, is in `Post.problems` and `quire check --render`.)
    async fn problems(&self, ctx: &Context<'_>) -> Result<Vec<ContentProblem>> {
        let snapshot = Arc::clone(shared::<Arc<Snapshot>>(ctx)?);
        let broken = tokio::task::spawn_blocking({
            let snapshot = Arc::clone(&snapshot);
            move || snapshot.broken_links()
        })
        .await
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
        let mut problems: Vec<ContentProblem> = snapshot
            .problems()
            .iter()
            .chain(&broken)
            .cloned()
            .map(ContentProblem::from)
            .collect();
        problems.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
        Ok(problems)
    }
}

/// A page of the published posts with a term (`filter` selects them); `NOT_FOUND` for a term
/// no post has. `kind` names the term and the field that lists them all, for the message.
async fn term_page(
    ctx: &Context<'_>,
    taxonomy: &Taxonomy,
    (kind, list): (&str, &str),
    (term, filter): (&str, Filter),
    first: Option<i32>,
    after: Option<&str>,
) -> Result<Option<PostConnection>> {
    let snapshot = shared::<Arc<Snapshot>>(ctx)?;
    let view = shared::<Arc<View>>(ctx)?;
    let known = taxonomy
        .find(term)
        .is_some_and(|(_, posts)| view.count_shown(posts) > 0);
    if !known {
        // Arguments first: a wrong `first` is reported even for an unknown term.
        PostConnection::page(snapshot, Some(&[]), first, after)?;
        return Err(listing::unknown_term(kind, list, term));
    }
    let (positions, _) = listing::select(ctx, &filter, Order::DateDesc).await?;
    PostConnection::page(snapshot, Some(&positions), first, after).map(Some)
}

/// The complexity of a page of posts: 1 for the field, plus its selection once per post asked for.
fn page_complexity(first: Option<i32>, child_complexity: usize) -> usize {
    let first = first.map_or(20, |n| n.clamp(1, 100));
    usize::try_from(first)
        .unwrap_or(100)
        .saturating_mul(child_complexity)
        .saturating_add(1)
}

/// The commit being served.
#[derive(Clone, SimpleObject)]
pub(crate) struct Revision {
    /// Full commit id.
    commit: String,
    /// The branch served; null for a detached HEAD.
    branch: Option<String>,
    /// Committer date of the commit, RFC 3339.
    committed_at: String,
    /// When this commit was loaded, RFC 3339 in UTC.
    loaded_at: String,
    /// Folder of the repository the posts are read from (empty for the whole tree).
    root: String,
    /// Posts served.
    post_count: usize,
    /// Problems found when the commit was loaded (files left out or served without a field).
    /// `problems` also lists links to no page, which are found once every post's links are read.
    problem_count: usize,
    /// Posts marked `draft: true` that are not served (start with `--drafts` to serve them).
    drafts_left_out: usize,
    /// The Hugo configuration files read (`hugo.toml`, `config/_default/params.yaml`...), from
    /// the repository root; empty when none was found (default URLs, `--root` or content-repo).
    site_config: Vec<String>,
    /// URL patterns by top-level section (the Hugo configuration's, with `--permalinks` over
    /// them); a section not listed has Hugo's default URLs.
    permalinks: Vec<Permalink>,
    /// The next instant a post is published or expires (RFC 3339, UTC), when one is scheduled:
    /// answers may change then without a new commit, and no cache keeps them past it.
    next_scheduled_change: Option<String>,
}

/// A URL pattern of a top-level section.
#[derive(Clone, SimpleObject)]
pub(crate) struct Permalink {
    /// The top-level section (`posts`).
    section: String,
    /// The pattern as written (`/:year/:month/:slug/`).
    pattern: String,
}

impl From<&index::Revision> for Revision {
    fn from(r: &index::Revision) -> Self {
        Revision {
            commit: r.commit.clone(),
            branch: r.branch.clone(),
            committed_at: r.committed_at.to_rfc3339(),
            loaded_at: r
                .loaded_at
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            root: r.root.clone(),
            post_count: r.post_count,
            problem_count: r.problem_count,
            drafts_left_out: r.drafts_left_out,
            site_config: r.site_config.clone(),
            permalinks: r
                .permalinks
                .iter()
                .map(|(section, pattern)| Permalink {
                    section: section.clone(),
                    pattern: pattern.clone(),
                })
                .collect(),
            next_scheduled_change: None,
        }
    }
}

/// A file that was left out, or is served without one of its fields, or a post whose body
/// could not be rendered as written.
#[derive(SimpleObject)]
pub(crate) struct ContentProblem {
    /// Path of the file from the repository root.
    path: String,
    /// Line of the file the problem is on, when known.
    line: Option<usize>,
    /// What is wrong and how to fix it.
    message: String,
}

impl From<crate::index::Problem> for ContentProblem {
    fn from(p: crate::index::Problem) -> Self {
        ContentProblem {
            path: p.path,
            line: p.line,
            message: p.message,
        }
    }
}
