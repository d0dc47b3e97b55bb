//! `Post.history`, `createdAt`, `updatedAt`, `contributors`, and `lastmod` from git: commits by
//! three authors on known days, with a move, served by a real server.

use serde_json::{Value, json};

use super::common::{TestRepo, TestServer, post};

/// 2024-01-01T00:00:00Z, and a day.
const T0: i64 = 1_704_067_200;
const DAY: i64 = 86_400;

const ADA: (&str, &str) = ("Ada", "ada@example.com");
const BOB: (&str, &str) = ("Bob", "bob@example.com");
const CY: (&str, &str) = ("Cy", "cy@example.com");

/// The hello post's text after each of its edits.
fn hello(edit: usize) -> String {
    let body = match edit {
        0 => "First line with a tpyo.\nSecond line.\n",
        1 => "First line with a typo.\nSecond line.\n",
        _ => "First line with a typo.\nSecond line.\n\nA new paragraph.\n",
    };
    post("title: Hello\ndate: 2020-01-01", body)
}

/// Ada adds `hello.md` (6 lines) and `dated.md` (with a `lastmod`) on day 0; Bob fixes a typo
/// in hello on day 1; Ada adds a paragraph on day 2; Cy moves it to `greetings.md` on day 3.
/// Returns the repository and its commits in order.
fn repo() -> (TestRepo, Vec<git2::Oid>) {
    let repo = TestRepo::new();
    let dated = post(
        "title: Dated\ndate: 2020-01-01\nlastmod: 2021-05-05",
        "Body\n",
    );
    let commits = vec![
        repo.commit_by(
            ADA,
            T0,
            "Add hello",
            &[
                ("content/posts/hello.md", &hello(0)),
                ("content/posts/dated.md", &dated),
            ],
            &[],
        ),
        repo.commit_by(
            BOB,
            T0 + DAY,
            "Fix a typo\n\nIn the first line.\n",
            &[("content/posts/hello.md", &hello(1))],
            &[],
        ),
        repo.commit_by(
            ADA,
            T0 + 2 * DAY,
            "Add a paragraph",
            &[("content/posts/hello.md", &hello(2))],
            &[],
        ),
        repo.commit_by(
            CY,
            T0 + 3 * DAY,
            "Move hello",
            &[("content/posts/greetings.md", &hello(2))],
            &["content/posts/hello.md"],
        ),
    ];
    (repo, commits)
}

async fn served() -> (TestServer, Vec<git2::Oid>) {
    let (repo, commits) = repo();
    (TestServer::serving(repo, "content").await, commits)
}

/// The subjects of a page of hello's history, its `pageInfo` and `totalCount`.
async fn page(server: &TestServer, arguments: &str) -> (Vec<String>, Value, Value) {
    let data = server
        .data(&format!(
            "{{ post(slug: \"hello\") {{ history({arguments}) {{
                totalCount pageInfo {{ hasNextPage hasPreviousPage endCursor }}
                edges {{ cursor }} nodes {{ message }}
            }} }} }}"
        ))
        .await;
    let history = &data["post"]["history"];
    let subjects = history["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap().to_owned())
        .collect();
    (
        subjects,
        history["pageInfo"].clone(),
        history["totalCount"].clone(),
    )
}

#[tokio::test]
async fn history_is_newest_first_in_pages_and_follows_a_move() {
    let (server, _) = served().await;
    let (subjects, info, total) = page(&server, "first: 2").await;
    assert_eq!(subjects, ["Move hello", "Add a paragraph"]);
    assert_eq!(total, 4);
    assert_eq!(info["hasNextPage"], true);
    assert_eq!(info["hasPreviousPage"], false);
    let after = info["endCursor"].as_str().unwrap();
    let (subjects, info, _) = page(&server, &format!("first: 2, after: \"{after}\"")).await;
    assert_eq!(subjects, ["Fix a typo", "Add hello"]);
    assert_eq!(info["hasNextPage"], false);
    assert_eq!(info["hasPreviousPage"], true);
    // 20 by default.
    let (subjects, _, _) = page(&server, "after: null").await;
    assert_eq!(subjects.len(), 4);
}

#[tokio::test]
async fn each_commit_has_its_author_dates_message_and_the_lines_it_changed() {
    let (server, commits) = served().await;
    let data = server
        .data(
            "{ post(slug: \"hello\") { path history { nodes {
                commit authorName authorEmail authoredAt committedAt message body
                diffStat { added removed }
            } } } }",
        )
        .await;
    assert_eq!(data["post"]["path"], "content/posts/greetings.md");
    let nodes = &data["post"]["history"]["nodes"];
    assert_eq!(
        nodes[2],
        json!({
            "commit": commits[1].to_string(),
            "authorName": "Bob",
            "authorEmail": null,
            "authoredAt": "2024-01-02T00:00:00+00:00",
            "committedAt": "2024-01-02T00:00:00+00:00",
            "message": "Fix a typo",
            "body": "In the first line.",
            "diffStat": { "added": 1, "removed": 1 },
        })
    );
    let stats: Vec<(&str, &Value)> = nodes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["message"].as_str().unwrap(), &n["diffStat"]))
        .collect();
    assert_eq!(
        stats,
        [
            ("Move hello", &json!({ "added": 0, "removed": 0 })),
            ("Add a paragraph", &json!({ "added": 2, "removed": 0 })),
            ("Fix a typo", &json!({ "added": 1, "removed": 1 })),
            ("Add hello", &json!({ "added": 6, "removed": 0 })),
        ]
    );
    // Without a preview token no address is shown, in history or contributors.
    let emails = server
        .data("{ post(slug: \"hello\") { history { nodes { authorEmail } } contributors { email } } }")
        .await;
    let all: Vec<&Value> = emails["post"]["history"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .chain(emails["post"]["contributors"].as_array().unwrap())
        .flat_map(|o| o.as_object().unwrap().values())
        .collect();
    assert_eq!(all.len(), 7);
    assert!(all.iter().all(|v| v.is_null()), "{emails}");
}

