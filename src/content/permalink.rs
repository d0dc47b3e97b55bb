//! Page URLs as Hugo 0.111.3 publishes them: the default URL from the file's place, `slug`, `url`
//! front matter, `uglyURLs`, the language prefix, and the config `permalinks` patterns with every
//! token Hugo accepts (plus `:contentbasename` and `:slugorcontentbasename` from later Hugo).
//!
//! This follows `createTargetPathDescriptor` (`hugolib/page__paths.go`), `CreateTargetPaths`
//! (`resources/page/page_paths.go`) and `PermalinkExpander` (`resources/page/permalinks.go`) at tag
//! v0.111.3, quirks included, since a site moving to Quire keeps its URLs only if they match.
//! Each rule below says how it was checked against `/usr/bin/hugo` 0.111.3 (tiny sites built in
//! /tmp, `.RelPermalink` printed for every page); the table test in `tests.rs` holds those cases.
//! Pure: strings in, a URL out.

mod go;
mod pattern;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use super::GoTime;
use super::date::PostDate;
use super::slug::urlize;
pub(crate) use pattern::Pattern;
use pattern::Token;

/// What a content file is, for its URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageKind {
    /// A regular page or a leaf bundle's `index.md`.
    Page,
    /// A folder's `_index.md`.
    Section,
    /// The content root's `_index.md`.
    Home,
}

/// What a page's URL is built from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageInfo<'a> {
    /// Path of the file under the (language's) content folder, `/`-separated: `posts/2020/hello.md`,
    /// `posts/trip/index.md`, `posts/trip/index.fr.md`, `docs/_index.md`, `_index.md`,
    /// `post/hello.ja.md`.
    pub(crate) path: &'a str,
    pub(crate) kind: PageKind,
    /// Front matter `slug` as written (None when absent).
    pub(crate) slug: Option<&'a str>,
    /// Front matter `title` ("" when absent).
    pub(crate) title: &'a str,
    /// Front matter `url` as written.
    pub(crate) url: Option<&'a str>,
    /// The page's date as Hugo resolves it: by default front matter `date`, else `publishDate`
    /// (or `pubdate`, `published`), else `lastmod` (or `modified`). None is Go's zero time: date
    /// tokens then give `1`, `01`, `0001`, `monday` (checked against Hugo).
    pub(crate) date: Option<PostDate>,
    /// The language code when the file's name carries one that the site defines (`hello.ja.md`):
    /// strip it from :filename etc.
    pub(crate) name_language: Option<&'a str>,
}

/// The site settings a URL depends on, for one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UrlRules<'a> {
    /// Config `permalinks`: top-level section name → pattern. Keys match as Hugo's config reads
    /// them: lower-cased, with spaces and `/` trimmed (`"/"` is the content root's pages), against
    /// the folder name as written, so a `Posts/` folder never matches (checked against Hugo).
    /// Hugo 0.111.3 panics on the later `permalinks.page.<section>` form; a caller that accepts it
    /// can put those entries here, as later Hugo applies them to the same pages.
    pub(crate) permalinks: &'a BTreeMap<String, Pattern>,
    pub(crate) ugly_urls: bool,
    /// URL prefix of the page's language: "" for the default language unless
    /// defaultContentLanguageInSubdir, else "fr" etc.
    pub(crate) language_prefix: &'a str,
    /// Folders (`/`-separated, no slash at either end) that hold an `_index` file of this
    /// language: the sections Hugo builds from files. Needed by `:sections`: a page's section is
    /// its nearest such folder, else its top-level folder, whose section Hugo makes up with an
    /// extra empty entry (so `:sections[last]` is empty there; checked against Hugo). An `_index`
    /// of another language does not count (checked: `e.ja.md` beside an English-only `_index.md`).
    pub(crate) section_dirs: &'a BTreeSet<String>,
}

/// Why Hugo cannot publish a page at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum UrlError {
    #[error(
        "front matter `url` {0:?} has a protocol, which Hugo refuses; write a path such as \
         \"/about/\" (the site's baseURL supplies the host)"
    )]
    Protocol(String),
    #[error(
        "the URL {0:?} has a `%` not followed by two hex digits, which stops Hugo; write `%25` \
         for a literal `%`"
    )]
    BadEscape(String),
}

