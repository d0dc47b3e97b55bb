//! Post and section URLs, compared with the URLs Hugo publishes the same pages at.
//!
//! Each site is a throwaway git repository with a Hugo configuration at its root and posts
//! under `content/`: the repository's sample posts, a generated multilingual blog with
//! `[permalinks]`, and a small site with `uglyURLs` (see `hugo_urls/sites.rs`). Hugo (`$HUGO` or
//! `/usr/bin/hugo`, installed by `scripts/setup-tests.sh`) builds the site from the working tree
//! and lists every page it published with its `.RelPermalink` (`common::hugo_pages`). Without
//! Hugo each test is skipped with one line, or fails with `CI=true`.
//!
//! Quire is started on the repository with no flag describing the site (`quire --repo PATH
//! --listen 127.0.0.1:0 --log-format json`): it must find Hugo's configuration and content
//! folders itself. Then [`QUERY`] must list, for every language:
//! - in `posts`, every regular page Hugo published, by path from the repository root
//!   (`content/en/posts/a.fr.md`), and no other;
//! - in `sections`, every section and home page Hugo published: by its `_index` file
//!   (`content/_index.md`, `content/posts/_index.de.md`), or by its folder when it has none
//!   (`content/notes`);
//!
//! each with `url` exactly Hugo's `.RelPermalink`: from the host, with the path of `baseURL`,
//! percent-encoded as Hugo does it. Every difference is listed when the test fails.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use common::{HugoPage, TestRepo, graphql_blocking, hugo_pages, hugo_ready, hugo_version};
use serde_json::{Value, json};

#[path = "hugo_urls/sites.rs"]
mod sites;

/// What the test asks Quire, page after page: every post, and every section (home included).
const QUERY: &str = "query Urls($after: String) { \
    posts(first: 100, after: $after) { \
        pageInfo { hasNextPage endCursor } edges { node { path url } } \
    } \
    sections { dir page { path } url } \
}";

/// Posts and sections by path, with their URLs.
#[derive(Debug, Default, PartialEq, Eq)]
struct Urls {
    posts: BTreeMap<String, String>,
    sections: BTreeMap<String, String>,
}

/// What Hugo published: its regular pages are posts; its sections and home pages, sections.
fn hugo_urls(pages: &BTreeMap<String, HugoPage>) -> Urls {
    let mut urls = Urls::default();
    for (path, page) in pages {
        let side = if page.kind == "page" {
            &mut urls.posts
        } else {
            &mut urls.sections
        };
        side.insert(path.clone(), page.url.clone());
    }
    urls
}

