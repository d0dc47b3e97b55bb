//! `archive(by:)` by year, month and ISO week, with a filter; `authors` and `taxonomies` with
//! their counts.

use serde_json::{Value, json};

use super::common::{TestServer, post};
use super::serve;

/// Seven posts. A is dated 2017-12-31T23:30:00-05:00 (2018 in UTC, 2017 in its offset); G
/// 2018-12-31, which is in ISO week 2019-W01; F has no date.
async fn blog() -> TestServer {
    serve(&[
        (
            "content/posts/a.md",
            &post(
                "title: A\ndate: 2017-12-31T23:30:00-05:00\ncategories: [News]\nauthor: Alice\ntags: [Go]",
                "",
            ),
        ),
        (
            "content/posts/b.md",
            &post(
                "title: B\ndate: 2018-01-15T10:00:00Z\ncategories: [News]\nauthor: Bob\ntags: [Go, Web]",
                "",
            ),
        ),
        (
            "content/posts/c.md",
            &post(
                "title: C\ndate: 2018-01-20T10:00:00Z\ncategories: [Misc]\nauthor: bob",
                "",
            ),
        ),
        (
            "content/posts/d.md",
            &post(
                "title: D\ndate: 2018-03-05T09:00:00+01:00\ncategories: [news]\nauthor: Bob",
                "",
            ),
        ),
        (
            "content/posts/e.md",
            &post(
                "title: E\ndate: 2019-06-01T08:00:00Z\ncategories: [Misc]\nauthor: Alice",
                "",
            ),
        ),
        (
            "content/posts/f.md",
            &post("title: F\ncategories: [News]", ""),
        ),
        (
            "content/posts/g.md",
            &post(
                "title: G\ndate: 2018-12-31T12:00:00Z\ncategories: [Misc]\nauthor: Alice",
                "",
            ),
        ),
    ])
    .await
}

/// `archive(ARGS)` with every field.
async fn archive(server: &TestServer, args: &str) -> Value {
    server
        .data(&format!(
            "{{ archive({args}) {{ year month week count firstDate lastDate }} }}"
        ))
        .await["archive"]
        .clone()
}

/// One period of an archive.
fn period(
    (year, month, week): (i32, Option<u32>, Option<u32>),
    count: usize,
    first: &str,
    last: &str,
) -> Value {
    json!({ "year": year, "month": month, "week": week, "count": count, "firstDate": first, "lastDate": last })
}

/// Years newest first, each post in the year of its own offset; an undated post is in none.
#[tokio::test]
async fn archive_by_year_counts_each_year_newest_first() {
    let server = blog().await;
    assert_eq!(
        archive(&server, "by: YEAR").await,
        json!([
            period(
                (2019, None, None),
                1,
                "2019-06-01T08:00:00Z",
                "2019-06-01T08:00:00Z"
            ),
            period(
                (2018, None, None),
                4,
                "2018-01-15T10:00:00Z",
                "2018-12-31T12:00:00Z"
            ),
            period(
                (2017, None, None),
                1,
                "2017-12-31T23:30:00-05:00",
                "2017-12-31T23:30:00-05:00"
            ),
        ])
    );
}

/// Months newest first, with the oldest and newest date of each.
#[tokio::test]
async fn archive_by_month_counts_each_month_newest_first() {
    let server = blog().await;
    assert_eq!(
        archive(&server, "by: MONTH").await,
        json!([
            period(
                (2019, Some(6), None),
                1,
                "2019-06-01T08:00:00Z",
                "2019-06-01T08:00:00Z"
            ),
            period(
                (2018, Some(12), None),
                1,
                "2018-12-31T12:00:00Z",
                "2018-12-31T12:00:00Z"
            ),
            period(
                (2018, Some(3), None),
                1,
                "2018-03-05T09:00:00+01:00",
                "2018-03-05T09:00:00+01:00"
            ),
            period(
                (2018, Some(1), None),
                2,
                "2018-01-15T10:00:00Z",
                "2018-01-20T10:00:00Z"
            ),
            period(
                (2017, Some(12), None),
                1,
                "2017-12-31T23:30:00-05:00",
                "2017-12-31T23:30:00-05:00"
            ),
        ])
    );
}

/// ISO weeks newest first, under the ISO week-numbering year: 2018-12-31 is in 2019-W01.
#[tokio::test]
async fn archive_by_iso_week_uses_the_iso_year() {
    let server = blog().await;
    assert_eq!(
        archive(&server, "by: ISO_WEEK").await,
        json!([
            period(
                (2019, None, Some(22)),
                1,
                "2019-06-01T08:00:00Z",
                "2019-06-01T08:00:00Z"
            ),
            period(
                (2019, None, Some(1)),
                1,
                "2018-12-31T12:00:00Z",
                "2018-12-31T12:00:00Z"
            ),
            period(
                (2018, None, Some(10)),
                1,
                "2018-03-05T09:00:00+01:00",
                "2018-03-05T09:00:00+01:00"
            ),
            period(
                (2018, None, Some(3)),
                2,
                "2018-01-15T10:00:00Z",
                "2018-01-20T10:00:00Z"
            ),
            period(
                (2017, None, Some(52)),
                1,
                "2017-12-31T23:30:00-05:00",
                "2017-12-31T23:30:00-05:00"
            ),
        ])
    );
}

/// An archive with a filter counts only the posts that pass it.
#[tokio::test]
async fn archive_with_a_filter_counts_only_its_posts() {
    let server = blog().await;
    assert_eq!(
        archive(&server, "by: YEAR, filter: {category: \"News\"}").await,
        json!([
            period(
                (2018, None, None),
                2,
                "2018-01-15T10:00:00Z",
                "2018-03-05T09:00:00+01:00"
            ),
            period(
                (2017, None, None),
                1,
                "2017-12-31T23:30:00-05:00",
                "2017-12-31T23:30:00-05:00"
            ),
        ])
    );
    let (message, code) = server
        .error("{ archive(by: MONTH, filter: {month: 0}) { count } }")
        .await;
    assert_eq!(code, json!("BAD_USER_INPUT"), "{message}");
}

/// Each author once, by slug, under the spelling most posts use, with their count.
#[tokio::test]
async fn authors_have_their_counts_under_the_common_spelling() {
    let server = blog().await;
    assert_eq!(
        server.data("{ authors { name slug count } }").await["authors"],
        json!([
            { "name": "Alice", "slug": "alice", "count": 3 },
            { "name": "Bob", "slug": "bob", "count": 3 },
        ])
    );
}

/// Hugo's default taxonomies, `categories` and `tags`, each term with its count (an undated
/// post counts too); `categories` agrees.
#[tokio::test]
async fn taxonomies_list_each_term_with_its_count() {
    let server = blog().await;
    let data = server
        .data("{ taxonomies { name terms { name slug count } } categories { name slug count } }")
        .await;
    let categories = json!([
        { "name": "Misc", "slug": "misc", "count": 3 },
        { "name": "News", "slug": "news", "count": 4 },
    ]);
    assert_eq!(
        data["taxonomies"],
        json!([
            { "name": "categories", "terms": categories },
            { "name": "tags", "terms": [
                { "name": "Go", "slug": "go", "count": 2 },
                { "name": "Web", "slug": "web", "count": 1 },
            ] },
        ])
    );
    assert_eq!(data["categories"], categories);
}
