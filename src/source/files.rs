//! The files of a commit that are served as they are, at `/files/{commit}/{path}`: a post's
//! page-bundle resources (the image beside `posts/trip/index.md`) and Hugo's static folder. A
//! path comes from a client or from a post's Markdown, so it is looked up only when it is
//! already normalized and under one of the allowed roots, and only in the commit's tree: the
//! work tree on disk is never read, and a symbolic link or submodule is never followed.

use std::path::Path;

use git2::{ErrorCode, FileMode, ObjectType, Oid, Repository, TreeWalkMode, TreeWalkResult};

use super::git::{Blobs, SourceError, failed};
use super::names::unsafe_name;
use super::normalized_dir;

/// A regular file of a commit that may be served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileInfo {
    /// Path from the repository root, `/`-separated and normalized.
    pub(crate) path: String,
    /// Git blob id: the file's content address, and its `ETag`.
    pub(crate) blob: Oid,
    /// Length in bytes.
    pub(crate) size: u64,
}

/// The folders files may be served from, normalized (no surrounding slashes; `""` for the
/// whole tree).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Roots<'a> {
    /// The content root (`--root`). Its Markdown files are posts, never served as they are: a
    /// draft's source would otherwise be one URL away.
    pub(crate) content: &'a str,
    /// The static folder (`--static`, or `static` beside the content root), served whole.
    pub(crate) static_dir: Option<&'a str>,
}

impl Roots<'_> {
    /// Whether the normalized `path` may be served: under the static folder, or under the
    /// content root and not Markdown. A Markdown file under the content root stays private even
    /// when the static folder holds it too.
    pub(crate) fn allow(&self, path: &str) -> bool {
        let in_content = under(path, self.content);
        let in_static = self.static_dir.is_some_and(|dir| under(path, dir));
        (in_static || in_content) && !(in_content && is_markdown(file_name(path)))
    }
}

/// True when `path` is repository-relative and normalized: not empty, no leading or trailing
/// `/`, no empty, `.` or `..` segment, no backslash, NUL or other control character. A path
/// that is not is refused, never repaired: `a/./b` and `a//b` name nothing.
pub(crate) fn is_normalized(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && path
            .split('/')
            .all(|name| unsafe_name(name.as_bytes()).is_none())
}

