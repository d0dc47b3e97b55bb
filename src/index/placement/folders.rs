//! Folders in a content tree as Hugo reads them: a page's folder, its section, bundles and
//! their resources, draft sections.

use std::collections::BTreeSet;

use crate::content::is_section_file;

/// The folder holding `path` (`""` at the top).
pub(super) fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// A page at the top of the content folder's bundle (`about/index.md`): it is no section.
pub(super) fn is_top_bundle(relative: &str) -> bool {
    let mut parts = relative.split('/');
    matches!((parts.next(), parts.next(), parts.next()), (Some(_), Some(name), None) if name.split('.').next() == Some("index"))
}

/// The folder whose section holds the file at `relative`: a regular page's folder (its bundle's
/// parent for `x/index.md`), or a section page's parent folder.
pub(super) fn parent_folder(relative: &str, page: bool) -> &str {
    let folder = folder_of(relative);
    let is_bundle = file_name(relative).split('.').next() == Some("index");
    if (page && is_bundle) || (!page && is_section_file(relative)) {
        folder_of(folder)
    } else {
        folder
    }
}

/// Whether `folder` (in language `code`) is, or is below, a draft section's folder.
pub(super) fn under_draft(
    draft_folders: &BTreeSet<(String, String)>,
    code: &str,
    folder: &str,
) -> bool {
    if draft_folders.is_empty() {
        return false;
    }
    let mut at = folder;
    loop {
        if draft_folders.contains(&(code.to_owned(), at.to_owned())) {
            return true;
        }
        if at.is_empty() {
            return false;
        }
        at = folder_of(at);
    }
}

/// The section holding `folder`: the nearest folder at or above it with an `_index` file, else
/// its top-level folder (a section in Hugo even without one), else the home page (`""`).
pub(super) fn nearest_section(folder: &str, section_dirs: &BTreeSet<String>) -> String {
    let mut at = folder;
    while at.contains('/') && !section_dirs.contains(at) {
        at = folder_of(at);
    }
    at.to_owned()
}

pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Whether `path` lies inside a leaf bundle's folder (`bundles` holds each `index.md`'s folder
/// with a trailing `/`): it is one of the bundle's resources, not a page. A bundle's own
/// `index.md` (and its translations) is the page.
pub(super) fn inside_bundle(path: &str, bundles: &BTreeSet<String>) -> bool {
    let own_index = file_name(path).split('.').next() == Some("index");
    let mut folder = path;
    let mut immediate = true;
    while let Some((up, _)) = folder.rsplit_once('/') {
        if bundles.contains(&format!("{up}/")) && !(immediate && own_index) {
            return true;
        }
        immediate = false;
        folder = up;
    }
    false
}
