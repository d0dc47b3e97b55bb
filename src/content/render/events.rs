//! The pass over pulldown-cmark's events that makes Quire's HTML: heading ids, code blocks
//! highlighted, shortcodes expanded where their placeholders come out, links to local files
//! turned into markers, and the raw-HTML policy applied to what the author wrote.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html};
use serde_json::{Map, Value};

use super::files::{self, FileRef};
use super::headings::{Heading, Ids};
use super::highlight::{self, CodeOptions};
use super::shortcodes::{self, Host, Scanned, Shortcode};
use super::{ProblemKind, RawHtml, RenderOptions, RenderProblem, ShortcodeUse};
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
    pub(super) problems: Vec<RenderProblem>,
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
            problems: Vec::new(),
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
        if top {
            // Explicit ids first, so that no automatic id (of a heading in a shortcode, which
            // gets its id as it is rendered) takes one.
            for id in explicit_ids(&scanned.text) {
                self.ids.reserve(id);
            }
        }
        let lines = Lines::new(&scanned.text, &scanned.shortcodes, first_line);
        let mut walk = Walk {
            shortcodes: &scanned.shortcodes,
            lines: &lines,
            out: Vec::new(),
            quote: 0,
            code: None,
            heading: None,
            pending_block: None,
            in_html_block: false,
            first_line,
            block_start_held: false,
            top,
        };
        for (event, range) in Parser::new_ext(&scanned.text, markdown_options()).into_offset_iter()
        {
            walk.event(self, event, range.start);
        }
        walk.flush_block(self, None);
        let mut out = walk.out;
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
        highlight::code_block(
            code,
            lang.as_deref(),
            &options,
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
        Some(files::marker(self.files.len() - 1))
    }
}

impl Host for Pass<'_> {
    fn markdown(&mut self, markdown: &str, line: usize) -> String {
        let scanned = shortcodes::scan(markdown);
        let events = self.events(&scanned, line, false);
        let mut html = String::new();
        html::push_html(&mut html, events.into_iter());
        html
    }

    fn code(&mut self, code: &str, lang: Option<&str>, options: &str) -> String {
        let options = CodeOptions::parse(options).unwrap_or_else(|message| {
            self.problem(
                ProblemKind::CodeOptions,
                self.line,
                format!("highlight options: {message}"),
            );
            CodeOptions::default()
        });
        let code = code.strip_prefix('\n').unwrap_or(code);
        highlight::code_block(
            code,
            lang,
            &options,
            self.options.highlight,
            &self.options.highlight_theme,
        )
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
        match value? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            Value::Array(items) => Some(
                items
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            other => Some(other.to_string()),
        }
    }

    fn reference(&mut self, target: &str, _relative: bool, line: usize) -> String {
        // Until posts have URLs, a reference gives its target as written.
        self.problem(
            ProblemKind::Reference,
            line,
            format!("ref/relref \"{target}\" gives the path as written, not a URL: post URLs are not built yet"),
        );
        target.to_owned()
    }

    fn file_url(&mut self, src: &str, image: bool, line: usize) -> String {
        self.file(src, image, line)
            .unwrap_or_else(|| src.to_owned())
    }

    fn problem(&mut self, line: usize, message: String) {
        Pass::problem(self, ProblemKind::ShortcodeArguments, line, message);
    }
}

