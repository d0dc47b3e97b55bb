//! Publishing rules at query time, on a clock the test moves: a scheduled post appears at its
//! publish instant and an expiring one disappears at its expiry instant, everywhere, with no
//! refresh; and no cache (the response cache, an `ETag`, `Cache-Control`) answers across either
//! instant.

use chrono::{DateTime, TimeDelta, Utc};
use reqwest::header;
use serde_json::Value;

use crate::common::{TestRepo, TestServer, eventually, post};

/// The instant the test starts at.
fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-01T09:00:00Z")
        .unwrap()
        .to_utc()
}

/// A past post, one published a second after [`start`] and one that expires two seconds after
/// it, all in category `News`, each with its own word to search for.
async fn scheduled() -> (TestServer, quire::Clock) {
    let repo = TestRepo::new();
    repo.commit(&[
        (
            "content/posts/old.md",
            &post(
                "title: Old\ndate: 2026-11-01T09:00:00Z\ncategories: [News]\nauthor: Ann",
                "Old news about aardvarks.\n",
            ),
        ),
        (
            "content/posts/soon.md",
            &post(
                "title: Soon\ndate: 2026-11-20T09:00:00Z\npublishDate: 2026-12-01T09:00:01Z\ncategories: [News, Launches]\nauthor: Bo",
                "Scheduled news about zebras.\n",
            ),
        ),
        (
            "content/posts/brief.md",
            &post(
                "title: Brief\ndate: 2026-11-10T09:00:00Z\nexpiryDate: 2026-12-01T09:00:02Z\ncategories: [News, Offers]\nauthor: Cy",
                "A short-lived offer on yaks.\n",
            ),
        ),
    ]);
    let clock = quire::Clock::manual(start());
    let mut config = repo.config("content");
    config.public_url = Some("https://blog.example/".parse().unwrap());
    config.listing.clock = clock.clone();
    (TestServer::serving_with(repo, config).await, clock)
}

/// Everything a listing shows, in one query.
const LISTINGS: &str = r#"{
  posts { totalCount nodes { title } }
  categories { name count }
  authors { name }
  archive(by: MONTH) { year month count }
  launches: posts(filter: { category: "Launches" }) { totalCount }
  soon: post(slug: "soon") { title }
  brief: postByUrl(url: "/posts/brief/") { post { title } }
  revision { nextScheduledChange }
}"#;

fn titles(data: &Value) -> Vec<&str> {
    data["posts"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap())
        .collect()
}

