//! Markdown to HTML with pulldown-cmark: CommonMark plus tables, strikethrough, task lists,
//! heading attributes (`{#id}`) and footnotes with GitHub's semantics.
//!
//! Footnotes are numbered in the order they are first referenced; a footnote referenced twice keeps
//! its number; a definition nobody references is dropped; a reference without a definition stays
//! literal text. The body is rendered without the definitions, which are returned as data and, for
//! [`FootnoteMode::Section`], appended as a GitHub-style `<section class="footnotes">`.

use std::collections::HashMap;
use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, Options, Tag, TagEnd, html};
use unicase::UniCase;

/// Where footnote definitions go in the rendered HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FootnoteMode {
    /// Body only; the footnotes are available as data.
    Separate,
    /// Body followed by a rendered footnotes section.
    Section,
}

/// One footnote, in reference order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Footnote {
    /// 1-based, in order of first reference.
    pub(crate) number: usize,
    /// The label as written (`1` for `[^1]`, `note` for `[^note]`).
    pub(crate) label: String,
    /// The definition rendered to HTML.
    pub(crate) html: String,
    /// How many times the body references it (each reference has its own anchor).
    pub(crate) references: usize,
}

impl Footnote {
    /// The id of the footnote's element, which references link to.
    pub(crate) fn anchor(&self) -> String {
        format!("fn-{}", self.number)
    }

    /// Ids of the references to this footnote, in body order, for links back from the footnote.
    pub(crate) fn reference_anchors(&self) -> Vec<String> {
        (1..=self.references)
            .map(|k| reference_anchor(self.number, k))
            .collect()
    }
}

fn reference_anchor(number: usize, occurrence: usize) -> String {
    if occurrence == 1 {
        format!("fnref-{number}")
    } else {
        format!("fnref-{number}-{occurrence}")
    }
}

/// The Markdown extensions posts are written with.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The body's events without the footnote definitions, and the definitions by label.
pub(super) fn separate<'a>(events: Vec<Event<'a>>) -> (Vec<Event<'a>>, Definitions<'a>) {
    let mut body = Vec::with_capacity(events.len());
    let mut definitions = Definitions::new();
    // Definitions being read; pulldown-cmark opens one inside another (`[^a]: > [^b]: x`).
    let mut open: Vec<(CowStr<'_>, Vec<Event<'_>>)> = Vec::new();
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => open.push((label, Vec::new())),
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, inner)) = open.pop() {
                    // The first definition of a label wins, as on GitHub.
                    definitions
                        .entry(Label::new(label.to_string()))
                        .or_insert((label.into_string(), inner));
                }
            }
            other => match open.last_mut() {
                Some((_, inner)) => inner.push(other),
                None => body.push(other),
            },
        }
    }
    (body, definitions)
}

/// The body rendered with its footnote references numbered and linked, and the footnotes in
/// reference order; with [`FootnoteMode::Section`] the footnotes section is appended.
pub(super) fn number<'a>(
    body: Vec<Event<'a>>,
    definitions: &Definitions<'a>,
    mode: FootnoteMode,
    capacity: usize,
) -> (String, Vec<Footnote>) {
    let mut numbering = Numbering::default();
    let body = numbering.link_references(body, definitions);
    let mut html = String::with_capacity(capacity);
    html::push_html(&mut html, body.into_iter());

    // Footnotes may reference further footnotes, which then get the next numbers.
    let mut footnotes: Vec<Footnote> = Vec::new();
    while let Some(key) = numbering.order.get(footnotes.len()).cloned() {
        let (label, inner) = &definitions[&key];
        let inner = numbering.link_references(inner.clone(), definitions);
        let mut note = String::new();
        html::push_html(&mut note, inner.into_iter());
        footnotes.push(Footnote {
            number: footnotes.len() + 1,
            label: label.clone(),
            html: note,
            references: 0,
        });
    }
    for (footnote, &count) in footnotes.iter_mut().zip(&numbering.count) {
        footnote.references = count;
    }
    if mode == FootnoteMode::Section && !footnotes.is_empty() {
        push_section(&mut html, &footnotes);
    }
    (html, footnotes)
}

/// Footnote labels match as pulldown-cmark matches them: with Unicode case folding.
type Label = UniCase<String>;
/// Label -> (label as written, the definition's events).
pub(super) type Definitions<'a> = HashMap<Label, (String, Vec<Event<'a>>)>;

/// Footnote numbers in order of first reference, and how often each was referenced. Looking a
/// label's number up is a hash lookup: a search of `order` made a post with n footnotes take
/// time in n² (100,000 footnotes: 28 s).
#[derive(Default)]
struct Numbering {
    /// Labels by number - 1.
    order: Vec<Label>,
    /// References by number - 1.
    count: Vec<usize>,
    number: HashMap<Label, usize>,
}

impl Numbering {
    /// Replaces footnote references by links; references without a definition become text again.
    fn link_references<'a>(
        &mut self,
        events: Vec<Event<'a>>,
        definitions: &Definitions<'a>,
    ) -> Vec<Event<'a>> {
        events
            .into_iter()
            .map(|event| match event {
                Event::FootnoteReference(label) => {
                    let key = Label::new(label.to_string());
                    if !definitions.contains_key(&key) {
                        return Event::Text(CowStr::from(format!("[^{label}]")));
                    }
                    let number = *self.number.entry(key).or_insert_with_key(|key| {
                        self.order.push(key.clone());
                        self.count.push(0);
                        self.order.len()
                    });
                    let seen = &mut self.count[number - 1];
                    *seen += 1;
                    Event::InlineHtml(CowStr::from(format!(
                        "<sup class=\"footnote-ref\"><a href=\"#fn-{number}\" id=\"{}\">{number}</a></sup>",
                        reference_anchor(number, *seen)
                    )))
                }
                other => other,
            })
            .collect()
    }
}

/// Appends GitHub's footnotes section: an ordered list with links back to every reference.
fn push_section(html: &mut String, footnotes: &[Footnote]) {
    html.push_str("<section class=\"footnotes\">\n<ol>\n");
    for note in footnotes {
        let mut backrefs = String::new();
        for (k, anchor) in note.reference_anchors().iter().enumerate() {
            let k = k + 1;
            let _ = write!(
                backrefs,
                " <a href=\"#{anchor}\" class=\"footnote-backref\" aria-label=\"Back to reference {}{}\">↩{}</a>",
                note.number,
                if k > 1 {
                    format!("-{k}")
                } else {
                    String::new()
                },
                if k > 1 {
                    format!("<sup>{k}</sup>")
                } else {
                    String::new()
                },
            );
        }
        let _ = writeln!(html, "<li id=\"{}\">", note.anchor());
        let content = note.html.trim_end();
        match content.strip_suffix("</p>") {
            Some(open) => {
                let _ = writeln!(html, "{open}{backrefs}</p>");
            }
            None => {
                let _ = writeln!(html, "{content}\n<p>{}</p>", backrefs.trim_start());
            }
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ol>\n</section>\n");
}

#[cfg(test)]
mod tests;
