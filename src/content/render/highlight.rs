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
