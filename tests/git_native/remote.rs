//! `at(ref:)` on a repository reached by URL: branches and tags not fetched yet are fetched
//! from the remote, at most once per `--ref-fetch-interval`.

use serde_json::Value;

use super::common::{Origin, TestRepo, TestServer, config, post};

const TOKEN: &str = "preview-token-0123456789";

async fn count_at(server: &TestServer, reference: &str) -> Value {
    let query = format!(r#"{{ at(ref: "{reference}") {{ posts {{ totalCount }} }} }}"#);
    server.post_as(&query, Some(TOKEN)).await
}

#[tokio::test]
async fn a_ref_not_fetched_yet_is_fetched_once_per_interval() {
    let repo = TestRepo::new();
    repo.commit(&[("content/posts/a.md", &post("title: A", "Alpha."))]);
    let origin = Origin::new();
    repo.push(&origin);
    let data = tempfile::tempdir().unwrap();
    let mut config = config(&origin.url(), "content");
    config.data_dir = Some(data.path().to_owned());
    config.refs.preview_tokens = vec![TOKEN.to_owned()];
    config.refs.ref_fetch_interval = 3600;
    let server = TestServer::start(config).await;

    // Pushed after the clone: the first ask fetches the branches and tags.
    repo.branch("feature");
    repo.checkout_branch("feature");
    repo.commit(&[("content/posts/b.md", &post("title: B", "Beta."))]);
    repo.push(&origin);
    repo.tag("v2", true);
    repo.push_ref(&origin, "refs/tags/v2");
    let feature = count_at(&server, "feature").await;
    assert_eq!(feature["data"]["at"]["posts"]["totalCount"], 2, "{feature}");
    let tag = count_at(&server, "v2").await;
    assert_eq!(tag["data"]["at"]["posts"]["totalCount"], 2, "{tag}");

    // Within the interval, a new ref is not fetched again.
    repo.branch("later");
    repo.checkout_branch("later");
    repo.push(&origin);
    let later = count_at(&server, "later").await;
    assert_eq!(
        later["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{later}"
    );
}
