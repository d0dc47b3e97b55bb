//! The git2 side of [`crate::source`]: open the repository, resolve the branch, walk the root
//! folder of the commit's tree (or diff it against the previous one) and list the Markdown blobs,
//! which [`Blobs`] reads by id from any thread.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, FixedOffset};
use git2::{BranchType, Delta, ErrorCode, ObjectType, Repository, TreeWalkMode, TreeWalkResult};

use super::SourceConfig;

/// The commit a set of files was read from.
#[derive(Debug, Clone)]
pub(crate) struct CommitInfo {
    pub(crate) id: git2::Oid,
    /// The branch served, or `None` for a detached HEAD.
    pub(crate) branch: Option<String>,
    pub(crate) committed_at: DateTime<FixedOffset>,
    /// The folder read, relative to the repository root.
    pub(crate) root: String,
}

/// One Markdown blob under the root. Its bytes stay in git until [`Blobs::read`] asks for them.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Path from the repository root, `/`-separated.
    pub(crate) path: String,
    pub(crate) blob: git2::Oid,
}

/// Reads blobs of one repository by id, from any thread. A blob id names its content, so a read
/// gives the same bytes whichever commit is served; posts keep only their blob id, and their
/// Markdown is read again when it is rendered instead of being held in memory.
#[derive(Clone)]
pub(crate) struct Blobs(Arc<BlobsInner>);

struct BlobsInner {
    /// The repository's git directory.
    git_dir: PathBuf,
    /// Open handles not in use, at most [`IDLE_HANDLES`]: a `Repository` is used by one thread
    /// at a time.
    idle: Mutex<Vec<Repository>>,
}

/// Handles kept open for the next reads. More reads at once (many first renders in one request)
/// open more handles, which are closed after their read.
const IDLE_HANDLES: usize = 8;

impl Blobs {
    fn new(repo: Repository) -> Blobs {
        Blobs(Arc::new(BlobsInner {
            git_dir: repo.path().to_owned(),
            idle: Mutex::new(vec![repo]),
        }))
    }

    /// The bytes of `blob`.
    ///
    /// # Errors
    /// [`SourceError::Git`] when the repository cannot be opened or no longer has the blob.
    pub(crate) fn read(&self, blob: git2::Oid) -> Result<Vec<u8>, SourceError> {
        let idle = || self.0.idle.lock().unwrap_or_else(PoisonError::into_inner);
        let taken = idle().pop();
        let repo = match taken {
            Some(repo) => repo,
            None => Repository::open(&self.0.git_dir).map_err(|source| SourceError::Git {
                doing: "opening the repository",
                repo: self.0.git_dir.clone(),
                source,
            })?,
        };
        let bytes = repo
            .odb()
            .and_then(|odb| odb.read(blob).map(|object| object.data().to_vec()))
            .map_err(failed(&repo, "reading a blob"));
        let mut idle = idle();
        if idle.len() < IDLE_HANDLES {
            idle.push(repo);
        }
        bytes
    }
}

impl std::fmt::Debug for Blobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Blobs").field(&self.0.git_dir).finish()
    }
}

/// What was read from one commit: every post file under the root, or (when `complete` is false)
/// only what changed since the commit [`read`] was given.
#[derive(Debug, Clone)]
pub(crate) struct SourceFiles {
    pub(crate) commit: CommitInfo,
    /// The tree of the root folder, for the next [`Since`].
    pub(crate) root_tree: git2::Oid,
    /// True when `files` and `skipped` list the whole root; false for the changes since a commit.
    pub(crate) complete: bool,
    pub(crate) files: Vec<SourceFile>,
    /// Where to read the bytes of `files` (and of every post of the commit).
    pub(crate) blobs: Blobs,
    /// Entries that look like posts but are not regular files: `(path, reason)`.
    pub(crate) skipped: Vec<(String, String)>,
    /// Paths (from the repository root) whose previous version is gone: deleted, or changed and
    /// listed again in `files` or `skipped`. Empty when `complete`.
    pub(crate) removed: Vec<String>,
}

