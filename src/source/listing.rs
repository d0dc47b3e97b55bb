//! Listing the post files under the root of one commit: every entry (a tree walk), or only what
//! changed since another commit (a tree diff). Entries are classified (post, skipped with a
//! reason, ignored), and an entry whose name is unsafe as part of a served path (`..`, a line
//! break, bytes that are not UTF-8) is reported with its name escaped, never served.

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use git2::{Delta, ObjectType, Repository, TreeWalkMode, TreeWalkResult};

use super::git::{SourceError, failed};
use super::names::{escaped_bytes, unsafe_name};

/// Entries found under the root: post blobs to read, entries skipped with a reason, and (for a
/// diff) paths that are gone or changed.
#[derive(Default)]
pub(super) struct Listing {
    pub(super) found: Vec<(String, git2::Oid)>,
    pub(super) skipped: Vec<(String, String)>,
    pub(super) removed: Vec<String>,
    /// Paths in `skipped` for their unsafe names: a diff meets a bad folder once per file in it.
    refused: HashSet<String>,
}

impl Listing {
    /// An entry whose path has only safe names.
    fn add(&mut self, path: String, mode: i32, blob: git2::Oid) {
        let name = path.rsplit('/').next().unwrap_or(&path);
        match classify(name, mode) {
            Some(Kind::Post) => self.found.push((path, blob)),
            Some(Kind::Skipped(reason)) => self.skipped.push((path, reason.to_owned())),
            None => {}
        }
    }

    /// A folder, or a file that looks like a post, whose name is unsafe: `shown` is its path
    /// with the name escaped.
    fn refuse(&mut self, shown: String, reason: &'static str) {
        if self.refused.insert(shown.clone()) {
            let message = format!(
                "{reason}: it is not read and nothing in it is served; rename it in the repository"
            );
            self.skipped.push((shown, message));
        }
    }
}

/// Every entry of `root_tree`. A folder with an unsafe name is reported, not entered.
pub(super) fn walk(
    repo: &Repository,
    root_tree: &git2::Tree<'_>,
    prefix: &str,
) -> Result<Listing, SourceError> {
    let mut listing = Listing::default();
    root_tree
        .walk(TreeWalkMode::PreOrder, |dir, entry| {
            let name = entry.name_bytes();
            let folder = entry.kind() == Some(ObjectType::Tree);
            if let Some(reason) = unsafe_name(name) {
                if folder || is_post_name(&String::from_utf8_lossy(name)) {
                    listing.refuse(format!("{prefix}{dir}{}", escaped_bytes(name)), reason);
                }
                return if folder {
                    TreeWalkResult::Skip
                } else {
                    TreeWalkResult::Ok
                };
            }
            if !folder {
                let name = String::from_utf8_lossy(name);
                listing.add(format!("{prefix}{dir}{name}"), entry.filemode(), entry.id());
            }
            TreeWalkResult::Ok
        })
        .map_err(failed(repo, "walking the tree"))?;
    Ok(listing)
}

/// A path under the root as a diff gives it (`/`-separated bytes), checked name by name.
enum DiffPath {
    /// Every name is safe: the path under the root, and from the repository root.
    Safe { relative: String, path: String },
    /// The path (escaped) up to the first unsafe name, why it is unsafe, and whether that name
    /// is the file's own (else a folder's).
    Unsafe {
        shown: String,
        reason: &'static str,
        last: bool,
    },
}

impl DiffPath {
    fn new(prefix: &str, relative: &[u8]) -> DiffPath {
        let names: Vec<&[u8]> = relative.split(|&b| b == b'/').collect();
        for (i, name) in names.iter().enumerate() {
            if let Some(reason) = unsafe_name(name) {
                return DiffPath::Unsafe {
                    shown: format!("{prefix}{}", escaped_bytes(&relative_upto(&names, i))),
                    reason,
                    last: i + 1 == names.len(),
                };
            }
        }
        let relative = String::from_utf8_lossy(relative).into_owned();
        DiffPath::Safe {
            path: format!("{prefix}{relative}"),
            relative,
        }
    }

