//! Refresh: brings the served snapshot up to date with the branch. One refresh = fetch (remote
//! repositories) or re-read the branch (local ones) -> stop if the commit is unchanged -> diff the
//! old root tree against the new one -> parse only the added and modified blobs, reuse every other
//! post as it is -> build the new [`Snapshot`] -> swap it in. Readers keep the snapshot they
//! started with; a failed refresh leaves the last good snapshot serving and is reported.
//!
//! Refreshes are single-flight: one runs at a time, and any number of requests made while one runs
//! cause exactly one more.

mod background;
mod refs;

pub use background::Background;
pub(crate) use refs::Found;
pub(crate) use refs::Refs;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, broadcast};

use crate::index::{BuildStats, LoadOptions, PostChanges, Revision, Served, Snapshot};
use crate::notify::Notifier;
use crate::source::{self, Read, Remote, SourceConfig, SourceError};

/// Where posts come from.
#[derive(Debug, Clone)]
pub(crate) enum Origin {
    /// A repository on this machine, read in place.
    Local(SourceConfig),
    /// A repository reached by URL, read from a bare clone kept up to date by fetching.
    Remote {
        remote: Remote,
        branch: Option<String>,
        root: Option<String>,
        site: Option<String>,
    },
}

impl Origin {
    /// The repository to read (a remote's clone) with the configured branch, root and site.
    pub(crate) fn repository(&self) -> SourceConfig {
        match self {
            Origin::Local(config) => config.clone(),
            Origin::Remote {
                remote,
                branch,
                root,
                site,
            } => SourceConfig {
                repo: Some(remote.clone_dir().to_owned()),
                branch: branch.clone(),
                root: root.clone(),
                site: site.clone(),
            },
        }
    }
}

/// Why a refresh runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    Start,
    Poll,
    Webhook {
        provider: &'static str,
        delivery: Option<String>,
        /// The commit the push moved the branch to, when the payload says.
        commit: Option<String>,
    },
    /// A notice from another replica that received a webhook.
    Peer {
        from: String,
        commit: Option<String>,
    },
}

impl Trigger {
    /// The commit this trigger wants served, when it names one: a refresh for it is not needed
    /// once that commit is served.
    fn commit(&self) -> Option<&str> {
        match self {
            Trigger::Webhook { commit, .. } | Trigger::Peer { commit, .. } => commit.as_deref(),
            Trigger::Start | Trigger::Poll => None,
        }
    }
}

/// Requests made since the last refresh started.
#[derive(Debug, Default)]
struct Pending {
    /// The first request names the refresh.
    trigger: Option<Trigger>,
    /// True when some request named no commit: only a fetch can tell whether anything moved.
    unknown: bool,
    /// Commits the requests named.
    commits: Vec<String>,
}

impl std::fmt::Display for Trigger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Trigger::Start => f.write_str("start"),
            Trigger::Poll => f.write_str("poll"),
            Trigger::Webhook {
                provider,
                delivery: Some(id),
                ..
            } => write!(f, "{provider} webhook {id}"),
            Trigger::Webhook { provider, .. } => write!(f, "{provider} webhook"),
            Trigger::Peer { from, .. } => write!(f, "notice from replica {from}"),
        }
    }
}

/// What one refresh did.
#[derive(Debug, Clone)]
pub struct Report {
    pub trigger: Trigger,
    pub started_at: DateTime<Utc>,
    pub took: Duration,
    pub outcome: Outcome,
    /// Where the time went (zero for phases that did not run).
    pub phases: Phases,
    /// Set when the refresh failed, or succeeded only in part (the remote could not be reached
    /// at start and the clone's last fetched commit is served).
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    /// A new commit is served.
    Updated {
        from: Option<String>,
        to: String,
        stats: BuildStats,
        changes: PostChanges,
    },
    /// The branch still points at the commit served.
    Unchanged,
    /// Nothing changed; the last good snapshot keeps serving.
    Failed,
}

/// Sent to subscribers after every refresh that changed the commit.
#[derive(Debug, Clone)]
pub struct Update {
    /// The commit served before, when one was.
    pub previous: Option<String>,
    pub revision: Revision,
    pub changes: PostChanges,
}