/// Where the pass is inside one Markdown text.
struct Walk<'w, 'a> {
    shortcodes: &'w [Shortcode],
    lines: &'w Lines,
    out: Vec<Event<'a>>,
    /// Blockquote and list nesting: headings inside are not in the table of contents.
    quote: usize,
    /// A code block being read: its info string, text and first line.
    code: Option<(Option<CowStr<'a>>, String, usize)>,
    /// A heading being read: its index in `out`, level and explicit id.
    heading: Option<(usize, HeadingLevel, Option<CowStr<'a>>)>,
    /// A paragraph that so far holds one shortcode (this index) and nothing else.
    pending_block: Option<usize>,
    in_html_block: bool,
    /// Line of the post file the text starts on.
    first_line: usize,
    /// An HTML block whose start was not written (it held the divider, or raw HTML is omitted
    /// and its comment is not written yet).
    block_start_held: bool,
    top: bool,
}

impl<'a> Walk<'_, 'a> {
    fn event(&mut self, pass: &mut Pass<'_>, event: Event<'a>, offset: usize) {
        let line = self.lines.line(offset);
        if self.pending_block.is_some() {
            self.flush_block(pass, Some(&event));
            if matches!(event, Event::End(TagEnd::Paragraph)) && self.pending_block.take().is_some()
            {
                return;
            }
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) if !info.trim().is_empty() => Some(info),
                    _ => None,
                };
                self.code = Some((info, String::new(), line));
            }
            Event::Text(text) if self.code.is_some() => {
                if let Some((_, code, _)) = &mut self.code {
                    code.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, code, line)) = self.code.take() {
                    let html = pass.code_block(&code, info.as_deref(), line);
                    self.out.push(Event::Html(html.into()));
                }
            }
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::FootnoteDefinition(_)) => {
                self.quote += 1;
                self.out.push(event);
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::FootnoteDefinition) => {
                self.quote = self.quote.saturating_sub(1);
                self.out.push(event);
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.heading = Some((self.out.len(), level, id.clone()));
                self.out.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, _, explicit)) = self.heading.take() {
                    self.heading_end(pass, start, level, explicit);
                }
                self.out.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Text(text) => self.text(pass, text),
            Event::Html(html) | Event::InlineHtml(html)
                if self.top && !pass.divided && html.trim() == "<!--more-->" =>
            {
                pass.divided = true;
                self.out.push(Event::Html(DIVIDER.into()));
            }
            Event::Start(Tag::HtmlBlock) => {
                self.in_html_block = true;
                self.block_start_held = true;
            }
            Event::End(TagEnd::HtmlBlock) => {
                self.in_html_block = false;
                if !std::mem::take(&mut self.block_start_held)
                    && pass.options.raw_html != RawHtml::Omit
                {
                    self.out.push(Event::End(TagEnd::HtmlBlock));
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                pass.raw_html = true;
                let held = std::mem::take(&mut self.block_start_held);
                match pass.options.raw_html {
                    RawHtml::Omit if self.in_html_block => {
                        if held {
                            self.out
                                .push(Event::Html("<!-- raw HTML omitted -->\n".into()));
                        }
                    }
                    RawHtml::Omit => self
                        .out
                        .push(Event::InlineHtml("<!-- raw HTML omitted -->".into())),
                    RawHtml::Keep | RawHtml::Sanitize => {
                        if held {
                            self.out.push(Event::Start(Tag::HtmlBlock));
                        }
                        let event = self.shortcodes_in_html(pass, event);
                        self.out.push(event);
                    }
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.destination(pass, dest_url, false, line);
                self.out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.destination(pass, dest_url, true, line);
                self.out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            other => self.out.push(other),
        }
    }

    /// A heading ends: its text and HTML are listed, its id is given when the body is read.
    fn heading_end(
        &mut self,
        pass: &mut Pass<'_>,
        start: usize,
        level: HeadingLevel,
        explicit: Option<CowStr<'a>>,
    ) {
        let inner = &self.out[start + 1..];
        let mut text = String::new();
        super::push_plain(&mut text, inner.iter());
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut inner_html = String::new();
        html::push_html(&mut inner_html, inner.iter().cloned());
        let explicit = explicit.map(|id| id.into_string());
        if self.top {
            pass.pending_ids.push((start, explicit));
            pass.headings.push(Heading {
                level: level as u8,
                id: String::new(),
                text,
                html: inner_html,
                nested: self.quote > 0,
            });
        } else {
            // Inside a shortcode: an id now, not listed.
            let id = explicit.unwrap_or_else(|| pass.ids.assign(&text));
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut self.out[start] {
                *slot = Some(CowStr::from(id));
            }
        }
    }

    /// Text, with shortcode placeholders expanded. A placeholder alone in its paragraph waits
    /// for the next event to know whether it is a block.
    fn text(&mut self, pass: &mut Pass<'_>, text: CowStr<'a>) {
        let found: Vec<_> = shortcodes::placeholders(&text).collect();
        if found.is_empty() {
            self.out.push(Event::Text(text));
            return;
        }
        if found.len() == 1
            && text.trim() == &text[found[0].0.clone()]
            && matches!(self.out.last(), Some(Event::Start(Tag::Paragraph)))
            && self.heading.is_none()
        {
            self.pending_block = Some(found[0].1);
            return;
        }
        let mut at = 0;
        for (range, index) in found {
            if range.start > at {
                self.out
                    .push(Event::Text(text[at..range.start].to_owned().into()));
            }
            if let Some(shortcode) = self.shortcodes.get(index) {
                let html = pass.shortcode(shortcode, false, self.first_line + shortcode.line - 1);
                self.out.push(Event::InlineHtml(html.into()));
            }
            at = range.end;
        }
        if at < text.len() {
            self.out.push(Event::Text(text[at..].to_owned().into()));
        }
    }

    /// Renders a pending shortcode: as a block (its paragraph removed) when `next` ends the
    /// paragraph, inline otherwise. `None` at the end of the text.
    fn flush_block(&mut self, pass: &mut Pass<'_>, next: Option<&Event<'a>>) {
        let Some(index) = self.pending_block else {
            return;
        };
        let Some(shortcode) = self.shortcodes.get(index) else {
            self.pending_block = None;
            return;
        };
        if matches!(next, Some(Event::End(TagEnd::Paragraph))) {
            self.out.pop();
            let html = pass.shortcode(shortcode, true, self.first_line + shortcode.line - 1);
            self.out.push(Event::Html(html.into()));
        } else {
            self.pending_block = None;
            let html = pass.shortcode(shortcode, false, self.first_line + shortcode.line - 1);
            self.out.push(Event::InlineHtml(html.into()));
        }
    }

    /// Raw HTML with the shortcodes written inside it expanded (`<div>{{< figure >}}</div>`),
    /// as Hugo expands them wherever they are.
    fn shortcodes_in_html(&mut self, pass: &mut Pass<'_>, event: Event<'a>) -> Event<'a> {
        let (Event::Html(html) | Event::InlineHtml(html)) = &event else {
            return event;
        };
        let found: Vec<_> = shortcodes::placeholders(html).collect();
        if found.is_empty() {
            return event;
        }
        let block = matches!(event, Event::Html(_));
        let mut expanded = String::with_capacity(html.len());
        let mut at = 0;
        for (range, index) in found {
            expanded.push_str(&html[at..range.start]);
            if let Some(shortcode) = self.shortcodes.get(index) {
                let line = self.first_line + shortcode.line - 1;
                expanded.push_str(&pass.shortcode(shortcode, block, line));
            }
            at = range.end;
        }
        expanded.push_str(&html[at..]);
        if block {
            Event::Html(expanded.into())
        } else {
            Event::InlineHtml(expanded.into())
        }
    }

    /// A link or image destination: shortcodes in it expanded (`{{< ref >}}`), a local file
    /// made a marker.
    fn destination(
        &mut self,
        pass: &mut Pass<'_>,
        dest: CowStr<'a>,
        image: bool,
        line: usize,
    ) -> CowStr<'a> {
        let mut dest = dest;
        let found: Vec<_> = shortcodes::placeholders(&dest).collect();
        if !found.is_empty() {
            let mut expanded = String::new();
            let mut at = 0;
            for (range, index) in found {
                expanded.push_str(&dest[at..range.start]);
                if let Some(shortcode) = self.shortcodes.get(index) {
                    let html =
                        pass.shortcode(shortcode, false, self.first_line + shortcode.line - 1);
                    let mut text = String::new();
                    super::text::strip_tags(&html, &mut text);
                    expanded.push_str(text.trim());
                }
                at = range.end;
            }
            expanded.push_str(&dest[at..]);
            dest = expanded.into();
        }
        if pass.options.raw_html != RawHtml::Keep && dangerous(&dest, image) {
            // As Hugo does without `unsafe`: a script URL becomes an empty one.
            return CowStr::Borrowed("");
        }
        match pass.file(&dest, image, line) {
            Some(marker) => marker.into(),
            None => dest,
        }
    }
}

