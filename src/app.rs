//! The running application: the snapshot being served, the render cache and the schema, loaded
//! from the configured repository.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::cache::RenderCache;
use crate::config::Config;
use crate::graphql::{QuireSchema, build_schema};
use crate::index::{LoadOptions, Snapshot};
use crate::source::{self, SourceConfig, SourceError};

/// Everything a request needs. Shared as `Arc<App>`.
pub struct App {
    snapshot: RwLock<Arc<Snapshot>>,
    schema: QuireSchema,
}

impl App {
    /// Loads the configured commit and builds the app around it.
    ///
    /// # Errors
    /// [`SourceError`] when the repository, branch or root cannot be read.
    pub async fn load(config: &Config) -> Result<App, SourceError> {
        let (snapshot, _) = load_snapshot(config.source(), config.load_options()).await?;
        Ok(App::new(snapshot, RenderCache::new(config.cache_bytes())))
    }

    pub fn new(snapshot: Snapshot, renders: RenderCache) -> App {
        App {
            snapshot: RwLock::new(Arc::new(snapshot)),
            schema: build_schema(renders),
        }
    }

    /// The snapshot being served now; hold it for a whole request.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(|e| e.into_inner()))
    }

    pub fn schema(&self) -> &QuireSchema {
        &self.schema
    }
}

/// Reads and indexes one commit on a blocking thread; returns the snapshot and how long it took.
///
/// # Errors
/// [`SourceError`] when the repository, branch or root cannot be read.
pub async fn load_snapshot(
    source: SourceConfig,
    options: LoadOptions,
) -> Result<(Snapshot, Duration), SourceError> {
    let task = tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let files = source::read(&source)?;
        Ok((Snapshot::build(files, options), started.elapsed()))
    });
    match task.await {
        Ok(result) => result,
        Err(err) => std::panic::resume_unwind(err.into_panic()),
    }
}