#[tokio::test]
async fn a_preview_token_shows_the_authors_addresses() {
    let (repo, _) = repo();
    let mut config = repo.config("content");
    config.refs.preview_tokens = vec![TOKEN.to_owned()];
    let server = TestServer::serving_with(repo, config).await;
    let query = "{ post(slug: \"hello\") { history(first: 1) { nodes { authorEmail } } contributors { email } } }";
    let shown = server.post_as(query, Some(TOKEN)).await;
    let post = &shown["data"]["post"];
    assert!(
        post["history"]["nodes"][0]["authorEmail"]
            .as_str()
            .unwrap()
            .contains('@'),
        "{shown}"
    );
    assert!(
        post["contributors"][0]["email"]
            .as_str()
            .unwrap()
            .contains('@'),
        "{shown}"
    );
    let hidden = server.post_as(query, Some("wrong-token-0123456789")).await;
    assert!(
        hidden["data"]["post"]["history"]["nodes"][0]["authorEmail"].is_null(),
        "{hidden}"
    );
}

const TOKEN: &str = "preview-token-0123456789";

#[tokio::test]
async fn created_updated_and_contributors_come_from_the_history() {
    let (server, _) = served().await;
    let data = server
        .data(
            "{ post(slug: \"hello\") { createdAt updatedAt contributors { name email commits } }
               dated: post(slug: \"dated\") { createdAt updatedAt } }",
        )
        .await;
    let hello = &data["post"];
    assert_eq!(hello["createdAt"], "2024-01-01T00:00:00+00:00");
    assert_eq!(hello["updatedAt"], "2024-01-04T00:00:00+00:00");
    assert_eq!(
        hello["contributors"],
        json!([
            { "name": "Ada", "email": null, "commits": 2 },
            { "name": "Cy", "email": null, "commits": 1 },
            { "name": "Bob", "email": null, "commits": 1 },
        ])
    );
    assert_eq!(data["dated"]["createdAt"], "2024-01-01T00:00:00+00:00");
    assert_eq!(data["dated"]["updatedAt"], "2024-01-01T00:00:00+00:00");
}

#[tokio::test]
async fn lastmod_is_the_last_commit_unless_the_front_matter_has_one() {
    let (server, _) = served().await;
    let data = server
        .data("{ posts(orderBy: LASTMOD) { nodes { title lastmod updatedAt } } }")
        .await;
    assert_eq!(
        data["posts"]["nodes"],
        json!([
            // Ordered by the front matter's lastmod, else its date: git is not read to order.
            { "title": "Dated", "lastmod": "2021-05-05T00:00:00Z",
              "updatedAt": "2024-01-01T00:00:00+00:00" },
            { "title": "Hello", "lastmod": "2024-01-04T00:00:00+00:00",
              "updatedAt": "2024-01-04T00:00:00+00:00" },
        ])
    );
}

#[tokio::test]
async fn refuses_a_bad_cursor_or_page_size() {
    let (server, _) = served().await;
    for arguments in ["after: \"nonsense\"", "first: 101", "first: -1"] {
        let (message, code) = server
            .error(&format!(
                "{{ post(slug: \"hello\") {{ history({arguments}) {{ totalCount }} }} }}"
            ))
            .await;
        assert_eq!(code, "BAD_USER_INPUT", "{arguments}: {message}");
    }
}

#[tokio::test]
async fn a_new_commit_comes_first_and_cursors_still_go_on() {
    let (repo, _) = repo();
    // The test keeps the repository to commit to (the server reads the same folder).
    let server = TestServer::start(repo.config("content")).await;
    let (_, info, _) = page(&server, "first: 2").await;
    let after = info["endCursor"].as_str().unwrap().to_owned();
    let edit = repo.commit_by(
        BOB,
        T0 + 4 * DAY,
        "Edit greetings",
        &[(
            "content/posts/greetings.md",
            &post("title: Hello\ndate: 2020-01-01", "Rewritten.\n"),
        )],
        &[],
    );
    server.refresh_to(edit).await;
    let (subjects, _, total) = page(&server, "first: 1").await;
    assert_eq!(subjects, ["Edit greetings"]);
    assert_eq!(total, 5);
    let (subjects, _, _) = page(&server, &format!("first: 2, after: \"{after}\"")).await;
    assert_eq!(subjects, ["Fix a typo", "Add hello"]);
}
