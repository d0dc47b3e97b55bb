//! Links to a post's files: a relative image or file path (`photo.png`, `../img/x.png`) or a
//! root-relative one (`/img/x.png`, a file of the static folder). Rendered HTML holds a marker
//! ([`super::markers`]) where such a URL goes; the marker becomes a `/files/{commit}/{path}` URL
//! when the HTML is served, against the commit served then, so the rendered HTML stays keyed by
//! the post's blob.

use percent_encoding::percent_decode_str;

/// Where a linked file is looked for. Nothing here depends on where the post is (a render is
/// cached by blob, and a moved post keeps its blob): a relative path is joined with the post's
/// folder when the HTML is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FilePath {
    /// A path relative to the post's folder, decoded, as written (`photo.png`, `../img/x.png`).
    Relative(String),
    /// A path under the static folder (a root-relative link), normalized.
    Static(String),
}

impl FilePath {
    /// The path from the repository root, for a post in folder `post_dir` with the static
    /// folder `static_root`; `None` when it climbs above the repository root or there is no
    /// static folder.
    pub(crate) fn resolve(&self, post_dir: &str, static_root: Option<&str>) -> Option<String> {
        match self {
            FilePath::Relative(path) => normalize(post_dir, path),
            FilePath::Static(path) => normalize(static_root?, path),
        }
    }
}

/// A local file linked from a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileRef {
    /// The URL as written, for when the file does not exist.
    pub(crate) written: String,
    pub(crate) path: FilePath,
    /// `?query#fragment` as written, kept after the file's URL.
    pub(crate) suffix: String,
    /// 1-based line in the post file.
    pub(crate) line: usize,
}

/// Whether `dest` (a link or image destination) names a local file and where: `None` for
/// URLs with a scheme, protocol-relative and fragment-only links, and (for links, not images)
/// paths that look like pages: no extension, or `.md`, `.markdown`, `.html` (a page's URL,
/// which is not a file).
pub(crate) fn classify(dest: &str, image: bool) -> Option<(FilePath, String)> {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
        return None;
    }
    let cut = dest.find(['?', '#']).unwrap_or(dest.len());
    let (path, suffix) = dest.split_at(cut);
    let path = percent_decode_str(path).decode_utf8().ok()?;
    if path.is_empty() || path.ends_with('/') {
        return None;
    }
    if !image {
        let name = path.rsplit('/').next().unwrap_or_default();
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        match extension.as_deref() {
            None | Some("md" | "markdown" | "html" | "htm" | "") => return None,
            Some(_) => {}
        }
    }
    if path.contains(['\\', '\0']) {
        return None;
    }
    let found = match path.strip_prefix('/') {
        Some(under_static) => FilePath::Static(normalize("", under_static)?),
        None => FilePath::Relative(path.into_owned()),
    };
    Some((found, suffix.to_owned()))
}

/// `relative` joined to `dir` with `.` and `..` worked out; `None` when it climbs above the root
/// or holds a backslash or NUL.
pub(crate) fn normalize(dir: &str, relative: &str) -> Option<String> {
    if relative.contains(['\\', '\0']) {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Whether `dest` starts with a URL scheme (`https:`, `mailto:`).
pub(super) fn has_scheme(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relative(p: &str) -> Option<(FilePath, String)> {
        Some((FilePath::Relative(p.to_owned()), String::new()))
    }

    fn resolved(dest: &str, dir: &str) -> Option<String> {
        classify(dest, true)?.0.resolve(dir, Some("static"))
    }

    #[test]
    fn resolves_relative_paths_against_the_post_folder_when_served() {
        assert_eq!(classify("photo.png", true), relative("photo.png"));
        assert_eq!(
            resolved("photo.png", "content/posts/trip").as_deref(),
            Some("content/posts/trip/photo.png")
        );
        assert_eq!(
            resolved("./img/a%20b.png", "content/posts").as_deref(),
            Some("content/posts/img/a b.png")
        );
        assert_eq!(
            resolved("../img/x.png", "content/posts").as_deref(),
            Some("content/img/x.png")
        );
        assert_eq!(
            resolved("../../../x.png", "content/posts"),
            None,
            "above the root"
        );
        assert_eq!(
            classify("/img/x.png?v=2#top", true),
            Some((
                FilePath::Static("img/x.png".to_owned()),
                "?v=2#top".to_owned()
            ))
        );
        assert_eq!(
            resolved("/img/x.png", "content/posts").as_deref(),
            Some("static/img/x.png")
        );
    }

    #[test]
    fn leaves_urls_and_pages_alone() {
        for dest in [
            "https://x.org/a.png",
            "//cdn/x.png",
            "#top",
            "mailto:a@b",
            "data:image/png;base64,xx",
            "dir/",
            "a\\b.png",
        ] {
            assert_eq!(classify(dest, true), None, "{dest}");
        }
        for page in ["other.md", "../other/", "/about/", "x.html", "/weekly"] {
            assert_eq!(classify(page, false), None, "{page}");
        }
        assert_eq!(classify("report.pdf", false), relative("report.pdf"));
    }
}
