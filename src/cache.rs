//! Cache: rendered HTML, keyed by the post's git blob id and the render options. A blob id names
//! its content, so an entry can never go stale: a refresh needs no invalidation, and posts that did
//! not change between commits keep their rendered HTML. Bounded by bytes, filled single-flight.
//!
//! A render runs detached from the request that asked for it: when that request is dropped (the
//! client left, `--request-timeout` passed) the render still finishes and is cached, and every
//! request for the same post meanwhile waits for that one render instead of starting another.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use moka::sync::Cache;
use tokio::sync::watch;

use crate::content::{FootnoteMode, Rendered};
use crate::index::Placed;
use crate::index::{RenderError, Snapshot};

/// What is cached: one post (by blob) rendered one way.
/// A render is the same for the same blob, footnote mode and [`Placed::render_variant`] (the
/// values cascaded to the page and the site's summary length, which the render reads).
type Key = (git2::Oid, FootnoteMode, u64);
/// What a render gives every request waiting for it.
type Outcome = Result<Arc<Rendered>, Arc<RenderError>>;
/// Renders running now, each with the channel its outcome will be sent on.
type InFlight = Mutex<HashMap<Key, watch::Receiver<Option<Outcome>>>>;

/// Rendered posts, at most `max_bytes` of HTML.
#[derive(Clone)]
pub struct RenderCache {
    entries: Cache<Key, Arc<Rendered>>,
    in_flight: Arc<InFlight>,
    #[cfg(test)]
    hooks: tests::Hooks,
}

impl RenderCache {
    pub fn new(max_bytes: u64) -> Self {
        let entries = Cache::builder()
            .name("rendered-html")
            .max_capacity(max_bytes)
            .weigher(|_, rendered: &Arc<Rendered>| {
                // What the entry holds, and moka's bookkeeping (measured for the response
                // cache, `crate::http` ENTRY_OVERHEAD).
                u32::try_from(800 + rendered.weight()).unwrap_or(u32::MAX)
            })
            .build();
        RenderCache {
            entries,
            in_flight: Arc::default(),
            #[cfg(test)]
            hooks: tests::Hooks::default(),
        }
    }

    /// `post` of `snapshot` rendered, reading and rendering it on first request, on a blocking
    /// thread so that a long post does not hold up other requests. Concurrent requests for the
    /// same post wait for one render, which finishes and is cached even when every request
    /// waiting for it is dropped. A failure is not cached: the next request tries again.
    ///
    /// # Errors
    /// [`RenderError`] when the post's blob cannot be read again.
    ///
    /// # Panics
    /// When the render panicked (a bug): every request that waited for it panics too, as it
    /// would have had it rendered the post itself.
    pub(crate) async fn get(
        &self,
        snapshot: &Arc<Snapshot>,
        post: &Arc<Placed>,
        mode: FootnoteMode,
    ) -> Result<Arc<Rendered>, Arc<RenderError>> {
        let key = (post.blob, mode, snapshot.render_variant(post));
        if let Some(rendered) = self.entries.get(&key) {
            return Ok(rendered);
        }
        let mut outcome = {
            let mut in_flight = self
                .in_flight
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            // A render that ended since the first look put its result here before leaving
            // `in_flight`.
            if let Some(rendered) = self.entries.get(&key) {
                return Ok(rendered);
            }
            match in_flight.get(&key) {
                Some(running) => running.clone(),
                None => {
                    let (sender, receiver) = watch::channel(None);
                    in_flight.insert(key, receiver.clone());
                    self.start(key, Arc::clone(snapshot), Arc::clone(post), sender);
                    receiver
                }
            }
        };
        match outcome.wait_for(Option::is_some).await {
            Ok(done) => done.clone().expect("waited for an outcome"),
            Err(_) => panic!(
                "rendering {} panicked (see the panic logged above)",
                post.path
            ),
        }
    }

