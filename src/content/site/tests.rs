//! Each rule here was checked against Hugo 0.111.3 (`hugo config` and tiny builds).

use std::collections::BTreeMap;

use serde_json::json;

use super::settings::clean_path;
use super::*;

fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    list.iter()
        .map(|(path, text)| ((*path).to_owned(), text.as_bytes().to_vec()))
        .collect()
}

fn config(list: &[(&str, &str)]) -> SiteConfig {
    read(&files(list))
        .unwrap_or_else(|e| panic!("{list:?}: {e}"))
        .expect("a config file")
}

fn error(list: &[(&str, &str)]) -> String {
    match read(&files(list)) {
        Err(err) => err.to_string(),
        Ok(found) => panic!("expected an error, got {found:?}"),
    }
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn knows_which_files_are_configuration() {
    for path in [
        "hugo.toml",
        "hugo.yaml",
        "hugo.yml",
        "hugo.json",
        "config.toml",
        "config.json",
        "config/_default/params.toml",
        "config/_default/menus.en.yaml",
        "config/_default/sub/deep.JSON",
    ] {
        assert!(is_config_file(path), "{path}");
    }
    for path in [
        "hugo.md",
        "site/hugo.toml",
        "config/production/hugo.toml",
        "config/hugo.toml",
        "config/_default/notes.md",
        "content/hugo.toml",
        "Hugo.toml",
    ] {
        assert!(!is_config_file(path), "{path}");
    }
}

#[test]
fn reads_nothing_without_a_config_file() {
    let found = read(&files(&[
        ("content/a.md", "x"),
        ("config/dev/hugo.toml", "x = 1"),
    ]));
    assert!(matches!(found, Ok(None)));
}

#[test]
fn an_empty_file_gives_hugo_defaults() {
    for name in ["hugo.toml", "hugo.yaml", "hugo.json"] {
        let found = config(&[(name, "")]);
        let expected = SiteConfig {
            files: vec![name.to_owned()],
            ..SiteConfig::default()
        };
        assert_eq!(found, expected);
        assert_eq!(found.content_dir, "content");
        assert_eq!(found.static_dirs, ["static"]);
        assert_eq!(found.base_path, "/");
        assert_eq!(
            found.taxonomies,
            map(&[("category", "categories"), ("tag", "tags")])
        );
        assert_eq!(found.default_language, "en");
        assert_eq!(found.summary_length, None);
    }
}

#[test]
fn toml_yaml_and_json_read_alike() {
    let toml = r#"
baseURL = "https://example.org/blog"
contentDir = "posts/"
summaryLength = 30
unknownSetting = { anything = [1, 2] }
[permalinks]
posts = "/:year/:slug/"
[taxonomies]
series = "series"
"#;
    let yaml = "baseURL: https://example.org/blog\ncontentDir: posts/\nsummaryLength: 30\nunknownSetting:\n  anything: [1, 2]\npermalinks:\n  posts: /:year/:slug/\ntaxonomies:\n  series: series\n";
    let json = r#"{"baseURL": "https://example.org/blog", "contentDir": "posts/", "summaryLength": 30,
        "unknownSetting": {"anything": [1, 2]},
        "permalinks": {"posts": "/:year/:slug/"}, "taxonomies": {"series": "series"}}"#;
    let expected = SiteConfig {
        files: Vec::new(),
        content_dir: "posts".to_owned(),
        base_url: Some(url::Url::parse("https://example.org/blog/").unwrap()),
        base_path: "/blog/".to_owned(),
        permalinks: map(&[("posts", "/:year/:slug/")]),
        taxonomies: map(&[("series", "series")]),
        summary_length: Some(30),
        ..SiteConfig::default()
    };
    for (name, text) in [
        ("hugo.toml", toml),
        ("hugo.yaml", yaml),
        ("hugo.json", json),
    ] {
        let found = config(&[(name, text)]);
        assert_eq!(found.files, [name]);
        assert_eq!(
            SiteConfig {
                files: Vec::new(),
                ..found
            },
            expected,
            "{name}"
        );
    }
}

