//! History: the commits that changed each post file, newest first, following renames as
//! `git log --follow` does. One walk from a commit back through all of its history records the
//! changes of every Markdown file under the content root at once; a walk may start from the
//! walk of an older commit and read only the commits since.
//!
//! How commits are read, as `git log` does it, simplified:
//! - every commit reachable from the head is read, children before parents, newer (commit time)
//!   before older; each is diffed against its first parent (the root folder's trees only: a
//!   commit that leaves the root alone costs one tree lookup);
//! - a rename is found as `git log --follow` finds it (content at least 50% similar, git2's
//!   `find_similar`): the commit that moved `a.md` to `b.md` is in `b.md`'s history, and so is
//!   every older commit that changed `a.md`;
//! - a merge is in a file's history only when the file differs from every parent (the merge
//!   resolved something itself); otherwise the change is the branch's, whose own commits are
//!   in the history;
//! - a file removed and added again keeps the commits from before its removal, as
//!   `git log -- path` lists them;
//! - a commit whose parent is not in the repository (the boundary of a shallow clone, or
//!   objects gone) ends the history there: the files it has count as added by it, as git shows
//!   a shallow clone's oldest commit; the walk says so in a log line.
//!
//! A history is ordered by commit time, newest first; commits with the same time keep
//! children before parents.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use git2::{Commit, Delta, DiffFindOptions, DiffOptions, ObjectType, Oid, Patch, Repository, Tree};

use super::commits::CommitMeta;
use super::git::{Blobs, SourceError, failed};
use super::listing::is_post_name;
use order::{ordered, reachable, since};

/// One commit that changed a file: the commit, and the file's blob before and after it
/// ([`Oid::ZERO_SHA1`] where there is none: before an add, after a removal), which
/// [`Blobs::line_stats`] counts the changed lines of.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub(crate) commit: Arc<CommitMeta>,
    pub(crate) before: Oid,
    pub(crate) after: Oid,
}

/// The histories of the Markdown files under the root of one commit.
#[derive(Debug)]
pub(crate) struct History {
    head: Oid,
    /// By path from the repository root: the changes, newest first.
    files: HashMap<String, Arc<[Change]>>,
    /// Commits this walk read (not counting those of the walk it started from).
    walked: usize,
    /// The commit whose walk this one started from.
    base: Option<Oid>,
}

impl History {
    /// The commits that changed the file at `path` (from the repository root), newest first;
    /// empty for a path the head commit has no Markdown file at.
    pub(crate) fn changes(&self, path: &str) -> &[Change] {
        self.files.get(path).map_or(&[], |c| c)
    }

    /// The commit walked from.
    #[cfg(test)]
    pub(crate) fn head(&self) -> Oid {
        self.head
    }

    /// Commits this walk read itself.
    pub(crate) fn walked(&self) -> usize {
        self.walked
    }

    /// The commit of the walk this one went on from, if any.
    pub(crate) fn base(&self) -> Option<Oid> {
        self.base
    }

    /// Files with a history.
    pub(crate) fn file_count(&self) -> usize {
        self.files.len()
    }

    /// Roughly the bytes held: a file's entry, and a change with its commit as if it held the
    /// commit alone (commits are shared between files and walks, so this counts high).
    pub(crate) fn weight(&self) -> u64 {
        let changes: usize = self.files.values().map(|c| c.len()).sum();
        u64::try_from(self.files.len() * 96 + changes * 240).unwrap_or(u64::MAX)
    }
}

/// How far back along first parents a walk looks for a walk to go on from.
const BASE_DISTANCE: usize = 1000;

impl Blobs {
    /// The histories of the Markdown files under `root` at `head`. `cached` gives the walk of an
    /// older commit when there is one: when an ancestor of `head` (along first parents, at most
    /// [`BASE_DISTANCE`] back) has one, only the commits since are read.
    ///
    /// # Errors
    /// [`SourceError::Git`] when the repository cannot be opened, `head` is not a commit, or
    /// git fails while diffing.
    pub(crate) fn history(
        &self,
        head: Oid,
        root: &str,
        cached: &dyn Fn(Oid) -> Option<Arc<History>>,
    ) -> Result<History, SourceError> {
        self.with_repo(|repo| walk(repo, head, root, cached))
    }

