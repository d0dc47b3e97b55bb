//! The Hugo sites of `tests/hugo_urls.rs`, each a throwaway git repository whose working tree
//! holds the same files as its commit, with the pages Hugo is expected to publish.

use std::collections::BTreeMap;

use crate::common::{TestRepo, sample_posts_dir};

mod generated;

pub(crate) use generated::generated;

/// A site: its repository, the pages Hugo publishes (path from the repository root → Hugo's
/// kind: `page`, `section` or `home`), and a few of Hugo's URLs, known in advance, that show
/// what the site exercises.
pub(crate) struct Site {
    pub(crate) name: &'static str,
    pub(crate) repo: TestRepo,
    pub(crate) expected: BTreeMap<String, String>,
    pub(crate) spot_checks: Vec<(&'static str, &'static str)>,
}

/// Every site.
pub(crate) fn all() -> Vec<Site> {
    vec![sample(), generated(), ugly()]
}

/// The files of a site, and what Hugo publishes of them.
#[derive(Default)]
struct Files {
    files: Vec<(String, Vec<u8>)>,
    expected: BTreeMap<String, String>,
}

impl Files {
    /// A file Hugo publishes no page for (configuration, a draft, a bundle's resource).
    fn file(&mut self, path: &str, text: &str) {
        self.files.push((path.to_owned(), text.as_bytes().to_vec()));
    }

    /// A file Hugo publishes as a page of `kind`.
    fn published(&mut self, kind: &str, path: &str, text: &str) {
        self.file(path, text);
        self.expect(kind, path);
    }

    /// A regular page (a post), with YAML front matter.
    fn page(&mut self, path: &str, front_matter: &str) {
        self.published("page", path, &yaml(front_matter));
    }

    /// A section's `_index` file, with YAML front matter.
    fn section(&mut self, path: &str, front_matter: &str) {
        self.published("section", path, &yaml(front_matter));
    }

    /// A page Hugo publishes with no file of its own: a section without `_index.md`, by folder.
    fn expect(&mut self, kind: &str, path: &str) {
        let previous = self.expected.insert(path.to_owned(), kind.to_owned());
        assert!(previous.is_none(), "{path} twice in a site");
    }

    fn site(self, name: &'static str, spot_checks: Vec<(&'static str, &'static str)>) -> Site {
        let repo = TestRepo::new();
        repo.commit_and_write(&self.files);
        Site {
            name,
            repo,
            expected: self.expected,
            spot_checks,
        }
    }
}

/// A post with YAML `front_matter`.
fn yaml(front_matter: &str) -> String {
    format!("---\n{front_matter}\n---\nSome text.\n")
}