/// Running totals since start.
#[derive(Debug)]
pub struct Counters {
    pub refreshes: AtomicU64,
    /// Times the remote was asked for the branch (remote repositories only).
    pub fetches: AtomicU64,
    pub failures: AtomicU64,
    /// Files parsed by all refreshes together; unchanged files are never parsed twice.
    pub files_parsed: AtomicU64,
    /// How long each refresh took, in seconds (for `GET /metrics`).
    pub seconds: prometheus_client::metrics::histogram::Histogram,
}

impl Default for Counters {
    fn default() -> Self {
        Counters {
            refreshes: AtomicU64::default(),
            fetches: AtomicU64::default(),
            failures: AtomicU64::default(),
            files_parsed: AtomicU64::default(),
            seconds: prometheus_client::metrics::histogram::Histogram::new([
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
            ]),
        }
    }
}

/// Keeps [`Served`] up to date. Shared as `Arc<Refresher>`.
pub struct Refresher {
    origin: Origin,
    options: LoadOptions,
    served: Arc<Served>,
    running: tokio::sync::Mutex<()>,
    wake: Notify,
    next: Mutex<Pending>,
    last: Mutex<Option<Report>>,
    counters: Counters,
    updates: broadcast::Sender<Arc<Update>>,
    /// Handed every update directly, not through `updates`, whose slow readers miss some.
    notifier: Arc<Notifier>,
}

impl Refresher {
    pub(crate) fn new(
        origin: Origin,
        options: LoadOptions,
        served: Arc<Served>,
        notifier: Arc<Notifier>,
    ) -> Refresher {
        Refresher {
            origin,
            options,
            served,
            running: tokio::sync::Mutex::new(()),
            wake: Notify::new(),
            next: Mutex::new(Pending::default()),
            last: Mutex::new(None),
            counters: Counters::default(),
            updates: broadcast::channel(16).0,
            notifier,
        }
    }

    /// Asks the background task ([`Self::run`]) for a refresh and returns at once. Requests made
    /// while a refresh runs are merged into one, which is skipped when every request named a
    /// commit (a push's `after`) and that commit is served by then.
    pub fn request(&self, trigger: Trigger) {
        {
            let mut pending = self.next.lock().unwrap_or_else(PoisonError::into_inner);
            match trigger.commit() {
                Some(commit) => pending.commits.push(commit.to_owned()),
                None => pending.unknown = true,
            }
            pending.trigger.get_or_insert(trigger);
        }
        self.wake.notify_one();
    }

    /// Serves [`Self::request`]s until the task is dropped. When a push announced a commit that
    /// the refresh did not find (the host's webhook can run ahead of what its fetch shows), the
    /// refresh is tried again after 1, 2 and 4 seconds.
    async fn run(&self) {
        struct Retry {
            at: tokio::time::Instant,
            commits: Vec<String>,
            trigger: Trigger,
            attempt: u32,
        }
        let mut retry: Option<Retry> = None;
        loop {
            match &retry {
                Some(r) => tokio::select! {
                    () = self.wake.notified() => {}
                    () = tokio::time::sleep_until(r.at) => {}
                },
                None => self.wake.notified().await,
            }
            let mut pending =
                std::mem::take(&mut *self.next.lock().unwrap_or_else(PoisonError::into_inner));
            let mut attempt = 0;
            if let Some(r) = retry.take() {
                pending.commits.extend(r.commits);
                pending.trigger.get_or_insert(r.trigger);
                attempt = r.attempt;
            }
            let Some(trigger) = pending.trigger else {
                continue;
            };
            if !pending.unknown && self.missing(&pending.commits).is_empty() {
                tracing::debug!("already serving every commit announced: no refresh needed");
                continue;
            }
            // The outcome is logged and kept for /readyz; the last good snapshot keeps serving.
            let _ = self.refresh(trigger.clone()).await;
            let missing = self.missing(&pending.commits);
            if !missing.is_empty() && attempt < 3 {
                let wait = Duration::from_secs(1 << attempt);
                tracing::info!(
                    "commit {} was announced but not found; trying again in {} s",
                    missing.join(", "),
                    wait.as_secs()
                );
                retry = Some(Retry {
                    at: tokio::time::Instant::now() + wait,
                    commits: missing,
                    trigger,
                    attempt: attempt + 1,
                });
            }
        }
    }

