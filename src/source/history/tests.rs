use git2::{Index, Oid, Repository, Signature, Time};

use crate::source::testing;

use super::*;

/// A throwaway repository whose commits each come a minute after the one before, by the
/// author a test names.
struct Repo {
    dir: tempfile::TempDir,
    repo: Repository,
    time: i64,
}

/// A change to commit: `(path, Some(text))` writes, `(path, None)` removes.
type Edit<'a> = (&'a str, Option<&'a str>);

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        Repo {
            dir,
            repo,
            time: 1_700_000_000,
        }
    }

    /// Commits `edits` on top of HEAD and moves HEAD there.
    fn commit(&mut self, author: &str, message: &str, edits: &[Edit<'_>]) -> Oid {
        let head = self.repo.head().ok().and_then(|h| h.target());
        let parents: Vec<Oid> = head.into_iter().collect();
        let id = self.commit_on(&parents, author, message, edits);
        self.advance(id);
        id
    }

    /// Moves HEAD's branch to `commit`.
    fn advance(&self, commit: Oid) {
        self.repo
            .reference("refs/heads/main", commit, true, "test")
            .unwrap();
        self.repo.set_head("refs/heads/main").unwrap();
    }

    /// Commits `edits` on the tree of the first of `parents`, HEAD left alone.
    fn commit_on(
        &mut self,
        parents: &[Oid],
        author: &str,
        message: &str,
        edits: &[Edit<'_>],
    ) -> Oid {
        let mut index = Index::new().unwrap();
        if let Some(&first) = parents.first() {
            index
                .read_tree(&self.repo.find_commit(first).unwrap().tree().unwrap())
                .unwrap();
        }
        for &(path, text) in edits {
            match text {
                None => index.remove_path(std::path::Path::new(path)).unwrap(),
                Some(text) => {
                    let id = self.repo.blob(text.as_bytes()).unwrap();
                    index.add(&testing::entry(path, testing::FILE, id)).unwrap();
                }
            }
        }
        let tree = self
            .repo
            .find_tree(index.write_tree_to(&self.repo).unwrap())
            .unwrap();
        self.time += 60;
        let email = format!("{}@example.com", author.to_lowercase());
        let sig = Signature::new(author, &email, &Time::new(self.time, 60)).unwrap();
        let parents: Vec<_> = parents
            .iter()
            .map(|&p| self.repo.find_commit(p).unwrap())
            .collect();
        let parents: Vec<_> = parents.iter().collect();
        self.repo
            .commit(None, &sig, &sig, message, &tree, &parents)
            .unwrap()
    }

    /// The repository opened again: nothing of it cached in memory.
    fn reopen(self) -> Repo {
        Repo {
            repo: Repository::open(self.dir.path()).unwrap(),
            ..self
        }
    }

    /// The history of every post under `root` at HEAD, walked whole.
    fn history(&self, root: &str) -> History {
        let head = self.repo.head().unwrap().target().unwrap();
        walk(&self.repo, head, root, &|_| None).unwrap()
    }
}

/// `path`'s history as `(subject, lines added, lines removed)`, newest first.
fn log_in(repo: &Repository, history: &History, path: &str) -> Vec<(String, usize, usize)> {
    let changes = history.changes(path);
    let pairs: Vec<_> = changes.iter().map(|c| (c.before, c.after)).collect();
    let stats = line_stats(repo, &pairs).unwrap();
    changes
        .iter()
        .zip(stats)
        .map(|(c, (added, removed))| (c.commit.subject.clone(), added, removed))
        .collect()
}

fn owned(entries: &[(&str, usize, usize)]) -> Vec<(String, usize, usize)> {
    entries
        .iter()
        .map(|&(s, a, r)| (s.to_owned(), a, r))
        .collect()
}

/// Ten numbered lines, the `n`th replaced by `changed`.
fn lines(changed: Option<(usize, &str)>) -> String {
    (1..=10)
        .map(|i| match changed {
            Some((n, text)) if n == i => format!("{text}\n"),
            _ => format!("line {i} of a post long enough to be found again\n"),
        })
        .collect()
}

#[test]
fn follows_a_rename_without_edits_back_to_the_first_commit() {
    let mut repo = Repo::new();
    repo.commit("Ada", "Add a", &[("posts/a.md", Some(&lines(None)))]);
    repo.commit(
        "Ada",
        "Edit a",
        &[("posts/a.md", Some(&lines(Some((2, "two")))))],
    );
    repo.commit("Ada", "Add other", &[("posts/other.md", Some("other\n"))]);
    repo.commit(
        "Bob",
        "Move a to b",
        &[
            ("posts/a.md", None),
            ("posts/b.md", Some(&lines(Some((2, "two"))))),
        ],
    );
    let history = repo.history("posts");
    assert_eq!(
        log_in(&repo.repo, &history, "posts/b.md"),
        owned(&[("Move a to b", 0, 0), ("Edit a", 1, 1), ("Add a", 10, 0)])
    );
    assert!(history.changes("posts/a.md").is_empty(), "gone at HEAD");
    assert_eq!(
        log_in(&repo.repo, &history, "posts/other.md"),
        owned(&[("Add other", 1, 0)])
    );
    assert_eq!(history.walked(), 4);
}

#[test]
fn a_rename_with_edits_counts_the_edits() {
    let mut repo = Repo::new();
    repo.commit("Ada", "Add a", &[("a.md", Some(&lines(None)))]);
    repo.commit(
        "Ada",
        "Move and edit",
        &[("a.md", None), ("b.md", Some(&lines(Some((5, "five")))))],
    );
    let history = repo.history("");
    assert_eq!(
        log_in(&repo.repo, &history, "b.md"),
        owned(&[("Move and edit", 1, 1), ("Add a", 10, 0)])
    );
}

#[test]
fn a_file_removed_and_added_again_keeps_its_older_commits() {
    let mut repo = Repo::new();
    repo.commit("Ada", "Add", &[("x.md", Some("one\n"))]);
    repo.commit("Ada", "Edit", &[("x.md", Some("one\ntwo\n"))]);
    repo.commit("Ada", "Remove", &[("x.md", None)]);
    repo.commit("Ada", "Add again", &[("x.md", Some("new\n"))]);
    let history = repo.history("");
    assert_eq!(
        log_in(&repo.repo, &history, "x.md"),
        owned(&[
            ("Add again", 1, 0),
            ("Remove", 0, 2),
            ("Edit", 1, 0),
            ("Add", 1, 0)
        ])
    );
}

#[test]
fn counts_lines_added_and_removed_and_reads_subject_and_body() {
    let mut repo = Repo::new();
    repo.commit("Ada", "Add", &[("a.md", Some("1\n2\n3\n"))]);
    repo.commit(
        "Bob",
        "Fix the\nintro\n\nIt said the wrong thing.\n",
        &[("a.md", Some("1\nTWO\n3\n4\n5\n"))],
    );
    let history = repo.history("");
    assert_eq!(
        log_in(&repo.repo, &history, "a.md")[0],
        ("Fix the intro".to_owned(), 3, 1)
    );
    let changes = history.changes("a.md");
    let newest = &changes[0].commit;
    assert_eq!(newest.subject, "Fix the intro");
    assert_eq!(newest.body.as_deref(), Some("It said the wrong thing."));
    assert_eq!(
        (newest.author_name.as_str(), newest.author_email.as_str()),
        ("Bob", "bob@example.com")
    );
    assert_eq!(
        newest.committed_at.to_rfc3339(),
        "2023-11-14T23:15:20+01:00"
    );
}

#[test]
fn only_markdown_under_the_root_has_a_history() {
    let mut repo = Repo::new();
    repo.commit(
        "Ada",
        "Add",
        &[
            ("content/a.md", Some("a\n")),
            ("content/photo.png", Some("png\n")),
            ("README.md", Some("readme\n")),
        ],
    );
    repo.commit("Ada", "Readme", &[("README.md", Some("readme 2\n"))]);
    let history = repo.history("content");
    assert_eq!(
        log_in(&repo.repo, &history, "content/a.md"),
        owned(&[("Add", 1, 0)])
    );
    assert!(history.changes("content/photo.png").is_empty());
    assert!(history.changes("README.md").is_empty());
    assert_eq!(history.file_count(), 1);
}

/// main: Add a, Add c; a branch from there edits a (Edit a); main then edits c (Edit c); then
/// the branch is merged into main with `merged_a` as a's text. Returns the merge.
fn merged(repo: &mut Repo, merged_a: Option<&str>) -> Oid {
    repo.commit(
        "Ada",
        "Add",
        &[("a.md", Some(&lines(None))), ("c.md", Some("c\n"))],
    );
    let fork = repo.commit("Ada", "Touch", &[("d.md", Some("d\n"))]);
    let edit = repo.commit_on(
        &[fork],
        "Bob",
        "Edit a",
        &[("a.md", Some(&lines(Some((1, "one")))))],
    );
    let main = repo.commit("Ada", "Edit c", &[("c.md", Some("c2\n"))]);
    let a = merged_a.map_or_else(|| lines(Some((1, "one"))), str::to_owned);
    let merge = repo.commit_on(
        &[main, edit],
        "Ada",
        "Merge",
        &[("a.md", Some(&a)), ("c.md", Some("c2\n"))],
    );
    repo.advance(merge);
    merge
}

#[test]
fn leaves_out_a_merge_that_took_a_side() {
    let mut repo = Repo::new();
    merged(&mut repo, None);
    let history = repo.history("");
    assert_eq!(
        log_in(&repo.repo, &history, "a.md"),
        owned(&[("Edit a", 1, 1), ("Add", 10, 0)])
    );
    assert_eq!(
        log_in(&repo.repo, &history, "c.md"),
        owned(&[("Edit c", 1, 1), ("Add", 1, 0)])
    );
}

#[test]
fn keeps_a_merge_that_changed_a_file_itself() {
    let mut repo = Repo::new();
    merged(&mut repo, Some(&lines(Some((1, "resolved")))));
    let history = repo.history("");
    assert_eq!(
        log_in(&repo.repo, &history, "a.md"),
        owned(&[("Merge", 1, 1), ("Edit a", 1, 1), ("Add", 10, 0)])
    );
}

#[test]
fn a_rename_on_a_branch_is_followed_on_the_main_line() {
    let mut repo = Repo::new();
    let add = repo.commit("Ada", "Add", &[("a.md", Some(&lines(None)))]);
    let moved = repo.commit_on(
        &[add],
        "Bob",
        "Move",
        &[("a.md", None), ("b.md", Some(&lines(None)))],
    );
    let main = repo.commit(
        "Ada",
        "Edit a",
        &[("a.md", Some(&lines(Some((9, "nine")))))],
    );
    let merge = repo.commit_on(
        &[main, moved],
        "Ada",
        "Merge",
        &[("a.md", None), ("b.md", Some(&lines(Some((9, "nine")))))],
    );
    repo.advance(merge);
    let history = repo.history("");
    // The merge differs from both sides (it has the edit and the new name); against its first
    // parent it is a rename without edits.
    assert_eq!(
        log_in(&repo.repo, &history, "b.md"),
        owned(&[
            ("Merge", 0, 0),
            ("Edit a", 1, 1),
            ("Move", 0, 0),
            ("Add", 10, 0)
        ])
    );
}

#[test]
fn commits_with_one_time_keep_children_before_parents() {
    let mut repo = Repo::new();
    for (i, subject) in ["First", "Second", "Third"].iter().enumerate() {
        repo.time = 1_700_000_000 - 60; // every commit at the same second
        repo.commit("Ada", subject, &[("a.md", Some(&"x\n".repeat(i + 1)))]);
    }
    let subjects: Vec<_> = log_in(&repo.repo, &repo.history(""), "a.md")
        .into_iter()
        .map(|(s, _, _)| s)
        .collect();
    assert_eq!(subjects, ["Third", "Second", "First"]);
}

#[test]
fn a_walk_from_an_older_walk_finds_what_a_whole_walk_finds() {
    let mut repo = Repo::new();
    repo.commit("Ada", "Add a", &[("a.md", Some(&lines(None)))]);
    repo.commit(
        "Ada",
        "Add c",
        &[("c.md", Some("c\n")), ("e.md", Some("e\n"))],
    );
    let older = Arc::new(repo.history(""));
    let base = older.head();
    repo.commit(
        "Bob",
        "Move a",
        &[("a.md", None), ("b.md", Some(&lines(Some((3, "three")))))],
    );
    let fork = repo.commit("Ada", "Edit c", &[("c.md", Some("c2\n"))]);
    let side = repo.commit_on(&[fork], "Cy", "Edit b", &[("b.md", Some(&lines(None)))]);
    let main = repo.commit("Ada", "Add d", &[("d.md", Some("d\n"))]);
    let merge = repo.commit_on(
        &[main, side],
        "Ada",
        "Merge",
        &[("b.md", Some(&lines(None)))],
    );
    repo.advance(merge);
    let head = repo.commit("Ada", "Edit d", &[("d.md", Some("d2\n"))]);
    let cached = |id: Oid| (id == base).then(|| Arc::clone(&older));
    let step = walk(&repo.repo, head, "", &cached).unwrap();
    assert_eq!(step.base(), Some(base));
    assert_eq!(step.walked(), 6, "only the commits since");
    let whole = repo.history("");
    assert_eq!(whole.base(), None);
    for path in ["a.md", "b.md", "c.md", "d.md"] {
        assert_eq!(
            log_in(&repo.repo, &step, path),
            log_in(&repo.repo, &whole, path),
            "{path}"
        );
    }
    assert_eq!(
        log_in(&repo.repo, &whole, "b.md"),
        owned(&[("Edit b", 1, 1), ("Move a", 1, 1), ("Add a", 10, 0)])
    );
    // A file untouched since shares the older walk's list.
    assert!(std::ptr::eq(
        step.changes("e.md").as_ptr(),
        older.changes("e.md").as_ptr()
    ));
}

#[test]
fn a_missing_parent_ends_the_history_without_failing() {
    let mut repo = Repo::new();
    let first = repo.commit("Ada", "Add", &[("a.md", Some("1\n"))]);
    repo.commit("Ada", "Edit", &[("a.md", Some("1\n2\n"))]);
    repo.commit("Ada", "Edit again", &[("a.md", Some("1\n2\n3\n"))]);
    let hex = first.to_string();
    let object = repo
        .dir
        .path()
        .join(".git/objects")
        .join(&hex[..2])
        .join(&hex[2..]);
    std::fs::remove_file(object).unwrap();
    let repo = repo.reopen();
    let history = repo.history("");
    // The oldest commit left counts the file as added by it.
    assert_eq!(
        log_in(&repo.repo, &history, "a.md"),
        owned(&[("Edit again", 1, 0), ("Edit", 2, 0)])
    );
}

#[test]
fn a_shallow_clone_ends_the_history_at_its_boundary() {
    let mut repo = Repo::new();
    repo.commit("Ada", "Add", &[("a.md", Some("1\n"))]);
    let boundary = repo.commit("Ada", "Edit", &[("a.md", Some("1\n2\n"))]);
    repo.commit("Ada", "Edit again", &[("a.md", Some("1\n2\n3\n"))]);
    std::fs::write(
        repo.dir.path().join(".git/shallow"),
        format!("{boundary}\n"),
    )
    .unwrap();
    let repo = repo.reopen();
    assert!(repo.repo.is_shallow());
    let history = repo.history("");
    assert_eq!(
        log_in(&repo.repo, &history, "a.md"),
        owned(&[("Edit again", 1, 0), ("Edit", 2, 0)])
    );
}

#[test]
fn weighs_more_with_more_changes() {
    let mut repo = Repo::new();
    repo.commit("Ada", "Add", &[("a.md", Some("1\n"))]);
    let small = repo.history("").weight();
    for i in 0..5 {
        repo.commit("Ada", "Edit", &[("a.md", Some(&"x\n".repeat(i + 2)))]);
    }
    assert!(repo.history("").weight() > small);
}

#[test]
fn a_binary_file_counts_no_lines() {
    let mut repo = Repo::new();
    repo.commit("Ada", "Add", &[("a.md", Some("text\n\0binary\n"))]);
    repo.commit("Ada", "Edit", &[("a.md", Some("text\n\0other\nmore\n"))]);
    let history = repo.history("");
    assert_eq!(
        log_in(&repo.repo, &history, "a.md"),
        owned(&[("Edit", 0, 0), ("Add", 0, 0)])
    );
}