    /// Renders on a blocking thread that nothing cancels: the result is cached (when it is
    /// one), the render leaves `in_flight` (also when it panics), and the outcome is sent to
    /// whoever still waits.
    fn start(
        &self,
        key: Key,
        snapshot: Arc<Snapshot>,
        post: Arc<Placed>,
        sender: watch::Sender<Option<Outcome>>,
    ) {
        let flight = Flight {
            key,
            in_flight: Arc::clone(&self.in_flight),
        };
        let entries = self.entries.clone();
        #[cfg(test)]
        let hooks = self.hooks.started();
        tokio::task::spawn_blocking(move || {
            #[cfg(test)]
            let _held = hooks.blocking_lock();
            let outcome = snapshot
                .render(&post, key.1)
                .map(Arc::new)
                .map_err(Arc::new);
            if let Ok(rendered) = &outcome {
                entries.insert(key, Arc::clone(rendered));
            }
            // Out of `in_flight` before the waiters wake: a request that comes after a failure
            // (or after the result left the cache again) renders anew.
            drop(flight);
            sender.send_replace(Some(outcome));
        });
    }
}

/// A render in `in_flight`, which it leaves when this is dropped: when it ends or unwinds.
struct Flight {
    key: Key,
    in_flight: Arc<InFlight>,
}

impl Drop for Flight {
    fn drop(&mut self) {
        self.in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.key);
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
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;
    use crate::index::testing::snapshot;

    /// What tests see of the renders a cache starts: how many, and a lock every render takes
    /// before it starts, which a test holds to keep renders running.
    #[derive(Clone, Default)]
    pub(super) struct Hooks {
        started: Arc<AtomicUsize>,
        hold: Arc<tokio::sync::Mutex<()>>,
    }

    impl Hooks {
        /// Counts a render started; the lock it takes.
        pub(super) fn started(&self) -> Arc<tokio::sync::Mutex<()>> {
            self.started.fetch_add(1, Ordering::SeqCst);
            Arc::clone(&self.hold)
        }

        fn count(&self) -> usize {
            self.started.load(Ordering::SeqCst)
        }
    }

    #[tokio::test]
    async fn a_render_whose_request_is_dropped_finishes_once_and_is_cached() {
        let cache = RenderCache::new(1 << 20);
        let (_dir, snapshot) = snapshot(&[("a.md", "Hello\n")]);
        let p = snapshot.post("a").unwrap();
        let held = cache.hooks.hold.lock().await;
        // The request gives up (its client left, or it timed out) while the render runs.
        let dropped = tokio::time::timeout(
            Duration::ZERO,
            cache.get(&snapshot, p, FootnoteMode::Separate),
        )
        .await;
        assert!(
            dropped.is_err(),
            "the render was held: the request cannot have an answer"
        );
        assert_eq!(cache.hooks.count(), 1);
        // Requests meanwhile join that render instead of starting another.
        let (joined, _) = tokio::join!(cache.get(&snapshot, p, FootnoteMode::Separate), async {
            drop(held);
        });
        let joined = joined.unwrap();
        assert_eq!(joined.html, "<p>Hello</p>\n");
        let later = cache
            .get(&snapshot, p, FootnoteMode::Separate)
            .await
            .unwrap();
        assert!(Arc::ptr_eq(&joined, &later), "cached");
        assert_eq!(cache.hooks.count(), 1, "rendered once");
    }

    #[tokio::test]
    async fn a_render_nobody_waits_for_any_more_is_still_cached() {
        let cache = RenderCache::new(1 << 20);
        let (_dir, snapshot) = snapshot(&[("a.md", "Hello\n")]);
        let p = snapshot.post("a").unwrap();
        let held = cache.hooks.hold.lock().await;
        let request = tokio::spawn({
            let (cache, snapshot, p) = (cache.clone(), Arc::clone(&snapshot), Arc::clone(p));
            async move { cache.get(&snapshot, &p, FootnoteMode::Section).await }
        });
        // Wait until the request has started its render, then abort it.
        while cache.hooks.count() == 0 {
            tokio::task::yield_now().await;
        }
        request.abort();
        assert!(request.await.unwrap_err().is_cancelled());
        drop(held);
        // Running or done, the render is the one this request joins.
        let rendered = cache
            .get(&snapshot, p, FootnoteMode::Section)
            .await
            .unwrap();
        assert_eq!(rendered.html, "<p>Hello</p>\n");
        assert_eq!(cache.hooks.count(), 1, "rendered once");
    }

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
