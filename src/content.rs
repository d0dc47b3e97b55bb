//! Content: pure functions from the text of one file to values. Nothing here reads git, and
//! nothing here knows about GraphQL or HTTP.

mod date;
mod front_matter;
mod go_time;
mod markdown;
mod permalink;
mod post;
mod render;
mod site;
mod slug;

pub(crate) use date::{IsoWeek, PostDate};
pub(crate) use go_time::GoTime;
pub(crate) use markdown::{Footnote, FootnoteMode, options as markdown_options};
pub(crate) use permalink::{PageInfo, PageKind, Pattern, UrlRules, url as page_url};
pub(crate) use post::{Cascade, DateRules, ListMode, Post, PostError, is_section_file, text};
pub(crate) use render::is_cjk;
pub(crate) use render::{BodyText, Count, body_text};
pub(crate) use render::{
    DEFAULT_HIGHLIGHT_THEME, DEFAULT_WORDS_PER_MINUTE, FilePath, Heading, LinkRef, LinkTarget,
    Page, ProblemKind, Rendered, ShortcodeUse, extract_links, join_path, render, resolve_markers,
};
pub use render::{Highlight, RawHtml, RenderOptions};
pub(crate) use render::{stylesheet as highlight_stylesheet, theme_name, themes};
pub(crate) use site::{SiteConfig, is_config_file, read as read_site_config};
pub(crate) use slug::urlize;
