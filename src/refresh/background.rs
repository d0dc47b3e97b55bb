//! The refresher's background tasks: one serving [`Refresher::request`]s, and one asking for a
//! refresh every poll interval. They run for as long as the server, which stops them with
//! [`Background::shutdown`].

use std::sync::Arc;
use std::time::Duration;

use super::{Refresher, Trigger};

/// The running background tasks; dropping this stops them too.
#[must_use = "the tasks stop when this is dropped"]
pub struct Background {
    tasks: tokio::task::JoinSet<()>,
}

impl Background {
    /// Stops the tasks and waits until they are gone. A refresh under way is abandoned at its
    /// next await; one on a blocking thread finishes there, its result unused.
    pub async fn shutdown(mut self) {
        self.tasks.shutdown().await;
    }
}

impl Refresher {
    /// Starts serving [`Self::request`]s in the background, and polling the branch every
    /// `poll` when given.
    pub fn spawn_background(self: &Arc<Self>, poll: Option<Duration>) -> Background {
        let mut tasks = tokio::task::JoinSet::new();
        let refresher = Arc::clone(self);
        tasks.spawn(async move { refresher.run().await });
        if let Some(every) = poll {
            let refresher = Arc::clone(self);
            tasks.spawn(async move { refresher.poll(every).await });
        }
        Background { tasks }
    }

    /// Asks for a refresh every `every`, the first one `every` from now.
    async fn poll(&self, every: Duration) {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            self.request(Trigger::Poll);
        }
    }
}
