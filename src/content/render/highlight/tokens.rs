//! Code to HTML tokens with syntect: class names or inline styles. Each function gives the
//! code's HTML as one piece, or line by line with every piece's spans closed (the spans open
//! at a line's end are closed there and opened again on the next line), so that a layout can
//! wrap each line in its own element.

use pulldown_cmark_escape::{escape_html, escape_html_body_text};
use syntect::Error;
use syntect::easy::HighlightLines;
use syntect::highlighting::{Color, Theme};
use syntect::html::line_tokens_to_classed_spans;
use syntect::html::{IncludeBackground, append_highlighted_html_for_styled_line};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference};
use syntect::util::LinesWithEndings;

use super::{CLASS_PREFIX, CLASS_STYLE, SYNTAXES};

/// Tokens in `<span class="hl-…">`: one piece, or one per line when `by_line`.
///
/// # Errors
/// syntect's, when the grammar fails on the code.
pub(super) fn classed(
    code: &str,
    grammar: &SyntaxReference,
    by_line: bool,
) -> Result<Vec<String>, Error> {
    let mut parse = ParseState::new(grammar);
    let mut scopes = ScopeStack::new();
    let mut pieces = Vec::new();
    let mut html = String::with_capacity(code.len() * 3);
    for line in LinesWithEndings::from(code) {
        if by_line {
            for &scope in scopes.as_slice() {
                open(&mut html, scope);
            }
        }
        let ops = parse.parse_line(line, &SYNTAXES)?;
        let (spans, _) = line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut scopes)?;
        html.push_str(&spans);
        if by_line {
            close(&mut html, scopes.len());
            pieces.push(std::mem::take(&mut html));
        }
    }
    if !by_line {
        close(&mut html, scopes.len());
        pieces.push(html);
    }
    Ok(pieces)
}

/// Opens a span for `scope`, with the classes syntect gives it.
fn open(html: &mut String, scope: Scope) {
    html.push_str("<span class=\"");
    for (i, atom) in scope.build_string().split('.').enumerate() {
        if i > 0 {
            html.push(' ');
        }
        html.push_str(CLASS_PREFIX);
        // Atoms come from the grammars; escaped all the same.
        let _ = escape_html(&mut *html, atom);
    }
    html.push_str("\">");
}

fn close(html: &mut String, open: usize) {
    for _ in 0..open {
        html.push_str("</span>");
    }
}

/// Tokens in `<span style="…">` from `theme`: one piece, or one per line when `by_line`.
/// syntect closes every span on the line it opens it.
///
/// # Errors
/// syntect's, when the grammar fails on the code.
pub(super) fn styled(
    code: &str,
    grammar: &SyntaxReference,
    theme: &Theme,
    by_line: bool,
) -> Result<Vec<String>, Error> {
    let mut highlighter = HighlightLines::new(grammar, theme);
    let background = theme.settings.background.unwrap_or(Color::WHITE);
    let mut pieces = Vec::new();
    let mut html = String::with_capacity(code.len() * 4);
    for line in LinesWithEndings::from(code) {
        let regions = highlighter.highlight_line(line, &SYNTAXES)?;
        append_highlighted_html_for_styled_line(
            &regions,
            IncludeBackground::IfDifferent(background),
            &mut html,
        )?;
        if by_line {
            pieces.push(std::mem::take(&mut html));
        }
    }
    if !by_line {
        pieces.push(html);
    }
    Ok(pieces)
}

/// The code's lines, escaped, for a language syntect does not know.
pub(super) fn escaped(code: &str) -> Vec<String> {
    LinesWithEndings::from(code)
        .map(|line| {
            let mut html = String::with_capacity(line.len() + 8);
            let _ = escape_html_body_text(&mut html, line);
            html
        })
        .collect()
}
