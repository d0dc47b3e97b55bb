//! Links between posts: each way of writing one, rewritten in `html` to the target's URL;
//! `links` and `backlinks`; links to no page or to a missing anchor, in `problems` and `quire
//! check`. Hugo 0.111.3 renders the same `ref` as `https://example.com/posts/the-target/` (the
//! permalink, under `baseURL`) and `relref "target.md#details"` as `/posts/the-target/#details`.

use serde_json::json;

use super::common::{TestRepo, TestServer, post, quire_command};
use super::{post_at, repo};

/// The source post: one link per line, from line 5 (after four lines of front matter).
const SOURCE: &str = "---\ntitle: Source\ndate: 2020-01-02\n---\n\
- [by permalink](/posts/the-target/)
- [by alias](/old-target/)
- [by file](target.md)
- [by bundle file](bundle/index.md)
- [up and over](../docs/guide.md)
- [relative to the url](../the-target/)
- [by ref]({{< ref \"target.md\" >}})
- [by relref]({{< relref \"target.md#details\" >}})
- [section file](../docs/_index.md)
- [section url](/docs/)
- [external](https://example.org/x)
";

/// A broken link on line 6 and a broken anchor on line 8; a good anchor on line 4.
const BROKEN: &str = "---\ntitle: Broken\n---\n\
Fine [link](target.md#details).

A [missing page](/missing/).

A [bad anchor](target.md#nope).
";

/// The files of the linked site, with `baseURL` set.
fn files() -> Vec<(&'static str, String)> {
    vec![
        (
            "hugo.toml",
            "baseURL = \"https://example.com/\"\n".to_owned(),
        ),
        (
            "content/posts/target.md",
            post(
                "title: Target\nslug: the-target\ndate: 2020-01-01\naliases: [/old-target/]",
                "## Details\n\nText.\n",
            ),
        ),
        ("content/posts/source.md", SOURCE.to_owned()),
        ("content/posts/bundle/index.md", post("title: Bundle", "")),
        ("content/docs/_index.md", post("title: Docs", "")),
        (
            "content/docs/guide.md",
            post("title: Guide", "See [the target](../posts/target.md).\n"),
        ),
    ]
}

/// A repository of [`files`] plus `more`.
fn linked_repo(more: &[(&str, &str)]) -> TestRepo {
    let files = files();
    let mut all: Vec<(&str, &str)> = files.iter().map(|(p, c)| (*p, c.as_str())).collect();
    all.extend_from_slice(more);
    repo(&all)
}

async fn linked(more: &[(&str, &str)]) -> TestServer {
    TestServer::serving(linked_repo(more), "content").await
}

/// Every `href` of `html`, in order.
fn hrefs(html: &str) -> Vec<&str> {
    html.split("href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').expect("a closing quote")])
        .collect()
}

#[tokio::test]
async fn every_way_of_writing_a_link_becomes_the_target_s_url() {
    let server = linked(&[]).await;
    let html = post_at(&server, "content/posts/source.md", "html").await["html"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        hrefs(&html),
        [
            "/posts/the-target/",
            "/posts/the-target/",
            "/posts/the-target/",
            "/posts/bundle/",
            "/docs/guide/",
            "/posts/the-target/",
            "https://example.com/posts/the-target/",
            "/posts/the-target/#details",
            "/docs/",
            "/docs/",
            "https://example.org/x",
        ],
        "{html}"
    );
    assert!(
        html.contains("<a href=\"/posts/the-target/\">by alias</a>"),
        "{html}"
    );
}

#[tokio::test]
async fn links_lists_the_pages_and_sections_linked_to_in_order() {
    let server = linked(&[]).await;
    let p = post_at(
        &server,
        "content/posts/source.md",
        "links { post { path } section { path } url text line }",
    )
    .await;
    let link = |path: &str, url: &str, text: &str, line: u32| {
        let post = json!({ "path": path });
        json!({ "post": post, "section": null, "url": url, "text": text, "line": line })
    };
    let section = |url: &str, text: &str, line: u32| {
        let docs = json!({ "path": "docs" });
        json!({ "post": null, "section": docs, "url": url, "text": text, "line": line })
    };
    let target = "content/posts/target.md";
    assert_eq!(
        p["links"],
        json!([
            link(target, "/posts/the-target/", "by permalink", 5),
            link(target, "/posts/the-target/", "by alias", 6),
            link(target, "/posts/the-target/", "by file", 7),
            link(
                "content/posts/bundle/index.md",
                "/posts/bundle/",
                "by bundle file",
                8
            ),
            link("content/docs/guide.md", "/docs/guide/", "up and over", 9),
            link(target, "/posts/the-target/", "relative to the url", 10),
            link(target, "/posts/the-target/", "by ref", 11),
            link(target, "/posts/the-target/", "by relref", 12),
            section("/docs/", "section file", 13),
            section("/docs/", "section url", 14),
        ])
    );
}

#[tokio::test]
async fn backlinks_list_each_link_to_a_post_by_the_linking_path() {
    let server = linked(&[]).await;
    let p = post_at(
        &server,
        "content/posts/target.md",
        "backlinks { post { path } text }",
    )
    .await;
    let from = |path: &str, text: &str| json!({ "post": { "path": path }, "text": text });
    let source = "content/posts/source.md";
    assert_eq!(
        p["backlinks"],
        json!([
            from("content/docs/guide.md", "the target"),
            from(source, "by permalink"),
            from(source, "by alias"),
            from(source, "by file"),
            from(source, "relative to the url"),
            from(source, "by ref"),
            from(source, "by relref"),
        ])
    );
    let bundle = post_at(
        &server,
        "content/posts/bundle/index.md",
        "backlinks { text }",
    )
    .await;
    assert_eq!(bundle["backlinks"], json!([{ "text": "by bundle file" }]));
}

#[tokio::test]
async fn a_post_nobody_links_to_has_no_backlinks_and_external_links_are_not_links() {
    let server = linked(&[(
        "content/posts/lonely.md",
        &post(
            "title: Lonely",
            "[out](https://example.org/) and [mail](mailto:a@b.c)\n",
        ),
    )])
    .await;
    let p = post_at(
        &server,
        "content/posts/lonely.md",
        "links { url } backlinks { text } html problems { message }",
    )
    .await;
    assert_eq!(p["links"], json!([]));
    assert_eq!(p["backlinks"], json!([]));
    assert_eq!(p["problems"], json!([]));
    assert_eq!(
        hrefs(p["html"].as_str().unwrap()),
        ["https://example.org/", "mailto:a@b.c"]
    );
}

#[tokio::test]
async fn a_broken_link_and_a_broken_anchor_are_post_problems_with_their_lines() {
    let server = linked(&[("content/posts/broken.md", BROKEN)]).await;
    let p = post_at(
        &server,
        "content/posts/broken.md",
        "problems { path line message } html",
    )
    .await;
    let problems = p["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0]["line"], 6);
    assert_eq!(problems[0]["path"], "content/posts/broken.md");
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("`/missing/`"),
        "{problems:?}"
    );
    assert_eq!(problems[1]["line"], 8);
    let anchor = problems[1]["message"].as_str().unwrap();
    assert!(
        anchor.contains("`target.md#nope`") && anchor.contains("`details`"),
        "names the link and the ids the page has: {anchor}"
    );
    assert_eq!(
        hrefs(p["html"].as_str().unwrap()),
        [
            "/posts/the-target/#details",
            "/missing/",
            "/posts/the-target/#nope"
        ],
        "a link to no page keeps its destination as written"
    );
}

#[tokio::test]
async fn a_broken_link_is_a_site_problem_and_a_broken_anchor_is_not() {
    let server = linked(&[("content/posts/broken.md", BROKEN)]).await;
    let data = server
        .data("{ problems { path line message } revision { problemCount } }")
        .await;
    let problems = data["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["path"], "content/posts/broken.md");
    assert_eq!(problems[0]["line"], 6);
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("`/missing/`")
    );
    // `problemCount` counts what the load found; links are read after it.
    assert_eq!(data["revision"]["problemCount"], 0);
}

/// `quire check` on `repo` (posts under `content/`) with `args`: exit code and stdout.
fn check(repo: &TestRepo, args: &[&str]) -> (Option<i32>, String) {
    let out = quire_command()
        .args([
            "check",
            "--repo",
            repo.path().to_str().unwrap(),
            "--root",
            "content",
        ])
        .args(args)
        .output()
        .expect("run quire check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn quire_check_passes_when_every_link_resolves() {
    let (code, stdout) = check(&linked_repo(&[]), &["--render"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.starts_with(
            "4 posts, 0 problems, 0 links to no page (of 11 between pages), 0 drafts left out: "
        ),
        "{stdout}"
    );
}

#[test]
fn quire_check_fails_listing_a_broken_link_with_its_line() {
    let (code, stdout) = check(&linked_repo(&[("content/posts/broken.md", BROKEN)]), &[]);
    assert_eq!(code, Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("content/posts/broken.md: line 6: links to `/missing/`"),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with(
            "5 posts, 0 problems, 1 links to no page (of 14 between pages), 0 drafts left out: "
        ),
        "{stdout}"
    );
}

#[test]
fn quire_check_render_also_lists_a_broken_anchor() {
    let (code, stdout) = check(
        &linked_repo(&[("content/posts/broken.md", BROKEN)]),
        &["--render"],
    );
    assert_eq!(code, Some(1), "{stdout}");
    let anchor = "content/posts/broken.md: line 8: links to `target.md#nope`, whose page has no heading with the id `nope`";
    assert!(stdout.lines().any(|l| l.starts_with(anchor)), "{stdout}");
    let missing: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("`/missing/`"))
        .collect();
    assert_eq!(
        missing,
        [
            "content/posts/broken.md: line 6: links to `/missing/`, which is no page or section of this commit: fix the link, or add an `aliases` entry to the page it meant"
        ],
        "the broken link once, with its line: {stdout}"
    );
}
