//! Post histories: the commits that changed each post, read from git on first need and kept for
//! the commits served. One walk of a commit's history gives every post's at once (see
//! [`crate::source`]'s history walk); it is cached by commit and content root, so every
//! snapshot of that commit (the one served, one built for another ref) shares it, and
//! concurrent first requests wait for one walk. A walk for a new commit goes on from the walk
//! of an older one still cached (the commit served before a refresh): it reads only the
//! commits since.
//!
//! The cache lives in the schema's data, beside the render cache, rather than in a snapshot:
//! a snapshot of another ref is built without the served one, and would otherwise walk alone.

use std::sync::Arc;
use std::time::Instant;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use git2::Oid;
use moka::sync::Cache;

use super::{PageError, Snapshot, page_size};
use crate::source::SourceError;
pub(crate) use crate::source::{Change, History};

/// Bytes of walks kept (by [`History::weight`], which counts high): a blog of 10,000 posts
/// and 100,000 commits fits several times.
pub(crate) const HISTORY_BYTES: u64 = 64 << 20;

/// Pairs of blobs whose changed lines are kept (16 bytes of key and 16 of value each, and
/// moka's bookkeeping).
const STATS_KEPT: u64 = 100_000;

/// Which walk: the commit, and the folder of the posts.
type Key = (Oid, String);

/// Walks of the commits served, at most `max_bytes` of them, least recently used out first.
#[derive(Clone)]
pub(crate) struct HistoryCache {
    walks: Cache<Key, Arc<History>>,
    /// Lines added and removed between two blobs: content addressed, never stale.
    stats: Cache<(Oid, Oid), (usize, usize)>,
    /// Held by the one request that waits for a walk on a blocking thread: the others wait
    /// here, without a thread each (a listing of 100 posts asks 100 times at once).
    waiting: Arc<tokio::sync::Mutex<()>>,
}

impl HistoryCache {
    pub(crate) fn new(max_bytes: u64) -> HistoryCache {
        let walks = Cache::builder()
            .name("post-history")
            .max_capacity(max_bytes)
            .weigher(|_, history: &Arc<History>| {
                u32::try_from(history.weight()).unwrap_or(u32::MAX)
            })
            .build();
        HistoryCache {
            walks,
            stats: Cache::builder()
                .name("post-diff-stats")
                .max_capacity(STATS_KEPT)
                .build(),
            waiting: Arc::default(),
        }
    }

    /// Lines added and removed by each change of `changes` (see [`Blobs::line_stats`]), from
    /// memory or counted on a blocking thread.
    ///
    /// [`Blobs::line_stats`]: crate::source::Blobs::line_stats
    ///
    /// # Errors
    /// [`SourceError`] when a blob cannot be read.
    pub(crate) async fn diff_stats(
        &self,
        snapshot: &Snapshot,
        changes: &[&Change],
    ) -> Result<Vec<(usize, usize)>, SourceError> {
        let pairs: Vec<(Oid, Oid)> = changes.iter().map(|c| (c.before, c.after)).collect();
        let known: Vec<Option<(usize, usize)>> =
            pairs.iter().map(|pair| self.stats.get(pair)).collect();
        let missing: Vec<(Oid, Oid)> = pairs
            .iter()
            .zip(&known)
            .filter(|(_, known)| known.is_none())
            .map(|(pair, _)| *pair)
            .collect();
        let mut counted = if missing.is_empty() {
            Vec::new()
        } else {
            let blobs = snapshot.blobs.clone();
            let (stats, missing) = (self.stats.clone(), missing.clone());
            tokio::task::spawn_blocking(move || {
                let counted = blobs.line_stats(&missing)?;
                for (pair, stat) in missing.iter().zip(&counted) {
                    stats.insert(*pair, *stat);
                }
                Ok::<_, SourceError>(counted)
            })
            .await
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()))?
        }
        .into_iter();
        Ok(known
            .into_iter()
            .map(|known| known.unwrap_or_else(|| counted.next().expect("one count per miss")))
            .collect())
    }

    /// The walk of `snapshot`'s commit: from memory, or walked on a blocking thread. The walk
    /// goes on when the caller is dropped, and is kept; the next caller waits for it instead
    /// of walking again.
    ///
    /// # Errors
    /// [`SourceError`] when git fails during the walk.
    pub(crate) async fn get(
        &self,
        snapshot: &Arc<Snapshot>,
    ) -> Result<Arc<History>, Arc<SourceError>> {
        if let Some(history) = self.cached(snapshot) {
            return Ok(history);
        }
        let _turn = self.waiting.lock().await;
        if let Some(history) = self.cached(snapshot) {
            return Ok(history);
        }
        let (cache, snapshot) = (self.clone(), Arc::clone(snapshot));
        tokio::task::spawn_blocking(move || cache.walk(&snapshot))
            .await
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()))
    }

    /// The walk of `snapshot`'s commit when it is cached: no git, no waiting.
    pub(crate) fn cached(&self, snapshot: &Snapshot) -> Option<Arc<History>> {
        self.walks.get(&key(snapshot))
    }

    /// The walk of `snapshot`'s commit, walked now when it is not cached (going on from the
    /// walk of an older commit when one is cached). Reads git: call it on a blocking thread.
    /// Concurrent calls for one commit wait for one walk (also one whose caller was dropped);
    /// a failure is not kept.
    ///
    /// # Errors
    /// [`SourceError`] when git fails during the walk.
    pub(crate) fn walk(&self, snapshot: &Snapshot) -> Result<Arc<History>, Arc<SourceError>> {
        let (commit, root) = key(snapshot);
        self.walks.try_get_with((commit, root.clone()), || {
            let started = Instant::now();
            let cached = |older: Oid| self.walks.get(&(older, root.clone()));
            let history = snapshot.blobs.history(commit, &root, &cached)?;
            let from = history
                .base()
                .map(|base| format!(" (going on from the walk of {base})"))
                .unwrap_or_default();
            tracing::info!(
                "history of {commit}: {} commits read{from} for {} posts in {} ms",
                history.walked(),
                history.file_count(),
                started.elapsed().as_millis()
            );
            Ok(Arc::new(history))
        })
    }
}

