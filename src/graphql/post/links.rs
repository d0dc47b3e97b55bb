//! A post's links as data: the URLs its markers become, the pages it links to, the posts
//! linking to it, and what is wrong with its links; which posts `previous`/`next` step through
//! and where `html` puts the footnotes.

use std::sync::Arc;

use async_graphql::{Context, Enum, Result, SimpleObject};
use foldhash::HashMap;

use super::{PostObject, blocking_graph};
use crate::cache::RenderCache;
use crate::content::{self, Rendered};
use crate::graphql::query::ContentProblem;
use crate::graphql::shared;
use crate::graphql::site::SectionObject;
use crate::index::Across;
use crate::index::{Placed, Snapshot, Target, View, heading_ids};

/// The URLs a render's markers become: its files' and the pages' it links to.
pub(super) struct Urls {
    files: Vec<Option<String>>,
    pages: Vec<Option<String>>,
}

impl Urls {
    pub(super) fn new(files: Vec<Option<String>>, pages: Vec<Option<String>>) -> Urls {
        Urls { files, pages }
    }

    /// `html` (a part of `rendered`) with every marker made its URL; a link to nothing keeps
    /// its destination as written.
    pub(super) fn apply(&self, rendered: &Rendered, html: &str) -> String {
        crate::content::resolve_markers(
            html,
            rendered,
            |i| self.files.get(i).cloned().flatten(),
            |i| self.pages.get(i).cloned().flatten(),
        )
        .into_owned()
    }
}

/// A link from a post to a page or section.
#[derive(SimpleObject)]
pub(crate) struct PostLink {
    /// The post linked to; null for a section.
    post: Option<PostObject>,
    /// The section linked to (a link to its `_index.md` or its URL); null for a post.
    section: Option<SectionObject>,
    /// Its URL (root-relative).
    url: Option<String>,
    /// The link's text as plain text.
    text: String,
    /// Line of the post file the link is on.
    line: usize,
}

/// A post linking to this one.
#[derive(SimpleObject)]
pub(crate) struct Backlink {
    /// The post (or a section's `_index.md`) that links here.
    post: PostObject,
    /// The text of its link.
    text: String,
}

/// The pages and sections `page` links to, in order.
pub(super) async fn links(ctx: &Context<'_>, page: &Arc<Placed>) -> Result<Vec<PostLink>> {
    let snapshot = Arc::clone(shared::<Arc<Snapshot>>(ctx)?);
    let view = Arc::clone(shared::<Arc<View>>(ctx)?);
    let page = Arc::clone(page);
    let found = blocking_graph(move || {
        let links = snapshot.links_of(&page)?;
        Ok(links
            .iter()
            .filter_map(|link| {
                let target = snapshot.resolve_shown(&page, link, &view)?;
                let url = snapshot.target_url(&target);
                let (post, section) = match target {
                    Target::Page(p) => (Some(PostObject(p)), None),
                    Target::Section(i) => (None, Some(SectionObject(i))),
                };
                Some(PostLink {
                    post,
                    section,
                    url,
                    text: link.text.clone(),
                    line: link.line,
                })
            })
            .collect())
    })
    .await?;
    Ok(found)
}

/// The posts that link to `target`.
pub(crate) async fn backlinks(ctx: &Context<'_>, target: Target) -> Result<Vec<Backlink>> {
    let snapshot = Arc::clone(shared::<Arc<Snapshot>>(ctx)?);
    let view = Arc::clone(shared::<Arc<View>>(ctx)?);
    blocking_graph(move || {
        let graph = snapshot.link_graph();
        Ok(graph
            .backlinks(&target)
            .iter()
            .filter(|(from, _)| !view.hides(from))
            .map(|(from, text)| Backlink {
                post: PostObject(Arc::clone(from)),
                text: text.clone(),
            })
            .collect())
    })
    .await
}

/// What is wrong in `rendered` (a render of `page`): its render problems, broken links, and
/// anchors that the pages linked to (rendered through the cache) do not have.
pub(super) async fn problems(
    ctx: &Context<'_>,
    page: &Placed,
    rendered: &Rendered,
    urls: &Urls,
) -> Result<Vec<ContentProblem>> {
    let snapshot = shared::<Arc<Snapshot>>(ctx)?;
    let renders = shared::<RenderCache>(ctx)?;
    let mut ids: HashMap<String, Vec<String>> = HashMap::default();
    for link in rendered.links.iter().filter(|l| l.fragment.is_some()) {
        let target_page = match snapshot.resolve_link(page, link) {
            Some(Target::Page(p)) => p,
            Some(Target::Section(i)) => match &snapshot.site().sections[i].page {
                Some(p) => Arc::clone(p),
                None => continue,
            },
            None => continue,
        };
        if ids.contains_key(&target_page.path) {
            continue;
        }
        // A page that cannot be rendered has its own problem; its anchors are not checked.
        if let Ok(target) = renders
            .get(
                snapshot,
                &target_page,
                crate::content::FootnoteMode::Separate,
            )
            .await
        {
            ids.insert(target_page.path.clone(), heading_ids(&target));
        }
    }
    let anchors = |target: &Target| {
        let path = match target {
            Target::Page(p) => p.path.clone(),
            Target::Section(i) => snapshot.site().sections[*i].page.as_ref()?.path.clone(),
        };
        ids.get(&path).cloned()
    };
    Ok(snapshot
        .render_problems(page, rendered, &urls.files, anchors)
        .into_iter()
        .map(|(_, p)| ContentProblem::from(p))
        .collect())
}

/// Which posts `Post.previous` and `Post.next` step through.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Adjacency {
    /// Posts of the same section and language.
    #[default]
    Section,
    /// Every listed post of the same language.
    All,
}

impl From<Adjacency> for Across {
    fn from(across: Adjacency) -> Self {
        match across {
            Adjacency::Section => Across::Section,
            Adjacency::All => Across::All,
        }
    }
}

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
