//! The pass over pulldown-cmark's events that makes Quire's HTML: heading ids, code blocks
//! highlighted, shortcodes expanded where their placeholders come out, links to local files
//! turned into markers, and the raw-HTML policy applied to what the author wrote.

use pulldown_cmark::{CowStr, Event, Parser, Tag, html};
use serde_json::{Map, Value};

mod lines;
mod walk;

use lines::Lines;
use walk::Walk;

use super::files::{self, FileRef};
use super::headings::{Heading, Ids};
use super::highlight::{self, CodeOptions};
use super::links::{self, LinkRef};
use super::markers::{self, Kind};
use super::shortcodes::{self, Host, Scanned, Shortcode};
use super::{ProblemKind, RenderOptions, RenderProblem, ShortcodeUse, without_markers};
use crate::content::markdown_options;

/// What the pass collects beside the events, shared by a post's body, the inner Markdown of its
/// shortcodes and its summary.
pub(super) struct Pass<'p> {
    pub(super) options: &'p RenderOptions,
    pub(super) front_matter: &'p Map<String, Value>,
    pub(super) ids: Ids,
    pub(super) headings: Vec<Heading>,
    /// Heading positions in the body's events waiting for an id: (event index, explicit id).
    pending_ids: Vec<(usize, Option<String>)>,
    pub(super) shortcodes: Vec<ShortcodeUse>,
    pub(super) files: Vec<FileRef>,
    pub(super) links: Vec<LinkRef>,
    pub(super) problems: Vec<RenderProblem>,
    /// Only the links are wanted ([`links::extract_links`]): code is not highlighted, headings
    /// get no id, shortcodes' inner Markdown gives no HTML.
    pub(super) links_only: bool,
    /// Only the text is wanted ([`super::plain_text`]): code is not highlighted, only laid out
    /// as the highlighted block would be, which has the same text.
    pub(super) text_only: bool,
    /// A link's destination is being expanded: what shortcodes write there is its URL.
    pub(super) in_destination: bool,
    /// Raw HTML was written somewhere in the post (sanitizing is needed only then).
    pub(super) raw_html: bool,
    /// Nesting of shortcode inner Markdown being rendered; guards runaway recursion.
    depth: usize,
    /// Line of the shortcode being rendered.
    line: usize,
    /// The body's `<!--more-->` was seen (only the first one divides).
    divided: bool,
}

/// Where `<!--more-->` was in the body: an event the summary is cut at, removed from `html`.
/// A private-use character, which a post cannot hold.
pub(super) const DIVIDER: &str = "\u{E004}more";

/// Deepest nesting of shortcodes rendered; deeper ones are left out with a problem.
const MAX_DEPTH: usize = 32;

impl<'p> Pass<'p> {
    pub(super) fn new(options: &'p RenderOptions, front_matter: &'p Map<String, Value>) -> Self {
        Pass {
            options,
            front_matter,
            ids: Ids::default(),
            headings: Vec::new(),
            pending_ids: Vec::new(),
            shortcodes: Vec::new(),
            files: Vec::new(),
            links: Vec::new(),
            problems: Vec::new(),
            links_only: false,
            text_only: false,
            in_destination: false,
            raw_html: false,
            depth: 0,
            line: 0,
            divided: false,
        }
    }

