//! Source: reading posts out of git objects. Every git2 call lives here, is synchronous, and runs
//! on a blocking thread (the caller uses `spawn_blocking`). Posts come from the commit's tree, never
//! from the working tree: an uncommitted edit is not served.

mod git;
mod remote;

pub use git::SourceError;
pub(crate) use git::{Blobs, CommitInfo, Read, Since, SourceFile, SourceFiles, read};
pub(crate) use remote::is_url;
pub use remote::{CREDENTIAL_ENV, Remote};

use std::path::PathBuf;

/// Where to read posts from.
#[derive(Debug, Clone)]
pub struct SourceConfig {
    /// Path of the repository; `None` means the repository containing the current directory.
    pub repo: Option<PathBuf>,
    /// Branch to serve; `None` means the repository's HEAD.
    pub branch: Option<String>,
    /// Folder of the tree holding the posts (`""` for the whole tree).
    pub root: String,
}

impl SourceConfig {
    /// The root without leading `./` or surrounding slashes.
    pub(crate) fn normalized_root(&self) -> &str {
        let root = self.root.trim();
        let root = root.strip_prefix("./").unwrap_or(root);
        let root = root.trim_matches('/');
        if root == "." { "" } else { root }
    }
}
