//! `at(ref:)` and `changes`: branches, light and annotated tags, full and abbreviated commit
//! ids, previews with a token, and the caching headers of each.

use git2::Oid;
use serde_json::{Value, json};

use super::common::{TestRepo, TestServer, post};

const TOKEN: &str = "preview-token-0123456789";

/// A site with history: `v1` (light tag) has post a; `v2` (annotated) adds b and edits a; main
/// then renames b (slug `b`, from its title) to bee.md. Branch `preview/new` (from v2) adds a post and a draft.
struct Site {
    server: TestServer,
    v1: Oid,
    v2: Oid,
    renamed: Oid,
    preview: Oid,
}

async fn site() -> Site {
    let repo = TestRepo::new();
    let v1 = repo.commit(&[(
        "content/posts/a.md",
        &post("title: A\ndate: 2024-01-01", "One."),
    )]);
    repo.tag("v1", false);
    let v2 = repo.commit(&[
        (
            "content/posts/a.md",
            &post("title: A\ndate: 2024-01-01", "One, edited."),
        ),
        (
            "content/posts/b.md",
            &post("title: B\ndate: 2024-02-01", "Two."),
        ),
    ]);
    repo.tag("v2", true);
    repo.branch("preview/new");
    repo.checkout_branch("preview/new");
    let preview = repo.commit(&[
        (
            "content/posts/new.md",
            &post("title: New\ndate: 2024-03-01", "Fresh."),
        ),
        (
            "content/posts/wip.md",
            &post("title: WIP\ndraft: true", "Not yet."),
        ),
    ]);
    repo.checkout_branch("main");
    repo.reset_to(v2);
    let renamed = repo.rename("content/posts/b.md", "content/posts/bee.md");
    let mut config = repo.config("content");
    config.branch = Some("main".to_owned());
    config.refs.preview_tokens = vec![TOKEN.to_owned(), "second-token-0123456789".to_owned()];
    let server = TestServer::serving_with(repo, config).await;
    Site {
        server,
        v1,
        v2,
        renamed,
        preview,
    }
}

/// POSTs `query` with `token` as a Bearer token (none when `None`).
async fn ask(server: &TestServer, query: &str, token: Option<&str>) -> Value {
    server.post_as(query, token).await
}

/// GETs `query` with `token`; the response's headers and JSON.
async fn get(
    server: &TestServer,
    query: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
) -> (reqwest::StatusCode, reqwest::header::HeaderMap, Value) {
    let mut request = server
        .client()
        .get(server.url("/graphql"))
        .query(&[("query", query)]);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.json().await.unwrap_or(Value::Null);
    (status, headers, body)
}

