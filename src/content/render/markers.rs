//! Markers: where rendered HTML (cached by blob) needs a URL that depends on the commit or on the
//! other posts, it holds a marker instead, made a URL each time the HTML is served. A marker is
//! an index into `Rendered.files` or `Rendered.links` between two private-use characters, which
//! a post cannot hold (they are replaced before it is parsed). In an `href` or `src` the HTML
//! writer percent-encodes them, so both spellings are markers.

use std::borrow::Cow;

use pulldown_cmark_escape::escape_href;

use super::files::FileRef;
use super::links::LinkRef;

/// What a marker stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A file of the commit: an index into `Rendered.files`.
    File,
    /// A page: an index into `Rendered.links`.
    Link,
}

/// The delimiters of each kind: raw, and percent-encoded as an `href` writes them. U+E004 is
/// taken by the summary divider, so links use the pair after it.
const FILE: Delimiters = Delimiters {
    open: "\u{E002}",
    close: "\u{E003}",
    open_encoded: "%EE%80%82",
    close_encoded: "%EE%80%83",
};
const LINK: Delimiters = Delimiters {
    open: "\u{E005}",
    close: "\u{E006}",
    open_encoded: "%EE%80%85",
    close_encoded: "%EE%80%86",
};
/// The first characters of [`FILE`]'s and [`LINK`]'s openings, in either spelling.
const OPENINGS: [char; 3] = ['\u{E002}', '\u{E005}', '%'];

/// The last private-use character Quire gives a meaning to; a post's text holds none from
/// U+E000 to this one.
pub(super) const LAST_PRIVATE: char = '\u{E006}';

/// A marker's opening and closing.
struct Delimiters {
    open: &'static str,
    close: &'static str,
    open_encoded: &'static str,
    close_encoded: &'static str,
}

impl Kind {
    fn delimiters(self) -> &'static Delimiters {
        match self {
            Kind::File => &FILE,
            Kind::Link => &LINK,
        }
    }
}

/// The marker for reference `index` of `kind`.
pub(super) fn marker(kind: Kind, index: usize) -> String {
    let d = kind.delimiters();
    format!("{}{index}{}", d.open, d.close)
}

/// The index of the link marker `text` is, exactly (raw spelling).
pub(super) fn link_index(text: &str) -> Option<usize> {
    let digits = text.strip_prefix(LINK.open)?.strip_suffix(LINK.close)?;
    digits
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| digits.parse().ok())?
}

/// Whether `text` holds the start of a link marker, in either spelling.
pub(super) fn has_link_marker(text: &str) -> bool {
    text.contains(LINK.open) || text.contains(LINK.open_encoded)
}

