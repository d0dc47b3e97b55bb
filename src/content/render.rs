//! Rendering one post body: Markdown to HTML with heading ids, expanded shortcodes, highlighted
//! code, links to files and pages ready to resolve, and what a post page shows beside the HTML
//! (headings, summary, plain text, word count). Pure: one body and its options in, values out.

mod events;
mod files;
mod headings;
mod highlight;
mod links;
mod markers;
mod raw_html;
mod shortcodes;
mod summary;
mod text;

use std::borrow::Cow;

use pulldown_cmark::{Event, TagEnd, html};
use serde_json::{Map, Value};

use super::markdown::{self, Footnote, FootnoteMode};
use events::{DIVIDER, Pass};
pub(crate) use files::{FilePath, FileRef, normalize as join_path};
pub(crate) use headings::Heading;
pub use highlight::Highlight;
pub(crate) use highlight::{stylesheet, theme_name, themes};
pub(crate) use links::{LinkRef, LinkTarget, extract_links};
pub use raw_html::RawHtml;
pub(crate) use text::{Count, is_cjk};

/// How every post is rendered: fixed for the life of a server, so the render cache keys by blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// Server-side code highlighting (`--highlight`).
    pub highlight: Highlight,
    /// Theme for `Highlight::Inline` (`--highlight-theme`).
    pub highlight_theme: String,
    /// What happens to raw HTML written in the Markdown (`--raw-html`).
    pub raw_html: RawHtml,
    /// Reading speed for `readingTime` (`--words-per-minute`).
    pub words_per_minute: u32,
    /// Words in an automatic summary: the Hugo configuration's `summaryLength` (70).
    pub summary_words: usize,
}

/// `--words-per-minute` when it is not given: Hugo's reading speed.
pub(crate) const DEFAULT_WORDS_PER_MINUTE: u32 = 212;
/// `--highlight-theme` when it is not given.
pub(crate) const DEFAULT_HIGHLIGHT_THEME: &str = "InspiredGitHub";

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            highlight: Highlight::Classes,
            highlight_theme: DEFAULT_HIGHLIGHT_THEME.to_owned(),
            raw_html: RawHtml::Keep,
            words_per_minute: DEFAULT_WORDS_PER_MINUTE,
            summary_words: summary::WORDS,
        }
    }
}

/// A post body rendered, with everything a post page shows beside its HTML.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rendered {
    /// The body; links to the post's files and to pages are markers until [`resolve_markers`].
    pub(crate) html: String,
    pub(crate) footnotes: Vec<Footnote>,
    /// Every heading of the body, in order, with the id it has in `html`.
    pub(crate) headings: Vec<Heading>,
    pub(crate) summary: Summary,
    /// The body as text: no markup, no footnote markers, shortcodes reduced to their text.
    pub(crate) plain_text: String,
    pub(crate) count: Count,
    pub(crate) reading_minutes: usize,
    /// Shortcodes in the order they were rendered (nested ones after their parent).
    pub(crate) shortcodes: Vec<ShortcodeUse>,
    /// Local files linked from `html`, `summary` and the footnotes, by marker index.
    pub(crate) files: Vec<FileRef>,
    /// Pages linked from `html`, `summary`, the footnotes and the headings' HTML, by marker
    /// index: in the order of the body (a shortcode's links where it is), then those of a
    /// front matter `summary`. [`extract_links`] gives the same list without rendering.
    pub(crate) links: Vec<LinkRef>,
    /// What could not be rendered as written.
    pub(crate) problems: Vec<RenderProblem>,
}

/// Something a render could not do as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RenderProblem {
    /// 1-based line in the post file.
    pub(crate) line: usize,
    pub(crate) kind: ProblemKind,
    /// What is wrong and what to do about it.
    pub(crate) message: String,
}

/// The kinds of render problems, which `quire check --render` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum ProblemKind {
    /// A shortcode tag that does not parse, a closing tag without an opening, nesting too deep.
    ShortcodeSyntax,
    /// A built-in shortcode without what it needs (a `youtube` without an id).
    ShortcodeArguments,
    /// Code options (`linenos`, `hl_lines`) that do not parse.
    CodeOptions,
    /// A link or image naming a file the commit does not have.
    MissingFile,
    /// A link to a page or section the commit does not have.
    BrokenLink,
    /// A link to an anchor (`#id`) the page it names does not have.
    BrokenAnchor,
}

impl ProblemKind {
    /// A short name, as `quire check --render` prints it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            ProblemKind::ShortcodeSyntax => "shortcode syntax",
            ProblemKind::ShortcodeArguments => "shortcode arguments",
            ProblemKind::CodeOptions => "code options",
            ProblemKind::MissingFile => "missing file",
            ProblemKind::BrokenLink => "broken link",
            ProblemKind::BrokenAnchor => "broken anchor",
        }
    }
}

/// A post's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Summary {
    pub(crate) html: String,
    pub(crate) plain: String,
    /// The body says more than the summary.
    pub(crate) truncated: bool,
}

