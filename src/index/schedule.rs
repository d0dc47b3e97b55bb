//! Publishing rules at query time. A post with a `publishDate` after now, or an `expiryDate` at
//! or before now, is hidden (unless `--future` / `--expired`), evaluated for every request at
//! the instant the request arrived, so a scheduled post appears on time with no push.
//!
//! Between two of the instants at which some post appears or disappears, every answer is the
//! same: those instants cut time into *epochs*. A [`View`] is what is hidden in one epoch; it is
//! made once per epoch and shared by every request in it, and its epoch is part of every cache
//! key and `ETag`, and its end caps `Cache-Control: max-age`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};

use super::Placed;

/// Which publishing rules are off (`--future`, `--expired`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Publishing {
    /// Serve posts whose publish date is still to come.
    pub future: bool,
    /// Serve posts whose expiry date has passed.
    pub expired: bool,
}

/// A page whose visibility depends on the time.
#[derive(Debug)]
struct Timed {
    page: Arc<Placed>,
    /// Position in the snapshot's listed posts, when listed.
    position: Option<usize>,
    /// Hidden before this instant.
    publish: Option<DateTime<Utc>>,
    /// Hidden from this instant on.
    expiry: Option<DateTime<Utc>>,
}

impl Timed {
    fn hidden_at(&self, now: DateTime<Utc>) -> bool {
        self.publish.is_some_and(|t| t > now) || self.expiry.is_some_and(|t| t <= now)
    }
}

/// The instants at which a snapshot's pages appear or disappear, and the view last asked for.
#[derive(Debug, Default)]
pub(crate) struct Schedule {
    /// Ascending, without repeats.
    instants: Vec<DateTime<Utc>>,
    timed: Vec<Timed>,
    /// The view of the last epoch asked for (most requests are in the same one).
    last: Mutex<Option<Arc<View>>>,
}

/// What is hidden during one epoch.
#[derive(Debug, Default)]
pub(crate) struct View {
    /// Number of schedule instants at or before the instants of this view: names the epoch.
    epoch: usize,
    /// The first instant after this epoch, when a page appears or disappears.
    next_change: Option<DateTime<Utc>>,
    /// Paths of the hidden pages.
    hidden: HashSet<String>,
    /// Positions of the hidden listed posts, ascending.
    hidden_positions: Vec<usize>,
}

impl Schedule {
    /// The schedule of the `listed` posts (by their position) and the `unlisted` pages.
    pub(crate) fn new<'p>(
        listed: &'p [Arc<Placed>],
        unlisted: impl Iterator<Item = &'p Arc<Placed>>,
        rules: Publishing,
    ) -> Schedule {
        let pages = listed
            .iter()
            .enumerate()
            .map(|(i, p)| (Some(i), p))
            .chain(unlisted.map(|p| (None, p)));
        let mut timed = Vec::new();
        for (position, page) in pages {
            let publish = page
                .publish_date
                .filter(|_| !rules.future)
                .map(|d| d.instant());
            let expiry = page
                .expiry_date
                .filter(|_| !rules.expired)
                .map(|d| d.instant());
            if publish.is_none() && expiry.is_none() {
                continue;
            }
            timed.push(Timed {
                page: Arc::clone(page),
                position,
                publish,
                expiry,
            });
        }
        let mut instants: Vec<DateTime<Utc>> = timed
            .iter()
            .flat_map(|t| [t.publish, t.expiry])
            .flatten()
            .collect();
        instants.sort_unstable();
        instants.dedup();
        Schedule {
            instants,
            timed,
            last: Mutex::new(None),
        }
    }

    /// What is hidden at `now`.
    pub(crate) fn view(&self, now: DateTime<Utc>) -> Arc<View> {
        let epoch = self.instants.partition_point(|t| *t <= now);
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(view) = last.as_ref().filter(|v| v.epoch == epoch) {
            return Arc::clone(view);
        }
        let hidden: Vec<&Timed> = self.timed.iter().filter(|t| t.hidden_at(now)).collect();
        let mut hidden_positions: Vec<usize> = hidden.iter().filter_map(|t| t.position).collect();
        hidden_positions.sort_unstable();
        let view = Arc::new(View {
            epoch,
            next_change: self.instants.get(epoch).copied(),
            hidden: hidden.iter().map(|t| t.page.path.clone()).collect(),
            hidden_positions,
        });
        *last = Some(Arc::clone(&view));
        view
    }
}

