//! Tests of page URLs, one rule at a time; `hugo_sites` checks whole sites against Hugo's output.

mod hugo_sites;

use std::collections::{BTreeMap, BTreeSet};

use super::*;

/// The kind of the file at `path`, by its name.
fn kind_of(path: &str) -> PageKind {
    match path.rsplit_once('/') {
        None if path.starts_with("_index.") => PageKind::Home,
        Some((_, name)) if name.starts_with("_index.") => PageKind::Section,
        _ => PageKind::Page,
    }
}

/// Sunday 7 March 2021, 23:30 at UTC−5 (already Monday in UTC).
const SUNDAY_NIGHT: &str = "2021-03-07T23:30:00-05:00";

/// Site settings for tests of one rule at a time.
struct Rules {
    permalinks: BTreeMap<String, Pattern>,
    ugly: bool,
    prefix: &'static str,
    section_dirs: BTreeSet<String>,
}

impl Rules {
    fn new() -> Self {
        Rules {
            permalinks: BTreeMap::new(),
            ugly: false,
            prefix: "",
            section_dirs: BTreeSet::new(),
        }
    }

    fn pattern(mut self, key: &str, pattern: &str) -> Self {
        let parsed = Pattern::parse(pattern).expect(pattern);
        self.permalinks.insert(key.to_owned(), parsed);
        self
    }

    fn sections(mut self, dirs: &[&str]) -> Self {
        self.section_dirs = dirs.iter().map(|d| (*d).to_owned()).collect();
        self
    }

    fn url(&self, page: PageInfo<'_>) -> String {
        self.try_url(page).expect("a URL")
    }

    fn try_url(&self, page: PageInfo<'_>) -> Result<String, UrlError> {
        let rules = UrlRules {
            permalinks: &self.permalinks,
            ugly_urls: self.ugly,
            language_prefix: self.prefix,
            section_dirs: &self.section_dirs,
        };
        url(&page, &rules)
    }
}

/// A page at `path` with nothing in its front matter.
fn page(path: &str) -> PageInfo<'_> {
    PageInfo {
        path,
        kind: kind_of(path),
        slug: None,
        title: "",
        url: None,
        date: None,
        name_language: None,
    }
}

fn dated<'a>(path: &'a str, date: &str) -> PageInfo<'a> {
    PageInfo {
        date: Some(PostDate::parse(date).expect(date)),
        ..page(path)
    }
}

#[test]
fn expands_every_token() {
    // The date parts are those Hugo printed for the same date (`goda/g.md`, `perm/p.md` above).
    let with_slug = |slug| PageInfo {
        title: "Hello World",
        slug,
        ..dated("posts/sub/Hello File.md", SUNDAY_NIGHT)
    };
    for (token, no_slug, slug) in [
        (":year", "2021", "2021"),
        (":month", "03", "03"),
        (":monthname", "march", "march"),
        (":day", "07", "07"),
        (":weekday", "0", "0"),
        (":weekdayname", "sunday", "sunday"),
        (":yearday", "66", "66"),
        (":section", "posts", "posts"),
        (":sections", "posts/sub", "posts/sub"),
        (":sections[1:]", "sub", "sub"),
        (":sections[:last]", "posts", "posts"),
        (":sections[last]", "sub", "sub"),
        (":sections[0]", "posts", "posts"),
        (":sections[9]", "", ""),
        (":sections[1:0]", "", ""),
        (":title", "hello-world", "hello-world"),
        (":slug", "hello-world", "my-slug"),
        (":slugorfilename", "hello-file", "my-slug"),
        (":filename", "hello-file", "hello-file"),
        (":contentbasename", "hello-file", "hello-file"),
        (":slugorcontentbasename", "hello-file", "my-slug"),
        (":2006", "2021", "2021"),
        (":06", "21", "21"),
        (":01", "03", "03"),
        (":1", "3", "3"),
        (":Jan", "mar", "mar"),
        (":January", "march", "march"),
        (":02", "07", "07"),
        (":2", "7", "7"),
        (":_2", "-7", "-7"),
        (":__2", "-66", "-66"),
        (":002", "066", "066"),
        (":Mon", "sun", "sun"),
        (":Monday", "sunday", "sunday"),
        (":15", "23", "23"),
        (":3", "11", "11"),
        (":03", "11", "11"),
        (":4", "30", "30"),
        (":04", "30", "30"),
        (":5", "0", "0"),
        (":05", "00", "00"),
        (":MST", "-0500", "-0500"),
        (":Z0700", "-0500", "-0500"),
        (":Z07", "-05", "-05"),
        (":Z070000", "-050000", "-050000"),
    ] {
        let rules = Rules::new()
            .pattern("posts", &format!("/x/{token}/"))
            .sections(&["posts/sub"]);
        let want = |v: &str| {
            if v.is_empty() {
                "/x/".to_owned()
            } else {
                format!("/x/{v}/")
            }
        };
        assert_eq!(rules.url(with_slug(None)), want(no_slug), "{token}");
        assert_eq!(
            rules.url(with_slug(Some("My Slug"))),
            want(slug),
            "{token} with a slug"
        );
    }
}

