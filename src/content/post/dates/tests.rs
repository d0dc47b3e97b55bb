use serde_json::json;

use super::*;
use crate::content::post::Post;

/// The dates of the post at `path` with front matter `front`, read by `rules`, as RFC 3339.
fn dates(rules: &DateRules, path: &str, front: &str) -> (Dates, Vec<String>) {
    let text = format!("---\n{front}\n---\nBody\n");
    let (post, _) = Post::parse(path, git2::Oid::ZERO_SHA1, text.as_bytes()).expect("parses");
    let (dates, problems) = post.dates(rules);
    (dates, problems.into_iter().map(|p| p.message).collect())
}

/// A date as RFC 3339, `-` when unset.
fn show(date: Option<PostDate>) -> String {
    date.map_or_else(|| "-".to_owned(), PostDate::to_rfc3339)
}

/// The four dates, day only (they are all bare dates here): `date pub lastmod expiry`.
fn four(dates: &Dates) -> String {
    [
        dates.date,
        dates.publish_date,
        dates.lastmod,
        dates.expiry_date,
    ]
    .map(|d| show(d).trim_end_matches("T00:00:00Z").to_owned())
    .join(" ")
}

fn rules(table: serde_json::Value) -> DateRules {
    DateRules::from_config(&table).expect("valid [frontmatter]")
}

#[test]
fn defaults_follow_hugo() {
    // Each line checked against Hugo 0.111.3 with no `[frontmatter]` table.
    let cases = [
        ("pubdate: 2020-01-02", "2020-01-02 2020-01-02 2020-01-02 -"),
        (
            "published: 2020-01-03",
            "2020-01-03 2020-01-03 2020-01-03 -",
        ),
        ("modified: 2020-01-04", "2020-01-04 - 2020-01-04 -"),
        ("unpublishdate: 2020-01-05", "- - - 2020-01-05"),
        ("date:\nlastmod: 2020-01-07", "2020-01-07 - 2020-01-07 -"),
        (
            "Date: 2020-01-08\nPublishDate: 2020-01-09",
            "2020-01-08 2020-01-09 2020-01-08 -",
        ),
        (
            "date: 2020-01-10\npublishDate: 2020-01-11\nexpiryDate: 2030-01-01\nunpublishdate: 2031-01-01",
            "2020-01-10 2020-01-11 2020-01-10 2030-01-01",
        ),
        // `:filename` is not a default.
        ("title: Named", "- - - -"),
    ];
    for (front, want) in cases {
        let (found, problems) = dates(&DateRules::default(), "p/2017-12-11-named.md", front);
        assert_eq!(four(&found), want, "{front}");
        assert_eq!(found.slug_from_file_name, None);
        assert!(problems.is_empty(), "{problems:?}");
    }
}

#[test]
fn default_rules_give_what_parse_gives() {
    let text = "---\npublished: 2020-01-03T10:00:00+02:00\nmodified: 2021-01-01\nunpublishdate: 2030-01-01\n---\n";
    let (post, _) = Post::parse("a.md", git2::Oid::ZERO_SHA1, text.as_bytes()).unwrap();
    let (found, _) = post.dates(&DateRules::default());
    assert_eq!(
        (
            found.date,
            found.publish_date,
            found.lastmod,
            found.expiry_date
        ),
        (post.date, post.publish_date, post.lastmod, post.expiry_date)
    );
    assert_eq!(show(post.date), "2020-01-03T10:00:00+02:00");
    assert_eq!(show(post.lastmod), "2021-01-01T00:00:00Z");
}

#[test]
fn custom_table_reads_its_keys_first() {
    // `[frontmatter]` as in the Hugo test site; `:fileModTime` gives nothing in Quire, so
    // `lastmod` goes on to the defaults (Hugo gives the file's modification time there).
    let rules = rules(json!({
        "date": ["myDate", ":default"],
        "lastmod": ["lastmod", ":fileModTime", ":default"],
    }));
    let cases = [
        // publishDate does not fall back to the resolved date, only to the key `date`.
        ("myDate: 2021-01-01", "2021-01-01 - - -"),
        (
            "MYDATE: 2021-01-02\ndate: 2021-02-02",
            "2021-01-02 2021-02-02 2021-02-02 -",
        ),
        ("date: 2021-01-04", "2021-01-04 2021-01-04 2021-01-04 -"),
        // `lastmod` brings its alias `modified` right after it.
        (
            "modified: 2021-01-05\ndate: 2021-01-06",
            "2021-01-06 2021-01-06 2021-01-05 -",
        ),
        ("title: x", "- - - -"),
    ];
    for (front, want) in cases {
        let (found, problems) = dates(&rules, "p/a.md", front);
        assert_eq!(four(&found), want, "{front}");
        assert!(problems.is_empty(), "{problems:?}");
    }
}

