//! One post: its known front-matter fields, read leniently, and where its Markdown body starts
//! (the body is read again from the file's [`text`] to render it).
//!
//! A field that cannot be read is left empty and reported as a [`FieldProblem`]; the post is still
//! served. Only a front matter block that does not parse at all keeps a post out.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::date::PostDate;
use super::front_matter::{self, FrontMatter};
use super::slug::urlize;

mod dates;
mod placement;

pub(crate) use dates::{DateRules, Dates};
pub(crate) use placement::{Cascade, ListMode, Placement};

/// A parsed post. Everything here comes from one blob; nothing depends on other posts.
#[derive(Debug, Clone)]
pub(crate) struct Post {
    /// Path in the repository, e.g. `content-repo/posts/hello.md`.
    pub(crate) path: String,
    /// Git blob id of the file: the content address, and the render cache key.
    pub(crate) blob: git2::Oid,
    /// URL slug: front matter `slug`, else the urlized title, else the file (or bundle folder) name.
    pub(crate) slug: String,
    pub(crate) title: String,
    /// `date`, else `publishDate` (or `pubdate`, `published`), else `lastmod` (or `modified`).
    /// These four dates follow Hugo's default `[frontmatter]`; [`Post::with_dates`] reads them
    /// by a site's own table.
    pub(crate) date: Option<PostDate>,
    /// When the post is published: `publishDate` (or `pubdate`, `published`), else `date`. A
    /// post is hidden before it (unless `--future`).
    pub(crate) publish_date: Option<PostDate>,
    /// When the post stops being published: `expiryDate` (or `unpublishdate`). A post is hidden
    /// from it on (unless `--expired`).
    pub(crate) expiry_date: Option<PostDate>,
    /// Last modified: `lastmod` (or `modified`), else `date`, else the publish date. Listings
    /// order by it; the GraphQL field answers the last commit's date instead when
    /// [`lastmod_from_git`](Self::lastmod_from_git).
    pub(crate) lastmod: Option<PostDate>,
    /// Whether the rules reach `:git` before a front matter key gives `lastmod` (by default:
    /// when neither `lastmod` nor `modified` is written).
    pub(crate) lastmod_from_git: bool,
    /// Categories as written (term matching is done by the index).
    pub(crate) categories: Vec<String>,
    pub(crate) keywords: Vec<String>,
    pub(crate) description: Option<String>,
    pub(crate) authors: Vec<String>,
    pub(crate) draft: bool,
    pub(crate) summary: Option<String>,
    pub(crate) aliases: Vec<String>,
    /// A section's own page (`_index.md`), not a regular page.
    pub(crate) is_section: bool,
    /// What places the page in the site: `slug` and `url` as written, `weight`, build options,
    /// a section's `cascade`.
    pub(crate) placement: Placement,
    /// Every front matter key, known or not, with its original spelling.
    pub(crate) front_matter: Map<String, Value>,
    /// The links the body writes, found once (on first need) and kept with the parsed post,
    /// so a refresh finds again only the links of the files that changed.
    pub(crate) links: std::sync::OnceLock<std::sync::Arc<[super::LinkRef]>>,
    /// Where the Markdown after the front matter starts in the file's [`text`]. The body is not
    /// kept: it is most of a post's bytes, and rendering reads the blob again.
    body_start: usize,
}

/// A field that could not be read; the post is served without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldProblem {
    /// 1-based line in the file, when known.
    pub(crate) line: Option<usize>,
    pub(crate) message: String,
}

/// Why a whole post could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PostError {
    #[error("binary file (contains NUL bytes), not a post")]
    Binary,
    #[error("not UTF-8 text (invalid byte at offset {offset}); save the file as UTF-8")]
    NotUtf8 { offset: usize },
    #[error("{}", located(*line, message))]
    FrontMatter {
        line: Option<usize>,
        message: String,
    },
}

impl PostError {
    /// The 1-based line of the file the error is on, when known.
    pub(crate) fn line(&self) -> Option<usize> {
        match self {
            PostError::FrontMatter { line, .. } => *line,
            PostError::NotUtf8 { .. } | PostError::Binary => None,
        }
    }
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&located(self.line, &self.message))
    }
}

/// `message`, prefixed with the front matter line it is about when that is known.
fn located(line: Option<usize>, message: &str) -> String {
    match line {
        Some(line) => format!("front matter line {line}: {message}"),
        None => message.to_owned(),
    }
}