    /// The `commits` that are not the one served.
    fn missing(&self, commits: &[String]) -> Vec<String> {
        let served = self.served.get();
        let served = served.as_ref().map(|s| s.revision().commit.as_str());
        let mut missing: Vec<String> = commits
            .iter()
            .filter(|c| Some(c.as_str()) != served)
            .cloned()
            .collect();
        missing.sort_unstable();
        missing.dedup();
        missing
    }

    /// Runs one refresh now (waiting for a running one to finish first) and reports it.
    ///
    /// # Errors
    /// [`SourceError`] when the repository, the branch or the root cannot be read; the snapshot
    /// served before keeps serving.
    pub async fn refresh(&self, trigger: Trigger) -> Result<Report, SourceError> {
        let _running = self.running.lock().await;
        match trigger {
            // Polls run every few seconds and mostly find nothing; the first load is announced
            // by the caller.
            Trigger::Start => {}
            Trigger::Poll => tracing::debug!("refreshing ({trigger})"),
            _ => tracing::info!("refreshing ({trigger})"),
        }
        let started_at = Utc::now();
        let started = Instant::now();
        let previous = self.served.get();
        if matches!(self.origin, Origin::Remote { .. }) {
            self.counters.fetches.fetch_add(1, Ordering::Relaxed);
        }
        let origin = self.origin.clone();
        let options = self.options.clone();
        let before = previous.clone();
        let task = tokio::task::spawn_blocking(move || load(&origin, options, before.as_deref()));
        let result = match task.await {
            Ok(result) => result,
            // A bug in a library must not end refreshing for good: report it like any failure.
            Err(err) => Err(SourceError::Internal {
                message: err
                    .try_into_panic()
                    .map_or_else(|err| err.to_string(), |panic| crate::panic_message(&*panic)),
            }),
        };
        self.counters.refreshes.fetch_add(1, Ordering::Relaxed);
        let mut report = Report {
            trigger,
            started_at,
            took: Duration::ZERO,
            phases: Phases::default(),
            outcome: Outcome::Unchanged,
            error: None,
        };
        let result = match result {
            Ok(loaded) => {
                report.error = loaded.warning.map(|e| crate::error_chain(&e));
                report.phases = loaded.phases;
                if let Some((snapshot, stats)) = loaded.snapshot {
                    let snapshot = Arc::new(snapshot);
                    // Serve first; what changed is for the report and the subscribers.
                    self.served.set(Arc::clone(&snapshot));
                    // Every page's links, read while the new commit is served already: the
                    // first request for backlinks waits for what is left of it.
                    let eager = Arc::clone(&snapshot);
                    tokio::task::spawn_blocking(move || eager.link_graph());
                    // Every post's text too (search, word counts), beside the links.
                    let eager = Arc::clone(&snapshot);
                    tokio::task::spawn_blocking(move || {
                        if let Err(err) = eager.text_index() {
                            tracing::error!("{}", crate::error_chain(&*err));
                        }
                    });
                    let changes = previous
                        .as_deref()
                        .map(|p| snapshot.changes_since(p))
                        .unwrap_or_default();
                    self.counters
                        .files_parsed
                        .fetch_add(stats.parsed as u64, Ordering::Relaxed);
                    let update = Arc::new(Update {
                        previous: previous.as_ref().map(|p| p.revision().commit.clone()),
                        revision: snapshot.revision().clone(),
                        changes: changes.clone(),
                    });
                    self.notifier.enqueue(&update);
                    let _ = self.updates.send(update);
                    report.outcome = Outcome::Updated {
                        from: previous.map(|p| p.revision().commit.clone()),
                        to: snapshot.revision().commit.clone(),
                        stats,
                        changes,
                    };
                }
                Ok(())
            }
            Err(err) => {
                self.counters.failures.fetch_add(1, Ordering::Relaxed);
                report.outcome = Outcome::Failed;
                report.error = Some(crate::error_chain(&err));
                Err(err)
            }
        };
        report.took = started.elapsed();
        self.counters.seconds.observe(report.took.as_secs_f64());
        log(&report, self.served.get().as_deref());
        *self.last.lock().unwrap_or_else(PoisonError::into_inner) = Some(report.clone());
        result.map(|()| report)
    }

