//! `at(ref:)`: every field of `Query`, evaluated at another branch, tag or commit. The field's
//! answer is the `Query` type itself, resolved with that commit's snapshot (and what its
//! publishing rules hide now) in place of the served one for the whole subtree, so every
//! resolver below reads it the way it reads the served one. Who may read what is decided here:
//! the served branch and its history are public; anything else, and drafts, needs a preview
//! token, and is refused the same way whether it exists or not.

use std::borrow::Cow;
use std::sync::{Arc, Mutex, PoisonError};

use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{
    Context, ContextSelectionSet, Data, OutputType, Positioned, ServerResult, Value,
};
use chrono::{DateTime, Utc};
use git2::Oid;

use super::{Access, Query, code, coded, shared};
use crate::clock::Clock;
use crate::index::Snapshot;
use crate::refresh::{Found, Refs};
use crate::source::{RefError, RefKind};

/// `Query` at another commit: the value of `at(ref:)`.
pub(crate) struct At(Data);

impl OutputType for At {
    fn type_name() -> Cow<'static, str> {
        <Query as OutputType>::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Query as OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        // The same selection, with this commit's snapshot and view found before the request's.
        let mut scoped = ctx.clone();
        scoped.execute_data = Some(&self.0);
        <Query as OutputType>::resolve(&Query, &scoped, field).await
    }
}

/// What a request read besides the served snapshot, for its caching headers: `at` and `changes`
/// add to it as they resolve refs. The HTTP edge puts one in each request's data.
#[derive(Debug, Default)]
pub(crate) struct Reads(Mutex<Vec<Read>>);

/// One commit a request read through a ref.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Read {
    pub(crate) commit: Oid,
    /// Named by its full id, not by a name that can move.
    pub(crate) full_id: bool,
    /// Read with the preview token: not the served branch's history, or with drafts.
    pub(crate) preview: bool,
    /// When a scheduled post of that commit appears or disappears next.
    pub(crate) next_change: Option<DateTime<Utc>>,
}

impl Reads {
    fn add(&self, read: Read) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(read);
    }

    /// Every commit read so far.
    pub(crate) fn all(&self) -> Vec<Read> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Resolves `reference` for a reader with `ctx`'s access: the commit's snapshot, built or kept,
/// recorded in the request's [`Reads`].
pub(crate) async fn snapshot_at(
    ctx: &Context<'_>,
    reference: &str,
    drafts: bool,
) -> async_graphql::Result<(Arc<Snapshot>, Found)> {
    let access = Access::of(ctx);
    if drafts && !access.preview {
        return Err(forbidden(reference, access));
    }
    let refs = shared::<Arc<Refs>>(ctx)?;
    let found = refs.find(reference).await.map_err(|err| match err {
        RefError::Malformed { .. } => super::bad_input(err.to_string()),
        RefError::NotFound { .. } | RefError::Ambiguous { .. } if !access.preview => {
            forbidden(reference, access)
        }
        RefError::NotFound { .. } => coded(err.to_string(), code::NOT_FOUND),
        RefError::Ambiguous { .. } => super::bad_input(err.to_string()),
        err => unreadable(reference, &err),
    })?;
    if !found.published && !access.preview {
        return Err(forbidden(reference, access));
    }
    let snapshot = refs
        .snapshot(found.commit, drafts)
        .await
        .map_err(|err| unreadable(reference, &err))?;
    if let Some(reads) = ctx.data_opt::<Arc<Reads>>() {
        let now = shared::<Clock>(ctx)?.now();
        reads.add(Read {
            commit: found.commit,
            full_id: found.kind == RefKind::Commit,
            preview: drafts || !found.published,
            next_change: snapshot.view(now).next_change(),
        });
    }
    Ok((snapshot, found))
}

/// The value of `at(ref:)`: `Query` at that commit.
pub(crate) async fn at(
    ctx: &Context<'_>,
    reference: &str,
    drafts: bool,
) -> async_graphql::Result<At> {
    let (snapshot, _) = snapshot_at(ctx, reference, drafts).await?;
    let view = snapshot.view(shared::<Clock>(ctx)?.now());
    let mut data = Data::default();
    data.insert(snapshot);
    data.insert(view);
    Ok(At(data))
}

/// Refused for want of a preview token: the same answer whether `reference` exists or not.
fn forbidden(reference: &str, access: Access) -> async_graphql::Error {
    let why = if access.token_refused {
        "the Authorization header's token is not one of the server's --preview-token values"
    } else {
        "send `Authorization: Bearer <token>` with one of the server's --preview-token values"
    };
    coded(
        format!(
            "reading `{}` (another branch, a tag or commit outside the served branch, or drafts) needs a preview token: {why}",
            reference.chars().take(80).collect::<String>()
        ),
        code::FORBIDDEN,
    )
}

/// A ref that resolved but whose commit cannot be read (no content folder there, a broken
/// Hugo configuration), or git failing.
fn unreadable(reference: &str, err: &RefError) -> async_graphql::Error {
    match err.unshared() {
        RefError::NotReady => coded(err.to_string(), code::NOT_READY),
        RefError::Source(source) if source.is_content_problem() => coded(
            format!(
                "`{reference}` cannot be read: {}",
                crate::error_chain(source)
            ),
            code::NOT_FOUND,
        ),
        err => {
            tracing::error!("reading `{reference}`: {}", crate::error_chain(err));
            coded(
                "internal error: the server log has the details",
                code::INTERNAL,
            )
        }
    }
}
