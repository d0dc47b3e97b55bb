//! `posts(orderBy:)`: each order on posts of known titles, weights, dates, lastmods and word
//! counts, and cursors through an order, across a refresh and of another order.

use serde_json::json;

use super::common::{TestServer, post};
use super::{listed, repo, titles};

/// `n` words of text.
fn words(n: usize) -> String {
    vec!["word"; n].join(" ") + "\n"
}

/// Five posts. By date: Date (01-04), Apple (01-03), banana (01-02), cherry (01-01), Fig (no
/// date). Weights: cherry 1, banana 2, Date 3, none for Apple and Fig. Lastmods: cherry 2022,
/// banana 2021, Date 2020-01-05, none for Apple (its date stands in) and Fig. Words: Apple 20,
/// Date 10, banana 5, cherry 1, Fig 0.
fn files() -> Vec<(&'static str, String)> {
    vec![
        (
            "content/posts/apple.md",
            post("title: Apple\ndate: 2020-01-03", &words(20)),
        ),
        (
            "content/posts/banana.md",
            post(
                "title: banana\ndate: 2020-01-02\nweight: 2\nlastmod: 2021-05-01",
                &words(5),
            ),
        ),
        (
            "content/posts/cherry.md",
            post(
                "title: cherry\ndate: 2020-01-01\nweight: 1\nlastmod: 2022-01-01",
                &words(1),
            ),
        ),
        (
            "content/posts/date.md",
            post(
                "title: Date\ndate: 2020-01-04\nweight: 3\nlastmod: 2020-01-05",
                &words(10),
            ),
        ),
        ("content/posts/fig.md", post("title: Fig", "")),
    ]
}

/// The repository of [`files`].
fn fruit_repo() -> super::common::TestRepo {
    let files = files();
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, c)| (*p, c.as_str())).collect();
    repo(&borrowed)
}

async fn fruit() -> TestServer {
    TestServer::serving(fruit_repo(), "content").await
}

/// The titles in `order`.
async fn in_order(server: &TestServer, order: &str) -> Vec<String> {
    listed(server, &format!("orderBy: {order}")).await.0
}

#[tokio::test]
async fn date_desc_is_newest_first_and_the_default_with_undated_last() {
    let server = fruit().await;
    let newest = ["Date", "Apple", "banana", "cherry", "Fig"];
    assert_eq!(in_order(&server, "DATE_DESC").await, newest);
    assert_eq!(listed(&server, "").await.0, newest);
}

#[tokio::test]
async fn date_asc_is_oldest_first_with_undated_still_last() {
    let server = fruit().await;
    assert_eq!(
        in_order(&server, "DATE_ASC").await,
        ["cherry", "banana", "Apple", "Date", "Fig"]
    );
}

/// Titles sort case-insensitively: `banana` between `Apple` and `cherry`.
#[tokio::test]
async fn title_is_alphabetical_ignoring_case() {
    let server = fruit().await;
    assert_eq!(
        in_order(&server, "TITLE").await,
        ["Apple", "banana", "cherry", "Date", "Fig"]
    );
}

/// Lightest first; posts without a weight after, newest first among them.
#[tokio::test]
async fn weight_is_lightest_first_then_unweighted_by_date() {
    let server = fruit().await;
    assert_eq!(
        in_order(&server, "WEIGHT").await,
        ["cherry", "banana", "Date", "Apple", "Fig"]
    );
}

/// Last modified first; a post without `lastmod` counts its date, one with neither is last.
#[tokio::test]
async fn lastmod_is_latest_change_first_falling_back_to_the_date() {
    let server = fruit().await;
    assert_eq!(
        in_order(&server, "LASTMOD").await,
        ["cherry", "banana", "Date", "Apple", "Fig"]
    );
    let data = server
        .data("{ posts(orderBy: LASTMOD, first: 1) { nodes { lastmod } } }")
        .await;
    assert!(
        data["posts"]["nodes"][0]["lastmod"]
            .as_str()
            .is_some_and(|d| d.starts_with("2022-01-01")),
        "{data}"
    );
}