#[test]
fn a_list_without_default_reads_only_its_keys() {
    let rules = rules(json!({"publishdate": ["date"], "expiryDate": "until  unpublishDate"}));
    let (found, _) = dates(
        &rules,
        "a.md",
        "publishDate: 2020-01-01\nuntil: 2030-01-01\nexpiryDate: 2031-01-01",
    );
    assert_eq!(four(&found), "2020-01-01 - 2020-01-01 2030-01-01");
    let (found, _) = dates(&rules, "a.md", "expiryDate: 2031-01-01");
    assert_eq!(found.expiry_date, None);
}

#[test]
fn an_unreadable_key_is_reported_once_and_decides() {
    let rules = rules(json!({"date": ["myDate", ":default"], "lastmod": ["myDate"]}));
    let (found, problems) = dates(&rules, "a.md", "myDate: soon\ndate: 2020-01-01");
    assert_eq!(four(&found), "- 2020-01-01 - -");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("`myDate` is not a date (\"soon\")"),
        "{problems:?}"
    );
}

#[test]
fn file_name_gives_a_date_and_a_slug() {
    let rules = rules(json!({
        "date": [":filename", ":default"],
        "publishDate": [":fileName", ":default"],
    }));
    // Paths, front matter and results checked against Hugo 0.111.3 with this table.
    let cases = [
        (
            "p/2017-12-11-my-post.md",
            "title: T",
            "2017-12-11 2017-12-11 - -",
            Some("my-post"),
        ),
        (
            "p/2017-12-12-with-fm-date.md",
            "date: 2020-05-05",
            "2017-12-12 2017-12-12 2020-05-05 -",
            Some("with-fm-date"),
        ),
        (
            "p/2017-12-13-with-slug.md",
            "Slug: own",
            "2017-12-13 2017-12-13 - -",
            None,
        ),
        (
            "p/2018-01-02-bundle/index.md",
            "title: B",
            "2018-01-02 2018-01-02 - -",
            Some("bundle"),
        ),
        (
            "p/2018-01-12-section/_index.md",
            "",
            "2018-01-12 2018-01-12 - -",
            Some("section"),
        ),
        (
            "p/2018-01-02-b/index.fr.md",
            "",
            "2018-01-02 2018-01-02 - -",
            Some("b"),
        ),
        (
            "p/2018-01-03_under_score.md",
            "",
            "2018-01-03 2018-01-03 - -",
            Some("under_score"),
        ),
        ("p/2018-01-04.md", "", "2018-01-04 2018-01-04 - -", None),
        (
            "p/2018-01-05--Mixed-Case.md",
            "",
            "2018-01-05 2018-01-05 - -",
            Some("Mixed-Case"),
        ),
        (
            "p/2018-01-08T10-time.md",
            "",
            "2018-01-08 2018-01-08 - -",
            Some("T10-time"),
        ),
        (
            "p/2018-01-09-x.fr.md",
            "",
            "2018-01-09 2018-01-09 - -",
            Some("x"),
        ),
        (
            "p/2018-01-10-v1.2.md",
            "",
            "2018-01-10 2018-01-10 - -",
            Some("v1"),
        ),
        (
            "p/2018-01-11 spaced name.md",
            "",
            "2018-01-11 2018-01-11 - -",
            Some("spaced name"),
        ),
        // Not a `YYYY-MM-DD` date: the defaults decide.
        (
            "p/20180106-compact.md",
            "date: 2020-01-01",
            "2020-01-01 2020-01-01 2020-01-01 -",
            None,
        ),
        ("p/2018-1-7-short.md", "", "- - - -", None),
        ("p/2018-01-32-bad.md", "", "- - - -", None),
        ("p/2018/01/15-slash.md", "", "- - - -", None),
        ("p/index.md", "", "- - - -", None),
    ];
    for (path, front, want, slug) in cases {
        let (found, problems) = dates(&rules, path, front);
        assert_eq!(four(&found), want, "{path}");
        assert_eq!(found.slug_from_file_name.as_deref(), slug, "{path}");
        assert!(problems.is_empty(), "{problems:?}");
    }
}

#[test]
fn file_name_slug_needs_the_file_name_to_give_a_date() {
    // The front matter date comes first, so `:filename` never runs: no slug from the name.
    let rules = rules(json!({"date": ["date", ":filename"]}));
    let (found, _) = dates(&rules, "p/2018-01-16-fm-first.md", "date: 2020-01-01");
    assert_eq!(four(&found), "2020-01-01 2020-01-01 2020-01-01 -");
    assert_eq!(found.slug_from_file_name, None);
    let (found, _) = dates(&rules, "p/2018-01-16-fm-first.md", "title: T");
    assert_eq!(four(&found), "2018-01-16 - - -");
    assert_eq!(found.slug_from_file_name.as_deref(), Some("fm-first"));
}