    /// Lines added and removed from the first blob of each pair to the second
    /// ([`Oid::ZERO_SHA1`] for none): a binary file counts none. Counted when asked for, not
    /// during a walk: loading and diffing the blobs of every change took 40% of a walk
    /// (`examples/history-bench.rs`), for a figure only `Post.history` shows.
    ///
    /// # Errors
    /// [`SourceError::Git`] when the repository cannot be opened or a blob is not in it.
    pub(crate) fn line_stats(
        &self,
        pairs: &[(Oid, Oid)],
    ) -> Result<Vec<(usize, usize)>, SourceError> {
        self.with_repo(|repo| line_stats(repo, pairs))
    }
}

/// See [`Blobs::line_stats`].
fn line_stats(repo: &Repository, pairs: &[(Oid, Oid)]) -> Result<Vec<(usize, usize)>, SourceError> {
    let counting = "counting the lines a commit changed";
    let blob = |id: Oid| {
        (!id.is_zero())
            .then(|| repo.find_blob(id))
            .transpose()
            .map_err(failed(repo, counting))
    };
    let mut opts = DiffOptions::new();
    opts.context_lines(0);
    pairs
        .iter()
        .map(|&(before, after)| {
            let (before, after) = (blob(before)?, blob(after)?);
            let patch = Patch::from_buffers(
                content(before.as_ref()),
                None,
                content(after.as_ref()),
                None,
                Some(&mut opts),
            )
            .map_err(failed(repo, counting))?;
            let (_, added, removed) = patch.line_stats().map_err(failed(repo, counting))?;
            Ok((added, removed))
        })
        .collect()
}

/// A blob's bytes; none for no blob.
fn content<'b>(blob: Option<&'b git2::Blob<'_>>) -> &'b [u8] {
    blob.map_or(&[], git2::Blob::content)
}

/// See [`Blobs::history`].
fn walk(
    repo: &Repository,
    head: Oid,
    root: &str,
    cached: &dyn Fn(Oid) -> Option<Arc<History>>,
) -> Result<History, SourceError> {
    let head_commit = repo
        .find_commit(head)
        .map_err(failed(repo, "reading the commit to walk its history"))?;
    let mut files = Files::at(repo, &head_commit, root)?;
    let mut base = base_of(repo, &head_commit, cached);
    let order = match &base {
        Some(base) => since(repo, head, base.head).or_else(|| {
            tracing::warn!(
                "history of {head}: the commits since {} cannot be listed; walking the whole history",
                base.head
            );
            None
        }),
        None => None,
    };
    let order = match order {
        Some(order) => order,
        None => {
            base = None;
            ordered(reachable(repo, head))
        }
    };
    let mut cut = Vec::new();
    let mut opts = DiffOptions::new();
    let mut roots = Roots {
        repo,
        root,
        last: None,
    };
    for id in &order {
        let commit = repo
            .find_commit(*id)
            .map_err(failed(repo, "reading a commit of the history"))?;
        files.read(repo, &commit, &mut roots, &mut opts, &mut cut)?;
    }
    if let Some(&(commit, parent)) = cut.first() {
        tracing::warn!(
            "history of {head}: commit {commit} has a parent ({parent}) that is not in the repository{}: histories stop there, and the posts it has count as added by it; fetch the whole history (`git fetch --unshallow`) for complete ones",
            if cut.len() > 1 {
                format!(" (and {} more commits)", cut.len() - 1)
            } else {
                String::new()
            }
        );
    } else if repo.is_shallow() {
        tracing::warn!(
            "history of {head}: the repository is a shallow clone: histories stop at its oldest commits, and the posts those have count as added by them; fetch the whole history (`git fetch --unshallow`) for complete ones"
        );
    }
    Ok(History {
        head,
        files: files.finish(root, base.as_deref()),
        walked: order.len(),
        base: base.map(|b| b.head),
    })
}

