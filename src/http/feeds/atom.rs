//! Atom with the `atom_syndication` crate, following RFC 4287
//! (<https://www.rfc-editor.org/rfc/rfc4287>):
//!
//! - `atom:feed` has the required `id` (the feed's own URL), `title` and `updated` (§4.1.1),
//!   `link rel="self"` (§4.1.1 says it SHOULD) and `rel="alternate"` to the site, `subtitle`
//!   from the description and `xml:lang`.
//! - `atom:author` is required on the feed unless every entry has one (§4.1.1); when some post
//!   has no author (or there are no posts), the feed's title stands as the feed's author, and
//!   entries without one inherit it (§4.2.1).
//! - each `atom:entry` has the required `id`, `title` and `updated` (§4.1.2; `updated` falls
//!   back to `published`, then to the channel's date), `published`, a `link rel="alternate"`
//!   (required when there is no `content`), its authors, one `category term` a name, `summary
//!   type="html"` and `content type="html"` (§4.1.3, §4.1.4.1: "html" content is escaped HTML).

use atom_syndication::{
    Category, Content, Entry, Feed, Generator, Link, Person, Text, WriteConfig,
};

use super::{Channel, Item, xml_safe, xml_safe_opt};

/// The Atom document for `channel` and `items`.
pub(super) fn write(channel: &Channel, items: &[Item]) -> Vec<u8> {
    let needs_feed_author = items.is_empty() || items.iter().any(|item| item.authors.is_empty());
    let feed = Feed {
        title: Text::plain(xml_safe(&channel.title)),
        id: xml_safe(&channel.feed_url),
        updated: channel.updated,
        authors: if needs_feed_author {
            vec![person(&channel.title)]
        } else {
            Vec::new()
        },
        generator: Some(Generator {
            value: "Quire".to_owned(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
        links: vec![
            link(&channel.feed_url, "self", "application/atom+xml"),
            link(&channel.site_url, "alternate", "text/html"),
        ],
        subtitle: channel
            .description
            .as_deref()
            .map(|description| Text::plain(xml_safe(description))),
        entries: items.iter().map(|item| entry(item, channel)).collect(),
        lang: xml_safe_opt(channel.language.as_deref()),
        ..Feed::default()
    };
    let config = WriteConfig {
        write_document_declaration: true,
        indent_size: None,
    };
    feed.write_with_config(Vec::new(), config)
        .expect("writing XML to a Vec cannot fail")
}

/// One `atom:entry`.
fn entry(item: &Item, channel: &Channel) -> Entry {
    Entry {
        title: Text::plain(xml_safe(&item.title)),
        id: xml_safe(&item.id),
        updated: item.updated_or(channel.updated),
        authors: item.authors.iter().map(|name| person(name)).collect(),
        categories: item
            .categories
            .iter()
            .map(|name| Category {
                term: xml_safe(name),
                scheme: None,
                label: None,
            })
            .collect(),
        links: vec![link(&item.url, "alternate", "text/html")],
        published: item.published,
        summary: item
            .summary_html
            .as_deref()
            .map(|html| Text::html(xml_safe(html))),
        content: item.content_html.as_deref().map(|html| Content {
            value: Some(xml_safe(html)),
            content_type: Some("html".to_owned()),
            ..Content::default()
        }),
        ..Entry::default()
    }
}

/// An `atom:link`.
fn link(href: &str, rel: &str, mime_type: &str) -> Link {
    Link {
        href: xml_safe(href),
        rel: rel.to_owned(),
        mime_type: Some(mime_type.to_owned()),
        ..Link::default()
    }
}

/// An `atom:author` with only a name (`atom:name` is the one required child, §3.2.1).
fn person(name: &str) -> Person {
    Person {
        name: xml_safe(name),
        ..Person::default()
    }
}
