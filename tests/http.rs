//! What frontends and CDNs see of `/graphql`: media types and status codes, caching headers and
//! 304s, the response cache, persisted queries, limits, CORS, compression, the landing page and
//! metrics.

mod common;

use common::{TestRepo, TestServer, post};
use reqwest::header;
use serde_json::{Value, json};

const QUERY: &str = "{ posts(first: 2) { nodes { slug title } } }";

fn blog() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit(&[
        (
            "posts/a.md",
            &post(
                "title: A\ndate: 2024-01-02\ncategories: [Notes]",
                "Alpha[^1].\n\n[^1]: Note.",
            ),
        ),
        (
            "posts/b.md",
            &post("title: B\ndate: 2024-01-03\ncategories: [Notes]", "Beta."),
        ),
        ("posts/<b>broken</b>.md", "---\ntitle: [unclosed\n---\nBody"),
    ]);
    repo
}

fn get_url(server: &TestServer, query: &str) -> String {
    let mut url = reqwest::Url::parse(&server.url("/graphql")).unwrap();
    url.query_pairs_mut().append_pair("query", query);
    url.to_string()
}

async fn metrics(server: &TestServer) -> String {
    server.text("/metrics").await
}

/// The value of a metric line that starts with `name`, 0 when absent.
fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn get_answers_carry_etag_cache_control_and_vary_and_revalidate_with_304() {
    let repo = blog();
    let server = TestServer::start(repo.config("posts")).await;
    let client = server.client();
    let first = client.get(get_url(&server, QUERY)).send().await.unwrap();
    assert_eq!(first.status(), 200);
    let headers = first.headers().clone();
    let etag = headers[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=60, stale-while-revalidate=300"
    );
    assert_eq!(headers[header::VARY], "Accept, Accept-Encoding");
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "application/json; charset=utf-8"
    );
    let first_body = first.bytes().await.unwrap();
    let body: Value = serde_json::from_slice(&first_body).unwrap();
    assert_eq!(body["data"]["posts"]["nodes"][0]["slug"], "b");

    // The same URL again is answered from the cache (by URL), with the same bytes and headers.
    let hits = metric(&metrics(&server).await, "quire_response_cache_hits_total");
    let repeated = client.get(get_url(&server, QUERY)).send().await.unwrap();
    assert_eq!(repeated.status(), 200);
    for name in [
        header::ETAG,
        header::CACHE_CONTROL,
        header::VARY,
        header::CONTENT_TYPE,
    ] {
        assert_eq!(repeated.headers()[&name], headers[&name], "{name}");
    }
    assert_eq!(repeated.bytes().await.unwrap(), first_body);
    let after_hit = metrics(&server).await;
    assert_eq!(
        metric(&after_hit, "quire_response_cache_hits_total"),
        hits + 1.0
    );

    // The same request again: the same tag, and 304 without a body when the client has it.
    let again = client
        .get(get_url(&server, QUERY))
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()[header::ETAG], etag.as_str());
    assert!(again.headers().contains_key(header::CACHE_CONTROL));
    assert!(again.bytes().await.unwrap().is_empty());

    // Another request, or another media type, has another tag.
    let other = client
        .get(get_url(&server, "{ posts(first: 1) { nodes { slug } } }"))
        .send()
        .await
        .unwrap();
    assert_ne!(other.headers()[header::ETAG], etag.as_str());
    let graphql_json = client
        .get(get_url(&server, QUERY))
        .header(header::ACCEPT, "application/graphql-response+json")
        .send()
        .await
        .unwrap();
    assert_eq!(
        graphql_json.headers()[header::CONTENT_TYPE],
        "application/graphql-response+json; charset=utf-8"
    );
    assert_ne!(graphql_json.headers()[header::ETAG], etag.as_str());

    // A new commit: the old tag no longer matches, the answer is the new content.
    let next = repo.commit(&[("posts/c.md", &post("title: C\ndate: 2024-01-04", ""))]);
    server.refresh_to(next).await;
    let after = client
        .get(get_url(&server, QUERY))
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 200);
    assert_ne!(after.headers()[header::ETAG], etag.as_str());
    let body: Value = after.json().await.unwrap();
    assert_eq!(body["data"]["posts"]["nodes"][0]["slug"], "c");
}