/// The walk of the nearest first-parent ancestor of `head` that has one.
fn base_of(
    repo: &Repository,
    head: &Commit<'_>,
    cached: &dyn Fn(Oid) -> Option<Arc<History>>,
) -> Option<Arc<History>> {
    let mut id = head.parent_id(0).ok()?;
    for _ in 0..BASE_DISTANCE {
        if let Some(found) = cached(id) {
            return Some(found);
        }
        id = repo.find_commit(id).ok()?.parent_id(0).ok()?;
    }
    None
}

/// The files being followed back through history.
struct Files {
    /// Paths under the root at the head commit (bytes, `/`-separated).
    names: Vec<Vec<u8>>,
    /// Each file's changes found so far, in walk order.
    changes: Vec<Vec<Change>>,
    /// Which file a path belongs to at the point the walk has reached: a file's own path, and
    /// the paths it had before each rename.
    known: HashMap<Vec<u8>, usize>,
}

impl Files {
    /// The Markdown files under `root` at `head`.
    fn at(repo: &Repository, head: &Commit<'_>, root: &str) -> Result<Files, SourceError> {
        let mut names = Vec::new();
        if let Some(tree) = root_tree(repo, head, root) {
            tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
                if entry.kind() == Some(ObjectType::Blob)
                    && is_post_name(&String::from_utf8_lossy(entry.name_bytes()))
                {
                    let mut path = dir.as_bytes().to_vec();
                    path.extend_from_slice(entry.name_bytes());
                    names.push(path);
                }
                git2::TreeWalkResult::Ok
            })
            .map_err(failed(repo, "listing the posts to walk their history"))?;
        }
        let known = names.iter().cloned().zip(0..).collect();
        Ok(Files {
            changes: vec![Vec::new(); names.len()],
            names,
            known,
        })
    }

    /// Records what `commit` changed in the files followed. `cut` collects commits whose
    /// first parent is missing, with that parent.
    fn read<'r>(
        &mut self,
        repo: &'r Repository,
        commit: &Commit<'r>,
        roots: &mut Roots<'r, '_>,
        opts: &mut DiffOptions,
        cut: &mut Vec<(Oid, Oid)>,
    ) -> Result<(), SourceError> {
        let tree = roots.of(commit);
        let mut parents = commit.parent_ids().map(|id| (id, repo.find_commit(id)));
        let first = match parents.next() {
            None => None,
            Some((_, Ok(parent))) => {
                let before = roots.of(&parent);
                if before.as_ref().map(Tree::id) == tree.as_ref().map(Tree::id) {
                    return Ok(());
                }
                before
            }
            Some((id, Err(_))) => {
                cut.push((commit.id(), id));
                None
            }
        };
        let others: Vec<Option<Tree<'_>>> = parents
            .map(|(_, parent)| parent.ok().and_then(|p| root_tree(repo, &p, roots.root)))
            .collect();
        let mut diff = repo
            .diff_tree_to_tree(first.as_ref(), tree.as_ref(), Some(opts))
            .map_err(failed(repo, "diffing a commit of the history"))?;
        diff.find_similar(Some(DiffFindOptions::new().renames(true)))
            .map_err(failed(repo, "finding renames in a commit of the history"))?;
        let mut meta: Option<Arc<CommitMeta>> = None;
        for delta in diff.deltas() {
            let (old, new) = (delta.old_file(), delta.new_file());
            let path = match delta.status() {
                Delta::Deleted => old.path_bytes(),
                Delta::Added
                | Delta::Modified
                | Delta::Renamed
                | Delta::Copied
                | Delta::Typechange => new.path_bytes(),
                _ => None,
            };
            let Some(&file) = path.and_then(|p| self.known.get(p)) else {
                continue;
            };
            if delta.status() == Delta::Renamed
                && let Some(before) = old.path_bytes()
            {
                // Older commits changed the file under its old name.
                self.known.insert(before.to_vec(), file);
            }
            let path = path.expect("a known path");
            let from_other_parent = others.iter().any(|other| match delta.status() {
                Delta::Deleted => other.as_ref().is_none_or(|t| entry(t, path).is_none()),
                _ => other
                    .as_ref()
                    .and_then(|t| entry(t, path))
                    .is_some_and(|id| id == new.id()),
            });
            if from_other_parent {
                continue;
            }
            let meta = meta.get_or_insert_with(|| Arc::new(CommitMeta::of(commit)));
            let changes = &mut self.changes[file];
            // Two of the file's names in one commit (a rare tangle of moves): one change, the
            // first found.
            if changes.last().is_none_or(|last| last.commit.id != meta.id) {
                changes.push(Change {
                    commit: Arc::clone(meta),
                    before: old.id(),
                    after: new.id(),
                });
            }
        }
        Ok(())
    }

    /// The histories by path from the repository root, those of `base` (a walk of an older
    /// commit) appended where its files are these files under older names.
    fn finish(self, root: &str, base: Option<&History>) -> HashMap<String, Arc<[Change]>> {
        let prefix = if root.is_empty() {
            String::new()
        } else {
            format!("{root}/")
        };
        let mut older: Vec<Vec<&Arc<[Change]>>> = vec![Vec::new(); self.names.len()];
        for (path, changes) in base.map(|b| &b.files).into_iter().flatten() {
            let relative = path.strip_prefix(&prefix).unwrap_or(path);
            if let Some(&file) = self.known.get(relative.as_bytes()) {
                older[file].push(changes);
            }
        }
        let mut files = HashMap::with_capacity(self.names.len());
        for ((name, mut changes), older) in self.names.into_iter().zip(self.changes).zip(older) {
            let Ok(name) = String::from_utf8(name) else {
                continue;
            };
            let history: Arc<[Change]> = match older.as_slice() {
                [only] if changes.is_empty() => Arc::clone(only),
                _ => {
                    let mut seen: HashSet<Oid> = changes.iter().map(|c| c.commit.id).collect();
                    for change in older.into_iter().flat_map(|c| c.iter()) {
                        if seen.insert(change.commit.id) {
                            changes.push(change.clone());
                        }
                    }
                    changes.sort_by_key(|c| Reverse(c.commit.committed_at));
                    changes.into()
                }
            };
            files.insert(format!("{prefix}{name}"), history);
        }
        files
    }
}

