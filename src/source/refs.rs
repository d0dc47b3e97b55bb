//! Refs: a branch, tag or commit id as a reader names it in `at(ref:)` or `changes(from:)`,
//! checked and resolved to a commit of the repository.

use git2::{ErrorCode, ObjectType, Oid, Repository};

use super::SourceError;

/// How a ref named its commit: only a full commit id names one commit forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefKind {
    /// A full commit id (40 hex digits): the answer never changes.
    Commit,
    /// The start of a commit id (7 to 39 hex digits).
    Abbreviated,
    Branch,
    /// A light or annotated tag.
    Tag,
}

/// A ref resolved to a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub(crate) commit: Oid,
    pub(crate) kind: RefKind,
}

/// Why a ref names no commit.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RefError {
    #[error(
        "`{name}` is not a ref: {why}; give a branch or tag name, or a commit id of at least 7 hex digits"
    )]
    Malformed { name: String, why: &'static str },
    #[error(
        "no branch, tag or commit `{name}` in the repository: check the name, or push it first"
    )]
    NotFound { name: String },
    #[error("`{name}` is the start of more than one commit id: give more of its digits")]
    Ambiguous { name: String },
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(
        "Quire is still loading its content: retry in a moment (GET /readyz says when it is ready)"
    )]
    NotReady,
    /// The error of a build another request was waiting for.
    #[error("{0}")]
    Shared(std::sync::Arc<RefError>),
}

impl RefError {
    /// The error itself, or the one the shared build failed with.
    pub(crate) fn unshared(&self) -> &RefError {
        match self {
            RefError::Shared(err) => err.unshared(),
            err => err,
        }
    }
}

impl SourceError {
    /// Whether the commit read has no content to serve (no content folder, a broken Hugo
    /// configuration), rather than git or the machine failing.
    pub(crate) fn is_content_problem(&self) -> bool {
        matches!(
            self,
            SourceError::RootMissing { .. } | SourceError::SiteConfig { .. }
        )
    }
}

/// Longest ref accepted.
const MAX_LEN: usize = 255;

/// Shortest commit id prefix accepted.
const MIN_HEX: usize = 7;

/// Checks `name` is a branch or tag name git accepts, or hex digits (a commit id), without
/// reading the repository.
///
/// # Errors
/// [`RefError::Malformed`] saying what is wrong.
pub(crate) fn check(name: &str) -> Result<(), RefError> {
    let malformed = |why| {
        Err(RefError::Malformed {
            name: name.chars().take(80).collect(),
            why,
        })
    };
    if name.is_empty() {
        return malformed("it is empty");
    }
    if name.len() > MAX_LEN {
        return malformed("it is longer than 255 bytes");
    }
    if is_hex(name) && name.len() > 40 {
        return malformed("a commit id has 40 hex digits");
    }
    let full = if name.starts_with("refs/") {
        name.to_owned()
    } else {
        format!("refs/heads/{name}")
    };
    if !git2::Reference::is_valid_name(&full) {
        return malformed(
            "git does not allow this name (spaces, `..`, `~`, `^`, `:` and `@{` are not allowed)",
        );
    }
    Ok(())
}

