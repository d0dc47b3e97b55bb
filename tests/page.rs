//! A post page from one query: heading ids and the table of contents, summaries, text
//! measures, shortcodes, highlighted code, raw HTML policies, and the post's files linked
//! from its HTML and served from git.

mod common;

use common::{FILE, TestRepo, TestServer, post};
use serde_json::Value;

/// One post at `content/posts/p.md` (its body `body`), served.
async fn serve_one(fields: &str, body: &str) -> (TestServer, Value) {
    let repo = TestRepo::new();
    repo.commit(&[(
        "content/posts/p.md",
        &post(&format!("title: P\nslug: p\n{fields}"), body),
    )]);
    let server = TestServer::serving(repo, "content").await;
    let data = server
        .data("{ post(slug: \"p\") { html summary plain: summary(format: PLAIN) truncated plainText wordCount readingTime headings { level id text html } toc { id text level children { id text level children { id } } } shortcodes { name args inner line } problems { line message } } }")
        .await;
    (server, data["post"].clone())
}

#[tokio::test]
async fn headings_get_unique_ids_that_the_toc_uses() {
    let body = "# Title\n\n## Intro\n\n### Detail\n\n## Intro\n\n## Custom {#my-id}\n\n> ## Quoted\n\n#### Too deep\n";
    let (_server, p) = serve_one("", body).await;
    let html = p["html"].as_str().unwrap();
    for expected in [
        "<h1 id=\"title\">Title</h1>",
        "<h2 id=\"intro\">Intro</h2>",
        "<h3 id=\"detail\">Detail</h3>",
        "<h2 id=\"intro-1\">Intro</h2>",
        "<h2 id=\"my-id\">Custom</h2>",
        "<h2 id=\"quoted\">Quoted</h2>",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
    assert!(!html.contains("{#"), "the attribute is not text: {html}");
    let toc = serde_json::to_string(&p["toc"]).unwrap();
    assert_eq!(
        toc,
        r#"[{"id":"intro","text":"Intro","level":2,"children":[{"id":"detail","text":"Detail","level":3,"children":[]}]},{"id":"intro-1","text":"Intro","level":2,"children":[]},{"id":"my-id","text":"Custom","level":2,"children":[]}]"#
    );
    assert_eq!(
        p["headings"].as_array().unwrap().len(),
        7,
        "every heading, quoted too"
    );
}

#[tokio::test]
async fn toc_levels_are_checked() {
    let repo = TestRepo::new();
    repo.commit(&[("content/p.md", &post("title: P\nslug: p", "## A\n"))]);
    let server = TestServer::serving(repo, "content").await;
    let (message, code) = server
        .error("{ post(slug: \"p\") { toc(minLevel: 4, maxLevel: 2) { id } } }")
        .await;
    assert!(message.contains("minLevel"), "{message}");
    assert_eq!(code, "BAD_USER_INPUT");
    let (message, _) = server
        .error("{ post(slug: \"p\") { toc(maxLevel: 7) { id } } }")
        .await;
    assert!(message.contains("1 to 6"), "{message}");
    let data = server
        .data("{ post(slug: \"p\") { toc(minLevel: 1, maxLevel: 6) { id } } }")
        .await;
    assert_eq!(data["post"]["toc"][0]["id"], "a");
}

#[tokio::test]
async fn summary_is_what_comes_before_more() {
    let (_server, p) = serve_one("", "The *intro*.\n\n<!--more-->\n\nThe rest.\n").await;
    assert_eq!(p["summary"], "<p>The <em>intro</em>.</p>\n");
    assert_eq!(p["plain"], "The intro.");
    assert_eq!(p["truncated"], true);
    assert!(
        !p["html"].as_str().unwrap().contains("more"),
        "{}",
        p["html"]
    );
}

#[tokio::test]
async fn a_footnote_reference_in_the_first_paragraph_stays_out_of_the_summary() {
    let (_server, p) = serve_one(
        "",
        "Opening line[^1] of the post.\n\nSecond.\n\n[^1]: The note text.\n",
    )
    .await;
    assert_eq!(
        p["summary"],
        "<p>Opening line of the post.</p>\n<p>Second.</p>\n"
    );
    assert!(
        !p["plain"].as_str().unwrap().contains("note"),
        "{}",
        p["plain"]
    );
    assert_eq!(p["truncated"], false);
    assert!(p["html"].as_str().unwrap().contains("fnref-1"));
}

#[tokio::test]
async fn the_front_matter_summary_wins_and_is_markdown() {
    let (_server, p) = serve_one("summary: \"Written *by hand*.\"", "Body text.\n").await;
    assert_eq!(p["summary"], "<p>Written <em>by hand</em>.</p>\n");
    assert_eq!(p["plain"], "Written by hand.");
    assert_eq!(p["truncated"], true);
}

#[tokio::test]
async fn an_automatic_summary_stops_near_seventy_words_at_a_block() {
    let para = |word: &str, n: usize| format!("{}.", vec![word; n].join(" "));
    let body = format!(
        "{}\n\n{}\n\n{}\n",
        para("alpha", 50),
        para("beta", 50),
        para("gamma", 50)
    );
    let (_server, p) = serve_one("", &body).await;
    let summary = p["summary"].as_str().unwrap();
    assert!(
        summary.contains("beta") && !summary.contains("gamma"),
        "{summary}"
    );
    assert_eq!(p["truncated"], true);
    assert_eq!(p["wordCount"], 150);
}

#[tokio::test]
async fn measures_words_and_reading_time_and_counts_cjk_per_character() {
    let words = vec!["word"; 500].join(" ");
    let (_server, p) = serve_one("", &format!("{words}[^n]\n\n[^n]: two more\n")).await;
    assert_eq!(p["wordCount"], 502);
    assert_eq!(p["readingTime"], 3, "502 words at 212 a minute");
    assert!(
        !p["plainText"].as_str().unwrap().contains("[^"),
        "no footnote markers"
    );

    let cjk = "日本語の文章です。".repeat(100);
    let (_server, p) = serve_one("", &format!("{cjk}\n")).await;
    assert_eq!(
        p["wordCount"], 900,
        "9 characters a sentence, its full stop included, as Hugo counts"
    );
    assert_eq!(p["readingTime"], 2, "900 characters at 500 a minute");
}

#[tokio::test]
async fn words_per_minute_is_a_flag() {
    let repo = TestRepo::new();
    let words = vec!["word"; 300].join(" ");
    repo.commit(&[("content/p.md", &post("title: P\nslug: p", &words))]);
    let mut config = repo.config("content");
    config.words_per_minute = 100;
    let mut server = TestServer::start(config).await;
    server.keep(repo);
    let data = server.data("{ post(slug: \"p\") { readingTime } }").await;
    assert_eq!(data["post"]["readingTime"], 3);
}

#[tokio::test]
async fn raw_html_is_kept_sanitized_or_omitted_as_configured() {
    let body = "<script>alert(1)</script>\n\nText <b onclick=\"x()\">bold</b> and <img src=\"x.png\" onerror=\"steal()\">.\n";
    let mut answers = Vec::new();
    for policy in [
        quire::RawHtml::Keep,
        quire::RawHtml::Sanitize,
        quire::RawHtml::Omit,
    ] {
        let repo = TestRepo::new();
        repo.commit(&[("content/p.md", &post("title: P\nslug: p", body))]);
        let mut config = repo.config("content");
        config.raw_html = policy;
        let mut server = TestServer::start(config).await;
        server.keep(repo);
        let data = server.data("{ post(slug: \"p\") { html summary } }").await;
        answers.push(data["post"]["html"].as_str().unwrap().to_owned());
        let summary = data["post"]["summary"].as_str().unwrap();
        if policy != quire::RawHtml::Keep {
            assert!(
                !summary.contains("onclick") && !summary.contains("script"),
                "{summary}"
            );
        }
    }
    assert!(answers[0].contains("<script>alert(1)</script>") && answers[0].contains("onclick"));
    assert!(
        !answers[1].contains("script")
            && !answers[1].contains("onclick")
            && !answers[1].contains("onerror"),
        "{}",
        answers[1]
    );
    assert!(answers[1].contains("<b>bold</b>"), "{}", answers[1]);
    assert_eq!(
        answers[2],
        "<!-- raw HTML omitted -->\n<p>Text <!-- raw HTML omitted -->bold<!-- raw HTML omitted --> and <!-- raw HTML omitted -->.</p>\n"
    );
}

/// A page bundle with a photo, a post linking the static folder, and a post linking a file
/// that does not exist.
fn bundle_repo() -> TestRepo {
    let png: &[u8] = b"\x89PNG\r\n\x1a\nnot really a picture, but named like one";
    let repo = TestRepo::new();
    repo.commit_entries(&[
        (
            "content/posts/trip/index.md",
            FILE,
            post("title: Trip\nslug: trip", "![Dusk](photo.png \"t\")\n\n{{< figure src=\"photo.png\" caption=\"A *caption*\" >}}\n\n[The map](maps/route.pdf#page=2)\n").as_bytes(),
        ),
        ("content/posts/trip/photo.png", FILE, png),
        ("content/posts/trip/maps/route.pdf", FILE, b"%PDF-1.4 pretend"),
        ("content/posts/other.md", FILE, post("title: Other\nslug: other", "![Logo](/img/logo.png)\n\n![Gone](missing.png)\n").as_bytes()),
        ("static/img/logo.png", FILE, png),
    ]);
    repo
}

#[tokio::test]
async fn bundle_images_and_static_files_are_linked_to_files_served_from_git() {
    let server = TestServer::serving(bundle_repo(), "content").await;
    let commit = server.commit().await;
    let data = server
        .data("{ trip: post(slug: \"trip\") { html resources { path url contentType size } } other: post(slug: \"other\") { html problems { line message } } }")
        .await;
    let html = data["trip"]["html"].as_str().unwrap();
    let photo = format!("/files/{commit}/content/posts/trip/photo.png");
    assert!(
        html.contains(&format!("<img src=\"{photo}\" alt=\"Dusk\" title=\"t\" />")),
        "{html}"
    );
    assert!(
        html.contains(&format!("src=\"{photo}\"")) && html.contains("<figcaption>"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "href=\"/files/{commit}/content/posts/trip/maps/route.pdf#page=2\""
        )),
        "{html}"
    );
    let resources = &data["trip"]["resources"];
    assert_eq!(resources[0]["path"], "content/posts/trip/maps/route.pdf");
    assert_eq!(resources[1]["path"], "content/posts/trip/photo.png");
    assert_eq!(resources[1]["url"], photo);
    assert_eq!(resources[1]["contentType"], "image/png");

    let other = data["other"]["html"].as_str().unwrap();
    assert!(
        other.contains(&format!("src=\"/files/{commit}/static/img/logo.png\"")),
        "{other}"
    );
    assert!(
        other.contains("src=\"missing.png\""),
        "left as written: {other}"
    );
    let problems = &data["other"]["problems"];
    assert_eq!(problems.as_array().unwrap().len(), 1, "{problems}");
    assert_eq!(
        problems[0]["line"], 7,
        "line 3 of the body, after 4 lines of front matter"
    );
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("missing.png"),
        "{problems}"
    );

    let response = server
        .client()
        .get(server.url(&photo))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
}