/// The root folder's tree of the commits of a walk, the last one found kept: a commit's first
/// parent is most often the next commit read, so each tree is looked up once.
struct Roots<'r, 'a> {
    repo: &'r Repository,
    root: &'a str,
    last: Option<(Oid, Option<Tree<'r>>)>,
}

impl<'r> Roots<'r, '_> {
    fn of(&mut self, commit: &Commit<'r>) -> Option<Tree<'r>> {
        match &self.last {
            Some((id, tree)) if *id == commit.id() => tree.clone(),
            _ => {
                let tree = root_tree(self.repo, commit, self.root);
                self.last = Some((commit.id(), tree.clone()));
                tree
            }
        }
    }
}

/// The tree of the `root` folder in `commit`; `None` when the commit has no such folder.
fn root_tree<'r>(repo: &'r Repository, commit: &Commit<'r>, root: &str) -> Option<Tree<'r>> {
    let tree = commit.tree().ok()?;
    if root.is_empty() {
        return Some(tree);
    }
    let entry = tree.get_path(Path::new(root)).ok()?;
    (entry.kind() == Some(ObjectType::Tree))
        .then(|| repo.find_tree(entry.id()).ok())
        .flatten()
}

/// The blob at `path` (bytes, `/`-separated) in `tree`.
fn entry(tree: &Tree<'_>, path: &[u8]) -> Option<Oid> {
    let path = std::str::from_utf8(path).ok()?;
    tree.get_path(Path::new(path))
        .ok()
        .filter(|e| e.kind() == Some(ObjectType::Blob))
        .map(|e| e.id())
}

mod order;
#[cfg(test)]
mod tests;