fn is_hex(name: &str) -> bool {
    name.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Resolves `name` in `repo`: a full commit id, a branch (local, then one fetched from the
/// remote), a tag (peeled to its commit), a full ref name (`refs/...`), or the start of a commit
/// id. Branches and tags come before a short id that spells the same word (`cafe123`).
///
/// # Errors
/// [`RefError`] when `name` is malformed, names nothing, or is an ambiguous id prefix.
pub(crate) fn resolve(repo: &Repository, name: &str) -> Result<Resolved, RefError> {
    check(name)?;
    let not_found = || RefError::NotFound {
        name: name.to_owned(),
    };
    if name.len() == 40 && is_hex(name) {
        let id = Oid::from_str(name).map_err(|_| not_found())?;
        return match repo.find_commit(id) {
            Ok(_) => Ok(Resolved {
                commit: id,
                kind: RefKind::Commit,
            }),
            Err(_) => Err(not_found()),
        };
    }
    let candidates: Vec<(String, RefKind)> = if name.starts_with("refs/") {
        let kind = if name.starts_with("refs/tags/") {
            RefKind::Tag
        } else {
            RefKind::Branch
        };
        vec![(name.to_owned(), kind)]
    } else {
        vec![
            (format!("refs/heads/{name}"), RefKind::Branch),
            (format!("{FETCHED_HEADS}{name}"), RefKind::Branch),
            (format!("refs/remotes/origin/{name}"), RefKind::Branch),
            (format!("refs/tags/{name}"), RefKind::Tag),
        ]
    };
    for (full, kind) in candidates {
        let Ok(reference) = repo.find_reference(&full) else {
            continue;
        };
        // An annotated tag peels to its commit; a tag of a tree or blob names no commit.
        return match reference.peel(ObjectType::Commit) {
            Ok(object) => Ok(Resolved {
                commit: object.id(),
                kind,
            }),
            Err(_) => Err(not_found()),
        };
    }
    if name.len() >= MIN_HEX && is_hex(name) {
        return match repo.find_commit_by_prefix(name) {
            Ok(commit) => Ok(Resolved {
                commit: commit.id(),
                kind: RefKind::Abbreviated,
            }),
            Err(e) if e.code() == ErrorCode::Ambiguous => Err(RefError::Ambiguous {
                name: name.to_owned(),
            }),
            Err(_) => Err(not_found()),
        };
    }
    Err(not_found())
}

/// Whether `commit` is `head` or one of its ancestors: history the branch has published.
///
/// # Errors
/// [`SourceError::Git`] when git cannot walk the history.
pub(crate) fn is_published(repo: &Repository, head: Oid, commit: Oid) -> Result<bool, SourceError> {
    if head == commit {
        return Ok(true);
    }
    repo.graph_descendant_of(head, commit)
        .map_err(super::git::failed(
            repo,
            "walking the served branch's history",
        ))
}

/// Where the branches of a remote repository are kept in its clone, beside the served branch
/// (which the refresh moves under `refs/heads/`).
pub(crate) const FETCHED_HEADS: &str = "refs/quire/heads/";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::testing::{FILE, commit};

    #[test]
    fn malformed_refs_are_refused_before_git_is_read() {
        for bad in [
            "",
            "a..b",
            "main~1",
            "x:y",
            "with space",
            "HEAD@{1}",
            &"f".repeat(41),
        ] {
            assert!(
                matches!(check(bad), Err(RefError::Malformed { .. })),
                "{bad:?} should be malformed"
            );
        }
        for good in ["main", "preview/my-post", "v1.0", "refs/tags/v1", "abc1234"] {
            check(good).unwrap_or_else(|e| panic!("{good}: {e}"));
        }
    }

    #[test]
    fn branches_tags_and_ids_resolve_to_commits() {
        let dir = tempfile::tempdir().unwrap();
        let git = Repository::init(dir.path()).unwrap();
        let first = commit(&git, &[("content/a.md", FILE, b"A")]);
        let object = |id| git.find_object(id, None).unwrap();
        git.tag_lightweight("light", &object(first), false).unwrap();
        let second = commit(&git, &[("content/b.md", FILE, b"B")]);
        let signature = git2::Signature::now("T", "t@example.com").unwrap();
        git.tag("annotated", &object(second), &signature, "v2", false)
            .unwrap();
        git.branch("side", &git.find_commit(first).unwrap(), false)
            .unwrap();
        let at = |name: &str| resolve(&git, name).map(|r| (r.commit, r.kind));
        assert_eq!(at("light").unwrap(), (first, RefKind::Tag));
        assert_eq!(at("annotated").unwrap(), (second, RefKind::Tag));
        assert_eq!(at("refs/tags/annotated").unwrap(), (second, RefKind::Tag));
        assert_eq!(at("side").unwrap(), (first, RefKind::Branch));
        assert_eq!(at(&second.to_string()).unwrap(), (second, RefKind::Commit));
        let short = &first.to_string()[..7];
        assert_eq!(at(short).unwrap(), (first, RefKind::Abbreviated));
        assert!(matches!(at("nope"), Err(RefError::NotFound { .. })));
        assert!(matches!(
            at(&"0".repeat(40)),
            Err(RefError::NotFound { .. })
        ));
        assert!(is_published(&git, second, first).unwrap());
        assert!(!is_published(&git, first, second).unwrap());
    }
}
