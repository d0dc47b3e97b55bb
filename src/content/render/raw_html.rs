//! What happens to raw HTML written in a post's Markdown (`--raw-html`).

/// The raw-HTML policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum RawHtml {
    /// Kept as written: a repository's authors are trusted.
    Keep,
    /// Cleaned with ammonia, keeping what rendered Markdown, highlighting and embeds need.
    Sanitize,
    /// Replaced by `<!-- raw HTML omitted -->`, as Hugo does.
    Omit,
}

// TEMPORARY interface stand-in until the sanitizing slice lands (replaced whole at merge).
pub(crate) fn sanitize(html: &str) -> String {
    ammonia::clean(html)
}
