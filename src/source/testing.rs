//! Test helpers: repositories with exactly the tree entries a test needs.

use git2::{IndexEntry, IndexTime, Oid, Repository, Signature};

pub(crate) const FILE: u32 = 0o100_644;
pub(crate) const EXECUTABLE: u32 = 0o100_755;
pub(crate) const LINK: u32 = 0o120_000;
pub(crate) const SUBMODULE: u32 = 0o160_000;

/// Commits `entries` (path, mode, bytes: nested paths, links, binary files; a submodule's
/// bytes are ignored) on top of HEAD; mode 0 removes the path.
pub(crate) fn commit(repo: &Repository, entries: &[(&str, u32, &[u8])]) -> Oid {
    let mut index = repo.index().unwrap();
    for &(path, mode, bytes) in entries {
        if mode == 0 {
            index.remove_path(std::path::Path::new(path)).unwrap();
            continue;
        }
        let id = if mode == SUBMODULE {
            Oid::from_str("0123456789abcdef0123456789abcdef01234567").unwrap()
        } else {
            repo.blob(bytes).unwrap()
        };
        index.add(&entry(path, mode, id)).unwrap();
    }
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = Signature::now("Test", "test@example.com").unwrap();
    let parent = repo.head().ok().map(|h| h.peel_to_commit().unwrap());
    let parents: Vec<_> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, "files", &tree, &parents)
        .unwrap()
}

/// An index entry for `path` with `mode` and blob `id`, with no file-system details.
pub(crate) fn entry(path: &str, mode: u32, id: Oid) -> IndexEntry {
    IndexEntry {
        ctime: IndexTime::new(0, 0),
        mtime: IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: 0,
        id,
        flags: 0,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}
