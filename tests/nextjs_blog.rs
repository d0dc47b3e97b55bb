//! The Next.js example (`examples/nextjs-blog/`) built against a live Quire and crawled in
//! headless Chromium: once on the sample posts of `content-repo/`, once on a generated blog of
//! 300 posts in three sections. The crawl (`clients/crawl-site.mjs`) follows every link from the
//! home page and fails on any page that is not 200, any link or anchor to nothing, any image that
//! does not load, any console error and any request leaving the machine. Then a post is
//! committed, Quire refreshes and notifies the site (`--notify`), and the site shows it without
//! a rebuild; and a draft on a branch is previewed in draft mode. `scripts/setup-tests.sh` installs the example's packages from its lockfile; without
//! them the test is skipped, or fails with `CI=true`.

#[path = "nextjs_blog/blog.rs"]
mod blog;
mod common;
#[path = "nextjs_blog/site.rs"]
mod site;

use std::time::{Duration, Instant};

use common::{Forwarder, TestRepo, TestServer, eventually, frontend_ready, node, post};
use serde_json::Value;
use site::Site;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Quire's `--preview-token`, which the site sends in draft mode.
const TOKEN: &str = "a-preview-token-for-the-site";

/// What `/api/draft/?secret=` must be.
const DRAFT_SECRET: &str = "a-draft-secret-for-the-test";

/// Serves `root` of `repo` with what the site needs of Quire: its files under a fixed public
/// address (`quire`, pointed at the server), CORS for the site's origin (search runs in the
/// browser), and notifications to the site's route.
async fn serve(repo: &TestRepo, root: &str, quire: &Forwarder, site: &Forwarder) -> TestServer {
    let mut config = repo.config(root);
    config.public_url = Some(quire.url().parse().unwrap());
    config.api.cors_origin = vec![site.url()];
    config.refs.preview_tokens = vec![TOKEN.to_owned()];
    config.notify = quire::NotifyConfig {
        // With the slash: Next answers /api/quire with a redirect, which Quire does not follow.
        receivers: vec![format!("{}/api/quire/", site.url()).parse().unwrap()],
        secret: Some(quire::NotifySecret::parse(SECRET).unwrap()),
        retry: quire::RetrySchedule::new(vec![Duration::from_secs(1)], Duration::from_secs(10)),
    };
    let server = TestServer::start(config).await;
    quire.point_at(&server.addr.to_string());
    server
}

/// Builds the example against `quire`, starts it behind `site` and crawls it; returns the
/// crawler's report after checking it, with screenshots in `target/nextjs-blog/<name>/`.
async fn build_and_crawl(
    name: &str,
    quire: &Forwarder,
    site: &Forwarder,
    post: &str,
    words: &str,
) -> (Site, Value) {
    let started = Instant::now();
    Site::build(&quire.url(), &site.url()).await;
    let built = started.elapsed();
    let running = Site::start(&quire.url(), site).await;
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/nextjs-blog")
        .join(name);
    let report = node(
        "crawl-site.mjs",
        vec![
            site.url(),
            shots.display().to_string(),
            post.to_owned(),
            words.to_owned(),
        ],
    )
    .await;
    eprintln!(
        "nextjs-blog on {name}: built in {:.0} s, crawled {} pages ({} posts, {} images, {} links, {} anchors) in {} s",
        built.as_secs_f64(),
        report["pages"],
        report["posts"],
        report["images"],
        report["links"],
        report["anchors"],
        report["seconds"]
    );
    let problems = report["problems"].as_array().unwrap();
    assert!(
        problems.is_empty(),
        "{name}: {} problems:\n{}",
        problems.len(),
        problems
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(report["notFound"]["status"], 404, "{report}");
    // The table of contents and the footnotes of `post`, clicked: each target on screen.
    let toc = report["toc"].as_array().unwrap();
    assert!(!toc.is_empty(), "{post} has a table of contents: {report}");
    for entry in toc {
        assert_eq!(entry["shown"], true, "{entry}");
        assert_eq!(entry["hash"], entry["href"], "{entry}");
    }
    let notes = report["footnotes"].as_array().unwrap();
    assert!(!notes.is_empty(), "{post} has footnotes: {report}");
    for note in notes {
        assert!(
            note["shown"] == true && note["returned"] == true,
            "footnote round trip: {note}"
        );
    }
    let results = report["search"].as_array().unwrap();
    assert!(
        !results.is_empty(),
        "searching {words:?} finds posts: {report}"
    );
    assert!(
        results
            .iter()
            .all(|r| r["snippet"].as_str().unwrap().contains("<mark>")),
        "{report}"
    );
    for shot in ["home.png", "post.png", "search.png"] {
        assert!(
            shots.join(shot).metadata().is_ok_and(|m| m.len() > 10_000),
            "{shot} saved"
        );
    }
    (running, report)
}

/// GET `url` without following a redirect.
async fn get_once(url: &str) -> reqwest::Response {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    client.get(url).send().await.unwrap()
}

/// GET `url` without following redirects: the status and the `Location`.
async fn status_and_location(url: &str) -> (u16, Option<String>) {
    let response = get_once(url).await;
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned());
    (response.status().as_u16(), location)
}

