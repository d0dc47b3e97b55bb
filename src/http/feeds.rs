//! Feeds and the sitemap, as bytes: RSS 2.0 (`feed.xml`), Atom (`atom.xml`), JSON Feed 1.1
//! (`feed.json`) and a sitemaps.org 0.9 `sitemap.xml`. Pure functions of plain values: the
//! handlers pick the posts, make their links absolute and choose summary or full content; this
//! module only writes the formats, each with a maintained crate (`rss`, `atom_syndication`,
//! `sitemap-rs`, serde structs for JSON Feed), never with string templates.
//!
//! Every string is passed through [`xml_safe`] first, so a control character in a post cannot
//! make a document that XML parsers reject.
//!
//! Validators: `scripts/validate-sitemap.sh` checks sitemaps with the PyPI package
//! `sitemap-verify`. No RSS, Atom or JSON Feed 1.1 validator is packaged for Debian 12, PyPI or
//! npm that works offline (the W3C Feed Validator is only a git repository; npm's
//! `feed-validator` calls the online service; PyPI's `jsonfeedvalidator` knows JSON Feed 1.0
//! only and rejects 1.1's `authors` and `language`). The W3C Feed Validator, run once by hand on
//! the output of `tests::write_samples`, found the Atom feed valid with no warnings, and the RSS
//! feed valid with one warning, only for titles holding `&` or `<`: it prefers `&#x26;` and
//! `&#x3C;` to the `&amp;` and `&lt;` that the `rss` crate writes, since some readers take RSS
//! titles for HTML.

mod atom;
mod json;
mod rss;
mod serve;
mod sitemap;

#[cfg(test)]
mod tests;

use chrono::{DateTime, FixedOffset};

pub(crate) use serve::{atom, category, json, keyword, rss, sitemap};
pub(crate) use sitemap::{SitemapUrl, write_sitemap};

/// The three feed formats, each served under its own file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FeedFormat {
    /// RSS 2.0, <https://www.rssboard.org/rss-specification>.
    Rss,
    /// Atom, RFC 4287, <https://www.rfc-editor.org/rfc/rfc4287>.
    Atom,
    /// JSON Feed 1.1, <https://www.jsonfeed.org/version/1.1/>.
    Json,
}

impl FeedFormat {
    /// Every format, in the order the landing page lists them.
    pub(crate) const ALL: [FeedFormat; 3] = [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json];

    /// The last segment of the feed's path: `/feed.xml`, `/categories/{slug}/atom.xml`, ...
    pub(crate) fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Rss => "feed.xml",
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Json => "feed.json",
        }
    }

    /// The `Content-Type` to serve it with. RSS has no registered type; `application/rss+xml`
    /// is the one readers expect. Atom's is registered by RFC 4287 §7, JSON Feed's by its spec
    /// ("application/feed+json"); JSON is always UTF-8, so it takes no charset.
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml; charset=utf-8",
            FeedFormat::Atom => "application/atom+xml; charset=utf-8",
            FeedFormat::Json => "application/feed+json",
        }
    }

    /// The format served under `name` (see [`FeedFormat::file_name`]), or `None`.
    pub(crate) fn from_file_name(name: &str) -> Option<FeedFormat> {
        FeedFormat::ALL
            .into_iter()
            .find(|format| format.file_name() == name)
    }
}

/// What a feed says about itself.
#[derive(Clone, Debug)]
pub(crate) struct Channel {
    /// The site's title, with " - {category}" or the like for a filtered feed.
    pub(crate) title: String,
    /// A sentence about the feed; RSS requires one, so the title stands in when `None`.
    pub(crate) description: Option<String>,
    /// The absolute URL of the site's home page (or the category's page).
    pub(crate) site_url: String,
    /// The absolute URL of this feed itself: its `rel="self"` link, and the Atom feed's id.
    pub(crate) feed_url: String,
    /// A language tag such as `en-us`, from the Hugo config's `languageCode`.
    pub(crate) language: Option<String>,
    /// When the feed last changed: the newest item's date, or a fallback the caller picks for a
    /// feed with no dated items.
    pub(crate) updated: DateTime<FixedOffset>,
}

/// One post in a feed, newest first in the slice given to [`write_feed`].
#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub(crate) title: String,
    /// The post's absolute URL.
    pub(crate) url: String,
    /// A stable, unique id: the URL. RSS marks the guid as a permalink only when it is the URL.
    pub(crate) id: String,
    pub(crate) published: Option<DateTime<FixedOffset>>,
    pub(crate) updated: Option<DateTime<FixedOffset>>,
    /// Author names; the formats get no email addresses.
    pub(crate) authors: Vec<String>,
    /// Category (and keyword) names.
    pub(crate) categories: Vec<String>,
    /// The summary, as HTML: RSS's `description`, Atom's `summary`.
    pub(crate) summary_html: Option<String>,
    /// The same summary as plain text (the post's `summary.plain`): JSON Feed's `summary`,
    /// which its spec defines as "a plain text sentence or two describing the item".
    pub(crate) summary_text: Option<String>,
    /// The whole post, as HTML: `Some` only when `--feed-content` asks for full content.
    pub(crate) content_html: Option<String>,
}

impl Item {
    /// When the item last changed: `updated`, else `published`, else the channel's date (Atom
    /// requires `atom:updated` on every entry, RFC 4287 §4.1.2).
    fn updated_or(&self, fallback: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        self.updated.or(self.published).unwrap_or(fallback)
    }
}

/// Writes `items` (already cut to `--feed-size`, newest first) as a feed of `format`.
pub(crate) fn write_feed(format: FeedFormat, channel: &Channel, items: &[Item]) -> Vec<u8> {
    match format {
        FeedFormat::Rss => rss::write(channel, items),
        FeedFormat::Atom => atom::write(channel, items),
        FeedFormat::Json => json::write(channel, items),
    }
}

/// `text` without the characters XML 1.0 forbids (§2.2, production `Char`): the C0 controls
/// other than tab, line feed and carriage return, and U+FFFE and U+FFFF. Surrogates cannot occur
/// in a Rust string. No escaping: the writers do that.
pub(crate) fn xml_safe(text: &str) -> String {
    text.chars().filter(|&c| is_xml_char(c)).collect()
}

/// [`xml_safe`] for an optional string.
fn xml_safe_opt(text: Option<&str>) -> Option<String> {
    text.map(xml_safe)
}

/// Whether XML 1.0 allows `c` in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}
