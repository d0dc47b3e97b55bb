//! The `Post` type and what hangs off it: terms, footnotes, weeks and connections.

use std::sync::Arc;

use async_graphql::{Context, Json, Object, Result};

mod connection;
mod history;
mod links;
mod page;
mod terms;

pub(crate) use connection::{PageInfo, PostConnection};
pub(crate) use links::{Adjacency, FootnoteMode};
use links::{Backlink, PostLink, Urls};
use page::{
    FootnoteObject, HeadingObject, ResourceObject, ShortcodeObject, SummaryFormat, TocEntry,
};
pub(crate) use terms::TermObject;
use terms::{IsoWeekObject, terms_of};

use super::{bad_input, code, coded, shared};
use crate::cache::RenderCache;
use crate::content;
use crate::graphql::query::ContentProblem;
use crate::graphql::site::{self, PostTaxonomy, SectionObject, Translation};
use crate::index::Placed;
use crate::index::{Snapshot, View};
use crate::source::SourceError;

/// Runs git work on a blocking thread.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, SourceError> + Send + 'static,
) -> Result<T, SourceError> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()))
}

/// Runs work that reads git or waits for the link graph on a blocking thread; a post that
/// cannot be read is an `INTERNAL` error whose details are in the log.
async fn blocking_graph<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, crate::index::RenderError> + Send + 'static,
) -> Result<T> {
    super::after_load("every post's links are", work)
        .await?
        .map_err(|err| {
            tracing::error!("{}", crate::error_chain(&err));
            coded(
                format!(
                    "{} could not be read from the repository to find its links: the server log has the details",
                    err.path
                ),
                code::INTERNAL,
            )
        })
}

