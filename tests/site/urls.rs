//! A post's URL by default, with `slug`, with `url`, as a bundle, with a unicode slug, and with
//! ugly URLs. Hugo 0.111.3 published the same files at the URLs expected here (a site with no
//! `permalinks`; `uglyURLs = true` for the last ones).

use serde_json::json;

use super::common::post;
use super::{post_at, repo, serve, serve_with, url_of};

#[tokio::test]
async fn a_post_without_slug_or_title_is_published_under_its_file_name() {
    let server = serve(&[(
        "content/posts/untitled-note.md",
        &post("date: 2020-01-01", "Text."),
    )])
    .await;
    let p = post_at(
        &server,
        "content/posts/untitled-note.md",
        "url section slug",
    )
    .await;
    assert_eq!(
        p,
        json!({ "url": "/posts/untitled-note/", "section": "posts", "slug": "untitled-note" })
    );
}

#[tokio::test]
async fn a_slug_replaces_the_file_name() {
    let server = serve(&[(
        "content/posts/slugged.md",
        &post("title: Slugged\nslug: custom-slug", "Text."),
    )])
    .await;
    assert_eq!(
        url_of(&server, "content/posts/slugged.md").await,
        "/posts/custom-slug/"
    );
}

#[tokio::test]
async fn a_title_alone_does_not_change_the_url() {
    // The slug is the title urlized, but Hugo's default URL takes the file name.
    let server = serve(&[(
        "content/posts/2017-notes.md",
        &post("title: Week Notes", "Text."),
    )])
    .await;
    let p = post_at(&server, "content/posts/2017-notes.md", "url slug").await;
    assert_eq!(
        p,
        json!({ "url": "/posts/2017-notes/", "slug": "week-notes" })
    );
}

#[tokio::test]
async fn front_matter_url_is_the_url_with_a_trailing_slash_added() {
    let server = serve(&[
        (
            "content/posts/fixed.md",
            &post("title: Fixed\nurl: /custom/path/", ""),
        ),
        (
            "content/posts/about.md",
            &post("title: About\nurl: /about", ""),
        ),
    ])
    .await;
    assert_eq!(
        url_of(&server, "content/posts/fixed.md").await,
        "/custom/path/"
    );
    assert_eq!(url_of(&server, "content/posts/about.md").await, "/about/");
}

#[tokio::test]
async fn a_bundle_is_published_under_its_folder_name() {
    let server = serve(&[
        ("content/posts/trip/index.md", &post("title: The Trip", "")),
        ("content/posts/trip/photo.png", "not really a png"),
    ])
    .await;
    let p = post_at(&server, "content/posts/trip/index.md", "url section slug").await;
    assert_eq!(
        p,
        json!({ "url": "/posts/trip/", "section": "posts", "slug": "the-trip" })
    );
}

#[tokio::test]
async fn a_unicode_slug_is_percent_encoded_in_the_url() {
    let server = serve(&[(
        "content/posts/cafe.md",
        &post("title: Café\nslug: café-olé", ""),
    )])
    .await;
    assert_eq!(
        url_of(&server, "content/posts/cafe.md").await,
        "/posts/caf%C3%A9-ol%C3%A9/"
    );
}

#[tokio::test]
async fn a_post_at_the_top_has_no_section() {
    let server = serve(&[("content/about.md", &post("title: About", ""))]).await;
    let p = post_at(
        &server,
        "content/about.md",
        "url section parent { path url }",
    )
    .await;
    assert_eq!(
        p,
        json!({ "url": "/about/", "section": "", "parent": { "path": "", "url": "/" } })
    );
}

/// Files for the ugly URL tests: a post, a bundle, a section and a post with `url`.
const UGLY_FILES: [(&str, &str); 4] = [
    ("content/posts/hello.md", "---\ntitle: Hello\n---\n"),
    ("content/posts/trip/index.md", "---\ntitle: Trip\n---\n"),
    ("content/docs/_index.md", "---\ntitle: Docs\n---\n"),
    (
        "content/posts/fixed.md",
        "---\ntitle: Fixed\nurl: /custom/path/\n---\n",
    ),
];

/// `(path, url)` of the ugly URL files, as Hugo publishes them with `uglyURLs = true`.
const UGLY_URLS: [(&str, &str); 3] = [
    ("content/posts/hello.md", "/posts/hello.html"),
    ("content/posts/trip/index.md", "/posts/trip.html"),
    ("content/posts/fixed.md", "/custom/path/"),
];

#[tokio::test]
async fn ugly_urls_from_the_hugo_configuration() {
    let mut files = UGLY_FILES.to_vec();
    files.push(("hugo.toml", "uglyURLs = true\n"));
    let server = serve(&files).await;
    for (path, url) in UGLY_URLS {
        assert_eq!(url_of(&server, path).await, url, "{path}");
    }
    let data = server.data("{ section(path: \"docs\") { url } }").await;
    assert_eq!(data["section"]["url"], "/docs.html");
}

#[tokio::test]
async fn ugly_urls_from_the_flag() {
    let server = serve_with(repo(&UGLY_FILES), |config| {
        config.root = Some("content".into());
        config.ugly_urls = Some(true);
    })
    .await;
    for (path, url) in UGLY_URLS {
        assert_eq!(url_of(&server, path).await, url, "{path}");
    }
}

#[tokio::test]
async fn the_ugly_urls_flag_turns_the_configuration_off() {
    let mut files = UGLY_FILES.to_vec();
    files.push(("hugo.toml", "uglyURLs = true\n"));
    let server = serve_with(repo(&files), |config| config.ugly_urls = Some(false)).await;
    assert_eq!(
        url_of(&server, "content/posts/hello.md").await,
        "/posts/hello/"
    );
}
