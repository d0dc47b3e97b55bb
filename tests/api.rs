//! The GraphQL API over HTTP, against throwaway repositories.

mod common;

use common::{FILE, SUBMODULE, SYMLINK, TestRepo, TestServer, post};
use serde_json::{Value, json};

fn slugs(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("list")
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect()
}

/// A small blog: two posts in 2017-W50 (one at +11:00), a week-53 post, terms in several casings.
fn blog() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit(&[
        (
            "content/posts/w50.md",
            "---\ntitle:        Week 50, 2017 - Some Conference\nslug:         week-50-2017\nauthor:       Jane Author   \nDate:   2017-12-11T21:45:37+11:00  \ncategories:   [\"Weekly Notes\"]\nkeywords:\n  - kubernetes\n  - cloudflare\nDescription:  \"One-line summary.\"\n---\nText with a footnote[^1] and a link to [an older post](/weekly-notes/week-23-2017/).\n\n[^1]: The footnote, with *Markdown* inside.\n",
        ),
        ("content/posts/w50b.md", &post("title: Later that week\ndate: 2017-12-15\ncategories: [weekly notes]\nkeywords: [Kubernetes]", "Body.")),
        ("content/posts/w53.md", &post("title: Week 53\ndate: 2021-01-01\ncategories: [Weekly Notes, weekly-notes, Retro]", "New year.")),
        ("content/posts/undated.md", &post("title: Undated", "No date.")),
        ("content/_index.md", &post("title: Section", "Not a post.")),
        ("content/README.txt", "not markdown"),
        ("elsewhere/outside.md", &post("title: Outside the root", "")),
    ]);
    repo
}

#[tokio::test]
async fn looks_up_a_post_by_slug() {
    let server = TestServer::serving(blog(), "content").await;
    let data = server
        .data("{ post(slug: \"week-50-2017\") { slug title date isoWeek { year week } path author description categories { name slug count } keywords { name slug count } blobId frontMatter } }")
        .await;
    let p = &data["post"];
    assert_eq!(p["title"], "Week 50, 2017 - Some Conference");
    assert_eq!(p["date"], "2017-12-11T21:45:37+11:00");
    assert_eq!(p["isoWeek"], json!({ "year": 2017, "week": 50 }));
    assert_eq!(p["path"], "content/posts/w50.md");
    assert_eq!(p["author"], "Jane Author");
    assert_eq!(p["description"], "One-line summary.");
    assert_eq!(
        p["categories"],
        json!([{ "name": "Weekly Notes", "slug": "weekly-notes", "count": 3 }])
    );
    // "kubernetes" and "Kubernetes" are written once each: the newest post's spelling wins the tie.
    assert_eq!(
        p["keywords"][0],
        json!({ "name": "Kubernetes", "slug": "kubernetes", "count": 2 })
    );
    assert_eq!(p["blobId"].as_str().unwrap().len(), 40);
    assert_eq!(p["frontMatter"]["Date"], "2017-12-11T21:45:37+11:00");
    assert_eq!(p["frontMatter"]["Description"], "One-line summary.");

    let data = server
        .data("{ a: post(slug: \"Week 50, 2017\") { slug } b: post(slug: \"nope\") { slug } }")
        .await;
    assert_eq!(
        data["a"]["slug"], "week-50-2017",
        "slugs are also matched urlized"
    );
    assert_eq!(data["b"], Value::Null);
    let data = server
        .data("{ post(slug: \"Week-50-2017\") { slug } }")
        .await;
    assert_eq!(
        data["post"]["slug"], "week-50-2017",
        "slugs are matched urlized"
    );
}

#[tokio::test]
async fn lists_posts_by_iso_week_in_the_written_offset() {
    let server = TestServer::serving(blog(), "content").await;
    let data = server
        .data("{ w50: postsByWeek(year: 2017, week: 50) { slug } w53: postsByWeek(year: 2020, week: 53) { slug } none: postsByWeek(year: 2021, week: 1) { slug } }")
        .await;
    assert_eq!(slugs(&data["w50"]), ["later-that-week", "week-50-2017"]);
    assert_eq!(slugs(&data["w53"]), ["week-53"]);
    assert_eq!(slugs(&data["none"]), Vec::<&str>::new());
}

