//! Rendering one post body: Markdown to HTML with heading ids, expanded shortcodes, highlighted
//! code, file links ready to resolve, and what a post page shows beside the HTML (headings,
//! summary, plain text, word count). Pure: one body and its options in, values out.

// Until the render pipeline calls them, code blocks and the sanitizer are used by their tests
// and `GET /highlight.css` only.
#[cfg_attr(
    not(test),
    expect(dead_code, reason = "the render pipeline is to call them")
)]
mod highlight;
#[cfg_attr(
    not(test),
    expect(dead_code, reason = "the render pipeline is to call it")
)]
mod raw_html;
mod shortcodes;

pub use highlight::Highlight;
pub(crate) use highlight::{stylesheet, theme_name, themes};
pub use raw_html::RawHtml;

/// How every post is rendered: fixed for the life of a server, so the render cache keys by blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// Server-side code highlighting (`--highlight`).
    pub highlight: Highlight,
    /// Theme for `Highlight::Inline` (`--highlight-theme`).
    pub highlight_theme: String,
    /// What happens to raw HTML written in the Markdown (`--raw-html`).
    pub raw_html: RawHtml,
    /// Reading speed for `readingTime` (`--words-per-minute`).
    pub words_per_minute: u32,
}

/// `--words-per-minute` when it is not given: Hugo's reading speed.
pub(crate) const DEFAULT_WORDS_PER_MINUTE: u32 = 212;
/// `--highlight-theme` when it is not given.
pub(crate) const DEFAULT_HIGHLIGHT_THEME: &str = "InspiredGitHub";

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            highlight: Highlight::Classes,
            highlight_theme: DEFAULT_HIGHLIGHT_THEME.to_owned(),
            raw_html: RawHtml::Keep,
            words_per_minute: DEFAULT_WORDS_PER_MINUTE,
        }
    }
}