/// The root-relative URL Hugo publishes the page at: `/posts/hello/`, `/fr/posts/hello/`,
/// `/posts/hello.html` with uglyURLs. Non-ASCII is percent-encoded as in Hugo's `.RelPermalink`
/// (`/posts/caf%C3%A9/`; the file is written at the decoded path).
///
/// # Errors
/// [`UrlError`] where Hugo 0.111.3 stops instead of publishing: a front matter `url` with
/// `http://` or `https://`, or a `url` with a broken `%` escape (Hugo panics).
pub(crate) fn url(page: &PageInfo<'_>, rules: &UrlRules<'_>) -> Result<String, UrlError> {
    let file = FileParts::new(page);
    // An empty `url` is no `url` (checked against Hugo).
    let front_url = page.url.filter(|u| !u.is_empty());
    // Case-sensitive, as Hugo's check: `HTTPS://x/` is published as `/HTTPS:/x/` (checked).
    if let Some(u) = front_url
        && (u.starts_with("http://") || u.starts_with("https://"))
    {
        return Err(UrlError::Protocol(u.to_owned()));
    }
    let prefix = rules.language_prefix;
    let link = match (page.kind, front_url) {
        // The home page ignores `url` (checked against Hugo).
        (PageKind::Home, _) => branch_link(&[], &file, rules),
        (_, Some(u)) => url_link(u, prefix),
        (PageKind::Page, None) => page_link(page, &file, rules),
        (PageKind::Section, None) => branch_link(&file.dir_parts, &file, rules),
    };
    // Hugo trims the slashes and puts back one at each end it had.
    let had_slash = link.ends_with('/');
    let mut link = format!("/{}", link.trim_matches('/'));
    if had_slash && link != "/" {
        link.push('/');
    }
    // A page's own `url` is kept as written; everything else is lower-cased and sanitized like
    // Hugo's `MakePathSanitized`: spaces become `-`, characters other than letters, digits, marks
    // and `. / \ _ # + ~ - @ %XX` are dropped (checked against Hugo with spaces, capitals,
    // accents, `+`, `%`, `#`, brackets and dots in names).
    if page.kind != PageKind::Page || front_url.is_none() {
        link = urlize(&link);
    }
    let link = go::url_escape(&link).ok_or(UrlError::BadEscape(link))?;
    Ok(if link.is_empty() {
        "/".to_owned()
    } else {
        link
    })
}

/// A page with its own `url` (the `d.URL != ""` branch of Hugo's `CreateTargetPaths`). Checked
/// against Hugo: a `url` ending in `/` or without a dot gets a trailing slash (`/abs2` →
/// `/abs2/`), one with a dot and no trailing slash is kept (`/custom/file.HTML`, `/v1.2/thing`);
/// `uglyURLs` does not apply; `..` and `//` are cleaned away; a relative `url` (no leading `/`)
/// gets the language prefix, even when it already starts with it (`fr/rel/` → `/fr/fr/rel/`),
/// while an absolute one never does (`/abs/` stays `/abs/` on a French page).
fn url_link(url: &str, prefix: &str) -> String {
    let page_path = go::pjoin(&["/", url]);
    let has_slash = url.ends_with('/');
    let mut link = page_path.clone();
    let published = if has_slash || !url.contains('.') {
        go::pjoin(&[&page_path, "index.html"])
    } else {
        page_path
    };
    if !published.ends_with("/index.html") {
        link = published;
    } else if !has_slash {
        link.push('/');
    }
    if !url.starts_with('/') && !prefix.is_empty() {
        link = go::pjoin(&[prefix, &link]);
    }
    link
}

