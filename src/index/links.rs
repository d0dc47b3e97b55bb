//! Links between pages: what a link a post writes points at (a page or a section of this
//! snapshot), and the graph of every page's links and backlinks. The links of a post are found
//! once per blob without rendering ([`crate::content::extract_links`]); the graph is built once
//! per snapshot, off the request path, and a field that needs it waits for it.

use std::sync::{Arc, OnceLock};

use foldhash::HashMap;
use rayon::prelude::*;

use super::problem::BodySource;
use super::{Placed, Problem, RenderError, Snapshot, Target, View};
use crate::content::{self, LinkRef, LinkTarget, Rendered, join_path};

/// What a page or section is known by in the graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Page(String),
    Section(usize),
}

impl From<&Target> for Key {
    fn from(target: &Target) -> Key {
        match target {
            Target::Page(page) => Key::Page(page.path.clone()),
            Target::Section(i) => Key::Section(*i),
        }
    }
}

/// One page's links: those that resolve (target, text), and the problems of those that do not.
type PageLinks = (Vec<(Target, String)>, Vec<Problem>);

/// Who links to whom, from every page's links resolved.
#[derive(Debug, Default)]
pub(crate) struct LinkGraph {
    /// Target → (the linking page, the link's text), in the order of the pages' paths.
    incoming: HashMap<Key, Vec<(Arc<Placed>, String)>>,
    /// Links to no page of this snapshot, by the page's path and line.
    pub(crate) broken: Vec<Problem>,
    /// Links to pages written in every page, resolved or not.
    pub(crate) found: usize,
}

impl LinkGraph {
    /// Pages linking to `target`, each with its link's text, once per link.
    pub(crate) fn backlinks(&self, target: &Target) -> &[(Arc<Placed>, String)] {
        self.incoming
            .get(&Key::from(target))
            .map_or(&[], Vec::as_slice)
    }
}

/// The graph of a snapshot, built on first need.
#[derive(Debug, Default)]
pub(crate) struct LazyGraph(OnceLock<Arc<LinkGraph>>);

impl Snapshot {
    /// The links of every page: built by the first caller (on all cores) while the others wait.
    /// Blocks: call it off the async runtime.
    pub(crate) fn link_graph(&self) -> Arc<LinkGraph> {
        Arc::clone(self.graph.0.get_or_init(|| Arc::new(self.build_graph())))
    }

    /// Links to no page or section, from every page (builds the graph when it is not yet).
    /// Blocks.
    pub fn broken_links(&self) -> Vec<Problem> {
        self.link_graph().broken.clone()
    }

    /// How many links to pages every page writes (builds the graph when it is not yet). Blocks.
    pub fn links_found(&self) -> usize {
        self.link_graph().found
    }

    fn build_graph(&self) -> LinkGraph {
        let site = self.site();
        let mut pages: Vec<&Arc<Placed>> = site.pages.values().collect();
        pages.extend(site.sections.iter().filter_map(|s| s.page.as_ref()));
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        let found: Vec<PageLinks> = pages
            .par_iter()
            .map(|page| {
                let links = match self.links_of(page) {
                    Ok(links) => links,
                    Err(err) => {
                        tracing::warn!("{}", crate::error_chain(&err));
                        return (Vec::new(), Vec::new());
                    }
                };
                let mut resolved = Vec::with_capacity(links.len());
                let mut broken = Vec::new();
                for link in links.iter() {
                    match self.resolve_link(page, link) {
                        Some(target) => resolved.push((target, link.text.clone())),
                        None => broken.push(broken_link(page, link)),
                    }
                }
                (resolved, broken)
            })
            .collect();
        let mut graph = LinkGraph::default();
        for (page, (links, broken)) in pages.iter().zip(found) {
            graph.found += links.len() + broken.len();
            for (target, text) in links {
                graph
                    .incoming
                    .entry(Key::from(&target))
                    .or_default()
                    .push((Arc::clone(page), text));
            }
            graph.broken.extend(broken);
        }
        graph
    }

