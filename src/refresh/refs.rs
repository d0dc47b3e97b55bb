//! Snapshots of other commits, for `at(ref:)` and `changes`: a ref is resolved in the repository
//! (a remote's branches and tags are fetched when one is missing, at most once per
//! `--ref-fetch-interval`), and its commit's snapshot is built beside the served one by tree
//! diff, sharing every parsed post and placement whose blob did not change. The snapshots of the
//! last `--ref-cache` commits are kept; concurrent first requests for one commit build it once.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use git2::Oid;

use super::Origin;
use crate::index::{LoadOptions, Publishing, Served, Snapshot, release_freed_memory};
use crate::source::{self, CommitMeta, RefError, RefKind, SourceError};

/// A ref as found in the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) commit: Oid,
    pub(crate) kind: RefKind,
    /// The commit is the served one or in its history: anyone may read it.
    pub(crate) published: bool,
}

/// Snapshots of commits other than the served one. Shared as `Arc<Refs>`.
pub(crate) struct Refs {
    origin: Origin,
    options: LoadOptions,
    served: Arc<Served>,
    snapshots: moka::future::Cache<(Oid, bool), Arc<Snapshot>>,
    /// Whether a commit is in the served commit's history, by (served, commit).
    published: moka::sync::Cache<(Oid, Oid), bool>,
    fetch_interval: Duration,
    last_fetch: Mutex<Option<Instant>>,
}

impl Refs {
    pub(crate) fn new(
        origin: Origin,
        options: LoadOptions,
        served: Arc<Served>,
        cached: u64,
        fetch_interval: Duration,
    ) -> Refs {
        Refs {
            origin,
            options,
            served,
            snapshots: moka::future::Cache::new(cached),
            published: moka::sync::Cache::new(4096),
            fetch_interval,
            last_fetch: Mutex::new(None),
        }
    }

    /// Finds `name` (a branch, tag or commit id) in the repository; the served branch's name
    /// is the served commit. A remote repository is asked for its refs when `name` is not
    /// found, at most once per `--ref-fetch-interval`.
    ///
    /// # Errors
    /// [`RefError`] when `name` is malformed, names nothing, or git fails; `NotReady` before
    /// the first load.
    pub(crate) async fn find(self: &Arc<Self>, name: &str) -> Result<Found, RefError> {
        source::check_ref(name)?;
        let served = self.served.get().ok_or(RefError::NotReady)?;
        // The served branch by name is the served snapshot, even while the branch has moved
        // ahead of it and the refresh is still to come.
        if served.revision().branch.as_deref() == Some(name) {
            return Ok(Found {
                commit: served.commit_id(),
                kind: RefKind::Branch,
                published: true,
            });
        }
        let refs = Arc::clone(self);
        let name = name.to_owned();
        blocking(move || {
            let head = served.commit_id();
            let resolve = || {
                served
                    .blobs()
                    .with_repo(|repo| source::resolve_ref(repo, &name))
            };
            let resolved = match resolve() {
                Err(RefError::NotFound { .. }) if refs.may_fetch() => {
                    refs.fetch()?;
                    resolve()?
                }
                other => other?,
            };
            let published = refs.is_published(&served, head, resolved.commit)?;
            Ok(Found {
                commit: resolved.commit,
                kind: resolved.kind,
                published,
            })
        })
        .await
    }

    /// The snapshot of `commit`: the served one when it is that commit, else built beside it
    /// (or kept from before). With `drafts`, drafts, future and expired posts are in it too.
    ///
    /// # Errors
    /// [`RefError::Source`] when the commit cannot be read (its content folder or Hugo
    /// configuration is missing or broken).
    pub(crate) async fn snapshot(
        self: &Arc<Self>,
        commit: Oid,
        drafts: bool,
    ) -> Result<Arc<Snapshot>, RefError> {
        let served = self.served.get().ok_or(RefError::NotReady)?;
        if !drafts && served.commit_id() == commit {
            return Ok(served);
        }
        let refs = Arc::clone(self);
        self.snapshots
            .try_get_with((commit, drafts), async move {
                let built = blocking(move || refs.build(&served, commit, drafts)).await;
                // What the build freed goes back to the system, after the answer.
                tokio::task::spawn_blocking(release_freed_memory);
                built
            })
            .await
            .map_err(|err| match Arc::try_unwrap(err) {
                Ok(err) => err,
                Err(shared) => RefError::Shared(shared),
            })
    }

    /// The commits in `to` and not in `from`, newest first: the first `limit`, and how many.
    ///
    /// # Errors
    /// [`RefError::Source`] when git cannot walk the history.
    pub(crate) async fn commits_between(
        &self,
        from: Oid,
        to: Oid,
        limit: usize,
    ) -> Result<(Vec<CommitMeta>, usize), RefError> {
        let served = self.served.get().ok_or(RefError::NotReady)?;
        blocking(move || {
            served
                .blobs()
                .with_repo(|repo| source::commits_between(repo, from, to, limit))
                .map_err(RefError::from)
        })
        .await
    }

    fn build(
        &self,
        served: &Snapshot,
        commit: Oid,
        drafts: bool,
    ) -> Result<Arc<Snapshot>, RefError> {
        let started = Instant::now();
        let config = self.origin.repository();
        let repo = source::open(&config)?;
        let files = source::read_commit(repo, commit, None, &config, Some(served.since()))?;
        let mut options = self.options.clone();
        if drafts {
            options.drafts = true;
            options.publishing = Publishing {
                future: true,
                expired: true,
            };
        }
        let (snapshot, stats) = Snapshot::build(files, options, Some(served))?;
        tracing::info!(
            commit = %commit,
            drafts,
            parsed = stats.parsed,
            reused = stats.reused,
            "snapshot of another commit built in {:.1} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
        Ok(Arc::new(snapshot.on_its_own()))
    }

    fn is_published(&self, served: &Snapshot, head: Oid, commit: Oid) -> Result<bool, RefError> {
        if let Some(known) = self.published.get(&(head, commit)) {
            return Ok(known);
        }
        let published = served
            .blobs()
            .with_repo(|repo| source::is_published(repo, head, commit))?;
        self.published.insert((head, commit), published);
        Ok(published)
    }

    /// Whether a fetch of the remote's refs may run now (and then it counts as run).
    fn may_fetch(&self) -> bool {
        if !matches!(self.origin, Origin::Remote { .. }) {
            return false;
        }
        let mut last = self
            .last_fetch
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if last.is_some_and(|at| at.elapsed() < self.fetch_interval) {
            return false;
        }
        *last = Some(Instant::now());
        true
    }

    fn fetch(&self) -> Result<(), SourceError> {
        match &self.origin {
            Origin::Remote { remote, .. } => {
                tracing::info!("fetching the branches and tags of {remote} for a ref not seen yet");
                remote.fetch_refs()
            }
            Origin::Local(_) => Ok(()),
        }
    }
}

/// Runs git work off the async runtime; a panic is reported as an error, not propagated.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, RefError> + Send + 'static,
) -> Result<T, RefError> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|err| {
            Err(RefError::Source(SourceError::Internal {
                message: err
                    .try_into_panic()
                    .map_or_else(|err| err.to_string(), |panic| crate::panic_message(&*panic)),
            }))
        })
}
