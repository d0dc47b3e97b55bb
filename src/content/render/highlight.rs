//! Code highlighting on the server (syntect), and Hugo's code options (`linenos`, `hl_lines`).

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

// TEMPORARY interface stand-in until the highlighting slice lands (replaced whole at merge).

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CodeOptions;

impl CodeOptions {
    pub(crate) fn parse(_options: &str) -> Result<CodeOptions, String> {
        Ok(CodeOptions)
    }

    pub(crate) fn from_info(info: &str) -> (Option<String>, Result<CodeOptions, String>) {
        let lang = info.split_whitespace().next().map(str::to_owned);
        (lang, Ok(CodeOptions))
    }
}

pub(crate) fn code_block(
    code: &str,
    lang: Option<&str>,
    _options: &CodeOptions,
    _mode: Highlight,
    _theme: &str,
) -> String {
    let mut html = String::new();
    match lang {
        Some(lang) => {
            html.push_str("<pre><code class=\"language-");
            let _ = pulldown_cmark_escape::escape_html(&mut html, lang);
            html.push_str("\">");
        }
        None => html.push_str("<pre><code>"),
    }
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, code);
    html.push_str("</code></pre>\n");
    html
}
