//! The orders of a listing, and cursors that hold a post's place in one. A cursor holds the
//! sort key of the post it points after, not a position, so it continues in the right place
//! after a refresh (as the newest-first cursors of [`super::super::page`] do).

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use super::Facts;
use crate::index::Placed;
use crate::index::page::{self, Page, PageError};

/// The order of a listing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Order {
    /// Newest first; undated posts last.
    #[default]
    DateDesc,
    /// Oldest first; undated posts last.
    DateAsc,
    /// By title, case-insensitively.
    Title,
    /// Hugo's default page order: by `weight`, lightest first, posts without one (0) after;
    /// then newest first.
    Weight,
    /// Last modified first; posts without a date last.
    Lastmod,
    /// Longest first (words as `wordCount` counts them).
    WordCount,
}

impl Order {
    fn name(self) -> &'static str {
        match self {
            Order::DateDesc => "DATE_DESC",
            Order::DateAsc => "DATE_ASC",
            Order::Title => "TITLE",
            Order::Weight => "WEIGHT",
            Order::Lastmod => "LASTMOD",
            Order::WordCount => "WORD_COUNT",
        }
    }
}

/// What a post is sorted by first, as values whose ascending order is the listing's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
enum Primary {
    DateAsc {
        undated: bool,
        secs: i64,
        nanos: i64,
    },
    Title(String),
    Weight {
        unset: bool,
        weight: i64,
    },
    Lastmod {
        undated: bool,
        secs: i64,
        nanos: i64,
    },
    Words(i64),
}

/// A post's whole sort key: the primary value, then newest first, then the path (unique).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Key {
    primary: Primary,
    undated: bool,
    secs: i64,
    nanos: i64,
    path: String,
}

/// An instant's seconds and nanoseconds, negated for newest first.
fn newest_first(date: Option<crate::content::PostDate>) -> (bool, i64, i64) {
    match date.map(|d| d.instant()) {
        Some(t) => (
            false,
            -t.timestamp(),
            -i64::from(t.timestamp_subsec_nanos()),
        ),
        None => (true, 0, 0),
    }
}

fn key(post: &Placed, position: usize, order: Order, facts: Option<&dyn Facts>) -> Key {
    let (undated, secs, nanos) = newest_first(post.date);
    let primary = match order {
        // Newest first has its own cursors; this key is never used for it.
        Order::DateDesc | Order::DateAsc => Primary::DateAsc {
            undated,
            secs: -secs,
            nanos: -nanos,
        },
        Order::Title => Primary::Title(post.title.to_lowercase()),
        Order::Weight => {
            let weight = post.placement.weight;
            Primary::Weight {
                unset: weight == 0,
                weight,
            }
        }
        Order::Lastmod => {
            let (undated, secs, nanos) = newest_first(post.lastmod);
            Primary::Lastmod {
                undated,
                secs,
                nanos,
            }
        }
        Order::WordCount => Primary::Words(-i64::from(facts.map_or(0, |f| f.words(position)))),
    };
    Key {
        primary,
        undated,
        secs,
        nanos,
        path: post.path.clone(),
    }
}

/// Sorts `positions` (ascending, which is newest first) into `order`.
pub(super) fn sort(
    posts: &[Arc<Placed>],
    positions: &mut [usize],
    order: Order,
    facts: Option<&dyn Facts>,
) {
    if order != Order::DateDesc {
        positions.sort_by_cached_key(|&i| key(&posts[i], i, order, facts));
    }
}

/// A page of `positions` (in `order`, from [`crate::index::Snapshot::select`]) after the
/// cursor `after`.
///
/// # Errors
/// [`PageError`] when `first` is out of range or `after` is not a cursor of this order.
pub(crate) fn paginate(
    posts: &[Arc<Placed>],
    positions: &[usize],
    order: Order,
    facts: Option<&dyn Facts>,
    first: Option<i32>,
    after: Option<&str>,
) -> Result<Page, PageError> {
    if order == Order::DateDesc {
        return page::paginate(posts, Some(positions), first, after);
    }
    let first = page::page_size(first)?;
    let start = match after {
        None => 0,
        Some(cursor) => {
            let after = decode(cursor, order).ok_or(PageError::Cursor)?;
            positions.partition_point(|&i| key(&posts[i], i, order, facts) <= after)
        }
    };
    let total_count = positions.len();
    let end = (start + first).min(total_count);
    let edges = positions[start.min(end)..end]
        .iter()
        .map(|&i| {
            let cursor = encode(&key(&posts[i], i, order, facts), order);
            (cursor, Arc::clone(&posts[i]))
        })
        .collect();
    Ok(Page {
        edges,
        has_next_page: end < total_count,
        has_previous_page: start > 0,
        total_count,
    })
}

