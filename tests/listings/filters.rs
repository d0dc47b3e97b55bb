//! `posts(filter:)`: each field of `PostFilter` alone, two together, and the filters that
//! cannot be applied. Every listing also checks that `totalCount` is the filtered count.

use serde_json::json;

use super::common::{TestServer, post};
use super::{filtered, listed, repo, serve, serve_with};

/// Five listed posts in `posts` (one in the nested section `posts/2019`) and `notes`, and a
/// `build.list: local` post in `notes`. Newest first (by instant): D, C, B, A, E.
///
/// A is dated 2017-12-31T23:30:00-05:00: 2017-12 and ISO week 2017-W52 in its own offset,
/// though 2018-01-01T04:30:00Z in UTC.
async fn blog() -> TestServer {
    serve(&[
        (
            "content/posts/a.md",
            &post(
                "title: A\ndate: 2017-12-31T23:30:00-05:00\ncategories: [Weekly Notes]\n\
                 keywords: [rust, async]\nauthor: Alice\ntags: [Go]",
                "Alpha.\n",
            ),
        ),
        (
            "content/posts/b.md",
            &post(
                "title: B\ndate: 2018-01-15T10:00:00Z\ncategories: [Releases]\n\
                 keywords: [rust]\nauthors: [Bob]",
                "Bravo[^1].\n\n[^1]: A footnote.\n",
            ),
        ),
        (
            "content/posts/c.md",
            &post(
                "title: C\ndate: 2018-03-05T09:00:00+01:00\ncategories: [weekly-notes]\n\
                 keywords: [async, tokio]\nauthor: Bob\ntags: [go, Web]",
                "Charlie.\n",
            ),
        ),
        ("content/posts/2019/_index.md", &post("title: 2019", "")),
        (
            "content/posts/2019/d.md",
            &post("title: D\ndate: 2019-06-01T12:00:00Z", "Delta.\n"),
        ),
        (
            "content/notes/e.md",
            &post("title: E\ndate: 2018-01-01T00:00:00Z", "Echo.\n"),
        ),
        (
            "content/notes/local.md",
            &post(
                "title: Local\ndate: 2016-01-01\n_build:\n  list: local",
                "Only in its section.\n",
            ),
        ),
    ])
    .await
}

#[tokio::test]
async fn without_a_filter_every_listed_post_is_there_newest_first() {
    let server = blog().await;
    assert_eq!(
        listed(&server, "").await,
        (vec_of(&["D", "C", "B", "A", "E"]), 5)
    );
}

/// Owned titles, for comparing with [`filtered`].
fn vec_of(titles: &[&str]) -> Vec<String> {
    titles.iter().map(|t| (*t).to_owned()).collect()
}

/// A category matches whatever spelling, slug or case it is given in.
#[tokio::test]
async fn category_matches_any_spelling_slug_or_case() {
    let server = blog().await;
    for spelling in [
        "Weekly Notes",
        "weekly notes",
        "weekly-notes",
        "WEEKLY NOTES",
    ] {
        assert_eq!(
            filtered(&server, &format!("{{category: \"{spelling}\"}}")).await,
            ["C", "A"],
            "category {spelling}"
        );
    }
    assert_eq!(filtered(&server, "{category: \"releases\"}").await, ["B"]);
    assert!(
        filtered(&server, "{category: \"nothing\"}")
            .await
            .is_empty()
    );
}

/// `keywords.any` takes the posts with one of them, `keywords.all` those with every one.
#[tokio::test]
async fn keywords_any_takes_one_of_them_and_all_takes_every_one() {
    let server = blog().await;
    assert_eq!(
        filtered(&server, "{keywords: {any: [\"Rust\", \"tokio\"]}}").await,
        ["C", "B", "A"]
    );
    assert_eq!(
        filtered(&server, "{keywords: {all: [\"rust\", \"ASYNC\"]}}").await,
        ["A"]
    );
    // Both: one of `any` and every one of `all`.
    assert_eq!(
        filtered(
            &server,
            "{keywords: {any: [\"tokio\", \"rust\"], all: [\"async\"]}}"
        )
        .await,
        ["C", "A"]
    );
}

/// An author (front matter `author`) matches by name in any case.
#[tokio::test]
async fn author_matches_in_any_case() {
    let server = blog().await;
    assert_eq!(filtered(&server, "{author: \"ALICE\"}").await, ["A"]);
    assert!(
        filtered(&server, "{author: \"bob\"}")
            .await
            .contains(&"C".to_owned())
    );
}