/// True when `path` lies inside the folder `root` (`""` holds every path).
fn under(path: &str, root: &str) -> bool {
    root.is_empty()
        || path
            .strip_prefix(root)
            .is_some_and(|rest| rest.len() > 1 && rest.starts_with('/'))
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A Markdown file, as the post listing counts them (`.md`, `.markdown`, any case).
fn is_markdown(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// `index.md` (or `index.fr.md`, `index.markdown`): the post of a leaf bundle.
fn is_bundle_index(name: &str) -> bool {
    is_markdown(name) && name.split('.').next() == Some("index")
}

/// A folder's own page: a leaf bundle's `index.md` or a section's `_index.md`.
fn is_page_file(name: &str) -> bool {
    is_markdown(name) && matches!(name.split('.').next(), Some("index" | "_index"))
}

/// A regular file's mode: `100644` or `100755`; never a link (`120000`) or submodule.
fn is_regular(mode: i32) -> bool {
    mode == i32::from(FileMode::Blob) || mode == i32::from(FileMode::BlobExecutable)
}

/// The file at `path` in `commit`, when `path` is normalized, `roots` allow it, and it names a
/// regular file; `None` for anything else (a folder, a link, a submodule, a missing path or
/// commit).
///
/// # Errors
/// [`SourceError::Git`] when git fails otherwise (a corrupt or missing object).
pub(crate) fn find(
    repo: &Repository,
    commit: Oid,
    roots: Roots<'_>,
    path: &str,
) -> Result<Option<FileInfo>, SourceError> {
    if !is_normalized(path) || !roots.allow(path) {
        return Ok(None);
    }
    let Some(tree) = commit_tree(repo, commit)? else {
        return Ok(None);
    };
    let entry = match tree.get_path(Path::new(path)) {
        Ok(entry) => entry,
        Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
        Err(e) => return Err(failed(repo, "looking up a file")(e)),
    };
    if entry.kind() != Some(ObjectType::Blob) || !is_regular(entry.filemode()) {
        return Ok(None);
    }
    Ok(Some(FileInfo {
        path: path.to_owned(),
        blob: entry.id(),
        size: blob_size(repo, entry.id())?,
    }))
}

/// The files of the page bundle of the post at `post_path`: for `dir/index.md` (a leaf bundle,
/// `dir` below `content_root`), every regular file under `dir/` except Markdown and except what
/// lies in a sub-folder with its own `index.md` or `_index.md` (another page's), sorted by path.
/// Empty for any other post. Names unsafe in a path are left out, as they could not be served.
///
/// # Errors
/// [`SourceError::Git`] when git fails to read the commit's trees.
pub(crate) fn bundle(
    repo: &Repository,
    commit: Oid,
    content_root: &str,
    post_path: &str,
) -> Result<Vec<FileInfo>, SourceError> {
    let Some((dir, name)) = post_path.rsplit_once('/') else {
        return Ok(Vec::new());
    };
    if !is_bundle_index(name) || !is_normalized(dir) || !under(dir, content_root) {
        return Ok(Vec::new());
    }
    let Some(tree) = commit_tree(repo, commit)? else {
        return Ok(Vec::new());
    };
    let dir_tree = match tree.get_path(Path::new(dir)) {
        Ok(entry) if entry.kind() == Some(ObjectType::Tree) => repo
            .find_tree(entry.id())
            .map_err(failed(repo, "reading a bundle folder"))?,
        Ok(_) => return Ok(Vec::new()),
        Err(e) if e.code() == ErrorCode::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(failed(repo, "reading a bundle folder")(e)),
    };
    let mut found = Vec::new();
    let mut error = None;
    let walked = dir_tree.walk(TreeWalkMode::PreOrder, |sub, entry| {
        let Ok(name) = std::str::from_utf8(entry.name_bytes()) else {
            return skip_folder(entry);
        };
        if unsafe_name(name.as_bytes()).is_some() || name.contains('\\') {
            return skip_folder(entry);
        }
        if entry.kind() == Some(ObjectType::Tree) {
            return match has_own_page(repo, entry.id()) {
                Ok(true) => TreeWalkResult::Skip,
                Ok(false) => TreeWalkResult::Ok,
                Err(e) => {
                    error = Some(e);
                    TreeWalkResult::Abort
                }
            };
        }
        if entry.kind() != Some(ObjectType::Blob)
            || !is_regular(entry.filemode())
            || is_markdown(name)
        {
            return TreeWalkResult::Ok;
        }
        match blob_size(repo, entry.id()) {
            Ok(size) => {
                found.push(FileInfo {
                    path: format!("{dir}/{sub}{name}"),
                    blob: entry.id(),
                    size,
                });
                TreeWalkResult::Ok
            }
            Err(e) => {
                error = Some(e);
                TreeWalkResult::Abort
            }
        }
    });
    if let Some(e) = error {
        return Err(e);
    }
    walked.map_err(failed(repo, "listing a bundle folder"))?;
    found.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

/// Skips a folder the walk must not enter; a file is passed over either way.
fn skip_folder(entry: &git2::TreeEntry<'_>) -> TreeWalkResult {
    if entry.kind() == Some(ObjectType::Tree) {
        TreeWalkResult::Skip
    } else {
        TreeWalkResult::Ok
    }
}

/// Whether the folder `tree` holds its own `index.md` or `_index.md`.
fn has_own_page(repo: &Repository, tree: Oid) -> Result<bool, SourceError> {
    let tree = repo
        .find_tree(tree)
        .map_err(failed(repo, "reading a bundle folder"))?;
    Ok(tree.iter().any(|entry| {
        entry.kind() == Some(ObjectType::Blob)
            && std::str::from_utf8(entry.name_bytes()).is_ok_and(is_page_file)
    }))
}

/// The static folder of `commit`: `configured` (`--static`, normalized as `--root` is) when
/// given, whether or not the commit has it; else `static` beside the content root (`site/static`
/// for `site/content`; `static` at the top for the whole tree or a top-level root) when the
/// commit has that folder and it is not the content root itself; else `None`.
///
/// # Errors
/// [`SourceError::Git`] when git fails to read the commit's tree.
pub(crate) fn static_folder(
    repo: &Repository,
    commit: Oid,
    content_root: &str,
    configured: Option<&str>,
) -> Result<Option<String>, SourceError> {
    if let Some(dir) = configured {
        return Ok(Some(normalized_dir(dir).to_owned()));
    }
    let candidate = match content_root.rsplit_once('/') {
        Some((parent, _)) => format!("{parent}/static"),
        None => "static".to_owned(),
    };
    if candidate == content_root {
        return Ok(None);
    }
    let Some(tree) = commit_tree(repo, commit)? else {
        return Ok(None);
    };
    match tree.get_path(Path::new(&candidate)) {
        Ok(entry) if entry.kind() == Some(ObjectType::Tree) => Ok(Some(candidate)),
        Ok(_) => Ok(None),
        Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(failed(repo, "looking for the static folder")(e)),
    }
}

/// Whether `commit` is `tip` or one of its ancestors. `false` for an id that names no commit
/// (unknown, or a blob or tree).
///
/// # Errors
/// [`SourceError::Git`] when git fails while walking the history.
pub(crate) fn reaches(repo: &Repository, tip: Oid, commit: Oid) -> Result<bool, SourceError> {
    if commit == tip {
        return Ok(true);
    }
    match repo.find_commit(commit) {
        Ok(_) => {}
        Err(e) if is_missing(&e) => return Ok(false),
        Err(e) => return Err(failed(repo, "looking up a commit")(e)),
    }
    repo.graph_descendant_of(tip, commit)
        .map_err(failed(repo, "walking the history"))
}

/// The tree of `commit`, or `None` when no such commit exists.
fn commit_tree(repo: &Repository, commit: Oid) -> Result<Option<git2::Tree<'_>>, SourceError> {
    match repo.find_commit(commit) {
        Ok(commit) => commit
            .tree()
            .map(Some)
            .map_err(failed(repo, "reading the commit's tree")),
        Err(e) if is_missing(&e) => Ok(None),
        Err(e) => Err(failed(repo, "looking up a commit")(e)),
    }
}

/// An id that names no object, or an object of another kind.
fn is_missing(error: &git2::Error) -> bool {
    matches!(error.code(), ErrorCode::NotFound | ErrorCode::Invalid)
        || error.class() == git2::ErrorClass::Invalid
}

/// The length of `blob`, from its header: the bytes are not read.
fn blob_size(repo: &Repository, blob: Oid) -> Result<u64, SourceError> {
    let odb = repo.odb().map_err(failed(repo, "reading a file's size"))?;
    let (size, _) = odb
        .read_header(blob)
        .map_err(failed(repo, "reading a file's size"))?;
    Ok(u64::try_from(size).unwrap_or(u64::MAX))
}

impl Blobs {
    /// [`find`], with a repository handle of the pool.
    ///
    /// # Errors
    /// As [`find`].
    pub(crate) fn file(
        &self,
        commit: Oid,
        roots: Roots<'_>,
        path: &str,
    ) -> Result<Option<FileInfo>, SourceError> {
        self.with_repo(|repo| find(repo, commit, roots, path))
    }

    /// [`bundle`], with a repository handle of the pool.
    ///
    /// # Errors
    /// As [`bundle`].
    pub(crate) fn bundle(
        &self,
        commit: Oid,
        content_root: &str,
        post_path: &str,
    ) -> Result<Vec<FileInfo>, SourceError> {
        self.with_repo(|repo| bundle(repo, commit, content_root, post_path))
    }

    /// [`static_folder`], with a repository handle of the pool.
    ///
    /// # Errors
    /// As [`static_folder`].
    pub(crate) fn static_folder(
        &self,
        commit: Oid,
        content_root: &str,
        configured: Option<&str>,
    ) -> Result<Option<String>, SourceError> {
        self.with_repo(|repo| static_folder(repo, commit, content_root, configured))
    }

    /// [`reaches`], with a repository handle of the pool.
    ///
    /// # Errors
    /// As [`reaches`].
    pub(crate) fn reaches(&self, tip: Oid, commit: Oid) -> Result<bool, SourceError> {
        self.with_repo(|repo| reaches(repo, tip, commit))
    }
}

#[cfg(test)]
mod tests;
