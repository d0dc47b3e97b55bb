//! Real clients against a live Quire on loopback: the `graphql-http` conformance audit, a data
//! layer written with `graphql-request` and one with `@urql/core`, and GraphiQL in headless
//! Chromium. The programs live in `clients/`; `scripts/setup-tests.sh` (run by the test
//! command, `scripts/test.sh`) installs Node.js, their pinned packages and Chromium. Without
//! them each test is skipped with one line, or fails when `CI=true` (see
//! [`common::frontend_ready`]).

mod common;

use std::path::Path;
use std::process::Command;

use common::{TestRepo, TestServer, clients, frontend_ready, node, post};
use serde_json::{Value, json};

/// Twelve posts, one a day from Monday 2024-01-01: odd ones in "Notes", even ones in "Essays",
/// every third with the keyword "git".
fn blog() -> TestRepo {
    let repo = TestRepo::new();
    let files: Vec<(String, String)> = (1..=12)
        .map(|i| {
            let category = if i % 2 == 1 { "Notes" } else { "Essays" };
            let keywords = if i % 3 == 0 { "[rust, git]" } else { "[rust]" };
            (
                format!("posts/post-{i:02}.md"),
                post(
                    &format!(
                        "title: Post {i:02}\ndate: 2024-01-{i:02}T09:00:00+01:00\ncategories: [{category}]\nkeywords: {keywords}"
                    ),
                    &format!("Post number {i}[^n].\n\n[^n]: Footnote of post {i}."),
                ),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    repo.commit(&files);
    repo
}

fn slugs(numbers: impl IntoIterator<Item = u32>) -> Vec<String> {
    numbers
        .into_iter()
        .map(|i| format!("post-{i:02}"))
        .collect()
}

#[tokio::test]
async fn graphql_http_audit_passes_every_must() {
    if !frontend_ready("graphql_http_audit_passes_every_must", false) {
        return;
    }
    let server = TestServer::serving(blog(), "posts").await;
    let report = node("audit.mjs", vec![server.url("/graphql")]).await;
    eprintln!("graphql-http serverAudits: {}", report["counts"]);
    let counts = &report["counts"];
    assert!(counts["MUST"]["passed"].as_u64().unwrap() > 0, "{report}");
    assert_eq!(counts["MUST"]["failed"], 0, "{report}");
    // The README quotes the counts; every SHOULD that fails must be explained there too.
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let count = |level: &str| {
        let passed = counts[level]["passed"].as_u64().unwrap();
        let total = passed + counts[level]["failed"].as_u64().unwrap();
        format!("{passed} of {total} {level}")
    };
    let quoted = format!(
        "{}, {} and {}",
        count("MUST"),
        count("SHOULD"),
        count("MAY")
    );
    assert!(
        readme.contains(&quoted),
        "README.md should say \"{quoted}\" (graphql-http serverAudits)"
    );
    for failed in report["failed"].as_array().unwrap() {
        let name = failed["name"].as_str().unwrap();
        if name.starts_with("SHOULD") {
            let id = failed["id"].as_str().unwrap();
            assert!(
                readme.contains(&format!("`{id}`")),
                "audit {id} ({name}) fails and README.md does not explain it: {}",
                failed["reason"]
            );
        }
    }
}

#[tokio::test]
async fn graphql_request_and_urql_read_every_lookup_page_and_persisted_query() {
    if !frontend_ready(
        "graphql_request_and_urql_read_every_lookup_page_and_persisted_query",
        false,
    ) {
        return;
    }
    let repo = blog();
    let plan = json!({
        "slug": "post-03", "year": 2024, "week": 1, "category": "notes", "keyword": "GIT", "pageSize": 5,
    })
    .to_string();
    let commit = repo.head().to_string();
    for script in ["graphql-request.mjs", "urql.mjs"] {
        // A server each, so each client meets its persisted query unknown at first.
        let server = TestServer::start(repo.config("posts")).await;
        let read = node(script, vec![server.url("/graphql"), plan.clone()]).await;
        assert_eq!(read["post"]["title"], "Post 03", "{script}");
        assert_eq!(
            read["post"]["footnotes"][0]["html"], "<p>Footnote of post 3.</p>\n",
            "{script}"
        );
        // 2024-W01 is Monday 1 to Sunday 7 January, newest first.
        assert_eq!(read["week"], json!(slugs((1..=7).rev())), "{script}");
        assert_eq!(
            read["category"],
            json!(slugs([11, 9, 7, 5, 3, 1])),
            "{script}"
        );
        assert_eq!(read["keyword"], json!(slugs([12, 9, 6, 3])), "{script}");
        assert_eq!(read["listing"], json!(slugs((1..=12).rev())), "{script}");
        assert_eq!(read["pages"], 3, "{script}");
        assert_eq!(
            read["persisted"]["revision"],
            json!({ "commit": commit, "postCount": 12 }),
            "{script}"
        );
        let persisted = &read["persisted"];
        if script == "urql.mjs" {
            // The exchange's requests: hash only (unknown), hash and query, then hash only.
            assert_eq!(
                persisted["requests"],
                json!([
                    { "method": "GET", "hasQueryParam": false },
                    { "method": "GET", "hasQueryParam": true },
                    { "method": "GET", "hasQueryParam": false },
                ])
            );
            assert_eq!(persisted["sameAsFirst"], true);
        } else {
            assert_eq!(persisted["unknownAtFirst"], true, "{read}");
            assert_eq!(persisted["sameAsRegistered"], true, "{read}");
            assert!(persisted["etag"].as_str().unwrap().starts_with("W/"));
        }
    }
}

/// With every request that leaves the machine blocked: the page must work from the assets
/// built into the binary (`clients/graphiql.mjs` reports any request to another host).
#[tokio::test]
async fn graphiql_runs_a_query_in_headless_chromium() {
    if !frontend_ready("graphiql_runs_a_query_in_headless_chromium", true) {
        return;
    }
    let server = TestServer::serving(blog(), "posts").await;
    let screenshot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("graphiql.png");
    let _ = std::fs::remove_file(&screenshot);
    let base = server.url("");
    let shown = node(
        "graphiql.mjs",
        vec![
            base,
            "{ post(slug: \"post-07\") { title date } }".to_owned(),
            "Post 07".to_owned(),
            screenshot.display().to_string(),
        ],
    )
    .await;
    assert_eq!(shown["problems"], json!([]), "{shown}");
    assert_eq!(
        shown["result"]["data"]["post"],
        json!({ "title": "Post 07", "date": "2024-01-07T09:00:00+01:00" })
    );
    let served: Vec<&str> = shown["served"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for asset in [
        "/graphiql/assets/react@18.3.1/umd/react.production.min.js",
        "/graphiql/assets/react-dom@18.3.1/umd/react-dom.production.min.js",
        "/graphiql/assets/graphiql@3.9.0/graphiql.min.js",
        "/graphiql/assets/graphiql@3.9.0/graphiql.min.css",
    ] {
        assert!(
            served.contains(&server.url(asset).as_str()),
            "{asset} from Quire itself: {shown}"
        );
    }
    let png = std::fs::read(&screenshot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    eprintln!("GraphiQL screenshot: {}", screenshot.display());
}

#[tokio::test]
async fn the_readme_example_runs_as_written() {
    if !frontend_ready("the_readme_example_runs_as_written", false) {
        return;
    }
    let example = std::fs::read_to_string(clients().join("readme-example.mjs")).unwrap();
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("```js\n{example}```")),
        "README.md must show clients/readme-example.mjs exactly"
    );
    let server = TestServer::sample().await;
    let dir = clients();
    let url = server.url("/graphql");
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg("readme-example.mjs")
            .env("QUIRE_URL", url)
            .current_dir(dir)
            .output()
    })
    .await
    .unwrap()
    .expect("run node");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        printed,
        json!({ "title": "Week 50, 2017 - KubeCon Austin", "inCategory": 5 })
    );
}