/// Why the repository, branch or root could not be read. Each message says how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(
        "the current directory ({dir}) is not inside a git repository: run quire from inside one, or pass --repo PATH"
    )]
    NoRepositoryHere { dir: PathBuf },
    #[error("{path} is not a git repository: pass --repo with the path of a git repository")]
    NotARepository { path: PathBuf },
    #[error("{repo} has no commits yet: commit your posts to publish them")]
    NoCommits { repo: PathBuf },
    #[error("branch `{branch}` does not exist in {repo}: pass --branch with one of: {available}")]
    UnknownBranch {
        branch: String,
        repo: PathBuf,
        available: String,
    },
    #[error(
        "folder `{root}` is not in commit {commit} of {repo}: pass --root with the folder that holds your posts (top-level entries: {available})"
    )]
    RootMissing {
        root: String,
        commit: String,
        repo: PathBuf,
        available: String,
    },
    #[error(
        "could not fetch {url}: check the URL and the network, and for a private repository the credentials (in the URL, QUIRE_GIT_USERNAME / QUIRE_GIT_PASSWORD, or QUIRE_SSH_KEY)"
    )]
    Fetch { url: String, source: git2::Error },
    #[error("{url} has no branches yet: push your posts to it")]
    EmptyRemote { url: String },
    #[error("branch `{branch}` does not exist on {url}: pass --branch with one of: {available}")]
    RemoteBranchMissing {
        branch: String,
        url: String,
        available: String,
    },
    #[error(
        "no folder to keep the clone in: pass --data-dir (or set QUIRE_DATA_DIR) with a folder Quire may write to"
    )]
    NoDataDir,
    #[error("cannot create {path}: pass --data-dir with a folder Quire may write to")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "another Quire process is using the clone at {path}: give each replica its own --data-dir (QUIRE_DATA_DIR), or stop the other process"
    )]
    CloneInUse { path: PathBuf },
    #[error(
        "the refresh stopped on an internal error ({message}): please report it as a bug; the last good commit keeps serving"
    )]
    Internal { message: String },
    #[error("git failed while {doing} in {repo}")]
    Git {
        doing: &'static str,
        repo: PathBuf,
        source: git2::Error,
    },
}

/// Where the previous snapshot was read from: lets [`read`] diff trees instead of walking them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Since {
    pub(crate) commit: git2::Oid,
    /// The tree of the root folder in that commit.
    pub(crate) root_tree: git2::Oid,
}

/// What [`read`] found.
#[derive(Debug)]
pub(crate) enum Read {
    /// The branch still points at the `since` commit.
    Unchanged,
    Files(SourceFiles),
}

/// Reads the post files of the configured commit and root. With `since`, only the entries that
/// differ from that commit's root tree are read (a tree diff: unchanged folders are not even
/// opened); when that tree is gone (history rewritten and collected), the whole root is read.
///
/// # Errors
/// [`SourceError`] when the repository, branch or root cannot be found, or git fails.
pub(crate) fn read(config: &SourceConfig, since: Option<Since>) -> Result<Read, SourceError> {
    let repo = open(config.repo.as_deref())?;
    let (commit, branch) = resolve(&repo, config.branch.as_deref())?;
    if since.is_some_and(|s| s.commit == commit.id()) {
        return Ok(Read::Unchanged);
    }
    let tree = commit
        .tree()
        .map_err(failed(&repo, "reading the commit's tree"))?;
    let root = config.normalized_root();
    let root_tree = if root.is_empty() {
        tree.clone()
    } else {
        tree.get_path(Path::new(root))
            .ok()
            .filter(|e| e.kind() == Some(ObjectType::Tree))
            .map(|e| repo.find_tree(e.id()))
            .transpose()
            .map_err(failed(&repo, "reading the root folder"))?
            .ok_or_else(|| SourceError::RootMissing {
                root: root.to_owned(),
                commit: short(commit.id()),
                repo: repo_location(&repo),
                available: top_level(&tree),
            })?
    };

    let prefix = if root.is_empty() {
        String::new()
    } else {
        format!("{root}/")
    };
    let old_tree = since.and_then(|s| repo.find_tree(s.root_tree).ok());
    let listing = match &old_tree {
        Some(old) => diff(&repo, old, &root_tree, &prefix)?,
        None => walk(&repo, &root_tree, &prefix)?,
    };

    let files = listing
        .found
        .into_iter()
        .map(|(path, blob)| SourceFile { path, blob })
        .collect();

    let time = commit.committer().when();
    let committed_at = DateTime::from_timestamp(time.seconds(), 0)
        .unwrap_or_default()
        .with_timezone(
            &FixedOffset::east_opt(time.offset_minutes() * 60)
                .unwrap_or(FixedOffset::east_opt(0).expect("zero offset")),
        );
    let info = CommitInfo {
        id: commit.id(),
        branch,
        committed_at,
        root: root.to_owned(),
    };
    let (root_tree_id, complete) = (root_tree.id(), old_tree.is_none());
    // The objects borrow the repository, which the blob reader takes.
    drop((commit, tree, root_tree, old_tree));
    Ok(Read::Files(SourceFiles {
        commit: info,
        root_tree: root_tree_id,
        complete,
        files,
        blobs: Blobs::new(repo),
        skipped: listing.skipped,
        removed: listing.removed,
    }))
}

/// Entries found under the root: post blobs to read, entries skipped with a reason, and (for a
/// diff) paths that are gone or changed.
#[derive(Default)]
struct Listing {
    found: Vec<(String, git2::Oid)>,
    skipped: Vec<(String, String)>,
    removed: Vec<String>,
}

impl Listing {
    fn add(&mut self, path: String, mode: i32, blob: git2::Oid) {
        let name = path.rsplit('/').next().unwrap_or(&path);
        match classify(name, mode) {
            Some(Kind::Post) => self.found.push((path, blob)),
            Some(Kind::Skipped(reason)) => self.skipped.push((path, reason.to_owned())),
            None => {}
        }
    }
}