/// Every post and section `quire serve` serves for `repo`, started with no flag about the site
/// (only `--repo`, `--listen` and `--log-format`): the posts paged 100 at a time to the end.
fn quire_urls(repo: &TestRepo) -> Urls {
    let (_quire, addr) = common::serve_process(repo, &[]);
    let endpoint = format!("http://{addr}/graphql");
    let mut urls = Urls::default();
    let mut after = Value::Null;
    for page in 0.. {
        assert!(page < 100, "posts never ended: hasNextPage stays true");
        let answer = graphql_blocking(&endpoint, QUERY, &json!({ "after": after }));
        assert!(
            answer.get("errors").is_none(),
            "Quire answered with errors: {}",
            answer["errors"]
        );
        let posts = &answer["data"]["posts"];
        for edge in posts["edges"].as_array().expect("edges") {
            // Listed but not published (`render: never`): Hugo writes no file for it.
            if edge["node"]["url"].is_null() {
                continue;
            }
            let (path, url) = path_and_url(&edge["node"]);
            let again = urls.posts.insert(path.clone(), url);
            assert!(again.is_none(), "Quire lists the post {path} twice");
        }
        if page == 0 {
            for section in answer["data"]["sections"].as_array().expect("sections") {
                // A section is known by its `_index` file, or its folder when it has none.
                let mut section = section.clone();
                section["path"] = match section["page"]["path"].as_str() {
                    Some(file) => json!(file),
                    None => section["dir"].clone(),
                };
                let (path, url) = path_and_url(&section);
                let again = urls.sections.insert(path.clone(), url);
                assert!(again.is_none(), "Quire lists the section {path} twice");
            }
        }
        if posts["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = posts["pageInfo"]["endCursor"].clone();
    }
    urls
}

fn path_and_url(node: &Value) -> (String, String) {
    let text = |key: &str| {
        node[key]
            .as_str()
            .unwrap_or_else(|| panic!("no {key} in {node}"))
            .to_owned()
    };
    (text("path"), text("url"))
}

/// Every difference between Hugo's URLs and Quire's, one line each, or an empty string.
fn differences(hugo: &Urls, quire: &Urls) -> String {
    let mut out = String::new();
    for (what, hugo, quire) in [
        ("post", &hugo.posts, &quire.posts),
        ("section", &hugo.sections, &quire.sections),
    ] {
        for (path, hugo_url) in hugo {
            match quire.get(path) {
                Some(url) if url == hugo_url => {}
                Some(url) => {
                    let _ = writeln!(out, "  {what} {path}: Hugo {hugo_url}, Quire {url}");
                }
                None => {
                    let _ = writeln!(out, "  {what} {path}: Hugo {hugo_url}, missing in Quire");
                }
            }
        }
        for (path, url) in quire {
            if !hugo.contains_key(path) {
                let _ = writeln!(out, "  {what} {path}: not published by Hugo, Quire {url}");
            }
        }
    }
    out
}

/// Builds `repo`'s working tree with Hugo and asserts Quire serves the same posts and sections
/// at the same URLs, listing every difference.
fn assert_quire_matches_hugo(name: &str, repo: &TestRepo) {
    let hugo = hugo_urls(&hugo_pages(repo.path()));
    let quire = quire_urls(repo);
    let differences = differences(&hugo, &quire);
    assert!(
        differences.is_empty(),
        "{name}: Quire's URLs differ from {}'s ({} posts and {} sections published by Hugo):\n{differences}",
        hugo_version().unwrap_or_default(),
        hugo.posts.len(),
        hugo.sections.len()
    );
}

/// Hugo's side alone: each site builds, Hugo publishes exactly the pages the site means to
/// publish (drafts, future, expired, unrendered and headless pages are left out), and a few URLs
/// show the Hugo behaviours the sites exercise.
#[test]
fn hugo_publishes_the_pages_each_site_expects() {
    if !hugo_ready("hugo_publishes_the_pages_each_site_expects") {
        return;
    }
    for site in sites::all() {
        let pages = hugo_pages(site.repo.path());
        let kinds: BTreeMap<_, _> = pages
            .iter()
            .map(|(path, page)| (path.clone(), page.kind.clone()))
            .collect();
        assert_eq!(
            kinds, site.expected,
            "{}: the pages Hugo published (left) are not the ones expected (right)",
            site.name
        );
        let mut at = BTreeMap::new();
        for page in pages.values() {
            if let Some(other) = at.insert(&page.url, &page.path) {
                panic!(
                    "{}: {other} and {} are both at {}",
                    site.name, page.path, page.url
                );
            }
        }
        for (path, url) in &site.spot_checks {
            assert_eq!(
                pages[*path].url, *url,
                "{}: Hugo's URL of {path}",
                site.name
            );
        }
    }
}

#[test]
fn sample_posts_have_hugos_urls() {
    if !hugo_ready("sample_posts_have_hugos_urls") {
        return;
    }
    let site = sites::sample();
    assert_quire_matches_hugo(site.name, &site.repo);
}

#[test]
fn a_multilingual_blog_with_permalinks_has_hugos_urls() {
    if !hugo_ready("a_multilingual_blog_with_permalinks_has_hugos_urls") {
        return;
    }
    let site = sites::generated();
    assert_quire_matches_hugo(site.name, &site.repo);
}

#[test]
fn a_site_with_ugly_urls_has_hugos_urls() {
    if !hugo_ready("a_site_with_ugly_urls_has_hugos_urls") {
        return;
    }
    let site = sites::ugly();
    assert_quire_matches_hugo(site.name, &site.repo);
}