#[tokio::test]
async fn lists_posts_by_term_in_any_spelling() {
    let server = TestServer::serving(blog(), "content").await;
    for spelling in [
        "Weekly Notes",
        "weekly notes",
        "weekly-notes",
        "WEEKLY NOTES",
    ] {
        let data = server
            .post(
                "query($c: String!) { postsByCategory(category: $c) { totalCount nodes { slug } } }",
                json!({ "c": spelling }),
            )
            .await;
        assert_eq!(
            slugs(&data["data"]["postsByCategory"]["nodes"]),
            ["week-53", "later-that-week", "week-50-2017"],
            "{spelling}"
        );
    }
    let answer = server.post("{ postsByKeyword(keyword: \"KUBERNETES\") { totalCount nodes { slug } } unknown: postsByKeyword(keyword: \"go\") { totalCount nodes { slug } } }", json!({})).await;
    let data = &answer["data"];
    assert_eq!(
        slugs(&data["postsByKeyword"]["nodes"]),
        ["later-that-week", "week-50-2017"]
    );
    // A term no post has is null with NOT_FOUND, and the rest of the answer stands.
    assert_eq!(data["unknown"], Value::Null);
    assert_eq!(answer["errors"][0]["extensions"]["code"], "NOT_FOUND");
    assert_eq!(answer["errors"][0]["path"], json!(["unknown"]));
    assert_eq!(
        answer["errors"][0]["message"],
        "no post has the keyword `go`: the `keywords` field lists them all"
    );

    let data = server
        .data("{ categories { name slug count } keywords { name count } }")
        .await;
    assert_eq!(
        data["categories"],
        json!([{ "name": "Retro", "slug": "retro", "count": 1 }, { "name": "Weekly Notes", "slug": "weekly-notes", "count": 3 }])
    );
    assert_eq!(
        data["keywords"],
        json!([{ "name": "cloudflare", "count": 1 }, { "name": "Kubernetes", "count": 2 }])
    );
}