#[tokio::test]
async fn public_url_makes_file_links_absolute() {
    let repo = bundle_repo();
    let mut config = repo.config("content");
    config.public_url = Some("https://api.example.com/quire/".parse().unwrap());
    let mut server = TestServer::start(config).await;
    server.keep(repo);
    let commit = server.commit().await;
    let data = server.data("{ post(slug: \"trip\") { html } }").await;
    let html = data["post"]["html"].as_str().unwrap();
    assert!(
        html.contains(&format!(
            "src=\"https://api.example.com/quire/files/{commit}/content/posts/trip/photo.png\""
        )),
        "{html}"
    );
}

#[tokio::test]
async fn built_in_shortcodes_render_as_hugo_renders_them() {
    let body = r#"{{< youtube id="w7Ft2ymGmfc" >}}

{{< vimeo 146022717 >}}

{{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}

{{< gist spf13 7896402 >}}

{{< instagram BWNjjyYFxVx >}}

The mood is {{< param mood >}}.

{{< highlight go "linenos=table,hl_lines=2" >}}
package main
func main() {}
{{< /highlight >}}
"#;
    let (_server, p) = serve_one("mood: sunny", body).await;
    let html = p["html"].as_str().unwrap();
    for expected in [
        "https://www.youtube-nocookie.com/embed/w7Ft2ymGmfc",
        "https://player.vimeo.com/video/146022717",
        "https://twitter.com/SanDiegoZoo/status/1453110110599868418",
        "https://gist.github.com/spf13/7896402.js",
        "https://www.instagram.com/p/BWNjjyYFxVx",
        "The mood is sunny.",
        "package",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
    assert!(!html.contains("{{"), "no raw shortcode: {html}");
    let names: Vec<&str> = p["shortcodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "youtube",
            "vimeo",
            "tweet",
            "gist",
            "instagram",
            "param",
            "highlight"
        ]
    );
}

#[tokio::test]
async fn an_unknown_paired_shortcode_keeps_its_markdown_for_the_frontend() {
    let body = "Before.\n\n{{% note type=\"warning\" %}}\nThis is **bold**, and `{{< not-a-shortcode >}}` is code.\n{{% /note %}}\n\nInline {{< badge \"new\" >}} here, and escaped: {{</* youtube abc */>}}.\n";
    let (_server, p) = serve_one("", body).await;
    let html = p["html"].as_str().unwrap();
    assert!(
        html.contains("<div data-shortcode=\"note\" data-args='{\"type\":\"warning\"}'>"),
        "{html}"
    );
    assert!(html.contains("<strong>bold</strong>"), "{html}");
    assert!(
        html.contains("<code>{{&lt; not-a-shortcode &gt;}}</code>"),
        "code is left alone: {html}"
    );
    assert!(html.contains("<span data-shortcode=\"badge\""), "{html}");
    assert!(
        html.contains("escaped: {{&lt; youtube abc &gt;}}."),
        "{html}"
    );
    let shortcodes = p["shortcodes"].as_array().unwrap();
    assert_eq!(shortcodes[0]["name"], "note");
    assert_eq!(shortcodes[0]["args"]["type"], "warning");
    assert_eq!(
        shortcodes[0]["line"], 8,
        "after 5 lines of front matter, a paragraph and a blank line"
    );
    assert!(
        shortcodes[0]["inner"]
            .as_str()
            .unwrap()
            .contains("**bold**")
    );
    assert_eq!(shortcodes[1]["name"], "badge");
    assert_eq!(shortcodes[1]["args"][0], "new");
}

#[tokio::test]
async fn fenced_code_is_highlighted_with_classes_or_left_plain() {
    let body = "```rust\nfn main() {}\n```\n";
    let (_server, p) = serve_one("", body).await;
    let html = p["html"].as_str().unwrap();
    assert!(
        html.contains("class=\"language-rust\"") && html.contains("<span class=\"hl-"),
        "{html}"
    );

    let repo = TestRepo::new();
    repo.commit(&[("content/p.md", &post("title: P\nslug: p", body))]);
    let mut config = repo.config("content");
    config.highlight = quire::Highlight::Off;
    let mut server = TestServer::start(config).await;
    server.keep(repo);
    let data = server.data("{ post(slug: \"p\") { html } }").await;
    assert_eq!(
        data["post"]["html"],
        "<pre><code class=\"language-rust\">fn main() {}\n</code></pre>\n"
    );
}

#[tokio::test]
async fn sample_posts_render_as_their_snapshots() {
    let server = TestServer::sample().await;
    let commit = server.commit().await;
    let data = server
        .data(
            "{ posts(first: 100) { nodes { path html toc { id } summary shortcodes { name } } } }",
        )
        .await;
    for node in data["posts"]["nodes"].as_array().unwrap() {
        let path = node["path"].as_str().unwrap();
        let name = path
            .trim_start_matches("content-repo/")
            .replace(['/', '.'], "_");
        // Keys sorted: the snapshot is about the values.
        let sorted: std::collections::BTreeMap<&String, &Value> =
            node.as_object().unwrap().iter().collect();
        let mut rendered = serde_json::to_string_pretty(&sorted).unwrap();
        rendered = rendered.replace(&commit, "[commit]");
        insta::assert_snapshot!(name, rendered);
    }
}

#[tokio::test]
async fn line_numbers_and_highlighted_lines_follow_hugo_options() {
    let body = "```go {linenos=table, hl_lines=[2]}\npackage main\nfunc main() {}\n```\n";
    let (_server, p) = serve_one("", body).await;
    let html = p["html"].as_str().unwrap();
    assert!(html.contains("<table class=\"lntable\">"), "{html}");
    assert!(html.contains("<span class=\"lnt\">1\n</span>"), "{html}");
    assert!(
        html.contains("<span class=\"line hl\">"),
        "line 2 highlighted: {html}"
    );
}

#[tokio::test]
async fn inline_highlighting_writes_styles_and_the_stylesheet_matches_classes() {
    let repo = TestRepo::new();
    repo.commit(&[(
        "content/p.md",
        &post("title: P\nslug: p", "```rust\nfn main() {}\n```\n"),
    )]);
    let mut config = repo.config("content");
    config.highlight = quire::Highlight::Inline;
    let mut server = TestServer::start(config).await;
    server.keep(repo);
    let data = server.data("{ post(slug: \"p\") { html } }").await;
    let html = data["post"]["html"].as_str().unwrap();
    assert!(
        html.contains("style=\"") && !html.contains("class=\"hl-"),
        "{html}"
    );
}

#[tokio::test]
async fn a_moved_post_links_its_files_from_its_new_folder() {
    let repo = TestRepo::new();
    let body = post("title: Trip\nslug: trip", "![p](photo.png)\n");
    repo.commit_entries(&[
        ("content/a/trip/index.md", FILE, body.as_bytes()),
        ("content/a/trip/photo.png", FILE, b"png"),
    ]);
    let mut server = TestServer::start(repo.config("content")).await;
    let first = server.data("{ post(slug: \"trip\") { html } }").await;
    assert!(
        first["post"]["html"]
            .as_str()
            .unwrap()
            .contains("content/a/trip/photo.png")
    );
    repo.remove(&["content/a/trip/index.md", "content/a/trip/photo.png"]);
    let moved = repo.commit_entries(&[
        ("content/b/trip/index.md", FILE, body.as_bytes()),
        ("content/b/trip/photo.png", FILE, b"png"),
    ]);
    server.refresh_to(moved).await;
    let data = server
        .data("{ post(slug: \"trip\") { html problems { message } } }")
        .await;
    let html = data["post"]["html"].as_str().unwrap();
    assert!(
        html.contains("content/b/trip/photo.png"),
        "the same blob, rendered once: {html}"
    );
    assert_eq!(data["post"]["problems"], serde_json::json!([]));
    server.keep(repo);
}