fn count(data: &Value, category: &str) -> Option<u64> {
    data["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == category)
        .map(|c| c["count"].as_u64().unwrap())
}

/// The titles `search(query)` finds, once every post's text is read.
async fn search(server: &TestServer, query: &str) -> Vec<String> {
    let q = format!(r#"{{ search(query: "{query}") {{ edges {{ node {{ title }} }} }} }}"#);
    let answer = eventually("the search index", crate::common::SECS_20, || async {
        let answer = server.post(&q, serde_json::json!({})).await;
        answer.get("errors").is_none().then_some(answer)
    })
    .await;
    answer["data"]["search"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
        .collect()
}

/// The titles of the RSS feed's items.
async fn feed_titles(server: &TestServer) -> Vec<String> {
    let body = server.text("/feed.xml").await;
    let feed = feed_rs::parser::parse(body.as_bytes()).expect("an RSS feed");
    feed.entries
        .into_iter()
        .map(|e| e.title.expect("a title").content)
        .collect()
}

#[tokio::test]
async fn a_scheduled_post_appears_at_its_publish_instant_everywhere_without_a_refresh() {
    let (server, clock) = scheduled().await;
    let commit = server.commit().await;
    let before = server.data(LISTINGS).await;
    assert_eq!(titles(&before), ["Brief", "Old"]);
    assert_eq!(before["posts"]["totalCount"], 2);
    assert_eq!(count(&before, "News"), Some(2));
    assert_eq!(count(&before, "Launches"), None);
    assert_eq!(before["launches"]["totalCount"], 0);
    assert!(before["soon"].is_null());
    assert_eq!(
        before["revision"]["nextScheduledChange"],
        "2026-12-01T09:00:01Z"
    );
    let months: u64 = before["archive"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["count"].as_u64().unwrap())
        .sum();
    assert_eq!(months, 2);
    assert!(search(&server, "zebras").await.is_empty());
    assert!(!feed_titles(&server).await.contains(&"Soon".to_owned()));

    clock.advance(TimeDelta::seconds(1));
    let after = server.data(LISTINGS).await;
    assert_eq!(titles(&after), ["Soon", "Brief", "Old"]);
    assert_eq!(after["posts"]["totalCount"], 3);
    assert_eq!(count(&after, "News"), Some(3));
    assert_eq!(count(&after, "Launches"), Some(1));
    assert_eq!(after["launches"]["totalCount"], 1);
    assert_eq!(after["soon"]["title"], "Soon");
    assert_eq!(after["archive"][0]["count"], 3);
    assert_eq!(search(&server, "zebras").await, ["Soon"]);
    assert_eq!(feed_titles(&server).await[0], "Soon");
    // Nothing was loaded again: the same commit answers.
    assert_eq!(server.commit().await, commit);
}

#[tokio::test]
async fn an_expired_post_disappears_at_its_expiry_instant_everywhere() {
    let (server, clock) = scheduled().await;
    let before = server.data(LISTINGS).await;
    assert_eq!(before["brief"]["post"]["title"], "Brief");
    assert_eq!(search(&server, "yaks").await, ["Brief"]);
    let sitemap = server.text("/sitemap.xml").await;
    assert!(
        sitemap.contains("https://blog.example/posts/brief/"),
        "{sitemap}"
    );

    clock.advance(TimeDelta::seconds(2));
    let after = server.data(LISTINGS).await;
    assert_eq!(titles(&after), ["Soon", "Old"]);
    assert!(after["brief"].is_null(), "{after}");
    assert_eq!(count(&after, "Offers"), None);
    assert!(
        after["authors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["name"] != "Cy")
    );
    assert!(after["revision"]["nextScheduledChange"].is_null());
    let (message, code) = server
        .error(r#"{ postsByCategory(category: "Offers") { totalCount } }"#)
        .await;
    assert_eq!(code, "NOT_FOUND", "{message}");
    assert!(search(&server, "yaks").await.is_empty());
    assert!(!feed_titles(&server).await.contains(&"Brief".to_owned()));
    let sitemap = server.text("/sitemap.xml").await;
    assert!(!sitemap.contains("/posts/brief/"), "{sitemap}");
}

#[tokio::test]
async fn no_cache_answers_across_a_scheduled_instant() {
    let (server, clock) = scheduled().await;
    let url = server.url(&format!(
        "/graphql?query={}",
        urlencode("{ posts { nodes { title } } }")
    ));
    let first = server.client().get(&url).send().await.unwrap();
    let etag = first.headers()[header::ETAG].to_str().unwrap().to_owned();
    let control = first.headers()[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .to_owned();
    // One second to the next change: no cache may keep the answer longer.
    assert_eq!(control, "public, max-age=1, stale-while-revalidate=0");
    assert!(!first.text().await.unwrap().contains("Soon"));
    // Before the instant, the same GET is answered from the response cache, and the tag holds.
    let again = server
        .client()
        .get(&url)
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let feed = server
        .client()
        .get(server.url("/feed.json"))
        .send()
        .await
        .unwrap();
    let feed_tag = feed.headers()[header::ETAG].to_str().unwrap().to_owned();

    clock.advance(TimeDelta::seconds(1));
    let stale = server
        .client()
        .get(&url)
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        stale.status(),
        200,
        "the tag of the old answer no longer holds"
    );
    assert_ne!(stale.headers()[header::ETAG].to_str().unwrap(), etag);
    assert!(
        stale.text().await.unwrap().contains("Soon"),
        "not the cached answer"
    );
    let cached = server.client().get(&url).send().await.unwrap();
    assert!(cached.text().await.unwrap().contains("Soon"));
    let feed = server
        .client()
        .get(server.url("/feed.json"))
        .header(header::IF_NONE_MATCH, &feed_tag)
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), 200);
    // The next change is the expiry, a second away.
    assert_eq!(
        server.client().get(&url).send().await.unwrap().headers()[header::CACHE_CONTROL],
        "public, max-age=1, stale-while-revalidate=0"
    );
}

/// Serves one post that is both to come and expired, with `--future` and, when `expired`,
/// `--expired`.
async fn both_scheduled(expired: bool) -> TestServer {
    let repo = TestRepo::new();
    repo.commit(&[(
        "content/posts/both.md",
        &post(
            "title: Both\npublishDate: 2030-01-01T00:00:00Z\nexpiryDate: 2020-01-01T00:00:00Z",
            "Text.\n",
        ),
    )]);
    let mut config = repo.config("content");
    config.listing.clock = quire::Clock::manual(start());
    config.listing.future = true;
    config.listing.expired = expired;
    TestServer::serving_with(repo, config).await
}

#[tokio::test]
async fn future_and_expired_posts_are_served_with_the_flags() {
    // Future is allowed, but it has expired.
    let server = both_scheduled(false).await;
    assert_eq!(server.data(LISTINGS).await["posts"]["totalCount"], 0);
    drop(server);

    let server = both_scheduled(true).await;
    let data = server
        .data(
            "{ posts { nodes { title publishDate expiryDate } } revision { nextScheduledChange } }",
        )
        .await;
    assert_eq!(data["posts"]["nodes"][0]["title"], "Both");
    assert_eq!(
        data["posts"]["nodes"][0]["publishDate"],
        "2030-01-01T00:00:00Z"
    );
    assert!(data["revision"]["nextScheduledChange"].is_null());
}

/// `text` percent-encoded for a query string.
fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
