//! JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>) as typed serde structs written with
//! `serde_json`: no maintained crate writes version 1.1 (`jsonfeed` on crates.io stopped at 1.0
//! in 2017).
//!
//! - the feed has the required `version` and `title`, `home_page_url` and `feed_url` (optional,
//!   "strongly recommended"), `description` and `language` (new in 1.1), and `items`.
//! - each item has the required `id`, `url`, `title`, and `content_html`: an item needs
//!   `content_html` or `content_text`, so when there is no full content the summary HTML stands
//!   in (an empty string when there is neither). `summary` is plain text, as the spec defines it;
//!   `date_published` and `date_modified` are RFC 3339; `authors` are `{ "name": ... }` objects
//!   (1.1's `authors`, not 1.0's deprecated `author`); `tags` are the categories.
//!
//! Strings go through [`xml_safe`] too, so that every format says the same thing.

use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde::Serialize;

use super::{Channel, Item, xml_safe, xml_safe_opt};

/// The `version` of JSON Feed 1.1.
pub(super) const VERSION: &str = "https://jsonfeed.org/version/1.1";

/// The top-level object.
#[derive(Serialize)]
struct Feed {
    version: &'static str,
    title: String,
    home_page_url: String,
    feed_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    items: Vec<FeedItem>,
}

/// One object of `items`.
#[derive(Serialize)]
struct FeedItem {
    id: String,
    url: String,
    title: String,
    content_html: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
}

/// An object of `authors`.
#[derive(Serialize)]
struct Author {
    name: String,
}

/// The JSON Feed document for `channel` and `items`.
pub(super) fn write(channel: &Channel, items: &[Item]) -> Vec<u8> {
    let feed = Feed {
        version: VERSION,
        title: xml_safe(&channel.title),
        home_page_url: xml_safe(&channel.site_url),
        feed_url: xml_safe(&channel.feed_url),
        description: xml_safe_opt(channel.description.as_deref()),
        language: xml_safe_opt(channel.language.as_deref()),
        items: items.iter().map(item).collect(),
    };
    serde_json::to_vec(&feed).expect("these structs always serialize")
}

/// One item.
fn item(item: &Item) -> FeedItem {
    let content = item.content_html.as_ref().or(item.summary_html.as_ref());
    FeedItem {
        id: xml_safe(&item.id),
        url: xml_safe(&item.url),
        title: xml_safe(&item.title),
        content_html: content.map(|html| xml_safe(html)).unwrap_or_default(),
        summary: xml_safe_opt(item.summary_text.as_deref()),
        date_published: item.published.as_ref().map(rfc3339),
        date_modified: item.updated.as_ref().map(rfc3339),
        authors: item
            .authors
            .iter()
            .map(|name| Author {
                name: xml_safe(name),
            })
            .collect(),
        tags: item.categories.iter().map(|name| xml_safe(name)).collect(),
    }
}

/// `date` as RFC 3339, to the second, with `Z` for UTC.
fn rfc3339(date: &DateTime<FixedOffset>) -> String {
    date.to_rfc3339_opts(SecondsFormat::Secs, true)
}
