//! A post's body, read again from git when it is rendered or its text is read: the Markdown is
//! not kept in the snapshot (it is most of a post's bytes).

use super::problem::BodySource;
use super::{Placed, RenderError, Snapshot};
use crate::content::{self, FootnoteMode, Post, Rendered};

impl Snapshot {
    /// Reads `post`'s Markdown from git and renders it. Blocks: call it off the async runtime.
    ///
    /// # Errors
    /// [`RenderError`] when the blob cannot be read again.
    pub(crate) fn render(&self, post: &Post, mode: FootnoteMode) -> Result<Rendered, RenderError> {
        self.with_body(post, |body, page| {
            content::render(body, page, &self.render, mode)
        })
    }

    /// `read(body, page)` with `post`'s Markdown body, read again from git. Blocks.
    ///
    /// # Errors
    /// [`RenderError`] when the blob cannot be read again.
    pub(super) fn with_body<T>(
        &self,
        post: &Post,
        read: impl FnOnce(&str, &content::Page<'_>) -> T,
    ) -> Result<T, RenderError> {
        let unreadable = |source| RenderError {
            path: post.path.clone(),
            blob: post.blob,
            source: Box::new(source),
        };
        let bytes = self
            .blobs
            .read(post.blob)
            .map_err(|e| unreadable(BodySource::Git(e)))?;
        let text = content::text(&bytes).map_err(|e| unreadable(BodySource::Text(e)))?;
        let page = content::Page {
            front_matter: &post.front_matter,
            summary: post.summary.as_deref(),
            first_line: post.body_line(&text),
        };
        Ok(read(post.body(&text), &page))
    }

    /// What a render of `page` depends on besides its blob and footnote mode: the values
    /// cascaded to it and the summary length.
    pub(crate) fn render_variant(&self, page: &Placed) -> u64 {
        page.cascade_hash ^ (self.render.summary_words as u64).rotate_left(32)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::testing::snapshot;
    use crate::content::FootnoteMode;

    #[test]
    fn renders_the_body_read_again_from_git_and_says_when_it_is_gone() {
        let (dir, snapshot) = snapshot(&[(
            "crlf.md",
            "\u{feff}---\r\ntitle: CRLF\r\n---\r\nLine *one*\r\n\r\nTwo\r\n",
        )]);
        let post = Arc::clone(snapshot.post("crlf").unwrap());
        let rendered = snapshot.render(&post, FootnoteMode::Separate).unwrap();
        assert_eq!(rendered.html, "<p>Line <em>one</em></p>\n<p>Two</p>\n");
        assert_eq!(
            snapshot.render_all().unwrap().html_bytes,
            rendered.html.len()
        );

        // The blob leaves the repository under Quire (a gc after a rewritten history).
        let hex = post.blob.to_string();
        std::fs::remove_file(
            dir.path()
                .join(".git/objects")
                .join(&hex[..2])
                .join(&hex[2..]),
        )
        .unwrap();
        let err = snapshot.render(&post, FootnoteMode::Separate).unwrap_err();
        let message = crate::error_chain(&err);
        assert!(
            message.starts_with(&format!("could not read crlf.md (blob {hex}) again to render it: git failed while reading a blob")),
            "{message}"
        );
    }
}