#[test]
fn reads_only_the_first_root_file_hugo_before_config() {
    let found = config(&[
        ("config.toml", "title = 'c'\nsummaryLength = 5"),
        ("hugo.yaml", "summaryLength: 7"),
        ("hugo.toml", "summaryLength = 9"),
    ]);
    assert_eq!(found.files, ["hugo.toml"]);
    assert_eq!(found.summary_length, Some(9));

    let found = config(&[
        ("hugo.json", r#"{"summaryLength": 3}"#),
        ("hugo.yml", "summaryLength: 4"),
    ]);
    assert_eq!(found.files, ["hugo.yml"]);
    let found = config(&[("config.toml", "summaryLength = 5"), ("hugo.json", "{}")]);
    assert_eq!(
        (found.files.as_slice(), found.summary_length),
        (&["hugo.json".to_owned()][..], None)
    );
}

#[test]
fn config_folder_merges_over_the_root_file_in_walk_order() {
    let found = config(&[
        (
            "hugo.toml",
            "baseURL = 'https://root.example/'\nsummaryLength = 11\n[taxonomies]\ntag = 'tags'\n[related]\nthreshold = 80",
        ),
        ("config/_default/taxonomies.toml", "series = 'series'"),
        (
            "config/_default/hugo.toml",
            "baseurl = 'https://dir.example/'\ncontentDir = 'from-hugo'",
        ),
        (
            "config/_default/config.toml",
            "contentDir = 'from-config'\nsummaryLength = 12",
        ),
        ("config/_default/related.yaml", "includeNewer: true"),
        ("config/_default/sub/deep.toml", "contentDir = 'from-sub'"),
        ("config/_default/sub-a.toml", "x = 1"),
        ("config/production/hugo.toml", "uglyURLs = true"),
        ("config.toml", "uglyURLs = true"),
    ]);
    assert_eq!(
        found.files,
        [
            "hugo.toml",
            "config/_default/config.toml",
            "config/_default/hugo.toml",
            "config/_default/related.yaml",
            "config/_default/sub/deep.toml",
            "config/_default/sub-a.toml",
            "config/_default/taxonomies.toml",
        ]
    );
    assert_eq!(found.base_url.unwrap().as_str(), "https://dir.example/");
    assert_eq!(
        found.content_dir, "from-hugo",
        "sub/deep.toml is `deep`, not the root"
    );
    assert_eq!(found.summary_length, Some(12));
    assert_eq!(
        found.taxonomies,
        map(&[("series", "series"), ("tag", "tags")])
    );
    assert_eq!(
        found.related,
        Some(json!({"threshold": 80, "includenewer": true}))
    );
    assert!(
        !found.ugly_urls,
        "other environments and config.toml are not read"
    );
}

#[test]
fn config_folder_alone_is_enough() {
    let found = config(&[("config/_default/hugo.yaml", "summaryLength: 2")]);
    assert_eq!(found.files, ["config/_default/hugo.yaml"]);
    assert_eq!(found.summary_length, Some(2));
}

#[test]
fn language_suffixed_files_go_under_languages() {
    let found = config(&[
        ("hugo.toml", "defaultContentLanguage = 'fr'"),
        (
            "config/_default/languages.toml",
            "[en]\nweight = 2\n[fr]\nweight = 1",
        ),
        ("config/_default/menus.en.toml", "[[main]]\nname = 'Home'"),
        ("config/_default/params.fr.toml", "x = 1"),
        (
            "config/_default/extra.de.toml",
            "weight = 3\ntitle = 'Deutsch'",
        ),
    ]);
    let codes: Vec<_> = found.languages.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes, ["fr", "en", "de"]);
    assert_eq!(found.languages[2].title.as_deref(), Some("Deutsch"));
}

