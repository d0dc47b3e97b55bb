//! Code highlighting on the server (syntect), and Hugo's code options (`linenos`, `hl_lines`).
//!
//! syntect is used because it is maintained, highlights with Sublime Text grammars (the
//! definitions editors use, so the tokens are right rather than guessed) and needs no
//! JavaScript engine. Its grammars and themes are loaded once, on the first block highlighted,
//! so a server that renders nothing pays nothing. Its default set lacks some popular
//! languages; [`ALIASES`] maps the common names it does not know to the nearest grammar it has,
//! and any other unknown language comes out as plain code.
//!
//! The HTML follows Hugo's layout, so themes written for Hugo's class names (`line`, `cl`,
//! `ln`, `lnt`, `lntable`, `lntd`, `hl`) apply; the tokens' classes are syntect's scope names
//! with the prefix `hl-` (`hl-keyword hl-control hl-go`), styled by [`stylesheet`].

mod layout;
mod options;
mod tokens;

use std::collections::HashMap;
use std::sync::LazyLock;

use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::{ClassStyle, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};

pub(crate) use options::{CodeOptions, LineNumbers};

/// How fenced code with a language is rendered (`--highlight`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Highlight {
    /// Plain `<pre><code class="language-x">`, as pulldown-cmark writes it.
    Off,
    /// Tokens in `<span class="...">`, styled by `GET /highlight.css`.
    Classes,
    /// Tokens with inline `style` attributes from `--highlight-theme`.
    Inline,
}

/// The class names of tokens: scope atoms with this prefix, in the HTML and the stylesheet alike.
const CLASS_PREFIX: &str = "hl-";
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed {
    prefix: CLASS_PREFIX,
};

/// A line longer than this is not highlighted, nor is the block it is in: syntect's grammars
/// can take time out of proportion on one very long line (minified code).
const MAX_LINE: usize = 16 * 1024;

/// The grammars, for code that ends its lines with `\n` (as a code block's text does).
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

static THEMES: LazyLock<ThemeSet> = LazyLock::new(ThemeSet::load_defaults);

/// Names for languages that syntect's default grammars do not answer to, with the grammar
/// used for them. Some are the same language under another name; the others (TypeScript as
/// JavaScript, TOML as Java properties, a Dockerfile as shell) are the nearest grammar
/// syntect has, which colours most of the code right.
const ALIASES: [(&str, &str); 40] = [
    ("shell", "Bourne Again Shell (bash)"),
    ("console", "Bourne Again Shell (bash)"),
    ("shell-session", "Bourne Again Shell (bash)"),
    ("sh-session", "Bourne Again Shell (bash)"),
    ("terminal", "Bourne Again Shell (bash)"),
    ("ksh", "Bourne Again Shell (bash)"),
    ("dockerfile", "Bourne Again Shell (bash)"),
    ("docker", "Bourne Again Shell (bash)"),
    ("ts", "JavaScript"),
    ("typescript", "JavaScript"),
    ("tsx", "JavaScript"),
    ("jsx", "JavaScript"),
    ("mjs", "JavaScript"),
    ("cjs", "JavaScript"),
    ("node", "JavaScript"),
    ("golang", "Go"),
    ("python3", "Python"),
    ("py3", "Python"),
    ("toml", "Java Properties"),
    ("ini", "Java Properties"),
    ("cfg", "Java Properties"),
    ("conf", "Java Properties"),
    ("jsonc", "JSON"),
    ("json5", "JSON"),
    ("scss", "CSS"),
    ("sass", "CSS"),
    ("less", "CSS"),
    ("vue", "HTML"),
    ("svelte", "HTML"),
    ("go-html-template", "HTML"),
    ("gohtml", "HTML"),
    ("postgresql", "SQL"),
    ("postgres", "SQL"),
    ("mysql", "SQL"),
    ("sqlite", "SQL"),
    ("plsql", "SQL"),
    ("elisp", "Lisp"),
    ("emacs-lisp", "Lisp"),
    ("scheme", "Lisp"),
    ("batch", "Batch File"),
];

/// Grammars by lower-case language token: [`ALIASES`], then file extensions, then names, as
/// syntect's `find_syntax_by_token` looks them up but in one hash lookup. Plain text is left
/// out: `text` and `txt` come out as plain code, not wrapped in one token.
static LANGUAGES: LazyLock<HashMap<String, usize>> = LazyLock::new(|| {
    let syntaxes = SYNTAXES.syntaxes();
    let index = |name: &str| syntaxes.iter().rposition(|s| s.name == name);
    let mut languages = HashMap::new();
    for (alias, name) in ALIASES {
        if let Some(at) = index(name) {
            languages.insert(alias.to_owned(), at);
        }
    }
    let plain = index("Plain Text");
    // syntect prefers the last grammar with an extension: insert from the last.
    for (at, syntax) in syntaxes.iter().enumerate().rev() {
        if Some(at) == plain {
            continue;
        }
        for extension in &syntax.file_extensions {
            languages
                .entry(extension.to_ascii_lowercase())
                .or_insert(at);
        }
    }
    for (at, syntax) in syntaxes.iter().enumerate().rev() {
        if Some(at) != plain {
            languages
                .entry(syntax.name.to_ascii_lowercase())
                .or_insert(at);
        }
    }
    languages
});

/// The grammar for a code block's language, `None` when syntect has none.
fn grammar(language: &str) -> Option<&'static SyntaxReference> {
    let at = match LANGUAGES.get(language) {
        Some(&at) => at,
        None => *LANGUAGES.get(&language.to_ascii_lowercase())?,
    };
    SYNTAXES.syntaxes().get(at)
}