#[tokio::test]
async fn errors_and_posts_are_not_cacheable() {
    let server = TestServer::serving(blog(), "posts").await;
    let client = server.client();
    let failing = client
        .get(get_url(
            &server,
            "{ postsByWeek(year: 2024, week: 60) { slug } }",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(failing.status(), 200);
    assert_eq!(failing.headers()[header::CACHE_CONTROL], "no-store");
    assert!(!failing.headers().contains_key(header::ETAG));
    let posted = client
        .post(server.url("/graphql"))
        .json(&json!({ "query": QUERY }))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.headers()[header::CACHE_CONTROL], "no-store");
    assert!(!posted.headers().contains_key(header::ETAG));
}

#[tokio::test]
async fn the_response_cache_answers_a_repeated_request_without_running_it() {
    let server = TestServer::serving(blog(), "posts").await;
    let first = server.post(QUERY, json!({})).await;
    let before = metrics(&server).await;
    assert_eq!(metric(&before, "quire_response_cache_misses_total"), 1.0);
    assert_eq!(metric(&before, "quire_response_cache_hits_total"), 0.0);
    // Variables in another key order are the same request.
    let query = "query P($slug: String!, $mode: FootnoteMode) { post(slug: $slug) { html(footnotes: $mode) } }";
    server
        .post(query, json!({ "slug": "a", "mode": "SECTION" }))
        .await;
    let second = server.post(QUERY, json!({})).await;
    let third = server
        .post(query, json!({ "mode": "SECTION", "slug": "a" }))
        .await;
    assert_eq!(first, second);
    assert!(
        third["data"]["post"]["html"]
            .as_str()
            .unwrap()
            .contains("footnotes")
    );
    let after = metrics(&server).await;
    assert_eq!(metric(&after, "quire_response_cache_hits_total"), 2.0);
    assert_eq!(metric(&after, "quire_response_cache_misses_total"), 2.0);
}

#[tokio::test]
async fn persisted_queries_follow_apollos_protocol() {
    let server = TestServer::serving(blog(), "posts").await;
    let client = server.client();
    let query = "{ post(slug: \"a\") { title } }";
    let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(query.as_bytes()));
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } }).to_string();
    let by_hash = || {
        let mut url = reqwest::Url::parse(&server.url("/graphql")).unwrap();
        url.query_pairs_mut().append_pair("extensions", &extensions);
        client.get(url).send()
    };
    let unknown = by_hash().await.unwrap();
    assert_eq!(unknown.status(), 200);
    assert_eq!(unknown.headers()[header::CACHE_CONTROL], "no-store");
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["errors"][0]["message"], "PersistedQueryNotFound");
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "PERSISTED_QUERY_NOT_FOUND"
    );

    let wrong = client
        .post(server.url("/graphql"))
        .json(&json!({ "query": "{ posts { totalCount } }", "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);
    let body: Value = wrong.json().await.unwrap();
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("is not the SHA-256")
    );

    let registered = client
        .post(server.url("/graphql"))
        .json(&json!({ "query": query, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } }))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 200);
    let known = by_hash().await.unwrap();
    assert_eq!(known.status(), 200);
    assert!(
        known.headers().contains_key(header::ETAG),
        "a hash-only GET is cacheable"
    );
    let body: Value = known.json().await.unwrap();
    assert_eq!(body["data"]["post"]["title"], "A");
}