/// `html` with every marker replaced: a file's by `file_url(index)`, a link's by
/// `page_url(index)` with its fragment; either by the destination as written when its callback
/// gives `None`. URLs are escaped for an attribute. Borrows `html` when it holds no marker.
pub(super) fn resolve<'h>(
    html: &'h str,
    files: &[FileRef],
    links: &[LinkRef],
    mut file_url: impl FnMut(usize) -> Option<String>,
    mut page_url: impl FnMut(usize) -> Option<String>,
) -> Cow<'h, str> {
    let any = |d: &Delimiters| html.contains(d.open) || html.contains(d.open_encoded);
    let has_files = !files.is_empty() && any(&FILE);
    if !has_files && (links.is_empty() || !any(&LINK)) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + (files.len() + links.len()) * 64);
    let mut rest = html;
    while let Some(found) = next(rest) {
        out.push_str(&rest[..found.start]);
        let after = &rest[found.start + found.open_len..];
        let digits = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let index = after[..digits]
            .parse::<usize>()
            .ok()
            .filter(|_| after[digits..].starts_with(found.close));
        let written = index.and_then(|i| match found.kind {
            Kind::File => files.get(i).map(|_| i),
            Kind::Link => links.get(i).map(|_| i),
        });
        let Some(i) = written else {
            // Not a marker Quire wrote: kept as it is, and the search goes on after it.
            out.push_str(&rest[found.start..found.start + found.open_len]);
            rest = after;
            continue;
        };
        match found.kind {
            Kind::File => {
                let file = &files[i];
                match file_url(i) {
                    Some(url) => {
                        let _ = escape_href(&mut out, &url);
                        let _ = pulldown_cmark_escape::escape_html(&mut out, &file.suffix);
                    }
                    None => {
                        let _ = escape_href(&mut out, &file.written);
                    }
                }
            }
            Kind::Link => {
                let link = &links[i];
                match page_url(i) {
                    Some(mut url) => {
                        if let Some(fragment) = &link.fragment {
                            url.push('#');
                            url.push_str(fragment);
                        }
                        let _ = escape_href(&mut out, &url);
                    }
                    None => {
                        let _ = escape_href(&mut out, &link.written);
                    }
                }
            }
        }
        rest = &after[digits + found.close.len()..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Plain text (no tags, so only raw markers) with each link marker replaced by the link's
/// destination as written: a `ref` used as text shows its target.
pub(super) fn plain<'t>(text: &'t str, links: &[LinkRef]) -> Cow<'t, str> {
    if !text.contains(LINK.open) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(LINK.open) {
        out.push_str(&rest[..start]);
        let after = &rest[start + LINK.open.len()..];
        let end = after.find(LINK.close);
        let link = end
            .and_then(|end| after[..end].parse::<usize>().ok())
            .and_then(|i| links.get(i));
        match (link, end) {
            (Some(link), Some(end)) => {
                out.push_str(&link.written);
                rest = &after[end + LINK.close.len()..];
            }
            _ => {
                out.push_str(LINK.open);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// A marker's opening found in text.
struct Found {
    start: usize,
    open_len: usize,
    close: &'static str,
    kind: Kind,
}

/// The next marker opening of either kind, in either spelling: one pass over `text`.
fn next(text: &str) -> Option<Found> {
    let mut from = 0;
    loop {
        let at = from + text[from..].find(OPENINGS)?;
        let rest = &text[at..];
        for (d, kind) in [(&FILE, Kind::File), (&LINK, Kind::Link)] {
            for (open, close) in [(d.open, d.close), (d.open_encoded, d.close_encoded)] {
                if rest.starts_with(open) {
                    return Some(Found {
                        start: at,
                        open_len: open.len(),
                        close,
                        kind,
                    });
                }
            }
        }
        from = at + rest.chars().next().map_or(1, char::len_utf8);
    }
}

#[cfg(test)]
mod tests {
    use super::super::files::FilePath;
    use super::super::links::LinkTarget;
    use super::*;

    fn files() -> Vec<FileRef> {
        vec![
            FileRef {
                written: "a.png".into(),
                path: FilePath::Relative("a.png".into()),
                suffix: "#x".into(),
                line: 1,
            },
            FileRef {
                written: "gone.png".into(),
                path: FilePath::Relative("gone.png".into()),
                suffix: String::new(),
                line: 2,
            },
        ]
    }

    fn links() -> Vec<LinkRef> {
        vec![
            LinkRef {
                written: "other.md#Part 2".into(),
                target: LinkTarget::File("other.md".into()),
                fragment: Some("Part 2".into()),
                text: "other".into(),
                line: 3,
            },
            LinkRef {
                written: "gone.md".into(),
                target: LinkTarget::File("gone.md".into()),
                fragment: None,
                text: String::new(),
                line: 4,
            },
        ]
    }

    #[test]
    fn markers_become_urls_or_stay_as_written() {
        let html = format!(
            "<img src=\"{}\"><img src=\"{}\">",
            marker(Kind::File, 0),
            marker(Kind::File, 1)
        );
        let out = resolve(
            &html,
            &files(),
            &[],
            |i| (i == 0).then(|| "/files/c/p/a.png".to_owned()),
            |_| None,
        );
        assert_eq!(
            out,
            "<img src=\"/files/c/p/a.png#x\"><img src=\"gone.png\">"
        );
        assert!(matches!(
            resolve("<p>none</p>", &files(), &links(), |_| None, |_| None),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn file_and_link_markers_resolve_in_one_pass_with_their_own_callbacks() {
        // A link marker as the HTML writer leaves it in an href (encoded) and as text (raw).
        let html = "<a href=\"%EE%80%850%EE%80%86\">x</a> \u{E005}1\u{E006} <img src=\"%EE%80%820%EE%80%83\">";
        let out = resolve(
            html,
            &files(),
            &links(),
            |_| Some("/files/c/a.png".to_owned()),
            |i| (i == 0).then(|| "/posts/other/?a=1&b=\"2\"".to_owned()),
        );
        assert_eq!(
            out,
            "<a href=\"/posts/other/?a=1&amp;b=%222%22#Part%202\">x</a> gone.md <img src=\"/files/c/a.png#x\">"
        );
    }

    #[test]
    fn text_that_only_looks_like_a_marker_is_kept_whole() {
        // An opening with no number and closing right after it: nothing between is dropped.
        let html = "<a href=\"https://e.org/%EE%80%82\">a</a> %EE%80%83 <a href=\"https://e.org/x/onmouseover=alert(1)//\">b</a> %EE%80%827 %EE%80%85 \u{E005}9\u{E006}";
        let out = resolve(
            html,
            &files(),
            &links(),
            |_| Some("/files/c/a.png".to_owned()),
            |_| Some("/p/".to_owned()),
        );
        assert_eq!(out, html);
    }

    #[test]
    fn plain_text_shows_a_link_marker_as_written() {
        let text = "See \u{E005}0\u{E006} and \u{E005}7\u{E006}.";
        assert_eq!(
            plain(text, &links()),
            "See other.md#Part 2 and \u{E005}7\u{E006}."
        );
        assert!(matches!(plain("none", &links()), Cow::Borrowed(_)));
    }

    #[test]
    fn reads_a_link_marker_exactly() {
        assert_eq!(link_index(&marker(Kind::Link, 12)), Some(12));
        assert_eq!(link_index(&marker(Kind::File, 12)), None);
        assert_eq!(link_index("\u{E005}\u{E006}"), None);
        assert_eq!(link_index("\u{E005}1\u{E006}#x"), None);
    }
}
