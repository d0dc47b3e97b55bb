//! A rendered post against the snapshot's commit: the URLs of the files it links to, and what
//! its render could not do as written.

use std::collections::BTreeMap;

use std::sync::Arc;

use foldhash::HashMap;

use super::links::broken_link;
use super::{Placed, Problem, RenderError, Snapshot, Target};
use crate::content::{FootnoteMode, Post, ProblemKind, Rendered};
use crate::source::SourceError;

/// What rendering every post found: bytes of HTML, each post's render problems, and how many
/// of each kind.
#[derive(Debug, Default)]
pub struct RenderReport {
    pub html_bytes: usize,
    pub problems: Vec<Problem>,
    /// Problems by kind (`missing file`, `shortcode syntax`, …), for `quire check --render`.
    pub by_kind: BTreeMap<&'static str, usize>,
}

impl Snapshot {
    /// The URL of each file `rendered` (a render of `post`) links to, by marker index; `None`
    /// for a file this commit does not have. Blocks: reads trees from git.
    ///
    /// # Errors
    /// [`SourceError`] when a tree cannot be read.
    pub(crate) fn file_urls(
        &self,
        post: &Post,
        rendered: &Rendered,
    ) -> Result<Vec<Option<String>>, SourceError> {
        let dir = folder(post);
        rendered
            .files
            .iter()
            .map(|file| {
                let Some(path) = file.path.resolve(dir, self.static_root()) else {
                    return Ok(None);
                };
                Ok(self.file(&path)?.map(|found| self.file_url(&found.path)))
            })
            .collect()
    }

    /// The URL the file at `path` (from the repository root) is served at for this commit.
    pub(crate) fn file_url(&self, path: &str) -> String {
        super::file_url(self.public_url.as_ref(), self.commit_id(), path)
    }

    /// What the render of `post` could not do as written, with lines and kinds: broken
    /// shortcodes and options, links to files this commit does not have (`urls` from
    /// [`Self::file_urls`]), links to no page, and links to anchors their page does not have
    /// (`anchors` gives the ids of a page's headings, when it can be rendered).
    pub(crate) fn render_problems(
        &self,
        post: &Placed,
        rendered: &Rendered,
        urls: &[Option<String>],
        anchors: impl Fn(&Target) -> Option<Vec<String>>,
    ) -> Vec<(ProblemKind, Problem)> {
        let problem = |line, message| Problem {
            path: post.path.clone(),
            line: Some(line),
            message,
        };
        let mut problems: Vec<(ProblemKind, Problem)> = rendered
            .problems
            .iter()
            .map(|p| (p.kind, problem(p.line, p.message.clone())))
            .collect();
        let dir = folder(post);
        for (file, url) in rendered.files.iter().zip(urls) {
            if url.is_some() {
                continue;
            }
            let looked = match (file.path.resolve(dir, self.static_root()), &file.path) {
                (Some(path), _) => format!("looked for at {path}, which this commit does not have"),
                (None, crate::content::FilePath::Static(_)) => {
                    "a root-relative link names a file of the static folder, and the repository has none".to_owned()
                }
                (None, _) => "the path climbs above the repository's root".to_owned(),
            };
            let message = format!(
                "links to `{}` ({looked}): add the file or fix the link",
                file.written
            );
            problems.push((ProblemKind::MissingFile, problem(file.line, message)));
        }
        for link in &rendered.links {
            let Some(target) = self.resolve_link(post, link) else {
                problems.push((ProblemKind::BrokenLink, broken_link(post, link)));
                continue;
            };
            let Some(fragment) = &link.fragment else {
                continue;
            };
            if let Some(ids) = anchors(&target)
                && !ids.iter().any(|id| id == fragment)
            {
                let message = format!(
                    "links to `{}`, whose page has no heading with the id `{fragment}`: link to one of its headings' ids ({})",
                    link.written,
                    shown(&ids)
                );
                problems.push((ProblemKind::BrokenAnchor, problem(link.line, message)));
            }
        }
        problems.sort_by_key(|(_, p)| p.line);
        problems
    }

    /// Renders every post as a GraphQL `html` field would (footnotes apart), on all cores,
    /// without caching: bytes of HTML and every post's render problems (their messages start
    /// with `line N:`). For `quire check --render`.
    ///
    /// # Errors
    /// [`RenderError`] for a post whose blob cannot be read again.
    pub fn render_all(&self) -> Result<RenderReport, RenderError> {
        use rayon::prelude::*;
        // Every page (sections' too) once, for its HTML and its headings' ids.
        let site = self.site();
        let mut pages: Vec<&Arc<Placed>> = site.pages.values().collect();
        pages.extend(site.sections.iter().filter_map(|s| s.page.as_ref()));
        let renders: HashMap<&str, Rendered> = pages
            .par_iter()
            .map(|page| {
                Ok((
                    page.path.as_str(),
                    self.render(page, FootnoteMode::Separate)?,
                ))
            })
            .collect::<Result<_, RenderError>>()?;
        let anchors = |target: &Target| {
            let path = match target {
                Target::Page(page) => page.path.as_str(),
                Target::Section(i) => site.sections[*i].page.as_ref()?.path.as_str(),
            };
            Some(heading_ids(renders.get(path)?))
        };
        let reports: Vec<(usize, Vec<(ProblemKind, Problem)>)> = pages
            .par_iter()
            .map(|post| {
                let rendered = &renders[post.path.as_str()];
                let urls = self.file_urls(post, rendered).unwrap_or_else(|err| {
                    tracing::warn!("{}: files could not be looked up: {err}", post.path);
                    vec![None; rendered.files.len()]
                });
                (
                    rendered.html.len(),
                    self.render_problems(post, rendered, &urls, anchors),
                )
            })
            .collect();
        let mut report = RenderReport::default();
        for (bytes, problems) in reports {
            report.html_bytes += bytes;
            // Links to no page are listed by the link graph already (`Snapshot::broken_links`).
            for (kind, p) in problems
                .into_iter()
                .filter(|(k, _)| *k != ProblemKind::BrokenLink)
            {
                *report.by_kind.entry(kind.name()).or_default() += 1;
                report.problems.push(Problem {
                    message: match p.line {
                        Some(line) => format!("line {line}: {}", p.message),
                        None => p.message,
                    },
                    ..p
                });
            }
        }
        Ok(report)
    }
}

/// The ids a link's fragment may name in a render: its headings' and its footnotes'.
pub(crate) fn heading_ids(rendered: &Rendered) -> Vec<String> {
    let headings = rendered.headings.iter().map(|h| h.id.clone());
    let footnotes = rendered
        .footnotes
        .iter()
        .flat_map(|f| std::iter::once(f.anchor()).chain(f.reference_anchors()));
    headings.chain(footnotes).collect()
}

/// Up to five ids, for a message.
fn shown(ids: &[String]) -> String {
    if ids.is_empty() {
        return "it has none".to_owned();
    }
    let mut text = ids
        .iter()
        .take(5)
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > 5 {
        text.push_str(", …");
    }
    text
}

/// The folder of a post's file, from the repository root: what its relative links start from.
fn folder(post: &Post) -> &str {
    post.path.rsplit_once('/').map_or("", |(dir, _)| dir)
}
