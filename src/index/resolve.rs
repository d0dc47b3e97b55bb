//! A rendered post against the snapshot's commit: the URLs of the files it links to, and what
//! its render could not do as written.

use std::collections::BTreeMap;

use super::{Problem, RenderError, Snapshot};
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
    /// shortcodes and options, references, and links to files this commit does not have
    /// (`urls` from [`Self::file_urls`]).
    pub(crate) fn render_problems(
        &self,
        post: &Post,
        rendered: &Rendered,
        urls: &[Option<String>],
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
        let reports: Vec<(usize, Vec<(ProblemKind, Problem)>)> = self
            .posts
            .par_iter()
            .map(|post| {
                let rendered = self.render(post, FootnoteMode::Separate)?;
                let urls = self.file_urls(post, &rendered).unwrap_or_else(|err| {
                    tracing::warn!("{}: files could not be looked up: {err}", post.path);
                    vec![None; rendered.files.len()]
                });
                Ok((
                    rendered.html.len(),
                    self.render_problems(post, &rendered, &urls),
                ))
            })
            .collect::<Result<_, RenderError>>()?;
        let mut report = RenderReport::default();
        for (bytes, problems) in reports {
            report.html_bytes += bytes;
            for (kind, p) in problems {
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

/// The folder of a post's file, from the repository root: what its relative links start from.
fn folder(post: &Post) -> &str {
    post.path.rsplit_once('/').map_or("", |(dir, _)| dir)
}
