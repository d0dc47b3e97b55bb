//! The feeds (`/feed.xml`, `/atom.xml`, `/feed.json`, and per category and keyword) and
//! `/sitemap.xml` over HTTP, each parsed back: feeds with `feed-rs`, the sitemap with
//! `roxmltree`.

use std::path::Path;

use feed_rs::model::{Entry, Feed};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use serde_json::Value;

use super::common::{TestRepo, TestServer, post, skip};
use super::{repo, serve_with};

/// The public URL the feeds link under.
const BASE: &str = "https://blog.example.com/";

/// Three dated posts (One has a summary before `<!--more-->` and a bold word after it),
/// an undated page in a `docs` section.
fn blog_repo() -> TestRepo {
    repo(&[
        (
            "content/posts/one.md",
            &post(
                "title: One\ndate: 2024-01-01T09:00:00+01:00\ncategories: [News]\nauthor: Alice",
                "Intro paragraph.\n\n<!--more-->\n\nThe rest is **secret**.\n",
            ),
        ),
        (
            "content/posts/two.md",
            &post(
                "title: Two\ndate: 2024-02-01T10:00:00Z\ncategories: [Misc]\nkeywords: [rust]\nauthor: Bob",
                "Second post.\n",
            ),
        ),
        (
            "content/posts/three.md",
            &post(
                "title: Three\ndate: 2024-03-01T10:00:00Z\nlastmod: 2024-03-05T10:00:00Z\n\
                 categories: [News]\nauthor: Alice",
                "Third post.\n",
            ),
        ),
        ("content/docs/_index.md", &post("title: Docs", "")),
        ("content/docs/guide.md", &post("title: Guide", "A guide.\n")),
    ])
}

/// Serves [`blog_repo`] under the public URL [`BASE`], after `change`.
async fn blog_with(change: impl FnOnce(&mut quire::Config)) -> TestServer {
    let repo = blog_repo();
    let mut config = repo.config("content");
    config.public_url = Some(BASE.parse().unwrap());
    change(&mut config);
    TestServer::serving_with(repo, config).await
}

async fn blog() -> TestServer {
    blog_with(|_| {}).await
}

/// `GET path`, which must answer 200 with `content_type`; the body parsed as a feed.
async fn feed(server: &TestServer, path: &str, content_type: &str) -> Feed {
    let response = server.client().get(server.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(response.headers()[CONTENT_TYPE], content_type, "{path}");
    let body = response.bytes().await.unwrap();
    feed_rs::parser::parse(&body[..]).unwrap_or_else(|e| {
        panic!(
            "{path} is not a feed ({e}): {}",
            String::from_utf8_lossy(&body)
        )
    })
}

/// The title of an entry.
fn title(entry: &Entry) -> &str {
    &entry.title.as_ref().expect("a title").content
}

fn titles(feed: &Feed) -> Vec<&str> {
    feed.entries.iter().map(title).collect()
}

/// The entry titled `name`.
fn entry<'a>(feed: &'a Feed, name: &str) -> &'a Entry {
    feed.entries
        .iter()
        .find(|e| title(e) == name)
        .unwrap_or_else(|| panic!("no entry {name}: {:?}", titles(feed)))
}

/// The feeds' paths and content types.
const FEEDS: [(&str, &str); 3] = [
    ("/feed.xml", "application/rss+xml; charset=utf-8"),
    ("/atom.xml", "application/atom+xml; charset=utf-8"),
    ("/feed.json", "application/feed+json"),
];

