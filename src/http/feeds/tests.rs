//! Each format written, then read back with `feed-rs` (feeds) or `roxmltree` (XML as XML) and
//! `serde_json`, and compared with what went in.

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::Value;

use super::sitemap::SitemapError;
use super::{Channel, FeedFormat, Item, SitemapUrl, write_feed, write_sitemap, xml_safe};

fn date(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn utc(text: &str) -> DateTime<Utc> {
    date(text).with_timezone(&Utc)
}

fn channel(format: FeedFormat) -> Channel {
    Channel {
        title: "Quire & Co <blog>".to_owned(),
        description: Some("Notes on git".to_owned()),
        site_url: "https://example.com/".to_owned(),
        feed_url: format!("https://example.com/{}", format.file_name()),
        language: Some("en-us".to_owned()),
        updated: date("2024-03-02T09:00:00+01:00"),
    }
}

/// A post with every field, and one with only the required ones.
fn items() -> Vec<Item> {
    vec![
        Item {
            title: "Fish & <chips>".to_owned(),
            url: "https://example.com/posts/fish/?a=1&b=2".to_owned(),
            id: "https://example.com/posts/fish/?a=1&b=2".to_owned(),
            published: Some(date("2024-03-01T10:00:00+01:00")),
            updated: Some(date("2024-03-02T08:30:00+01:00")),
            authors: vec!["Ann Author".to_owned(), "Bo Writer".to_owned()],
            categories: vec!["Food & Drink".to_owned(), "rust".to_owned()],
            summary_html: Some("<p>Short &amp; sweet</p>".to_owned()),
            summary_text: Some("Short & sweet".to_owned()),
            content_html: Some("<p>Short &amp; sweet</p>\n<p>And more ]]> here.</p>".to_owned()),
        },
        Item {
            title: "Bare".to_owned(),
            url: "https://example.com/posts/bare/".to_owned(),
            id: "https://example.com/posts/bare/".to_owned(),
            published: Some(date("2024-01-15T00:00:00Z")),
            updated: None,
            authors: Vec::new(),
            categories: Vec::new(),
            summary_html: Some("<p>Bare summary</p>".to_owned()),
            summary_text: Some("Bare summary".to_owned()),
            content_html: None,
        },
    ]
}

fn parse(format: FeedFormat, items: &[Item]) -> (String, feed_rs::model::Feed) {
    let bytes = write_feed(format, &channel(format), items);
    let text = String::from_utf8(bytes).unwrap();
    let feed = feed_rs::parser::parse(text.as_bytes()).unwrap();
    (text, feed)
}

fn hrefs(links: &[feed_rs::model::Link]) -> Vec<(Option<&str>, &str)> {
    links
        .iter()
        .map(|link| (link.rel.as_deref(), link.href.as_str()))
        .collect()
}

fn names(people: &[feed_rs::model::Person]) -> Vec<&str> {
    people.iter().filter_map(|p| p.name.as_deref()).collect()
}

fn terms(categories: &[feed_rs::model::Category]) -> Vec<&str> {
    categories.iter().map(|c| c.term.as_str()).collect()
}

fn body(content: &Option<feed_rs::model::Content>) -> Option<&str> {
    content.as_ref().and_then(|c| c.body.as_deref())
}

fn text(text: &Option<feed_rs::model::Text>) -> Option<&str> {
    text.as_ref().map(|t| t.content.as_str())
}

#[test]
fn rss_reads_back_with_every_field() {
    let (xml, feed) = parse(FeedFormat::Rss, &items());
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::RSS2);
    assert_eq!(text(&feed.title), Some("Quire & Co <blog>"));
    assert_eq!(text(&feed.description), Some("Notes on git"));
    assert_eq!(feed.language.as_deref(), Some("en-us"));
    assert_eq!(feed.updated, Some(utc("2024-03-02T09:00:00+01:00")));
    assert!(hrefs(&feed.links).contains(&(None, "https://example.com/")));
    // feed-rs drops the RSS channel's atom:link; check it as XML.
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let self_link = doc
        .descendants()
        .find(|n| n.has_tag_name(("http://www.w3.org/2005/Atom", "link")))
        .unwrap();
    assert_eq!(self_link.attribute("rel"), Some("self"));
    assert_eq!(
        self_link.attribute("href"),
        Some("https://example.com/feed.xml")
    );
    assert_eq!(self_link.attribute("type"), Some("application/rss+xml"));

    let [full, bare] = &feed.entries[..] else {
        panic!("two entries: {:?}", feed.entries)
    };
    assert_eq!(text(&full.title), Some("Fish & <chips>"));
    assert_eq!(full.id, "https://example.com/posts/fish/?a=1&b=2");
    assert_eq!(
        hrefs(&full.links),
        [(None, "https://example.com/posts/fish/?a=1&b=2")]
    );
    assert_eq!(full.published, Some(utc("2024-03-01T10:00:00+01:00")));
    assert_eq!(names(&full.authors), ["Ann Author", "Bo Writer"]);
    assert_eq!(terms(&full.categories), ["Food & Drink", "rust"]);
    assert_eq!(text(&full.summary), Some("<p>Short &amp; sweet</p>"));
    assert_eq!(
        body(&full.content),
        Some("<p>Short &amp; sweet</p>\n<p>And more ]]> here.</p>")
    );
    assert_eq!(text(&bare.summary), Some("<p>Bare summary</p>"));
    assert_eq!(body(&bare.content), None);
    assert!(bare.authors.is_empty());

    assert!(
        xml.contains("<lastBuildDate>Sat, 02 Mar 2024 09:00:00 +0100</lastBuildDate>"),
        "{xml}"
    );
    // RFC 822 dates, a guid that is a permalink (the default, so no attribute), dc:creator.
    assert!(
        xml.contains("<pubDate>Fri, 01 Mar 2024 10:00:00 +0100</pubDate>"),
        "{xml}"
    );
    assert!(
        xml.contains("<guid>https://example.com/posts/bare/</guid>"),
        "{xml}"
    );
    assert!(xml.contains("<dc:creator>Ann Author</dc:creator>"), "{xml}");
    assert!(!xml.contains("<author>"), "{xml}");
}

