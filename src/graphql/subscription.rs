//! The root `Subscription` type: live updates after each refresh.

use std::sync::Arc;

use async_graphql::{Context, Result, SimpleObject, Subscription as SubscriptionRoot};
use futures_util::{Stream, StreamExt as _};
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use super::changes::ChangeLists;
use super::query::Revision;
use super::shared;
use crate::refresh::{Refresher, Update};

/// Live updates, over WebSocket (the graphql-transport-ws protocol).
pub struct Subscription;

/// Live updates, over WebSocket (the graphql-transport-ws protocol).
#[SubscriptionRoot]
impl Subscription {
    /// An event each time a new commit is served (after a push, a webhook or a poll), with the
    /// posts that appeared, changed, were renamed or disappeared. Nothing is sent for a refresh that
    /// found the commit unchanged.
    async fn content_updated(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = ContentUpdate> + use<>> {
        let updates = shared::<Arc<Refresher>>(ctx)?.subscribe();
        let events = BroadcastStream::new(updates).scan(0, |missed, update| {
            let event = match update {
                Ok(update) => Some(ContentUpdate::new(&update, std::mem::take(missed))),
                // A subscriber too slow to keep up skips updates; the next event says how many.
                Err(BroadcastStreamRecvError::Lagged(skipped)) => {
                    *missed += skipped;
                    None
                }
            };
            std::future::ready(Some(event))
        });
        Ok(events.filter_map(std::future::ready))
    }
}

/// A new commit is served.
#[derive(SimpleObject)]
pub(crate) struct ContentUpdate {
    /// The commit served now.
    revision: Revision,
    /// The commit served before (null for the first load).
    previous: Option<String>,
    /// The posts that differ, as `changes(from: previous)` answers them.
    #[graphql(flatten)]
    changes: ChangeLists,
    /// Updates this subscriber missed before this one because it read too slowly (0 normally).
    /// When it is not 0, the lists do not cover everything that changed since the last event
    /// received: ask `changes(from:)` with the last commit seen.
    missed_updates: u64,
}

impl ContentUpdate {
    fn new(update: &Update, missed_updates: u64) -> Self {
        ContentUpdate {
            revision: Revision::from(&update.revision),
            previous: update.previous.clone(),
            changes: ChangeLists::from(&update.changes),
            missed_updates,
        }
    }
}