/// Front matter `authors` (a list) names authors as `author` does: the `authors` query says
/// it reads both.
#[tokio::test]
async fn author_matches_posts_that_list_authors() {
    let server = blog().await;
    assert_eq!(filtered(&server, "{author: \"bob\"}").await, ["C", "B"]);
}

/// A section holds the sections below it; a nested section holds its own posts only.
#[tokio::test]
async fn section_holds_its_nested_sections() {
    let server = blog().await;
    assert_eq!(
        filtered(&server, "{section: \"posts\"}").await,
        ["D", "C", "B", "A"]
    );
    assert_eq!(filtered(&server, "{section: \"posts/2019\"}").await, ["D"]);
}

/// A `build.list: local` post is listed in its section's listing, and in no other.
#[tokio::test]
async fn a_list_local_post_is_listed_only_with_its_section() {
    let server = blog().await;
    assert_eq!(
        filtered(&server, "{section: \"notes\"}").await,
        ["E", "Local"]
    );
    assert!(!listed(&server, "").await.0.contains(&"Local".to_owned()));
    assert!(
        !filtered(&server, "{year: 2016}")
            .await
            .contains(&"Local".to_owned()),
        "a filter other than section does not list it"
    );
}

/// `tags` is one of Hugo's default taxonomies: `taxonomy` filters by it, any or all.
#[tokio::test]
async fn taxonomy_tags_is_there_by_default() {
    let server = blog().await;
    assert_eq!(
        filtered(&server, "{taxonomy: {name: \"tags\", any: [\"GO\"]}}").await,
        ["C", "A"]
    );
    assert_eq!(
        filtered(
            &server,
            "{taxonomy: {name: \"tags\", all: [\"go\", \"web\"]}}"
        )
        .await,
        ["C"]
    );
    // Categories are a taxonomy too.
    assert_eq!(
        filtered(
            &server,
            "{taxonomy: {name: \"categories\", any: [\"Releases\"]}}"
        )
        .await,
        ["B"]
    );
}

/// `dateFrom` takes a post dated at that very instant, `dateTo` leaves it out; instants are
/// compared across offsets.
#[tokio::test]
async fn date_from_is_inclusive_and_date_to_exclusive() {
    let server = blog().await;
    // B is at 2018-01-15T10:00:00Z; C at 2018-03-05T09:00:00+01:00, which is 08:00Z.
    assert_eq!(
        filtered(
            &server,
            "{dateFrom: \"2018-01-15T10:00:00Z\", dateTo: \"2018-03-05T08:00:00Z\"}"
        )
        .await,
        ["B"]
    );
    // A date alone is midnight UTC: E is at it, A (2017-12-31 in its offset) after it.
    assert_eq!(
        filtered(&server, "{dateFrom: \"2018-01-01\"}").await,
        ["D", "C", "B", "A", "E"]
    );
    assert_eq!(
        filtered(&server, "{dateTo: \"2018-01-01T04:30:00Z\"}").await,
        ["E"]
    );
    assert_eq!(
        filtered(&server, "{dateTo: \"2018-01-01T04:30:00.001Z\"}").await,
        ["A", "E"]
    );
}

/// `year` and `month` are read in the offset each post was written with: A is in 2017-12,
/// though it is 2018-01-01 in UTC.
#[tokio::test]
async fn year_and_month_are_in_the_posts_own_offset() {
    let server = blog().await;
    assert_eq!(filtered(&server, "{year: 2017}").await, ["A"]);
    assert_eq!(filtered(&server, "{year: 2018}").await, ["C", "B", "E"]);
    assert_eq!(filtered(&server, "{year: 2017, month: 12}").await, ["A"]);
    assert_eq!(
        filtered(&server, "{year: 2018, month: 1}").await,
        ["B", "E"]
    );
    assert_eq!(filtered(&server, "{month: 3}").await, ["C"]);
}

/// `isoWeek` is the ISO 8601 week of the date in its own offset.
#[tokio::test]
async fn iso_week_is_in_the_posts_own_offset() {
    let server = blog().await;
    assert_eq!(
        filtered(&server, "{isoWeek: {year: 2017, week: 52}}").await,
        ["A"]
    );
    assert_eq!(
        filtered(&server, "{isoWeek: {year: 2018, week: 1}}").await,
        ["E"]
    );
    assert_eq!(
        filtered(&server, "{isoWeek: {year: 2018, week: 3}}").await,
        ["B"]
    );
    assert!(
        filtered(&server, "{isoWeek: {year: 2018, week: 2}}")
            .await
            .is_empty()
    );
}