/// Hugo's default `[frontmatter]`, which every post is first read with.
static DEFAULT_DATE_RULES: std::sync::LazyLock<DateRules> =
    std::sync::LazyLock::new(DateRules::default);

impl Post {
    /// Parses the bytes of one Markdown file.
    ///
    /// # Errors
    /// [`PostError`] when the file is binary (has a NUL byte, as git tells binary files) or not
    /// UTF-8, or its front matter does not parse; problems with a single field are returned
    /// beside the post instead.
    pub(crate) fn parse(
        path: &str,
        blob: git2::Oid,
        bytes: &[u8],
    ) -> Result<(Post, Vec<FieldProblem>), PostError> {
        if bytes.contains(&0) {
            return Err(PostError::Binary);
        }
        let text = text(bytes)?;
        let (front, body) = front_matter::split(&text).map_err(|e| PostError::FrontMatter {
            line: e.line,
            message: e.message,
        })?;
        let body_start = text.len() - body.len();
        debug_assert_eq!(
            text[body_start..].as_ptr(),
            body.as_ptr(),
            "the body ends the text"
        );
        Ok(Post::from_front(path, blob, front, body_start))
    }

    /// The post with the values a section cascades to it (`values`, from the nearest section
    /// first) added where its own front matter has no such key, and its fields read again. The
    /// problems of cascaded values are not reported here: the section's own check reports them.
    pub(crate) fn with_cascade(&self, values: &Map<String, Value>) -> Post {
        let mut fields = self.front_matter.clone();
        for (key, value) in values {
            if !fields.keys().any(|k| k.eq_ignore_ascii_case(key)) {
                fields.insert(key.clone(), value.clone());
            }
        }
        let (mut post, _) = Post::from_front(
            &self.path,
            self.blob,
            FrontMatter::from_fields(fields),
            self.body_start,
        );
        // Own values keep their lines; a section's cascade is its own, never inherited.
        post.placement.cascade.clone_from(&self.placement.cascade);
        post
    }

    /// The post with its four dates read again from its front matter and path by `rules` (a
    /// site's `[frontmatter]` table). Call it after [`with_cascade`](Self::with_cascade): Hugo
    /// reads dates from the front matter with the cascaded values in it. The slug Hugo takes
    /// from the file name with `:filename` (when no `slug` is written) is applied too. Problems
    /// of the date keys are not reported: [`dates`](Self::dates) gives them.
    pub(crate) fn with_dates(&self, rules: &DateRules) -> Post {
        let (dates, _) = self.dates(rules);
        let mut post = self.clone();
        post.date = dates.date;
        post.publish_date = dates.publish_date;
        post.lastmod = dates.lastmod;
        post.lastmod_from_git = dates.lastmod_from_git;
        post.expiry_date = dates.expiry_date;
        if let Some(slug) = dates.slug_from_file_name {
            post.slug.clone_from(&slug);
            post.placement.slug = Some(slug);
        }
        post
    }

    /// The four dates of this post (and the slug its file name gives) read from its front
    /// matter and path by `rules`, with the problems of the date keys those rules read (keys
    /// the default rules also read were reported when the post was parsed). The problems have
    /// no lines: the post keeps its fields, not its file.
    pub(crate) fn dates(&self, rules: &DateRules) -> (Dates, Vec<FieldProblem>) {
        let front = FrontMatter::from_fields(self.front_matter.clone());
        let mut fields = Fields {
            front: &front,
            problems: Vec::new(),
        };
        let dates = rules.read(&mut fields, &self.path);
        (dates, fields.problems)
    }

    /// The fields of a post whose front matter is `front` and whose body starts at `body_start`.
    fn from_front(
        path: &str,
        blob: git2::Oid,
        front: FrontMatter,
        body_start: usize,
    ) -> (Post, Vec<FieldProblem>) {
        let mut fields = Fields {
            front: &front,
            problems: Vec::new(),
        };

        let title = fields.string("title").unwrap_or_default();
        let written_slug = fields.string("slug");
        let slug = fields
            .slug(written_slug.as_deref())
            .or_else(|| Some(urlize(&title)).filter(|s| !s.is_empty()))
            .unwrap_or_else(|| file_slug(path));
        let Dates {
            date,
            publish_date,
            lastmod,
            lastmod_from_git,
            expiry_date,
            ..
        } = DEFAULT_DATE_RULES.read(&mut fields, path);
        let mut authors = fields.authors("author");
        if authors.is_empty() {
            authors = fields.authors("authors");
        }
        if authors.is_empty() {
            authors = fields.nested_authors();
        }
        let categories = fields.terms("categories");
        let keywords = fields.terms("keywords");
        let description = fields.string("description");
        let draft = fields.boolean("draft");
        let summary = fields.string("summary");
        let aliases = fields.strings("aliases");
        let is_section = is_section_file(path);
        let placement = Placement::read(&mut fields, written_slug, is_section);
        let mut problems = fields.problems;
        let post = Post {
            path: path.to_owned(),
            blob,
            slug,
            title,
            date,
            publish_date,
            expiry_date,
            lastmod,
            lastmod_from_git,
            categories,
            keywords,
            description,
            authors,
            draft,
            summary,
            aliases,
            is_section,
            placement,
            body_start,
            front_matter: front.fields,
            links: std::sync::OnceLock::new(),
        };
        problems.sort_by_key(|p| p.line);
        (post, problems)
    }

