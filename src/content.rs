//! Content: pure functions from the text of one file to values. Nothing here reads git, and
//! nothing here knows about GraphQL or HTTP.

mod date;
mod front_matter;
mod markdown;
// Not called outside its tests until the lead wires it in; `expect` then reports itself.
#[cfg_attr(
    not(test),
    expect(
        dead_code,
        reason = "page URLs are not wired in yet; the unit tests use all of it"
    )
)]
mod permalink;
mod post;
mod render;
#[cfg_attr(
    not(test),
    expect(dead_code, reason = "read by the loader once wired in")
)]
mod site;
mod slug;

pub(crate) use date::{IsoWeek, PostDate};
pub(crate) use markdown::{Footnote, FootnoteMode, options as markdown_options};
#[expect(unused_imports, reason = "page URLs are not wired in yet")]
pub(crate) use permalink::{
    PageInfo, PageKind, Pattern, PatternError, UrlError, UrlRules, url as page_url,
};
pub(crate) use post::{Post, PostError, text};
pub(crate) use render::{
    DEFAULT_HIGHLIGHT_THEME, DEFAULT_WORDS_PER_MINUTE, FilePath, Heading, Page, ProblemKind,
    Rendered, ShortcodeUse, render, resolve_files,
};
pub use render::{Highlight, RawHtml, RenderOptions};
pub(crate) use render::{stylesheet as highlight_stylesheet, theme_name, themes};
#[expect(unused_imports, reason = "used once the loader is wired in")]
pub(crate) use site::{
    Language, SiteConfig, SiteConfigError, is_config_file, read as read_site_config,
};
pub(crate) use slug::urlize;
