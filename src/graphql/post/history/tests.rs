use async_graphql::{EmptyMutation, Request, Schema};
use serde_json::{Value, json};

use crate::cache::RenderCache;
use crate::graphql::{Access, Query, Subscription};
use crate::index::testing::{next, snapshot};
use crate::index::{HISTORY_BYTES, HistoryCache};

const QUERY: &str = "{
  dated: post(slug: \"dated\") { lastmod updatedAt }
  post(slug: \"a\") {
    lastmod createdAt updatedAt
    history(first: 1) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { commit authorName authorEmail message body diffStat { added removed } }
    }
    contributors { name email commits }
  }
}";

/// Two commits: `a.md` added, then edited (with `dated.md`, whose front matter has a
/// `lastmod`, added); `QUERY`'s answer with and without a preview token.
async fn answers() -> (Value, Value, String) {
    let (dir, first) = snapshot(&[("a.md", "one\n")]);
    let snapshot = next(
        dir.path(),
        Some(&first),
        &[
            ("a.md", "one\ntwo\n"),
            ("dated.md", "---\nlastmod: 2020-02-02\n---\nText\n"),
        ],
    );
    let schema = Schema::build(Query, EmptyMutation, Subscription)
        .data(RenderCache::new(1 << 20))
        .data(HistoryCache::new(HISTORY_BYTES))
        .finish();
    let run = |preview: bool| {
        let request = Request::new(QUERY)
            .data(std::sync::Arc::clone(&snapshot))
            .data(snapshot.view(chrono::Utc::now()))
            .data(Access {
                preview,
                token_refused: false,
            });
        let schema = schema.clone();
        async move {
            let response = schema.execute(request).await;
            assert!(response.errors.is_empty(), "{:?}", response.errors);
            response.data.into_json().unwrap()
        }
    };
    (
        run(false).await,
        run(true).await,
        snapshot.revision().commit.clone(),
    )
}

#[tokio::test]
async fn answers_a_posts_history_and_shows_emails_only_with_a_preview_token() {
    let (public, preview, head) = answers().await;
    let post = &public["post"];
    assert_eq!(post["history"]["totalCount"], 2);
    assert_eq!(post["history"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(
        post["history"]["nodes"],
        json!([{
            "commit": head, "authorName": "Test", "authorEmail": null, "message": "posts",
            "body": null, "diffStat": { "added": 1, "removed": 0 }
        }])
    );
    assert_eq!(
        post["contributors"],
        json!([{ "name": "Test", "email": null, "commits": 2 }])
    );
    assert!(post["createdAt"].as_str().unwrap() <= post["updatedAt"].as_str().unwrap());
    // No `lastmod` written: git's; one written: the front matter's.
    assert_eq!(post["lastmod"], post["updatedAt"]);
    assert_eq!(public["dated"]["lastmod"], "2020-02-02T00:00:00Z");
    assert_ne!(public["dated"]["updatedAt"], public["dated"]["lastmod"]);

    let post = &preview["post"];
    assert_eq!(
        post["history"]["nodes"][0]["authorEmail"],
        "test@example.com"
    );
    assert_eq!(post["contributors"][0]["email"], "test@example.com");
}