#[test]
fn with_dates_replaces_the_four_dates() {
    let text = "---\ntitle: T\nmyDate: 2021-01-01\ndate: 2020-01-01\n---\n";
    let (post, _) = Post::parse("p/a.md", git2::Oid::ZERO_SHA1, text.as_bytes()).unwrap();
    assert_eq!(show(post.date), "2020-01-01T00:00:00Z");
    let moved = post.with_dates(&rules(json!({"date": ["mydate"], "lastmod": [":git"]})));
    assert_eq!(show(moved.date), "2021-01-01T00:00:00Z");
    assert_eq!(show(moved.publish_date), "2020-01-01T00:00:00Z");
    assert_eq!(moved.lastmod, None);
    assert!(moved.lastmod_from_git);
    assert_eq!((moved.title.as_str(), moved.slug.as_str()), ("T", "t"));
}

#[test]
fn git_gives_lastmod_when_no_key_before_it_does() {
    let from_git = |rules: &DateRules, front: &str| {
        let (found, _) = dates(rules, "a.md", front);
        (found.lastmod_from_git, show(found.lastmod))
    };
    let default = DateRules::default();
    // A written `lastmod` (or `modified`) wins over git; without one, git's date is the
    // post's, and `date` stands in when the file has no history.
    assert_eq!(
        from_git(&default, "date: 2020-01-01\nlastmod: 2021-01-01"),
        (false, "2021-01-01T00:00:00Z".to_owned())
    );
    assert_eq!(
        from_git(&default, "modified: 2021-01-01"),
        (false, "2021-01-01T00:00:00Z".to_owned())
    );
    assert_eq!(
        from_git(&default, "date: 2020-01-01"),
        (true, "2020-01-01T00:00:00Z".to_owned())
    );
    assert_eq!(from_git(&default, "title: T"), (true, "-".to_owned()));
    // A `lastmod` that is not a date stops the list before git, as it stops it before `date`.
    assert_eq!(
        from_git(&default, "date: 2020-01-01\nlastmod: soon"),
        (false, "-".to_owned())
    );
    // Hugo's own order, git first, when a site writes it; no `:git`, no git.
    let git_first = rules(json!({"lastmod": [":git", "lastmod"]}));
    assert_eq!(
        from_git(&git_first, "lastmod: 2021-01-01"),
        (true, "2021-01-01T00:00:00Z".to_owned())
    );
    let no_git = rules(json!({"lastmod": ["lastmod", "date"]}));
    assert_eq!(
        from_git(&no_git, "date: 2020-01-01"),
        (false, "2020-01-01T00:00:00Z".to_owned())
    );
    // `:default` brings Quire's default, `:git` after `lastmod`.
    let default_after = rules(json!({"lastmod": ["updated", ":default"]}));
    assert!(!from_git(&default_after, "updated: 2022-02-02").0);
    assert!(from_git(&default_after, "date: 2020-01-01").0);
}

#[test]
fn rejects_tables_hugo_would_misread() {
    let error = |table| DateRules::from_config(&table).unwrap_err();
    assert_eq!(
        error(json!({"updated": ["lastmod"]})),
        "`frontmatter.updated` is not a date Hugo configures: use date, publishDate, lastmod or expiryDate"
    );
    assert_eq!(
        error(json!({"expirydate": 5})),
        "`frontmatter.expirydate` must be a list of strings, found 5; write a list such as [\"myDate\", \":default\"]"
    );
    assert_eq!(
        error(json!({"date": ["date", ["x"]]})),
        "`frontmatter.date` must be a list of strings, found [\"x\"]; write a list such as [\"myDate\", \":default\"]"
    );
    assert_eq!(
        error(json!({"date": [":nonsense"]})),
        "`frontmatter.date` entry \":nonsense\" is not a source Hugo has; use a front matter key, :default, :filename, :fileModTime or :git"
    );
    assert_eq!(
        error(json!({"date": [" "]})),
        "`frontmatter.date` has an empty entry; use a front matter key, :default, :filename, :fileModTime or :git"
    );
    assert!(error(json!(["date"])).starts_with("`frontmatter` must be a table"));
    // Case does not matter, in dates or in entries; an empty list leaves a date unset.
    let rules = rules(json!({"LastMod": [":FILEMODTIME", ":Git"], "date": []}));
    assert_eq!(rules.lastmod, [DateSource::FileModTime, DateSource::Git]);
    assert_eq!(rules.date, []);
    assert_eq!(rules.publish_date, [DateSource::Default]);
}
