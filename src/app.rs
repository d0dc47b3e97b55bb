//! The running application: the snapshot being served, what keeps it fresh and tells others
//! about it, the render cache and the schema.

use std::sync::Arc;
use std::time::Duration;

use crate::cache::RenderCache;
use crate::config::Peer;
use crate::config::{ApiConfig, Config, Disclosure, ListingConfig};
use crate::content::RenderOptions;
use crate::graphql::{Access, Limits, QuireSchema, build_schema};
use crate::index::{Served, Snapshot, View};
use crate::notify::Notifier;
use crate::refresh::{Refresher, Refs, Trigger};
use crate::source::SourceError;

/// A snapshot and what its publishing rules hide at the instant a request arrived.
#[derive(Debug, Clone)]
pub(crate) struct Pinned {
    pub(crate) snapshot: Arc<Snapshot>,
    pub(crate) view: Arc<View>,
    pub(crate) now: chrono::DateTime<chrono::Utc>,
}

impl Pinned {
    /// Names what an answer was computed from: the commit, and the publishing epoch when the
    /// commit has scheduled posts (`<commit>` or `<commit>@<epoch>`). Part of every cache key
    /// and `ETag`.
    pub(crate) fn version(&self) -> String {
        let commit = &self.snapshot.revision().commit;
        if self.view.epoch() == 0 && self.view.next_change().is_none() {
            commit.clone()
        } else {
            format!("{commit}@{}", self.view.epoch())
        }
    }

    /// Seconds until the answer may change without a push (the next scheduled change), when
    /// one is scheduled; at least 0.
    pub(crate) fn seconds_to_change(&self) -> Option<u64> {
        self.view
            .next_change()
            .map(|t| u64::try_from((t - self.now).num_seconds()).unwrap_or(0))
    }
}

/// Everything a request needs. Shared as `Arc<App>`.
pub struct App {
    served: Arc<Served>,
    refresher: Arc<Refresher>,
    notifier: Arc<Notifier>,
    schema: QuireSchema,
    branch: Option<String>,
    webhook_secret: Option<String>,
    peers: Vec<Peer>,
    poll_interval: Option<Duration>,
    api: ApiConfig,
    render: RenderOptions,
    disclosure: Disclosure,
    content_variant: String,
    listing: ListingConfig,
    preview_tokens: Vec<String>,
}

impl App {
    /// Builds the app with nothing loaded yet: GraphQL answers "not ready" until the first
    /// [`Refresher::refresh`] finishes.
    ///
    /// # Errors
    /// [`SourceError::NoDataDir`] when a remote repository has nowhere to be cloned.
    pub fn new(config: &Config) -> Result<App, SourceError> {
        let served = Arc::new(Served::default());
        let load = config.load_options();
        let render = load.render.clone();
        let origin = config.origin()?;
        let refs = Arc::new(Refs::new(
            origin.clone(),
            load.clone(),
            Arc::clone(&served),
            config.refs.ref_cache,
            config.refs.ref_fetch_interval(),
        ));
        let notifier = Arc::new(Notifier::new(&config.notify));
        let refresher = Arc::new(Refresher::new(
            origin,
            load,
            Arc::clone(&served),
            Arc::clone(&notifier),
        ));
        let api = &config.api;
        let schema = build_schema(
            RenderCache::new(config.cache_bytes()),
            Arc::clone(&served),
            Arc::clone(&refresher),
            Limits {
                depth: api.max_depth as usize,
                complexity: api.max_complexity as usize,
                aliases: api.max_aliases as usize,
            },
            !api.disable_introspection,
            config.listing.clock.clone(),
            refs,
        );
        Ok(App {
            served,
            refresher,
            notifier,
            schema,
            branch: config.branch.clone(),
            webhook_secret: config.webhook_secret.clone(),
            peers: config.peers.clone(),
            poll_interval: config.poll_interval(),
            api: config.api.clone(),
            render,
            disclosure: Disclosure::new(config),
            content_variant: format!(
                "quire {}; root={}; site={}; permalinks={:?}; ugly={:?}; drafts={}; future={}; expired={}",
                env!("CARGO_PKG_VERSION"),
                config.root.as_deref().unwrap_or("(config)"),
                config.site.as_deref().unwrap_or("(root)"),
                config.permalinks,
                config.ugly_urls,
                config.drafts,
                config.listing.future,
                config.listing.expired,
            ),
            listing: config.listing.clone(),
            preview_tokens: config.refs.preview_tokens.clone(),
        })
    }