/// A shortcode as a post uses it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShortcodeUse {
    pub(crate) name: String,
    /// Named arguments as an object, positional ones as an array.
    pub(crate) args: Value,
    /// The raw text between the opening and closing tags of a paired shortcode.
    pub(crate) inner: Option<String>,
    /// 1-based line in the post file.
    pub(crate) line: usize,
}

/// What the render of a post needs to know of it besides its body. Not its path: a render is
/// cached by blob, and a post moved elsewhere keeps its blob.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Page<'a> {
    pub(crate) front_matter: &'a Map<String, Value>,
    /// The front matter `summary`, Markdown.
    pub(crate) summary: Option<&'a str>,
    /// Line of the post file the body starts on.
    pub(crate) first_line: usize,
}

impl Rendered {
    /// Bytes this holds, for the render cache's budget.
    pub(crate) fn weight(&self) -> usize {
        size_of::<Rendered>()
            + self.html.capacity()
            + self.plain_text.capacity()
            + self.summary.html.capacity()
            + self.summary.plain.capacity()
            + self
                .footnotes
                .iter()
                .map(|f| size_of_val(f) + f.html.capacity() + f.label.capacity())
                .sum::<usize>()
            + self
                .headings
                .iter()
                .map(|h| size_of_val(h) + h.id.capacity() + h.text.capacity() + h.html.capacity())
                .sum::<usize>()
            + self
                .shortcodes
                .iter()
                .map(|s| {
                    size_of_val(s)
                        + s.name.capacity()
                        + s.args.to_string().len()
                        + s.inner.as_ref().map_or(0, String::capacity)
                })
                .sum::<usize>()
            + self
                .files
                .iter()
                .map(|f| size_of_val(f) + f.written.capacity() + f.suffix.capacity() + 64)
                .sum::<usize>()
            + self
                .links
                .iter()
                .map(|l| {
                    size_of_val(l)
                        + l.written.capacity()
                        + l.text.capacity()
                        + l.fragment.as_ref().map_or(0, String::capacity)
                        + 64
                })
                .sum::<usize>()
            + self
                .problems
                .iter()
                .map(|p| size_of_val(p) + p.message.capacity())
                .sum::<usize>()
    }
}

/// Renders a post body (the Markdown after its front matter).
pub(crate) fn render(
    body: &str,
    page: &Page<'_>,
    options: &RenderOptions,
    mode: FootnoteMode,
) -> Rendered {
    let body = without_markers(body);
    let mut pass = Pass::new(options, page.front_matter);
    let scanned = shortcodes::scan(&body);
    let events = pass.events(&scanned, page.first_line, true);

    let plain_text = plain_of(&events, &pass.links, body.len());
    let count = Count::of(&plain_text);

    let (mut body_events, definitions) = markdown::separate(events);
    let divider = body_events
        .iter()
        .position(|e| matches!(e, Event::Html(h) if h.as_ref() == DIVIDER));
    if let Some(at) = divider {
        body_events.remove(at);
    }
    let summary = match written_summary(page) {
        Some(written) => render_summary(&mut pass, written, !plain_text.is_empty()),
        None => {
            let (events, truncated) = summary::cut(&body_events, divider, options.summary_words);
            summary_of(&events, truncated, &pass.links)
        }
    };
    let (mut html, mut footnotes) =
        markdown::number(body_events, &definitions, mode, body.len() * 3 / 2);
    let mut summary = summary;
    if options.raw_html == RawHtml::Sanitize {
        // Always, not only when the post has raw HTML: shortcodes (a `gist`'s script, a
        // `figure`'s link) and Markdown links (`javascript:`) write markup too.
        html = raw_html::sanitize(&html);
        summary.html = raw_html::sanitize(&summary.html);
        for note in &mut footnotes {
            note.html = raw_html::sanitize(&note.html);
        }
        for heading in &mut pass.headings {
            heading.html = raw_html::sanitize(&heading.html);
        }
    }
    let mut problems = pass.problems;
    problems.sort_by_key(|p| p.line);
    Rendered {
        html,
        footnotes,
        headings: pass.headings,
        summary,
        reading_minutes: count.reading_minutes(options.words_per_minute),
        count,
        plain_text,
        shortcodes: pass.shortcodes,
        files: pass.files,
        links: pass.links,
        problems,
    }
}

/// A post body as text, with what a listing reads from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BodyText {
    /// As [`Rendered::plain_text`].
    pub(crate) plain: String,
    /// As [`Rendered::count`].
    pub(crate) count: Count,
    /// Whether the body references a footnote (as [`Rendered::footnotes`] is not empty).
    pub(crate) footnotes: bool,
}

/// The body's plain text, word count and footnotes, exactly [`render`]'s `plain_text`, `count`
/// and whether its `footnotes` are empty, without what only the HTML needs: code is not
/// highlighted, and no summary, footnote numbering or sanitizing is done. What the search
/// index and the listings read of every post.
pub(crate) fn body_text(body: &str, page: &Page<'_>, options: &RenderOptions) -> BodyText {
    let body = without_markers(body);
    let mut pass = Pass::new(options, page.front_matter);
    pass.text_only = true;
    let scanned = shortcodes::scan(&body);
    let events = pass.events(&scanned, page.first_line, true);
    let plain_text = plain_of(&events, &pass.links, body.len());
    let count = Count::of(&plain_text);
    let footnotes = events
        .iter()
        .any(|e| matches!(e, Event::FootnoteReference(_)));
    BodyText {
        plain: plain_text,
        count,
        footnotes,
    }
}