/// A regular page without `url`. Checked against Hugo: the folder path plus the `slug` (dashes
/// trimmed from its ends, `/` kept as folders) or else the file name; a leaf bundle's
/// `index.md` takes its folder's name; a `permalinks` pattern of the page's top-level section
/// replaces all of it; `uglyURLs` gives `/posts/hello.html` (also with a pattern); a `slug` of
/// `index` gives the folder itself (`/posts/`).
fn page_link(page: &PageInfo<'_>, file: &FileParts<'_>, rules: &UrlRules<'_>) -> String {
    let base = file.slug_or_base;
    // Hugo reads the expanded pattern as a query string: `+` becomes a space (so `:slug+x`
    // gives `hello-world-x`) and `%XX` is decoded; a bad escape (a `100%` folder through
    // `:section`) drops the pattern for the default URL. Checked against Hugo.
    let expanded = rules
        .pattern_for(file.section)
        .map(|pattern| {
            let subject = Subject::new(page, file, rules);
            pattern.expand(|token| subject.value(token))
        })
        .filter(|raw| !raw.is_empty())
        .and_then(|raw| go::query_unescape(&raw))
        .filter(|e| !e.is_empty());
    let page_path = match &expanded {
        Some(e) => go::pjoin(&["/", e]),
        None => {
            let mut p = go::pjoin(&["/", &file.url_dir]);
            if !base.is_empty() {
                p = go::pjoin(&[&p, base]);
            }
            p
        }
    };
    let index_name = base == "index";
    // Hugo's `TrimSuffix(link, BaseName)` for a base name equal to the output's (`index`).
    let mut link = match page_path.strip_suffix("index") {
        Some(trimmed) if index_name => trimmed.to_owned(),
        _ => page_path.clone(),
    };
    link.push('/');
    let published = if rules.ugly_urls || (expanded.is_none() && index_name) {
        format!("{}.html", page_path.trim_matches('/'))
    } else {
        go::pjoin(&[&page_path, "index.html"])
    };
    if !published.ends_with("/index.html") {
        link = published;
    }
    with_prefix(rules.language_prefix, link)
}

/// A section (`sections` = its folders) or the home page (no folders). Checked against Hugo: no
/// `permalinks` pattern applies to sections in 0.111.3; `uglyURLs` gives `/posts.html` and
/// `/docs/sub.html` but leaves the home page at `/`; a section whose `slug` (or folder) is `index`
/// is published as `/x/index.html` and linked as `/x/index/`.
fn branch_link(sections: &[&str], file: &FileParts<'_>, rules: &UrlRules<'_>) -> String {
    let (page_path, needs_base) = if sections.is_empty() {
        ("/".to_owned(), true)
    } else {
        (go::pjoin(sections), false)
    };
    let ugly = rules.ugly_urls || file.slug_or_base == "index";
    let mut link = page_path.clone();
    let published = if needs_base || !ugly {
        go::join(&[&page_path, "index.html"])
    } else {
        format!("{}.html", page_path.trim_matches('/'))
    };
    if !published.ends_with("/index.html") {
        link = published;
    } else {
        link.push('/');
    }
    with_prefix(rules.language_prefix, link)
}

fn with_prefix(prefix: &str, link: String) -> String {
    if prefix.is_empty() {
        link
    } else {
        go::pjoin(&[prefix, &link])
    }
}

impl UrlRules<'_> {
    /// The pattern for pages of the top-level section `section` ("" for root pages).
    fn pattern_for(&self, section: &str) -> Option<&Pattern> {
        self.permalinks
            .iter()
            .find(|(key, _)| key.to_lowercase().trim_matches([' ', '/']) == section)
            .map(|(_, pattern)| pattern)
    }
}

/// The parts of a content file's path Hugo's `source.File` offers.
#[derive(Debug)]
struct FileParts<'a> {
    /// Folders of the file, as written (empty at the root).
    dir_parts: Vec<&'a str>,
    /// The top-level folder (`File.Section`): "" for root pages and root leaf bundles.
    section: &'a str,
    /// File name without extension and defined language (`TranslationBaseName`).
    translation_base: &'a str,
    /// `ContentBaseName`: the folder name for bundles, else `translation_base`.
    content_base: &'a str,
    /// The folder for the default URL, with a trailing `/`: a leaf bundle's parent.
    url_dir: String,
    /// A leaf bundle's `index` file.
    leaf: bool,
    /// Front matter `slug` with dashes trimmed from its ends, as Hugo reads it; "" when absent.
    slug: &'a str,
    /// `slug`, else `content_base` (Hugo's `BaseName`).
    slug_or_base: &'a str,
}