/// `hasFootnotes: true` takes the posts whose body has footnotes, `false` the others.
#[tokio::test]
async fn has_footnotes_takes_the_posts_with_or_without_them() {
    let server = blog().await;
    assert_eq!(filtered(&server, "{hasFootnotes: true}").await, ["B"]);
    assert_eq!(
        filtered(&server, "{hasFootnotes: false}").await,
        ["D", "C", "A", "E"]
    );
}

/// Two conditions together: both must hold.
#[tokio::test]
async fn category_and_year_together_take_the_posts_with_both() {
    let server = blog().await;
    assert_eq!(
        filtered(&server, "{category: \"Weekly Notes\", year: 2018}").await,
        ["C"]
    );
    assert!(
        filtered(&server, "{category: \"Releases\", year: 2017}")
            .await
            .is_empty()
    );
}

/// `totalCount` counts the whole filtered listing, not the page.
#[tokio::test]
async fn total_count_is_the_filtered_count_across_pages() {
    let server = blog().await;
    let data = server
        .data("{ posts(filter: {year: 2018}, first: 1) { totalCount nodes { title } pageInfo { hasNextPage } } }")
        .await;
    assert_eq!(
        data["posts"],
        json!({ "totalCount": 3, "nodes": [{ "title": "C" }], "pageInfo": { "hasNextPage": true } })
    );
}

/// `language` takes the posts of one language of a multilingual site.
#[tokio::test]
async fn language_takes_the_posts_of_one_language() {
    let repo = repo(&[
        (
            "hugo.toml",
            "defaultContentLanguage = \"en\"\n\
             [languages.en]\ncontentDir = \"content/en\"\nweight = 1\n\
             [languages.fr]\ncontentDir = \"content/fr\"\nweight = 2\n",
        ),
        (
            "content/en/posts/hello.md",
            &post("title: Hello\ndate: 2020-01-02", ""),
        ),
        (
            "content/en/posts/only.md",
            &post("title: Only\ndate: 2020-01-01", ""),
        ),
        (
            "content/fr/posts/hello.md",
            &post("title: Bonjour\ndate: 2020-01-03", ""),
        ),
    ]);
    let server = serve_with(repo, |_| {}).await;
    assert_eq!(filtered(&server, "{language: \"fr\"}").await, ["Bonjour"]);
    assert_eq!(
        filtered(&server, "{language: \"en\"}").await,
        ["Hello", "Only"]
    );
    assert_eq!(
        filtered(&server, "{language: \"fr\", section: \"posts\"}").await,
        ["Bonjour"]
    );
}

/// Asserts that `posts(filter: FILTER)` is a `BAD_USER_INPUT` error whose message has each of
/// `words`.
async fn refused(server: &TestServer, filter: &str, words: &[&str]) {
    let (message, code) = server
        .error(&format!("{{ posts(filter: {filter}) {{ totalCount }} }}"))
        .await;
    assert_eq!(code, json!("BAD_USER_INPUT"), "{filter}: {message}");
    for word in words {
        assert!(
            message.contains(word),
            "{filter}: {message:?} names {word:?}"
        );
    }
}

/// A taxonomy the site does not define is refused, naming it and the ones there are.
#[tokio::test]
async fn an_unknown_taxonomy_is_bad_user_input() {
    let server = blog().await;
    refused(
        &server,
        "{taxonomy: {name: \"series\", any: [\"x\"]}}",
        &["series", "tags"],
    )
    .await;
}

/// Month 13 is refused.
#[tokio::test]
async fn month_13_is_bad_user_input() {
    let server = blog().await;
    refused(&server, "{month: 13}", &["month", "13"]).await;
}

/// `dateFrom` after `dateTo` is refused rather than listing nothing.
#[tokio::test]
async fn date_from_after_date_to_is_bad_user_input() {
    let server = blog().await;
    refused(
        &server,
        "{dateFrom: \"2019-01-01\", dateTo: \"2018-01-01\"}",
        &["dateFrom", "dateTo"],
    )
    .await;
}

/// A `dateFrom` that is not a date is refused, quoting it.
#[tokio::test]
async fn a_date_from_that_is_not_a_date_is_bad_user_input() {
    let server = blog().await;
    refused(
        &server,
        "{dateFrom: \"yesterday\"}",
        &["dateFrom", "yesterday"],
    )
    .await;
}