/// `["v3", ORDER, key]` as JSON, base64url.
fn encode(key: &Key, order: Order) -> String {
    let json = serde_json::to_vec(&("v3", order.name(), key)).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

fn decode(cursor: &str, order: Order) -> Option<Key> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let (version, name, key): (String, String, Key) = serde_json::from_slice(&bytes).ok()?;
    (version == "v3" && name == order.name()).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Post;
    use crate::index::order_key;

    fn post(path: &str, front: &str) -> Arc<Placed> {
        let text = format!("---\n{front}\n---\n");
        Placed::alone(
            Post::parse(path, git2::Oid::ZERO_SHA1, text.as_bytes())
                .unwrap()
                .0,
        )
    }

    fn listing() -> Vec<Arc<Placed>> {
        let mut posts = vec![
            post("a.md", "title: Zebra\ndate: 2024-01-03\nweight: 2"),
            post(
                "b.md",
                "title: apple\ndate: 2024-01-02\nlastmod: 2025-01-01",
            ),
            post("c.md", "title: Mango\ndate: 2024-01-01\nweight: 1"),
            post("d.md", "title: Kiwi"),
        ];
        posts.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
        posts
    }

    fn titles(posts: &[Arc<Placed>], positions: &[usize]) -> Vec<String> {
        positions.iter().map(|&i| posts[i].title.clone()).collect()
    }

    #[test]
    fn sorts_each_order() {
        let posts = listing();
        let all: Vec<usize> = (0..posts.len()).collect();
        let sorted = |order| {
            let mut positions = all.clone();
            sort(&posts, &mut positions, order, None);
            titles(&posts, &positions)
        };
        assert_eq!(sorted(Order::DateDesc), ["Zebra", "apple", "Mango", "Kiwi"]);
        assert_eq!(sorted(Order::DateAsc), ["Mango", "apple", "Zebra", "Kiwi"]);
        assert_eq!(sorted(Order::Title), ["apple", "Kiwi", "Mango", "Zebra"]);
        assert_eq!(sorted(Order::Weight), ["Mango", "Zebra", "apple", "Kiwi"]);
        // `lastmod` falls back to the date.
        assert_eq!(sorted(Order::Lastmod), ["apple", "Zebra", "Mango", "Kiwi"]);
    }

    #[test]
    fn a_cursor_continues_after_its_post_even_when_the_listing_changed() {
        let posts = listing();
        let mut positions: Vec<usize> = (0..posts.len()).collect();
        sort(&posts, &mut positions, Order::Title, None);
        let one = paginate(&posts, &positions, Order::Title, None, Some(2), None).unwrap();
        assert_eq!(one.edges.len(), 2);
        let cursor = &one.edges[1].0; // after "Kiwi"
        // "Kiwi" is gone: the next page still starts at "Mango".
        let without: Vec<usize> = positions
            .iter()
            .copied()
            .filter(|&i| posts[i].title != "Kiwi")
            .collect();
        let two = paginate(&posts, &without, Order::Title, None, Some(2), Some(cursor)).unwrap();
        let next: Vec<_> = two.edges.iter().map(|(_, p)| p.title.as_str()).collect();
        assert_eq!(next, ["Mango", "Zebra"]);
        assert!(two.has_previous_page && !two.has_next_page);
        assert_eq!(two.total_count, 3);
    }

    #[test]
    fn a_cursor_of_another_order_is_refused() {
        let posts = listing();
        let positions: Vec<usize> = (0..posts.len()).collect();
        let page = paginate(&posts, &positions, Order::Title, None, Some(1), None).unwrap();
        let err = paginate(
            &posts,
            &positions,
            Order::Weight,
            None,
            Some(1),
            Some(&page.edges[0].0),
        )
        .unwrap_err();
        assert_eq!(err, PageError::Cursor);
    }
}
