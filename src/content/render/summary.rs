//! Summaries in Hugo's order: the front matter `summary`, else what comes before `<!--more-->`,
//! else the first blocks of the body up to about [`WORDS`] words, cut at a block boundary (or,
//! in a long first paragraph, at the end of a sentence), never inside an element. Footnote
//! references never appear in a summary, and headings in it carry no id (the body has them).

use pulldown_cmark::{Event, Tag, TagEnd};

use super::text::{Count, strip_tags};

/// Hugo's default `summaryLength`: words in an automatic summary.
pub(crate) const WORDS: usize = 70;

/// The events of a summary (about `words` words when automatic), and whether the body goes on
/// after it.
pub(super) fn cut<'a>(
    body: &[Event<'a>],
    divider: Option<usize>,
    words: usize,
) -> (Vec<Event<'a>>, bool) {
    let (events, truncated) = match divider {
        Some(at) => (
            close(&body[..at.min(body.len())]),
            has_content(&body[at.min(body.len())..]),
        ),
        None => automatic(body, words.max(1)),
    };
    (clean(events), truncated)
}

/// The first blocks up to `limit` words.
fn automatic<'a>(body: &[Event<'a>], limit: usize) -> (Vec<Event<'a>>, bool) {
    let mut words = 0;
    let mut depth = 0usize;
    let mut block_start = 0;
    for (i, event) in body.iter().enumerate() {
        // A heading, code block, table or rule after the opening blocks ends the summary: a
        // listing shows prose.
        if depth == 0 && i > 0 && ends_summary(event) {
            return (body[..i].to_vec(), true);
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        words += words_in(event);
        let block_ends = depth == 0 && !matches!(event, Event::Start(_));
        if !block_ends {
            continue;
        }
        if words >= limit {
            // A long first paragraph is cut at a sentence end; any later block ends the summary.
            if block_start == 0
                && words > 2 * limit
                && let Some(events) = sentences(&body[..=i], limit)
            {
                return (events, true);
            }
            let rest = &body[i + 1..];
            return (body[..=i].to_vec(), has_content(rest));
        }
        block_start = i + 1;
    }
    (body.to_vec(), false)
}

/// Whether a block starting with `event` ends an automatic summary that has a block already.
fn ends_summary(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::Start(Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::Table(_) | Tag::HtmlBlock)
    ) || matches!(event, Event::Rule | Event::Html(_))
}

/// A first paragraph cut after the sentence that reaches [`WORDS`] words, when that sentence
/// ends in text directly inside the paragraph (not in a link or emphasis).
fn sentences<'a>(block: &[Event<'a>], limit: usize) -> Option<Vec<Event<'a>>> {
    if !matches!(block.first(), Some(Event::Start(Tag::Paragraph))) {
        return None;
    }
    let mut words = 0;
    let mut depth = 0usize;
    for (i, event) in block.iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(text) if depth == 1 => {
                for (end, _) in text.match_indices(['.', '!', '?']) {
                    let sentence = &text[..=end];
                    let counted = words + Count::of(sentence).total();
                    let ends_sentence = text[end + 1..]
                        .chars()
                        .next()
                        .is_none_or(char::is_whitespace);
                    if counted >= limit && ends_sentence && end + 1 < text.len() {
                        let mut events = block[..i].to_vec();
                        events.push(Event::Text(sentence.to_owned().into()));
                        events.push(Event::End(TagEnd::Paragraph));
                        return Some(events);
                    }
                }
            }
            _ => {}
        }
        words += words_in(event);
    }
    None
}

fn words_in(event: &Event<'_>) -> usize {
    match event {
        Event::Text(t) | Event::Code(t) => Count::of(t).total(),
        Event::Html(h) | Event::InlineHtml(h) => {
            let mut text = String::new();
            strip_tags(h, &mut text);
            Count::of(&text).total()
        }
        _ => 0,
    }
}

/// Events up to a divider, with every element still open there closed.
fn close<'a>(events: &[Event<'a>]) -> Vec<Event<'a>> {
    let mut open: Vec<TagEnd> = Vec::new();
    for event in events {
        match event {
            Event::Start(tag) => open.push(tag.to_end()),
            Event::End(_) => {
                open.pop();
            }
            _ => {}
        }
    }
    let mut out = events.to_vec();
    out.extend(open.into_iter().rev().map(Event::End));
    out
}

/// Whether events hold anything a reader would see.
fn has_content(events: &[Event<'_>]) -> bool {
    events.iter().any(|e| match e {
        Event::Text(t) | Event::Code(t) => !t.trim().is_empty(),
        Event::Html(_) | Event::InlineHtml(_) | Event::Rule => true,
        Event::Start(Tag::Image { .. } | Tag::Table(_)) => true,
        _ => false,
    })
}

/// Footnote references dropped, heading ids removed.
pub(super) fn clean(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    events
        .into_iter()
        .filter(|e| !matches!(e, Event::FootnoteReference(_)))
        .map(|e| match e {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => Event::Start(Tag::Heading {
                level,
                id: None,
                classes,
                attrs,
            }),
            other => other,
        })
        .collect()
}