#[test]
fn file_name_tokens_use_the_bundle_folder_and_drop_the_language() {
    let rules = Rules::new().pattern("posts", "/:filename/:contentbasename/");
    let trip = PageInfo {
        name_language: Some("fr"),
        ..page("posts/trip/index.fr.md")
    };
    assert_eq!(rules.url(trip), "/trip/trip/");
    let hello = PageInfo {
        name_language: Some("ja"),
        ..page("posts/hello.ja.md")
    };
    assert_eq!(rules.url(hello), "/hello/hello/");
    // `ja` is not a language of the site: it stays part of the name (checked: `hello.de.md`).
    assert_eq!(rules.url(page("posts/hello.ja.md")), "/hello.ja/hello.ja/");
}

#[test]
fn slug_replaces_the_file_name_and_keeps_the_folders() {
    // Checked against Hugo 0.111.3 (`posts/slugged.md`, `posts/trip2/index.md`, `posts/slash.md`).
    let rules = Rules::new();
    let slugged = |path, slug| PageInfo {
        slug: Some(slug),
        title: "Some Title",
        ..page(path)
    };
    assert_eq!(rules.url(page("posts/2020/hello.md")), "/posts/2020/hello/");
    assert_eq!(
        rules.url(slugged("posts/2020/hello.md", "My Slug")),
        "/posts/2020/my-slug/"
    );
    assert_eq!(
        rules.url(slugged("posts/trip/index.md", "Trip Slug")),
        "/posts/trip-slug/"
    );
    assert_eq!(
        rules.url(slugged("posts/x.md", "a/B c/d")),
        "/posts/a/b-c/d/"
    );
    assert_eq!(rules.url(slugged("posts/x.md", "-dash-")), "/posts/dash/");
    assert_eq!(rules.url(slugged("posts/x.md", "index")), "/posts/");
    // A title alone does not change the default URL.
    let titled = PageInfo {
        title: "Some Title",
        ..page("posts/hello.md")
    };
    assert_eq!(rules.url(titled), "/posts/hello/");
    assert_eq!(rules.url(page("posts/trip/index.md")), "/posts/trip/");
}

#[test]
fn sections_and_home_ignore_permalinks_and_url_of_home() {
    // Checked against Hugo 0.111.3: patterns apply to regular pages only.
    let rules = Rules::new()
        .pattern("docs", "/d/:slug/")
        .pattern("/", "/r/:slug/");
    assert_eq!(rules.url(page("docs/_index.md")), "/docs/");
    assert_eq!(rules.url(page("docs/sub/_index.md")), "/docs/sub/");
    assert_eq!(rules.url(page("docs/sub/page.md")), "/d/");
    let home = PageInfo {
        url: Some("/homeurl/"),
        ..page("_index.md")
    };
    assert_eq!(rules.url(home), "/");
}

