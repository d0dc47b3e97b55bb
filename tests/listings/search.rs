//! `search`: ranking, phrases, prefixes, typo tolerance, snippets, a filter, pages, malformed
//! queries, and an index that follows a refresh.

use serde_json::{Value, json};

use super::common::{SECS_10, TestRepo, TestServer, eventually, post};
use super::{repo, titles};

/// Six posts: "kubernetes" in one title and one body, "service mesh" as a phrase in one post
/// and as two words apart in another, `kubeadm` next to `&` and `<`, and a zeppelin.
fn blog_repo() -> TestRepo {
    repo(&[
        (
            "content/posts/k8s.md",
            &post(
                "title: Kubernetes in production\ndate: 2020-01-01\ncategories: [Ops]",
                "Running clusters for real workloads takes care and patience.\n",
            ),
        ),
        (
            "content/posts/deploy.md",
            &post(
                "title: Notes on deployment\ndate: 2020-01-02\ncategories: [Ops]",
                "We moved our services to kubernetes last year, and it went well.\n",
            ),
        ),
        (
            "content/posts/mesh.md",
            &post(
                "title: Traffic basics\ndate: 2020-01-03\ncategories: [Networking]",
                "A service mesh routes traffic between the parts of an application.\n",
            ),
        ),
        (
            "content/posts/radio.md",
            &post(
                "title: Radio networks\ndate: 2020-01-04\ncategories: [Radio]",
                "The service we run covers a mesh of radios across town.\n",
            ),
        ),
        (
            "content/posts/escape.md",
            &post(
                "title: Escaping\ndate: 2020-01-05",
                "Compare kubeadm & helm when a < b holds.\n",
            ),
        ),
        (
            "content/posts/airship.md",
            &post(
                "title: Airships\ndate: 2020-01-06",
                "The zeppelin floated over the bay.\n",
            ),
        ),
    ])
}

async fn blog() -> TestServer {
    TestServer::serving(blog_repo(), "content").await
}

/// The whole answer to `search(query: QUERY, ARGS)` (`args` may be empty or start with `, `).
async fn answer(server: &TestServer, query: &str, args: &str) -> Value {
    server
        .post(
            &format!(
                "query($q: String!) {{ search(query: $q{args}) {{ totalCount \
                 edges {{ cursor score snippet(field: BODY) {{ html }} node {{ title }} }} \
                 pageInfo {{ hasNextPage endCursor }} }} }}"
            ),
            json!({ "q": query }),
        )
        .await
}

/// `search(query: QUERY, ARGS)`, which must succeed.
async fn search(server: &TestServer, query: &str, args: &str) -> Value {
    let answer = answer(server, query, args).await;
    assert!(answer.get("errors").is_none(), "{query}: {answer}");
    answer["data"]["search"].clone()
}

/// The titles found for `query`, best first, checking `totalCount` against them.
async fn found(server: &TestServer, query: &str, args: &str) -> Vec<String> {
    let result = search(server, query, &format!("{args}, first: 100")).await;
    let nodes: Vec<Value> = result["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    let names: Vec<String> = titles(&Value::Array(nodes))
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        result["totalCount"],
        json!(names.len()),
        "{query}: {result}"
    );
    names
}

/// A word in a post's title ranks it above a post with the word in its body.
#[tokio::test]
async fn a_title_hit_ranks_above_a_body_hit() {
    let server = blog().await;
    let result = search(&server, "kubernetes", "").await;
    let edges = result["edges"].as_array().unwrap();
    let order: Vec<&str> = edges
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["Kubernetes in production", "Notes on deployment"]);
    assert!(
        edges[0]["score"].as_f64() > edges[1]["score"].as_f64(),
        "scores fall: {result}"
    );
}

/// A quoted phrase finds its words side by side, not the same words apart.
#[tokio::test]
async fn a_phrase_needs_its_words_together() {
    let server = blog().await;
    assert_eq!(
        found(&server, "\"service mesh\"", "").await,
        ["Traffic basics"]
    );
    let apart = found(&server, "service mesh", "").await;
    assert!(
        apart.contains(&"Radio networks".to_owned())
            && apart.contains(&"Traffic basics".to_owned()),
        "without quotes, the words apart match: {apart:?}"
    );
}

/// `kube*` finds the words that start with `kube`.
#[tokio::test]
async fn a_prefix_finds_every_word_it_starts() {
    let server = blog().await;
    let mut hits = found(&server, "kube*", "").await;
    hits.sort();
    assert_eq!(
        hits,
        [
            "Escaping",
            "Kubernetes in production",
            "Notes on deployment"
        ]
    );
}