#[test]
fn rss_marks_a_guid_that_is_not_the_url() {
    let mut items = items();
    items[1].id = "tag:example.com,2024:bare".to_owned();
    let (xml, feed) = parse(FeedFormat::Rss, &items);
    assert!(
        xml.contains(r#"<guid isPermaLink="false">tag:example.com,2024:bare</guid>"#),
        "{xml}"
    );
    assert_eq!(feed.entries[1].id, "tag:example.com,2024:bare");
}

#[test]
fn rss_uses_the_title_without_a_description_and_content_without_a_summary() {
    let mut channel = channel(FeedFormat::Rss);
    channel.description = None;
    let mut items = items();
    items[0].summary_html = None;
    let bytes = write_feed(FeedFormat::Rss, &channel, &items);
    let feed = feed_rs::parser::parse(&bytes[..]).unwrap();
    assert_eq!(text(&feed.description), Some("Quire & Co <blog>"));
    assert_eq!(
        text(&feed.entries[0].summary),
        items[0].content_html.as_deref()
    );
}

#[test]
fn atom_reads_back_with_every_field() {
    let (xml, feed) = parse(FeedFormat::Atom, &items());
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(feed.id, "https://example.com/atom.xml");
    assert_eq!(text(&feed.title), Some("Quire & Co <blog>"));
    assert_eq!(text(&feed.description), Some("Notes on git"));
    assert_eq!(feed.updated, Some(utc("2024-03-02T09:00:00+01:00")));
    assert_eq!(
        hrefs(&feed.links),
        [
            (Some("self"), "https://example.com/atom.xml"),
            (Some("alternate"), "https://example.com/")
        ]
    );
    // One post has no author, so the feed has one for it to inherit.
    assert_eq!(names(&feed.authors), ["Quire & Co <blog>"]);
    assert!(xml.contains(r#"xml:lang="en-us""#), "{xml}");

    let [full, bare] = &feed.entries[..] else {
        panic!("two entries: {:?}", feed.entries)
    };
    assert_eq!(full.id, "https://example.com/posts/fish/?a=1&b=2");
    assert_eq!(text(&full.title), Some("Fish & <chips>"));
    assert_eq!(
        hrefs(&full.links),
        [(Some("alternate"), "https://example.com/posts/fish/?a=1&b=2")]
    );
    assert_eq!(full.published, Some(utc("2024-03-01T10:00:00+01:00")));
    assert_eq!(full.updated, Some(utc("2024-03-02T08:30:00+01:00")));
    assert_eq!(names(&full.authors), ["Ann Author", "Bo Writer"]);
    assert_eq!(terms(&full.categories), ["Food & Drink", "rust"]);
    let summary = full.summary.as_ref().unwrap();
    assert_eq!(summary.content, "<p>Short &amp; sweet</p>");
    assert_eq!(summary.content_type.as_str(), "text/html");
    let content = full.content.as_ref().unwrap();
    assert_eq!(content.body.as_deref(), items()[0].content_html.as_deref());
    assert_eq!(content.content_type.as_str(), "text/html");

    // No `updated`: the published date stands in; no content: none is written.
    assert_eq!(bare.updated, Some(utc("2024-01-15T00:00:00Z")));
    assert_eq!(body(&bare.content), None);
    assert!(bare.authors.is_empty());
}

#[test]
fn atom_has_no_feed_author_when_every_entry_has_one_and_falls_back_to_the_channel_date() {
    let mut items = items();
    items[1].authors = vec!["Cy".to_owned()];
    items[1].published = None;
    let (_, feed) = parse(FeedFormat::Atom, &items);
    assert!(feed.authors.is_empty());
    assert_eq!(
        feed.entries[1].updated,
        Some(utc("2024-03-02T09:00:00+01:00"))
    );
}

#[test]
fn json_feed_reads_back_and_has_the_keys_the_spec_requires() {
    let (json, feed) = parse(FeedFormat::Json, &items());
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::JSON);
    assert_eq!(text(&feed.title), Some("Quire & Co <blog>"));
    let [full, bare] = &feed.entries[..] else {
        panic!("two entries: {:?}", feed.entries)
    };
    assert_eq!(full.id, "https://example.com/posts/fish/?a=1&b=2");
    assert_eq!(text(&full.title), Some("Fish & <chips>"));
    assert_eq!(full.published, Some(utc("2024-03-01T10:00:00+01:00")));
    assert_eq!(full.updated, Some(utc("2024-03-02T08:30:00+01:00")));
    assert_eq!(terms(&full.categories), ["Food & Drink", "rust"]);
    assert_eq!(body(&full.content), items()[0].content_html.as_deref());
    assert_eq!(text(&full.summary), Some("Short & sweet"));
    assert_eq!(body(&bare.content), Some("<p>Bare summary</p>"));

    let value: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(value["title"], "Quire & Co <blog>");
    assert_eq!(value["home_page_url"], "https://example.com/");
    assert_eq!(value["feed_url"], "https://example.com/feed.json");
    assert_eq!(value["language"], "en-us");
    let items = value["items"].as_array().unwrap();
    for item in items {
        assert!(item["id"].is_string(), "{item}");
        assert!(
            item["content_html"].is_string() || item["content_text"].is_string(),
            "{item}"
        );
        assert!(item.get("author").is_none(), "1.0's author is deprecated");
    }
    assert_eq!(items[0]["date_published"], "2024-03-01T10:00:00+01:00");
    assert_eq!(items[0]["date_modified"], "2024-03-02T08:30:00+01:00");
    assert_eq!(
        items[0]["authors"],
        serde_json::json!([{"name": "Ann Author"}, {"name": "Bo Writer"}])
    );
    assert_eq!(items[1]["date_published"], "2024-01-15T00:00:00Z");
    assert_eq!(items[1]["summary"], "Bare summary");
    assert!(items[1].get("authors").is_none());
    assert!(items[1].get("date_modified").is_none());
}

#[test]
fn json_feed_writes_empty_content_when_there_is_neither_summary_nor_content() {
    let mut items = items();
    items[1].summary_html = None;
    items[1].summary_text = None;
    let bytes = write_feed(FeedFormat::Json, &channel(FeedFormat::Json), &items);
    let value: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(value["items"][1]["content_html"], "");
    assert!(value["items"][1].get("summary").is_none());
}

#[test]
fn an_empty_feed_is_still_a_valid_feed() {
    for format in FeedFormat::ALL {
        let (text, feed) = parse(format, &[]);
        assert!(feed.entries.is_empty(), "{format:?}");
        assert_eq!(
            feed.title.as_ref().map(|t| t.content.as_str()),
            Some("Quire & Co <blog>")
        );
        match format {
            FeedFormat::Json => {
                let value: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(value["items"], serde_json::json!([]));
            }
            FeedFormat::Atom => {
                roxmltree::Document::parse(&text).unwrap();
                assert_eq!(names(&feed.authors), ["Quire & Co <blog>"]);
            }
            FeedFormat::Rss => {
                roxmltree::Document::parse(&text).unwrap();
            }
        }
    }
}

#[test]
fn xml_characters_are_escaped_and_control_characters_dropped() {
    let mut channel = channel(FeedFormat::Rss);
    channel.title = "Bell\u{7} & <b>\u{FFFF}".to_owned();
    let mut items = items();
    items[0].title = "Tab\tand\u{0}nul\u{1B}esc\u{B}".to_owned();
    items[0].content_html = Some("<p>form\u{C}feed</p>".to_owned());
    for format in FeedFormat::ALL {
        channel.feed_url = format!("https://example.com/{}", format.file_name());
        let bytes = write_feed(format, &channel, &items);
        let text = String::from_utf8(bytes).unwrap();
        for bad in ['\u{0}', '\u{7}', '\u{B}', '\u{C}', '\u{1B}', '\u{FFFF}'] {
            assert!(!text.contains(bad), "{format:?}: {bad:?} in {text}");
        }
        if format != FeedFormat::Json {
            // roxmltree rejects characters XML 1.0 forbids.
            let doc = roxmltree::Document::parse(&text).unwrap();
            let titles: Vec<&str> = doc
                .descendants()
                .filter(|n| n.has_tag_name("title"))
                .filter_map(|n| n.text())
                .collect();
            assert!(titles.contains(&"Bell & <b>"), "{format:?}: {titles:?}");
            assert!(titles.contains(&"Tab\tandnulesc"), "{format:?}: {titles:?}");
        }
        let feed = feed_rs::parser::parse(text.as_bytes()).unwrap();
        assert_eq!(body(&feed.entries[0].content), Some("<p>formfeed</p>"));
    }
}

#[test]
fn xml_safe_keeps_what_xml_allows() {
    assert_eq!(
        xml_safe("a\tb\nc\rd é 😀 \u{FFFD}"),
        "a\tb\nc\rd é 😀 \u{FFFD}"
    );
    assert_eq!(xml_safe("\u{0}\u{8}x\u{B}\u{C}\u{1F}\u{FFFE}\u{FFFF}"), "x");
}

#[test]
fn formats_have_their_file_names_and_content_types() {
    for format in FeedFormat::ALL {
        assert_eq!(FeedFormat::from_file_name(format.file_name()), Some(format));
    }
    assert_eq!(FeedFormat::from_file_name("index.xml"), None);
    assert_eq!(
        FeedFormat::Rss.content_type(),
        "application/rss+xml; charset=utf-8"
    );
    assert_eq!(
        FeedFormat::Atom.content_type(),
        "application/atom+xml; charset=utf-8"
    );
    assert_eq!(FeedFormat::Json.content_type(), "application/feed+json");
}

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

#[test]
fn sitemap_lists_escaped_urls_with_w3c_dates() {
    let urls = [
        SitemapUrl {
            loc: "https://example.com/posts/a?x=1&y=<2>".to_owned(),
            lastmod: Some(date("2024-03-01T10:00:00.750+01:00")),
        },
        SitemapUrl {
            loc: "https://example.com/\u{1}posts/b/".to_owned(),
            lastmod: None,
        },
        SitemapUrl {
            loc: "https://example.com/posts/c/".to_owned(),
            lastmod: Some(date("2024-01-15T00:00:00Z")),
        },
    ];
    let xml = String::from_utf8(write_sitemap(&urls).unwrap()).unwrap();
    assert!(
        xml.contains("<loc>https://example.com/posts/a?x=1&amp;y=&lt;2&gt;</loc>"),
        "{xml}"
    );
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert!(root.has_tag_name((SITEMAP_NS, "urlset")));
    let rows: Vec<(&str, Option<&str>)> = root
        .children()
        .filter(|n| n.has_tag_name((SITEMAP_NS, "url")))
        .map(|url| {
            let child = |name: &str| {
                url.children()
                    .find(|n| n.has_tag_name((SITEMAP_NS, name)))
                    .and_then(|n| n.text())
            };
            (child("loc").unwrap(), child("lastmod"))
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "https://example.com/posts/a?x=1&y=<2>",
                Some("2024-03-01T10:00:00+01:00")
            ),
            ("https://example.com/posts/b/", None),
            (
                "https://example.com/posts/c/",
                Some("2024-01-15T00:00:00+00:00")
            ),
        ]
    );
}

#[test]
fn an_empty_sitemap_is_well_formed() {
    let xml = String::from_utf8(write_sitemap(&[]).unwrap()).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert!(doc.root_element().has_tag_name((SITEMAP_NS, "urlset")));
    assert_eq!(doc.root_element().children().count(), 0);
}

#[test]
fn sitemap_refuses_what_the_protocol_forbids() {
    let url = |loc: String| SitemapUrl { loc, lastmod: None };
    let many: Vec<SitemapUrl> = (0..=50_000)
        .map(|i| url(format!("https://example.com/{i}")))
        .collect();
    assert!(write_sitemap(&many[..50_000]).is_ok());
    let error = write_sitemap(&many).unwrap_err();
    assert!(matches!(error, SitemapError::TooManyUrls { count: 50_001 }));
    assert!(error.to_string().contains("sitemap index"), "{error}");

    let long = format!("https://example.com/{}", "a".repeat(2_048));
    let error = write_sitemap(&[url(long)]).unwrap_err();
    assert!(
        matches!(error, SitemapError::LocationTooLong { len: 2_068, .. }),
        "{error}"
    );
    let fits = format!("https://example.com/{}", "a".repeat(2_047 - 20));
    assert!(write_sitemap(&[url(fits)]).is_ok());
}

/// Writes a sample of every format to `$QUIRE_FEED_SAMPLES` (a directory), and an empty feed of
/// each to its `empty/`, for `scripts/validate-sitemap.sh` and external feed validators:
/// `QUIRE_FEED_SAMPLES=/tmp/x cargo test --lib http::feeds::tests::write_samples -- --ignored`.
#[test]
#[ignore = "writes files for an external validator"]
fn write_samples() {
    let dir = std::path::PathBuf::from(
        std::env::var_os("QUIRE_FEED_SAMPLES").expect("set QUIRE_FEED_SAMPLES to a directory"),
    );
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    for format in FeedFormat::ALL {
        let bytes = write_feed(format, &channel(format), &items());
        std::fs::write(dir.join(format.file_name()), bytes).unwrap();
        let bytes = write_feed(format, &channel(format), &[]);
        std::fs::write(empty.join(format.file_name()), bytes).unwrap();
    }
    let urls: Vec<SitemapUrl> = items()
        .into_iter()
        .map(|item| SitemapUrl {
            loc: item.url,
            lastmod: item.updated.or(item.published),
        })
        .collect();
    std::fs::write(dir.join("sitemap.xml"), write_sitemap(&urls).unwrap()).unwrap();
}
