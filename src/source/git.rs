//! The git2 side of [`crate::source`]: open the repository, resolve the branch, walk the root
//! folder of the commit's tree (or diff it against the previous one) and list the Markdown blobs,
//! which [`Blobs`] reads by id from any thread.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, FixedOffset};
use git2::{BranchType, ErrorCode, ObjectType, Repository};

use super::SourceConfig;
use super::listing::{diff, walk};
use super::names::{escaped, escaped_bytes};
use super::site::Site;

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
        self.with_repo(|repo| {
            repo.odb()
                .and_then(|odb| odb.read(blob).map(|object| object.data().to_vec()))
                .map_err(failed(repo, "reading a blob"))
        })
    }

    /// The bytes of `blob` when it has at most `max_bytes`, else `Err(its size)`. The blob is
    /// read whole either way, and a large one dropped at once: asking the object's header first
    /// costs libgit2 a second open and inflate of every loose object, which made loading 10,000
    /// posts 60% slower (584 against 366 ms).
    ///
    /// # Errors
    /// [`SourceError::Git`] when the repository cannot be opened or no longer has the blob.
    pub(crate) fn read_at_most(
        &self,
        blob: git2::Oid,
        max_bytes: u64,
    ) -> Result<Result<Vec<u8>, u64>, SourceError> {
        self.with_repo(|repo| {
            let odb = repo.odb().map_err(failed(repo, "reading a blob"))?;
            let object = odb.read(blob).map_err(failed(repo, "reading a blob"))?;
            let size = u64::try_from(object.len()).unwrap_or(u64::MAX);
            Ok(if size > max_bytes {
                Err(size)
            } else {
                Ok(object.data().to_vec())
            })
        })
    }

    /// Runs `read` with a repository handle of the pool, or a new one when all are in use.
    pub(crate) fn with_repo<T, E: From<SourceError>>(
        &self,
        read: impl FnOnce(&Repository) -> Result<T, E>,
    ) -> Result<T, E> {
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
        let result = read(&repo);
        let mut idle = idle();
        if idle.len() < IDLE_HANDLES {
            idle.push(repo);
        }
        result
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
    /// The Hugo configuration found beside the posts.
    pub(crate) site: Site,
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
    #[error(
        "HEAD of {repo} names branch `{branch}`, which does not exist (deleted, or not committed to yet): pass --branch with one of: {available}"
    )]
    HeadBranchMissing {
        branch: String,
        repo: PathBuf,
        available: String,
    },
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
    #[error(
        "{url} names no default branch (its HEAD names a branch that was deleted): pass --branch with one of: {available}"
    )]
    RemoteHeadMissing { url: String, available: String },
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
    #[error(
        "the Hugo configuration in {dir} cannot be read: {message}; fix it (or pass --site with the folder of another one); the last good commit keeps serving"
    )]
    SiteConfig { dir: String, message: String },
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
    /// [`Site::fingerprint`] of that commit: when the configuration changed, every post is
    /// read again (its URL rules, or even its folder, may be new).
    pub(crate) site: u64,
}

/// What [`read`] found.
#[derive(Debug)]
pub(crate) enum Read {
    /// The branch still points at the `since` commit.
    Unchanged,
    Files(Box<SourceFiles>),
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
    let id = commit.id();
    drop(commit);
    read_commit(repo, id, branch, config, since).map(|files| Read::Files(Box::new(files)))
}

/// Reads the post files of `commit` in `repo` under the configured root, as [`read`] does;
/// `branch` is the name it was reached by, for the revision.
///
/// # Errors
/// [`SourceError`] when the commit or root cannot be found, or git fails.
pub(crate) fn read_commit(
    repo: Repository,
    id: git2::Oid,
    branch: Option<String>,
    config: &SourceConfig,
    since: Option<Since>,
) -> Result<SourceFiles, SourceError> {
    let commit = repo
        .find_commit(id)
        .map_err(failed(&repo, "reading the commit"))?;
    let tree = commit
        .tree()
        .map_err(failed(&repo, "reading the commit's tree"))?;
    let site = super::site::read(&repo, &tree, config.site_dir(), config.given_root())?;
    let found_root = site.content_root();
    let root = match (config.given_root(), &found_root) {
        (Some(root), _) => root,
        (None, Some(root)) => root.as_str(),
        (None, None) => super::DEFAULT_ROOT,
    };
    let since = since.filter(|s| s.site == site.fingerprint);
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

    let committed_at = super::instant(commit.committer().when());
    let info = CommitInfo {
        id: commit.id(),
        branch,
        committed_at,
        root: root.to_owned(),
    };
    let (root_tree_id, complete) = (root_tree.id(), old_tree.is_none());
    // The objects borrow the repository, which the blob reader takes.
    drop((commit, tree, root_tree, old_tree));
    Ok(SourceFiles {
        commit: info,
        root_tree: root_tree_id,
        complete,
        files,
        blobs: Blobs::new(repo),
        site,
        skipped: listing.skipped,
        removed: listing.removed,
    })
}

