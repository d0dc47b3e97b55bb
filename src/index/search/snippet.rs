//! Snippets: the passage of a text with the most of a query's words, HTML-escaped, with each
//! word the query matched in `<mark>`. Words are matched as the index matched them: the same
//! analyzer's terms, against the query's terms, prefixes and typo-tolerant words.

use pulldown_cmark_escape::escape_html_body_text;
use tantivy::tokenizer::TextAnalyzer;

use super::analysis::tokens;
use super::query::{Clause, Kind};

/// Characters of a snippet, about.
pub(super) const LENGTH: usize = 180;
/// Characters of text kept before the first word marked, when the passage does not start the
/// text.
const LEAD: usize = 40;

/// What a term must be to be marked.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Matcher {
    Exact(String),
    Prefix(String),
    Fuzzy { term: String, distance: u8 },
    FuzzyPrefix { raw: String, distance: u8 },
}

impl Matcher {
    /// What the clauses a post was found by match (not those that leave posts out).
    pub(super) fn of(clauses: &[Clause]) -> Vec<Matcher> {
        let mut out = Vec::new();
        for clause in clauses.iter().filter(|c| !c.exclude) {
            match &clause.kind {
                Kind::Terms(terms) => out.extend(terms.iter().cloned().map(Matcher::Exact)),
                Kind::Prefix {
                    before,
                    raw,
                    stemmed,
                } => {
                    out.extend(before.iter().cloned().map(Matcher::Exact));
                    out.push(Matcher::Prefix(raw.clone()));
                    out.push(Matcher::Exact(stemmed.clone()));
                }
                Kind::Fuzzy {
                    term,
                    raw,
                    distance,
                    prefix,
                } => {
                    out.push(Matcher::Fuzzy {
                        term: term.clone(),
                        distance: *distance,
                    });
                    if *prefix {
                        out.push(Matcher::FuzzyPrefix {
                            raw: raw.clone(),
                            distance: *distance,
                        });
                    }
                }
            }
        }
        out
    }

    fn matches(&self, term: &str) -> bool {
        match self {
            Matcher::Exact(t) => t == term,
            Matcher::Prefix(p) => term.starts_with(p.as_str()),
            Matcher::Fuzzy { term: t, distance } => edits(t, term, false) <= usize::from(*distance),
            Matcher::FuzzyPrefix { raw, distance } => {
                edits(raw, term, true) <= usize::from(*distance)
            }
        }
    }
}

/// The snippet of `text`: its best passage with the words `matchers` match marked, or `None`
/// when it has none of them.
pub(super) fn marked(text: &str, analyzer: &TextAnalyzer, matchers: &[Matcher]) -> Option<String> {
    // (start, end, which matcher, character where it ends) of every word matched, in order.
    let mut chars = (0, 0);
    let found: Vec<(usize, usize, usize, usize)> = tokens(analyzer, text)
        .into_iter()
        .filter_map(|token| {
            let which = matchers.iter().position(|m| m.matches(&token.text))?;
            chars.1 += text[chars.0..token.offset_to].chars().count();
            chars.0 = token.offset_to;
            Some((token.offset_from, token.offset_to, which, chars.1))
        })
        .collect();
    if found.is_empty() {
        return None;
    }
    // The passage of LENGTH characters from a matched word with the most different matchers,
    // then the most words.
    let mut best = (0, 0, 0);
    for first in 0..found.len() {
        let (start, end, _, end_char) = found[first];
        let start_char = end_char - text[start..end].chars().count();
        let mut seen = vec![false; matchers.len()];
        let mut words = 0;
        for &(_, _, which, end_char) in &found[first..] {
            if end_char - start_char > LENGTH {
                break;
            }
            seen[which] = true;
            words += 1;
        }
        let score = (seen.iter().filter(|s| **s).count(), words);
        if score > (best.1, best.2) {
            best = (first, score.0, score.1);
        }
    }
    let first = found[best.0].0;
    let start = passage_start(text, first);
    let end = passage_end(text, start);
    let marks = found
        .iter()
        .filter(|(from, to, _, _)| *from >= start && *to <= end)
        .map(|(from, to, _, _)| (*from, *to));
    Some(html(text, start, end, marks))
}

