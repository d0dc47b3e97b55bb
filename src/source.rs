//! Source: reading posts out of git objects. Every git2 call lives here, is synchronous, and runs
//! on a blocking thread (the caller uses `spawn_blocking`). Posts come from the commit's tree, never
//! from the working tree: an uncommitted edit is not served.

mod commits;
mod files;
mod git;
mod history;
mod listing;
mod names;
mod refs;
mod remote;
mod site;
#[cfg(test)]
pub(crate) mod testing;

pub(crate) use commits::{CommitMeta, between as commits_between, instant};
pub(crate) use files::{FileInfo, Roots, is_normalized};
pub use git::SourceError;
pub(crate) use git::{Blobs, CommitInfo, Read, Since, SourceFile, SourceFiles, read, read_commit};
pub(crate) use history::{Change, History};
pub(crate) use names::escaped;
pub(crate) use refs::RefError;
pub(crate) use refs::{
    FETCHED_HEADS, RefKind, check as check_ref, is_published, resolve as resolve_ref,
};
pub(crate) use remote::is_url;
pub use remote::{CREDENTIAL_ENV, Remote};
pub(crate) use site::Site;

use std::path::PathBuf;
use std::sync::Once;

/// Sets libgit2's process-wide options, once, before a repository is first opened. Objects are
/// not hashed again at every read: hashing every blob and tree with collision detection took a
/// tenth of a refresh. A fetch still checks the ids of what arrives; a corrupt object already in
/// a local repository is read as it is, as `git cat-file` reads it, and `git fsck` finds it. The
/// option is process-wide, which suits the `quire` binary; a program embedding the library
/// gets it too.
fn configure_git() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| git2::opts::strict_hash_verification(false));
}

/// Where to read posts from.
#[derive(Debug, Clone)]
pub struct SourceConfig {
    /// Path of the repository; `None` means the repository containing the current directory.
    pub repo: Option<PathBuf>,
    /// Branch to serve; `None` means the repository's HEAD.
    pub branch: Option<String>,
    /// Folder of the tree holding the posts (`""` for the whole tree); `None` for the Hugo
    /// configuration's `contentDir`, or [`DEFAULT_ROOT`] when there is no configuration.
    pub root: Option<String>,
    /// Folder holding the Hugo configuration; `None` for the repository root (or, when it has
    /// none, the parent folder of `root`).
    pub site: Option<String>,
}

/// Where the posts are when neither `--root` nor a Hugo configuration says: the sample posts.
pub(crate) const DEFAULT_ROOT: &str = "content-repo";

impl SourceConfig {
    /// `--root`, without leading `./` or surrounding slashes.
    pub(crate) fn given_root(&self) -> Option<&str> {
        self.root.as_deref().map(normalized_dir)
    }

    /// `--site`, normalized like the root.
    pub(crate) fn site_dir(&self) -> Option<&str> {
        self.site.as_deref().map(normalized_dir)
    }
}

/// Opens the repository `config` names (the one of the current directory without one).
///
/// # Errors
/// [`SourceError`] when there is no repository there.
pub(crate) fn open(config: &SourceConfig) -> Result<git2::Repository, SourceError> {
    git::open(config.repo.as_deref())
}

/// A folder flag without leading `./` or surrounding slashes (`""` for the whole tree).
fn normalized_dir(dir: &str) -> &str {
    let dir = dir.trim();
    let dir = dir.strip_prefix("./").unwrap_or(dir);
    let dir = dir.trim_matches('/');
    if dir == "." { "" } else { dir }
}
