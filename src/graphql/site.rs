//! The site around the posts: sections (`_index.md`), URL and alias lookup, translations.

use std::sync::Arc;

use async_graphql::{Context, Json, Object, Result, SimpleObject};

use super::post::{FootnoteMode, PostConnection, PostObject};
use super::{bad_input, code, coded, shared};
use crate::index::{Placed, Section, Snapshot, Target, View};

/// A section of the site: a folder with an `_index.md`, a top-level folder (a section even
/// without one, as in Hugo), or the home page (path `""`), in one language.
#[derive(Clone)]
pub(crate) struct SectionObject(pub(crate) usize);

impl SectionObject {
    fn section<'s>(&self, snapshot: &'s Snapshot) -> &'s Section {
        &snapshot.site().sections[self.0]
    }

    fn own_page(&self, ctx: &Context<'_>) -> Result<Option<PostObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        Ok(self.section(snapshot).page.clone().map(PostObject))
    }
}

/// A section of the site: a folder with an `_index.md`, a top-level folder (a section even
/// without one, as in Hugo), or the home page (path `""`), in one language.
#[Object(name = "Section")]
impl SectionObject {
    /// Folder under the content folder (`posts`, `docs/v1`); `""` for the home page.
    async fn path(&self, ctx: &Context<'_>) -> Result<String> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        Ok(self.section(snapshot).path.clone())
    }

    /// The section's folder from the repository root (`content/posts`).
    async fn dir(&self, ctx: &Context<'_>) -> Result<String> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        Ok(self.section(snapshot).dir.clone())
    }

    /// Language code of the section.
    async fn language(&self, ctx: &Context<'_>) -> Result<String> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        Ok(self.section(snapshot).language.clone())
    }

    /// Title from its `_index.md`, else the folder name capitalized, as Hugo titles it.
    async fn title(&self, ctx: &Context<'_>) -> Result<String> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        let section = self.section(snapshot);
        Ok(match &section.page {
            Some(page) if !page.title.is_empty() => page.title.clone(),
            _ => section.title.clone(),
        })
    }

    /// `linkTitle` from its `_index.md`, else `title`.
    async fn link_title(&self, ctx: &Context<'_>) -> Result<String> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        let section = self.section(snapshot);
        let page = section.page.as_ref();
        Ok(page
            .and_then(|p| p.placement.link_title.clone())
            .or_else(|| page.map(|p| p.title.clone()).filter(|t| !t.is_empty()))
            .unwrap_or_else(|| section.title.clone()))
    }

    /// Root-relative URL Hugo publishes the section at; null when its `_index.md` says it is
    /// not published (`build.render: never`, `headless`).
    async fn url(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        Ok(self.section(snapshot).url.clone())
    }

    /// `weight` of its `_index.md` (0 when not set).
    async fn weight(&self, ctx: &Context<'_>) -> Result<i64> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        Ok(self
            .section(snapshot)
            .page
            .as_ref()
            .map_or(0, |p| p.placement.weight))
    }

    /// Its `_index.md` as a post (its body, summary, table of contents, front matter...);
    /// null for a top-level folder without one.
    async fn page(&self, ctx: &Context<'_>) -> Result<Option<PostObject>> {
        self.own_page(ctx)
    }

    /// Its `_index.md` rendered (see `Post.html`); `""` without one.
    async fn html(&self, ctx: &Context<'_>) -> Result<String> {
        match self.own_page(ctx)? {
            Some(page) => page.html(ctx, Some(FootnoteMode::Section)).await,
            None => Ok(String::new()),
        }
    }

    /// Front matter of its `_index.md` (`{}` without one).
    async fn front_matter(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Json<serde_json::Map<String, serde_json::Value>>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        Ok(Json(
            self.section(snapshot)
                .page
                .as_ref()
                .map(|p| p.front_matter.clone())
                .unwrap_or_default(),
        ))
    }

    /// The section this one is in; null for the home page.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<SectionObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        Ok(self.section(snapshot).parent.map(SectionObject))
    }

    /// The sections directly below, lightest `weight` first (0 last, as Hugo), then by path.
    async fn sections(&self, ctx: &Context<'_>) -> Result<Vec<SectionObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        let sections = &snapshot.site().sections;
        let mut children = self.section(snapshot).children.clone();
        children.sort_by_key(|&i| {
            let s = &sections[i];
            let weight = s.page.as_ref().map_or(0, |p| p.placement.weight);
            (weight == 0, weight, s.path.clone())
        });
        Ok(children.into_iter().map(SectionObject).collect())
    }

    /// Listed posts of this section, newest first: those directly in it, or with `recursive`
    /// those of the sections below too. `first` defaults to 20, at most 100.
    async fn posts(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] recursive: bool,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<PostConnection> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        let section = self.section(snapshot);
        let inside = |post: &Placed| {
            post.language == section.language
                && if recursive {
                    section.path.is_empty()
                        || post.parent == section.path
                        || post.parent.starts_with(&format!("{}/", section.path))
                } else {
                    post.parent == section.path
                }
        };
        let view = shared::<Arc<View>>(ctx)?;
        let positions: Vec<usize> = snapshot
            .posts()
            .iter()
            .enumerate()
            .filter(|(i, p)| inside(p) && !view.hides_position(*i))
            .map(|(i, _)| i)
            .collect();
        PostConnection::page(snapshot, Some(&positions), first, after.as_deref())
    }

    /// Posts directly in this section by `weight`, lightest first (0 last, as Hugo), then
    /// newest, then by path: a docs sidebar. The first 1,000 (use `posts` to page through more).
    async fn pages(&self, ctx: &Context<'_>) -> Result<Vec<PostObject>> {
        let snapshot = shared::<Arc<Snapshot>>(ctx)?;
        let section = self.section(snapshot);
        let view = shared::<Arc<View>>(ctx)?;
        let mut pages: Vec<&Arc<Placed>> = snapshot
            .posts()
            .iter()
            .filter(|p| p.language == section.language && p.parent == section.path)
            .filter(|p| !view.hides(p))
            .collect();
        // `posts` is newest first: a stable sort by weight keeps that within a weight.
        pages.sort_by_key(|p| (p.placement.weight == 0, p.placement.weight));
        Ok(pages
            .into_iter()
            .take(1000)
            .cloned()
            .map(PostObject)
            .collect())
    }
}