#[test]
fn url_front_matter_wins_and_keeps_its_case() {
    // Checked against Hugo 0.111.3 (`blog/u*.md`, `perm/url.md`).
    let rules = Rules::new().pattern("blog", "/b/:slug/");
    let with_url = |url| PageInfo {
        url: Some(url),
        ..page("blog/u.md")
    };
    for (url, want) in [
        ("/custom/Path With Space/", "/custom/Path%20With%20Space/"),
        ("/custom/file.HTML", "/custom/file.HTML"),
        ("/abs3", "/abs3/"),
        ("relative/noslash", "/relative/noslash/"),
        ("/v1.2/thing", "/v1.2/thing"),
        ("/a/../b/./c/", "/b/c/"),
        ("//x.com/a/", "/x.com/a/"),
        ("/", "/"),
        ("", "/b/"),
    ] {
        assert_eq!(rules.url(with_url(url)), want, "{url}");
    }
    // A section's `url` is sanitized like any path.
    let section = PageInfo {
        url: Some("/Caps Section/"),
        ..page("about/_index.md")
    };
    assert_eq!(rules.url(section), "/caps-section/");
}

#[test]
fn language_prefix_goes_before_all_but_absolute_urls() {
    // Checked against Hugo 0.111.3 (site `ugly_fr` above, without uglyURLs here).
    let mut rules = Rules::new();
    rules.prefix = "fr";
    let fr = |path, url| PageInfo {
        url,
        name_language: Some("fr"),
        ..page(path)
    };
    assert_eq!(rules.url(fr("_index.fr.md", None)), "/fr/");
    assert_eq!(rules.url(fr("posts/_index.fr.md", None)), "/fr/posts/");
    assert_eq!(rules.url(fr("posts/hello.fr.md", None)), "/fr/posts/hello/");
    assert_eq!(rules.url(fr("blog/u.fr.md", Some("/abs/"))), "/abs/");
    assert_eq!(rules.url(fr("blog/u.fr.md", Some("/fr/abs2"))), "/fr/abs2/");
    assert_eq!(rules.url(fr("blog/u.fr.md", Some("rel/"))), "/fr/rel/");
    assert_eq!(
        rules.url(fr("blog/u.fr.md", Some("fr/rel2/"))),
        "/fr/fr/rel2/"
    );
}

#[test]
fn ugly_urls_end_in_html_except_home_and_own_urls() {
    // Checked against Hugo 0.111.3 (site `ugly_fr` above).
    let mut rules = Rules::new().pattern("perm", "/:section/:year/:slug/");
    rules.ugly = true;
    assert_eq!(rules.url(page("_index.md")), "/");
    assert_eq!(rules.url(page("posts/_index.md")), "/posts.html");
    assert_eq!(rules.url(page("docs/sub/_index.md")), "/docs/sub.html");
    assert_eq!(rules.url(page("posts/hello.md")), "/posts/hello.html");
    assert_eq!(rules.url(page("posts/trip/index.md")), "/posts/trip.html");
    let perm = PageInfo {
        title: "Perm",
        ..dated("perm/p.md", "2020-01-02")
    };
    assert_eq!(rules.url(perm), "/perm/2020/perm.html");
    let own = PageInfo {
        url: Some("/abs3"),
        ..page("blog/u.md")
    };
    assert_eq!(rules.url(own), "/abs3/");
}

