//! GraphQL: the schema and its resolvers. Every query pins the snapshot served when it starts (the
//! [`PinSnapshot`] extension) and every resolver reads that one `Arc<Snapshot>`, so an answer never
//! mixes two commits. Nothing here knows about axum or HTTP.

mod at;
mod changes;
mod guard;
mod listing;
mod nulls;
mod post;
mod query;
mod search;
mod site;
mod subscription;

pub(crate) use at::{Read, Reads};
pub use guard::Limits;
use guard::with_code;
pub(crate) use guard::{code, too_deep};
pub use query::Query;
pub use subscription::Subscription;

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextPrepareRequest,
};
use async_graphql::{
    EmptyMutation, ErrorExtensions as _, Request, Response, Schema, SchemaBuilder, ServerError,
    ServerResult, Value,
};

use crate::cache::RenderCache;
use crate::clock::Clock;
use crate::index::{HISTORY_BYTES, HistoryCache, Served, Snapshot, View};
use crate::refresh::{Refresher, Refs};

/// The schema Quire serves.
pub type QuireSchema = Schema<Query, EmptyMutation, Subscription>;

/// Builds the schema: queries read the snapshot `served` holds when they start, within `limits`;
/// `at(ref:)` and `changes` read other commits through `refs`; subscriptions listen to
/// `refresher`. Without `introspection`, `__schema` and `__type` are
/// refused (`__typename` still answers).
pub(crate) fn build_schema(
    renders: RenderCache,
    served: Arc<Served>,
    refresher: Arc<Refresher>,
    limits: Limits,
    introspection: bool,
    clock: Clock,
    refs: Arc<Refs>,
) -> QuireSchema {
    let builder = builder()
        .data(renders)
        .data(HistoryCache::new(HISTORY_BYTES))
        .data(refresher)
        .data(refs)
        .data(clock.clone())
        .extension(PinSnapshot(served, clock))
        // Before the guard, which parses the query itself: this one keeps its text.
        .extension(nulls::PropagateNulls)
        .extension(guard::Guard {
            limits,
            introspection,
        });
    if introspection {
        builder.finish()
    } else {
        builder.disable_introspection().finish()
    }
}

fn builder() -> SchemaBuilder<Query, EmptyMutation, Subscription> {
    Schema::build(Query, EmptyMutation, Subscription)
}

/// The schema in SDL, as `quire export-schema` prints it and `schema.graphql` holds it.
pub fn schema_sdl() -> String {
    builder().finish().sdl()
}

/// Pins each request to one snapshot and one instant: those the HTTP edge put in its data (so
/// its `ETag`, cache key and answer come from one commit and one publishing epoch), or else
/// the snapshot served now and what is published at this instant by the clock (subscriptions
/// and other callers). Puts its commit into the answer's `extensions.revision`, so a client
/// knows which commit it read.
struct PinSnapshot(Arc<Served>, Clock);

impl ExtensionFactory for PinSnapshot {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(PinSnapshot(Arc::clone(&self.0), self.1.clone()))
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for PinSnapshot {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let has = |request: &Request, id| request.data.contains_key(&id);
        if has(&request, std::any::TypeId::of::<Arc<View>>()) {
            return next.run(ctx, request).await;
        }
        let snapshot = match request.data.get(&std::any::TypeId::of::<Arc<Snapshot>>()) {
            Some(pinned) => (**pinned).downcast_ref::<Arc<Snapshot>>().cloned(),
            None => self.0.get(),
        };
        let Some(snapshot) = snapshot else {
            return Err(with_code(
                ServerError::new(
                    "Quire is still loading its content: retry in a moment (GET /readyz says when it is ready)",
                    None,
                ),
                code::NOT_READY,
            ));
        };
        let view = snapshot.view(self.1.now());
        next.run(ctx, request.data(snapshot).data(view)).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        if let Some(snapshot) = ctx.data_opt::<Arc<Snapshot>>() {
            response.extensions.insert(
                "revision".to_owned(),
                Value::String(snapshot.revision().commit.clone()),
            );
        }
        response
    }
}

/// What the request may see, put in its data by the HTTP edge: `preview` when it carries one of
/// the `--preview-token`s. Without it (subscriptions, tests, other callers), public access.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Access {
    /// The request showed a valid preview token: other refs, drafts and authors' emails.
    pub(crate) preview: bool,
    /// The request showed a token that is not one of them (treated as none, but said so).
    pub(crate) token_refused: bool,
}

impl Access {
    /// The request's access: public unless the edge said otherwise.
    pub(crate) fn of(ctx: &async_graphql::Context<'_>) -> Access {
        ctx.data_opt::<Access>().copied().unwrap_or_default()
    }
}

/// An error with `extensions.code`.
fn coded(message: impl Into<String>, code: &'static str) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, e| e.set("code", code))
}

/// An error the client can fix, with `extensions.code = "BAD_USER_INPUT"`.
fn bad_input(message: impl Into<String>) -> async_graphql::Error {
    coded(message, code::BAD_USER_INPUT)
}

/// Longest a request waits for what is read from every post after a load (links, text) before
/// it answers `NOT_READY`.
const BUILD_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Runs `work` on a blocking thread (it waits for, or does, what is read from every post after a
/// load: `what`); `NOT_READY` when that takes longer than [`BUILD_WAIT`]. The work goes on.
async fn after_load<T: Send + 'static>(
    what: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> async_graphql::Result<T> {
    let work = tokio::task::spawn_blocking(work);
    let Ok(done) = tokio::time::timeout(BUILD_WAIT, work).await else {
        return Err(coded(
            format!(
                "{what} still being read after a load (for more than {} s): ask again shortly",
                BUILD_WAIT.as_secs()
            ),
            code::NOT_READY,
        ));
    };
    Ok(done.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic())))
}

/// Data the schema or a request holds (the pinned snapshot, the render cache): its absence is
/// a bug, answered as `INTERNAL` without details.
fn shared<'a, T: std::any::Any + Send + Sync>(
    ctx: &async_graphql::Context<'a>,
) -> async_graphql::Result<&'a T> {
    ctx.data::<T>().map_err(|err| {
        tracing::error!("resolver context: {}", err.message);
        coded(
            "internal error: the server log has the details",
            code::INTERNAL,
        )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn schema_file_matches_the_served_schema() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
        let file = std::fs::read_to_string(path).expect("schema.graphql at the repository root");
        assert!(
            file == super::schema_sdl(),
            "schema.graphql is out of date: run `cargo run -- export-schema > schema.graphql`"
        );
    }
}