    /// The last refresh, if any ran.
    pub fn last(&self) -> Option<Report> {
        self.last
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// Updates sent after each refresh that changed the commit.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Update>> {
        self.updates.subscribe()
    }

    /// Repository, for logs and the landing page: a path, or the URL without its password.
    pub fn describe(&self) -> String {
        match &self.origin {
            Origin::Local(config) => config.repo.as_ref().map_or_else(
                || "the repository of the current directory".to_owned(),
                |p| p.display().to_string(),
            ),
            Origin::Remote { remote, .. } => remote.to_string(),
        }
    }
}

/// What [`load`] produced: a new snapshot (none when the commit is unchanged), and an error that
/// did not stop it.
struct Loaded {
    snapshot: Option<(Snapshot, BuildStats)>,
    warning: Option<SourceError>,
    phases: Phases,
}

/// Where a refresh spent its time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Phases {
    /// Asking the remote and downloading (zero for a local repository).
    pub fetch: Duration,
    /// Resolving the branch, diffing trees and reading the changed blobs.
    pub read: Duration,
    /// Parsing the changed files and indexing every post.
    pub build: Duration,
}

/// The blocking part of a refresh: fetch, read what changed, build.
fn load(
    origin: &Origin,
    options: LoadOptions,
    previous: Option<&Snapshot>,
) -> Result<Loaded, SourceError> {
    let mut warning = None;
    let mut phases = Phases::default();
    let started = Instant::now();
    let config = match origin {
        Origin::Local(config) => config.clone(),
        Origin::Remote { remote, branch, .. } => {
            let had_clone = previous.is_none() && remote.is_cloned();
            let branch = match remote.fetch(branch.as_deref()) {
                Ok(fetched) => Some(fetched.branch),
                // At start, a remote that cannot be reached does not stop a replica that has a
                // clone: it serves what it fetched last, and the next refresh tries again.
                Err(err @ SourceError::Fetch { .. }) if had_clone => {
                    warning = Some(err);
                    branch.clone()
                }
                Err(err) => return Err(err),
            };
            SourceConfig {
                branch,
                ..origin.repository()
            }
        }
    };
    phases.fetch = started.elapsed();
    let read = source::read(&config, previous.map(Snapshot::since))?;
    phases.read = started.elapsed() - phases.fetch;
    let snapshot = match read {
        Read::Unchanged => None,
        Read::Files(files) => Some(Snapshot::build(*files, options, previous)?),
    };
    phases.build = started.elapsed() - phases.fetch - phases.read;
    Ok(Loaded {
        snapshot,
        warning,
        phases,
    })
}

/// Logs a refresh. The first load is the caller's to report: it decides whether a failure is
/// fatal, and says where the content is served.
fn log(report: &Report, served: Option<&Snapshot>) {
    let ms = report.took.as_secs_f64() * 1000.0;
    let trigger = &report.trigger;
    if *trigger == Trigger::Start {
        if let Some(error) = report.error.as_deref().filter(|_| served.is_some()) {
            tracing::warn!("{error}");
        }
        return;
    }
    match (&report.outcome, served) {
        (Outcome::Updated { stats, changes, .. }, Some(snapshot)) => {
            tracing::info!(
                "serving {} posts from {} ({trigger}, {ms:.1} ms): {} files parsed, {} reused, {} removed; posts +{} ~{} -{} >{}",
                snapshot.post_count(),
                snapshot.revision(),
                stats.parsed,
                stats.reused,
                stats.removed,
                changes.added.len(),
                changes.changed.len(),
                changes.removed.len(),
                changes.renamed.len(),
            );
        }
        (Outcome::Failed, _) => tracing::error!(
            "refresh failed ({trigger}, {ms:.1} ms), the last good commit keeps serving: {}",
            report.error.as_deref().unwrap_or_default()
        ),
        _ => tracing::debug!("refresh ({trigger}, {ms:.1} ms): commit unchanged"),
    }
    if let (Outcome::Updated { .. }, Some(error)) = (&report.outcome, &report.error) {
        tracing::warn!("{error}");
    }
}
