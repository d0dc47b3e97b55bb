//! The site as a graph (issue 15), against throwaway repositories served by a real server:
//! each post's URL as Hugo publishes it, the Hugo configuration read from the repository,
//! sections with their cascades and build options, translations, lookups by slug, path and URL,
//! links rewritten to URLs with links, backlinks and broken links, related and adjacent posts.
//!
//! Expected URLs that are not obvious were read from what Hugo 0.111.3 published for the same
//! files (`public/`); each module says which. `tests/hugo_urls.rs` compares whole sites with
//! Hugo; these tests pin one behaviour each.

mod common;

#[path = "site/config.rs"]
mod config;
#[path = "site/languages.rs"]
mod languages;
#[path = "site/links.rs"]
mod links;
#[path = "site/lookup.rs"]
mod lookup;
#[path = "site/options.rs"]
mod options;
#[path = "site/order.rs"]
mod order;
#[path = "site/refresh.rs"]
mod refresh;
#[path = "site/sections.rs"]
mod sections;
#[path = "site/urls.rs"]
mod urls;

use common::{TestRepo, TestServer};
use serde_json::Value;

use common::{repo_with as repo, serve_content as serve};

/// Serves `files` as `quire serve --repo` does with no other flag: the content folders are the
/// Hugo configuration's.
async fn serve_site(files: &[(&str, &str)]) -> TestServer {
    serve_with(repo(files), |_| {}).await
}

/// Serves `repo` with no `--root`, after `change` has set flags on the configuration.
async fn serve_with(repo: TestRepo, change: impl FnOnce(&mut quire::Config)) -> TestServer {
    let mut config = repo.config("");
    config.root = None;
    change(&mut config);
    let mut server = TestServer::start(config).await;
    server.keep(repo);
    server
}

/// The value of `fields` (a selection such as `url section`) of the post at `path`, from the
/// repository root; null when there is no post there.
async fn post_at(server: &TestServer, path: &str, fields: &str) -> Value {
    let data = server
        .data(&format!("{{ post(path: \"{path}\") {{ {fields} }} }}"))
        .await;
    data["post"].clone()
}

/// The URL of the post at `path` (null when it is not published).
async fn url_of(server: &TestServer, path: &str) -> Value {
    post_at(server, path, "url").await["url"].clone()
}

/// The `path` of every node of a list of posts.
fn paths(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|p| p["path"].as_str().expect("a path"))
        .collect()
}

/// The paths of every post `posts` lists (the first 100).
async fn listed(server: &TestServer) -> Vec<String> {
    let data = server
        .data("{ posts(first: 100) { nodes { path } } }")
        .await;
    paths(&data["posts"]["nodes"])
        .into_iter()
        .map(str::to_owned)
        .collect()
}
