//! Snapshots of throwaway repositories, for tests of what reads posts back from git.

use std::path::Path;
use std::sync::Arc;

use super::{LoadOptions, Snapshot};
use crate::source::{self, Read, SourceConfig};

/// A repository whose one commit holds `files` (`(path, text)`, at the top of the tree), and
/// its snapshot. The snapshot reads the repository again to render.
pub(crate) fn snapshot(files: &[(&str, &str)]) -> (tempfile::TempDir, Arc<Snapshot>) {
    snapshot_with(files, LoadOptions::default())
}

/// [`snapshot`], built with `options`.
pub(crate) fn snapshot_with(
    files: &[(&str, &str)],
    options: LoadOptions,
) -> (tempfile::TempDir, Arc<Snapshot>) {
    let dir = tempfile::tempdir().unwrap();
    git2::Repository::init(dir.path()).unwrap();
    let snapshot = next_with(dir.path(), None, files, options);
    (dir, snapshot)
}

/// Commits `files` on top of the repository at `dir` and builds the snapshot of the new
/// commit, from `previous` as a refresh does.
pub(crate) fn next(
    dir: &Path,
    previous: Option<&Snapshot>,
    files: &[(&str, &str)],
) -> Arc<Snapshot> {
    next_with(dir, previous, files, LoadOptions::default())
}

fn next_with(
    dir: &Path,
    previous: Option<&Snapshot>,
    files: &[(&str, &str)],
    options: LoadOptions,
) -> Arc<Snapshot> {
    let repo = git2::Repository::open(dir).unwrap();
    let head = repo.head().ok().map(|h| h.peel_to_commit().unwrap());
    let base = head.as_ref().map(|c| c.tree().unwrap());
    let mut tree = repo.treebuilder(base.as_ref()).unwrap();
    for (path, text) in files {
        let blob = repo.blob(text.as_bytes()).unwrap();
        tree.insert(path, blob, 0o100_644).unwrap();
    }
    let tree = repo.find_tree(tree.write().unwrap()).unwrap();
    let sig = git2::Signature::now("Test", "test@example.com").unwrap();
    let parents: Vec<_> = head.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, "posts", &tree, &parents)
        .unwrap();
    let config = SourceConfig {
        repo: Some(dir.to_owned()),
        branch: None,
        root: Some(String::new()),
        site: None,
    };
    let Ok(Read::Files(read)) = source::read(&config, previous.map(Snapshot::since)) else {
        panic!("the new commit reads");
    };
    let (snapshot, _) = Snapshot::build(*read, options, previous).unwrap();
    Arc::new(snapshot)
}

/// A repository whose one commit holds `entries` (path, mode, bytes: nested paths, links,
/// binary files), and the snapshot of its folder `root`.
pub(crate) fn snapshot_of(
    entries: &[(&str, u32, &[u8])],
    root: &str,
    options: LoadOptions,
) -> (tempfile::TempDir, Arc<Snapshot>) {
    let dir = tempfile::tempdir().unwrap();
    let repo = git2::Repository::init(dir.path()).unwrap();
    source::testing::commit(&repo, entries);
    let config = SourceConfig {
        repo: Some(dir.path().to_owned()),
        branch: None,
        root: Some(root.to_owned()),
        site: None,
    };
    let Ok(Read::Files(read)) = source::read(&config, None) else {
        panic!("the commit reads");
    };
    let (snapshot, _) = Snapshot::build(*read, options, None).unwrap();
    (dir, Arc::new(snapshot))
}
