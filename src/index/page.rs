//! Relay cursor pagination. A cursor encodes the sort key of a post (date instant and path), not
//! its position, so a cursor taken before a refresh still continues in the right place after it.

use std::cmp::Reverse;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::Placed;
use super::order_key;
use crate::content::Post;

/// Page size when `first` is not given.
pub(crate) const DEFAULT_PAGE: usize = 20;
/// Largest `first` accepted.
pub(crate) const MAX_PAGE: usize = 100;

/// An opaque position in a post listing.
pub(crate) type Cursor = String;

/// One page of a listing.
#[derive(Debug)]
pub(crate) struct Page {
    pub(crate) edges: Vec<(Cursor, Arc<Placed>)>,
    pub(crate) has_next_page: bool,
    pub(crate) has_previous_page: bool,
    /// Posts in the whole listing.
    pub(crate) total_count: usize,
}

/// A pagination argument out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PageError {
    #[error("`first` must be between 0 and {MAX_PAGE}, got {0}")]
    First(i32),
    #[error(
        "`after` is not a cursor from this API: pass the `endCursor` of the previous page (or an edge's `cursor`)"
    )]
    Cursor,
    #[error(
        "`after` is a cursor from an older version of Quire, which ordered posts by slug: start the listing again without `after`"
    )]
    OldCursor,
}

/// A decoded cursor: the sort key of the post it points after.
type CursorKey = (bool, Reverse<(i64, u32)>, String);

pub(super) fn paginate(
    posts: &[Arc<Placed>],
    indices: Option<&[usize]>,
    first: Option<i32>,
    after: Option<&str>,
) -> Result<Page, PageError> {
    let first = page_size(first)?;
    let total_count = indices.map_or(posts.len(), <[usize]>::len);
    let at = |i: usize| &posts[indices.map_or(i, |list| list[i])];
    let start = match after {
        None => 0,
        Some(cursor) => {
            let decoded = decode(cursor).ok_or_else(|| {
                if is_old(cursor) {
                    PageError::OldCursor
                } else {
                    PageError::Cursor
                }
            })?;
            let key = (decoded.0, decoded.1, decoded.2.as_str());
            match indices {
                None => posts.partition_point(|p| order_key(p) <= key),
                Some(list) => list.partition_point(|&i| order_key(&posts[i]) <= key),
            }
        }
    };
    let end = (start + first).min(total_count);
    let edges = (start..end)
        .map(|i| (encode(at(i)), Arc::clone(at(i))))
        .collect();
    Ok(Page {
        edges,
        has_next_page: end < total_count,
        has_previous_page: start > 0,
        total_count,
    })
}

/// The posts a page holds: `first`, 0 to [`MAX_PAGE`], or [`DEFAULT_PAGE`].
///
/// # Errors
/// [`PageError::First`] when `first` is out of range.
pub(crate) fn page_size(first: Option<i32>) -> Result<usize, PageError> {
    match first {
        None => Ok(DEFAULT_PAGE),
        Some(n) => usize::try_from(n)
            .ok()
            .filter(|&n| n <= MAX_PAGE)
            .ok_or(PageError::First(n)),
    }
}

/// `v2:<seconds>:<nanos>:<path>`, or `v2:-:-:<path>` for an undated post, base64url. (`v1`
/// cursors held a slug, which is no longer unique: they are refused.)
pub(crate) fn encode(post: &Post) -> Cursor {
    let (undated, Reverse((secs, nanos)), path) = order_key(post);
    let text = if undated {
        format!("v2:-:-:{path}")
    } else {
        format!("v2:{secs}:{nanos}:{path}")
    };
    URL_SAFE_NO_PAD.encode(text)
}

/// A `v1` cursor (date and slug), from before cursors held a path.
fn is_old(cursor: &str) -> bool {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .is_ok_and(|bytes| bytes.starts_with(b"v1:"))
}

fn decode(cursor: &str) -> Option<CursorKey> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    let mut parts = text.splitn(4, ':');
    if parts.next()? != "v2" {
        return None;
    }
    let (secs, nanos, slug) = (parts.next()?, parts.next()?, parts.next()?);
    if secs == "-" && nanos == "-" {
        return Some((true, Reverse((0, 0)), slug.to_owned()));
    }
    Some((
        false,
        Reverse((secs.parse().ok()?, nanos.parse().ok()?)),
        slug.to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(slug: &str, date: Option<&str>) -> Arc<Placed> {
        let front = date.map(|d| format!("date: {d}\n")).unwrap_or_default();
        let text = format!("---\nslug: {slug}\n{front}---\n");
        Placed::alone(
            Post::parse(&format!("{slug}.md"), git2::Oid::ZERO_SHA1, text.as_bytes())
                .unwrap()
                .0,
        )
    }

    fn posts() -> Vec<Arc<Placed>> {
        let mut all = vec![
            post("b", Some("2020-01-02")),
            post("a", Some("2020-01-03T09:00:00+10:00")),
            post("z", None),
            post("c", Some("2020-01-01")),
            post("y", None),
        ];
        all.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
        all
    }

    fn slugs(page: &Page) -> Vec<&str> {
        page.edges.iter().map(|(_, p)| p.slug.as_str()).collect()
    }

    #[test]
    fn walks_a_listing_to_its_end() {
        let all = posts();
        let one = paginate(&all, None, Some(2), None).unwrap();
        assert_eq!(slugs(&one), ["a", "b"]);
        assert!(one.has_next_page && !one.has_previous_page);
        let two = paginate(&all, None, Some(2), Some(&one.edges[1].0)).unwrap();
        assert_eq!(slugs(&two), ["c", "y"]);
        let three = paginate(&all, None, Some(2), Some(&two.edges[1].0)).unwrap();
        assert_eq!(slugs(&three), ["z"]);
        assert!(!three.has_next_page && three.has_previous_page);
        assert_eq!(three.total_count, 5);
    }

    #[test]
    fn continues_after_a_post_that_disappeared() {
        let all = posts();
        let cursor = encode(&all[1]); // "b"
        let without_b: Vec<_> = all.iter().filter(|p| p.slug != "b").cloned().collect();
        let next = paginate(&without_b, None, Some(1), Some(&cursor)).unwrap();
        assert_eq!(slugs(&next), ["c"]);
    }

    #[test]
    fn pages_a_subset() {
        let all = posts();
        let page = paginate(&all, Some(&[0, 3]), None, None).unwrap();
        assert_eq!(slugs(&page), ["a", "y"]);
        assert_eq!(page.total_count, 2);
    }

    #[test]
    fn rejects_out_of_range_arguments() {
        let all = posts();
        assert_eq!(
            paginate(&all, None, Some(101), None).unwrap_err(),
            PageError::First(101)
        );
        assert_eq!(
            paginate(&all, None, Some(-1), None).unwrap_err(),
            PageError::First(-1)
        );
        assert_eq!(
            paginate(&all, None, None, Some("nonsense")).unwrap_err(),
            PageError::Cursor
        );
        let forged = URL_SAFE_NO_PAD.encode("v3:1:2:x");
        assert_eq!(
            paginate(&all, None, None, Some(&forged)).unwrap_err(),
            PageError::Cursor
        );
        let old = URL_SAFE_NO_PAD.encode("v1:1:2:x");
        assert_eq!(
            paginate(&all, None, None, Some(&old)).unwrap_err(),
            PageError::OldCursor
        );
        assert!(
            paginate(&all, None, Some(0), None)
                .unwrap()
                .edges
                .is_empty()
        );
    }
}
