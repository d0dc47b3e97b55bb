//! What a section's `cascade` gives the pages below it, and the pages Hugo does not publish or
//! list (`_build`, `headless`). Checked with Hugo 0.111.3 on the same files: a map cascade
//! reaches every page below, subsections' included, and the section's own page; a page's own
//! value wins; `_target.path` globs pick pages; a cascaded `draft: true` drafts the section
//! itself, and Hugo then publishes none of its pages, even one marked `draft: false`;
//! `render: never` has no URL but is listed (`.Site.RegularPages` and its section's `.Pages`);
//! `list: never` is published but in no list; `list: local` is in its section's `.Pages` but
//! not in `.Site.RegularPages`; a `headless` bundle is neither published nor listed.

use serde_json::{Value, json};

use super::common::{TestServer, post};
use super::{listed, paths, post_at, serve};

/// A blog section cascading categories and a `series` to every page below it.
async fn blog() -> TestServer {
    serve(&[
        (
            "content/blog/_index.md",
            &post(
                "title: Blog\ncascade:\n  categories: [news]\n  series: cascaded",
                "",
            ),
        ),
        ("content/blog/a.md", &post("title: A", "")),
        (
            "content/blog/b.md",
            &post("title: B\ncategories: [own]", ""),
        ),
        ("content/blog/sub/_index.md", &post("title: Sub", "")),
        ("content/blog/sub/c.md", &post("title: C", "")),
    ])
    .await
}

/// The categories' names and the front matter's `series` of the page at `path`.
async fn cascaded(server: &TestServer, path: &str) -> Value {
    let p = post_at(server, path, "categories { name } frontMatter").await;
    json!({ "categories": p["categories"], "series": p["frontMatter"]["series"] })
}

#[tokio::test]
async fn a_cascade_map_reaches_every_page_below_the_section() {
    let server = blog().await;
    let expected = json!({ "categories": [{ "name": "news" }], "series": "cascaded" });
    assert_eq!(cascaded(&server, "content/blog/a.md").await, expected);
    assert_eq!(
        cascaded(&server, "content/blog/sub/c.md").await,
        expected,
        "through a subsection"
    );
}

#[tokio::test]
async fn a_page_s_own_value_wins_over_the_cascade() {
    let server = blog().await;
    assert_eq!(
        cascaded(&server, "content/blog/b.md").await,
        json!({ "categories": [{ "name": "own" }], "series": "cascaded" })
    );
}

#[tokio::test]
async fn a_cascade_applies_to_the_section_s_own_page() {
    let server = blog().await;
    let data = server
        .data("{ section(path: \"blog/sub\") { page { categories { name } } } }")
        .await;
    assert_eq!(
        data["section"]["page"]["categories"],
        json!([{ "name": "news" }])
    );
    let data = server
        .data("{ section(path: \"blog\") { page { categories { name } } frontMatter } }")
        .await;
    assert_eq!(
        data["section"]["page"]["categories"],
        json!([{ "name": "news" }]),
        "the section defining the cascade"
    );
    assert_eq!(data["section"]["frontMatter"]["series"], "cascaded");
}

#[tokio::test]
async fn a_cascade_list_targets_pages_by_path_glob() {
    let server = serve(&[
        (
            "content/docs/_index.md",
            &post(
                "title: Docs\ncascade:\n  - _target:\n      path: /docs/v1/**\n    keywords: [old]\n  - _target:\n      path: /docs/**\n    series: manual",
                "",
            ),
        ),
        ("content/docs/v1/_index.md", &post("title: V1", "")),
        ("content/docs/v1/x.md", &post("title: X", "")),
        ("content/docs/y.md", &post("title: Why", "")),
    ])
    .await;
    let x = post_at(
        &server,
        "content/docs/v1/x.md",
        "keywords { name } frontMatter",
    )
    .await;
    assert_eq!(x["keywords"], json!([{ "name": "old" }]));
    assert_eq!(x["frontMatter"]["series"], "manual");
    let y = post_at(
        &server,
        "content/docs/y.md",
        "keywords { name } frontMatter",
    )
    .await;
    assert_eq!(y["keywords"], json!([]), "outside docs/v1");
    assert_eq!(y["frontMatter"]["series"], "manual");
}

