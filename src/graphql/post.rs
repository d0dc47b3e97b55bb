//! The `Post` type and what hangs off it: terms, footnotes, weeks and connections.

use std::sync::Arc;

use async_graphql::{Context, Enum, Json, Object, Result, SimpleObject};

use super::{bad_input, code, coded, shared};
use crate::cache::RenderCache;
use crate::content::{self, Post};
use crate::index::{Snapshot, Taxonomy, Term};

/// A Markdown post read from the repository.
#[derive(Clone)]
pub(crate) struct PostObject(pub(crate) Arc<Post>);

/// Where the footnotes go in `Post.html`.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FootnoteMode {
    /// The body only; read the footnotes from `Post.footnotes`.
    Separate,
    /// The body followed by a `<section class="footnotes">` with an ordered list of the footnotes,
    /// each linking back to its references.
    Section,
}

impl From<FootnoteMode> for content::FootnoteMode {
    fn from(mode: FootnoteMode) -> Self {
        match mode {
            FootnoteMode::Separate => content::FootnoteMode::Separate,
            FootnoteMode::Section => content::FootnoteMode::Section,
        }
    }
}

/// A Markdown post read from the repository.
#[Object(name = "Post")]
impl PostObject {
    /// URL slug, unique among posts: the front matter `slug`, else the title urlized as Hugo's
    /// `:slug` permalink token does, else the file name (the folder name for `folder/index.md`).
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Title from the front matter; empty when there is none.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Date from the front matter as RFC 3339, in the offset it was written with. Dates without a
    /// zone are UTC. Null when the post has no readable date.
    async fn date(&self) -> Option<String> {
        self.0.date.map(|d| d.to_rfc3339())
    }

    /// ISO 8601 week of the date, in the offset it was written with.
    async fn iso_week(&self) -> Option<IsoWeekObject> {
        self.0.date.map(|d| {
            let w = d.iso_week();
            IsoWeekObject {
                year: w.year,
                week: w.week,
            }
        })
    }

    /// Path of the file from the repository root.
    async fn path(&self) -> &str {
        &self.0.path
    }

    /// Git blob id of the file: its content address. Equal ids mean equal content.
    async fn blob_id(&self) -> String {
        self.0.blob.to_string()
    }

    /// Categories, as terms shared by all posts (same spellings merged).
    async fn categories(&self, ctx: &Context<'_>) -> Result<Vec<TermObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        Ok(terms_of(snapshot.categories(), &self.0.categories))
    }

    /// Keywords, as terms shared by all posts.
    async fn keywords(&self, ctx: &Context<'_>) -> Result<Vec<TermObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        Ok(terms_of(snapshot.keywords(), &self.0.keywords))
    }

    /// Description from the front matter.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Author names joined with ", "; front matter `author` may be a name, a list, or a map with
    /// `name` (also read from `params.author`).
    async fn author(&self) -> Option<String> {
        (!self.0.authors.is_empty()).then(|| self.0.authors.join(", "))
    }

    /// Author names, one per entry.
    async fn authors(&self) -> &[String] {
        &self.0.authors
    }

    /// Summary from the front matter.
    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }

    /// Whether the front matter marks the post as a draft (drafts are served only with `--drafts`).
    async fn draft(&self) -> bool {
        self.0.draft
    }

    /// Other URLs of the post, from the front matter `aliases`.
    async fn aliases(&self) -> &[String] {
        &self.0.aliases
    }

    /// The body rendered to HTML (CommonMark, tables, strikethrough, task lists, footnotes).
    /// With `SEPARATE` (the default) the footnote definitions are left out: each reference is a
    /// `<sup class="footnote-ref"><a href="#fn-N" id="fnref-N">N</a></sup>`, and the footnotes
    /// are in `footnotes`. With `SECTION` a rendered footnotes section is appended.
    async fn html(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(FootnoteMode::Separate)")] footnotes: Option<FootnoteMode>,
    ) -> Result<String> {
        let mode = footnotes.unwrap_or(FootnoteMode::Separate).into();
        Ok(self.rendered(ctx, mode).await?.html.clone())
    }

    /// The footnotes, numbered in order of first reference; unreferenced definitions are left out.
    async fn footnotes(&self, ctx: &Context<'_>) -> Result<Vec<FootnoteObject>> {
        let rendered = self.rendered(ctx, content::FootnoteMode::Separate).await?;
        Ok(rendered
            .footnotes
            .iter()
            .cloned()
            .map(FootnoteObject)
            .collect())
    }

    /// Every front matter key, known or not, with its original spelling.
    async fn front_matter(&self) -> Json<serde_json::Map<String, serde_json::Value>> {
        Json(self.0.front_matter.clone())
    }
}