/// A Markdown post read from the repository.
#[derive(Clone)]
pub(crate) struct PostObject(pub(crate) Arc<Placed>);

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

    /// When the post is published, RFC 3339 as written: front matter `publishDate` (or
    /// `pubdate`, `published`), else `date`. Before it the post is hidden everywhere (unless
    /// Quire runs with `--future`); it appears at this instant with no push.
    async fn publish_date(&self) -> Option<String> {
        self.0.publish_date.map(|d| d.to_rfc3339())
    }

    /// When the post stops being published, RFC 3339 as written: front matter `expiryDate` (or
    /// `unpublishdate`). From this instant on the post is hidden everywhere (unless Quire runs
    /// with `--expired`). Null when it never expires.
    async fn expiry_date(&self) -> Option<String> {
        self.0.expiry_date.map(|d| d.to_rfc3339())
    }

    /// When the post was last modified, RFC 3339 as written: front matter `lastmod` (or
    /// `modified`); without one, `updatedAt` (the last commit that changed the file: Hugo's
    /// `:git`); without a history, `date`, else `publishDate`. A site's `[frontmatter]` table
    /// may order these otherwise (`lastmod = [":git", "lastmod"]`, Hugo's default with
    /// `enableGitInfo`, makes git win). Ordering by `LASTMOD` reads the front matter only, not
    /// git, and so does `sitemap.xml`.
    async fn lastmod(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        history::lastmod(ctx, &self.0).await
    }

    /// When the post's file was added: the author date (RFC 3339, in the author's offset) of
    /// the oldest commit of `history`. Null without a history.
    async fn created_at(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        history::created_at(ctx, &self.0).await
    }

    /// When the post's file last changed: the author date (RFC 3339, in the author's offset)
    /// of the newest commit of `history`. Null without a history.
    async fn updated_at(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        history::updated_at(ctx, &self.0).await
    }

    /// The commits that changed the post's file, newest first (by commit time), up to the
    /// commit served, following renames as `git log --follow` does (a move to a file at least
    /// 50% similar). A commit is diffed against its first parent; a merge is listed only when
    /// the file differs from every parent. A file removed and added again keeps its older
    /// commits. `first` is 0 to 100 (20 by default); `after` is a cursor of this history.
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<history::PostHistoryConnection> {
        history::history(ctx, &self.0, first, after.as_deref()).await
    }

    /// The authors of the commits of `history`, one per name and email address, with how many
    /// commits each wrote: most commits first, then the one who changed the post last.
    async fn contributors(&self, ctx: &Context<'_>) -> Result<Vec<history::ContributorObject>> {
        history::contributors(ctx, &self.0).await
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

    /// Root-relative URL Hugo publishes the post at (`/posts/hello/`), from the permalink
    /// patterns (`--permalinks`, or the Hugo configuration's), front matter `url`, `slug`, the
    /// language's prefix and `uglyURLs`. Null when the post is not published
    /// (`build.render: never`, `headless`). Unique among posts and sections.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }

    /// `url` under the Hugo configuration's `baseURL` (`https://example.com/posts/hello/`);
    /// null without a `baseURL` or a `url`.
    async fn permalink(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        let base = snapshot.site().layout.base_url.as_ref();
        Ok(base
            .zip(self.0.url.as_deref())
            .and_then(|(base, url)| base.join(url).ok())
            .map(String::from))
    }

    /// Top-level section: the first folder under the content folder (`posts`); `""` for a
    /// post at the top.
    async fn section(&self) -> &str {
        &self.0.section
    }

    /// The section the post is in: the nearest folder above it with an `_index.md`, or its
    /// top-level folder.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<SectionObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        Ok(snapshot
            .site()
            .section(&self.0.parent, Some(&self.0.language))
            .map(|(i, _)| SectionObject(i)))
    }

    /// Language code: from the language folder the post is in, or its file name
    /// (`hello.fr.md`), else the site's default language.
    async fn language(&self) -> &str {
        &self.0.language
    }

    /// The post in the site's other languages (same path under each language's folder, or the
    /// same `translationKey`), in the site's language order.
    async fn translations(&self, ctx: &Context<'_>) -> Result<Vec<Translation>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        Ok(site::translations(
            snapshot,
            shared::<Arc<View>>(ctx)?,
            &self.0,
        ))
    }

    /// The post's terms in every taxonomy the site defines (the Hugo configuration's
    /// `taxonomies`, by default `categories` and `tags`), in the configuration's order, each
    /// with the terms as written; taxonomies the post has no term in are left out.
    async fn taxonomies(&self, ctx: &Context<'_>) -> Result<Vec<PostTaxonomy>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        Ok(site::taxonomies(snapshot, &self.0))
    }

    /// Front matter `linkTitle`, else `title`: a short title for menus.
    async fn link_title(&self) -> &str {
        self.0
            .placement
            .link_title
            .as_deref()
            .unwrap_or(&self.0.title)
    }

    /// Front matter `weight`: order within a section, lightest first; 0 when not set.
    async fn weight(&self) -> i64 {
        self.0.placement.weight
    }

    /// Git blob id of the file: its content address. Equal ids mean equal content.
    async fn blob_id(&self) -> String {
        self.0.blob.to_string()
    }

    /// Categories, as terms shared by all posts (same spellings merged).
    async fn categories(&self, ctx: &Context<'_>) -> Result<Vec<TermObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        let view = shared::<Arc<View>>(ctx)?;
        Ok(terms_of(snapshot.categories(), &self.0.categories, view))
    }

    /// Keywords, as terms shared by all posts.
    async fn keywords(&self, ctx: &Context<'_>) -> Result<Vec<TermObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        let view = shared::<Arc<View>>(ctx)?;
        Ok(terms_of(snapshot.keywords(), &self.0.keywords, view))
    }

    /// Description from the front matter.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Author names joined with ", "; front matter `author` may be a name, a list, or a map with
    /// `name` (else read from `authors`, then `params.author`).
    async fn author(&self) -> Option<String> {
        (!self.0.authors.is_empty()).then(|| self.0.authors.join(", "))
    }

    /// Author names, one per entry.
    async fn authors(&self) -> &[String] {
        &self.0.authors
    }

    /// The summary, as Hugo picks it: the front matter `summary` (Markdown), else the body
    /// before `<!--more-->`, else the first blocks of the body up to about 70 words (a long first
    /// paragraph is cut at the end of a sentence). Footnote references are left out; headings in
    /// it have no `id`. Changed: this was the front matter `summary` alone (see the README's
    /// changelog).
    async fn summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] format: SummaryFormat,
    ) -> Result<String> {
        let rendered = self.rendered(ctx, content::FootnoteMode::Separate).await?;
        Ok(match format {
            SummaryFormat::Html => self.linked(ctx, &rendered, &rendered.summary.html).await?,
            SummaryFormat::Plain => rendered.summary.plain.clone(),
        })
    }

    /// Whether the body says more than `summary`: show a "read more" link.
    async fn truncated(&self, ctx: &Context<'_>) -> Result<bool> {
        let rendered = self.rendered(ctx, content::FootnoteMode::Separate).await?;
        Ok(rendered.summary.truncated)
    }

    /// Every heading of the body in order (also those inside blockquotes, lists and footnotes;
    /// not those inside shortcodes), with the `id` its element has in `html`: GitHub's slug of
    /// its text, unique within the post (`intro`, `intro-1`), or the `{#id}` written after it.
    async fn headings(&self, ctx: &Context<'_>) -> Result<Vec<HeadingObject>> {
        let rendered = self.rendered(ctx, content::FootnoteMode::Separate).await?;
        let urls = self.urls(ctx, &rendered).await?;
        Ok(rendered
            .headings
            .iter()
            .map(|heading| {
                let mut heading = HeadingObject::from(heading);
                heading.html = urls.apply(&rendered, &heading.html);
                heading
            })
            .collect())
    }

    /// The table of contents: headings from `minLevel` to `maxLevel` (1 to 6), nested by level,
    /// with the ids of `html`. Headings inside blockquotes, lists, footnotes and shortcodes are
    /// left out.
    async fn toc(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 2)] min_level: i32,
        #[graphql(default = 3)] max_level: i32,
    ) -> Result<Vec<TocEntry>> {
        let level = |n: i32| u8::try_from(n).ok().filter(|n| (1..=6).contains(n));
        let (Some(min), Some(max)) = (level(min_level), level(max_level)) else {
            return Err(bad_input(format!(
                "toc levels must be from 1 to 6 (got minLevel {min_level}, maxLevel {max_level})"
            )));
        };
        if min > max {
            return Err(bad_input(format!(
                "toc minLevel ({min}) is above maxLevel ({max}): give minLevel <= maxLevel"
            )));
        }
        let rendered = self.rendered(ctx, content::FootnoteMode::Separate).await?;
        Ok(page::toc(&rendered.headings, min, max))
    }

    /// The body as plain text: no markup, no footnote markers, shortcodes reduced to their
    /// text; blocks on lines of their own, separated by a blank line where the body had one.
    async fn plain_text(&self, ctx: &Context<'_>) -> Result<String> {
        let rendered = self.rendered(ctx, content::FootnoteMode::Separate).await?;
        Ok(rendered.plain_text.clone())
    }

    /// Words of `plainText`: runs between white space, as Hugo counts them; a run that holds
    /// CJK text counts each of its characters, as Hugo counts a CJK page.
    async fn word_count(&self, ctx: &Context<'_>) -> Result<usize> {
        let rendered = self.rendered(ctx, content::FootnoteMode::Separate).await?;
        Ok(rendered.count.total())
    }

    /// Minutes to read the post, rounded up, at least 1: `--words-per-minute` (212 by
    /// default) for words, 500 a minute for CJK characters.
    async fn reading_time(&self, ctx: &Context<'_>) -> Result<usize> {
        let rendered = self.rendered(ctx, content::FootnoteMode::Separate).await?;
        Ok(rendered.reading_minutes)
    }

    /// Every shortcode the post uses, built in or not, in order, nested ones after their parent.
    /// Hugo's built-in ones (figure, youtube, vimeo, tweet, x, twitter, gist, instagram,
    /// highlight, param, ref, relref, details, comment) are rendered in `html`; any other is a
    /// `<div data-shortcode>` (a `<span>` inline) for the frontend to render.
    async fn shortcodes(&self, ctx: &Context<'_>) -> Result<Vec<ShortcodeObject>> {
        let rendered = self.rendered(ctx, content::FootnoteMode::Separate).await?;
        Ok(rendered
            .shortcodes
            .iter()
            .map(ShortcodeObject::from)
            .collect())
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
    /// Every heading has an `id` (see `headings`); shortcodes are expanded (see `shortcodes`);
    /// fenced code is highlighted as `--highlight` says; links and images naming the post's
    /// files (`photo.png`, `../img/x.png`, `/img/x.png` from the static folder) point to
    /// `/files/{commit}/{path}`; raw HTML is kept, sanitized or omitted as `--raw-html` says.
    /// With `SEPARATE` (the default) the footnote definitions are left out: each reference is a
    /// `<sup class="footnote-ref"><a href="#fn-N" id="fnref-N">N</a></sup>`, and the footnotes
    /// are in `footnotes`. With `SECTION` a rendered footnotes section is appended.
    pub(crate) async fn html(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(FootnoteMode::Separate)")] footnotes: Option<FootnoteMode>,
    ) -> Result<String> {
        let mode = footnotes.unwrap_or(FootnoteMode::Separate).into();
        let rendered = self.rendered(ctx, mode).await?;
        self.linked(ctx, &rendered, &rendered.html).await
    }

    /// The footnotes, numbered in order of first reference; unreferenced definitions are left out.
    async fn footnotes(&self, ctx: &Context<'_>) -> Result<Vec<FootnoteObject>> {
        let rendered = self.rendered(ctx, content::FootnoteMode::Separate).await?;
        // The files are looked up once for all the footnotes.
        let urls = self.urls(ctx, &rendered).await?;
        Ok(rendered
            .footnotes
            .iter()
            .map(|footnote| {
                let mut footnote = footnote.clone();
                footnote.html = urls.apply(&rendered, &footnote.html);
                FootnoteObject(footnote)
            })
            .collect())
    }

    /// The files of the post's page bundle (a post written as `folder/index.md`): every file
    /// in its folder and below, except Markdown and folders that are bundles of their own,
    /// sorted by path. Empty for other posts.
    async fn resources(&self, ctx: &Context<'_>) -> Result<Vec<ResourceObject>> {
        let snapshot = Arc::clone(shared::<Arc<Snapshot>>(ctx)?);
        let post = Arc::clone(&self.0);
        let files = blocking(move || {
            let files = snapshot.bundle_files(&post)?;
            Ok(files
                .into_iter()
                .map(|f| ResourceObject {
                    url: snapshot.file_url(&f.path),
                    content_type: crate::index::content_type(&f.path).to_owned(),
                    size: f.size,
                    path: f.path,
                })
                .collect())
        })
        .await;
        files.map_err(|err| self.unreadable(&err))
    }

    /// What could not be rendered as written, with the line of the post file: links to files
    /// this commit does not have, links to no page or section, links to an anchor (`#id`) the
    /// page they name does not have, shortcodes that do not parse, unknown code options.
    /// `quire check --render` lists these for every post.
    async fn problems(&self, ctx: &Context<'_>) -> Result<Vec<ContentProblem>> {
        let rendered = self.rendered(ctx, content::FootnoteMode::Separate).await?;
        let urls = self.urls(ctx, &rendered).await?;
        links::problems(ctx, &self.0, &rendered, &urls).await
    }

    /// The pages and sections this post links to, in the order of the body (a page linked
    /// twice is listed twice), each with the link's text. Links to nothing are in `problems`.
    async fn links(&self, ctx: &Context<'_>) -> Result<Vec<PostLink>> {
        links::links(ctx, &self.0).await
    }

    /// Up to `first` (1 to 20) posts related to this one, best first, never this one: ranked as
    /// Hugo ranks related content, by the Hugo configuration's `related` table, or by default
    /// keywords (weight 100), then categories (80), then the same year (10), with at least one
    /// shared keyword or category; like Hugo, posts newer than this one are left out.
    async fn related(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 5)] first: i32,
    ) -> Result<Vec<PostObject>> {
        let first = usize::try_from(first)
            .ok()
            .filter(|n| (1..=20).contains(n))
            .ok_or_else(|| bad_input(format!("`first` must be from 1 to 20, got {first}")))?;
        // The first call builds the index (milliseconds at 10,000 posts): off the runtime.
        let snapshot = Arc::clone(shared::<Arc<Snapshot>>(ctx)?);
        let view = Arc::clone(shared::<Arc<View>>(ctx)?);
        let post = Arc::clone(&self.0);
        // Ranked among every post: as many more as are hidden, so that `first` remain.
        let wanted = first + view.hidden_positions().len();
        let related = tokio::task::spawn_blocking(move || snapshot.related(&post, wanted))
            .await
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
        Ok(related
            .into_iter()
            .filter(|p| !view.hides(p))
            .take(first)
            .map(PostObject)
            .collect())
    }

    /// The post just before this one in date order (the next older), in its section and
    /// language, or with `across: ALL` among every post of its language. Null for the oldest,
    /// and for a post that is not listed.
    async fn previous(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] across: Adjacency,
    ) -> Result<Option<PostObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        let view = shared::<Arc<View>>(ctx)?;
        Ok(snapshot
            .adjacent(&self.0, across.into(), false, view)
            .map(PostObject))
    }

    /// The post just after this one in date order (the next newer), like `previous`. Null for
    /// the newest.
    async fn next(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] across: Adjacency,
    ) -> Result<Option<PostObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        let view = shared::<Arc<View>>(ctx)?;
        Ok(snapshot
            .adjacent(&self.0, across.into(), true, view)
            .map(PostObject))
    }

    /// The posts that link to this one, in the order of their paths, each with its link's text
    /// (a post linking twice is listed twice). Every post's links are read once per commit,
    /// after the server is ready: the first request that needs them waits for that.
    async fn backlinks(&self, ctx: &Context<'_>) -> Result<Vec<Backlink>> {
        links::backlinks(ctx, crate::index::Target::Page(Arc::clone(&self.0))).await
    }

    /// Every front matter key, known or not, with its original spelling.
    async fn front_matter(&self) -> Json<serde_json::Map<String, serde_json::Value>> {
        Json(self.0.front_matter.clone())
    }
}