/// Every entry of `root_tree`.
fn walk(
    repo: &Repository,
    root_tree: &git2::Tree<'_>,
    prefix: &str,
) -> Result<Listing, SourceError> {
    let mut listing = Listing::default();
    root_tree
        .walk(TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() != Some(ObjectType::Tree) {
                let name = String::from_utf8_lossy(entry.name_bytes());
                listing.add(format!("{prefix}{dir}{name}"), entry.filemode(), entry.id());
            }
            TreeWalkResult::Ok
        })
        .map_err(failed(repo, "walking the tree"))?;
    Ok(listing)
}

/// The entries that differ between two root trees. A changed entry is listed as removed and
/// found again, so the caller drops the old version before adding the new one.
fn diff(
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
    let relative = |file: &git2::DiffFile<'_>| file.path().map(Path::to_owned);
    let path_of = |relative: &Path| format!("{prefix}{}", relative.to_string_lossy());
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
            listing.removed.push(path_of(&old));
        }
        // The mode comes from the tree entry: `DiffFile::mode` panics on modes git2 does not
        // name (100775, written by old git versions), which tree entries normalize. Each folder
        // is loaded once: looking every path up from the root would parse a folder of 10,000
        // posts once per changed post.
        if came && let Some(added) = relative(&delta.new_file()) {
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
                listing.add(path_of(&added), entry.filemode(), entry.id());
            }
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

/// A post is any `*.md` / `*.markdown` file except Hugo section pages (`_index.md`, `_index.fr.md`).
fn is_post_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".md") || lower.ends_with(".markdown")) && !lower.starts_with("_index.")
}

fn open(path: Option<&Path>) -> Result<Repository, SourceError> {
    super::configure_git();
    match path {
        Some(path) => Repository::open(path).map_err(|source| match source.code() {
            ErrorCode::NotFound => SourceError::NotARepository {
                path: path.to_owned(),
            },
            _ => SourceError::Git {
                doing: "opening the repository",
                repo: path.to_owned(),
                source,
            },
        }),
        None => {
            let dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            Repository::discover(&dir).map_err(|source| match source.code() {
                ErrorCode::NotFound => SourceError::NoRepositoryHere { dir },
                _ => SourceError::Git {
                    doing: "opening the repository",
                    repo: dir,
                    source,
                },
            })
        }
    }
}

fn resolve<'r>(
    repo: &'r Repository,
    branch: Option<&str>,
) -> Result<(git2::Commit<'r>, Option<String>), SourceError> {
    let Some(name) = branch else {
        let head = match repo.head() {
            Ok(head) => head,
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => {
                return Err(SourceError::NoCommits {
                    repo: repo_location(repo),
                });
            }
            Err(e) => return Err(failed(repo, "reading HEAD")(e)),
        };
        let name = head
            .is_branch()
            .then(|| head.shorthand().ok().map(str::to_owned))
            .flatten();
        let commit = head
            .peel_to_commit()
            .map_err(failed(repo, "reading HEAD's commit"))?;
        return Ok((commit, name));
    };
    let found = repo
        .find_branch(name, BranchType::Local)
        .or_else(|_| repo.find_branch(name, BranchType::Remote));
    let Ok(found) = found else {
        let mut names: Vec<String> = repo
            .branches(None)
            .map_err(failed(repo, "listing branches"))?
            .filter_map(|b| b.ok()?.0.name().ok().flatten().map(str::to_owned))
            .collect();
        names.sort();
        let available = if names.is_empty() {
            "(none: the repository has no commits yet)".to_owned()
        } else {
            names.join(", ")
        };
        return Err(SourceError::UnknownBranch {
            branch: name.to_owned(),
            repo: repo_location(repo),
            available,
        });
    };
    let commit = found
        .get()
        .peel_to_commit()
        .map_err(failed(repo, "reading the branch's commit"))?;
    Ok((commit, Some(name.to_owned())))
}

/// The work tree of a normal repository, or the git directory of a bare one.
fn repo_location(repo: &Repository) -> PathBuf {
    repo.workdir().unwrap_or_else(|| repo.path()).to_owned()
}

fn failed<'r>(
    repo: &'r Repository,
    doing: &'static str,
) -> impl FnOnce(git2::Error) -> SourceError + 'r {
    move |source| SourceError::Git {
        doing,
        repo: repo_location(repo),
        source,
    }
}

fn top_level(tree: &git2::Tree<'_>) -> String {
    let names: Vec<String> = tree
        .iter()
        .filter(|e| e.kind() == Some(ObjectType::Tree))
        .map(|e| format!("{}/", String::from_utf8_lossy(e.name_bytes())))
        .collect();
    if names.is_empty() {
        "no folders".to_owned()
    } else {
        names.join(", ")
    }
}

fn short(id: git2::Oid) -> String {
    id.to_string()[..12].to_owned()
}

#[cfg(test)]
mod tests {
    use super::is_post_name;

    #[test]
    fn recognises_post_files() {
        for name in ["a.md", "B.MD", "c.markdown", "index.md", "index.fr.md"] {
            assert!(is_post_name(name), "{name}");
        }
        for name in [
            "_index.md",
            "_index.fr.md",
            "a.txt",
            "md",
            "a.mdx",
            "image.png",
        ] {
            assert!(!is_post_name(name), "{name}");
        }
    }
}