fn slugs(posts: &Value) -> Vec<&str> {
    posts["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect()
}

fn code(answer: &Value) -> &str {
    answer["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

#[tokio::test]
async fn tags_and_commit_ids_of_the_served_branch_are_read_without_a_token() {
    let site = site().await;
    let query = |r: &str| {
        format!(
            r#"{{ at(ref: "{r}") {{ revision {{ commit }} posts {{ nodes {{ slug }} }} post(slug: "a") {{ html }} }} }}"#
        )
    };
    let at = |answer: Value| answer["data"]["at"].clone();
    let light = at(ask(&site.server, &query("v1"), None).await);
    assert_eq!(light["revision"]["commit"], site.v1.to_string());
    assert_eq!(slugs(&light["posts"]), ["a"]);
    assert!(light["post"]["html"].as_str().unwrap().contains("One."));

    let annotated = at(ask(&site.server, &query("v2"), None).await);
    assert_eq!(annotated["revision"]["commit"], site.v2.to_string());
    assert_eq!(slugs(&annotated["posts"]), ["b", "a"]);
    assert!(
        annotated["post"]["html"]
            .as_str()
            .unwrap()
            .contains("edited")
    );

    let short = &site.v1.to_string()[..7];
    let abbreviated = at(ask(&site.server, &query(short), None).await);
    assert_eq!(abbreviated["revision"]["commit"], site.v1.to_string());

    // The served branch by name is the served snapshot; outside `at`, the served one.
    let served = ask(
        &site.server,
        r#"{ at(ref: "main") { revision { commit } posts { nodes { slug } } } revision { commit } }"#,
        None,
    )
    .await;
    assert_eq!(
        served["data"]["at"]["revision"]["commit"],
        site.renamed.to_string()
    );
    assert_eq!(
        served["data"]["revision"]["commit"],
        site.renamed.to_string()
    );
    assert_eq!(slugs(&served["data"]["at"]["posts"]), ["b", "a"]);
}

#[tokio::test]
async fn other_branches_and_drafts_need_a_preview_token_and_are_refused_alike() {
    let site = site().await;
    let query = |r: &str| format!(r#"{{ at(ref: "{r}") {{ posts {{ nodes {{ slug }} }} }} }}"#);
    let missing = ask(&site.server, &query("no-such-branch"), None).await;
    let existing = ask(&site.server, &query("preview/new"), None).await;
    assert_eq!(code(&missing), "FORBIDDEN", "{missing}");
    // The same answer, the ref's name aside: nothing says whether it exists.
    let message = |a: &Value, r: &str| a["errors"][0]["message"].as_str().unwrap().replace(r, "");
    assert_eq!(
        message(&missing, "no-such-branch"),
        message(&existing, "preview/new")
    );
    assert!(existing["data"].is_null(), "{existing}");
    let commit = site.preview.to_string();
    let by_id = ask(&site.server, &query(&commit), None).await;
    assert_eq!(message(&by_id, &commit), message(&existing, "preview/new"));

    let wrong = ask(
        &site.server,
        &query("preview/new"),
        Some("wrong-token-0123456789"),
    )
    .await;
    let wrong_missing = ask(
        &site.server,
        &query("no-such-branch"),
        Some("wrong-token-0123456789"),
    )
    .await;
    assert_eq!(code(&wrong), "FORBIDDEN");
    assert_eq!(
        message(&wrong, "preview/new"),
        message(&wrong_missing, "no-such-branch")
    );
    assert!(message(&wrong, "").contains("not one of"), "{wrong}");

    let previewed = ask(&site.server, &query("preview/new"), Some(TOKEN)).await;
    assert_eq!(slugs(&previewed["data"]["at"]["posts"]), ["new", "b", "a"]);
    let rotated = ask(
        &site.server,
        &query("preview/new"),
        Some("second-token-0123456789"),
    )
    .await;
    assert_eq!(rotated["data"], previewed["data"]);

    let drafts = r#"{ at(ref: "preview/new", drafts: true) { posts { nodes { slug } } } }"#;
    let refused = ask(&site.server, drafts, None).await;
    assert_eq!(code(&refused), "FORBIDDEN");
    let with_drafts = ask(&site.server, drafts, Some(TOKEN)).await;
    assert_eq!(
        slugs(&with_drafts["data"]["at"]["posts"]),
        ["new", "b", "a", "wip"]
    );

    // With a token, a ref that is not there is said to be missing.
    let unknown = ask(&site.server, &query("no-such-branch"), Some(TOKEN)).await;
    assert_eq!(code(&unknown), "NOT_FOUND");
    assert!(
        unknown["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-branch")
    );
    for bad in ["a..b", "main~1", ""] {
        let answer = ask(&site.server, &query(bad), None).await;
        assert_eq!(code(&answer), "BAD_USER_INPUT", "{bad}: {answer}");
    }
}

#[tokio::test]
async fn a_full_commit_id_is_immutable_and_a_preview_private() {
    let site = site().await;
    let query = format!(
        r#"{{ at(ref: "{}") {{ posts {{ totalCount }} }} }}"#,
        site.v2
    );
    let (status, headers, body) = get(&site.server, &query, None, &[]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["at"]["posts"]["totalCount"], 2);
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(etag, format!("\"{}\"", site.v2));
    let (status, _, _) = get(&site.server, &query, None, &[("if-none-match", &etag)]).await;
    assert_eq!(status, 304);

    // A tag can move: cacheable, not for good, and tagged otherwise.
    let tagged = r#"{ at(ref: "v2") { posts { totalCount } } }"#;
    let (_, headers, _) = get(&site.server, tagged, None, &[]).await;
    let control = headers["cache-control"].to_str().unwrap();
    assert!(!control.contains("immutable"), "{control}");
    assert_ne!(headers["etag"], format!("\"{}\"", site.v2).as_str());

    // A preview is kept by no shared cache, and a public request never gets its answer.
    let preview = r#"{ at(ref: "preview/new") { posts { totalCount } } }"#;
    let (status, headers, body) = get(&site.server, preview, Some(TOKEN), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["at"]["posts"]["totalCount"], 3);
    assert_eq!(headers["cache-control"], "private, no-store");
    assert!(headers.get("etag").is_none());
    let (_, _, body) = get(&site.server, preview, None, &[]).await;
    assert_eq!(code(&body), "FORBIDDEN", "{body}");
    // Nor a token holder a public answer of the response cache.
    let served = "{ posts { totalCount } }";
    let (_, public, _) = get(&site.server, served, None, &[]).await;
    assert!(
        public["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("public")
    );
    let (_, private, _) = get(&site.server, served, Some(TOKEN), &[]).await;
    assert_eq!(private["cache-control"], "private, no-store");
}

#[tokio::test]
async fn changes_name_the_posts_and_commits_between_two_refs() {
    let site = site().await;
    let answer = ask(
        &site.server,
        r#"{ changes(from: "v1") {
              from to commitCount
              added { slug url path } changed { slug url path } removed { slug }
              renamed { from { path } to { slug url path } }
              commits { commit message } } }"#,
        None,
    )
    .await;
    let changes = &answer["data"]["changes"];
    assert_eq!(changes["from"], site.v1.to_string(), "{answer}");
    assert_eq!(changes["to"], site.renamed.to_string());
    assert_eq!(changes["commitCount"], 2);
    assert_eq!(
        changes["commits"][0]["commit"],
        site.renamed.to_string(),
        "newest first"
    );
    assert_eq!(
        changes["added"],
        json!([{ "slug": "b", "url": "/posts/bee/", "path": "content/posts/bee.md" }])
    );
    assert_eq!(
        changes["changed"],
        json!([{ "slug": "a", "url": "/posts/a/", "path": "content/posts/a.md" }])
    );

    let renamed = ask(
        &site.server,
        &format!(
            r#"{{ changes(from: "{}", to: "{}") {{ added {{ slug }} removed {{ slug }} renamed {{ from {{ path }} to {{ path url }} }} }} }}"#,
            site.v2, site.renamed
        ),
        None,
    )
    .await;
    assert_eq!(
        renamed["data"]["changes"],
        json!({
            "added": [], "removed": [],
            "renamed": [{
                "from": { "path": "content/posts/b.md" },
                "to": { "path": "content/posts/bee.md", "url": "/posts/bee/" },
            }],
        })
    );
    // The same access rules as `at`.
    let hidden = ask(
        &site.server,
        r#"{ changes(from: "preview/new") { commitCount } }"#,
        None,
    )
    .await;
    assert_eq!(code(&hidden), "FORBIDDEN");
}
