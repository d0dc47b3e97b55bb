//! Finding a body's shortcodes before pulldown-cmark reads it: each top-level one (opening
//! tag, inner, closing tag) becomes a placeholder that passes through Markdown as plain text,
//! escaped ones become the text they show, and broken tags become problems.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag as MarkdownTag};

use super::parse::{self, Tag};
use super::{Args, Scanned, Shortcode};

/// The placeholder's first character (private use, replaced in posts beforehand).
const PLACEHOLDER_START: char = '\u{E000}';
/// The placeholder's last character.
const PLACEHOLDER_END: char = '\u{E001}';

/// `\u{E000}` + decimal index + `\u{E001}`: survives pulldown-cmark as text (also inside a link
/// destination) and cannot come from a post (render replaces private-use characters first).
pub(crate) fn placeholder(i: usize) -> String {
    format!("{PLACEHOLDER_START}{i}{PLACEHOLDER_END}")
}

/// Placeholders in `text`: (byte range, index), in order.
pub(crate) fn placeholders(text: &str) -> impl Iterator<Item = (Range<usize>, usize)> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        loop {
            let start = from + text.get(from..)?.find(PLACEHOLDER_START)?;
            let digits = start + PLACEHOLDER_START.len_utf8();
            let length = text[digits..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            from = digits;
            if length > 0
                && text[digits + length..].starts_with(PLACEHOLDER_END)
                && let Ok(i) = text[digits..digits + length].parse()
            {
                let end = digits + length + PLACEHOLDER_END.len_utf8();
                from = end;
                return Some((start..end, i));
            }
        }
    })
}

/// Finds the shortcodes in `markdown`; see [`Scanned`].
pub(crate) fn scan(markdown: &str) -> Scanned {
    if delimiters(markdown, 0).next().is_none() {
        return Scanned {
            text: markdown.to_owned(),
            shortcodes: Vec::new(),
            problems: Vec::new(),
        };
    }
    let tokens = tokens(markdown, &code_ranges(markdown));
    assemble(markdown, &tokens)
}

/// Where `{{<` and `{{%` start, from `from` on.
fn delimiters(text: &str, mut from: usize) -> impl Iterator<Item = usize> + '_ {
    std::iter::from_fn(move || {
        loop {
            let at = from + text.get(from..)?.find("{{")?;
            from = at + 1;
            if matches!(text.as_bytes().get(at + 2), Some(b'<' | b'%')) {
                return Some(at);
            }
        }
    })
}

/// The byte ranges of code spans and code blocks, in order.
fn code_ranges(markdown: &str) -> Vec<Range<usize>> {
    Parser::new_ext(markdown, crate::content::markdown_options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Code(_) | Event::Start(MarkdownTag::CodeBlock(_)) => Some(range),
            _ => None,
        })
        .collect()
}

/// One tag found in the text.
#[derive(Debug)]
struct Token {
    start: usize,
    end: usize,
    line: usize,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Open {
        name: String,
        args: Args,
        self_closing: bool,
    },
    Close {
        name: String,
    },
    Escaped(String),
    /// A tag that does not parse: what to fix.
    Broken(String),
}

/// Every tag outside code, and every escaped one, in order.
fn tokens(text: &str, code: &[Range<usize>]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut code = code.iter().peekable();
    let (mut counted, mut line) = (0, 1);
    let mut from = 0;
    while let Some(start) = delimiters(text, from).next() {
        while code.next_if(|range| range.end <= start).is_some() {}
        let in_code = code.peek().is_some_and(|range| range.start <= start);
        from = start + 3;
        if in_code && !text[from..].starts_with("/*") {
            continue;
        }
        let (end, kind) = match parse::tag(text, start) {
            Ok(parsed) => match parsed.tag {
                Tag::Escaped { literal } => (parsed.end, Kind::Escaped(literal)),
                _ if in_code => continue,
                Tag::Open {
                    name,
                    args,
                    self_closing,
                } => (
                    parsed.end,
                    Kind::Open {
                        name,
                        args,
                        self_closing,
                    },
                ),
                Tag::Close { name } => (parsed.end, Kind::Close { name }),
            },
            Err(_) if in_code => continue,
            Err(message) => (start + 3, Kind::Broken(message)),
        };
        line += text[counted..start].matches('\n').count();
        counted = start;
        tokens.push(Token {
            start,
            end,
            line,
            kind,
        });
        from = end;
    }
    tokens
}