    /// Every link `page` writes, found once per parsed post (and kept with it across
    /// refreshes while its blob is unchanged). Blocks: reads the blob from git.
    ///
    /// # Errors
    /// [`RenderError`] when the blob cannot be read again.
    pub(crate) fn links_of(&self, page: &Placed) -> Result<Arc<[LinkRef]>, RenderError> {
        if let Some(links) = page.parsed.links.get() {
            return Ok(Arc::clone(links));
        }
        let unreadable = |source| RenderError {
            path: page.path.clone(),
            blob: page.blob,
            source: Box::new(source),
        };
        let bytes = self
            .blobs
            .read(page.blob)
            .map_err(|e| unreadable(BodySource::Git(e)))?;
        let text = content::text(&bytes).map_err(|e| unreadable(BodySource::Text(e)))?;
        let info = content::Page {
            front_matter: &page.front_matter,
            summary: page.summary.as_deref(),
            first_line: page.body_line(&text),
        };
        let links: Arc<[LinkRef]> =
            content::extract_links(page.body(&text), &info, &self.render).into();
        Ok(Arc::clone(page.parsed.links.get_or_init(|| links)))
    }

    /// The page or section `link` (written in `from`) points at, as Hugo would find it.
    pub(crate) fn resolve_link(&self, from: &Placed, link: &LinkRef) -> Option<Target> {
        let site = self.site();
        let folder = from.path.rsplit_once('/').map_or("", |(f, _)| f);
        match &link.target {
            LinkTarget::File(relative) => site.by_path(&join_path(folder, relative)?),
            LinkTarget::Path(path) => site
                .find(path)
                .or_else(|| site.find(&site.layout.under_base(path)))
                .map(|(target, _)| target.clone()),
            LinkTarget::Relative(relative) => {
                let base = url::Url::parse("http://site.invalid/")
                    .ok()?
                    .join(from.url.as_deref()?)
                    .ok()?;
                let joined = base.join(relative).ok()?;
                site.find(joined.path()).map(|(target, _)| target.clone())
            }
            LinkTarget::Ref(path) | LinkTarget::RelRef(path) => self.resolve_ref(from, path),
        }
    }

    /// A `ref`/`relref` path, as Hugo's page lookup reads it: relative to the page's folder,
    /// then from its language's content folder; with or without `.md`, and a folder naming its
    /// bundle or section.
    fn resolve_ref(&self, from: &Placed, path: &str) -> Option<Target> {
        let site = self.site();
        let folder = from.path.rsplit_once('/').map_or("", |(f, _)| f);
        let root = site.layout.content_dir(&from.language).unwrap_or_default();
        let bases: Vec<String> = if let Some(absolute) = path.strip_prefix('/') {
            vec![join_path(root, absolute)?]
        } else {
            [join_path(folder, path), join_path(root, path)]
                .into_iter()
                .flatten()
                .collect()
        };
        bases.iter().find_map(|base| {
            let base = base.trim_end_matches('/');
            [
                base.to_owned(),
                format!("{base}.md"),
                format!("{base}/index.md"),
                format!("{base}/_index.md"),
            ]
            .iter()
            .find_map(|candidate| site.by_path(candidate))
        })
    }

    /// The URL each link of `rendered` (a render of `from`) points at, by marker index: the
    /// page's root-relative URL (a `ref`'s permalink under `baseURL`, as Hugo writes it);
    /// `None` for a link to nothing, or to a page `view` hides, which keeps its destination as
    /// written.
    pub(crate) fn link_urls(
        &self,
        from: &Placed,
        rendered: &Rendered,
        view: &View,
    ) -> Vec<Option<String>> {
        rendered
            .links
            .iter()
            .map(|link| {
                let url = self.target_url(&self.resolve_shown(from, link, view)?)?;
                Some(match (&link.target, &self.site().layout.base_url) {
                    (LinkTarget::Ref(_), Some(base)) => base.join(&url).map_or(url, String::from),
                    _ => url,
                })
            })
            .collect()
    }

    /// [`Self::resolve_link`], but a page `view` hides is no page.
    pub(crate) fn resolve_shown(
        &self,
        from: &Placed,
        link: &LinkRef,
        view: &View,
    ) -> Option<Target> {
        self.resolve_link(from, link).filter(|target| match target {
            Target::Page(page) => !view.hides(page),
            Target::Section(_) => true,
        })
    }

    /// The URL of a page or section.
    pub(crate) fn target_url(&self, target: &Target) -> Option<String> {
        match target {
            Target::Page(page) => page.url.clone(),
            Target::Section(i) => self.site().sections[*i].url.clone(),
        }
    }
}

/// The problem of a link to no page.
pub(super) fn broken_link(page: &Placed, link: &LinkRef) -> Problem {
    Problem {
        path: page.path.clone(),
        line: Some(link.line),
        message: format!(
            "links to `{}`, which is no page or section of this commit: fix the link, or add an `aliases` entry to the page it meant",
            link.written
        ),
    }
}