/// The opening of `text` when the query matched none of it (a post found by its title).
pub(super) fn opening(text: &str) -> String {
    html(text, 0, passage_end(text, 0), std::iter::empty())
}

/// Where a passage whose first marked word starts at `first` begins: up to [`LEAD`]
/// characters before, at the start of a word.
fn passage_start(text: &str, first: usize) -> usize {
    let before = &text[..first];
    let lead = before
        .char_indices()
        .rev()
        .nth(LEAD - 1)
        .map_or(0, |(at, _)| at);
    if lead == 0 {
        return 0;
    }
    match before[lead..].find(char::is_whitespace) {
        Some(space) => lead + space + 1,
        None => first,
    }
}

/// Where a passage starting at `start` ends: after [`LENGTH`] characters, at the end of a word.
fn passage_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let Some((limit, _)) = rest.char_indices().nth(LENGTH) else {
        return text.len();
    };
    match rest[..limit].rfind(char::is_whitespace) {
        Some(space) if space > 0 => start + space,
        _ => start + limit,
    }
}

/// `text[start..end]` escaped, white space made single spaces, the `marks` (ranges in `text`,
/// in order) in `<mark>`, with `…` where text was cut off.
fn html(
    text: &str,
    start: usize,
    end: usize,
    marks: impl Iterator<Item = (usize, usize)>,
) -> String {
    let mut out = String::with_capacity(end - start + 64);
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for (from, to) in marks {
        escape(&mut out, &text[at..from]);
        out.push_str("<mark>");
        escape(&mut out, &text[from..to]);
        out.push_str("</mark>");
        at = to;
    }
    escape(&mut out, &text[at..end]);
    if end < text.len() {
        out.push('…');
    }
    out
}

fn escape(out: &mut String, text: &str) {
    let mut words = text.split(char::is_whitespace);
    if let Some(first) = words.next() {
        let _ = escape_html_body_text(&mut *out, first);
    }
    for word in words {
        if !out.ends_with(' ') {
            out.push(' ');
        }
        let _ = escape_html_body_text(&mut *out, word);
    }
}

/// Edits (insertions, deletions, substitutions and swaps of two neighbours) from `a` to `b`,
/// or with `prefix` to the nearest start of `b`.
pub(super) fn edits(a: &str, b: &str, prefix: bool) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Rows of the table for a[..i-1], a[..i], over b[..j] for each j.
    let mut before: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (previous[j] + 1)
                .min(row[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut previous, row);
    }
    if prefix {
        previous.into_iter().min().unwrap_or(0)
    } else {
        previous[b.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_edits_with_swaps_as_one() {
        assert_eq!(edits("kubernetes", "kubernetes", false), 0);
        assert_eq!(edits("kubernets", "kubernetes", false), 1);
        assert_eq!(edits("servcie", "service", false), 1, "a swap");
        assert_eq!(edits("mesh", "mash", false), 1);
        assert_eq!(edits("", "abc", false), 3);
        assert_eq!(edits("serv", "service", true), 0);
        assert_eq!(edits("srev", "service", true), 1);
        assert_eq!(edits("xyz", "service", true), 3);
    }

    #[test]
    fn a_passage_starts_and_ends_at_word_boundaries() {
        let text = format!("{} needle {}", "lead ".repeat(30), "tail ".repeat(60));
        let first = text.find("needle").unwrap();
        let start = passage_start(&text, first);
        assert!(text[..start].ends_with(' '), "{start}");
        assert!(first - start <= LEAD, "{}", first - start);
        let end = passage_end(&text, start);
        assert!(text[end..].starts_with(' '));
        assert!(text[start..end].chars().count() <= LENGTH);
    }
}
