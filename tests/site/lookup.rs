//! Finding a post: by a slug two sections share, by path, when two posts claim one URL, and by
//! URL (`postByUrl`) in each form, aliases included. Hugo 0.111.3 published the aliases of
//! `posts/hello.md` written `/old/hello/` and `old-name` at `/old/hello/` and
//! `/posts/old-name/` (a relative alias is taken from the page's folder URL).

use serde_json::{Value, json};

use super::common::{TestServer, post};
use super::serve;

/// The same slug in two sections.
async fn two_intros() -> TestServer {
    serve(&[
        ("content/posts/intro.md", &post("title: Intro", "Posts.")),
        ("content/docs/intro.md", &post("title: Intro", "Docs.")),
        ("content/docs/other.md", &post("title: Other", "")),
    ])
    .await
}

#[tokio::test]
async fn the_same_slug_in_two_sections_is_two_posts() {
    let server = two_intros().await;
    let data = server
        .data("{ a: post(path: \"content/posts/intro.md\") { slug url } b: post(path: \"content/docs/intro.md\") { slug url } revision { postCount problemCount } }")
        .await;
    assert_eq!(
        data["a"],
        json!({ "slug": "intro", "url": "/posts/intro/" })
    );
    assert_eq!(data["b"], json!({ "slug": "intro", "url": "/docs/intro/" }));
    assert_eq!(
        data["revision"],
        json!({ "postCount": 3, "problemCount": 0 })
    );
}

#[tokio::test]
async fn a_shared_slug_is_an_error_listing_both_urls() {
    let server = two_intros().await;
    let (message, code) = server.error("{ post(slug: \"intro\") { path } }").await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(
        message.contains("/docs/intro/") && message.contains("/posts/intro/"),
        "{message}"
    );
    assert!(
        message.contains("postByUrl") && message.contains("section"),
        "says what to use instead: {message}"
    );
}

#[tokio::test]
async fn a_section_picks_one_of_the_posts_sharing_a_slug() {
    let server = two_intros().await;
    let data = server
        .data("{ docs: post(slug: \"intro\", section: \"docs\") { path } posts: post(slug: \"intro\", section: \"posts\") { path } none: post(slug: \"intro\", section: \"notes\") { path } unique: post(slug: \"other\") { path } }")
        .await;
    assert_eq!(data["docs"]["path"], "content/docs/intro.md");
    assert_eq!(data["posts"]["path"], "content/posts/intro.md");
    assert_eq!(data["none"], Value::Null);
    assert_eq!(
        data["unique"]["path"], "content/docs/other.md",
        "a slug no other post has needs no section"
    );
}