#[tokio::test]
async fn status_codes_follow_the_graphql_over_http_spec() {
    let server = TestServer::serving(blog(), "posts").await;
    let client = server.client();
    let send = |accept: &'static str, body: Value| {
        client
            .post(server.url("/graphql"))
            .header(header::ACCEPT, accept)
            .json(&body)
            .send()
    };
    // A parse error: 400 without `data` under the new media type, 200 under application/json.
    let strict = send(
        "application/graphql-response+json",
        json!({ "query": "{ posts {" }),
    )
    .await
    .unwrap();
    assert_eq!(strict.status(), 400);
    let body: Value = strict.json().await.unwrap();
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    let legacy = send("application/json", json!({ "query": "{ nope }" }))
        .await
        .unwrap();
    assert_eq!(legacy.status(), 200);
    assert!(legacy.json::<Value>().await.unwrap().get("data").is_none());
    // A field error keeps `data` and 200.
    let field = send(
        "application/graphql-response+json",
        json!({ "query": "{ a: postsByCategory(category: \"none\") { totalCount } b: post(slug: \"a\") { title } }" }),
    )
    .await
    .unwrap();
    assert_eq!(field.status(), 200);
    let body: Value = field.json().await.unwrap();
    assert_eq!(body["data"]["b"]["title"], "A");
    assert_eq!(body["errors"][0]["extensions"]["code"], "NOT_FOUND");
    // Mutations over GET: 405 with Allow.
    let mutation = client
        .get(get_url(&server, "mutation { __typename }"))
        .send()
        .await
        .unwrap();
    assert_eq!(mutation.status(), 405);
    assert_eq!(mutation.headers()[header::ALLOW], "POST");
    // Wrong media types.
    let plain = client
        .post(server.url("/graphql"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(json!({ "query": QUERY }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 415);
    let xml = send("application/xml", json!({ "query": QUERY }))
        .await
        .unwrap();
    assert_eq!(xml.status(), 406);
    // GET without a query says what to send.
    let empty = client.get(server.url("/graphql")).send().await.unwrap();
    assert_eq!(empty.status(), 400);
    let body: Value = empty.json().await.unwrap();
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("needs a `query` parameter")
    );
}

/// Sends `query` and returns the first error's message and code.
async fn refused(server: &TestServer, body: Value) -> (u16, String, Value) {
    let response = server
        .client()
        .post(server.url("/graphql"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    (
        status,
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        body["errors"][0]["extensions"]["code"].clone(),
    )
}

#[tokio::test]
async fn each_limit_names_itself_and_its_value() {
    let repo = blog();
    let mut config = repo.config("posts");
    config.api.max_depth = 3;
    config.api.max_complexity = 50;
    config.api.max_aliases = 2;
    config.api.max_body_kb = 1;
    let server = TestServer::start(config).await;

    let (_, message, code) = refused(
        &server,
        json!({ "query": "{ posts { nodes { categories { name } } } }" }),
    )
    .await;
    assert_eq!(
        message,
        "the query is 4 fields deep, more than the limit of 3 (--max-depth)"
    );
    assert_eq!(code, "LIMIT_EXCEEDED");

    // 30 posts asked for, 3 fields each (`nodes`, `slug`, `title`), plus `posts`: 91 > 50.
    let (_, message, code) = refused(
        &server,
        json!({ "query": "{ posts(first: 30) { nodes { slug title } } }" }),
    )
    .await;
    assert!(
        message.starts_with(
            "the query's complexity is 91, more than the limit of 50 (--max-complexity)"
        ),
        "{message}"
    );
    assert_eq!(code, "LIMIT_EXCEEDED");
    let fine = server
        .post("{ posts(first: 20) { nodes { slug } } }", json!({}))
        .await;
    assert!(fine.get("errors").is_none(), "{fine}");

    let (_, message, code) = refused(&server, json!({ "query": "{ a: revision { commit } b: revision { commit } c: revision { commit } }" })).await;
    assert_eq!(
        message,
        "the query uses 3 aliases, more than the limit of 2 (--max-aliases)"
    );
    assert_eq!(code, "LIMIT_EXCEEDED");

    // Fragments that each spread the next twice: refused before validation walks 2^12 fields.
    let mut fan_out = String::from("{ ...F0 }");
    for i in 0..12 {
        fan_out.push_str(&format!(
            " fragment F{i} on Query {{ ...F{} ...F{} }}",
            i + 1,
            i + 1
        ));
    }
    fan_out.push_str(" fragment F12 on Query { __typename }");
    let (_, message, code) = refused(&server, json!({ "query": fan_out })).await;
    assert_eq!(
        message,
        "the query expands to 4096 fields once its fragments are spread, more than the complexity limit of 50 (--max-complexity)"
    );
    assert_eq!(code, "LIMIT_EXCEEDED");

    let big = format!("{{ posts {{ totalCount }} }} # {}", "x".repeat(2000));
    let (status, message, code) = refused(&server, json!({ "query": big })).await;
    assert_eq!(status, 413);
    assert_eq!(
        message,
        "the body is larger than the limit of 1 KiB (--max-body-kb)"
    );
    assert_eq!(code, "LIMIT_EXCEEDED");

    let (status, message, _) =
        refused(&server, json!([{ "query": QUERY }, { "query": QUERY }])).await;
    assert_eq!(status, 400);
    assert!(message.starts_with("batched requests are off"), "{message}");
}

#[tokio::test]
async fn batches_answer_in_order_when_turned_on() {
    let repo = blog();
    let mut config = repo.config("posts");
    config.api.max_batch = 2;
    let server = TestServer::start(config).await;
    let response = server
        .client()
        .post(server.url("/graphql"))
        .json(&json!([{ "query": "{ post(slug: \"a\") { title } }" }, { "query": "{ post(slug: \"b\") { title } }" }]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body[0]["data"]["post"]["title"], "A");
    assert_eq!(body[1]["data"]["post"]["title"], "B");
    let (status, message, code) = refused(
        &server,
        json!([{ "query": QUERY }, { "query": QUERY }, { "query": QUERY }]),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        message,
        "a batch holds 1 to 2 operations (--max-batch); this one has 3"
    );
    assert_eq!(code, "LIMIT_EXCEEDED");
}

#[tokio::test]
async fn introspection_and_graphiql_can_be_turned_off() {
    let repo = blog();
    let server = TestServer::start(repo.config("posts")).await;
    let page = server
        .client()
        .get(server.url("/graphql"))
        .header(header::ACCEPT, "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("\"/graphiql/assets/graphiql@3.9.0/graphiql.min.js\""),
        "{page}"
    );

    let mut config = repo.config("posts");
    config.api.disable_introspection = true;
    config.api.disable_graphiql = true;
    let server = TestServer::start(config).await;
    let (_, message, code) = refused(
        &server,
        json!({ "query": "{ __schema { types { name } } }" }),
    )
    .await;
    assert_eq!(
        message,
        "introspection (`__schema`, `__type`) is turned off on this server (--disable-introspection)"
    );
    assert_eq!(code, "BAD_USER_INPUT");
    let data = server.data("{ __typename }").await;
    assert_eq!(data["__typename"], "Query");
    let page = server
        .client()
        .get(server.url("/graphql"))
        .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 400, "no GraphiQL page");
}

#[tokio::test]
async fn graphiql_loads_its_assets_from_the_configured_base() {
    let repo = blog();
    let mut config = repo.config("posts");
    config.api.graphiql_assets = "/static/npm".to_owned();
    let server = TestServer::start(config).await;
    let page = server
        .client()
        .get(server.url("/graphql"))
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for asset in [
        "/static/npm/react@18.3.1/umd/react.production.min.js",
        "/static/npm/react-dom@18.3.1/umd/react-dom.production.min.js",
        "/static/npm/graphiql@3.9.0/graphiql.min.js",
        "/static/npm/graphiql@3.9.0/graphiql.min.css",
    ] {
        assert!(page.contains(asset), "{asset} in {page}");
    }
    assert!(!page.contains("unpkg.com"));
}

#[tokio::test]
async fn graphiql_assets_are_served_from_the_binary_for_a_year_and_gzipped() {
    let repo = blog();
    let server = TestServer::start(repo.config("posts")).await;
    let get = |path: &str, headers: &[(header::HeaderName, &str)]| {
        let mut request = server.client().get(server.url(path));
        for (name, value) in headers {
            request = request.header(name, *value);
        }
        request.send()
    };
    for (path, content_type, starts) in [
        (
            "/graphiql/assets/graphiql@3.9.0/graphiql.min.js",
            "text/javascript; charset=utf-8",
            "",
        ),
        (
            "/graphiql/assets/graphiql@3.9.0/graphiql.min.css",
            "text/css; charset=utf-8",
            "",
        ),
        (
            "/graphiql/assets/react@18.3.1/umd/react.production.min.js",
            "text/javascript; charset=utf-8",
            "/**\n * @license React",
        ),
        (
            "/graphiql/assets/react-dom@18.3.1/umd/react-dom.production.min.js",
            "text/javascript; charset=utf-8",
            "/**\n * @license React",
        ),
        (
            "/graphiql/assets/graphiql@3.9.0/LICENSE",
            "text/plain; charset=utf-8",
            "MIT License",
        ),
    ] {
        let plain = get(path, &[]).await.unwrap();
        assert_eq!(plain.status(), 200, "{path}");
        let headers = plain.headers().clone();
        assert_eq!(headers[header::CONTENT_TYPE], content_type, "{path}");
        assert_eq!(
            headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable",
            "{path}"
        );
        let etag = headers[header::ETAG].to_str().unwrap().to_owned();
        assert!(etag.starts_with('"') && etag.len() > 20, "strong: {etag}");
        let body = plain.bytes().await.unwrap();
        assert!(body.starts_with(starts.as_bytes()), "{path}");
        let on_disk = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("assets/graphiql")
                .join(path.trim_start_matches("/graphiql/assets/")),
        )
        .unwrap();
        assert!(body == on_disk, "{path}: not the file in assets/graphiql");

        let again = get(path, &[(header::IF_NONE_MATCH, etag.as_str())])
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()[header::ETAG], etag.as_str());

        let gzipped = get(path, &[(header::ACCEPT_ENCODING, "gzip")])
            .await
            .unwrap();
        assert_eq!(
            gzipped.headers()[header::CONTENT_ENCODING],
            "gzip",
            "{path}"
        );
        assert!(gzipped.bytes().await.unwrap().len() < body.len(), "{path}");
    }
    let missing = get("/graphiql/assets/graphiql@3.8.0/graphiql.min.js", &[])
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("GraphiQL 3.9.0"));

    let mut config = repo.config("posts");
    config.api.disable_graphiql = true;
    let server = TestServer::start(config).await;
    let off = server
        .client()
        .get(server.url("/graphiql/assets/graphiql@3.9.0/graphiql.min.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 404, "no assets without GraphiQL");
}

#[tokio::test]
async fn cors_answers_preflights_for_listed_origins_only() {
    let repo = blog();
    let mut config = repo.config("posts");
    config.api.cors_origin = vec!["https://blog.example.com".to_owned()];
    let server = TestServer::start(config).await;
    let client = server.client();
    let preflight = |origin: &'static str| {
        client
            .request(reqwest::Method::OPTIONS, server.url("/graphql"))
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
            .send()
    };
    let allowed = preflight("https://blog.example.com").await.unwrap();
    assert!(allowed.status().is_success(), "{}", allowed.status());
    let headers = allowed.headers();
    assert_eq!(
        headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://blog.example.com"
    );
    assert!(
        headers[header::ACCESS_CONTROL_ALLOW_METHODS]
            .to_str()
            .unwrap()
            .contains("POST")
    );
    assert_eq!(
        headers[header::ACCESS_CONTROL_ALLOW_HEADERS],
        "content-type"
    );
    assert_eq!(headers[header::ACCESS_CONTROL_MAX_AGE], "86400");
    let other = preflight("https://evil.example.com").await.unwrap();
    assert!(
        !other
            .headers()
            .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN)
    );

    let answer = client
        .get(get_url(&server, QUERY))
        .header(header::ORIGIN, "https://blog.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://blog.example.com"
    );
    assert_eq!(
        answer.headers()[header::ACCESS_CONTROL_EXPOSE_HEADERS],
        "etag"
    );
    let vary: Vec<_> = answer
        .headers()
        .get_all(header::VARY)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(vary.iter().any(|v| v.contains("origin")), "{vary:?}");
}

