//! `GET /files/{commit}/{path}`: a post's images and Hugo's static files, served from git with
//! their type, a year of caching, ranges and HEAD; and every other path, commit or trick
//! answered 404 without reading anything outside the content root and the static folder.

mod common;

use common::{FILE, SUBMODULE, SYMLINK, TestRepo, TestServer, post};
use git2::{ObjectType, Oid};
use reqwest::StatusCode;
use serde_json::Value;

/// Bytes that are not text, like an image's.
fn image(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn blob_id(bytes: &[u8]) -> String {
    Oid::hash_object(ObjectType::Blob, bytes)
        .unwrap()
        .to_string()
}

/// A blog with a page bundle, a plain post, a draft, a static folder and things that must not
/// be served (a link out of the root, a submodule, files outside the roots). The bundle's
/// photo had other bytes in the commit before.
fn blog(photo: &[u8]) -> (TestRepo, Oid) {
    let repo = TestRepo::new();
    let first = repo.commit_entries(&[
        ("content-repo/trip/photo.png", FILE, &image(1000, 7)),
        (
            "content-repo/trip/index.md",
            FILE,
            post("title: Trip", "![A photo](photo.png)\n").as_bytes(),
        ),
    ]);
    let draft = post("title: Draft\ndraft: true", "Not yet.\n");
    repo.commit_entries(&[
        ("content-repo/trip/photo.png", FILE, photo),
        ("content-repo/trip/escape.png", SYMLINK, b"../../Cargo.toml"),
        ("content-repo/trip/vendor", SUBMODULE, b""),
        (
            "content-repo/plain.md",
            FILE,
            post("title: Plain", "Text\n").as_bytes(),
        ),
        ("content-repo/draft.md", FILE, draft.as_bytes()),
        ("static/img/logo.png", FILE, &image(300, 1)),
        ("static/demo.html", FILE, b"<script>alert(1)</script>"),
        (
            "static/pic.svg",
            FILE,
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        ("static/style.css", FILE, b"body { color: red }"),
        ("static/img/été 1%.png", FILE, b"accented"),
        ("static/data.unknownext", FILE, b"\x00\x01"),
        ("assets/x.png", FILE, &image(50, 3)),
        ("Cargo.toml", FILE, b"[package]\nname = \"secret\"\n"),
    ]);
    (repo, first)
}

async fn get(server: &TestServer, path: &str) -> reqwest::Response {
    server.client().get(server.url(path)).send().await.unwrap()
}

fn header<'r>(response: &'r reqwest::Response, name: &str) -> &'r str {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

/// A 404 answered as every API error is: JSON, a `NOT_FOUND` code, never cached.
async fn assert_not_found(response: reqwest::Response, what: &str) -> String {
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "{what}");
    assert_eq!(header(&response, "cache-control"), "no-store", "{what}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "NOT_FOUND", "{what}: {body}");
    body["error"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn serves_a_bundle_image_with_its_type_etag_and_a_year_of_caching() {
    let photo = image(200 * 1024, 42);
    let (repo, _) = blog(&photo);
    let server = TestServer::serving(repo, "content-repo").await;
    let commit = server.commit().await;
    let url = format!("/files/{commit}/content-repo/trip/photo.png");

    let response = get(&server, &url).await;
    assert_eq!(response.status(), StatusCode::OK);
    let etag = format!("\"{}\"", blob_id(&photo));
    assert_eq!(header(&response, "content-type"), "image/png");
    assert_eq!(header(&response, "etag"), etag);
    assert_eq!(
        header(&response, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header(&response, "accept-ranges"), "bytes");
    assert_eq!(header(&response, "x-content-type-options"), "nosniff");
    assert_eq!(header(&response, "content-length"), photo.len().to_string());
    assert!(response.headers().get("content-security-policy").is_none());
    assert_eq!(response.bytes().await.unwrap(), photo);
    // Again, from the cache: the same bytes.
    assert_eq!(get(&server, &url).await.bytes().await.unwrap(), photo);

    let cached = server
        .client()
        .get(server.url(&url))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&cached, "etag"), etag);
    assert_eq!(
        header(&cached, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert!(cached.bytes().await.unwrap().is_empty());
    let other = server
        .client()
        .get(server.url(&url))
        .header("if-none-match", "\"0000\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::OK);

    let head = server.client().head(server.url(&url)).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(header(&head, "content-length"), photo.len().to_string());
    assert_eq!(header(&head, "etag"), etag);
    assert_eq!(header(&head, "content-type"), "image/png");
    assert!(head.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn serves_one_range_and_refuses_a_range_past_the_end() {
    let photo = image(5000, 9);
    let (repo, _) = blog(&photo);
    let server = TestServer::serving(repo, "content-repo").await;
    let url = server.url(&format!(
        "/files/{}/content-repo/trip/photo.png",
        server.commit().await
    ));
    let ranged = |range: &'static str| server.client().get(&url).header("range", range).send();

    let part = ranged("bytes=100-199").await.unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(header(&part, "content-range"), "bytes 100-199/5000");
    assert_eq!(header(&part, "content-length"), "100");
    assert_eq!(part.bytes().await.unwrap(), photo[100..200]);

    let tail = ranged("bytes=-10").await.unwrap();
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(header(&tail, "content-range"), "bytes 4990-4999/5000");
    assert_eq!(tail.bytes().await.unwrap(), photo[4990..]);

    let past = ranged("bytes=5000-").await.unwrap();
    assert_eq!(past.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(header(&past, "content-range"), "bytes */5000");
    let body: Value = past.json().await.unwrap();
    assert_eq!(body["code"], "BAD_USER_INPUT", "{body}");

    // Several ranges: the whole file.
    let several = ranged("bytes=0-1,10-20").await.unwrap();
    assert_eq!(several.status(), StatusCode::OK);
    assert_eq!(several.bytes().await.unwrap(), photo);

    // A range of another version of the file: the whole of this one.
    let stale = server
        .client()
        .get(&url)
        .header("range", "bytes=0-9")
        .header("if-range", "\"0123\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::OK);
    assert_eq!(stale.bytes().await.unwrap().len(), 5000);

    let head = server
        .client()
        .head(&url)
        .header("range", "bytes=0-9")
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(header(&head, "content-length"), "10");
    assert_eq!(header(&head, "content-range"), "bytes 0-9/5000");
}

#[tokio::test]
async fn serves_the_static_folder_beside_the_root_with_text_as_utf8_and_documents_sandboxed() {
    let (repo, _) = blog(&image(10, 0));
    let server = TestServer::serving(repo, "content-repo").await;
    let base = format!("/files/{}", server.commit().await);

    let logo = get(&server, &format!("{base}/static/img/logo.png")).await;
    assert_eq!(logo.status(), StatusCode::OK);
    assert_eq!(header(&logo, "content-type"), "image/png");
    assert_eq!(logo.bytes().await.unwrap(), image(300, 1));

    for (path, content_type, sandboxed) in [
        ("static/demo.html", "text/html; charset=utf-8", true),
        ("static/pic.svg", "image/svg+xml; charset=utf-8", true),
        ("static/style.css", "text/css; charset=utf-8", false),
        ("static/data.unknownext", "application/octet-stream", false),
    ] {
        let response = get(&server, &format!("{base}/{path}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&response, "content-type"), content_type, "{path}");
        assert_eq!(header(&response, "x-content-type-options"), "nosniff");
        let csp = response.headers().get("content-security-policy");
        assert_eq!(
            csp.map(|v| v.to_str().unwrap()),
            sandboxed.then_some("sandbox"),
            "{path}"
        );
    }
    // A name with spaces, `%` and accents, each byte percent-encoded as `html` links give it.
    let accented = get(
        &server,
        &format!("{base}/static/img/%C3%A9t%C3%A9%201%25.png"),
    )
    .await;
    assert_eq!(accented.status(), StatusCode::OK);
    assert_eq!(accented.bytes().await.unwrap(), &b"accented"[..]);
    // Not a static folder unless named so.
    assert_not_found(
        get(&server, &format!("{base}/assets/x.png")).await,
        "assets",
    )
    .await;
}

#[tokio::test]
async fn the_static_flag_replaces_the_folder_beside_the_root() {
    let (repo, _) = blog(&image(10, 0));
    let mut config = repo.config("content-repo");
    config.static_dir = Some("assets".to_owned());
    let mut server = TestServer::start(config).await;
    server.keep(repo);
    let base = format!("/files/{}", server.commit().await);
    let x = get(&server, &format!("{base}/assets/x.png")).await;
    assert_eq!(x.status(), StatusCode::OK);
    assert_eq!(x.bytes().await.unwrap(), image(50, 3));
    let message = assert_not_found(
        get(&server, &format!("{base}/static/img/logo.png")).await,
        "static",
    )
    .await;
    assert!(message.contains("`assets/`"), "{message}");
}

#[tokio::test]
async fn traversal_links_submodules_markdown_and_paths_outside_the_roots_answer_404() {
    let (repo, _) = blog(&image(10, 0));
    let dir = repo.path().to_str().unwrap().to_owned();
    let server = TestServer::serving(repo, "content-repo").await;
    let commit = server.commit().await;
    let c = format!("/files/{commit}");
    // The photo itself is served: each attempt below differs from it by the trick alone.
    let (status, _) = server
        .raw_get(&format!("{c}/content-repo/trip/photo.png"))
        .await;
    assert_eq!(status, 200);
    for target in [
        format!("{c}/content-repo/../Cargo.toml"),
        format!("{c}/content-repo/trip/../../Cargo.toml"),
        format!("{c}/content-repo/%2e%2e/Cargo.toml"),
        format!("{c}/content-repo/%2E%2E/%2E%2E/etc/passwd"),
        format!("{c}/content-repo%2F..%2FCargo.toml"),
        format!("{c}/content-repo%2Ftrip%2Fphoto.png"),
        format!("{c}/content-repo%5Ctrip%5Cphoto.png"),
        format!("{c}/content-repo/./trip/photo.png"),
        format!("{c}/content-repo//trip/photo.png"),
        format!("{c}/content-repo/trip/photo.png/"),
        format!("{c}/content-repo/trip/photo.png%00"),
        format!("{c}//etc/passwd"),
        format!("{c}/%2Fetc%2Fpasswd"),
        format!("{c}/{}", dir.trim_start_matches('/')),
        format!("{c}/.git/config"),
        format!("{c}/Cargo.toml"),
        format!("{c}/content-repo/trip/escape.png"),
        format!("{c}/content-repo/trip/vendor"),
        format!("{c}/content-repo/trip/vendor/README.md"),
        format!("{c}/content-repo/trip"),
        format!("{c}/content-repo/draft.md"),
        format!("{c}/content-repo/trip/index.md"),
        format!("{c}/content-repo/trip/missing.png"),
        format!("{c}/content-repo/%ff.png"),
    ] {
        let (status, answer) = server.raw_get(&target).await;
        assert_eq!(status, 404, "{target}: {answer}");
        assert!(
            answer.contains("\"code\":\"NOT_FOUND\""),
            "{target}: {answer}"
        );
        assert!(!answer.contains("[package]"), "{target}: {answer}");
        assert!(
            !answer.contains(&dir),
            "{target} shows a server path: {answer}"
        );
    }
}

#[tokio::test]
async fn only_the_served_commit_and_those_before_it_are_served() {
    let photo = image(100, 5);
    let (repo, first) = blog(&photo);
    let served = repo.head();
    // A branch the server does not serve, with a file of its own.
    repo.branch("other");
    repo.checkout_branch("other");
    let secret = repo.commit_entries(&[("content-repo/trip/secret.png", FILE, b"unpublished")]);
    repo.checkout_branch("main");
    let server = TestServer::serving(repo, "content-repo").await;
    assert_eq!(server.commit().await, served.to_string());

    // A page rendered from the commit before keeps its image, as it was then.
    let old = get(
        &server,
        &format!("/files/{first}/content-repo/trip/photo.png"),
    )
    .await;
    assert_eq!(old.status(), StatusCode::OK);
    assert_eq!(old.bytes().await.unwrap(), image(1000, 7));

    let unknown = "0123456789abcdef0123456789abcdef01234567";
    let blob = blob_id(&photo);
    let mut messages = Vec::new();
    for commit in [secret.to_string(), unknown.to_owned(), blob] {
        let for_secret = get(
            &server,
            &format!("/files/{commit}/content-repo/trip/secret.png"),
        )
        .await;
        let message = assert_not_found(for_secret, &commit).await;
        let for_photo = get(
            &server,
            &format!("/files/{commit}/content-repo/trip/photo.png"),
        )
        .await;
        assert_not_found(for_photo, &commit).await;
        messages.push(message.replace(&commit, "<commit>"));
    }
    // An unpublished commit is answered as one that does not exist.
    assert_eq!(messages[0], messages[1]);
    assert!(messages[0].contains("not served here"), "{}", messages[0]);

    for malformed in [
        "0123456789abcdef",
        "0123456789abcdef0123456789abcdef012345678",
        "0123456789abcdef0123456789abcdef0123456z",
        "HEAD",
        "main",
    ] {
        let response = get(
            &server,
            &format!("/files/{malformed}/content-repo/trip/photo.png"),
        )
        .await;
        let message = assert_not_found(response, malformed).await;
        assert!(message.contains("40 hex digits"), "{message}");
    }
}

#[tokio::test]
async fn files_answer_not_ready_before_the_first_load() {
    let (repo, _) = blog(&image(10, 0));
    let mut server = TestServer::start_unloaded(repo.config("no-such-root")).await;
    server.keep(repo);
    let response = get(
        &server,
        "/files/0123456789abcdef0123456789abcdef01234567/content-repo/trip/photo.png",
    )
    .await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "NOT_READY", "{body}");
}