#[tokio::test]
async fn two_posts_at_one_url_keep_the_first_by_path_and_report_both() {
    let server = serve(&[
        ("content/posts/a.md", &post("title: A\nslug: x", "")),
        ("content/posts/x.md", &post("title: X", "")),
    ])
    .await;
    let data = server
        .data("{ problems { path line message } postByUrl(url: \"/posts/x/\") { post { path } } loser: post(path: \"content/posts/x.md\") { path } revision { postCount } }")
        .await;
    assert_eq!(data["postByUrl"]["post"]["path"], "content/posts/a.md");
    assert_eq!(data["loser"], Value::Null);
    assert_eq!(data["revision"]["postCount"], 1);
    let problems = data["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["path"], "content/posts/x.md");
    let message = problems[0]["message"].as_str().unwrap();
    assert!(
        message.contains("/posts/x/") && message.contains("content/posts/a.md"),
        "{message}"
    );
}

/// A post with a unicode slug and two aliases, and a section.
async fn urls() -> TestServer {
    serve(&[
        (
            "content/posts/hello.md",
            &post("title: Hello\naliases: [\"/old/hello/\", \"old-name\"]", ""),
        ),
        (
            "content/posts/cafe.md",
            &post("title: Café\nslug: café-olé", ""),
        ),
        ("content/docs/_index.md", &post("title: Docs", "")),
    ])
    .await
}

/// What `postByUrl(url:)` answers: the post's path, the section's path and the redirect.
async fn by_url(server: &TestServer, url: &str) -> Value {
    let data = server
        .post(
            "query($url: String!) { postByUrl(url: $url) { post { path } section { path } redirect } }",
            json!({ "url": url }),
        )
        .await;
    assert!(data.get("errors").is_none(), "{url}: {data}");
    data["data"]["postByUrl"].clone()
}

/// `postByUrl`'s answer for the page of `path`, not an alias.
fn found(path: &str) -> Value {
    json!({ "post": { "path": path }, "section": null, "redirect": null })
}

#[tokio::test]
async fn post_by_url_takes_a_path_with_or_without_trailing_slash() {
    let server = urls().await;
    for url in ["/posts/hello/", "/posts/hello"] {
        assert_eq!(
            by_url(&server, url).await,
            found("content/posts/hello.md"),
            "{url}"
        );
    }
}

#[tokio::test]
async fn post_by_url_takes_a_full_url_with_query_and_fragment() {
    let server = urls().await;
    for url in [
        "https://example.com/posts/hello/",
        "http://localhost:3000/posts/hello",
        "/posts/hello/?utm_source=feed#comments",
        "https://example.com/posts/hello?x=1",
    ] {
        assert_eq!(
            by_url(&server, url).await,
            found("content/posts/hello.md"),
            "{url}"
        );
    }
}

#[tokio::test]
async fn post_by_url_takes_a_unicode_path_encoded_or_not() {
    let server = urls().await;
    for url in [
        "/posts/café-olé/",
        "/posts/caf%C3%A9-ol%C3%A9/",
        "/posts/caf%c3%a9-ol%c3%a9",
        "https://example.com/posts/caf%C3%A9-ol%C3%A9/",
    ] {
        assert_eq!(
            by_url(&server, url).await,
            found("content/posts/cafe.md"),
            "{url}"
        );
    }
}

#[tokio::test]
async fn an_alias_answers_the_post_with_a_redirect_to_its_url() {
    let server = urls().await;
    let redirect = json!({
        "post": { "path": "content/posts/hello.md" },
        "section": null,
        "redirect": "/posts/hello/",
    });
    assert_eq!(
        by_url(&server, "/old/hello/").await,
        redirect,
        "absolute alias"
    );
    assert_eq!(by_url(&server, "/old/hello").await, redirect);
    assert_eq!(
        by_url(&server, "/posts/old-name/").await,
        redirect,
        "a relative alias, from the page's folder URL"
    );
    let data = server
        .data("{ post(path: \"content/posts/hello.md\") { aliases } }")
        .await;
    assert_eq!(data["post"]["aliases"], json!(["/old/hello/", "old-name"]));
}

#[tokio::test]
async fn a_section_url_answers_the_section() {
    let server = urls().await;
    let expected = json!({ "post": null, "section": { "path": "docs" }, "redirect": null });
    assert_eq!(by_url(&server, "/docs/").await, expected);
    assert_eq!(by_url(&server, "/docs").await, expected);
    assert_eq!(
        by_url(&server, "/posts/").await,
        json!({ "post": null, "section": { "path": "posts" }, "redirect": null }),
        "a top-level folder without _index.md"
    );
    assert_eq!(
        by_url(&server, "/").await,
        json!({ "post": null, "section": { "path": "" }, "redirect": null }),
        "the home page"
    );
}

#[tokio::test]
async fn an_unknown_url_answers_null() {
    let server = urls().await;
    for url in ["/posts/nope/", "/hello/", "https://example.com/nothing"] {
        assert_eq!(by_url(&server, url).await, Value::Null, "{url}");
    }
}

#[tokio::test]
async fn an_empty_url_is_bad_input() {
    let server = urls().await;
    let (message, code) = server.error("{ postByUrl(url: \"\") { redirect } }").await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.contains("url"), "{message}");
}
