//! Listings and discovery (issue 16), against throwaway repositories served by a real server:
//! `posts` with each filter and order, archives and term counts, full-text search, and the
//! feeds and sitemap over HTTP; and publishing rules on a clock the test moves (`schedule`;
//! the other modules use the real clock).

mod common;

#[path = "listings/archives.rs"]
mod archives;
#[path = "listings/feeds.rs"]
mod feeds;
#[path = "listings/filters.rs"]
mod filters;
#[path = "listings/orders.rs"]
mod orders;
#[path = "listings/schedule.rs"]
mod schedule;
#[path = "listings/search.rs"]
mod search;

use common::{TestRepo, TestServer};
use serde_json::Value;

use common::{repo_with as repo, serve_content as serve};

/// Serves `repo` with no `--root` (the Hugo configuration at its root says where the content
/// is), after `change` has set flags on the configuration.
async fn serve_with(repo: TestRepo, change: impl FnOnce(&mut quire::Config)) -> TestServer {
    let mut config = repo.config("");
    config.root = None;
    change(&mut config);
    let mut server = TestServer::start(config).await;
    server.keep(repo);
    server
}

/// The titles of `list` (a list of posts), in order.
fn titles(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list of posts: {list}"))
        .iter()
        .map(|p| p["title"].as_str().expect("a title"))
        .collect()
}

/// `posts(ARGS, first: 100)`: the titles listed and `totalCount`. `args` is the argument list
/// without its parentheses (`filter: {year: 2018}`), possibly empty.
async fn listed(server: &TestServer, args: &str) -> (Vec<String>, u64) {
    let comma = if args.is_empty() { "" } else { ", " };
    let data = server
        .data(&format!(
            "{{ posts({args}{comma}first: 100) {{ totalCount nodes {{ title }} }} }}"
        ))
        .await;
    let names = titles(&data["posts"]["nodes"])
        .into_iter()
        .map(str::to_owned)
        .collect();
    (
        names,
        data["posts"]["totalCount"].as_u64().expect("a count"),
    )
}

/// The titles of `posts(filter: FILTER)`, checking that `totalCount` counts exactly them.
async fn filtered(server: &TestServer, filter: &str) -> Vec<String> {
    let (names, total) = listed(server, &format!("filter: {filter}")).await;
    assert_eq!(
        total,
        names.len() as u64,
        "totalCount of {filter} is the filtered count"
    );
    names
}