impl<'a> FileParts<'a> {
    fn new(page: &PageInfo<'a>) -> Self {
        let (dir, name) = page.path.rsplit_once('/').unwrap_or(("", page.path));
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        let translation_base = page
            .name_language
            .and_then(|lang| stem.strip_suffix(lang)?.strip_suffix('.'))
            .unwrap_or(stem);
        let leaf = page.kind == PageKind::Page && name.starts_with("index.");
        let bundle = leaf || name.starts_with("_index.");
        let dir_parts: Vec<&str> = if dir.is_empty() {
            Vec::new()
        } else {
            dir.split('/').collect()
        };
        let section = match dir_parts.as_slice() {
            [first] if !leaf => first,
            [first, _, ..] => first,
            _ => "",
        };
        let content_base = if bundle {
            dir_parts.last().copied().unwrap_or_default()
        } else {
            translation_base
        };
        let mut url_dir = if dir.is_empty() {
            "/".to_owned()
        } else {
            format!("{dir}/")
        };
        if content_base != translation_base
            && let Some(parent) = url_dir.strip_suffix(&format!("{content_base}/"))
        {
            url_dir = parent.to_owned();
        }
        let slug = page.slug.map_or("", |s| s.trim_matches('-'));
        FileParts {
            dir_parts,
            section,
            translation_base,
            content_base,
            url_dir,
            leaf,
            slug,
            slug_or_base: or(slug, content_base),
        }
    }

    /// The folders of the section the page sits in (Hugo's `sectionsFromFile`): a leaf bundle's
    /// own folder is not one.
    fn page_dirs(&self) -> &[&'a str] {
        if self.leaf {
            &self.dir_parts[..self.dir_parts.len().saturating_sub(1)]
        } else {
            &self.dir_parts
        }
    }
}

/// `first` unless it is empty, else `second`.
fn or<'s>(first: &'s str, second: &'s str) -> &'s str {
    if first.is_empty() { second } else { first }
}

/// A page as the pattern tokens see it.
struct Subject<'a> {
    page: &'a PageInfo<'a>,
    file: &'a FileParts<'a>,
    time: GoTime,
    /// Entries of the page's current section (`SectionsEntries`), possibly ending in "".
    sections: Vec<&'a str>,
}

impl<'a> Subject<'a> {
    fn new(page: &'a PageInfo<'a>, file: &'a FileParts<'a>, rules: &UrlRules<'_>) -> Self {
        let dirs = file.page_dirs();
        // The nearest folder with an `_index` file; else the top-level folder, whose made-up
        // section Hugo keys as `/posts/` and so splits into `["posts", ""]`; else the home page.
        let sections = (2..=dirs.len())
            .rev()
            .find(|&n| rules.section_dirs.contains(&dirs[..n].join("/")))
            .map(|n| dirs[..n].to_vec())
            .or_else(|| {
                dirs.first().map(|top| {
                    if rules.section_dirs.contains(*top) {
                        vec![*top]
                    } else {
                        vec![*top, ""]
                    }
                })
            })
            .unwrap_or_default();
        Subject {
            page,
            file,
            time: page.date.map_or(GoTime::ZERO, |d| GoTime::new(d.moment())),
            sections,
        }
    }

    /// What `token` expands to for this page (before Hugo's final sanitizing).
    fn value(&self, token: &Token) -> String {
        let t = &self.time;
        let slug = self.file.slug;
        match token {
            Token::Year => t.year.to_string(),
            Token::Month => format!("{:02}", t.month),
            Token::MonthName => t.month_name().to_owned(),
            Token::Day => format!("{:02}", t.day),
            Token::Weekday => t.weekday.to_string(),
            Token::WeekdayName => t.weekday_name().to_owned(),
            Token::YearDay => t.yearday.to_string(),
            Token::Layout(layout) => t.format(layout),
            // Section names are used as written; the final sanitizing lower-cases them.
            Token::Section => self.file.section.to_owned(),
            Token::Sections => go::join(&self.sections),
            Token::SectionsSlice(slice) => go::join(slice.select(&self.sections)),
            Token::Title => urlize(self.page.title),
            Token::Slug => urlize(or(slug, self.page.title)),
            Token::Filename => urlize(self.filename()),
            Token::SlugOrFilename => urlize(or(slug, self.filename())),
            Token::ContentBaseName => urlize(self.file.content_base),
            Token::SlugOrContentBaseName => urlize(or(slug, self.file.content_base)),
        }
    }

    /// Hugo's `:filename`: the file's base name, or for an `index` file its folder's name.
    fn filename(&self) -> &'a str {
        if self.file.translation_base == "index" {
            self.file.dir_parts.last().copied().unwrap_or_default()
        } else {
            self.file.translation_base
        }
    }
}