#[test]
fn sanitizes_and_lowercases_paths() {
    // Checked against Hugo 0.111.3 (site `defaults` above).
    let rules = Rules::new();
    for (path, want) in [
        ("Root Page.md", "/root-page/"),
        ("posts/Café Ça.md", "/posts/caf%C3%A9-%C3%A7a/"),
        ("posts/Hello (World)! [1] {x}.md", "/posts/hello-world-1-x/"),
        ("posts/dots.v1.2.md", "/posts/dots.v1.2/"),
        (
            "Big Folder/Ünïcödé File+x%41 #1 (copy).v2.md",
            "/big-folder/%C3%BCn%C3%AFc%C3%B6d%C3%A9-file+xA-#1-copy.v2/",
        ),
        ("Ärger/x.md", "/%C3%A4rger/x/"),
    ] {
        assert_eq!(rules.url(page(path)), want, "{path}");
    }
    let slugged = |slug| PageInfo {
        slug: Some(slug),
        ..page("posts/x.md")
    };
    assert_eq!(rules.url(slugged("C++ & Ünï")), "/posts/c++-%C3%BCn%C3%AF/");
    assert_eq!(rules.url(slugged("c# tips")), "/posts/c#-tips/");
    assert_eq!(rules.url(slugged("100% sure %41")), "/posts/100-sure-%41/");
    assert_eq!(rules.url(slugged(" x y ")), "/posts/-x-y-/");
    assert_eq!(rules.url(slugged("../escape")), "/escape/");
}

#[test]
fn date_tokens_use_the_offset_the_date_was_written_in() {
    // Checked against Hugo 0.111.3 (`perm/p.md`, `perm/q.md`): the UTC day differs from both.
    let rules = Rules::new().pattern("perm", "/:year/:month/:day/:weekdayname/");
    assert_eq!(
        rules.url(dated("perm/p.md", SUNDAY_NIGHT)),
        "/2021/03/07/sunday/"
    );
    let early = dated("perm/q.md", "2021-03-08T01:30:00+11:00");
    assert_eq!(rules.url(early), "/2021/03/08/monday/");
}

#[test]
fn pages_without_a_date_get_go_zero_time() {
    // Checked against Hugo 0.111.3 (`nodate/n.md`).
    let rules = Rules::new().pattern("nodate", "/:year/:2006/:06/:MST/:monthname/:weekdayname/");
    assert_eq!(
        rules.url(page("nodate/n.md")),
        "/1/0001/01/utc/january/monday/"
    );
}

#[test]
fn title_token_is_urlized_and_read_as_a_query_string() {
    // Checked against Hugo 0.111.3 (sites `permalinks` and `edge` above): `+` becomes a space,
    // then `-`; `%XX` is decoded, also into `/`.
    let rules = Rules::new()
        .pattern("t", "/t/:title/")
        .pattern("p", "/:slug+x/");
    let titled = |path, title| PageInfo {
        title,
        ..page(path)
    };
    assert_eq!(
        rules.url(titled("t/a.md", "Café #1 ok")),
        "/t/caf%C3%A9-#1-ok/"
    );
    assert_eq!(rules.url(titled("t/b.md", "a+b")), "/t/a-b/");
    assert_eq!(rules.url(titled("t/c.md", "100%2F done")), "/t/100/-done/");
    assert_eq!(
        rules.url(titled("t/d.md", "C++ 100%41 #x")),
        "/t/c-100a-#x/"
    );
    assert_eq!(
        rules.url(titled("p/e.md", "Hello World")),
        "/hello-world-x/"
    );
}

#[test]
fn a_pattern_that_expands_to_a_bad_escape_is_dropped() {
    // Checked against Hugo 0.111.3 (`100%/page.md`): the default URL is used instead.
    let rules = Rules::new().pattern("100%", "/:section/:slug/");
    let pct = PageInfo {
        title: "Pct Page",
        ..page("100%/page.md")
    };
    assert_eq!(rules.url(pct), "/100/page/");
}

