//! Links after a push: a post added later is found by the links written before it.

use super::common::{Origin, TestRepo, TestServer, config, post};
use super::post_at;

#[tokio::test]
async fn a_pushed_post_resolves_an_existing_link_and_lists_its_backlink() {
    let repo = TestRepo::new();
    repo.commit(&[(
        "content/posts/old.md",
        &post("title: Old", "Read [the new one](/posts/new/).\n"),
    )]);
    let origin = Origin::new();
    repo.push(&origin);
    let data = tempfile::tempdir().unwrap();
    let mut settings = config(&origin.url(), "content");
    settings.data_dir = Some(data.path().to_owned());
    let server = TestServer::start(settings).await;
    let before = post_at(
        &server,
        "content/posts/old.md",
        "problems { line } links { url }",
    )
    .await;
    assert_eq!(
        before["problems"][0]["line"], 4,
        "a link to no page yet: {before}"
    );
    assert_eq!(before["links"], serde_json::json!([]));

    repo.commit(&[("content/posts/new.md", &post("title: New", "Fresh.\n"))]);
    repo.push(&origin);
    server.refresh_to(repo.head()).await;

    let old = post_at(
        &server,
        "content/posts/old.md",
        "html problems { line } links { post { path } }",
    )
    .await;
    assert_eq!(
        old["html"],
        "<p>Read <a href=\"/posts/new/\">the new one</a>.</p>\n"
    );
    assert_eq!(old["problems"], serde_json::json!([]));
    assert_eq!(old["links"][0]["post"]["path"], "content/posts/new.md");
    let new = post_at(
        &server,
        "content/posts/new.md",
        "backlinks { post { path } text }",
    )
    .await;
    assert_eq!(
        new["backlinks"],
        serde_json::json!([{ "post": { "path": "content/posts/old.md" }, "text": "the new one" }])
    );
    let data = server.data("{ problems { path } }").await;
    assert_eq!(
        data["problems"],
        serde_json::json!([]),
        "the broken link is gone"
    );
}
