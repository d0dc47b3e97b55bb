//! The steps of a load and a render, callable one at a time, for `benches/` and the benchmark
//! examples. Not a stable API: it changes with the code it measures.

use std::path::Path;

use crate::content::{self, FootnoteMode, Page, Post, RenderOptions, markdown_options, render};
use crate::index::{LoadOptions, Snapshot};
use crate::source::{self, Read, SourceConfig, SourceError, SourceFiles};

/// Parses one post file (front matter and body); true when it is a post.
pub fn parse_post(path: &str, bytes: &[u8]) -> bool {
    Post::parse(path, git2::Oid::ZERO_SHA1, bytes).is_ok()
}

/// Renders a Markdown body as the GraphQL `html` field does (footnotes apart), with `options`
/// (the defaults highlight code with classes).
pub fn render_html(markdown: &str, options: &RenderOptions) -> String {
    let front_matter = serde_json::Map::new();
    let page = Page {
        front_matter: &front_matter,
        summary: None,
        first_line: 1,
    };
    render(markdown, &page, options, FootnoteMode::Separate).html
}

/// The links of a Markdown body to pages, listed without rendering it (as the index would at
/// start-up): how many.
pub fn extract_links(markdown: &str, options: &RenderOptions) -> usize {
    let front_matter = serde_json::Map::new();
    let page = Page {
        front_matter: &front_matter,
        summary: None,
        first_line: 1,
    };
    content::extract_links(markdown, &page, options).len()
}

/// Word count, reading time, and raw shortcode delimiters (`{{<`, `{{%`) left in the HTML
/// outside `<code>` and `<pre>`, of one post file as the GraphQL fields give them (default
/// options), or `None` when it is not a post.
pub fn measure_post(path: &str, bytes: &[u8]) -> Option<(usize, usize, usize)> {
    let (post, _) = Post::parse(path, git2::Oid::ZERO_SHA1, bytes).ok()?;
    let text = content::text(bytes).ok()?;
    let page = Page {
        front_matter: &post.front_matter,
        summary: post.summary.as_deref(),
        first_line: post.body_line(&text),
    };
    let rendered = render(
        post.body(&text),
        &page,
        &RenderOptions::default(),
        FootnoteMode::Separate,
    );
    let mut outside_code = String::new();
    let mut rest = rendered.html.as_str();
    while let Some(start) = rest.find("<code") {
        outside_code.push_str(&rest[..start]);
        rest = rest[start..]
            .find("</code>")
            .map_or("", |end| &rest[start + end..]);
    }
    outside_code.push_str(rest);
    let stray = outside_code.matches("{{&lt;").count() + outside_code.matches("{{%").count();
    Some((rendered.count.total(), rendered.reading_minutes, stray))
}

/// The ceiling Quire's renderer is measured against: pulldown-cmark's bare `push_html`, with the
/// extensions Quire renders with, into `html` (cleared first).
pub fn render_pulldown(markdown: &str, html: &mut String) {
    html.clear();
    let parser = pulldown_cmark::Parser::new_ext(markdown, markdown_options());
    pulldown_cmark::html::push_html(html, parser);
}

/// The post files of one commit, listed from git once, to read, parse and index many times (clone
/// it outside the timed part: indexing takes it by value, as a load does).
#[derive(Clone)]
pub struct Commit(SourceFiles);

impl Commit {
    /// Reads every file under `root` at the tip of `branch` (or HEAD) of the repository at `repo`.
    ///
    /// # Errors
    /// [`SourceError`] when the repository, branch or root cannot be read.
    pub fn read(repo: &Path, branch: Option<&str>, root: &str) -> Result<Commit, SourceError> {
        let config = SourceConfig {
            repo: Some(repo.to_owned()),
            branch: branch.map(str::to_owned),
            root: Some(root.to_owned()),
            site: None,
        };
        match source::read(&config, None)? {
            Read::Files(files) => Ok(Commit(*files)),
            Read::Unchanged => unreachable!("read without a previous commit always reads"),
        }
    }

    /// Every file: its path and bytes, read from git.
    ///
    /// # Errors
    /// [`SourceError`] when a blob cannot be read.
    pub fn files(&self) -> Result<Vec<(String, Vec<u8>)>, SourceError> {
        self.0
            .files
            .iter()
            .map(|f| Ok((f.path.clone(), self.0.blobs.read(f.blob)?)))
            .collect()
    }

    /// The Markdown bodies of the files that parse as posts.
    ///
    /// # Errors
    /// [`SourceError`] when a blob cannot be read.
    pub fn bodies(&self) -> Result<Vec<String>, SourceError> {
        let mut bodies = Vec::new();
        for (path, bytes) in self.files()? {
            if let (Ok((post, _)), Ok(text)) = (
                Post::parse(&path, git2::Oid::ZERO_SHA1, &bytes),
                content::text(&bytes),
            ) {
                bodies.push(post.body(&text).to_owned());
            }
        }
        Ok(bodies)
    }

    /// Walks the whole history of the commit's posts, as the first `Post.history` (or
    /// `updatedAt`, `lastmod`...) of a commit with no older walk cached does: how many commits
    /// it read, and the posts it gave a history.
    ///
    /// # Errors
    /// [`SourceError`] when git fails during the walk.
    pub fn history(&self) -> Result<(usize, usize), SourceError> {
        let history = self
            .0
            .blobs
            .history(self.0.commit.id, &self.0.commit.root, &|_| None)?;
        Ok((history.walked(), history.file_count()))
    }

    /// Reads every file from git, parses it and indexes the posts, as the first load does.
    ///
    /// # Errors
    /// [`SourceError`] when a blob cannot be read.
    pub fn index(self) -> Result<Snapshot, SourceError> {
        Ok(Snapshot::build(self.0, LoadOptions::default(), None)?.0)
    }

    /// Indexes the posts again with every file reused from `previous` (same blobs): the cost of
    /// indexing alone, as a refresh pays it.
    ///
    /// # Errors
    /// [`SourceError`] when a blob cannot be read.
    pub fn reindex(self, previous: &Snapshot) -> Result<Snapshot, SourceError> {
        Ok(Snapshot::build(self.0, LoadOptions::default(), Some(previous))?.0)
    }
}