impl std::fmt::Debug for HistoryCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HistoryCache")
            .field("walks", &self.walks.entry_count())
            .field("bytes", &self.walks.weighted_size())
            .finish()
    }
}

fn key(snapshot: &Snapshot) -> Key {
    (snapshot.commit_id(), snapshot.revision().root.clone())
}

/// Someone who changed a post: an author as the commits name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Contributor {
    pub(crate) name: String,
    pub(crate) email: String,
    /// Commits of theirs in the post's history.
    pub(crate) commits: usize,
}

/// The distinct authors (by name and email) of `changes` (newest first), most commits first;
/// on a tie, the one who changed the post last first.
pub(crate) fn contributors(changes: &[Change]) -> Vec<Contributor> {
    let mut found: Vec<Contributor> = Vec::new();
    for change in changes {
        let meta = &change.commit;
        match found
            .iter_mut()
            .find(|c| c.name == meta.author_name && c.email == meta.author_email)
        {
            Some(known) => known.commits += 1,
            None => found.push(Contributor {
                name: meta.author_name.clone(),
                email: meta.author_email.clone(),
                commits: 1,
            }),
        }
    }
    // Stable: a tie keeps the order of last change.
    found.sort_by_key(|c| std::cmp::Reverse(c.commits));
    found
}

/// One page of a post's history.
#[derive(Debug)]
pub(crate) struct HistoryPage<'h> {
    pub(crate) edges: Vec<(String, &'h Change)>,
    pub(crate) has_next_page: bool,
    pub(crate) has_previous_page: bool,
}

/// Arguments of `history` a client must fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum HistoryPageError {
    #[error(transparent)]
    First(#[from] PageError),
    #[error(
        "`after` is not a cursor of `history`: pass the `endCursor` of the previous page (or an edge's `cursor`)"
    )]
    Cursor,
    #[error(
        "`after` names commit {0}, which is not in this post's history at the commit served (the history was rewritten, or the cursor is another post's): start again without `after`"
    )]
    Unknown(Oid),
}

/// The page of `changes` (newest first) of `first` changes ([`page_size`]: 20 by default, at
/// most 100) after the change whose cursor is `after`. A cursor names its commit, so it goes on
/// in the right place after a refresh added commits.
///
/// # Errors
/// [`HistoryPageError`] when `first` is out of range or `after` is not a cursor of this
/// history.
pub(crate) fn page_of<'h>(
    changes: &'h [Change],
    first: Option<i32>,
    after: Option<&str>,
) -> Result<HistoryPage<'h>, HistoryPageError> {
    let first = page_size(first)?;
    let start = match after {
        None => 0,
        Some(cursor) => {
            let commit = decode(cursor).ok_or(HistoryPageError::Cursor)?;
            changes
                .iter()
                .position(|c| c.commit.id == commit)
                .ok_or(HistoryPageError::Unknown(commit))?
                + 1
        }
    };
    let end = (start + first).min(changes.len());
    Ok(HistoryPage {
        edges: changes[start..end]
            .iter()
            .map(|c| (encode(c.commit.id), c))
            .collect(),
        has_next_page: end < changes.len(),
        has_previous_page: start > 0,
    })
}

/// `h1:<commit>`, base64url.
fn encode(commit: Oid) -> String {
    URL_SAFE_NO_PAD.encode(format!("h1:{commit}"))
}

fn decode(cursor: &str) -> Option<Oid> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    let hex = text.strip_prefix("h1:")?;
    // Whole ids only: git2 reads a shorter one as a prefix padded with zeros.
    [40, 64]
        .contains(&hex.len())
        .then(|| Oid::from_str(hex).ok())
        .flatten()
}

#[cfg(test)]
mod tests;