/// For each opening token, the index of the closing token that pairs with it: the first one of
/// the same name after it with as many same-name openings as closings between them.
fn pairs(tokens: &[Token]) -> Vec<Option<usize>> {
    let mut closing = vec![None; tokens.len()];
    let mut open: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, token) in tokens.iter().enumerate() {
        match &token.kind {
            Kind::Open {
                name,
                self_closing: false,
                ..
            } => open.entry(name).or_default().push(i),
            Kind::Close { name } => {
                if let Some(opening) = open.get_mut(name.as_str()).and_then(Vec::pop) {
                    closing[opening] = Some(i);
                }
            }
            _ => {}
        }
    }
    closing
}

/// The text with top-level shortcodes replaced, escaped ones unescaped and broken ones defused.
fn assemble(text: &str, tokens: &[Token]) -> Scanned {
    let closing = pairs(tokens);
    let mut out = String::with_capacity(text.len());
    let mut shortcodes = Vec::new();
    let mut problems = Vec::new();
    let mut last = 0;
    let mut i = 0;
    while let Some(token) = tokens.get(i) {
        out.push_str(&text[last..token.start]);
        last = token.end;
        i += 1;
        let markdown = text.as_bytes().get(token.start + 2) == Some(&b'%');
        let (open, close) = if markdown {
            ("{{%", "%}}")
        } else {
            ("{{<", ">}}")
        };
        match &token.kind {
            Kind::Escaped(literal) => out.push_str(literal),
            Kind::Broken(message) => {
                problems.push((token.line, message.clone()));
                out.push_str(if markdown { "{{%" } else { "{{&lt;" });
            }
            Kind::Close { name } => problems.push((
                token.line,
                format!(
                    "closing tag `{open} /{name} {close}` matches no opening `{open} {name} {close}` at its level: remove it or add the opening tag"
                ),
            )),
            Kind::Open { name, args, .. } => {
                let inner = closing[i - 1].and_then(|j| {
                    let close = tokens.get(j)?;
                    last = close.end;
                    i = j + 1;
                    Some(text[token.end..close.start].to_owned())
                });
                out.push_str(&super::placeholder(shortcodes.len()));
                shortcodes.push(Shortcode {
                    name: name.clone(),
                    args: args.clone(),
                    inner,
                    markdown,
                    line: token.line,
                    inner_line_offset: text[token.start..token.end].matches('\n').count(),
                    indent: indent(text, token.start).to_owned(),
                });
            }
        }
    }
    out.push_str(&text[last..]);
    Scanned {
        text: out,
        shortcodes,
        problems,
    }
}