/// A theme name that is not one of [`themes`].
#[derive(Debug, thiserror::Error)]
#[error("there is no highlighting theme {name:?}: the themes are {}", themes().join(", "))]
pub(crate) struct UnknownTheme {
    pub(crate) name: String,
}

/// The names of the themes, sorted.
pub(crate) fn themes() -> Vec<&'static str> {
    THEMES.themes.keys().map(String::as_str).collect()
}

/// The theme's own name for `name`, which may differ in case.
///
/// # Errors
/// [`UnknownTheme`] when no theme has that name.
pub(crate) fn theme_name(name: &str) -> Result<&'static str, UnknownTheme> {
    let names = THEMES.themes.keys().map(String::as_str);
    names
        .clone()
        .find(|&n| n == name)
        .or_else(|| names.clone().find(|n| n.eq_ignore_ascii_case(name)))
        .ok_or_else(|| UnknownTheme {
            name: name.to_owned(),
        })
}

/// The theme named `name`, or the default theme when there is none by that name.
fn theme(name: &str) -> &'static Theme {
    let name = theme_name(name).unwrap_or(super::DEFAULT_HIGHLIGHT_THEME);
    match THEMES.themes.get(name) {
        Some(theme) => theme,
        // The default theme is one of syntect's (a test checks it).
        None => THEMES.themes.values().next().expect("syntect has themes"),
    }
}

/// One code block's whole HTML. With [`Highlight::Off`], or when the language is unknown to
/// syntect, exactly what pulldown-cmark writes: `<pre><code class="language-go">ESCAPED</code>
/// </pre>\n` (`<pre><code>` with no language). With [`Highlight::Classes`],
/// `<pre class="highlight"><code class="language-go">` and tokens in `<span class="hl-…">`;
/// with [`Highlight::Inline`], the same with `style` attributes from `theme` (the default
/// theme when there is none by that name). Line numbers and emphasized lines follow Hugo's
/// layout (see [`layout`]) in both, also for a language syntect does not know.
pub(crate) fn code_block(
    code: &str,
    language: Option<&str>,
    options: &CodeOptions,
    mode: Highlight,
    theme_name: &str,
) -> String {
    let paint = match mode {
        Highlight::Off => return layout::plain(code, language),
        Highlight::Classes => layout::Paint::Classes,
        Highlight::Inline => layout::Paint::Inline(theme(theme_name)),
    };
    let by_line = options.by_line();
    let grammar = language
        .and_then(grammar)
        .filter(|_| code.split('\n').all(|line| line.len() <= MAX_LINE));
    let lines = grammar.and_then(|grammar| {
        let lines = match paint {
            layout::Paint::Classes => tokens::classed(code, grammar, by_line),
            layout::Paint::Inline(theme) => tokens::styled(code, grammar, theme, by_line),
        };
        // A grammar that fails on this code leaves it plain.
        lines.ok()
    });
    match lines {
        Some(lines) => layout::lines(&lines, language, options, paint),
        None if by_line => layout::lines(&tokens::escaped(code), language, options, paint),
        None => layout::plain(code, language),
    }
}

/// HTML whose text (as [`super::text::strip_tags`] reads it) is that of [`code_block`]'s for
/// the same arguments, without its cost: the tokens are not painted (their spans are inline and
/// leave no text), but the lines are laid out as `code_block` lays them out, line numbers
/// included.
pub(crate) fn code_text(
    code: &str,
    language: Option<&str>,
    options: &CodeOptions,
    mode: Highlight,
) -> String {
    if mode == Highlight::Off || !options.by_line() {
        // `<pre><code>` and `<pre class="highlight"><code>` have the same text.
        return layout::plain(code, language);
    }
    layout::lines(
        &tokens::escaped(code),
        language,
        options,
        layout::Paint::Classes,
    )
}

/// The stylesheet for [`Highlight::Classes`]' class names in `theme`: the colours of the code,
/// the emphasized lines and the line numbers, then syntect's rules for the tokens.
///
/// # Errors
/// [`UnknownTheme`], whose message lists the themes.
pub(crate) fn stylesheet(theme: &str) -> Result<String, UnknownTheme> {
    let name = theme_name(theme)?;
    let theme = &THEMES.themes[name];
    let colors = layout::Colors::of(theme);
    let mut css = format!(
        "/* Code highlighted by Quire with syntect, theme \"{name}\" */\n\
         .highlight {{ color: {fg}; background-color: {bg}; }}\n\
         .highlight .line {{ display: flex; }}\n\
         .highlight .hl {{ background-color: {hl}; }}\n\
         .highlight .ln, .highlight .lnt {{ white-space: pre; -webkit-user-select: none; \
         user-select: none; margin-right: 0.4em; padding: 0 0.4em; color: {gutter}; }}\n\
         .highlight .lntable {{ border-spacing: 0; padding: 0; margin: 0; border: 0; }}\n\
         .highlight .lntd {{ vertical-align: top; padding: 0; margin: 0; border: 0; }}\n\
         .highlight .lntd:last-child {{ width: 100%; }}\n\n",
        fg = css_color(colors.foreground),
        bg = css_color(colors.background),
        hl = css_color(colors.line_highlight),
        gutter = css_color(colors.gutter),
    );
    // syntect fails only on a `fmt::Write` error, which a `String` does not give.
    if let Ok(rules) = css_for_theme_with_class_style(theme, CLASS_STYLE) {
        css.push_str(&rules);
    }
    Ok(css)
}

/// `#rrggbb`, or `#rrggbbaa` when not opaque.
fn css_color(c: Color) -> String {
    if c.a == 0xff {
        format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
    } else {
        format!("#{:02x}{:02x}{:02x}{:02x}", c.r, c.g, c.b, c.a)
    }
}

#[cfg(test)]
mod tests;
