//! Where a block's HTML goes: pulldown-cmark's plain `<pre><code>`, the highlighted
//! `<pre class="highlight">`, and Hugo's layouts for line numbers and emphasized lines:
//!
//! - each line `<span class="line">` (`line hl` when emphasized) holding the code in
//!   `<span class="cl">`;
//! - inline numbers: `<span class="ln">12</span>` at the start of each line;
//! - table numbers: `<div class="highlight"><table class="lntable">` with two `<td class="lntd">`
//!   cells, the numbers (`<span class="lnt">12\n</span>`, in `<span class="hl">` when emphasized)
//!   in the left one and the code in the right one.
//!
//! With inline styles the same elements carry `style` attributes from the theme beside their
//! classes.

use std::fmt::Write as _;

use pulldown_cmark_escape::{escape_html, escape_html_body_text};
use syntect::highlighting::{Color, Theme};

use super::{CodeOptions, LineNumbers, css_color};

/// How the code is coloured.
#[derive(Clone, Copy)]
pub(super) enum Paint {
    /// Class names, styled by the stylesheet.
    Classes,
    /// `style` attributes from a theme.
    Inline(&'static Theme),
}

/// A theme's colours for what is not a token.
pub(super) struct Colors {
    pub(super) foreground: Color,
    pub(super) background: Color,
    pub(super) line_highlight: Color,
    pub(super) gutter: Color,
}

impl Colors {
    /// The theme's colours; what a theme leaves out is the text colour, faded.
    pub(super) fn of(theme: &Theme) -> Colors {
        let settings = &theme.settings;
        let foreground = settings.foreground.unwrap_or(Color::BLACK);
        Colors {
            foreground,
            background: settings.background.unwrap_or(Color::WHITE),
            line_highlight: settings.line_highlight.unwrap_or(Color {
                a: 0x20,
                ..foreground
            }),
            gutter: settings.gutter_foreground.unwrap_or(Color {
                a: 0x99,
                ..foreground
            }),
        }
    }
}

/// The `style` attributes of each element, empty with class names.
#[derive(Default)]
struct Styles {
    pre: String,
    line: String,
    emphasized_line: String,
    emphasized: String,
    number: String,
    table: &'static str,
    cell: &'static str,
    last_cell: &'static str,
}

impl Styles {
    fn of(paint: Paint) -> Styles {
        let Paint::Inline(theme) = paint else {
            return Styles::default();
        };
        let c = Colors::of(theme);
        let attribute = |style: String| format!(" style=\"{style}\"");
        let hl = css_color(c.line_highlight);
        Styles {
            pre: attribute(format!(
                "background-color:{};color:{};",
                css_color(c.background),
                css_color(c.foreground)
            )),
            line: attribute("display:flex;".to_owned()),
            emphasized_line: attribute(format!("display:flex;background-color:{hl};")),
            emphasized: attribute(format!("background-color:{hl};")),
            number: attribute(format!(
                "white-space:pre;user-select:none;margin-right:0.4em;padding:0 0.4em;color:{};",
                css_color(c.gutter)
            )),
            table: " style=\"border-spacing:0;padding:0;margin:0;border:0;\"",
            cell: " style=\"vertical-align:top;padding:0;margin:0;border:0;\"",
            last_cell: " style=\"vertical-align:top;padding:0;margin:0;border:0;width:100%;\"",
        }
    }
}

/// What pulldown-cmark writes for a fenced block.
pub(super) fn plain(code: &str, language: Option<&str>) -> String {
    let mut html = String::with_capacity(code.len() + code.len() / 8 + 48);
    html.push_str("<pre>");
    open_code(&mut html, language);
    let _ = escape_html_body_text(&mut html, code);
    html.push_str("</code></pre>\n");
    html
}

/// `<code>` with the language's class.
fn open_code(html: &mut String, language: Option<&str>) {
    match language.filter(|l| !l.is_empty()) {
        Some(language) => {
            html.push_str("<code class=\"language-");
            let _ = escape_html(&mut *html, language);
            html.push_str("\">");
        }
        None => html.push_str("<code>"),
    }
}

fn open_pre(html: &mut String, styles: &Styles, language: Option<&str>) {
    html.push_str("<pre class=\"highlight\"");
    html.push_str(&styles.pre);
    html.push('>');
    open_code(html, language);
}

/// The highlighted block: `pieces` is the code's HTML in one piece, or line by line when the
/// options number or emphasize lines.
pub(super) fn lines(
    pieces: &[String],
    language: Option<&str>,
    options: &CodeOptions,
    paint: Paint,
) -> String {
    let styles = Styles::of(paint);
    let size: usize = pieces.iter().map(String::len).sum();
    let mut html = String::with_capacity(size + 256 + pieces.len() * 64);
    if !options.by_line() {
        open_pre(&mut html, &styles, language);
        pieces.iter().for_each(|piece| html.push_str(piece));
        html.push_str("</code></pre>\n");
        return html;
    }
    let table = options.line_numbers == LineNumbers::Table;
    if table {
        let _ = writeln!(
            html,
            "<div class=\"highlight\"><table class=\"lntable\"{}><tr><td class=\"lntd\"{}>",
            styles.table, styles.cell
        );
        open_pre(&mut html, &styles, None);
        for n in 1..=pieces.len() {
            let emphasized = options.emphasizes(n);
            if emphasized {
                let _ = write!(html, "<span class=\"hl\"{}>", styles.emphasized);
            }
            let number = options.start.saturating_add(n - 1);
            let _ = write!(
                html,
                "<span class=\"lnt\"{}>{number}\n</span>",
                styles.number
            );
            if emphasized {
                html.push_str("</span>");
            }
        }
        let _ = writeln!(
            html,
            "</code></pre></td>\n<td class=\"lntd\"{}>",
            styles.last_cell
        );
    }
    open_pre(&mut html, &styles, language);
    for (i, piece) in pieces.iter().enumerate() {
        if options.emphasizes(i + 1) {
            html.push_str("<span class=\"line hl\"");
            html.push_str(&styles.emphasized_line);
        } else {
            html.push_str("<span class=\"line\"");
            html.push_str(&styles.line);
        }
        html.push('>');
        if options.line_numbers == LineNumbers::Inline {
            let number = options.start.saturating_add(i);
            let _ = write!(html, "<span class=\"ln\"{}>{number}</span>", styles.number);
        }
        html.push_str("<span class=\"cl\">");
        html.push_str(piece);
        html.push_str("</span></span>");
    }
    html.push_str("</code></pre>");
    if table {
        html.push_str("</td></tr></table>\n</div>");
    }
    html.push('\n');
    html
}
