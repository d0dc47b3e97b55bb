//! What a post page shows beside its HTML: headings and the table of contents, footnotes,
//! shortcodes, files, and what could not be rendered as written.

use async_graphql::{Enum, Json, Object, SimpleObject};

use crate::content::{self, Heading};

/// The form of `Post.summary`.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum SummaryFormat {
    /// HTML, with valid markup: every element it opens is closed.
    #[default]
    Html,
    /// Plain text.
    Plain,
}

/// A heading of a post.
#[derive(SimpleObject)]
#[graphql(name = "Heading")]
pub(crate) struct HeadingObject {
    /// 1 for `#` to 6 for `######`.
    level: u8,
    /// The `id` of the heading's element in `Post.html`: link to `#id`.
    id: String,
    /// The heading as plain text.
    text: String,
    /// The heading's content as HTML (without the `<hN>` element).
    pub(super) html: String,
}

impl From<&Heading> for HeadingObject {
    fn from(h: &Heading) -> Self {
        HeadingObject {
            level: h.level,
            id: h.id.clone(),
            text: h.text.clone(),
            html: h.html.clone(),
        }
    }
}

/// An entry of a table of contents, with the entries below it.
#[derive(SimpleObject, Debug, PartialEq, Eq)]
pub(crate) struct TocEntry {
    /// The heading's `id` in `Post.html`.
    id: String,
    /// The heading as plain text.
    text: String,
    /// The heading's level, 1 to 6.
    level: u8,
    /// Headings of a deeper level that follow this one, before the next of its level or higher.
    children: Vec<TocEntry>,
}

/// The table of contents: headings from `min` to `max` level, not inside a blockquote or list,
/// nested by level. A heading deeper than the one before it by more than a level is still its
/// child; one shallower than every open entry starts a new top-level entry.
pub(crate) fn toc(headings: &[Heading], min: u8, max: u8) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for heading in headings
        .iter()
        .filter(|h| !h.nested && (min..=max).contains(&h.level))
    {
        let entry = TocEntry {
            id: heading.id.clone(),
            text: heading.text.clone(),
            level: heading.level,
            children: Vec::new(),
        };
        let mut siblings = &mut roots;
        while siblings.last().is_some_and(|last| last.level < entry.level) {
            siblings = &mut siblings.last_mut().expect("checked").children;
        }
        siblings.push(entry);
    }
    roots
}

/// A shortcode a post uses. One Quire does not render itself has a
/// `<div data-shortcode="name" data-args='…'>` (a `<span>` inline) in its place in the HTML, for
/// the frontend to map to its own component.
#[derive(SimpleObject)]
#[graphql(name = "Shortcode")]
pub(crate) struct ShortcodeObject {
    /// The shortcode's name: `figure`, `note`, …
    name: String,
    /// Named arguments as an object, positional ones as an array.
    args: Json<serde_json::Value>,
    /// The raw text between the opening and closing tags of a paired shortcode.
    inner: Option<String>,
    /// Line of the post file the shortcode starts on.
    line: usize,
}

impl From<&content::ShortcodeUse> for ShortcodeObject {
    fn from(s: &content::ShortcodeUse) -> Self {
        ShortcodeObject {
            name: s.name.clone(),
            args: Json(s.args.clone()),
            inner: s.inner.clone(),
            line: s.line,
        }
    }
}

/// A file of a page bundle (a post written as `folder/index.md`).
#[derive(SimpleObject)]
#[graphql(name = "Resource")]
pub(crate) struct ResourceObject {
    /// Path from the repository root.
    pub(super) path: String,
    /// Where Quire serves it: `/files/{commit}/{path}` (absolute with `--public-url`).
    pub(super) url: String,
    /// Its media type, from the file name.
    pub(super) content_type: String,
    /// Its size in bytes.
    pub(super) size: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, id: &str, nested: bool) -> Heading {
        Heading {
            level,
            id: id.to_owned(),
            text: id.to_owned(),
            html: id.to_owned(),
            nested,
        }
    }

    fn shape(entries: &[TocEntry]) -> String {
        entries
            .iter()
            .map(|e| {
                if e.children.is_empty() {
                    e.id.clone()
                } else {
                    format!("{}({})", e.id, shape(&e.children))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn nests_headings_by_level_within_the_asked_levels() {
        let headings = [
            heading(1, "title", false),
            heading(2, "a", false),
            heading(3, "a1", false),
            heading(4, "deep", false),
            heading(3, "a2", false),
            heading(2, "quoted", true),
            heading(2, "b", false),
            heading(4, "b-skip", false),
        ];
        assert_eq!(shape(&toc(&headings, 2, 3)), "a(a1 a2) b");
        assert_eq!(
            shape(&toc(&headings, 1, 6)),
            "title(a(a1(deep) a2) b(b-skip))"
        );
        assert_eq!(shape(&toc(&headings, 3, 3)), "a1 a2");
    }

    #[test]
    fn a_shallower_heading_after_deeper_ones_starts_a_new_entry() {
        let headings = [
            heading(3, "c", false),
            heading(2, "b", false),
            heading(3, "b1", false),
        ];
        assert_eq!(shape(&toc(&headings, 2, 3)), "c b(b1)");
    }
}

/// A footnote of a post.
pub(crate) struct FootnoteObject(pub(super) content::Footnote);

/// A footnote of a post, in reference order.
#[Object(name = "Footnote")]
impl FootnoteObject {
    /// 1-based, in order of first reference; a footnote referenced twice keeps one number.
    async fn number(&self) -> usize {
        self.0.number
    }

    /// The label as written: `1` for `[^1]`, `note` for `[^note]`.
    async fn label(&self) -> &str {
        &self.0.label
    }

    /// The footnote's content rendered to HTML.
    async fn html(&self) -> &str {
        &self.0.html
    }

    /// The id references link to (`fn-N`): give the footnote's element this id.
    async fn anchor(&self) -> String {
        self.0.anchor()
    }

    /// Ids of the references to this footnote in the body (`fnref-N`, `fnref-N-2`, ...), for
    /// links back from the footnote.
    async fn reference_anchors(&self) -> Vec<String> {
        self.0.reference_anchors()
    }
}