    /// The path a listing knows it by.
    fn key(&self) -> &str {
        match self {
            DiffPath::Safe { path, .. } => path,
            DiffPath::Unsafe { shown, .. } => shown,
        }
    }
}

/// `names[..=last]` joined with `/`.
fn relative_upto(names: &[&[u8]], last: usize) -> Vec<u8> {
    names[..=last].join(&b'/')
}

/// The entries that differ between two root trees. A changed entry is listed as removed and
/// found again, so the caller drops the old version before adding the new one.
pub(super) fn diff(
    repo: &Repository,
    old: &git2::Tree<'_>,
    new: &git2::Tree<'_>,
    prefix: &str,
) -> Result<Listing, SourceError> {
    let mut listing = Listing::default();
    let mut options = git2::DiffOptions::new();
    options.include_typechange(true);
    let diff = repo
        .diff_tree_to_tree(Some(old), Some(new), Some(&mut options))
        .map_err(failed(repo, "comparing the trees of two commits"))?;
    let relative = |file: &git2::DiffFile<'_>| file.path_bytes().map(|p| DiffPath::new(prefix, p));
    let mut folders: HashMap<PathBuf, Option<git2::Tree<'_>>> = HashMap::new();
    for delta in diff.deltas() {
        let (gone, came) = match delta.status() {
            Delta::Added => (false, true),
            Delta::Deleted => (true, false),
            Delta::Modified | Delta::Typechange | Delta::Renamed => (true, true),
            Delta::Copied => (false, true),
            _ => (false, false),
        };
        if gone && let Some(old) = relative(&delta.old_file()) {
            listing.removed.push(old.key().to_owned());
        }
        let (relative, path) = match relative(&delta.new_file()) {
            Some(DiffPath::Safe { relative, path }) if came => (relative, path),
            Some(DiffPath::Unsafe {
                shown,
                reason,
                last,
            }) if came => {
                let name = shown.rsplit('/').next().unwrap_or(&shown);
                if !last || is_post_name(name) {
                    listing.refuse(shown, reason);
                }
                continue;
            }
            _ => continue,
        };
        // The mode comes from the tree entry: `DiffFile::mode` panics on modes git2 does not
        // name (100775, written by old git versions), which tree entries normalize. Each folder
        // is loaded once: looking every path up from the root would parse a folder of 10,000
        // posts once per changed post.
        let added = Path::new(&relative);
        let parent = added.parent().unwrap_or(Path::new(""));
        let folder = folders.entry(parent.to_owned()).or_insert_with(|| {
            if parent.as_os_str().is_empty() {
                Some(new.clone())
            } else {
                let entry = new.get_path(parent).ok()?;
                repo.find_tree(entry.id()).ok()
            }
        });
        let name = added.file_name().map(OsStr::as_encoded_bytes);
        if let Some(entry) = folder
            .as_ref()
            .zip(name)
            .and_then(|(f, n)| f.get_name_bytes(n))
        {
            listing.add(path, entry.filemode(), entry.id());
        }
    }
    Ok(listing)
}

/// What an entry under the root is to Quire.
enum Kind {
    Post,
    /// Looks like a post (or a folder of posts) but cannot be read: why.
    Skipped(&'static str),
}

fn classify(name: &str, mode: i32) -> Option<Kind> {
    if mode == i32::from(git2::FileMode::Commit) {
        return Some(Kind::Skipped(
            "is a git submodule; its posts are not read (commit them into this repository to publish them)",
        ));
    }
    if mode == i32::from(git2::FileMode::Link) {
        // A linked post, or a name without extension that may be a linked folder of posts;
        // links to images and other assets are none of Quire's business.
        return (is_post_name(name) || !name.contains('.')).then_some(Kind::Skipped(
            "is a symbolic link, which Quire does not follow: commit the post or folder itself",
        ));
    }
    if mode == i32::from(git2::FileMode::Tree) {
        return None;
    }
    is_post_name(name).then_some(Kind::Post)
}

/// A page is any `*.md` / `*.markdown` file: a post, or a section's own page (`_index.md`,
/// `_index.fr.md`).
pub(super) fn is_post_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

#[cfg(test)]
mod tests {
    use git2::Oid;