/// The text of a body's `events` (whose page links are `links`), tidied: what `plainText` and
/// the word count read. `capacity` is the body's length, about the text's.
fn plain_of(events: &[Event<'_>], links: &[LinkRef], capacity: usize) -> String {
    let mut plain = String::with_capacity(capacity);
    push_plain(&mut plain, events.iter());
    tidy(&markers::plain(&plain, links))
}

/// `html` (a field of `rendered`) with its markers made URLs: a file's by `file_url(index)` (an
/// index into `rendered.files`), a page's by `page_url(index)` (into `rendered.links`; the
/// page's URL: the link's fragment is appended here). Either is left as written when its
/// callback gives `None` (no such file, no such page). Borrows `html` when it holds no marker.
pub(crate) fn resolve_markers<'h>(
    html: &'h str,
    rendered: &Rendered,
    file_url: impl FnMut(usize) -> Option<String>,
    page_url: impl FnMut(usize) -> Option<String>,
) -> Cow<'h, str> {
    markers::resolve(html, &rendered.files, &rendered.links, file_url, page_url)
}

/// The front matter `summary`, when it says something.
fn written_summary<'p>(page: &Page<'p>) -> Option<&'p str> {
    page.summary.map(str::trim).filter(|s| !s.is_empty())
}

/// The front matter summary `written` rendered through `pass`: its shortcodes and problems are
/// not the body's (their lines would be lines of the summary); its files and links are linked
/// like the body's, after them.
fn render_summary(pass: &mut Pass<'_>, written: &str, truncated: bool) -> Summary {
    let written = without_markers(written);
    let (shortcodes, problems) = (pass.shortcodes.len(), pass.problems.len());
    let scanned = shortcodes::scan(&written);
    let events = summary::clean(pass.events(&scanned, 1, false));
    pass.shortcodes.truncate(shortcodes);
    pass.problems.truncate(problems);
    summary_of(&events, truncated, &pass.links)
}

fn summary_of(events: &[Event<'_>], truncated: bool, links: &[LinkRef]) -> Summary {
    let mut html = String::new();
    html::push_html(&mut html, events.iter().cloned());
    Summary {
        html,
        plain: plain_of(events, links, 0),
        truncated,
    }
}

/// The text of events: text and code as written, breaks as spaces, raw HTML without its tags,
/// blocks on lines of their own; footnote references left out.
pub(super) fn push_plain<'e, 'a: 'e>(
    out: &mut String,
    events: impl Iterator<Item = &'e Event<'a>>,
) {
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Html(h) | Event::InlineHtml(h) if h.as_ref() != DIVIDER => {
                text::strip_tags(h, out)
            }
            Event::End(TagEnd::TableCell) => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::FootnoteDefinition
                | TagEnd::HtmlBlock,
            ) => out.push('\n'),
            _ => {}
        }
    }
}

/// Plain text tidied: lines trimmed, runs of blank lines made one, no blank start or end.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push_str("\n\n");
        } else if !out.is_empty() {
            out.push('\n');
        }
        blank = false;
        out.push_str(line);
    }
    out
}

/// The body without the private-use characters Quire marks placeholders with (U+E000 to
/// [`markers::LAST_PRIVATE`]), and with their percent-encoded forms (`%EE%80%82`, as a link
/// destination writes them) in lower case, which means the same in a URL and is not a marker:
/// a post cannot forge one.
pub(super) fn without_markers(body: &str) -> Cow<'_, str> {
    let private = |c| ('\u{E000}'..=markers::LAST_PRIVATE).contains(&c);
    // They all start with the byte 0xEE in UTF-8: one fast byte search rules them out.
    if !body.as_bytes().contains(&0xEE) && !body.contains("%EE%80%8") {
        return Cow::Borrowed(body);
    }
    Cow::Owned(
        body.replace(private, "\u{FFFD}")
            .replace("%EE%80%8", "%ee%80%8"),
    )
}

/// Renders `markdown` as the body of `content/posts/post.md` with no front matter and default
/// options but highlighting off: what unit tests of the rendered HTML need.
#[cfg(test)]
pub(crate) fn render_for_test(markdown: &str, mode: FootnoteMode) -> Rendered {
    let options = RenderOptions {
        highlight: Highlight::Off,
        ..RenderOptions::default()
    };
    render_with(markdown, &options, mode)
}

#[cfg(test)]
pub(crate) fn render_with(markdown: &str, options: &RenderOptions, mode: FootnoteMode) -> Rendered {
    let front_matter = Map::new();
    let page = Page {
        front_matter: &front_matter,
        summary: None,
        first_line: 1,
    };
    render(markdown, &page, options, mode)
}

#[cfg(test)]
mod tests;
