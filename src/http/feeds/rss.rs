//! RSS 2.0 with the `rss` crate, following the RSS 2.0 specification
//! (<https://www.rssboard.org/rss-specification>) and the RSS Advisory Board's best practices
//! profile (<https://www.rssboard.org/rss-profile>), which recommends the four namespace elements
//! used here: `atom:link`, `content:encoded` and `dc:creator`.
//!
//! - `channel` has the three required elements `title`, `link` and `description` (the title
//!   again when there is no description), `language`, `lastBuildDate` and `generator`, and an
//!   `atom:link rel="self"` naming the feed's own URL, as the profile asks.
//! - each `item` has `title`, `link`, a `guid` (a permalink when the id is the URL), `pubDate`
//!   in RFC 822 form (see [`rfc822`]),
//!   one `category` a name, and its authors as `dc:creator`: RSS's own `author` must hold an
//!   email address, which posts do not have, and the profile names `dc:creator` for a name.
//!   `description` holds the summary HTML (the content when there is no summary), and
//!   `content:encoded` the whole post's HTML when it is given. Both are written as CDATA.

use ::rss::extension::atom::{AtomExtension, Link};
use ::rss::extension::dublincore::DublinCoreExtension;
use ::rss::{Category, Guid};
use chrono::{DateTime, FixedOffset};

use super::{Channel, Item, xml_safe, xml_safe_opt};

/// What `generator` says.
const GENERATOR: &str = concat!("Quire ", env!("CARGO_PKG_VERSION"));

/// The RSS document for `channel` and `items`.
pub(super) fn write(channel: &Channel, items: &[Item]) -> Vec<u8> {
    let title = xml_safe(&channel.title);
    let description = match &channel.description {
        Some(description) => xml_safe(description),
        None => title.clone(),
    };
    let feed = ::rss::Channel {
        title,
        link: xml_safe(&channel.site_url),
        description,
        language: xml_safe_opt(channel.language.as_deref()),
        last_build_date: Some(rfc822(&channel.updated)),
        generator: Some(GENERATOR.to_owned()),
        atom_ext: Some(AtomExtension {
            links: vec![Link {
                href: xml_safe(&channel.feed_url),
                rel: "self".to_owned(),
                mime_type: Some("application/rss+xml".to_owned()),
                ..Link::default()
            }],
        }),
        items: items.iter().map(item).collect(),
        ..::rss::Channel::default()
    };
    feed.write_to(Vec::new())
        .expect("writing XML to a Vec cannot fail")
}

/// One `item`.
fn item(item: &Item) -> ::rss::Item {
    let description = item.summary_html.as_ref().or(item.content_html.as_ref());
    ::rss::Item {
        title: Some(xml_safe(&item.title)),
        link: Some(xml_safe(&item.url)),
        description: description.map(|html| xml_safe(html)),
        categories: item
            .categories
            .iter()
            .map(|name| Category {
                name: xml_safe(name),
                domain: None,
            })
            .collect(),
        guid: Some(Guid {
            value: xml_safe(&item.id),
            permalink: item.id == item.url,
        }),
        pub_date: item.published.or(item.updated).as_ref().map(rfc822),
        content: xml_safe_opt(item.content_html.as_deref()),
        dublin_core_ext: (!item.authors.is_empty()).then(|| DublinCoreExtension {
            creators: item.authors.iter().map(|name| xml_safe(name)).collect(),
            ..DublinCoreExtension::default()
        }),
        ..::rss::Item::default()
    }
}

/// `date` in RFC 822's form (§5.1) with a four-digit year, as the RSS spec asks, and a
/// two-digit day, as Hugo writes it: `Fri, 01 Mar 2024 10:00:00 +0100`.
fn rfc822(date: &DateTime<FixedOffset>) -> String {
    date.format("%a, %d %b %Y %H:%M:%S %z").to_string()
}