    use super::*;

    const TREE: i32 = 0o040_000;
    const FILE: i32 = 0o100_644;

    /// A tree object written byte by byte: git2's `TreeBuilder` (like the git CLI) refuses the
    /// names these tests need.
    fn raw_tree(repo: &Repository, entries: &[(&[u8], i32, Oid)]) -> Oid {
        let mut sorted = entries.to_vec();
        // Git orders entries by name, a folder's as if it ended with `/`.
        sorted.sort_by_key(|&(name, mode, _)| {
            let mut key = name.to_vec();
            if mode == TREE {
                key.push(b'/');
            }
            key
        });
        let mut bytes = Vec::new();
        for (name, mode, id) in sorted {
            bytes.extend_from_slice(format!("{mode:o} ").as_bytes());
            bytes.extend_from_slice(name);
            bytes.push(0);
            bytes.extend_from_slice(id.as_bytes());
        }
        repo.odb().unwrap().write(ObjectType::Tree, &bytes).unwrap()
    }

    /// Paths listed, and skipped with the start of their reason.
    fn listed(listing: &Listing) -> (Vec<&str>, Vec<(&str, &str)>) {
        let found = listing.found.iter().map(|(p, _)| p.as_str()).collect();
        let mut skipped: Vec<_> = listing
            .skipped
            .iter()
            .map(|(p, r)| (p.as_str(), r.split(',').next().unwrap_or(r)))
            .collect();
        skipped.sort_unstable();
        (found, skipped)
    }

    #[test]
    fn entries_named_dot_dot_or_with_a_line_break_are_reported_escaped_not_served() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let post = repo.blob(b"---\ntitle: Evil\n---\nx\n").unwrap();
        let ok = raw_tree(&repo, &[(b"ok.md", FILE, post)]);
        let evil = raw_tree(&repo, &[(b"evil.md", FILE, post), (b"also.md", FILE, post)]);
        let entries: &[(&[u8], i32, Oid)] = &[
            (b"ok.md", FILE, post),
            (b"..", TREE, evil),
            (b".", TREE, evil),
            (b"a\nforged.md: fine\n.md", FILE, post),
            (b"caf\xe9.md", FILE, post),
            (b"image\n.png", FILE, post),
        ];
        let all = raw_tree(&repo, entries);
        let (old, new) = (repo.find_tree(ok).unwrap(), repo.find_tree(all).unwrap());
        let expected = vec![
            ("posts/.", "is named `.`"),
            ("posts/..", "is named `.`"),
            (
                "posts/a\\nforged.md: fine\\n.md",
                "has a control character (such as a line break) in its name: it is not read and nothing in it is served; rename it in the repository",
            ),
            (
                "posts/caf\\xe9.md",
                "has a name that is not UTF-8: it is not read and nothing in it is served; rename it in the repository",
            ),
        ];

        let walked = walk(&repo, &new, "posts/").unwrap();
        assert_eq!(listed(&walked), (vec!["posts/ok.md"], expected.clone()));

        // A diff sees the files in a bad folder one by one: the folder is reported once.
        let changed = diff(&repo, &old, &new, "posts/").unwrap();
        assert_eq!(listed(&changed), (vec![], expected));
        let gone = diff(&repo, &new, &old, "posts/").unwrap();
        let mut removed = gone.removed.clone();
        removed.sort_unstable();
        removed.dedup();
        assert_eq!(
            removed,
            [
                "posts/.",
                "posts/..",
                "posts/a\\nforged.md: fine\\n.md",
                "posts/caf\\xe9.md",
                "posts/image\\n.png"
            ]
        );
    }

    #[test]
    fn recognises_post_files() {
        for name in [
            "a.md",
            "B.MD",
            "c.markdown",
            "index.md",
            "index.fr.md",
            "_index.md",
            "_index.fr.md",
        ] {
            assert!(is_post_name(name), "{name}");
        }
        for name in ["a.txt", "md", "a.mdx", "image.png"] {
            assert!(!is_post_name(name), "{name}");
        }
    }
}