#[tokio::test]
async fn paginates_every_listing_to_its_end() {
    let server = TestServer::serving(blog(), "content").await;
    let mut after = Value::Null;
    let mut seen = Vec::new();
    loop {
        let answer = server
            .post(
                "query($after: String) { posts(first: 1, after: $after) { totalCount edges { cursor node { slug } } nodes { slug } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }",
                json!({ "after": after }),
            )
            .await;
        let page = &answer["data"]["posts"];
        assert_eq!(page["totalCount"], 4);
        assert_eq!(page["edges"][0]["node"], page["nodes"][0]);
        assert_eq!(page["pageInfo"]["endCursor"], page["edges"][0]["cursor"]);
        assert_eq!(page["pageInfo"]["hasPreviousPage"], !seen.is_empty());
        seen.push(page["nodes"][0]["slug"].as_str().unwrap().to_owned());
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    // Newest first across offsets, undated last; the root filter keeps `elsewhere/` out.
    assert_eq!(
        seen,
        ["week-53", "later-that-week", "week-50-2017", "undated"]
    );

    let data = server.data("{ postsByCategory(category: \"weekly notes\", first: 2) { nodes { slug } pageInfo { endCursor } } }").await;
    let cursor = data["postsByCategory"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let answer = server
        .post("query($a: String) { postsByCategory(category: \"weekly notes\", after: $a) { nodes { slug } pageInfo { hasNextPage } } }", json!({ "a": cursor }))
        .await;
    assert_eq!(
        slugs(&answer["data"]["postsByCategory"]["nodes"]),
        ["week-50-2017"]
    );
}

#[tokio::test]
async fn explains_out_of_range_arguments() {
    let server = TestServer::serving(blog(), "content").await;
    for (query, expected) in [
        (
            "{ posts(first: 101) { totalCount } }",
            "`first` must be between 0 and 100, got 101",
        ),
        (
            "{ posts(first: -1) { totalCount } }",
            "`first` must be between 0 and 100, got -1",
        ),
        (
            "{ postsByKeyword(keyword: \"x\", first: 500) { totalCount } }",
            "`first` must be between 0 and 100, got 500",
        ),
        (
            "{ postsByWeek(year: 2020, week: 54) { slug } }",
            "week must be between 1 and 53 for 2020 (2020 has 53 ISO weeks), got 54",
        ),
        (
            "{ postsByWeek(year: 2021, week: 53) { slug } }",
            "week must be between 1 and 52 for 2021 (2021 has 52 ISO weeks), got 53",
        ),
        (
            "{ postsByWeek(year: 2021, week: 0) { slug } }",
            "week must be between 1 and 52 for 2021 (2021 has 52 ISO weeks), got 0",
        ),
    ] {
        let (message, code) = server.error(query).await;
        assert_eq!(message, expected, "{query}");
        assert_eq!(code, "BAD_USER_INPUT");
    }
    let (message, _) = server
        .error("{ posts(after: \"not-a-cursor\") { totalCount } }")
        .await;
    assert!(
        message.starts_with("`after` is not a cursor from this API"),
        "{message}"
    );
}

#[tokio::test]
async fn renders_footnotes_with_github_semantics() {
    let repo = TestRepo::new();
    repo.commit(&[(
        "posts/notes.md",
        &post(
            "title: Notes",
            "Named[^b] first, then[^a] and[^b] again; `code`[^6]: mid-line. Missing[^x].\n\n[^a]: Alpha.\n[^b]:\tBeta *em*.\n[^6]: Six.\n[^unused]: Never shown.\n",
        ),
    )]);
    let server = TestServer::start(repo.config("posts")).await;
    let data = server
        .data("{ post(slug: \"notes\") { html sep: html(footnotes: SEPARATE) section: html(footnotes: SECTION) footnotes { number label html anchor referenceAnchors } } }")
        .await;
    let p = &data["post"];
    assert_eq!(p["html"], p["sep"]);
    let html = p["html"].as_str().unwrap();
    assert!(
        html.starts_with(
            "<p>Named<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup> first"
        ),
        "{html}"
    );
    assert!(
        html.contains(
            "and<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1-2\">1</a></sup> again"
        ),
        "{html}"
    );
    assert!(html.contains("<code>code</code><sup class=\"footnote-ref\"><a href=\"#fn-3\" id=\"fnref-3\">3</a></sup>: mid-line"), "{html}");
    assert!(html.contains("Missing[^x]."), "{html}");
    assert!(
        !html.contains("Alpha") && !html.contains("Never shown"),
        "{html}"
    );
    assert_eq!(
        p["footnotes"],
        json!([
            { "number": 1, "label": "b", "html": "<p>Beta <em>em</em>.</p>\n", "anchor": "fn-1", "referenceAnchors": ["fnref-1", "fnref-1-2"] },
            { "number": 2, "label": "a", "html": "<p>Alpha.</p>\n", "anchor": "fn-2", "referenceAnchors": ["fnref-2"] },
            { "number": 3, "label": "6", "html": "<p>Six.</p>\n", "anchor": "fn-3", "referenceAnchors": ["fnref-3"] },
        ])
    );
    let section = p["section"].as_str().unwrap();
    assert!(section.starts_with(html));
    let appended = &section[html.len()..];
    assert!(appended.starts_with("<section class=\"footnotes\">\n<ol>\n<li id=\"fn-1\">\n<p>Beta <em>em</em>. <a href=\"#fnref-1\""), "{appended}");
    assert!(appended.contains("href=\"#fnref-1-2\""));
    assert!(!appended.contains("Never shown"));
}

#[tokio::test]
async fn reads_front_matter_the_way_hugo_does() {
    let repo = TestRepo::new();
    repo.commit(&[
        ("p/bom-crlf.md", "\u{feff}---\r\ntitle: Windows  \r\nDATE: 2021-06-01 10:00:00 +0200\r\n---\r\nBody\r\n"),
        ("p/toml.md", "+++\ntitle = \"TOML\"\ndate = 2021-03-10T12:00:00+01:00\ncategories = [\"A\"]\n[params]\nx = 1\n+++\nBody"),
        ("p/json.md", "{\n  \"title\": \"JSON\",\n  \"date\": \"2021-03-11\",\n  \"keywords\": [\"k\"]\n}\nBody"),
        ("p/quirks.md", "---\n# comment\ntitle: |-\n  Block\n  scalar\nslug: 1\ndate: \"2017-06-09T17:05:00+1000\"\nauthor:\n  name: Ann\nkeywords: solo\ncSpell:ignore: foo\n---\n"),
        ("p/empty.md", "---\n---\nJust a body."),
        ("p/none.md", "# No front matter\n"),
        ("p/bundle/index.md", "---\ndate: 2020-01-01 08:00:00\n---\n"),
        ("p/no-slug.md", &post("title: Week 48, 2015", "")),
    ]);
    let server = TestServer::start(repo.config("p")).await;
    let data = server
        .data("{ posts(first: 100) { nodes { slug title date author keywords { name } categories { name } frontMatter } } }")
        .await;
    let by_slug = |slug: &str| {
        data["posts"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["slug"] == slug)
            .cloned()
            .unwrap_or_else(|| panic!("no {slug}: {data}"))
    };
    assert_eq!(by_slug("windows")["date"], "2021-06-01T10:00:00+02:00");
    assert_eq!(by_slug("toml")["date"], "2021-03-10T12:00:00+01:00");
    assert_eq!(by_slug("toml")["frontMatter"]["params"]["x"], 1);
    assert_eq!(by_slug("json")["keywords"], json!([{ "name": "k" }]));
    let quirks = by_slug("1");
    assert_eq!(quirks["title"], "Block\nscalar");
    assert_eq!(quirks["date"], "2017-06-09T17:05:00+10:00");
    assert_eq!(quirks["author"], "Ann");
    assert_eq!(quirks["keywords"], json!([{ "name": "solo" }]));
    assert_eq!(quirks["frontMatter"]["cSpell:ignore"], "foo");
    assert_eq!(by_slug("empty")["title"], "");
    assert_eq!(by_slug("none")["frontMatter"], json!({}));
    assert_eq!(by_slug("bundle")["date"], "2020-01-01T08:00:00Z");
    by_slug("week-48-2015");
    let data = server
        .data("{ problems { path message } revision { postCount problemCount } }")
        .await;
    assert_eq!(data["problems"], json!([]));
    assert_eq!(data["revision"]["postCount"], 8);
}

#[tokio::test]
async fn reports_bad_files_and_serves_the_rest() {
    let repo = TestRepo::new();
    repo.commit_entries(&[
        ("c/good.md", FILE, post("title: Good", "Fine.").as_bytes()),
        (
            "c/broken.md",
            FILE,
            b"---\ntitle: Broken\ncategories: [a, b\n---\nBody",
        ),
        ("c/unclosed.md", FILE, b"---\ntitle: Never closed\n"),
        (
            "c/bad-fields.md",
            FILE,
            b"---\ntitle: Bad fields\ndate: someday\ncategories:\n  - name: x\n---\nBody",
        ),
        ("c/latin1.md", FILE, b"---\ntitle: caf\xe9\n---\n"),
        (
            "c/dup-a.md",
            FILE,
            post("title: Same\nurl: /same/", "").as_bytes(),
        ),
        ("c/dup-b.md", FILE, post("slug: same", "").as_bytes()),
        ("c/link.md", SYMLINK, b"good.md"),
        ("c/linked-folder", SYMLINK, b"../elsewhere"),
        ("c/cover.jpg", SYMLINK, b"../images/cover.jpg"),
        ("c/vendor", SUBMODULE, b""),
    ]);
    let server = TestServer::start(repo.config("c")).await;
    let data = server
        .data("{ posts { nodes { slug title date path } } problems { path line message } }")
        .await;
    let served: Vec<_> = data["posts"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    // Undated posts are ordered by path.
    assert_eq!(served, ["c/bad-fields.md", "c/dup-a.md", "c/good.md"]);
    let problems = data["problems"].as_array().unwrap();
    let find = |path: &str| {
        problems
            .iter()
            .filter(|p| p["path"] == path)
            .map(|p| (p["line"].clone(), p["message"].as_str().unwrap().to_owned()))
            .collect::<Vec<_>>()
    };
    let bad = find("c/bad-fields.md");
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert_eq!(bad[0].0, 3);
    assert!(
        bad[0]
            .1
            .starts_with("front matter line 3: `date` is not a date (\"someday\")"),
        "{bad:?}"
    );
    assert_eq!(
        bad[1],
        (
            json!(4),
            "front matter line 4: `categories` must be a list of strings".to_owned()
        )
    );
    let broken = find("c/broken.md");
    assert!(
        broken[0].1.starts_with("front matter line") && broken[0].1.contains("YAML"),
        "{broken:?}"
    );
    assert!(find("c/unclosed.md")[0].1.contains("never closed"));
    assert!(find("c/latin1.md")[0].1.contains("not UTF-8"));
    assert_eq!(
        find("c/dup-b.md")[0].1,
        "is published at /same/, like c/dup-a.md, which keeps it; this page is left out: give one of them another `slug` or `url`"
    );
    assert!(find("c/link.md")[0].1.contains("symbolic link"));
    assert!(find("c/linked-folder")[0].1.contains("symbolic link"));
    assert!(
        find("c/cover.jpg").is_empty(),
        "links to assets are not problems"
    );
    assert!(find("c/vendor")[0].1.contains("submodule"));
    assert_eq!(problems.len(), 9, "{problems:#?}");
}

#[tokio::test]
async fn serves_commits_not_the_working_tree() {
    let repo = blog();
    std::fs::create_dir_all(repo.path().join("content/posts")).unwrap();
    std::fs::write(
        repo.path().join("content/posts/uncommitted.md"),
        post("title: Draft on disk", ""),
    )
    .unwrap();
    let server = TestServer::start(repo.config("content")).await;
    let data = server.data("{ post(slug: \"draft-on-disk\") { slug } revision { postCount commit branch committedAt } }").await;
    assert_eq!(data["post"], Value::Null);
    assert_eq!(data["revision"]["postCount"], 4);
    assert_eq!(data["revision"]["branch"], "main");
    assert_eq!(data["revision"]["committedAt"], "2023-11-14T23:13:20+01:00");
}

#[tokio::test]
async fn serves_the_configured_branch() {
    let repo = blog();
    repo.branch("published");
    repo.commit(&[("content/posts/new.md", &post("title: Only on main", ""))]);
    let mut config = repo.config("content");
    config.branch = Some("published".into());
    let server = TestServer::start(config).await;
    let data = server
        .data("{ post(slug: \"only-on-master\") { slug } revision { branch postCount } }")
        .await;
    assert_eq!(data["post"], Value::Null);
    assert_eq!(
        data["revision"],
        json!({ "branch": "published", "postCount": 4 })
    );
}

#[tokio::test]
async fn leaves_drafts_out_unless_asked() {
    let repo = TestRepo::new();
    repo.commit(&[
        ("c/a.md", &post("title: Public", "")),
        ("c/b.md", &post("title: Draft\ndraft: true", "")),
    ]);
    let server = TestServer::start(repo.config("c")).await;
    let data = server
        .data("{ posts { totalCount } revision { draftsLeftOut } }")
        .await;
    assert_eq!(
        data,
        json!({ "posts": { "totalCount": 1 }, "revision": { "draftsLeftOut": 1 } })
    );
    let mut config = repo.config("c");
    config.drafts = true;
    let server = TestServer::start(config).await;
    let data = server.data("{ post(slug: \"draft\") { draft } }").await;
    assert_eq!(data["post"]["draft"], true);
}

#[tokio::test]
async fn answers_browsers_api_clients_and_health_checks() {
    let server = TestServer::serving(blog(), "content").await;
    let page = server
        .client()
        .get(server.url("/graphql"))
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.text().await.unwrap().contains("graphiql"));

    let get =
        server
            .client()
            .get(server.url(
                "/graphql?query=%7B%20post(slug%3A%20%22week-53%22)%20%7B%20title%20%7D%20%7D",
            ))
            .send()
            .await
            .unwrap();
    assert_eq!(get.status(), 200);
    assert_eq!(
        get.json::<Value>().await.unwrap()["data"]["post"]["title"],
        "Week 53"
    );

    let health = server
        .client()
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);

    let bad = server
        .client()
        .post(server.url("/graphql"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn readme_queries_work_on_the_sample_posts() {
    let server = TestServer::sample().await;
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    // Blocks marked otherwise (```graphql needs-a-tag) need a repository with history; the
    // queries of the same shape run in tests/git_native/at.rs.
    let queries: Vec<&str> = readme
        .split("```graphql\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert!(
        queries.len() >= 5,
        "README has {} GraphQL examples",
        queries.len()
    );
    for query in queries {
        let answer = server.post(query, json!({})).await;
        assert!(answer.get("errors").is_none(), "{query}\n{answer}");
        for (field, value) in answer["data"].as_object().unwrap() {
            let empty = value.is_null()
                || value.as_array().is_some_and(Vec::is_empty)
                || value.get("totalCount") == Some(&json!(0));
            // `problems` is expected to be empty for the sample posts.
            assert!(
                !empty || field == "problems",
                "README example `{field}` returns nothing: {query}"
            );
        }
    }
}

#[tokio::test]
async fn serves_the_bundled_sample_posts_without_problems() {
    let server = TestServer::sample().await;
    let data = server
        .data("{ problems { path message } revision { postCount } w50: postsByWeek(year: 2017, week: 50) { slug } w53: postsByWeek(year: 2020, week: 53) { slug } bundle: post(slug: \"footnotes-in-practice\") { path footnotes { label referenceAnchors } } posts(first: 100) { nodes { path } } }")
        .await;
    assert_eq!(data["problems"], json!([]));
    assert!(data["revision"]["postCount"].as_u64().unwrap() >= 12);
    assert_eq!(data["w50"].as_array().unwrap().len(), 2);
    assert!(!data["w53"].as_array().unwrap().is_empty());
    assert_eq!(
        data["bundle"]["path"],
        "content-repo/posts/footnotes-in-practice/index.md"
    );
    assert!(
        data["bundle"]["footnotes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["referenceAnchors"].as_array().unwrap().len() == 2)
    );
    let paths = data["posts"]["nodes"].to_string();
    for format in ["toml-front-matter.md", "json-front-matter.md"] {
        assert!(paths.contains(format), "{format} missing from {paths}");
    }
}