/// Turns draft mode on at `url` (the site's /api/draft/…), which redirects: the cookies it set,
/// as a `Cookie` header.
async fn preview_cookies(url: &str) -> String {
    let response = get_once(url).await;
    assert_eq!(
        response.status().as_u16(),
        307,
        "draft mode is on, and the page follows"
    );
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("; ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_nextjs_example_builds_crawls_clean_and_shows_a_push() {
    const TEST: &str = "the_nextjs_example_builds_crawls_clean_and_shows_a_push";
    if !frontend_ready(TEST, true) {
        return;
    }
    let started = Instant::now();
    let quire = Forwarder::new();
    let site = Forwarder::new();

    // The sample posts: every page of the site, and the aliases' redirects.
    let sample = TestRepo::sample();
    let server = serve(&sample, "content-repo", &quire, &site).await;
    let (running, report) = build_and_crawl(
        "content-repo",
        &quire,
        &site,
        "/posts/week-50-2017/",
        "footnote",
    )
    .await;
    assert_eq!(
        report["posts"], 16,
        "every sample post is reached: {report}"
    );
    assert_eq!(
        status_and_location(&format!("{}/releases/one/", site.url())).await,
        (301, Some("/posts/1/".to_owned()))
    );
    assert_eq!(
        status_and_location(&format!("{}/no/such/post/", site.url()))
            .await
            .0,
        404
    );
    drop(running); // stops the site
    server.stop().await;

    // The generated blog: 300 posts, and one more pushed while the site runs.
    let repo = blog::repository();
    let server = serve(&repo, "content", &quire, &site).await;
    let (running, report) = build_and_crawl(
        "blog-300",
        &quire,
        &site,
        "/posts/post-11/",
        "harbour lantern",
    )
    .await;
    assert_eq!(
        report["posts"],
        blog::POSTS,
        "every post is reached: {report}"
    );
    assert!(report["images"].as_u64().unwrap() >= 40, "{report}");
    assert_eq!(
        status_and_location(&format!("{}/old/posts/50/", site.url())).await,
        (301, Some("/posts/post-50/".to_owned()))
    );
    // `(` is a pattern in a Next.js redirect's source: the alias must match only itself.
    assert_eq!(
        status_and_location(&format!("{}/old/(50)/", site.url())).await,
        (301, Some("/posts/post-50/".to_owned()))
    );
    // An alias relative to the post's folder is the post route's own permanent redirect.
    assert_eq!(
        status_and_location(&format!("{}/posts/old-50/", site.url())).await,
        (308, Some("/posts/post-50/".to_owned()))
    );

    let title = "A post pushed while the site runs";
    let commit = repo.commit(&[(
        "content/posts/pushed.md",
        &post(
            &format!("title: {title}\ndate: 2024-06-01T09:00:00Z\ncategories: [Engineering]"),
            "Fresh from git.[^1]\n\n[^1]: Really.",
        ),
    )]);
    let pushed_at = Instant::now();
    server.refresh_to(commit).await;
    // The pages that list it are made again on their next visit; the first may still get the
    // page as it was (stale while it is made again), so each is asked until it shows the post.
    let client = reqwest::Client::new();
    for (path, shows) in [
        ("/", title),
        ("/posts/pushed/", "Fresh from git."),
        ("/categories/engineering/", title),
        ("/weeks/2024-W22/", title),
        ("/archive/2024/06/", title),
    ] {
        let url = format!("{}{path}", site.url());
        eventually(
            &format!("the pushed post on {path}"),
            Duration::from_secs(30),
            || async {
                let response = client.get(&url).send().await.ok()?;
                let ok = response.status() == 200;
                let html = response.text().await.ok()?;
                (ok && html.contains(shows)).then_some(())
            },
        )
        .await;
        eprintln!(
            "the pushed post was on {path} {} ms after the commit was served",
            pushed_at.elapsed().as_millis()
        );
    }

    // Draft mode: a draft on a branch, shown only to a browser that turned preview on.
    repo.branch("preview/draft");
    repo.checkout_branch("preview/draft");
    repo.commit(&[(
        "content/posts/draft-post.md",
        &post(
            "title: A draft on a branch\ndate: 2024-06-02T09:00:00Z\ndraft: true",
            "Not yet published.",
        ),
    )]);
    repo.checkout_branch("main");
    let draft = format!("{}/posts/draft-post/", site.url());
    assert_eq!(
        status_and_location(&draft).await.0,
        404,
        "a draft is not published"
    );
    let refused = status_and_location(&format!(
        "{}/api/draft/?secret=wrong&ref=preview/draft",
        site.url()
    ))
    .await;
    assert_eq!(refused.0, 401);
    let cookies = preview_cookies(&format!(
        "{}/api/draft/?secret={DRAFT_SECRET}&ref=preview/draft&path=/posts/draft-post/",
        site.url()
    ))
    .await;
    let previewed = client
        .get(&draft)
        .header("cookie", &cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(previewed.status(), 200);
    let html = previewed.text().await.unwrap();
    assert!(
        html.contains("A draft on a branch") && html.contains("Preview:"),
        "{html}"
    );
    assert_eq!(
        status_and_location(&draft).await.0,
        404,
        "the preview is not cached for everyone"
    );
    drop(running); // stops the site
    eprintln!(
        "the Next.js test took {:.0} s",
        started.elapsed().as_secs_f64()
    );
}

/// Every setting the example reads from its environment is in the README's table of them.
#[test]
fn the_readme_documents_every_setting_of_the_example() {
    fn sources(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() && !["node_modules", ".next", "gql"].contains(&name.as_str()) {
                sources(&path, found);
            } else if name.ends_with(".ts") || name.ends_with(".tsx") {
                found.push(path);
            }
        }
    }
    let mut files = Vec::new();
    sources(&site::dir(), &mut files);
    let mut settings = std::collections::BTreeSet::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (_, rest) in text
            .match_indices("process.env.")
            .map(|(i, _)| text.split_at(i + "process.env.".len()))
        {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                .collect();
            settings.insert(name);
        }
    }
    assert!(
        settings.contains("QUIRE_URL"),
        "{settings:?} from {} files",
        files.len()
    );
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    // SITE_BUILD_ID is set by next.config.ts itself, for its own use.
    for name in settings.iter().filter(|n| *n != "SITE_BUILD_ID") {
        assert!(
            readme.contains(&format!("| `{name}` |")),
            "README.md's table of the example's settings lacks {name}"
        );
    }
}