#[test]
fn keys_are_case_insensitive() {
    let found = config(&[
        (
            "hugo.toml",
            "BASEURL = 'https://a.example/'\nUglyUrls = true\n[Taxonomies]\nSeries = 'Series'",
        ),
        (
            "config/_default/params.toml",
            "baseURL = 'not read: under params'",
        ),
        (
            "config/_default/hugo.yaml",
            "SummaryLENGTH: 4\nDefaultContentLanguage: EN\n",
        ),
    ]);
    assert_eq!(found.base_url.unwrap().as_str(), "https://a.example/");
    assert!(found.ugly_urls);
    assert_eq!(
        found.taxonomies,
        map(&[("series", "Series")]),
        "values keep their case"
    );
    assert_eq!(found.summary_length, Some(4));
    assert_eq!(found.default_language, "en");
}

#[test]
fn taxonomies_replace_the_defaults_and_may_be_none() {
    assert!(
        config(&[("hugo.toml", "[taxonomies]")])
            .taxonomies
            .is_empty()
    );
    assert!(
        config(&[("hugo.yaml", "taxonomies:\n")])
            .taxonomies
            .is_empty()
    );
    let found = config(&[("hugo.toml", "[taxonomies]\nauthor = 'authors'")]);
    assert_eq!(found.taxonomies, map(&[("author", "authors")]));
}

#[test]
fn reads_languages_sorted_by_weight_then_code() {
    let found = config(&[(
        "hugo.toml",
        r#"
defaultContentLanguage = "fr"
defaultContentLanguageInSubdir = true
disableLanguages = ["de"]
contentDir = "content"
[languages.en]
weight = 2
contentDir = "content/en/"
languageName = "English"
[languages.FR]
weight = 1
title = "Le site"
contentDir = "./content//fr"
summaryLength = 2
uglyURLs = true
[languages.FR.permalinks]
posts = "/fr/:slug/"
[languages.FR.taxonomies]
series = "series"
[languages.zz]
[languages.de]
[languages.it]
weight = "5"
disabled = true
"#,
    )]);
    let codes: Vec<_> = found.languages.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes, ["fr", "en", "it", "de", "zz"]);
    assert!(found.default_language_in_subdir);
    let [fr, en, it, de, zz] = &found.languages[..] else {
        panic!("five languages")
    };
    assert_eq!(
        (fr.weight, fr.title.as_deref(), fr.content_dir.as_deref()),
        (1, Some("Le site"), Some("content/fr"))
    );
    assert_eq!(fr.permalinks, Some(map(&[("posts", "/fr/:slug/")])));
    assert_eq!(fr.section_permalinks, Some(BTreeMap::new()));
    assert_eq!(fr.taxonomies, Some(map(&[("series", "series")])));
    assert_eq!((fr.ugly_urls, fr.summary_length), (Some(true), Some(2)));
    assert_eq!(fr.ugly_url_sections, Some(BTreeMap::new()));
    assert_eq!(en.content_dir.as_deref(), Some("content/en"));
    assert_eq!(en.language_name.as_deref(), Some("English"));
    assert_eq!(
        (en.permalinks.as_ref(), en.taxonomies.as_ref()),
        (None, None)
    );
    assert_eq!(
        (en.ugly_urls, en.summary_length, en.base_url.as_ref()),
        (None, None, None)
    );
    assert_eq!((it.weight, it.disabled), (5, true));
    assert!(de.disabled, "listed in disableLanguages");
    assert_eq!(
        (zz.weight, zz.disabled, zz.content_dir.as_ref()),
        (0, false, None)
    );
}