#[test]
fn sections_token_follows_index_files() {
    // Checked against Hugo 0.111.3 (sites `permalinks` and `subdir_ja` above).
    let rules = Rules::new()
        .pattern("sect", "/:sections/:sections[last]/:filename/")
        .sections(&["sect/a", "sect/a/b"]);
    // The top folder has no `_index`: Hugo's made-up section ends in an empty entry.
    assert_eq!(rules.url(page("sect/x.md")), "/sect/x/");
    assert_eq!(rules.url(page("sect/a/z.md")), "/sect/a/a/z/");
    assert_eq!(rules.url(page("sect/a/b/y.md")), "/sect/a/b/b/y/");
    // `c` has no `_index`, so it is no section.
    assert_eq!(rules.url(page("sect/a/c/w.md")), "/sect/a/a/w/");
    // A leaf bundle's folder is not a section either.
    assert_eq!(rules.url(page("sect/a/b/bun/index.md")), "/sect/a/b/b/bun/");
    let with_index = rules.sections(&["sect"]);
    assert_eq!(with_index.url(page("sect/x.md")), "/sect/sect/x/");
}

#[test]
fn permalink_keys_match_like_hugo_reads_config() {
    // Checked against Hugo 0.111.3: keys are lower-cased and trimmed of spaces and `/`; folder
    // names are compared as written; `/` is the content root.
    let rules = Rules::new()
        .pattern("Caps", "/k/:filename/")
        .pattern("Perm2 ", "/perm2/:filename/")
        .pattern("/", "/root/:filename/");
    assert_eq!(rules.url(page("Caps/page.md")), "/caps/page/");
    assert_eq!(rules.url(page("caps/page.md")), "/k/page/");
    assert_eq!(rules.url(page("perm2/page.md")), "/perm2/page/");
    assert_eq!(rules.url(page("rootpage.md")), "/root/rootpage/");
    // A bundle at the root belongs to no section, so the `/` pattern applies to it too.
    assert_eq!(rules.url(page("rootbundle/index.md")), "/root/rootbundle/");
    assert_eq!(rules.url(page("Caps/Other.md")), "/caps/other/");
}

#[test]
fn refuses_what_hugo_refuses() {
    // Checked against Hugo 0.111.3: an `http(s)://` url is an error, a bad `%` escape a panic.
    let rules = Rules::new();
    let with_url = |url| PageInfo {
        url: Some(url),
        ..page("blog/u.md")
    };
    assert_eq!(
        rules.try_url(with_url("https://x.com/a/")),
        Err(UrlError::Protocol("https://x.com/a/".to_owned()))
    );
    assert!(matches!(
        rules.try_url(with_url("/a%zz/")),
        Err(UrlError::BadEscape(_))
    ));
    assert_eq!(rules.url(with_url("HTTPS://x.com/a/")), "/HTTPS:/x.com/a/");
    let message = UrlError::Protocol("http://x/".to_owned()).to_string();
    assert!(
        message.contains("\"http://x/\"") && message.contains("/about/"),
        "{message}"
    );
}

#[test]
fn explains_bad_patterns() {
    let error = |text| Pattern::parse(text).expect_err(text).to_string();
    let unknown = error("/:year/:foo/");
    assert!(unknown.starts_with("permalink pattern \"/:year/:foo/\": unknown token `:foo`;"));
    for token in [
        ":year",
        ":slugorfilename",
        ":sections[i:j]",
        ":contentbasename",
        ":2006",
    ] {
        assert!(unknown.contains(token), "{unknown} lists {token}");
    }
    // Checked against Hugo 0.111.3: these stop the build too.
    assert!(error("/:PM/").contains("`:PM`"));
    assert!(error("/:pm/").contains("`:pm`"));
    assert!(error("/:Janet/").contains("`:Janet`"));
    assert!(error("/:foo[1/x]/").contains("`:foo`"));
    assert!(error("/:year//:slug/").contains("empty path segment"));
    assert!(error("").contains("empty"));
    // A `[...]` may span a `/` when the word before it is known.
    assert!(Pattern::parse("/:slug[a/b]/").is_err());
    assert!(Pattern::parse("/:sections[1/2]/").is_ok());
    let pattern = Pattern::parse("/:year/:Jan2/:slug[1]/").expect("valid");
    assert_eq!(pattern.as_str(), "/:year/:Jan2/:slug[1]/");
}
