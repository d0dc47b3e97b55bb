//! The walk over one Markdown text's events: code blocks, headings, shortcode placeholders,
//! raw HTML and link destinations, each turned into what Quire writes.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd, html};

use super::lines::Lines;
use super::{DIVIDER, Pass};
use crate::content::render::RawHtml;
use crate::content::render::headings::Heading;
use crate::content::render::links::decoded_fragment;
use crate::content::render::markers;
use crate::content::render::push_plain;
use crate::content::render::shortcodes::{self, Shortcode};
use crate::content::render::text::strip_tags;

/// Where the pass is inside one Markdown text.
pub(super) struct Walk<'w, 'a> {
    shortcodes: &'w [Shortcode],
    lines: &'w Lines,
    out: Vec<Event<'a>>,
    /// Blockquote and list nesting: headings inside are not in the table of contents.
    quote: usize,
    /// A code block being read: its info string, text and first line.
    code: Option<(Option<CowStr<'a>>, String, usize)>,
    /// A heading being read: its index in `out` and explicit id.
    heading: Option<(usize, Option<CowStr<'a>>)>,
    /// A link to a page being read: its index in `out` and in `Pass::links`.
    link: Option<(usize, usize)>,
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

impl<'w, 'a> Walk<'w, 'a> {
    /// A walk over a text whose placeholders stand for `shortcodes`, starting on `first_line` of
    /// the post file; `top` for the post's body.
    pub(super) fn new(
        shortcodes: &'w [Shortcode],
        lines: &'w Lines,
        first_line: usize,
        top: bool,
    ) -> Self {
        Walk {
            shortcodes,
            lines,
            out: Vec::new(),
            quote: 0,
            code: None,
            heading: None,
            link: None,
            pending_block: None,
            in_html_block: false,
            first_line,
            block_start_held: false,
            top,
        }
    }

    /// The events, once the text has ended.
    pub(super) fn finish(mut self, pass: &mut Pass<'_>) -> Vec<Event<'a>> {
        self.flush_block(pass, None);
        self.out
    }

    pub(super) fn event(&mut self, pass: &mut Pass<'_>, event: Event<'a>, offset: usize) {
        // Only code blocks and links need their line: most events do not look it up.
        let line = || self.lines.line(offset);
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
                self.code = Some((info, String::new(), line()));
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
                self.heading = Some((self.out.len(), id.clone()));
                self.out.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, explicit)) = self.heading.take() {
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
                let line = line();
                let (dest_url, link) = self.destination(pass, dest_url, false, line);
                self.link = link.map(|index| (self.out.len(), index));
                self.out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                if let Some((start, index)) = self.link.take() {
                    let mut text = String::new();
                    push_plain(&mut text, self.out[start + 1..].iter());
                    let text = markers::plain(&text, &pass.links);
                    pass.links[index].text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                }
                self.out.push(event);
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let line = line();
                let (dest_url, _) = self.destination(pass, dest_url, true, line);
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
        if pass.links_only {
            return;
        }
        let inner = &self.out[start + 1..];
        let mut text = String::new();
        push_plain(&mut text, inner.iter());
        let text = markers::plain(&text, &pass.links)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
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
        let block = matches!(event, Event::Html(_));
        let Some(expanded) = self.expand(html, |shortcode, line| {
            pass.shortcode(shortcode, block, line)
        }) else {
            return event;
        };
        if block {
            Event::Html(expanded.into())
        } else {
            Event::InlineHtml(expanded.into())
        }
    }

    /// `text` with each shortcode placeholder replaced by what `render` gives for it (called
    /// with the shortcode's line in the post file); `None` when it holds none.
    fn expand(
        &self,
        text: &str,
        mut render: impl FnMut(&Shortcode, usize) -> String,
    ) -> Option<String> {
        let mut found = shortcodes::placeholders(text).peekable();
        found.peek()?;
        let mut expanded = String::with_capacity(text.len());
        let mut at = 0;
        for (range, index) in found {
            expanded.push_str(&text[at..range.start]);
            if let Some(shortcode) = self.shortcodes.get(index) {
                expanded.push_str(&render(shortcode, self.first_line + shortcode.line - 1));
            }
            at = range.end;
        }
        expanded.push_str(&text[at..]);
        Some(expanded)
    }

    /// A link or image destination: shortcodes in it expanded (`{{< ref >}}`), a local file
    /// or (for a link) a page made a marker, with the page link's index in `Pass::links`.
    fn destination(
        &mut self,
        pass: &mut Pass<'_>,
        dest: CowStr<'a>,
        image: bool,
        line: usize,
    ) -> (CowStr<'a>, Option<usize>) {
        let expanded = self.expand(&dest, |shortcode, line| {
            let outer = std::mem::replace(&mut pass.in_destination, true);
            let mut text = String::new();
            strip_tags(&pass.shortcode(shortcode, false, line), &mut text);
            pass.in_destination = outer;
            text.trim().to_owned()
        });
        let dest = expanded.map_or(dest, CowStr::from);
        if pass.options.raw_html != RawHtml::Keep && dangerous(&dest, image) {
            // As Hugo does without `unsafe`: a script URL becomes an empty one.
            return (CowStr::Borrowed(""), None);
        }
        if markers::has_link_marker(&dest) {
            // A `ref` as the whole destination of a link (`[x]({{< ref "a.md" >}})`, maybe
            // with `#anchor` after it): its link is this link. Anywhere else (an image, a longer
            // URL), its marker is resolved where it is.
            return match adopt(pass, dest, image) {
                Ok((head, index)) => (head.into(), Some(index)),
                Err(dest) => (dest, None),
            };
        }
        if let Some(marker) = pass.file(&dest, image, line) {
            return (marker.into(), None);
        }
        if image {
            return (dest, None);
        }
        match pass.link(&dest, line) {
            Some((marker, index)) => (marker.into(), Some(index)),
            None => (dest, None),
        }
    }
}

/// The link of a `ref` making the whole destination `dest` of a link (the marker and the
/// link's index), its fragment joined with an `#anchor` written after it; `dest` back when
/// it is something else.
fn adopt<'a>(
    pass: &mut Pass<'_>,
    dest: CowStr<'a>,
    image: bool,
) -> Result<(String, usize), CowStr<'a>> {
    let (head, anchor) = match dest.split_once('#') {
        Some((head, anchor)) => (head, Some(anchor)),
        None => (&*dest, None),
    };
    let Some(index) = markers::link_index(head).filter(|&i| !image && i < pass.links.len()) else {
        return Err(dest);
    };
    if let Some(written) = anchor.filter(|a| !a.is_empty()) {
        let link = &mut pass.links[index];
        link.written = format!("{}#{written}", link.written);
        let anchor = decoded_fragment(written).unwrap_or_default();
        link.fragment = Some(match link.fragment.take() {
            Some(first) => format!("{first}#{anchor}"),
            None => anchor,
        });
    }
    Ok((head.to_owned(), index))
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