/// What `postByUrl` found.
#[derive(SimpleObject)]
pub(crate) struct UrlMatch {
    /// The post published at the URL (or at the URL an alias points to).
    post: Option<PostObject>,
    /// The section published at the URL, when it names a section.
    section: Option<SectionObject>,
    /// For an alias: the canonical URL, to answer with a 301 redirect. Null when the URL is
    /// the page's own.
    redirect: Option<String>,
}

/// Looks `url` up: a page or section URL, or an alias of one.
pub(crate) fn by_url(snapshot: &Snapshot, view: &View, url: &str) -> Result<Option<UrlMatch>> {
    if url.trim().is_empty() {
        return Err(bad_input(
            "`url` is empty: give a path such as /posts/hello/ or a full URL",
        ));
    }
    let Some((target, alias)) = snapshot.site().find(url) else {
        return Ok(None);
    };
    Ok(Some(match target {
        Target::Page(page) if view.hides(page) => return Ok(None),
        Target::Page(page) => UrlMatch {
            redirect: alias.then(|| page.url.clone()).flatten(),
            post: Some(PostObject(Arc::clone(page))),
            section: None,
        },
        Target::Section(i) => UrlMatch {
            redirect: alias
                .then(|| snapshot.site().sections[*i].url.clone())
                .flatten(),
            post: None,
            section: Some(SectionObject(*i)),
        },
    }))
}

/// The post for `post(slug:, section:, path:)`.
pub(crate) fn find_post(
    snapshot: &Snapshot,
    view: &View,
    slug: Option<&str>,
    section: Option<&str>,
    path: Option<&str>,
) -> Result<Option<PostObject>> {
    if let Some(path) = path {
        if slug.is_some() || section.is_some() {
            return Err(bad_input(
                "give either `path`, or `slug` (with `section` when the slug is shared), not both",
            ));
        }
        return Ok(snapshot
            .page_at(path)
            .and_then(|p| view.shown(p))
            .cloned()
            .map(PostObject));
    }
    let Some(slug) = slug else {
        return Err(bad_input(
            "give `slug` (with `section` when the slug is shared) or `path`; to look a post up by URL use `postByUrl`",
        ));
    };
    let section = section.map(|s| s.trim_matches('/'));
    let mut found: Vec<&Arc<Placed>> = snapshot
        .posts_with_slug(slug)
        .chain(snapshot.posts_with_slug(&crate::content::urlize(slug)))
        .filter(|p| section.is_none_or(|s| p.section == s || p.parent == s))
        .filter(|p| !view.hides(p))
        .collect();
    found.dedup_by(|a, b| Arc::ptr_eq(a, b));
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found.dedup_by(|a, b| Arc::ptr_eq(a, b));
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(PostObject(Arc::clone(one)))),
        several => {
            let urls: Vec<String> = several
                .iter()
                .map(|p| p.url.clone().unwrap_or_else(|| p.path.clone()))
                .collect();
            Err(coded(
                format!(
                    "{} posts have the slug `{slug}`: {}; look one up with `postByUrl(url:)`, or `post(slug:, section:)` with its section",
                    several.len(),
                    urls.join(", ")
                ),
                code::BAD_USER_INPUT,
            ))
        }
    }
}

/// Sections of `language` (every language when `None`), home pages first, parents before
/// children.
pub(crate) fn sections(snapshot: &Snapshot, language: Option<&str>) -> Vec<SectionObject> {
    snapshot
        .site()
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| language.is_none_or(|l| s.language == l))
        .map(|(i, _)| SectionObject(i))
        .collect()
}

/// A version of a post in another language.
#[derive(SimpleObject)]
pub(crate) struct Translation {
    /// Language code.
    language: String,
    /// Its URL; null when it is not published.
    url: Option<String>,
    /// The post.
    post: PostObject,
}

/// The translations of `page`, in the site's language order.
pub(crate) fn translations(snapshot: &Snapshot, view: &View, page: &Placed) -> Vec<Translation> {
    snapshot
        .site()
        .translations(page)
        .filter(|p| !view.hides(p))
        .map(|p| Translation {
            language: p.language.clone(),
            url: p.url.clone(),
            post: PostObject(Arc::clone(p)),
        })
        .collect()
}

/// A post's terms in one taxonomy of the site.
#[derive(SimpleObject)]
pub(crate) struct PostTaxonomy {
    /// The taxonomy's front matter key, plural as the configuration names it (`tags`).
    name: String,
    /// Its singular name (`tag`).
    singular: String,
    /// The post's terms, as written.
    terms: Vec<String>,
}

/// `page`'s terms in each taxonomy of the site.
pub(crate) fn taxonomies(snapshot: &Snapshot, page: &Placed) -> Vec<PostTaxonomy> {
    snapshot
        .site()
        .layout
        .taxonomies
        .iter()
        .filter_map(|(singular, plural)| {
            let terms = page.terms_of(plural);
            (!terms.is_empty()).then(|| PostTaxonomy {
                name: plural.clone(),
                singular: singular.clone(),
                terms,
            })
        })
        .collect()
}