#[test]
fn default_language_must_be_among_languages() {
    let message = error(&[
        ("hugo.toml", "[languages.en]\n[languages.fr]"),
        ("config/_default/hugo.toml", "defaultContentLanguage = 'de'"),
    ]);
    assert!(
        message.starts_with("config/_default/hugo.toml: `defaultContentLanguage` is `de`"),
        "{message}"
    );
    assert!(message.contains("(en, fr)"), "{message}");
    let message = error(&[("config/_default/languages.toml", "[fr]")]);
    assert!(
        message.starts_with("config/_default/languages.toml: `defaultContentLanguage` is `en`"),
        "{message}"
    );
    let message = error(&[(
        "hugo.toml",
        "disableLanguages = ['en']\n[languages.en]\n[languages.fr]",
    )]);
    assert!(
        message.starts_with("hugo.toml: `disableLanguages` lists `en`"),
        "{message}"
    );
}

#[test]
fn base_url_on_languages_is_all_or_none() {
    let message = error(&[(
        "hugo.toml",
        "[languages.en]\nbaseURL = 'https://en.example/'\n[languages.fr]",
    )]);
    assert!(
        message.starts_with("hugo.toml: `languages.fr` has no `baseURL`"),
        "{message}"
    );
    let found = config(&[(
        "hugo.toml",
        "[languages.en]\nbaseURL = 'https://en.example'\n[languages.fr]\nbaseURL = 'https://fr.example/'",
    )]);
    assert!(found.default_language_in_subdir);
    assert_eq!(
        found.languages[0].base_url.as_ref().unwrap().as_str(),
        "https://en.example/"
    );
    let one = config(&[(
        "hugo.toml",
        "[languages.en]\nbaseURL = 'https://en.example/'",
    )]);
    assert!(
        !one.default_language_in_subdir,
        "one language is never multihost"
    );
}

#[test]
fn base_url_forms() {
    let base = |text: &str| {
        let found = config(&[("hugo.toml", &format!("baseURL = '{text}'"))]);
        (found.base_url.map(String::from), found.base_path)
    };
    let some = |url: &str, path: &str| (Some(url.to_owned()), path.to_owned());
    assert_eq!(
        base("https://example.org"),
        some("https://example.org/", "/")
    );
    assert_eq!(
        base("https://example.org/blog"),
        some("https://example.org/blog/", "/blog/")
    );
    assert_eq!(
        base("https://example.org/blog/"),
        some("https://example.org/blog/", "/blog/")
    );
    assert_eq!(base(""), (None, "/".to_owned()));
    assert_eq!(base("/"), (None, "/".to_owned()));
    assert_eq!(base("/blog"), (None, "/blog/".to_owned()));
    let message = error(&[("hugo.toml", "baseURL = 'example.org/blog'")]);
    assert!(
        message.contains("`baseURL` is `example.org/blog`, which has no scheme"),
        "{message}"
    );
    assert!(message.contains("https://example.org/blog"), "{message}");
}