#[tokio::test]
async fn compresses_with_gzip_or_brotli_when_accepted() {
    let repo = TestRepo::new();
    let long = "A paragraph of text that repeats. ".repeat(200);
    repo.commit(&[("posts/long.md", &post("title: Long", &long))]);
    let server = TestServer::start(repo.config("posts")).await;
    let url = get_url(&server, "{ post(slug: \"long\") { html } }");
    for (accept, expected) in [
        ("gzip", Some("gzip")),
        ("br", Some("br")),
        ("identity", None),
    ] {
        let response = server
            .client()
            .get(&url)
            .header(header::ACCEPT_ENCODING, accept)
            .send()
            .await
            .unwrap();
        let encoding = response
            .headers()
            .get(header::CONTENT_ENCODING)
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(encoding.as_deref(), expected, "{accept}");
        let size = response.bytes().await.unwrap().len();
        if expected.is_some() {
            assert!(size < long.len() / 10, "{accept}: {size} bytes");
        } else {
            assert!(size > long.len(), "identity: {size} bytes");
        }
    }
}

#[tokio::test]
async fn the_landing_page_shows_what_is_served_in_plain_html() {
    let repo = blog();
    let server = TestServer::start(repo.config("posts")).await;
    let response = server.client().get(server.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = response.text().await.unwrap();
    assert!(page.contains("<strong>2</strong> posts"), "{page}");
    assert!(page.contains(&repo.head().to_string()));
    assert!(page.contains("<code>main</code>"));
    assert!(page.contains("Problems (1)"));
    // The path of the broken file has markup in it: shown escaped, never as markup.
    assert!(
        page.contains("posts/&lt;b&gt;broken&lt;/b&gt;.md"),
        "{page}"
    );
    assert!(!page.contains("<b>broken"));
    assert!(page.contains("<a href=\"/graphql\">GraphiQL</a>"));
    assert!(!page.contains("<script"), "plain HTML, no JavaScript");
}

/// A CDN in front keeps only what says it may: health checks, metrics, webhooks, pages and
/// GraphQL answers that are not cacheable all say so.
#[tokio::test]
async fn only_graphql_query_answers_are_cacheable() {
    let server = TestServer::serving(blog(), "posts").await;
    let client = server.client();
    let html = |r: reqwest::RequestBuilder| r.header(header::ACCEPT, "text/html");
    let requests = [
        ("GET /healthz", client.get(server.url("/healthz"))),
        ("GET /readyz", client.get(server.url("/readyz"))),
        ("GET /metrics", client.get(server.url("/metrics"))),
        (
            "POST /webhook",
            client.post(server.url("/webhook")).body("{}"),
        ),
        (
            "POST /webhook/peer",
            client.post(server.url("/webhook/peer")).body("{}"),
        ),
        ("GET /nowhere", client.get(server.url("/nowhere"))),
        ("GraphiQL", html(client.get(server.url("/graphql")))),
        // POST answers and errors: see errors_and_posts_are_not_cacheable.
    ];
    for (what, request) in requests {
        let response = request.send().await.unwrap();
        let control = response.headers().get(header::CACHE_CONTROL);
        assert_eq!(
            control.and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{what}"
        );
    }
    let landing = client.get(server.url("/")).send().await.unwrap();
    assert_eq!(landing.headers()[header::CACHE_CONTROL], "no-cache");
    let query = client.get(get_url(&server, QUERY)).send().await.unwrap();
    let control = query.headers()[header::CACHE_CONTROL].to_str().unwrap();
    assert!(control.starts_with("public, max-age="), "{control}");
}

#[tokio::test]
async fn metrics_are_in_the_prometheus_text_format() {
    let server = TestServer::serving(blog(), "posts").await;
    server
        .client()
        .post(server.url("/graphql"))
        .json(&json!({ "query": "query Home { posts { totalCount } }", "operationName": "Home" }))
        .send()
        .await
        .unwrap();
    let response = server
        .client()
        .get(server.url("/metrics"))
        .send()
        .await
        .unwrap();
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    let text = response.text().await.unwrap();
    assert_eq!(
        metric(
            &text,
            "quire_graphql_requests_total{operation=\"Home\",status=\"200\"}"
        ),
        1.0
    );
    assert_eq!(
        metric(
            &text,
            "quire_graphql_request_duration_seconds_count{operation=\"Home\"}"
        ),
        1.0
    );
    assert_eq!(metric(&text, "quire_posts_served"), 2.0);
    assert_eq!(metric(&text, "quire_content_problems"), 1.0);
    assert_eq!(metric(&text, "quire_refreshes_total"), 1.0);
    assert_eq!(metric(&text, "quire_refresh_duration_seconds_count"), 1.0);
    assert!(text.ends_with("# EOF\n"));
}

#[tokio::test]
async fn every_query_in_the_readme_runs_within_the_default_limits() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let queries: Vec<&str> = readme
        .split("```graphql\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap())
        .filter(|q| !q.trim_start().starts_with("subscription"))
        .collect();
    assert!(
        queries.len() >= 5,
        "README has {} GraphQL blocks",
        queries.len()
    );
    let server = TestServer::sample().await;
    for query in queries {
        let answer = server.post(query, json!({})).await;
        let limited = answer["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| {
                e["extensions"]["code"] == "LIMIT_EXCEEDED"
                    || e["extensions"]["code"] == "BAD_USER_INPUT"
            })
            .count();
        assert_eq!(limited, 0, "{query}\n{answer}");
    }
}