impl PostObject {
    /// `html` (a part of `rendered`) with links to the post's files resolved against the
    /// snapshot's commit.
    async fn linked(
        &self,
        ctx: &Context<'_>,
        rendered: &Arc<content::Rendered>,
        html: &str,
    ) -> Result<String> {
        let urls = self.urls(ctx, rendered).await?;
        Ok(urls.apply(rendered, html))
    }

    /// The URLs of the files and pages `rendered` links to, at the snapshot's commit.
    async fn urls(&self, ctx: &Context<'_>, rendered: &Arc<content::Rendered>) -> Result<Urls> {
        let snapshot = Arc::clone(shared::<Arc<Snapshot>>(ctx)?);
        let pages = snapshot.link_urls(&self.0, rendered, shared::<Arc<View>>(ctx)?);
        if rendered.files.is_empty() {
            return Ok(Urls::new(Vec::new(), pages));
        }
        let rendered = Arc::clone(rendered);
        let post = Arc::clone(&self.0);
        let files = blocking(move || snapshot.file_urls(&post, &rendered))
            .await
            .map_err(|err| self.unreadable(&err))?;
        Ok(Urls::new(files, pages))
    }

    /// The error for a post whose files could not be looked up in git: the server log has the
    /// chain, the client the post's path.
    fn unreadable(&self, err: &SourceError) -> async_graphql::Error {
        tracing::error!("{}: {}", self.0.path, crate::error_chain(err));
        coded(
            format!(
                "the files of {} could not be looked up in the repository: it is tried again at the next request; the server log has the details",
                self.0.path
            ),
            code::INTERNAL,
        )
    }

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