/// The spaces and tabs before `start` on its line, when nothing else precedes it there.
fn indent(text: &str, start: usize) -> &str {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..start];
    if before.chars().all(|c| c == ' ' || c == '\t') {
        before
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Event, Parser, Tag};

    use super::super::tests::one;
    use super::*;

    fn problems(text: &str) -> Vec<(usize, String)> {
        scan(text).problems
    }

    #[test]
    fn replaces_top_level_shortcodes_with_placeholders_in_order() {
        let scanned = scan("A {{< x >}} b {{% y 1 %}}.\n\n{{< z />}}\n");
        assert_eq!(
            scanned.text,
            format!(
                "A {} b {}.\n\n{}\n",
                placeholder(0),
                placeholder(1),
                placeholder(2)
            )
        );
        let names: Vec<_> = scanned.shortcodes.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["x", "y", "z"]);
        assert!(scanned.shortcodes[1].markdown);
        assert!(!scanned.shortcodes[0].markdown);
    }

    #[test]
    fn pairs_a_shortcode_with_its_closing_tag_keeping_the_inner_raw() {
        let scanned = scan("{{% note %}}\n**bold** {{< kbd x >}}\n{{% /note %}} after");
        assert_eq!(scanned.text, format!("{} after", placeholder(0)));
        assert_eq!(
            scanned.shortcodes[0].inner.as_deref(),
            Some("\n**bold** {{< kbd x >}}\n")
        );
    }

    #[test]
    fn leaves_a_self_closing_or_unmatched_shortcode_without_inner() {
        let scanned = scan("{{< x />}} a {{< x >}} b {{< /x >}} {{< y >}}");
        let inners: Vec<_> = scanned
            .shortcodes
            .iter()
            .map(|s| s.inner.as_deref())
            .collect();
        assert_eq!(inners, [None, Some(" b "), None]);
        assert_eq!(scanned.problems, Vec::new());
    }

    #[test]
    fn counts_nesting_depth_for_same_name_pairs() {
        let text = "{{< box >}}a {{< box >}}b{{< /box >}} c{{< /box >}}!";
        let scanned = scan(text);
        assert_eq!(scanned.text, format!("{}!", placeholder(0)));
        assert_eq!(
            scanned.shortcodes[0].inner.as_deref(),
            Some("a {{< box >}}b{{< /box >}} c")
        );
        let unpaired_first = scan("{{< box >}} {{< box >}}b{{< /box >}}");
        let inners: Vec<_> = unpaired_first
            .shortcodes
            .iter()
            .map(|s| s.inner.as_deref())
            .collect();
        assert_eq!(inners, [None, Some("b")]);
    }

    #[test]
    fn turns_escaped_shortcodes_into_their_literal_text() {
        let scanned =
            scan("Write {{</* figure src=\"x\" */>}} or {{%/* note */%}}a{{%/* /note */%}}.");
        assert_eq!(
            scanned.text,
            "Write {{< figure src=\"x\" >}} or {{% note %}}a{{% /note %}}."
        );
        assert!(scanned.shortcodes.is_empty());
        assert!(scanned.problems.is_empty());
    }

    #[test]
    fn keeps_escaped_shortcodes_inside_a_paired_inner_for_the_inner_scan() {
        let scanned = scan("{{< details >}}{{</* x */>}}{{< /details >}}");
        assert_eq!(
            scanned.shortcodes[0].inner.as_deref(),
            Some("{{</* x */>}}")
        );
    }

    #[test]
    fn leaves_shortcodes_in_code_alone_but_unescapes_escaped_ones_there() {
        let text = "Use `{{< x >}}` here.\n\n```md\n{{< figure src=\"a\" >}}\n{{</* y */>}}\n```\n\n    {{% z %}}\n\n{{< real >}}\n";
        let scanned = scan(text);
        assert_eq!(
            scanned.text,
            format!(
                "Use `{{{{< x >}}}}` here.\n\n```md\n{{{{< figure src=\"a\" >}}}}\n{{{{< y >}}}}\n```\n\n    {{{{% z %}}}}\n\n{}\n",
                placeholder(0)
            )
        );
        assert_eq!(scanned.shortcodes.len(), 1);
        assert_eq!(scanned.shortcodes[0].name, "real");
        assert_eq!(scanned.shortcodes[0].line, 10);
        assert!(scanned.problems.is_empty());
    }

    #[test]
    fn leaves_broken_tags_in_code_alone_without_problems() {
        let text = "`{{< x` and\n\n```\n{{< /y >}}\n```\n";
        assert_eq!(scan(text).text, text);
        assert!(problems(text).is_empty());
    }

    #[test]
    fn numbers_lines_from_one_in_crlf_text_too() {
        let text = "Intro\r\n\r\n{{< a >}}\r\n\r\n{{% b\r\n  x=\"1\" %}}\r\ninner\r\n{{% /b %}}\r\n{{< /c >}}\r\n";
        let scanned = scan(text);
        let lines: Vec<_> = scanned.shortcodes.iter().map(|s| s.line).collect();
        assert_eq!(lines, [3, 5]);
        assert_eq!(scanned.shortcodes[1].inner_line_offset, 1);
        assert_eq!(scanned.shortcodes[1].inner_line(), 6);
        assert_eq!(
            scanned.shortcodes[1].inner.as_deref(),
            Some("\r\ninner\r\n")
        );
        assert_eq!(scanned.shortcodes[1].args.named("x"), Some("1"));
        assert_eq!(scanned.problems.len(), 1);
        assert_eq!(scanned.problems[0].0, 9);
    }

    #[test]
    fn removes_a_stray_closing_tag_with_a_problem() {
        let scanned = scan("Text\n\n{{< /note >}}\nmore");
        assert_eq!(scanned.text, "Text\n\n\nmore");
        assert_eq!(
            scanned.problems,
            [(
                3,
                "closing tag `{{< /note >}}` matches no opening `{{< note >}}` at its level: \
                 remove it or add the opening tag"
                    .to_owned()
            )]
        );
    }

    #[test]
    fn reports_crossed_tags_as_a_stray_closing_tag() {
        let scanned = scan("{{< a >}}1{{< b >}}2{{< /a >}}3{{< /b >}}");
        assert_eq!(scanned.shortcodes.len(), 1);
        assert_eq!(scanned.shortcodes[0].inner.as_deref(), Some("1{{< b >}}2"));
        assert_eq!(scanned.problems.len(), 1);
        assert!(scanned.problems[0].1.contains("`{{< /b >}}`"));
    }

    #[test]
    fn keeps_an_unterminated_tag_as_text_that_cannot_start_html() {
        let scanned = scan("One\n{{<figure src=\"x.png\" >}\n{{< ok >}} {{% open");
        assert_eq!(
            scanned.text,
            format!(
                "One\n{{{{&lt;figure src=\"x.png\" >}}\n{} {{{{% open",
                placeholder(0)
            )
        );
        assert_eq!(scanned.shortcodes.len(), 1);
        let lines: Vec<_> = scanned.problems.iter().map(|p| p.0).collect();
        assert_eq!(lines, [2, 3]);
        assert!(scanned.problems[0].1.contains("`{{< figure` is not closed"));
        assert!(scanned.problems[1].1.contains("`{{% open` is not closed"));
    }

    #[test]
    fn reports_broken_tags_only_at_the_top_level() {
        let scanned = scan("{{< box >}}{{< /x >}}{{< oops{{< /box >}}");
        assert!(scanned.problems.is_empty());
        let inner = scanned.shortcodes[0].inner.clone().unwrap_or_default();
        assert_eq!(problems(&inner).len(), 2);
    }

    #[test]
    fn finds_placeholders_and_their_indexes() {
        let text = format!(
            "a{}b\u{E000}x\u{E001}{}\u{E000}7{}",
            placeholder(0),
            placeholder(12),
            placeholder(3)
        );
        let found: Vec<_> = placeholders(&text)
            .map(|(range, i)| (&text[range], i))
            .collect();
        assert_eq!(
            found,
            [
                (placeholder(0).as_str(), 0),
                (placeholder(12).as_str(), 12),
                (placeholder(3).as_str(), 3)
            ]
        );
    }

    #[test]
    fn placeholders_survive_markdown_as_text() {
        let scanned = scan("*{{< a >}}* and {{< b >}}\n");
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, Parser::new(&scanned.text));
        let found: Vec<_> = placeholders(&html).map(|(_, i)| i).collect();
        assert_eq!(found, [0, 1]);
        assert!(html.starts_with(&format!("<p><em>{}</em>", placeholder(0))));
    }

    #[test]
    fn a_shortcode_in_a_link_destination_leaves_a_valid_link() {
        let scanned = scan("[x]({{< ref \"a.md\" >}}) and [y]({{< relref \"b.md\" >}} \"t\")");
        let destinations: Vec<_> = Parser::new(&scanned.text)
            .filter_map(|event| match event {
                Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.into_string()),
                _ => None,
            })
            .collect();
        assert_eq!(destinations, [placeholder(0), placeholder(1)]);
        assert_eq!(scanned.shortcodes[0].args.positional(0), Some("a.md"));
    }

    #[test]
    fn returns_text_without_shortcodes_unchanged() {
        let text = "No {{ template }} and {{{ here }}} `{{<`";
        assert_eq!(scan(text).text, text);
        assert_eq!(one("{{{< x >}}").name, "x");
    }
}
