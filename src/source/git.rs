//! The git2 side of [`crate::source`]: open the repository, resolve the branch, walk the root
//! folder of the commit's tree and read every Markdown blob.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use git2::{BranchType, ErrorCode, ObjectType, Repository, TreeWalkMode, TreeWalkResult};

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

/// One Markdown blob under the root.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Path from the repository root, `/`-separated.
    pub(crate) path: String,
    pub(crate) blob: git2::Oid,
    pub(crate) bytes: Vec<u8>,
}

/// Everything read from one commit.
#[derive(Debug)]
pub(crate) struct SourceFiles {
    pub(crate) commit: CommitInfo,
    pub(crate) files: Vec<SourceFile>,
    /// Entries that look like posts but are not regular files: `(path, reason)`.
    pub(crate) skipped: Vec<(String, String)>,
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
    #[error("git failed while {doing} in {repo}")]
    Git {
        doing: &'static str,
        repo: PathBuf,
        source: git2::Error,
    },
}

/// Reads every post file of the configured commit and root.
///
/// # Errors
/// [`SourceError`] when the repository, branch or root cannot be found, or git fails.
pub(crate) fn read(config: &SourceConfig) -> Result<SourceFiles, SourceError> {
    let repo = open(config.repo.as_deref())?;
    let (commit, branch) = resolve(&repo, config.branch.as_deref())?;
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
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    root_tree
        .walk(TreeWalkMode::PreOrder, |dir, entry| {
            let name = String::from_utf8_lossy(entry.name_bytes());
            let path = format!("{prefix}{dir}{name}");
            match entry.kind() {
                Some(ObjectType::Commit) => {
                    skipped.push((path, "is a git submodule; its posts are not read (commit them into this repository to publish them)".to_owned()));
                }
                // A linked post, or a name without extension that may be a linked folder of posts;
                // links to images and other assets are none of Quire's business.
                Some(ObjectType::Blob)
                    if entry.filemode() == i32::from(git2::FileMode::Link)
                        && (is_post_name(&name) || !name.contains('.')) =>
                {
                    skipped.push((path, "is a symbolic link, which Quire does not follow: commit the post or folder itself".to_owned()));
                }
                Some(ObjectType::Blob) if entry.filemode() == i32::from(git2::FileMode::Link) => {}
                Some(ObjectType::Blob) if is_post_name(&name) => found.push((path, entry.id())),
                _ => {}
            }
            TreeWalkResult::Ok
        })
        .map_err(failed(&repo, "walking the tree"))?;

    let odb = repo
        .odb()
        .map_err(failed(&repo, "opening the object database"))?;
    let files = found
        .into_iter()
        .map(|(path, blob)| {
            let object = odb.read(blob).map_err(failed(&repo, "reading a blob"))?;
            Ok(SourceFile {
                path,
                blob,
                bytes: object.data().to_vec(),
            })
        })
        .collect::<Result<Vec<_>, SourceError>>()?;

    let time = commit.committer().when();
    let committed_at = DateTime::from_timestamp(time.seconds(), 0)
        .unwrap_or_default()
        .with_timezone(
            &FixedOffset::east_opt(time.offset_minutes() * 60)
                .unwrap_or(FixedOffset::east_opt(0).expect("zero offset")),
        );
    Ok(SourceFiles {
        commit: CommitInfo {
            id: commit.id(),
            branch,
            committed_at,
            root: root.to_owned(),
        },
        files,
        skipped,
    })
}

/// A post is any `*.md` / `*.markdown` file except Hugo section pages (`_index.md`, `_index.fr.md`).
fn is_post_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".md") || lower.ends_with(".markdown")) && !lower.starts_with("_index.")
}

fn open(path: Option<&Path>) -> Result<Repository, SourceError> {
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