impl PostObject {
    /// This post rendered, from the cache or read from git and rendered now. When its blob cannot
    /// be read again, the error names the file but not where the repository is on the server;
    /// the log has the whole chain. `html` and `footnotes` are non-null, so the error nulls the
    /// post, as GraphQL does with a failed non-null field.
    async fn rendered(
        &self,
        ctx: &Context<'_>,
        mode: content::FootnoteMode,
    ) -> Result<Arc<content::Rendered>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        shared::<RenderCache>(ctx)?
            .get(snapshot, &self.0, mode)
            .await
            .map_err(|err| {
                tracing::error!("{}", crate::error_chain(&*err));
                coded(
                    format!(
                        "the Markdown of {} (blob {}) could not be read from the repository to render it: it is tried again at the next request, and a refresh to a new commit reads the posts again; the server log has the details",
                        self.0.path, self.0.blob
                    ),
                    code::INTERNAL,
                )
            })
    }
}

/// The terms of a post, in the order written, each once.
fn terms_of(taxonomy: &Taxonomy, written: &[String]) -> Vec<TermObject> {
    let mut seen = Vec::new();
    written
        .iter()
        .filter_map(|w| taxonomy.find(w))
        .filter(|(term, _)| {
            let new = !seen.contains(&term.slug);
            if new {
                seen.push(term.slug.clone());
            }
            new
        })
        .map(|(term, _)| TermObject::from(term))
        .collect()
}

/// A category or keyword. Spellings that urlize to the same slug are one term.
#[derive(SimpleObject)]
#[graphql(name = "Term")]
pub(crate) struct TermObject {
    /// The most common spelling among the posts.
    name: String,
    /// The term urlized: pass either this or `name` to `postsByCategory` / `postsByKeyword`.
    slug: String,
    /// Number of posts with this term.
    count: usize,
}

impl From<&Term> for TermObject {
    fn from(term: &Term) -> Self {
        TermObject {
            name: term.name.clone(),
            slug: term.slug.clone(),
            count: term.count,
        }
    }
}

/// An ISO 8601 week.
#[derive(SimpleObject)]
#[graphql(name = "IsoWeek")]
pub(crate) struct IsoWeekObject {
    /// ISO week-numbering year (2021-01-01 is in 2020-W53).
    year: i32,
    /// Week of the year, 1 to 53.
    week: u32,
}

/// A footnote of a post.
pub(crate) struct FootnoteObject(content::Footnote);

/// A footnote of a post, in reference order.
#[Object(name = "Footnote")]
impl FootnoteObject {
    /// 1-based, in order of first reference; a footnote referenced twice keeps one number.
    async fn number(&self) -> usize {
        self.0.number
    }

    /// The label as written: `1` for `[^1]`, `note` for `[^note]`.
    async fn label(&self) -> &str {
        &self.0.label
    }

    /// The footnote's content rendered to HTML.
    async fn html(&self) -> &str {
        &self.0.html
    }

    /// The id references link to (`fn-N`): give the footnote's element this id.
    async fn anchor(&self) -> String {
        self.0.anchor()
    }

    /// Ids of the references to this footnote in the body (`fnref-N`, `fnref-N-2`, ...), for
    /// links back from the footnote.
    async fn reference_anchors(&self) -> Vec<String> {
        self.0.reference_anchors()
    }
}

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
    has_next_page: bool,
    /// Posts precede this page.
    has_previous_page: bool,
    /// Cursor of the first post of the page.
    start_cursor: Option<String>,
    /// Cursor of the last post of the page: pass it as `after` for the next page.
    end_cursor: Option<String>,
}

impl PostConnection {
    pub(super) fn page(
        snapshot: &Snapshot,
        posts: Option<&[usize]>,
        first: Option<i32>,
        after: Option<&str>,
    ) -> Result<Self> {
        let page = snapshot
            .page(posts, first, after)
            .map_err(|e| bad_input(e.to_string()))?;
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
        Ok(PostConnection {
            edges,
            nodes,
            page_info,
            total_count: page.total_count,
        })
    }
}
