//! Cache: rendered HTML, keyed by the post's git blob id and the render options. A blob id names
//! its content, so an entry can never go stale: a refresh needs no invalidation, and posts that did
//! not change between commits keep their rendered HTML. Bounded by bytes, filled single-flight.

use std::sync::Arc;

use moka::future::Cache;

use crate::content::{FootnoteMode, Post, Rendered, render};

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

    /// The rendered post, rendering it on first request, on a blocking thread so that a long post
    /// does not hold up other requests. Concurrent requests for the same post wait for one render.
    pub(crate) async fn get(&self, post: &Arc<Post>, mode: FootnoteMode) -> Arc<Rendered> {
        let post = Arc::clone(post);
        self.entries
            .get_with((post.blob, mode), async move {
                let render = tokio::task::spawn_blocking(move || render(&post.body, mode));
                match render.await {
                    Ok(rendered) => Arc::new(rendered),
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

    fn post(body: &str) -> Arc<Post> {
        let bytes = body.as_bytes();
        let blob = git2::Oid::hash_object(git2::ObjectType::Blob, bytes).unwrap();
        Arc::new(Post::parse("a.md", blob, bytes).unwrap().0)
    }

    #[tokio::test]
    async fn reuses_a_render_for_the_same_blob_and_mode() {
        let cache = RenderCache::new(1 << 20);
        let p = post("Hello[^1]\n\n[^1]: note\n");
        let first = cache.get(&p, FootnoteMode::Separate).await;
        let again = cache.get(&p, FootnoteMode::Separate).await;
        assert!(Arc::ptr_eq(&first, &again));
        let section = cache.get(&p, FootnoteMode::Section).await;
        assert!(section.html.contains("<section class=\"footnotes\">"));
        assert!(!first.html.contains("<section"));
    }
}