    /// The terms of front matter key `key` (any case) as written: a list's strings and numbers,
    /// or a single one, trimmed, empty ones left out; none when the key is absent or a map.
    pub(crate) fn terms_of(&self, key: &str) -> Vec<String> {
        let value = self
            .front_matter
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v);
        let one = |v: &Value| match v {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let terms: Vec<String> = match value {
            Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
            Some(other) => one(other).into_iter().collect(),
            None => Vec::new(),
        };
        terms.into_iter().filter(|t| !t.is_empty()).collect()
    }

    /// The Markdown after the front matter, given the [`text`] of this post's blob.
    pub(crate) fn body<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.body_start..).unwrap_or_default()
    }

    /// The 1-based line of `text` (as [`text`] gives it) the body starts on.
    pub(crate) fn body_line(&self, text: &str) -> usize {
        let before = text.get(..self.body_start).unwrap_or_default();
        before.matches('\n').count() + 1
    }
}

/// The text of a post file as it is parsed: UTF-8, without a byte order mark, with `\n` line
/// ends. Borrows `bytes` unless they had `\r\n` line ends.
///
/// # Errors
/// [`PostError::NotUtf8`] when the bytes are not UTF-8.
pub(crate) fn text(bytes: &[u8]) -> Result<Cow<'_, str>, PostError> {
    let text = std::str::from_utf8(bytes).map_err(|e| PostError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    })
}

/// A section's own page: `_index.md` (or `_index.fr.md`, `_index.markdown`).
pub(crate) fn is_section_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split('.').next() == Some("_index")
}

/// The slug of last resort: the file name without extension, or the folder of a page bundle.
fn file_slug(path: &str) -> String {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let stem = if ["index", "_index"].contains(&stem)
        || stem.starts_with("index.")
        || stem.starts_with("_index.")
    {
        parts.next().unwrap_or(stem)
    } else {
        stem
    };
    let slug = urlize(stem);
    if slug.is_empty() {
        stem.to_owned()
    } else {
        slug
    }
}

/// Reads known fields out of the front matter, collecting a problem for each one that is unusable.
struct Fields<'a> {
    front: &'a FrontMatter,
    problems: Vec<FieldProblem>,
}

impl<'a> Fields<'a> {
    fn report(&mut self, key: &str, message: String) {
        self.problems.push(FieldProblem {
            line: self.front.line_of(key),
            message,
        });
    }