    /// The events of `scanned` (Markdown whose first line is line `first_line` of the post
    /// file, its shortcodes replaced by placeholders), with shortcodes expanded. `top` is true
    /// for the post's body: its headings are listed and given ids once the whole body is read
    /// (explicit ids first).
    pub(super) fn events<'a>(
        &mut self,
        scanned: &'a Scanned,
        first_line: usize,
        top: bool,
    ) -> Vec<Event<'a>> {
        for (line, message) in &scanned.problems {
            self.problem(
                ProblemKind::ShortcodeSyntax,
                first_line + line - 1,
                message.clone(),
            );
        }
        if top && !self.links_only {
            // Explicit ids first, so that no automatic id (of a heading in a shortcode, which
            // gets its id as it is rendered) takes one.
            for id in explicit_ids(&scanned.text) {
                self.ids.reserve(id);
            }
        }
        let lines = Lines::new(&scanned.text, &scanned.shortcodes, first_line);
        let mut walk = Walk::new(&scanned.shortcodes, &lines, first_line, top);
        for (event, range) in Parser::new_ext(&scanned.text, markdown_options()).into_offset_iter()
        {
            walk.event(self, event, range.start);
        }
        let mut out = walk.finish(self);
        if top {
            self.assign_ids(&mut out);
        }
        out
    }

    /// Ids for the body's headings: explicit ones reserved first, then each heading without one
    /// gets its slug made unique.
    fn assign_ids(&mut self, events: &mut [Event<'_>]) {
        for (_, explicit) in &self.pending_ids {
            if let Some(id) = explicit {
                self.ids.reserve(id);
            }
        }
        let pending = std::mem::take(&mut self.pending_ids);
        let mut listed = self.headings.iter_mut().filter(|h| h.id.is_empty());
        for (index, explicit) in pending {
            let Some(heading) = listed.next() else { break };
            let id = explicit.unwrap_or_else(|| self.ids.assign(&heading.text));
            heading.id.clone_from(&id);
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[index] {
                *slot = Some(CowStr::from(id));
            }
        }
    }

    /// HTML of a fenced or indented code block.
    fn code_block(&mut self, code: &str, info: Option<&str>, line: usize) -> String {
        if self.links_only {
            return String::new();
        }
        let (lang, options) = match info {
            Some(info) => CodeOptions::from_info(info),
            None => (None, Ok(CodeOptions::default())),
        };
        let options = options.unwrap_or_else(|message| {
            self.problem(
                ProblemKind::CodeOptions,
                line,
                format!("code block options: {message}"),
            );
            CodeOptions::default()
        });
        self.highlight(code, lang.as_deref(), &options)
    }

    /// A code block's HTML as the options highlight it; when only the text is wanted, HTML
    /// with the same text at a fraction of the cost.
    fn highlight(&self, code: &str, lang: Option<&str>, options: &CodeOptions) -> String {
        if self.text_only {
            return highlight::code_text(code, lang, options, self.options.highlight);
        }
        highlight::code_block(
            code,
            lang,
            options,
            self.options.highlight,
            &self.options.highlight_theme,
        )
    }

    /// A problem of the render, with its kind and line in the post file.
    fn problem(&mut self, kind: ProblemKind, line: usize, message: String) {
        self.problems.push(RenderProblem {
            line,
            kind,
            message,
        });
    }

    /// The HTML for shortcode `shortcode`, listed in `Post.shortcodes`.
    fn shortcode(&mut self, shortcode: &Shortcode, block: bool, line: usize) -> String {
        if self.depth >= MAX_DEPTH {
            let message = format!(
                "shortcode `{}` nested more than {MAX_DEPTH} deep: left out",
                shortcode.name
            );
            self.problem(ProblemKind::ShortcodeSyntax, line, message);
            return String::new();
        }
        self.shortcodes.push(ShortcodeUse {
            name: shortcode.name.clone(),
            args: shortcode.args.to_json(),
            inner: shortcode.inner.clone(),
            line,
        });
        // Lines in the post file, for the problems it reports and the Markdown inside it.
        let mut shortcode = shortcode.clone();
        shortcode.line = line;
        self.depth += 1;
        let outer = std::mem::replace(&mut self.line, line);
        let html = shortcodes::render(&shortcode, block, self);
        self.line = outer;
        self.depth -= 1;
        html
    }

    /// A marker for a local file, or `None` when `dest` is not one.
    fn file(&mut self, dest: &str, image: bool, line: usize) -> Option<String> {
        let (path, suffix) = files::classify(dest, image)?;
        self.files.push(FileRef {
            written: dest.to_owned(),
            path,
            suffix,
            line,
        });
        Some(markers::marker(Kind::File, self.files.len() - 1))
    }

    /// A marker for a link to a page (its text to come), with its index in `links`; `None`
    /// when `dest` is not one.
    pub(super) fn link(&mut self, dest: &str, line: usize) -> Option<(String, usize)> {
        let (target, fragment) = links::classify_link(dest)?;
        Some(self.push_link(LinkRef {
            written: dest.to_owned(),
            target,
            fragment,
            text: String::new(),
            line,
        }))
    }

    fn push_link(&mut self, link: LinkRef) -> (String, usize) {
        self.links.push(link);
        let index = self.links.len() - 1;
        (markers::marker(Kind::Link, index), index)
    }
}

