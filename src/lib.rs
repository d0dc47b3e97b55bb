//! Quire serves Markdown posts straight out of a git repository over GraphQL.
//!
//! Data flows one way:
//!
//! ```text
//! git (source) -> parse (content) -> Snapshot (index) -> rendered HTML (cache) -> GraphQL (graphql) -> HTTP (http)
//! ```
//!
//! [`source`] lists the posts of one commit with git2 on a blocking thread and reads their blobs
//! on all cores (cloning and fetching remote repositories); [`content`] parses front matter and renders Markdown with pure functions;
//! [`index`] builds an immutable snapshot of the commit with lookups by slug, ISO week, category
//! and keyword; [`refresh`] swaps in a new snapshot when the branch moves, parsing only the blobs
//! that changed; [`cache`] keeps rendered HTML keyed by git blob id; [`graphql`] resolves queries
//! against one snapshot per request; [`http`] serves it with axum and takes webhooks; [`notify`]
//! tells `--notify` receivers which posts each new commit changed, in signed messages.

mod app;
#[doc(hidden)]
pub mod bench;
mod cache;
mod cli;
mod clock;
mod config;
mod content;
mod graphql;
mod http;
mod index;
mod notify;
mod refresh;
mod source;

pub use app::App;
pub use cache::RenderCache;
pub use cli::{Cli, Command, LogFormat};
pub use clock::Clock;
pub use config::{ApiConfig, Config, FeedContent, ListingConfig, NotifyConfig, Peer, RefsConfig};
pub use content::{Highlight, RawHtml, RenderOptions};
pub use graphql::{Limits, Query, QuireSchema, Subscription, schema_sdl};
pub use http::{bind, build_router, serve};
pub use index::RenderError;
pub use index::{
    BuildStats, ChangedPost, LoadOptions, PostChanges, Problem, Publishing, Renamed, RenderReport,
    Revision, Served, Snapshot,
};
pub use notify::{NotifySecret, RetrySchedule, SecretError};
pub use refresh::{Background, Counters, Outcome, Phases, Refresher, Report, Trigger, Update};
pub use source::{CREDENTIAL_ENV, Remote, SourceConfig, SourceError};

/// An error with its causes, `outer: inner`, the way `anyhow` prints `{:#}`.
pub(crate) fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// What a panic said: its message when it is a string, "a panic" otherwise.
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned())
}