/// As you type, a misspelt word still finds the posts; the exact mode does not.
#[tokio::test]
async fn as_you_type_tolerates_a_typo() {
    let server = blog().await;
    assert!(found(&server, "kubernetse", "").await.is_empty());
    assert_eq!(
        found(&server, "kubernetse", ", mode: AS_YOU_TYPE").await,
        ["Kubernetes in production", "Notes on deployment"]
    );
    // The last word as a prefix.
    assert_eq!(
        found(&server, "zeppe", ", mode: AS_YOU_TYPE").await,
        ["Airships"]
    );
}

/// A snippet marks the words found and escapes the text around them.
#[tokio::test]
async fn a_snippet_marks_the_words_and_escapes_the_text() {
    let server = blog().await;
    let result = search(&server, "kubeadm", "").await;
    let html = result["edges"][0]["snippet"]["html"].as_str().unwrap();
    assert!(html.contains("<mark>kubeadm</mark>"), "{html}");
    assert!(html.contains("&amp; helm when a &lt; b"), "{html}");
    let result = search(&server, "kubernetes", "").await;
    let html = result["edges"][1]["snippet"]["html"].as_str().unwrap();
    assert!(
        html.contains("<mark>kubernetes</mark>"),
        "the body's word: {html}"
    );
}

/// A filter narrows the search: only the posts of that category are found and counted.
#[tokio::test]
async fn a_filter_narrows_the_search() {
    let server = blog().await;
    assert_eq!(
        found(&server, "service", ", filter: {category: \"Radio\"}").await,
        ["Radio networks"]
    );
    assert_eq!(
        found(
            &server,
            "kubernetes",
            ", filter: {category: \"networking\"}"
        )
        .await,
        Vec::<String>::new()
    );
}

/// `first` and `after` page through the results; `totalCount` counts them all.
#[tokio::test]
async fn pages_follow_with_after_and_count_every_result() {
    let server = blog().await;
    let one = search(&server, "kubernetes", ", first: 1").await;
    assert_eq!(one["totalCount"], 2);
    assert_eq!(one["edges"][0]["node"]["title"], "Kubernetes in production");
    assert_eq!(one["pageInfo"]["hasNextPage"], true);
    let cursor = one["pageInfo"]["endCursor"].as_str().unwrap();
    let two = search(
        &server,
        "kubernetes",
        &format!(", first: 1, after: \"{cursor}\""),
    )
    .await;
    assert_eq!(two["totalCount"], 2);
    assert_eq!(two["edges"][0]["node"]["title"], "Notes on deployment");
    assert_eq!(two["pageInfo"]["hasNextPage"], false);
}

/// A query that cannot be read is `BAD_USER_INPUT` (in an HTTP 200 answer) saying what is
/// wrong.
#[tokio::test]
async fn a_malformed_query_is_bad_user_input_saying_why() {
    let server = blog().await;
    for (query, words) in [
        ("\"service mesh", "not closed"),
        ("*", "`*` alone"),
        ("", "empty"),
        ("   ", "empty"),
    ] {
        let response = server
            .client()
            .post(server.url("/graphql"))
            .json(&json!({
                "query": "query($q: String!) { search(query: $q) { totalCount } }",
                "variables": { "q": query },
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{query:?}");
        let answer: Value = response.json().await.unwrap();
        let error = &answer["errors"][0];
        assert_eq!(
            error["extensions"]["code"], "BAD_USER_INPUT",
            "{query:?}: {answer}"
        );
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(words), "{query:?}: {message}");
    }
}

/// After a refresh, a changed post is found by its new words and no longer by its old ones.
#[tokio::test]
async fn the_index_follows_a_refresh() {
    let repo = blog_repo();
    let server = TestServer::start(repo.config("content")).await;
    assert_eq!(found(&server, "zeppelin", "").await, ["Airships"]);

    let changed = repo.commit(&[(
        "content/posts/airship.md",
        &post(
            "title: Airships\ndate: 2020-01-06",
            "The dirigible floated over the bay.\n",
        ),
    )]);
    server.refresh_to(changed).await;

    // The new commit's index may still be building: NOT_READY until it is.
    let hits = eventually(
        "the search to answer after the refresh",
        SECS_10,
        || async {
            let answer = answer(&server, "dirigible", ", first: 100").await;
            match answer["errors"][0]["extensions"]["code"].as_str() {
                Some("NOT_READY") => None,
                _ => Some(answer),
            }
        },
    )
    .await;
    assert_eq!(hits["data"]["search"]["totalCount"], 1, "{hits}");
    assert_eq!(
        hits["data"]["search"]["edges"][0]["node"]["title"],
        "Airships"
    );
    assert!(found(&server, "zeppelin", "").await.is_empty());
}
