//! Sections: a folder with an `_index.md`, and a top-level folder without one. Hugo 0.111.3
//! published the same tree with the URLs, titles and link titles expected here, and titled a
//! top-level folder `note` without `_index.md` "Notes" (it pluralizes section titles,
//! `pluralizeListTitles` being on by default).

use serde_json::{Value, json};

use super::common::{TestServer, post};
use super::{paths, serve};

/// A docs section with three subsections (weights 2, 1 and none) and posts of several dates
/// and weights, one of them in a subsection.
async fn docs() -> TestServer {
    serve(&[
        (
            "content/docs/_index.md",
            &post(
                "title: Documentation\nlinkTitle: Docs\nweight: 3",
                "Intro *here*.\n",
            ),
        ),
        (
            "content/docs/a/_index.md",
            &post("title: Alpha\nweight: 2", ""),
        ),
        (
            "content/docs/b/_index.md",
            &post("title: Beta\nweight: 1", ""),
        ),
        ("content/docs/c/_index.md", &post("title: Gamma", "")),
        (
            "content/docs/p1.md",
            &post("title: P1\ndate: 2020-01-01\nweight: 2", ""),
        ),
        (
            "content/docs/p2.md",
            &post("title: P2\ndate: 2021-01-01\nweight: 1", ""),
        ),
        (
            "content/docs/p3.md",
            &post("title: P3\ndate: 2022-01-01", ""),
        ),
        (
            "content/docs/a/deep.md",
            &post("title: Deep\ndate: 2023-01-01", ""),
        ),
        (
            "content/posts/other.md",
            &post("title: Other\ndate: 2024-01-01", ""),
        ),
    ])
    .await
}

