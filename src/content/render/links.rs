//! Links from a post to pages: Markdown links (`[x](other.md)`, `[x](/posts/x/)`), the `link`
//! of a `figure`, and `ref`/`relref` shortcodes. Rendered HTML holds a marker
//! ([`super::markers`]) where such a URL goes, and [`super::Rendered::links`] lists them; the
//! marker becomes the target's URL when the HTML is served, so the rendered HTML stays keyed by
//! the post's blob whatever the other posts' URLs. [`extract_links`] lists the same links
//! without rendering, for an index of every post's links.

use percent_encoding::percent_decode_str;

use super::events::Pass;
use super::files::{self, has_scheme};
use super::{Page, RenderOptions, render_summary, shortcodes, without_markers, written_summary};

/// What a link points at. Nothing here depends on where the post is or what the other posts
/// are (a render is cached by blob): the index resolves it when the HTML is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkTarget {
    /// A content file (`.md`, `.markdown`, any case), relative to this post's folder, decoded,
    /// as written: `../other.md`, `other/index.md`, `other.md`, `./x/_index.md`.
    File(String),
    /// A root-relative path (`/posts/x/`, `/posts/x`, `/posts/x.html`, `/posts/x.md`), decoded;
    /// Hugo-style site URLs.
    Path(String),
    /// A relative path that is not a content file (`../other/`, `other`, `other.html`),
    /// decoded: a browser resolves it against the post's URL, not its folder.
    Relative(String),
    /// A `ref` shortcode's path (`other.md`, `/posts/other.md`, `other`), decoded, without its
    /// `#anchor`: Hugo writes the target's absolute permalink.
    Ref(String),
    /// A `relref` shortcode's path, like [`LinkTarget::Ref`]: Hugo writes the target's
    /// root-relative permalink.
    RelRef(String),
}

/// A link from a post to a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkRef {
    /// The destination as written (a `ref`'s argument), written back when the target has no URL.
    pub(crate) written: String,
    pub(crate) target: LinkTarget,
    /// The `#fragment`, without `#`, decoded; appended to the target's URL.
    pub(crate) fragment: Option<String>,
    /// The link's text as plain text, white space collapsed (an image's alt text counts); empty
    /// for a `ref` used outside a link and for a `figure`'s link.
    pub(crate) text: String,
    /// 1-based line in the post file.
    pub(crate) line: usize,
}

/// What a link destination (`href`) points at: `None` for URLs with a scheme or a host
/// (`https://site.example/posts/x/` included: a render does not know the site's URL),
/// fragment-only links (`#x`, the same page, kept as written), empty ones, destinations with a
/// `?query` (kept as written: a page's URL has none), and files ([`files::classify`]).
pub(crate) fn classify_link(dest: &str) -> Option<(LinkTarget, Option<String>)> {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
        return None;
    }
    if files::classify(dest, false).is_some() {
        return None;
    }
    let (path, fragment) = split_fragment(dest);
    if path.contains('?') {
        return None;
    }
    let path = decoded_path(path)?;
    let target = if path.starts_with('/') {
        LinkTarget::Path(path)
    } else if is_content_file(&path) {
        LinkTarget::File(path)
    } else {
        LinkTarget::Relative(path)
    };
    Some((target, fragment))
}

/// What a `ref` (`relative`: a `relref`) argument points at, read as Hugo reads it (a URL whose
/// path names the page and whose fragment is kept; a query is ignored). `None` when the path
/// is empty (`#anchor`: the same page, written as is).
pub(super) fn reference(argument: &str, relative: bool) -> Option<(LinkTarget, Option<String>)> {
    let (path, fragment) = split_fragment(argument.trim());
    let path = path.split_once('?').map_or(path, |(path, _)| path);
    let path = decoded_path(path)?;
    let target = if relative {
        LinkTarget::RelRef(path)
    } else {
        LinkTarget::Ref(path)
    };
    Some((target, fragment))
}

/// The path before `#` and the fragment after it (decoded, `None` when empty).
fn split_fragment(dest: &str) -> (&str, Option<String>) {
    match dest.split_once('#') {
        Some((path, fragment)) => (path, decoded_fragment(fragment)),
        None => (dest, None),
    }
}

/// A fragment decoded (`None` when empty); bytes that are not UTF-8 become U+FFFD.
pub(super) fn decoded_fragment(fragment: &str) -> Option<String> {
    (!fragment.is_empty()).then(|| {
        percent_decode_str(fragment)
            .decode_utf8_lossy()
            .into_owned()
    })
}

/// A path decoded; `None` when it is empty, not UTF-8, or holds a backslash or NUL.
fn decoded_path(path: &str) -> Option<String> {
    let path = percent_decode_str(path).decode_utf8().ok()?;
    (!path.is_empty() && !path.contains(['\\', '\0'])).then(|| path.into_owned())
}

/// Whether `path` names a Markdown file, as the post listing counts them.
fn is_content_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.rsplit_once('.').is_some_and(|(stem, extension)| {
        !stem.is_empty()
            && (extension.eq_ignore_ascii_case("md") || extension.eq_ignore_ascii_case("markdown"))
    })
}

/// The links of a post, exactly as [`super::render`] lists them in `Rendered.links` for the
/// same body, page and options, without rendering: the body goes through the same pass
/// (shortcodes found and expanded, the same classification, order, text and lines) with what
/// a link list does not need left out (highlighting, heading ids, HTML, summary cut, text
/// measures), and Markdown that cannot hold a link (no `[`, no shortcode) not parsed at all.
/// The page matters: a `param` shortcode can write a destination, and a front matter
/// `summary`'s links come after the body's. The options matter: with `RawHtml::Omit`
/// shortcodes inside raw HTML are dropped with it.
pub(crate) fn extract_links(body: &str, page: &Page<'_>, options: &RenderOptions) -> Vec<LinkRef> {
    let mut pass = Pass::new(options, page.front_matter);
    pass.links_only = true;
    if may_link(body) {
        let body = without_markers(body);
        let scanned = shortcodes::scan(&body);
        pass.events(&scanned, page.first_line, true);
    }
    if let Some(written) = written_summary(page).filter(|w| may_link(w)) {
        render_summary(&mut pass, written, false);
    }
    pass.links
}

/// Whether Markdown can hold a link to a page: every link and image starts with `[` or `![`,
/// every shortcode with `{{` (autolinks have a scheme, and raw HTML anchors are not listed).
pub(super) fn may_link(markdown: &str) -> bool {
    markdown.contains('[') || markdown.contains("{{")
}

#[cfg(test)]
mod tests;