pub(super) fn open(path: Option<&Path>) -> Result<Repository, SourceError> {
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
                return Err(unborn_head(repo)?);
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
        let names = branch_names(repo)?;
        let available = if !names.is_empty() {
            listed(&names)
        } else if let Ok(commit) = repo.head().and_then(|h| h.peel_to_commit()) {
            format!(
                "(none: HEAD is detached at commit {}; leave --branch out to serve it)",
                short(commit.id())
            )
        } else {
            "(none: the repository has no commits yet)".to_owned()
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

/// Why HEAD has no commit: the repository has none yet, or HEAD names a branch that is gone
/// (deleted, or an orphan branch just created) while other branches have commits.
///
/// # Errors
/// [`SourceError::Git`] when the branches cannot be listed.
fn unborn_head(repo: &Repository) -> Result<SourceError, SourceError> {
    let names = branch_names(repo)?;
    if names.is_empty() {
        return Ok(SourceError::NoCommits {
            repo: repo_location(repo),
        });
    }
    let head = repo.find_reference("HEAD").ok();
    let target = head.as_ref().and_then(|h| h.symbolic_target_bytes());
    let branch = target.map_or_else(
        || "?".to_owned(),
        |t| escaped_bytes(t.strip_prefix(b"refs/heads/").unwrap_or(t)),
    );
    Ok(SourceError::HeadBranchMissing {
        branch,
        repo: repo_location(repo),
        available: listed(&names),
    })
}

/// Local and remote-tracking branches, sorted.
fn branch_names(repo: &Repository) -> Result<Vec<String>, SourceError> {
    let mut names: Vec<String> = repo
        .branches(None)
        .map_err(failed(repo, "listing branches"))?
        .filter_map(|b| b.ok()?.0.name().ok().flatten().map(str::to_owned))
        .collect();
    names.sort();
    Ok(names)
}

/// Branches to choose from, for an error message: the first few, and how many more.
pub(super) fn listed<S: AsRef<str>>(names: &[S]) -> String {
    const SHOWN: usize = 10;
    let mut list = names
        .iter()
        .take(SHOWN)
        .map(|n| escaped(n.as_ref()).into_owned())
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        list.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    list
}

/// The work tree of a normal repository, or the git directory of a bare one.
fn repo_location(repo: &Repository) -> PathBuf {
    repo.workdir().unwrap_or_else(|| repo.path()).to_owned()
}

pub(super) fn failed<'r>(
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
        .map(|e| format!("{}/", escaped_bytes(e.name_bytes())))
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
    use super::*;

    /// A repository with one commit on `main` and a branch `dev` at the same commit.
    fn repo_with_main_and_dev() -> (tempfile::TempDir, Repository) {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        repo.set_head("refs/heads/main").unwrap();
        let tree = repo.treebuilder(None).unwrap().write().unwrap();
        let tree = repo.find_tree(tree).unwrap();
        let sig = git2::Signature::now("Test", "test@example.com").unwrap();
        let commit = repo
            .commit(Some("HEAD"), &sig, &sig, "posts", &tree, &[])
            .unwrap();
        repo.branch("dev", &repo.find_commit(commit).unwrap(), false)
            .unwrap();
        drop(tree);
        (dir, repo)
    }

    fn read_error(dir: &Path, branch: Option<&str>) -> String {
        let config = SourceConfig {
            repo: Some(dir.to_owned()),
            branch: branch.map(str::to_owned),
            root: Some(String::new()),
            site: None,
        };
        match read(&config, None) {
            Err(err) => err.to_string(),
            Ok(_) => panic!("{branch:?} reads"),
        }
    }

    #[test]
    fn a_deleted_head_branch_is_named_with_the_branches_that_exist() {
        let (dir, repo) = repo_with_main_and_dev();
        repo.find_reference("refs/heads/main")
            .unwrap()
            .delete()
            .unwrap();
        let err = read_error(dir.path(), None);
        assert!(
            err.contains("names branch `main`, which does not exist (deleted, or not committed to yet): pass --branch with one of: dev"),
            "{err}"
        );
        assert!(!err.contains("no commits yet"), "{err}");
    }

    #[test]
    fn a_missing_branch_with_only_a_detached_head_says_how_to_serve_it() {
        let (dir, repo) = repo_with_main_and_dev();
        let head = repo.head().unwrap().peel_to_commit().unwrap().id();
        repo.set_head_detached(head).unwrap();
        for branch in ["refs/heads/main", "refs/heads/dev"] {
            repo.find_reference(branch).unwrap().delete().unwrap();
        }
        let err = read_error(dir.path(), Some("main"));
        assert!(
            err.contains(&format!(
                "branch `main` does not exist in {}: pass --branch with one of: (none: HEAD is detached at commit {}; leave --branch out to serve it)",
                dir.path().join("").display(),
                short(head)
            )),
            "{err}"
        );
    }

    #[test]
    fn lists_a_few_branches_and_how_many_more() {
        let names: Vec<String> = (0..13).map(|i| format!("b{i:02}")).collect();
        assert_eq!(
            listed(&names),
            "b00, b01, b02, b03, b04, b05, b06, b07, b08, b09 and 3 more"
        );
        assert_eq!(listed(&["a\nb"]), "a\\nb");
    }
}