/// The `path` of each section of a list.
fn section_paths(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("a list of sections")
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn an_index_file_makes_a_section_with_its_fields() {
    let server = docs().await;
    let data = server
        .data("{ section(path: \"docs\") { path dir language title linkTitle url weight page { path title } html frontMatter parent { path url } } }")
        .await;
    assert_eq!(
        data["section"],
        json!({
            "path": "docs",
            "dir": "content/docs",
            "language": "en",
            "title": "Documentation",
            "linkTitle": "Docs",
            "url": "/docs/",
            "weight": 3,
            "page": { "path": "content/docs/_index.md", "title": "Documentation" },
            "html": "<p>Intro <em>here</em>.</p>\n",
            "frontMatter": { "title": "Documentation", "linkTitle": "Docs", "weight": 3 },
            "parent": { "path": "", "url": "/" },
        })
    );
}

#[tokio::test]
async fn subsections_are_ordered_by_weight_with_unweighted_ones_last() {
    let server = docs().await;
    let data = server
        .data("{ section(path: \"docs\") { sections { path url parent { path } } } }")
        .await;
    assert_eq!(
        data["section"]["sections"],
        json!([
            { "path": "docs/b", "url": "/docs/b/", "parent": { "path": "docs" } },
            { "path": "docs/a", "url": "/docs/a/", "parent": { "path": "docs" } },
            { "path": "docs/c", "url": "/docs/c/", "parent": { "path": "docs" } },
        ])
    );
}

#[tokio::test]
async fn section_posts_are_newest_first_and_recursive_takes_the_subsections() {
    let server = docs().await;
    let data = server
        .data("{ section(path: \"docs\") { direct: posts { nodes { path } totalCount } all: posts(recursive: true) { nodes { path } totalCount } } }")
        .await;
    let section = &data["section"];
    assert_eq!(
        paths(&section["direct"]["nodes"]),
        [
            "content/docs/p3.md",
            "content/docs/p2.md",
            "content/docs/p1.md"
        ]
    );
    assert_eq!(section["direct"]["totalCount"], 3);
    assert_eq!(
        paths(&section["all"]["nodes"]),
        [
            "content/docs/a/deep.md",
            "content/docs/p3.md",
            "content/docs/p2.md",
            "content/docs/p1.md"
        ]
    );
    assert_eq!(section["all"]["totalCount"], 4);
}

#[tokio::test]
async fn section_pages_are_ordered_by_weight_then_newest() {
    let server = docs().await;
    let data = server
        .data("{ section(path: \"docs\") { pages { path weight } } }")
        .await;
    // Weights 1 then 2, then the post without one (0 is last, as in Hugo).
    assert_eq!(
        paths(&data["section"]["pages"]),
        [
            "content/docs/p2.md",
            "content/docs/p1.md",
            "content/docs/p3.md"
        ]
    );
}

#[tokio::test]
async fn a_post_knows_the_nearest_section_above_it() {
    let server = docs().await;
    let data = server
        .data("{ post(path: \"content/docs/a/deep.md\") { url section parent { path title } } }")
        .await;
    assert_eq!(
        data["post"],
        json!({
            "url": "/docs/a/deep/",
            "section": "docs",
            "parent": { "path": "docs/a", "title": "Alpha" },
        })
    );
}

#[tokio::test]
async fn the_home_page_lists_the_top_level_sections() {
    let server = docs().await;
    let data = server
        .data("{ section(path: \"\") { path url parent { path } sections { path } } sections { path } }")
        .await;
    let home = &data["section"];
    assert_eq!(home["url"], "/");
    assert_eq!(home["parent"], Value::Null);
    // Docs weighs 3; posts has no _index.md, so no weight, and comes last.
    assert_eq!(section_paths(&home["sections"]), ["docs", "posts"]);
    assert_eq!(
        section_paths(&data["sections"]),
        ["", "docs", "docs/a", "docs/b", "docs/c", "posts"],
        "the home page, then parents before children, by path"
    );
}

#[tokio::test]
async fn a_top_level_folder_without_index_is_a_section_titled_as_hugo_does() {
    let server = serve(&[("content/note/x.md", &post("title: X", ""))]).await;
    let data = server
        .data("{ section(path: \"note\") { path dir title linkTitle url weight page { path } html frontMatter parent { path } posts { nodes { path } } } post(path: \"content/note/x.md\") { url section parent { path } } }")
        .await;
    assert_eq!(
        data["section"],
        json!({
            "path": "note",
            "dir": "content/note",
            "title": "Notes",
            "linkTitle": "Notes",
            "url": "/note/",
            "weight": 0,
            "page": null,
            "html": "",
            "frontMatter": {},
            "parent": { "path": "" },
            "posts": { "nodes": [{ "path": "content/note/x.md" }] },
        })
    );
    assert_eq!(
        data["post"],
        json!({ "url": "/note/x/", "section": "note", "parent": { "path": "note" } })
    );
}

#[tokio::test]
async fn a_folder_below_the_top_without_index_is_no_section() {
    // Hugo 0.111.3 lists posts/2020/x.md in the `.Pages` of the posts section.
    let server = serve(&[
        ("content/posts/2020/x.md", &post("title: X", "")),
        ("content/posts/top.md", &post("title: Top", "")),
    ])
    .await;
    let data = server
        .data("{ section(path: \"posts/2020\") { path } post(path: \"content/posts/2020/x.md\") { url section } }")
        .await;
    assert_eq!(data["section"], Value::Null);
    assert_eq!(
        data["post"],
        json!({ "url": "/posts/2020/x/", "section": "posts" })
    );
}

#[tokio::test]
async fn a_post_in_a_folder_without_index_belongs_to_the_section_above() {
    let server = serve(&[
        (
            "content/posts/2020/x.md",
            &post("title: X\ndate: 2020-01-01", ""),
        ),
        (
            "content/posts/top.md",
            &post("title: Top\ndate: 2019-01-01", ""),
        ),
    ])
    .await;
    let data = server
        .data("{ post(path: \"content/posts/2020/x.md\") { parent { path } } section(path: \"posts\") { posts { nodes { path } } pages { path } } }")
        .await;
    assert_eq!(data["post"]["parent"], json!({ "path": "posts" }));
    let expected = ["content/posts/2020/x.md", "content/posts/top.md"];
    assert_eq!(paths(&data["section"]["posts"]["nodes"]), expected);
    assert_eq!(paths(&data["section"]["pages"]), expected);
}
