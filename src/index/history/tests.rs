use std::sync::Barrier;

use super::*;
use crate::index::testing::{next, snapshot};
use crate::source::CommitMeta;

#[test]
fn a_walk_is_cached_by_commit_and_the_next_goes_on_from_it() {
    let cache = HistoryCache::new(HISTORY_BYTES);
    let (dir, first) = snapshot(&[("a.md", "one\n"), ("b.md", "b\n")]);
    assert!(cache.cached(&first).is_none());
    let walked = cache.walk(&first).unwrap();
    assert!(Arc::ptr_eq(&walked, &cache.cached(&first).unwrap()));
    assert_eq!(walked.changes("a.md").len(), 1);
    let second = next(dir.path(), Some(&first), &[("a.md", "one\ntwo\n")]);
    let later = cache.walk(&second).unwrap();
    assert_eq!(later.base(), Some(first.commit_id()));
    assert_eq!(later.walked(), 1, "only the new commit is read");
    let changes = later.changes("a.md");
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].commit.id, second.commit_id());
    // The older snapshot still gets the history at its own commit.
    assert_eq!(cache.walk(&first).unwrap().changes("a.md").len(), 1);
}

#[test]
fn concurrent_first_requests_share_one_walk() {
    let cache = HistoryCache::new(HISTORY_BYTES);
    let (_dir, snapshot) = snapshot(&[("a.md", "one\n")]);
    let start = Barrier::new(4);
    let walks: Vec<Arc<History>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    start.wait();
                    cache.walk(&snapshot).unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(walks.iter().all(|w| Arc::ptr_eq(w, &walks[0])));
}

/// A change by `author` in commit `n` (its id is `n` in hex).
fn change(n: u8, author: &str) -> Change {
    let time = chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").unwrap();
    Change {
        commit: Arc::new(CommitMeta {
            id: Oid::from_bytes(&[n; 20]).unwrap(),
            author_name: author.to_owned(),
            author_email: format!("{}@example.com", author.to_lowercase()),
            authored_at: time,
            committed_at: time,
            subject: format!("commit {n}"),
            body: None,
        }),
        before: Oid::ZERO_SHA1,
        after: Oid::ZERO_SHA1,
    }
}

#[test]
fn contributors_by_commits_then_by_last_change() {
    let changes = [
        change(5, "Cy"),
        change(4, "Bob"),
        change(3, "Ada"),
        change(2, "Bob"),
        change(1, "Ada"),
        change(0, "Dee"),
    ];
    let found: Vec<_> = contributors(&changes)
        .into_iter()
        .map(|c| (c.name, c.commits))
        .collect();
    assert_eq!(
        found,
        [
            ("Bob".to_owned(), 2),
            ("Ada".to_owned(), 2),
            ("Cy".to_owned(), 1),
            ("Dee".to_owned(), 1)
        ]
    );
    let mut other_address = change(6, "Ada");
    Arc::get_mut(&mut other_address.commit)
        .unwrap()
        .author_email = "ada@elsewhere".into();
    let both = contributors(&[other_address, change(1, "Ada")]);
    assert_eq!(both.len(), 2, "one name, two addresses: two contributors");
}

#[test]
fn pages_through_a_history_by_commit() {
    let changes: Vec<Change> = (0..5).rev().map(|n| change(n, "Ada")).collect();
    let subjects = |page: &HistoryPage<'_>| -> Vec<String> {
        page.edges
            .iter()
            .map(|(_, c)| c.commit.subject.clone())
            .collect()
    };
    let one = page_of(&changes, Some(2), None).unwrap();
    assert_eq!(subjects(&one), ["commit 4", "commit 3"]);
    assert!(one.has_next_page && !one.has_previous_page);
    let two = page_of(&changes, Some(2), Some(&one.edges[1].0)).unwrap();
    assert_eq!(subjects(&two), ["commit 2", "commit 1"]);
    let three = page_of(&changes, None, Some(&two.edges[1].0)).unwrap();
    assert_eq!(subjects(&three), ["commit 0"]);
    assert!(!three.has_next_page && three.has_previous_page);
    // A cursor goes on after the same commit once newer ones come first.
    let mut longer = vec![change(9, "Bob")];
    longer.extend(changes.iter().cloned());
    let again = page_of(&longer, Some(1), Some(&one.edges[1].0)).unwrap();
    assert_eq!(subjects(&again), ["commit 2"]);
}

#[test]
fn refuses_bad_page_arguments() {
    let changes = [change(1, "Ada")];
    assert_eq!(
        page_of(&changes, Some(101), None).unwrap_err(),
        HistoryPageError::First(PageError::First(101))
    );
    assert_eq!(
        page_of(&changes, None, Some("nonsense")).unwrap_err(),
        HistoryPageError::Cursor
    );
    let short = URL_SAFE_NO_PAD.encode("h1:abc");
    assert_eq!(
        page_of(&changes, None, Some(&short)).unwrap_err(),
        HistoryPageError::Cursor
    );
    let elsewhere = encode(Oid::from_bytes(&[7; 20]).unwrap());
    assert_eq!(
        page_of(&changes, None, Some(&elsewhere)).unwrap_err(),
        HistoryPageError::Unknown(Oid::from_bytes(&[7; 20]).unwrap())
    );
    assert!(page_of(&changes, Some(0), None).unwrap().edges.is_empty());
}

#[tokio::test]
async fn many_requests_at_once_wait_for_one_walk() {
    let cache = HistoryCache::new(HISTORY_BYTES);
    let (_dir, snapshot) = snapshot(&[("a.md", "one\n")]);
    let all = futures_util::future::join_all((0..50).map(|_| cache.get(&snapshot))).await;
    let all: Vec<Arc<History>> = all.into_iter().map(Result::unwrap).collect();
    assert!(all.iter().all(|h| Arc::ptr_eq(h, &all[0])));
    assert_eq!(all[0].changes("a.md").len(), 1);
}

#[tokio::test]
async fn counts_the_lines_of_a_change_once() {
    let cache = HistoryCache::new(HISTORY_BYTES);
    let (dir, first) = snapshot(&[("a.md", "one\n")]);
    let second = next(dir.path(), Some(&first), &[("a.md", "one\ntwo\nthree\n")]);
    let history = cache.get(&second).await.unwrap();
    let changes: Vec<&Change> = history.changes("a.md").iter().collect();
    let stats = cache.diff_stats(&second, &changes).await.unwrap();
    assert_eq!(stats, [(2, 0), (1, 0)]);
    assert_eq!(
        cache.stats.get(&(changes[0].before, changes[0].after)),
        Some((2, 0))
    );
    // From memory: the repository is not read again.
    let git = dir.path().join(".git");
    std::fs::rename(&git, dir.path().join("away")).unwrap();
    assert_eq!(cache.diff_stats(&second, &changes).await.unwrap(), stats);
}