#[tokio::test]
async fn a_cascaded_draft_leaves_the_section_s_pages_out() {
    let server = serve(&[
        ("content/posts/kept.md", &post("title: Kept", "")),
        (
            "content/drafts/_index.md",
            &post("title: Drafts\ncascade:\n  draft: true", ""),
        ),
        ("content/drafts/d1.md", &post("title: D1", "")),
    ])
    .await;
    assert_eq!(listed(&server).await, ["content/posts/kept.md"]);
    let data = server
        .data("{ revision { postCount draftsLeftOut } post(path: \"content/drafts/d1.md\") { path } }")
        .await;
    assert_eq!(data["post"], Value::Null);
    assert_eq!(data["revision"]["postCount"], 1);
    // The section's own `_index.md` gets its cascade too (as in Hugo), so it is a draft as well.
    assert_eq!(data["revision"]["draftsLeftOut"], 2);
}

#[tokio::test]
async fn a_draft_section_leaves_out_even_a_page_marked_not_draft() {
    let server = serve(&[
        ("content/posts/kept.md", &post("title: Kept", "")),
        (
            "content/drafts/_index.md",
            &post("title: Drafts\ncascade:\n  draft: true", ""),
        ),
        ("content/drafts/d2.md", &post("title: D2\ndraft: false", "")),
    ])
    .await;
    // Hugo 0.111.3 publishes nothing under a draft section.
    assert_eq!(listed(&server).await, ["content/posts/kept.md"]);
    assert_eq!(
        post_at(&server, "content/drafts/d2.md", "url").await,
        Value::Null
    );
}

/// A section `opts` with a page of each build option, and one plain page.
async fn build_options() -> TestServer {
    serve(&[
        (
            "content/opts/plain.md",
            &post("title: Plain\ndate: 2020-01-05", ""),
        ),
        (
            "content/opts/never.md",
            &post(
                "title: Never\ndate: 2020-01-04\n_build:\n  render: never",
                "",
            ),
        ),
        (
            "content/opts/hidden.md",
            &post(
                "title: Hidden\ndate: 2020-01-03\n_build:\n  list: never",
                "",
            ),
        ),
        (
            "content/opts/local.md",
            &post("title: Local\ndate: 2020-01-02\n_build:\n  list: local", ""),
        ),
        (
            "content/opts/bundle/index.md",
            &post("title: Headless\ndate: 2020-01-01\nheadless: true", ""),
        ),
        ("content/opts/bundle/data.json", "{}"),
    ])
    .await
}

#[tokio::test]
async fn render_never_has_no_url_but_is_listed() {
    let server = build_options().await;
    let p = post_at(&server, "content/opts/never.md", "url title").await;
    assert_eq!(p, json!({ "url": null, "title": "Never" }));
    assert!(
        listed(&server)
            .await
            .contains(&"content/opts/never.md".to_owned()),
        "Hugo lists it (build.list is `always` by default)"
    );
    let data = server
        .data("{ postByUrl(url: \"/opts/never/\") { post { path } } }")
        .await;
    assert_eq!(data["postByUrl"], Value::Null);
}

#[tokio::test]
async fn list_never_is_published_but_in_no_listing() {
    let server = build_options().await;
    assert_eq!(
        post_at(&server, "content/opts/hidden.md", "url title").await,
        json!({ "url": "/opts/hidden/", "title": "Hidden" })
    );
    assert!(
        !listed(&server)
            .await
            .contains(&"content/opts/hidden.md".to_owned())
    );
    let data = server
        .data("{ section(path: \"opts\") { posts { nodes { path } } pages { path } } }")
        .await;
    assert!(!paths(&data["section"]["posts"]["nodes"]).contains(&"content/opts/hidden.md"));
    assert!(!paths(&data["section"]["pages"]).contains(&"content/opts/hidden.md"));
}

#[tokio::test]
async fn list_local_is_in_its_section_but_not_in_posts() {
    let server = build_options().await;
    assert!(
        !listed(&server)
            .await
            .contains(&"content/opts/local.md".to_owned())
    );
    let data = server
        .data("{ section(path: \"opts\") { posts { nodes { path } } } }")
        .await;
    assert_eq!(
        paths(&data["section"]["posts"]["nodes"]),
        [
            "content/opts/plain.md",
            "content/opts/never.md",
            "content/opts/local.md"
        ]
    );
}

#[tokio::test]
async fn a_headless_bundle_is_neither_published_nor_listed_but_readable_by_path() {
    let server = build_options().await;
    let p = post_at(&server, "content/opts/bundle/index.md", "url title").await;
    assert_eq!(p, json!({ "url": null, "title": "Headless" }));
    assert!(
        !listed(&server)
            .await
            .contains(&"content/opts/bundle/index.md".to_owned())
    );
}