impl View {
    /// Names the epoch within its snapshot: with the commit, the key of every cached answer.
    pub(crate) fn epoch(&self) -> usize {
        self.epoch
    }

    /// When the next page appears or disappears; `None` when none ever will.
    pub(crate) fn next_change(&self) -> Option<DateTime<Utc>> {
        self.next_change
    }

    /// Whether `page` is hidden in this epoch.
    pub(crate) fn hides(&self, page: &Placed) -> bool {
        !self.hidden.is_empty() && self.hidden.contains(&page.path)
    }

    /// Whether the listed post at `position` is hidden.
    pub(crate) fn hides_position(&self, position: usize) -> bool {
        !self.hidden_positions.is_empty() && self.hidden_positions.binary_search(&position).is_ok()
    }

    /// Whether nothing is hidden: every listing is as the snapshot holds it.
    pub(crate) fn hides_nothing(&self) -> bool {
        self.hidden.is_empty()
    }

    /// Positions of the hidden listed posts, ascending.
    pub(crate) fn hidden_positions(&self) -> &[usize] {
        &self.hidden_positions
    }

    /// How many of `positions` (ascending) are not hidden.
    pub(crate) fn count_shown(&self, positions: &[usize]) -> usize {
        positions.len()
            - self
                .hidden_positions
                .iter()
                .filter(|i| positions.binary_search(i).is_ok())
                .count()
    }

    /// `page`, unless it is hidden.
    pub(crate) fn shown<'p>(&self, page: &'p Arc<Placed>) -> Option<&'p Arc<Placed>> {
        (!self.hides(page)).then_some(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Post;

    fn page(path: &str, front: &str) -> Arc<Placed> {
        let text = format!("---\n{front}\n---\n");
        Placed::alone(
            Post::parse(path, git2::Oid::ZERO_SHA1, text.as_bytes())
                .unwrap()
                .0,
        )
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn a_post_appears_at_its_publish_instant_and_goes_at_its_expiry_instant() {
        let pages = [
            page("a.md", "date: 2026-01-01T09:00:00Z"),
            page(
                "b.md",
                "date: 2020-01-01\npublishDate: 2026-01-01T10:00:00+01:00\nexpiryDate: 2026-01-02T00:00:00Z",
            ),
            page("c.md", "title: undated"),
        ];
        let schedule = Schedule::new(&pages, std::iter::empty(), Publishing::default());
        // `a` by its date (the publish date when none is written), `b` at 09:00 UTC too.
        let before = schedule.view(at("2026-01-01T08:59:59Z"));
        assert!(before.hides(&pages[0]) && before.hides(&pages[1]) && !before.hides(&pages[2]));
        assert_eq!(before.hidden_positions(), [0, 1]);
        assert_eq!(before.next_change(), Some(at("2026-01-01T09:00:00Z")));

        let on_time = schedule.view(at("2026-01-01T09:00:00Z"));
        assert!(on_time.hides_nothing());
        assert_ne!(on_time.epoch(), before.epoch());
        assert_eq!(on_time.next_change(), Some(at("2026-01-02T00:00:00Z")));
        // The same epoch is the same view.
        assert!(Arc::ptr_eq(
            &on_time,
            &schedule.view(at("2026-01-01T18:00:00Z"))
        ));

        let expired = schedule.view(at("2026-01-02T00:00:00Z"));
        assert!(expired.hides(&pages[1]) && !expired.hides(&pages[0]));
        assert!(expired.hides_position(1) && !expired.hides_position(0));
        assert_eq!(expired.next_change(), None);
    }

    #[test]
    fn future_and_expired_posts_are_served_when_asked_for() {
        let pages = [page(
            "b.md",
            "publishDate: 2030-01-01\nexpiryDate: 2020-01-01",
        )];
        let all = Publishing {
            future: true,
            expired: true,
        };
        let schedule = Schedule::new(&[], pages.iter(), all);
        let view = schedule.view(at("2026-01-01T00:00:00Z"));
        assert!(view.hides_nothing());
        assert_eq!(view.next_change(), None);
    }
}
