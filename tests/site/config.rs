//! The Hugo configuration read from the repository: each file format at the root, the
//! `config/_default/` folder, `--permalinks` over it, and a configuration that cannot be read.
//! Each configuration sets a permalink pattern, so the post's URL proves it was read. Hugo
//! 0.111.3 published `hello.md` (title "Hello", dated 2021-03-04) at the URLs expected here, and
//! read `hugo.yaml` rather than the `hugo.json` beside it.

use serde_json::json;

use super::common::{TestServer, post, quire_command};
use super::{repo, serve_site, serve_with, url_of};

/// The one post of these sites.
const HELLO: &str = "content/posts/hello.md";

/// A site with the post and the configuration `files`.
async fn site(files: &[(&str, &str)]) -> TestServer {
    let hello = post("title: Hello\ndate: 2021-03-04", "Text.");
    let mut all = vec![(HELLO, hello.as_str())];
    all.extend_from_slice(files);
    serve_site(&all).await
}

/// The configuration files read, and the patterns, from `revision`.
async fn revision(server: &TestServer) -> serde_json::Value {
    let data = server
        .data("{ revision { siteConfig permalinks { section pattern } } }")
        .await;
    data["revision"].clone()
}

#[tokio::test]
async fn hugo_toml_is_read() {
    let server = site(&[("hugo.toml", "[permalinks]\nposts = \"/toml/:slug/\"\n")]).await;
    assert_eq!(url_of(&server, HELLO).await, "/toml/hello/");
    assert_eq!(
        revision(&server).await,
        json!({
            "siteConfig": ["hugo.toml"],
            "permalinks": [{ "section": "posts", "pattern": "/toml/:slug/" }],
        })
    );
}

#[tokio::test]
async fn hugo_yaml_is_read() {
    let server = site(&[("hugo.yaml", "permalinks:\n  posts: /yaml/:year/:slug/\n")]).await;
    assert_eq!(url_of(&server, HELLO).await, "/yaml/2021/hello/");
    assert_eq!(revision(&server).await["siteConfig"], json!(["hugo.yaml"]));
}

#[tokio::test]
async fn hugo_json_is_read() {
    let server = site(&[("hugo.json", r#"{"permalinks": {"posts": "/json/:slug/"}}"#)]).await;
    assert_eq!(url_of(&server, HELLO).await, "/json/hello/");
    assert_eq!(revision(&server).await["siteConfig"], json!(["hugo.json"]));
}

#[tokio::test]
async fn only_the_first_root_file_is_read() {
    let server = site(&[
        ("hugo.yaml", "permalinks:\n  posts: /yaml/:slug/\n"),
        ("hugo.json", r#"{"permalinks": {"posts": "/json/:slug/"}}"#),
        ("config.toml", "[permalinks]\nposts = \"/config/:slug/\"\n"),
    ])
    .await;
    assert_eq!(url_of(&server, HELLO).await, "/yaml/hello/");
    assert_eq!(revision(&server).await["siteConfig"], json!(["hugo.yaml"]));
}

#[tokio::test]
async fn config_toml_is_read_without_a_hugo_file() {
    let server = site(&[("config.toml", "[permalinks]\nposts = \"/config/:slug/\"\n")]).await;
    assert_eq!(url_of(&server, HELLO).await, "/config/hello/");
    assert_eq!(
        revision(&server).await["siteConfig"],
        json!(["config.toml"])
    );
}

#[tokio::test]
async fn the_default_config_folder_is_read_with_its_permalinks_file() {
    let server = site(&[
        (
            "config/_default/hugo.toml",
            "baseURL = \"https://example.com/\"\n",
        ),
        (
            "config/_default/permalinks.toml",
            "posts = \"/dir/:slug/\"\n",
        ),
    ])
    .await;
    assert_eq!(url_of(&server, HELLO).await, "/dir/hello/");
    assert_eq!(
        revision(&server).await,
        json!({
            "siteConfig": ["config/_default/hugo.toml", "config/_default/permalinks.toml"],
            "permalinks": [{ "section": "posts", "pattern": "/dir/:slug/" }],
        })
    );
    let p = super::post_at(&server, HELLO, "permalink").await;
    assert_eq!(p["permalink"], "https://example.com/dir/hello/");
}

#[tokio::test]
async fn the_permalinks_flag_overrides_the_configuration() {
    let repo = repo(&[
        (HELLO, &post("title: Hello\ndate: 2021-03-04", "")),
        ("content/notes/n.md", &post("title: Note", "")),
        (
            "hugo.toml",
            "[permalinks]\nposts = \"/toml/:slug/\"\nnotes = \"/n/:slug/\"\n",
        ),
    ]);
    let server = serve_with(repo, |config| {
        config.permalinks = vec![("posts".into(), "/flag/:year/:slug/".into())];
    })
    .await;
    assert_eq!(url_of(&server, HELLO).await, "/flag/2021/hello/");
    assert_eq!(
        url_of(&server, "content/notes/n.md").await,
        "/n/note/",
        "a section the flag does not name keeps the configuration's pattern"
    );
    assert_eq!(
        revision(&server).await["permalinks"],
        json!([
            { "section": "notes", "pattern": "/n/:slug/" },
            { "section": "posts", "pattern": "/flag/:year/:slug/" },
        ])
    );
}

#[tokio::test]
async fn without_a_configuration_nothing_is_read() {
    let server = super::serve(&[(HELLO, &post("title: Hello", ""))]).await;
    assert_eq!(url_of(&server, HELLO).await, "/posts/hello/");
    assert_eq!(
        revision(&server).await,
        json!({ "siteConfig": [], "permalinks": [] })
    );
}

#[tokio::test]
async fn a_broken_configuration_stops_the_first_load_naming_the_file() {
    let repo = repo(&[
        (HELLO, &post("title: Hello", "")),
        (
            "hugo.toml",
            "title = \"Blog\"\n[permalinks\nposts = \"/x/\"\n",
        ),
    ]);
    let mut config = repo.config("");
    config.root = None;
    let error = match quire::App::load(&config).await {
        Ok(_) => panic!("a configuration that is not TOML was loaded"),
        Err(err) => err.to_string(),
    };
    assert!(
        error.contains("hugo.toml line 2") && error.contains("TOML"),
        "the message names the file and line: {error}"
    );
}

#[test]
fn quire_serve_refuses_to_start_on_a_broken_configuration() {
    let repo = repo(&[
        (HELLO, &post("title: Hello", "")),
        ("hugo.yaml", "permalinks:\n  posts: [unclosed\n"),
    ]);
    let out = quire_command()
        .args([
            "serve",
            "--repo",
            repo.path().to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
        ])
        .output()
        .expect("run quire");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the Hugo configuration in / cannot be read: hugo.yaml"),
        "{stderr}"
    );
}
