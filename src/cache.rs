//! Cache: rendered HTML, keyed by the post's git blob id and the render options. A blob id names
//! its content, so an entry can never go stale: a refresh needs no invalidation, and posts that did
//! not change between commits keep their rendered HTML. Bounded by bytes, filled single-flight.

use std::sync::Arc;

use moka::future::Cache;

use crate::content::{FootnoteMode, Post, Rendered};
use crate::index::{RenderError, Snapshot};

/// Rendered posts, at most `max_bytes` of HTML.
#[derive(Clone)]
pub struct RenderCache {
    entries: Cache<(git2::Oid, FootnoteMode), Arc<Rendered>>,
}

impl RenderCache {
    pub fn new(max_bytes: u64) -> Self {
        let entries = Cache::builder()
            .name("rendered-html")
            .max_capacity(max_bytes)
            .weigher(|_, rendered: &Arc<Rendered>| {
                let bytes = rendered.html.len()
                    + rendered
                        .footnotes
                        .iter()
                        .map(|f| f.html.len() + f.label.len())
                        .sum::<usize>();
                u32::try_from(bytes).unwrap_or(u32::MAX)
            })
            .build();
        RenderCache { entries }
    }

    /// `post` of `snapshot` rendered, reading and rendering it on first request, on a blocking
    /// thread so that a long post does not hold up other requests. Concurrent requests for the
    /// same post wait for one render. A failure is not cached: the next request tries again.
    ///
    /// # Errors
    /// [`RenderError`] when the post's blob cannot be read again.
    pub(crate) async fn get(
        &self,
        snapshot: &Arc<Snapshot>,
        post: &Arc<Post>,
        mode: FootnoteMode,
    ) -> Result<Arc<Rendered>, Arc<RenderError>> {
        let (snapshot, post) = (Arc::clone(snapshot), Arc::clone(post));
        self.entries
            .try_get_with((post.blob, mode), async move {
                let render = tokio::task::spawn_blocking(move || snapshot.render(&post, mode));
                match render.await {
                    Ok(rendered) => rendered.map(Arc::new),
                    Err(err) => std::panic::resume_unwind(err.into_panic()),
                }
            })
            .await
    }
}

impl std::fmt::Debug for RenderCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderCache")
            .field("entries", &self.entries.entry_count())
            .field("bytes", &self.entries.weighted_size())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::testing::snapshot;

    #[tokio::test]
    async fn reuses_a_render_for_the_same_blob_and_mode() {
        let cache = RenderCache::new(1 << 20);
        let (_dir, snapshot) = snapshot(&[("a.md", "Hello[^1]\n\n[^1]: note\n")]);
        let p = snapshot.post("a").unwrap();
        let first = cache
            .get(&snapshot, p, FootnoteMode::Separate)
            .await
            .unwrap();
        let again = cache
            .get(&snapshot, p, FootnoteMode::Separate)
            .await
            .unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        let section = cache
            .get(&snapshot, p, FootnoteMode::Section)
            .await
            .unwrap();
        assert!(section.html.contains("<section class=\"footnotes\">"));
        assert!(!first.html.contains("<section"));
    }

    #[tokio::test]
    async fn does_not_keep_a_failed_render() {
        let cache = RenderCache::new(1 << 20);
        let (dir, snapshot) = snapshot(&[("a.md", "Hello\n")]);
        let p = snapshot.post("a").unwrap();
        let git = dir.path().join(".git");
        let hidden = dir.path().join("git-away");
        std::fs::rename(&git, &hidden).unwrap();
        // With the objects folder moved away, the open handle finds the blob nowhere.
        assert!(
            cache
                .get(&snapshot, p, FootnoteMode::Separate)
                .await
                .is_err()
        );
        std::fs::rename(&hidden, &git).unwrap();
        let rendered = cache
            .get(&snapshot, p, FootnoteMode::Separate)
            .await
            .unwrap();
        assert_eq!(rendered.html, "<p>Hello</p>\n");
    }
}