/// Longest first, by `wordCount`.
#[tokio::test]
async fn word_count_is_longest_first() {
    let server = fruit().await;
    let data = server
        .data("{ posts(orderBy: WORD_COUNT) { nodes { title wordCount } } }")
        .await;
    assert_eq!(
        data["posts"]["nodes"],
        json!([
            { "title": "Apple", "wordCount": 20 },
            { "title": "Date", "wordCount": 10 },
            { "title": "banana", "wordCount": 5 },
            { "title": "cherry", "wordCount": 1 },
            { "title": "Fig", "wordCount": 0 },
        ])
    );
}

/// A page of `posts(orderBy: ORDER, first: 2, after: AFTER)`: its titles, `endCursor` and
/// `hasNextPage`.
async fn page(
    server: &TestServer,
    order: &str,
    after: Option<&str>,
) -> (Vec<String>, String, bool) {
    let after = after.map_or_else(String::new, |c| format!(", after: \"{c}\""));
    let data = server
        .data(&format!(
            "{{ posts(orderBy: {order}, first: 2{after}) {{ totalCount nodes {{ title }} pageInfo {{ endCursor hasNextPage }} }} }}"
        ))
        .await;
    let posts = &data["posts"];
    (
        titles(&posts["nodes"])
            .into_iter()
            .map(str::to_owned)
            .collect(),
        posts["pageInfo"]["endCursor"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        posts["pageInfo"]["hasNextPage"]
            .as_bool()
            .expect("hasNextPage"),
    )
}

/// `after` walks through an order page by page, each post once.
#[tokio::test]
async fn a_cursor_pages_through_an_order() {
    let server = fruit().await;
    let (one, cursor, more) = page(&server, "WEIGHT", None).await;
    assert_eq!(one, ["cherry", "banana"]);
    assert!(more, "another page");
    let (two, cursor, more) = page(&server, "WEIGHT", Some(&cursor)).await;
    assert_eq!(two, ["Date", "Apple"]);
    assert!(more, "another page");
    let (three, _, more) = page(&server, "WEIGHT", Some(&cursor)).await;
    assert_eq!(three, ["Fig"]);
    assert!(!more, "the last page");
}

/// A `TITLE` cursor holds its post's place: after a refresh that removed that post, the next
/// page starts right after where it was.
#[tokio::test]
async fn a_title_cursor_continues_after_its_post_was_removed() {
    let repo = fruit_repo();
    let server = TestServer::start(repo.config("content")).await;
    let (one, cursor, _) = page(&server, "TITLE", None).await;
    assert_eq!(one, ["Apple", "banana"]);

    let removed = repo.remove(&["content/posts/banana.md"]);
    server.refresh_to(removed).await;

    let (two, _, more) = page(&server, "TITLE", Some(&cursor)).await;
    assert_eq!(two, ["cherry", "Date"]);
    assert!(more, "another page");
    assert_eq!(listed(&server, "orderBy: TITLE").await.1, 4);
}

/// A cursor is for the order it was given in: another order refuses it.
#[tokio::test]
async fn a_cursor_of_another_order_is_refused() {
    let server = fruit().await;
    let (_, title_cursor, _) = page(&server, "TITLE", None).await;
    let (_, newest_cursor, _) = page(&server, "DATE_DESC", None).await;
    for (order, cursor) in [
        ("WEIGHT", &title_cursor),
        ("DATE_ASC", &title_cursor),
        ("TITLE", &newest_cursor),
    ] {
        let (message, code) = server
            .error(&format!(
                "{{ posts(orderBy: {order}, first: 2, after: \"{cursor}\") {{ totalCount }} }}"
            ))
            .await;
        assert_eq!(code, json!("BAD_USER_INPUT"), "{order}: {message}");
        assert!(message.contains("cursor"), "{order}: {message}");
    }
}