/// Whether a link (or image) URL would run code: `javascript:`, `vbscript:`, `file:`, and
/// `data:` but for images, as goldmark judges it.
fn dangerous(dest: &str, image: bool) -> bool {
    let lower = dest.trim_start().to_ascii_lowercase();
    let data_image = image
        && [
            "data:image/png",
            "data:image/gif",
            "data:image/jpeg",
            "data:image/webp",
        ]
        .iter()
        .any(|p| lower.starts_with(p));
    ["javascript:", "vbscript:", "file:", "data:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
        && !data_image
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

/// Maps an offset in the scanned text to a line of the post file. A shortcode spanning lines is
/// one placeholder in the scanned text; lines after it are counted from the line it starts on.
struct Lines {
    /// Offsets where lines start.
    starts: Vec<usize>,
    /// (offset of a placeholder, lines to add from there on).
    shifts: Vec<(usize, isize)>,
    first_line: usize,
}

impl Lines {
    fn new(text: &str, shortcodes: &[Shortcode], first_line: usize) -> Lines {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut lines = Lines {
            starts,
            shifts: Vec::new(),
            first_line,
        };
        for (range, index) in shortcodes::placeholders(text) {
            if let Some(shortcode) = shortcodes.get(index) {
                let here = lines.raw(range.start) as isize;
                let extra = shortcode.line as isize - here;
                let end_extra = extra
                    + shortcode
                        .inner
                        .as_deref()
                        .map_or(0, |inner| inner.matches('\n').count())
                        as isize;
                lines.shifts.push((range.end, end_extra));
            }
        }
        lines
    }

    /// 1-based line within the text, before shifts.
    fn raw(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    fn line(&self, offset: usize) -> usize {
        let shift = self
            .shifts
            .iter()
            .rev()
            .find(|(at, _)| *at <= offset)
            .map_or(0, |(_, s)| *s);
        (self.raw(offset) as isize + shift).max(1) as usize + self.first_line - 1
    }
}