    /// Builds the app and loads the configured commit (cloning a remote repository first).
    ///
    /// # Errors
    /// [`SourceError`] when the repository, branch or root cannot be read.
    pub async fn load(config: &Config) -> Result<App, SourceError> {
        let app = App::new(config)?;
        app.refresher.refresh(Trigger::Start).await?;
        Ok(app)
    }

    /// The snapshot being served now, `None` before the first load; hold it for a whole request.
    pub fn snapshot(&self) -> Option<Arc<Snapshot>> {
        self.served.get()
    }

    pub fn refresher(&self) -> &Arc<Refresher> {
        &self.refresher
    }

    /// Sends `--notify` receivers each new commit's changes.
    pub(crate) fn notifier(&self) -> &Notifier {
        &self.notifier
    }

    pub fn schema(&self) -> &QuireSchema {
        &self.schema
    }

    /// The branch asked for with `--branch`, if any.
    pub(crate) fn configured_branch(&self) -> Option<&str> {
        self.branch.as_deref()
    }

    pub(crate) fn webhook_secret(&self) -> Option<&str> {
        self.webhook_secret.as_deref()
    }

    pub(crate) fn peers(&self) -> &[Peer] {
        &self.peers
    }

    pub(crate) fn poll_interval(&self) -> Option<Duration> {
        self.poll_interval
    }

    /// What, besides the commit, decides the content served: the Quire version (rendering may
    /// change between versions) and the settings that select posts. Part of every `ETag`.
    pub(crate) fn content_variant(&self) -> &str {
        &self.content_variant
    }

    /// The publishing rules, feeds and search settings, and the clock.
    pub(crate) fn listing(&self) -> &ListingConfig {
        &self.listing
    }

    /// The snapshot served now and what is hidden in it at this instant: every request reads
    /// both once, here, and answers from them.
    pub(crate) fn pinned(&self) -> Option<Pinned> {
        let snapshot = self.served.get()?;
        let now = self.listing.clock.now();
        let view = snapshot.view(now);
        Some(Pinned {
            snapshot,
            view,
            now,
        })
    }

    /// What a request with `headers` may read: previews when its `Authorization: Bearer` token
    /// is one of `--preview-token` (each compared in constant time, every one of them compared).
    pub(crate) fn access(&self, headers: &axum::http::HeaderMap) -> Access {
        use subtle::ConstantTimeEq as _;
        let Some(given) = headers
            .get(axum::http::header::AUTHORIZATION)
            .map(|value| value.as_bytes())
        else {
            return Access::default();
        };
        let token = given
            .strip_prefix(b"Bearer ")
            .or_else(|| given.strip_prefix(b"bearer "))
            .unwrap_or_default();
        let matched = self
            .preview_tokens
            .iter()
            .fold(subtle::Choice::from(0), |found, t| {
                found | t.as_bytes().ct_eq(token)
            });
        let preview = bool::from(matched) && !token.is_empty();
        Access {
            preview,
            token_refused: !preview,
        }
    }

    /// What of the configuration anonymous clients may see (`--expose-details`).
    pub(crate) fn disclosure(&self) -> &Disclosure {
        &self.disclosure
    }

    /// The repository as anonymous clients may see it.
    pub(crate) fn shown_repository(&self) -> String {
        self.disclosure.repository(|| self.refresher.describe())
    }

    /// How the API answers: caching, limits, CORS, GraphiQL.
    pub fn api(&self) -> &ApiConfig {
        &self.api
    }

    /// How posts are rendered: highlighting and its theme, raw HTML, reading speed.
    pub(crate) fn render_options(&self) -> &RenderOptions {
        &self.render
    }
}