impl Host for Pass<'_> {
    fn markdown(&mut self, markdown: &str, line: usize) -> String {
        // Only links are wanted, and the HTML is not a link's destination: it is not needed.
        let unused = self.links_only && !self.in_destination;
        if unused && !links::may_link(markdown) {
            return String::new();
        }
        let scanned = shortcodes::scan(markdown);
        let events = self.events(&scanned, line, false);
        if unused {
            return String::new();
        }
        let mut html = String::new();
        html::push_html(&mut html, events.into_iter());
        html
    }

    fn code(&mut self, code: &str, lang: Option<&str>, options: &str) -> String {
        if self.links_only {
            return String::new();
        }
        let options = CodeOptions::parse(options).unwrap_or_else(|message| {
            self.problem(
                ProblemKind::CodeOptions,
                self.line,
                format!("highlight options: {message}"),
            );
            CodeOptions::default()
        });
        let code = code.strip_prefix('\n').unwrap_or(code);
        self.highlight(code, lang, &options)
    }

    fn param(&self, name: &str) -> Option<String> {
        let mut value: Option<&Value> = None;
        for (i, part) in name.split('.').enumerate() {
            let map = match (i, value) {
                (0, _) => self.front_matter,
                (_, Some(Value::Object(map))) => map,
                _ => return None,
            };
            value = map
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(part))
                .map(|(_, v)| v)
                .or_else(|| {
                    // Hugo reads page parameters from `params` too.
                    (i == 0)
                        .then(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case("params")))?
                        .and_then(|(_, params)| params.as_object())?
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(part))
                        .map(|(_, v)| v)
                });
        }
        let text = match value? {
            Value::String(s) => s.clone(),
            Value::Null => return None,
            Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_string(),
        };
        // Front matter is not the body, which is cleaned before it is parsed: no marker from it.
        Some(without_markers(&text).into_owned())
    }

    fn reference(&mut self, target: &str, relative: bool, line: usize) -> String {
        // A marker for the target's URL; an `#anchor` alone is written as is, as Hugo does.
        let Some((found, fragment)) = links::reference(target, relative) else {
            return target.trim().to_owned();
        };
        self.push_link(LinkRef {
            written: target.to_owned(),
            target: found,
            fragment,
            text: String::new(),
            line,
        })
        .0
    }

    fn file_url(&mut self, src: &str, image: bool, line: usize) -> String {
        if let Some(marker) = self.file(src, image, line) {
            return marker;
        }
        let page = (!image).then(|| self.link(src, line)).flatten();
        page.map_or_else(|| src.to_owned(), |(marker, _)| marker)
    }

    fn problem(&mut self, line: usize, message: String) {
        Pass::problem(self, ProblemKind::ShortcodeArguments, line, message);
    }
}

/// The ids written as `{#id}` after ATX headings (`## Title {#id}`), which are reserved before
/// any automatic id is given. Setext headings with an id are rare and are served in order.
fn explicit_ids(markdown: &str) -> impl Iterator<Item = &str> {
    // Most posts have none: one fast search instead of a pass over every line.
    let text = if markdown.contains("{#") {
        markdown
    } else {
        ""
    };
    text.lines().filter_map(|line| {
        let line = line.trim();
        if !line.starts_with('#') || !line.ends_with('}') {
            return None;
        }
        let open = line.rfind('{')?;
        line[open + 1..line.len() - 1]
            .split_whitespace()
            .find_map(|attribute| attribute.strip_prefix('#'))
            .filter(|id| !id.is_empty())
    })
}