    /// The value of a known field; when it is set under two spellings (`date` and `Date`), the
    /// first is used and the other reported.
    fn lookup(&mut self, key: &str) -> Option<(&'a str, &'a Value)> {
        let front = self.front;
        let mut matches = front
            .fields
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(key));
        let (name, value) = matches.next()?;
        for (other, _) in matches {
            let line = front
                .line_of(name)
                .map(|l| format!(" (line {l})"))
                .unwrap_or_default();
            self.report(other, format!("`{other}` repeats `{name}` (keys are case-insensitive): the first{line} is used; remove one"));
        }
        Some((name.as_str(), value))
    }

    fn string(&mut self, key: &str) -> Option<String> {
        let (name, value) = self.lookup(key)?;
        match scalar_text(value) {
            Ok(text) => text,
            Err(found) => {
                self.report(name, format!("`{name}` must be a string, found {found}"));
                None
            }
        }
    }

    fn strings(&mut self, key: &str) -> Vec<String> {
        let Some((name, value)) = self.lookup(key) else {
            return Vec::new();
        };
        let items = match value {
            Value::Array(items) => items.iter().map(scalar_text).collect::<Result<Vec<_>, _>>(),
            other => scalar_text(other).map(|one| vec![one]),
        };
        match items {
            Ok(items) => items
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect(),
            Err(_) => {
                self.report(name, format!("`{name}` must be a list of strings"));
                Vec::new()
            }
        }
    }

    fn date(&mut self, key: &str) -> Option<PostDate> {
        let (name, value) = self.lookup(key)?;
        let text = match value {
            Value::String(s) if s.trim().is_empty() => return None,
            Value::Null => return None,
            Value::String(s) => s.as_str(),
            _ => "",
        };
        let parsed = PostDate::parse(text);
        if parsed.is_none() {
            self.report(
                name,
                format!(
                    "`{name}` is not a date ({}); write it as 2017-12-11, 2017-12-11T21:45:37+11:00 or 2017-12-11 21:45:37",
                    short(value)
                ),
            );
        }
        parsed
    }

    fn boolean(&mut self, key: &str) -> bool {
        let Some((name, value)) = self.lookup(key) else {
            return false;
        };
        match value {
            Value::Bool(b) => *b,
            Value::Null => false,
            Value::String(s) if s.eq_ignore_ascii_case("true") => true,
            Value::String(s) if s.eq_ignore_ascii_case("false") => false,
            other => {
                self.report(
                    name,
                    format!("`{name}` must be true or false, found {}", short(other)),
                );
                false
            }
        }
    }

    /// `author` as a string, a list of strings or maps with `name`, or a map with `name`.
    fn authors(&mut self, key: &str) -> Vec<String> {
        let Some((name, value)) = self.lookup(key) else {
            return Vec::new();
        };
        let one = |v: &Value| match v {
            Value::Object(map) => map
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("name"))
                .map_or(Err("a map without `name`"), |(_, n)| scalar_text(n)),
            other => scalar_text(other),
        };
        let found = match value {
            Value::Array(items) => items.iter().map(one).collect::<Result<Vec<_>, _>>(),
            other => one(other).map(|a| vec![a]),
        };
        match found {
            Ok(names) => names
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect(),
            Err(found) => {
                self.report(
                    name,
                    format!("`{name}` must be a name, a list of names, or a map with `name` (found {found})"),
                );
                Vec::new()
            }
        }
    }

    /// Hugo themes often keep the author under `params.author`.
    fn nested_authors(&mut self) -> Vec<String> {
        let Some((_, Value::Object(params))) = self.front.get("params") else {
            return Vec::new();
        };
        let nested = FrontMatter::from_fields(params.clone());
        let mut inner = Fields {
            front: &nested,
            problems: Vec::new(),
        };
        let authors = inner.authors("author");
        let line = self.front.line_of("params");
        self.problems
            .extend(inner.problems.into_iter().map(|p| FieldProblem {
                line,
                message: format!("in `params`: {}", p.message),
            }));
        authors
    }

    /// The front matter `slug`, urlized; `None` (and a report) when nothing of it is left.
    fn slug(&mut self, written: Option<&str>) -> Option<String> {
        let written = written?;
        let slug = urlize(written);
        if slug.is_empty() && !written.is_empty() {
            self.report(
                "slug",
                format!("`slug` {written:?} has no letters or digits: the title or file name is used instead"),
            );
        }
        Some(slug).filter(|s| !s.is_empty())
    }

    /// Categories or keywords; a term with no letters or digits cannot be looked up and is reported.
    fn terms(&mut self, key: &str) -> Vec<String> {
        let mut terms = self.strings(key);
        terms.retain(|term| {
            let usable = !urlize(term).is_empty();
            if !usable {
                let (name, _) = self.front.get(key).unwrap_or((key, &Value::Null));
                let message =
                    format!("`{name}` entry {term:?} has no letters or digits and is ignored");
                self.problems.push(FieldProblem {
                    line: self.front.line_of(name),
                    message,
                });
            }
            usable
        });
        terms
    }
}

/// `key:` with nothing after it, or an empty string: as if the key were not there.
fn is_blank(value: &Value) -> bool {
    value.is_null() || value.as_str().is_some_and(|s| s.trim().is_empty())
}

/// A scalar as text (`slug: 1` is `"1"`); `Err` names what was found instead.
fn scalar_text(value: &Value) -> Result<Option<String>, &'static str> {
    match value {
        Value::String(s) => Ok(Some(s.trim().to_owned())),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        Value::Null => Ok(None),
        Value::Array(_) => Err("a list"),
        Value::Object(_) => Err("a map"),
    }
}

/// A value for a problem message, shortened.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

#[cfg(test)]
mod tests;