#[tokio::test]
async fn highlight_css_serves_a_themes_stylesheet_for_a_day_and_404s_an_unknown_theme() {
    let server = TestServer::sample().await;
    let get = |path: &str, etag: Option<&str>| {
        let mut request = server.client().get(server.url(path));
        if let Some(etag) = etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        request.send()
    };

    let default = get("/highlight.css", None).await.unwrap();
    assert_eq!(default.status(), 200);
    let headers = default.headers().clone();
    assert_eq!(headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=86400");
    let etag = headers[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.len() > 20, "strong: {etag}");
    let css = default.text().await.unwrap();
    assert!(css.contains("theme \"InspiredGitHub\""), "{css}");
    assert!(
        css.contains("\n.hl-"),
        "a rule for the tokens' classes: {css}"
    );
    assert!(css.contains(".highlight .hl {"), "{css}");

    let again = get("/highlight.css", Some(&etag)).await.unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()[header::ETAG], etag.as_str());

    let head = server
        .client()
        .head(server.url("/highlight.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()[header::ETAG], etag.as_str());

    let dark = get("/highlight.css?theme=Solarized%20(dark)", None)
        .await
        .unwrap();
    assert_eq!(dark.status(), 200);
    assert_ne!(dark.headers()[header::ETAG], etag.as_str());
    assert!(
        dark.text()
            .await
            .unwrap()
            .contains("theme \"Solarized (dark)\"")
    );
    let stale = get("/highlight.css?theme=base16-ocean.dark", Some(&etag))
        .await
        .unwrap();
    assert_eq!(stale.status(), 200, "another theme's ETag does not match");

    let unknown = get("/highlight.css?theme=monokai", None).await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(unknown.headers()[header::CACHE_CONTROL], "no-store");
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["code"], "NOT_FOUND");
    let message = body["error"].as_str().unwrap();
    assert!(
        message.contains("\"monokai\"") && message.contains("base16-ocean.dark"),
        "names the theme asked for and lists the others: {message}"
    );
}

#[tokio::test]
async fn highlight_css_defaults_to_the_configured_theme() {
    let repo = blog();
    let mut config = repo.config("posts");
    config.highlight_theme = "base16-ocean.dark".to_owned();
    let server = TestServer::start(config).await;
    let css = server.text("/highlight.css").await;
    assert!(css.contains("theme \"base16-ocean.dark\""), "{css}");
}