/// `text` quoted for YAML and TOML alike (a JSON string is both).
fn q(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// The repository's sample posts (`content-repo/`, every file) as `content/` of a site with a
/// minimal configuration: Hugo's default URLs.
pub(crate) fn sample() -> Site {
    let mut site = Files::default();
    site.file(
        "hugo.toml",
        "baseURL = \"https://example.org/\"\ntitle = \"Quire sample blog\"\n",
    );
    for (path, bytes) in TestRepo::files_of(&sample_posts_dir(), "content") {
        if path == "content/_index.md" {
            site.expect("home", &path);
        } else if path.ends_with(".md") {
            site.expect("page", &path);
            // Sections are the top folders holding posts; these have no `_index.md`.
            let rest = &path["content/".len()..];
            if let Some((top, _)) = rest.split_once('/') {
                let section = format!("content/{top}");
                site.expected.insert(section, "section".to_owned());
            }
        }
        site.files.push((path, bytes));
    }
    site.site(
        "sample posts",
        vec![
            ("content/_index.md", "/"),
            ("content/notes", "/notes/"),
            ("content/notes/about.md", "/notes/about/"),
            ("content/posts/release-1.md", "/posts/1/"),
            (
                "content/posts/harbour-walk/index.md",
                "/posts/harbour-walk/",
            ),
        ],
    )
}

/// Titles with capitals, punctuation, accents, other scripts and emoji.
const TITLES: [&str; 12] = [
    "Hello, World!",
    "Ça va? L’été à Paris",
    "C++ & Rust: 10% faster",
    "Über Straße und Maß",
    "日本語のタイトル",
    "Emoji 🎉 party time",
    "  Spaces   around  ",
    "Dots... and -- dashes — too",
    "Quotes \"double\" and 'single'",
    "Slash/and\\backslash",
    "UPPER lower MiXeD",
    "#1? A 50/50 split (really)",
];

/// Dates in every form Hugo reads: offsets east and west of UTC (the permalink's day is the
/// day where the author was), UTC, a bare date, a space instead of `T`, no colon in the offset.
const DATES: [&str; 8] = [
    "2021-01-01T05:00:00+11:00",
    "2020-12-31T23:30:00-08:00",
    "2019-07-04T12:00:00Z",
    "2022-03-01T00:15:00+05:45",
    "2018-02-28",
    "2016-02-29T23:59:59-03:00",
    "2023-10-29 01:30:00",
    "2017-06-09T17:05:00+1000",
];

/// Slugs as authors write them: with capitals, spaces, accents, dots and underscores.
const SLUGS: [&str; 6] = [
    "custom-slug",
    "Mixed Case Slug",
    "été à Paris",
    "dots.in.slug",
    "under_score",
    "trailing-dash-",
];

/// The `i`-th title of a series named `series`, unique in the site: Quire leaves out all but one
/// of the posts that share a slug, and a post without `slug` has its title's. The first series
/// (`""`) has the titles as they are.
fn title(series: &str, i: usize) -> String {
    let title = TITLES[i % TITLES.len()];
    match series {
        "" if i < TITLES.len() => title.to_owned(),
        "" => format!("{title} {i}"),
        _ => format!("{series} {i}: {title}"),
    }
}

/// The `k`-th slug of a series, unique in the site (see [`title`]).
fn slug(series: &str, k: usize) -> String {
    let slug = SLUGS[k % SLUGS.len()];
    match series {
        "" if k < SLUGS.len() => slug.to_owned(),
        _ => format!("{series} {k} {slug}"),
    }
}

/// The `i`-th date of a series, in turn from [`DATES`].
fn date(i: usize) -> &'static str {
    DATES[i % DATES.len()]
}

/// A small site with `uglyURLs = true`, configured in YAML, with a `baseURL` below the host's
/// root, two languages in one content folder (`.de.md` files are German) and the default
/// language in a subfolder too.
pub(crate) fn ugly() -> Site {
    let mut site = Files::default();
    site.file(
        "config.yaml",
        "baseURL: https://example.org/site/\nuglyURLs: true\ndefaultContentLanguage: en\n\
         defaultContentLanguageInSubdir: true\npermalinks:\n  posts: /:year/:slug/\n\
         languages:\n  en:\n    weight: 1\n  de:\n    weight: 2\n",
    );
    site.published("home", "content/_index.md", &yaml("title: Home"));
    site.published("home", "content/_index.de.md", &yaml("title: Start"));
    site.section("content/posts/_index.md", "title: Posts");
    site.section("content/posts/_index.de.md", "title: Beiträge");
    for i in 0..6 {
        let front = format!("title: {}\ndate: {}", q(&title("", i)), date(i));
        site.page(&format!("content/posts/post-{i}.md"), &front);
    }
    site.page(
        "content/posts/post-1.de.md",
        "title: Zweiter Beitrag\ndate: 2020-12-31T23:30:00-08:00",
    );
    site.page(
        "content/posts/bundle/index.md",
        "title: Bundle\ndate: 2022-02-02",
    );
    site.page(
        "content/posts/bundle/index.de.md",
        "title: Bündel\ndate: 2022-02-02",
    );
    site.page("content/posts/pretty.md", "title: Pretty\nurl: /pretty/");
    site.page("content/posts/file.md", "title: File\nurl: /file.html");
    site.section("content/docs/_index.md", "title: Docs");
    site.section("content/docs/sub/_index.md", "title: Sub");
    site.page("content/docs/sub/page.md", "title: Page");
    site.expect("section", "content/misc");
    site.page("content/misc/thing.md", "title: Thing\nslug: The Thing");
    site.page("content/top.md", "title: Top");
    site.site(
        "ugly URLs",
        vec![
            ("content/_index.md", "/site/en/"),
            ("content/_index.de.md", "/site/de/"),
            ("content/posts/_index.md", "/site/en/posts.html"),
            (
                "content/posts/post-1.de.md",
                "/site/de/2020/zweiter-beitrag.html",
            ),
            ("content/posts/pretty.md", "/site/pretty/"),
            ("content/misc", "/site/en/misc.html"),
            ("content/top.md", "/site/en/top.html"),
        ],
    )
}
