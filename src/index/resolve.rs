//! A rendered post against the snapshot's commit: the URLs of the files it links to, its
//! bundle's files, and what its render could not do as written.

use super::{Problem, RenderError, Snapshot};
use crate::content::{FilePath, FootnoteMode, Post, Rendered};
use crate::source::{FileInfo, SourceError};

/// What rendering every post found: bytes of HTML, and each post's render problems.
#[derive(Debug, Default)]
pub struct RenderReport {
    pub html_bytes: usize,
    pub problems: Vec<Problem>,
}

impl Snapshot {
    /// The URL of each file `rendered` links to, by marker index; `None` for a file this
    /// commit does not have. Blocks: reads trees from git.
    ///
    /// # Errors
    /// [`SourceError`] when a tree cannot be read.
    pub(crate) fn file_urls(
        &self,
        rendered: &Rendered,
    ) -> Result<Vec<Option<String>>, SourceError> {
        rendered
            .files
            .iter()
            .map(|file| {
                Ok(self
                    .locate(&file.path)?
                    .map(|found| self.file_url(&found.path)))
            })
            .collect()
    }

    /// Where a linked file is in this commit, if it is there.
    fn locate(&self, path: &FilePath) -> Result<Option<FileInfo>, SourceError> {
        match path {
            FilePath::Repository(path) => self.file(path),
            FilePath::Static(path) => match self.static_root() {
                Some("") => self.file(path),
                Some(root) => self.file(&format!("{root}/{path}")),
                None => Ok(None),
            },
        }
    }

    /// The URL the file at `path` (from the repository root) is served at for this commit.
    pub(crate) fn file_url(&self, path: &str) -> String {
        super::file_url(self.public_url.as_ref(), self.commit_id(), path)
    }

    /// What the render of `post` could not do as written, with lines: broken shortcodes and
    /// options, and links to files this commit does not have (`urls` from [`Self::file_urls`]).
    pub(crate) fn render_problems(
        &self,
        post: &Post,
        rendered: &Rendered,
        urls: &[Option<String>],
    ) -> Vec<Problem> {
        let mut problems: Vec<Problem> = rendered
            .problems
            .iter()
            .map(|(line, message)| Problem {
                path: post.path.clone(),
                line: Some(*line),
                message: message.clone(),
            })
            .collect();
        for (file, url) in rendered.files.iter().zip(urls) {
            if url.is_some() {
                continue;
            }
            let looked = match &file.path {
                FilePath::Repository(path) => path.clone(),
                FilePath::Static(path) => match self.static_root() {
                    Some(root) => format!("{root}/{path} (the static folder)"),
                    None => format!("{path} under a static folder, and the repository has none"),
                },
            };
            problems.push(Problem {
                path: post.path.clone(),
                line: Some(file.line),
                message: format!(
                    "links to `{}`, looked for at {looked}, which this commit does not have: add the file or fix the link",
                    file.written
                ),
            });
        }
        problems.sort_by_key(|p| p.line);
        problems
    }

    /// Renders every post as a GraphQL `html` field would (footnotes apart), on all cores,
    /// without caching: bytes of HTML and every post's render problems. For
    /// `quire check --render`.
    ///
    /// # Errors
    /// [`RenderError`] for a post whose blob cannot be read again.
    pub fn render_all(&self) -> Result<RenderReport, RenderError> {
        use rayon::prelude::*;
        let reports: Vec<(usize, Vec<Problem>)> = self
            .posts
            .par_iter()
            .map(|post| {
                let rendered = self.render(post, FootnoteMode::Separate)?;
                let urls = self.file_urls(&rendered).unwrap_or_else(|err| {
                    tracing::warn!("{}: files could not be looked up: {err}", post.path);
                    vec![None; rendered.files.len()]
                });
                let problems = self
                    .render_problems(post, &rendered, &urls)
                    .into_iter()
                    .map(|p| Problem {
                        message: match p.line {
                            Some(line) => format!("line {line}: {}", p.message),
                            None => p.message,
                        },
                        ..p
                    })
                    .collect();
                Ok((rendered.html.len(), problems))
            })
            .collect::<Result<_, RenderError>>()?;
        let mut report = RenderReport::default();
        for (bytes, problems) in reports {
            report.html_bytes += bytes;
            report.problems.extend(problems);
        }
        Ok(report)
    }
}