/// What every format must say of the blog: newest first, absolute links under the public
/// URL, dates and authors.
fn check(path: &str, feed: &Feed) {
    assert_eq!(titles(feed), ["Three", "Two", "One", "Guide"], "{path}");
    let one = entry(feed, "One");
    assert_eq!(
        one.links.first().map(|l| l.href.as_str()),
        Some("https://blog.example.com/posts/one/"),
        "{path}"
    );
    assert_eq!(
        one.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2024-01-01T08:00:00+00:00"),
        "{path}: the date, at its instant"
    );
    let authors: Vec<_> = one
        .authors
        .iter()
        .map(|a| a.name.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(authors, ["Alice"], "{path}");
    assert_eq!(
        entry(feed, "Two").links.first().map(|l| l.href.as_str()),
        Some("https://blog.example.com/posts/two/"),
        "{path}"
    );
    for entry in &feed.entries {
        let href = &entry.links.first().expect("a link").href;
        assert!(href.starts_with(BASE), "{path}: {href} is absolute");
    }
}

/// RSS 2.0 at `/feed.xml`.
#[tokio::test]
async fn rss_feed_parses_back_with_links_dates_and_authors() {
    let server = blog().await;
    let (path, content_type) = FEEDS[0];
    let parsed = feed(&server, path, content_type).await;
    check(path, &parsed);
}

/// Atom at `/atom.xml`; an entry's `updated` is its `lastmod`.
#[tokio::test]
async fn atom_feed_parses_back_with_links_dates_and_authors() {
    let server = blog().await;
    let (path, content_type) = FEEDS[1];
    let parsed = feed(&server, path, content_type).await;
    check(path, &parsed);
    assert_eq!(
        entry(&parsed, "Three")
            .updated
            .map(|d| d.to_rfc3339())
            .as_deref(),
        Some("2024-03-05T10:00:00+00:00")
    );
}

/// JSON Feed 1.1 at `/feed.json`.
#[tokio::test]
async fn json_feed_parses_back_with_links_dates_and_authors() {
    let server = blog().await;
    let (path, content_type) = FEEDS[2];
    let parsed = feed(&server, path, content_type).await;
    check(path, &parsed);
}

/// `feed_size` caps every feed at the newest posts.
#[tokio::test]
async fn feed_size_caps_the_items() {
    let server = blog_with(|c| c.listing.feed_size = 2).await;
    for (path, content_type) in FEEDS {
        let parsed = feed(&server, path, content_type).await;
        assert_eq!(titles(&parsed), ["Three", "Two"], "{path}");
    }
}

/// The whole HTML of an entry: its content, or else its summary.
fn html(entry: &Entry) -> String {
    entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
        .unwrap_or_default()
}

/// By default an item has the summary (up to `<!--more-->`); `feed_content: Full` gives the
/// whole post's HTML.
#[tokio::test]
async fn summary_by_default_and_the_whole_html_with_full_content() {
    let summary = blog().await;
    let full = blog_with(|c| c.listing.feed_content = quire::FeedContent::Full).await;
    for (path, content_type) in FEEDS {
        let short = feed(&summary, path, content_type).await;
        let short = html(entry(&short, "One"));
        assert!(short.contains("Intro paragraph."), "{path}: {short}");
        assert!(
            !short.contains("secret"),
            "{path}: only the summary: {short}"
        );

        let long = feed(&full, path, content_type).await;
        let one = entry(&long, "One");
        let body = one
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .unwrap_or_default();
        assert!(
            body.contains("<strong>secret</strong>"),
            "{path}: the whole HTML: {one:?}"
        );
        assert!(body.contains("Intro paragraph."), "{path}: {body}");
    }
}

/// A category's feed holds that category's posts only, matched in any case; so does a
/// keyword's.
#[tokio::test]
async fn a_category_feed_holds_only_that_category() {
    let server = blog().await;
    for file in ["feed.xml", "atom.xml", "feed.json"] {
        let path = format!("/categories/news/{file}");
        let content_type = FEEDS.iter().find(|(p, _)| p.ends_with(file)).unwrap().1;
        assert_eq!(
            titles(&feed(&server, &path, content_type).await),
            ["Three", "One"],
            "{path}"
        );
    }
    let path = "/categories/Misc/atom.xml";
    assert_eq!(titles(&feed(&server, path, FEEDS[1].1).await), ["Two"]);
    let path = "/keywords/rust/feed.json";
    assert_eq!(titles(&feed(&server, path, FEEDS[2].1).await), ["Two"]);
}

/// `GET path`, which must answer 404 with a JSON body; its message.
async fn not_found(server: &TestServer, path: &str) -> String {
    let response = server.client().get(server.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "application/json",
        "{path}"
    );
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(body["code"], "NOT_FOUND", "{path}: {body}");
    body["error"].as_str().expect("a message").to_owned()
}

/// A term no post has, and a feed file that does not exist, answer 404 in JSON saying so.
#[tokio::test]
async fn an_unknown_term_or_feed_answers_404_json() {
    let server = blog().await;
    let message = not_found(&server, "/categories/nothing/feed.xml").await;
    assert!(
        message.contains("/categories/nothing/feed.xml"),
        "{message}"
    );
    let message = not_found(&server, "/keywords/nothing/atom.xml").await;
    assert!(message.contains("categories"), "{message}");
    let message = not_found(&server, "/categories/news/feed.txt").await;
    assert!(
        message.contains("feed.txt") && message.contains("atom.xml"),
        "{message}"
    );
}

/// Without a public URL there are no absolute links: the feeds and the sitemap answer 404
/// naming `--public-url`.
#[tokio::test]
async fn without_a_public_url_feeds_answer_404_naming_the_flag() {
    let server = TestServer::serving(blog_repo(), "content").await;
    for path in [
        "/feed.xml",
        "/atom.xml",
        "/feed.json",
        "/categories/news/feed.xml",
        "/sitemap.xml",
    ] {
        let message = not_found(&server, path).await;
        assert!(message.contains("--public-url"), "{path}: {message}");
    }
}

/// The Hugo configuration's `baseURL` stands in for `--public-url`.
#[tokio::test]
async fn the_hugo_base_url_stands_in_for_the_public_url() {
    let repo = repo(&[
        (
            "hugo.toml",
            "baseURL = \"https://hugo.example.org/\"\ntitle = \"My Blog\"\n",
        ),
        (
            "content/posts/one.md",
            &post("title: One\ndate: 2024-01-01", ""),
        ),
    ]);
    let server = serve_with(repo, |_| {}).await;
    let parsed = feed(&server, "/atom.xml", FEEDS[1].1).await;
    assert_eq!(
        parsed.entries[0].links[0].href,
        "https://hugo.example.org/posts/one/"
    );
    assert_eq!(parsed.title.map(|t| t.content).as_deref(), Some("My Blog"));
}

/// `sitemap.xml` lists every post and section by absolute URL, with a `lastmod` for each
/// dated post.
#[tokio::test]
async fn the_sitemap_lists_every_post_and_section() {
    let server = blog().await;
    let response = server
        .client()
        .get(server.url("/sitemap.xml"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "application/xml; charset=utf-8"
    );
    let text = response.text().await.unwrap();
    let document = roxmltree::Document::parse(&text).expect("XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .map(str::to_owned)
    };
    let urls: Vec<(String, Option<String>)> = root
        .children()
        .filter(|n| n.tag_name().name() == "url")
        .map(|n| (child(n, "loc").expect("a loc"), child(n, "lastmod")))
        .collect();
    let locs: Vec<&str> = urls.iter().map(|(l, _)| l.as_str()).collect();
    for wanted in [
        "https://blog.example.com/",
        "https://blog.example.com/posts/",
        "https://blog.example.com/docs/",
        "https://blog.example.com/posts/one/",
        "https://blog.example.com/posts/two/",
        "https://blog.example.com/posts/three/",
        "https://blog.example.com/docs/guide/",
    ] {
        assert!(locs.contains(&wanted), "{wanted} in {locs:?}");
    }
    let lastmod = |loc: &str| {
        urls.iter()
            .find(|(l, _)| l == loc)
            .and_then(|(_, m)| m.clone())
            .unwrap_or_else(|| panic!("a lastmod for {loc}: {text}"))
    };
    assert!(
        lastmod("https://blog.example.com/posts/three/").starts_with("2024-03-05"),
        "{text}"
    );
    assert!(
        lastmod("https://blog.example.com/posts/two/").starts_with("2024-02-01"),
        "{text}"
    );
    assert!(
        lastmod("https://blog.example.com/posts/one/").starts_with("2024-01-01"),
        "{text}"
    );
}

/// A feed or sitemap answered with an `ETag` answers 304 to a request with it in
/// `If-None-Match`; another document has another tag.
#[tokio::test]
async fn an_etag_answers_304_to_if_none_match() {
    let server = blog().await;
    let mut tags = Vec::new();
    for path in [
        "/feed.xml",
        "/atom.xml",
        "/feed.json",
        "/categories/news/feed.xml",
        "/sitemap.xml",
    ] {
        let first = server.client().get(server.url(path)).send().await.unwrap();
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        let etag = first.headers()[ETAG].to_str().unwrap().to_owned();
        let again = server
            .client()
            .get(server.url(path))
            .header(IF_NONE_MATCH, &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(again.headers()[ETAG], etag.as_str(), "{path}");
        assert!(again.bytes().await.unwrap().is_empty(), "{path}");
        tags.push(etag);
    }
    let mut distinct = tags.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), tags.len(), "one tag per document: {tags:?}");
}

/// The sitemap passes a real validator: `sitemap-verify` (PyPI, installed by
/// `scripts/setup-tests.sh`), through `scripts/validate-sitemap.sh`: the sitemaps.org schema,
/// W3C dates, URLs and limits, with no error and no warning.
#[tokio::test]
async fn the_sitemap_passes_sitemap_verify() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tools = root.join("target/tools/sitemap-verify/bin");
    if !tools.join("sitemap-verify").exists() {
        skip(
            "the_sitemap_passes_sitemap_verify",
            "run scripts/setup-tests.sh to install sitemap-verify",
        );
        return;
    }
    let server = blog().await;
    let sitemap = server.text("/sitemap.xml").await;
    // The validator writes its reports in the folder it runs in.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sitemap.xml");
    std::fs::write(&file, &sitemap).unwrap();
    let path = format!(
        "{}:{}",
        tools.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(root.join("scripts/validate-sitemap.sh"))
            .arg(&file)
            .current_dir(file.parent().unwrap())
            .env("PATH", path)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("errors: 0"), "{report}");
}
