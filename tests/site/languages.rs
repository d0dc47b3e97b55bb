//! A multilingual site: a content folder per language, and `x.fr.md` files. Hugo 0.111.3
//! published both trees at the URLs expected here (`fr` under `/fr/`, the default language at
//! the root) with the same translations (`.Translations`, which leaves the page itself out).

use serde_json::json;

use super::common::{TestServer, post};
use super::{post_at, serve_site};

/// English and French, each with its own content folder.
const LANGUAGES: &str = "defaultContentLanguage = \"en\"\n\
    [languages.en]\ncontentDir = \"content/en\"\nweight = 1\n\
    [languages.fr]\ncontentDir = \"content/fr\"\nweight = 2\n";

/// A post in both languages, one in English only, a docs section in both with a French page.
async fn folders() -> TestServer {
    serve_site(&[
        ("hugo.toml", LANGUAGES),
        ("content/en/posts/hello.md", &post("title: Hello", "")),
        ("content/fr/posts/hello.md", &post("title: Bonjour", "")),
        ("content/en/posts/only-en.md", &post("title: Only", "")),
        ("content/en/docs/_index.md", &post("title: Docs", "")),
        (
            "content/fr/docs/_index.md",
            &post("title: Documentation FR", ""),
        ),
        ("content/fr/docs/guide.md", &post("title: Guide", "")),
    ])
    .await
}

#[tokio::test]
async fn each_language_folder_has_its_language_and_url_prefix() {
    let server = folders().await;
    let fields = "language url section";
    assert_eq!(
        post_at(&server, "content/en/posts/hello.md", fields).await,
        json!({ "language": "en", "url": "/posts/hello/", "section": "posts" })
    );
    assert_eq!(
        post_at(&server, "content/fr/posts/hello.md", fields).await,
        json!({ "language": "fr", "url": "/fr/posts/hello/", "section": "posts" })
    );
}

#[tokio::test]
async fn the_same_path_in_each_language_is_a_translation() {
    let server = folders().await;
    let fields = "translations { language url post { path title } }";
    assert_eq!(
        post_at(&server, "content/en/posts/hello.md", fields).await["translations"],
        json!([{
            "language": "fr",
            "url": "/fr/posts/hello/",
            "post": { "path": "content/fr/posts/hello.md", "title": "Bonjour" },
        }])
    );
    assert_eq!(
        post_at(&server, "content/fr/posts/hello.md", fields).await["translations"],
        json!([{
            "language": "en",
            "url": "/posts/hello/",
            "post": { "path": "content/en/posts/hello.md", "title": "Hello" },
        }])
    );
    assert_eq!(
        post_at(&server, "content/en/posts/only-en.md", fields).await["translations"],
        json!([])
    );
}

#[tokio::test]
async fn a_section_is_looked_up_in_a_language() {
    let server = folders().await;
    let data = server
        .data("{ en: section(path: \"docs\") { language title url dir } fr: section(path: \"docs\", language: \"fr\") { language title url dir posts { nodes { path url } } } }")
        .await;
    assert_eq!(
        data["en"],
        json!({ "language": "en", "title": "Docs", "url": "/docs/", "dir": "content/en/docs" })
    );
    assert_eq!(
        data["fr"],
        json!({
            "language": "fr",
            "title": "Documentation FR",
            "url": "/fr/docs/",
            "dir": "content/fr/docs",
            "posts": { "nodes": [{ "path": "content/fr/docs/guide.md", "url": "/fr/docs/guide/" }] },
        })
    );
}

#[tokio::test]
async fn sections_lists_one_language_or_all() {
    let server = folders().await;
    let data = server
        .data("{ fr: sections(language: \"fr\") { path language url } all: sections { language path } }")
        .await;
    assert_eq!(
        data["fr"],
        json!([
            { "path": "", "language": "fr", "url": "/fr/" },
            { "path": "docs", "language": "fr", "url": "/fr/docs/" },
            { "path": "posts", "language": "fr", "url": "/fr/posts/" },
        ])
    );
    assert_eq!(
        data["all"].as_array().unwrap().len(),
        6,
        "home, docs and posts in each language: {}",
        data["all"]
    );
}

#[tokio::test]
async fn a_language_suffix_makes_a_translation_in_the_same_folder() {
    let server = serve_site(&[
        (
            "hugo.toml",
            "[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n",
        ),
        ("content/posts/x.md", &post("title: X", "")),
        (
            "content/posts/x.fr.md",
            &post("title: X en français\nslug: x-fr", ""),
        ),
        ("content/posts/solo.fr.md", &post("title: Seul", "")),
    ])
    .await;
    let fields = "language url translations { language url post { path } }";
    assert_eq!(
        post_at(&server, "content/posts/x.md", fields).await,
        json!({
            "language": "en",
            "url": "/posts/x/",
            "translations": [{ "language": "fr", "url": "/fr/posts/x-fr/", "post": { "path": "content/posts/x.fr.md" } }],
        })
    );
    assert_eq!(
        post_at(&server, "content/posts/x.fr.md", fields).await,
        json!({
            "language": "fr",
            "url": "/fr/posts/x-fr/",
            "translations": [{ "language": "en", "url": "/posts/x/", "post": { "path": "content/posts/x.md" } }],
        })
    );
    assert_eq!(
        post_at(&server, "content/posts/solo.fr.md", "language url").await,
        json!({ "language": "fr", "url": "/fr/posts/solo/" })
    );
}