#[test]
fn a_bad_base_url_names_the_file_that_set_it() {
    let message = error(&[
        ("hugo.toml", "baseURL = 'https://fine.example/'"),
        ("config/_default/hugo.json", r#"{"BaseUrl": "http://[::1"}"#),
        ("config/_default/params.toml", "x = 1"),
    ]);
    assert!(
        message.starts_with(
            "config/_default/hugo.json: `baseURL` is `http://[::1`, which is not a URL"
        ),
        "{message}"
    );
}

#[test]
fn reads_permalinks_old_and_new_forms() {
    let found = config(&[(
        "hugo.toml",
        "[permalinks]\nposts = '/:year/:slug/'\n'/' = '/:slug/'\n[permalinks.page]\nnotes = '/n/:slug/'\n[permalinks.section]\nnotes = '/n/'\n[permalinks.term]\ntags = '/t/:slug/'",
    )]);
    assert_eq!(
        found.permalinks,
        map(&[
            ("", "/:slug/"),
            ("notes", "/n/:slug/"),
            ("posts", "/:year/:slug/")
        ])
    );
    assert_eq!(found.section_permalinks, map(&[("notes", "/n/")]));
    let message = error(&[("hugo.toml", "[permalinks]\nposts = 3")]);
    assert!(
        message.starts_with("hugo.toml: `permalinks.posts` must be a pattern"),
        "{message}"
    );
    let message = error(&[("hugo.yaml", "permalinks:\n  posts:\n    x: /a/")]);
    assert!(
        message.contains("`permalinks.posts` is a table, but only `page`"),
        "{message}"
    );
}

#[test]
fn reads_every_static_folder_in_mount_order() {
    assert_eq!(
        config(&[("hugo.toml", "staticDir = 'assets/'")]).static_dirs,
        ["assets"]
    );
    let found = config(&[(
        "hugo.toml",
        "staticDir1 = 's1'\nstaticDir = ['s', 't']\nstaticDir0 = 's0'",
    )]);
    assert_eq!(found.static_dirs, ["s", "t", "s0", "s1"]);
    assert_eq!(found.static_dir, "s");
}

#[test]
fn reads_ugly_urls_for_the_site_or_per_section() {
    assert!(config(&[("hugo.yaml", "uglyURLs: 'true'")]).ugly_urls);
    let found = config(&[("hugo.yaml", "UglyURLs:\n  Posts: true\n  notes: false\n")]);
    assert!(!found.ugly_urls);
    assert_eq!(
        found.ugly_url_sections,
        BTreeMap::from([("notes".to_owned(), false), ("posts".to_owned(), true)])
    );
    let message = error(&[("hugo.toml", "uglyURLs = 'sometimes'")]);
    assert!(
        message.contains("`uglyURLs` must be true or false, found \"sometimes\""),
        "{message}"
    );
}

#[test]
fn numbers_may_be_written_as_text_but_not_below_zero() {
    assert_eq!(
        config(&[("hugo.toml", "summaryLength = '12'")]).summary_length,
        Some(12)
    );
    let message = error(&[("hugo.toml", "summaryLength = -1")]);
    assert_eq!(
        message,
        "hugo.toml: `summaryLength` must be 0 or more, found -1"
    );
    let message = error(&[("hugo.toml", "[languages.en]\nweight = 'heavy'")]);
    assert!(
        message.starts_with("hugo.toml: `languages.en.weight` must be a whole number"),
        "{message}"
    );
}

#[test]
fn keeps_front_matter_date_settings_as_written() {
    let found = config(&[(
        "hugo.toml",
        "[frontMatter]\nDate = ['date', ':filename', ':default']",
    )]);
    assert_eq!(
        found.front_matter_dates,
        Some(json!({"date": ["date", ":filename", ":default"]}))
    );
}

#[test]
fn syntax_errors_name_the_file_and_line() {
    let message = error(&[("hugo.toml", "baseURL = 'https://example.org/'\ntitle = \n")]);
    assert!(message.starts_with("hugo.toml line 2: TOML: "), "{message}");
    let message = error(&[
        ("hugo.toml", ""),
        ("config/_default/params.yaml", "a: 1\nb: [\n"),
    ]);
    assert!(
        message.starts_with("config/_default/params.yaml line "),
        "{message}"
    );
    assert!(message.contains("YAML: "), "{message}");
    let message = error(&[("hugo.json", "{\n\"a\": 1,\n}")]);
    assert!(message.starts_with("hugo.json line 3: JSON: "), "{message}");
    let message = error(&[("hugo.yaml", "- a\n- b\n")]);
    assert!(
        message.starts_with("hugo.yaml: must be a table of settings"),
        "{message}"
    );
    let broken = vec![("hugo.toml".to_owned(), vec![0xff, 0xfe, b'x'])];
    let message = read(&broken).unwrap_err().to_string();
    assert_eq!(message, "hugo.toml: is not UTF-8 text: save it as UTF-8");
}

#[test]
fn cleans_paths_as_go_does() {
    for (path, clean) in [
        ("content", "content"),
        ("content/", "content"),
        ("./content//en/", "content/en"),
        ("a/../b", "b"),
        ("../x", "../x"),
        ("", "."),
        ("/abs/./x/", "/abs/x"),
        ("/..", "/"),
    ] {
        assert_eq!(clean_path(path), clean, "{path}");
    }
}
