//! Which front matter keys a post's four dates are read from: Hugo's `[frontmatter]` table.
//!
//! Each date (`date`, `publishDate`, `lastmod`, `expiryDate`) has a list of sources; the first
//! source that gives a date decides. A front matter key brings its Hugo aliases with it, right
//! after it (`lastmod` then `modified`; `publishDate` then `pubdate`, `published`; `expiryDate`
//! then `unpublishdate`), and `:default` stands for Hugo's own list for that date:
//!
//! | date          | `:default`                                   |
//! |---------------|----------------------------------------------|
//! | `date`        | `date`, `publishDate`, `lastmod`             |
//! | `publishDate` | `publishDate`, `date`                        |
//! | `lastmod`     | `lastmod`, `:git`, `date`, `publishDate`     |
//! | `expiryDate`  | `expiryDate`                                 |
//!
//! One difference from Hugo in that table, on purpose: Hugo's `lastmod` default starts with
//! `:git` (with `enableGitInfo`, the last commit's author date beats a `lastmod` written in the
//! front matter; checked with Hugo 0.111.3), Quire's puts `:git` after `lastmod` (and
//! `modified`), so that a date an author wrote wins. It is Hugo's behaviour with
//! `lastmod = ["lastmod", ":git", "date", "publishDate"]`; a site that writes `:git` first in
//! its own `[frontmatter]` gets Hugo's order.
//!
//! The fallbacks are between front matter keys, never between resolved dates: with
//! `date = ["myDate"]`, a post with only `myDate` has no `publishDate` (Hugo 0.111.3 does the
//! same; `publishDate`'s list names the key `date`, which is not set).
//!
//! `:filename` takes a `YYYY-MM-DD` date from the start of the file name (or of the bundle
//! folder's name for `index.md` and `_index.md`). `:fileModTime` gives nothing in Quire
//! (content comes from git blobs, which have no modification time): it is skipped, as Hugo
//! skips a source that has no value. `:git` is the author date of the last commit that changed
//! the file, which is not known when a post is parsed: the dates read here skip it, and
//! [`Dates::lastmod_from_git`] says whether it comes before the `lastmod` found (the GraphQL
//! field then answers the git date; listings order by the date found here).
//!
//! One difference from Hugo, kept on purpose: a key that is set but is not a date is reported and
//! stops its list (the date stays unset) where Hugo silently goes on to the next source, which
//! would serve a different date than the one the author wrote.

use serde_json::Value;

use super::{Fields, is_blank};
use crate::content::date::PostDate;

/// Which keys each date is read from, in order (Hugo's `[frontmatter]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateRules {
    date: Vec<DateSource>,
    publish_date: Vec<DateSource>,
    lastmod: Vec<DateSource>,
    expiry_date: Vec<DateSource>,
}

/// One entry of a date's list in `[frontmatter]`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum DateSource {
    /// A front matter key, lowercased (keys are compared case-insensitively), followed by its
    /// Hugo aliases when it has any.
    Key(String),
    /// `:default`: Hugo's default list for that date.
    Default,
    /// `:filename`: the `YYYY-MM-DD` at the start of the file (or bundle folder) name.
    FileName,
    /// `:fileModTime`: no value in Quire (blobs have no modification time); skipped.
    FileModTime,
    /// `:git`: the author date of the last commit that changed the file.
    Git,
}

/// The four dates of a post, as [`DateRules::read`] finds them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Dates {
    pub(crate) date: Option<PostDate>,
    pub(crate) publish_date: Option<PostDate>,
    pub(crate) lastmod: Option<PostDate>,
    pub(crate) expiry_date: Option<PostDate>,
    /// Whether `lastmod`'s list reaches `:git` before a source that gives a date: the last
    /// commit's date, when there is one, is the post's `lastmod`, and `lastmod` here is what
    /// stands in without one.
    pub(crate) lastmod_from_git: bool,
    /// The rest of the file (or bundle folder) name after its date, trimmed of ` `, `-` and `_`
    /// (`2017-12-11-my-post.md` gives `my-post`), when `:filename` gave one of the dates, the
    /// front matter has no `slug` key (in any case, even empty) and the rest is not empty. Hugo
    /// then uses it as the page's slug, exactly as if `slug` were written: the permalink's
    /// `:slug` and the last part of the default URL.
    pub(crate) slug_from_file_name: Option<String>,
}

/// One step of a list once `:default` and aliases are expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step<'r> {
    Key(&'r str),
    FileName,
    /// `:git`: given later, from the history (see [`Dates::lastmod_from_git`]).
    Git,
    /// `:fileModTime`: never gives a date in Quire.
    Skipped,
}

/// Hugo's default lists (`newDefaultFrontmatterConfig`), before aliases; `lastmod`'s puts
/// `:git` after `lastmod` (see the module's documentation).
const DEFAULT_DATE: &[Step<'static>] = &[
    Step::Key("date"),
    Step::Key("publishdate"),
    Step::Key("lastmod"),
];
const DEFAULT_PUBLISH_DATE: &[Step<'static>] = &[Step::Key("publishdate"), Step::Key("date")];
const DEFAULT_LASTMOD: &[Step<'static>] = &[
    Step::Key("lastmod"),
    Step::Git,
    Step::Key("date"),
    Step::Key("publishdate"),
];
const DEFAULT_EXPIRY_DATE: &[Step<'static>] = &[Step::Key("expirydate")];

/// Keys Hugo reads right after a key (`dateFieldAliases`).
const ALIASES: &[(&str, &[&str])] = &[
    ("lastmod", &["modified"]),
    ("publishdate", &["pubdate", "published"]),
    ("expirydate", &["unpublishdate"]),
];

/// What to write, for error messages.
const EXAMPLE: &str = "write a list such as [\"myDate\", \":default\"]";
const SOURCES: &str = "use a front matter key, :default, :filename, :fileModTime or :git";

impl Default for DateRules {
    /// Hugo's defaults: every list is `[":default"]`.
    fn default() -> Self {
        DateRules {
            date: vec![DateSource::Default],
            publish_date: vec![DateSource::Default],
            lastmod: vec![DateSource::Default],
            expiry_date: vec![DateSource::Default],
        }
    }
}

impl DateRules {
    /// The rules of a `[frontmatter]` table; a date it does not name keeps Hugo's default list.
    /// A list may also be one string of entries separated by spaces, as Hugo reads it.
    ///
    /// # Errors
    /// A message naming the key and saying what to write when the table is not a table, names a
    /// date Hugo does not have (Hugo ignores it; here it is most likely a typo), a list is not
    /// strings, or an entry is empty or an unknown `:` source.
    pub(crate) fn from_config(table: &Value) -> Result<DateRules, String> {
        let Value::Object(table) = table else {
            return Err(
                "`frontmatter` must be a table of date lists, such as `[frontmatter]` with `date = [\"myDate\", \":default\"]`"
                    .to_owned(),
            );
        };
        let mut rules = DateRules::default();
        for (name, value) in table {
            let list = match name.to_ascii_lowercase().as_str() {
                "date" => &mut rules.date,
                "publishdate" => &mut rules.publish_date,
                "lastmod" => &mut rules.lastmod,
                "expirydate" => &mut rules.expiry_date,
                _ => {
                    return Err(format!(
                        "`frontmatter.{name}` is not a date Hugo configures: use date, publishDate, lastmod or expiryDate"
                    ));
                }
            };
            *list = sources(name, value)?;
        }
        Ok(rules)
    }

    /// The four dates of a post from its front matter (`fields`) and its `path`.
    ///
    /// Every key any list names is read once, so a key that is set but is not a date is reported
    /// once; such a key decides its dates as unset rather than letting a later source decide.
    /// A key that is absent, empty or null is skipped.
    pub(super) fn read(&self, fields: &mut Fields<'_>, path: &str) -> Dates {
        let lists = [
            self.steps(&self.date, DEFAULT_DATE),
            self.steps(&self.publish_date, DEFAULT_PUBLISH_DATE),
            self.steps(&self.lastmod, DEFAULT_LASTMOD),
            self.steps(&self.expiry_date, DEFAULT_EXPIRY_DATE),
        ];
        // Each key once, in the order the lists name them: `None` when not set, `Some(None)`
        // when set but not a date.
        let mut read: Vec<(&str, Option<Option<PostDate>>)> = Vec::new();
        for step in lists.iter().flatten() {
            if let Step::Key(key) = *step
                && !read.iter().any(|(k, _)| k.eq_ignore_ascii_case(key))
            {
                let set = fields.front.get(key).is_some_and(|(_, v)| !is_blank(v));
                read.push((key, set.then(|| fields.date(key))));
            }
        }
        let from_name = file_name_date(path);
        let mut used_name = false;
        // The first step that decides: a date, or `None` for a key set to something else.
        let mut decided = |steps: &[Step<'_>]| {
            steps.iter().find_map(|step| match *step {
                Step::Key(key) => read
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    .and_then(|(_, found)| *found),
                Step::FileName => from_name.as_ref().map(|(date, _)| {
                    used_name = true;
                    Some(*date)
                }),
                Step::Git | Step::Skipped => None,
            })
        };
        let [date, publish_date, lastmod, expiry_date] = &lists;
        // `:git` decides when no step before it did.
        let lastmod_from_git = lastmod
            .iter()
            .position(|s| *s == Step::Git)
            .is_some_and(|git| decided(&lastmod[..git]).is_none());
        let mut first_of = |steps: &[Step<'_>]| decided(steps).flatten();
        let (date, publish_date, lastmod, expiry_date) = (
            first_of(date),
            first_of(publish_date),
            first_of(lastmod),
            first_of(expiry_date),
        );
        let slug_from_file_name = from_name
            .filter(|_| used_name && fields.front.get("slug").is_none())
            .map(|(_, rest)| rest.to_owned())
            .filter(|rest| !rest.is_empty());
        Dates {
            date,
            publish_date,
            lastmod,
            expiry_date,
            lastmod_from_git,
            slug_from_file_name,
        }
    }

    /// `list` with `:default` replaced by `defaults` and each key followed by its aliases.
    fn steps<'r>(&'r self, list: &'r [DateSource], defaults: &[Step<'static>]) -> Vec<Step<'r>> {
        let mut steps = Vec::new();
        let mut push = |step: Step<'r>| {
            steps.push(step);
            if let Step::Key(key) = step
                && let Some((_, aliases)) =
                    ALIASES.iter().find(|(k, _)| k.eq_ignore_ascii_case(key))
            {
                steps.extend(aliases.iter().map(|a| Step::Key(a)));
            }
        };
        for source in list {
            match source {
                DateSource::Key(key) => push(Step::Key(key)),
                DateSource::Default => defaults.iter().for_each(|&s| push(s)),
                DateSource::FileName => push(Step::FileName),
                DateSource::Git => push(Step::Git),
                DateSource::FileModTime => push(Step::Skipped),
            }
        }
        steps
    }
}

/// The sources of `frontmatter.<name>`: a list of strings, or one string of entries separated
/// by spaces.
fn sources(name: &str, value: &Value) -> Result<Vec<DateSource>, String> {
    let entries: Vec<&str> = match value {
        Value::String(s) => s.split_whitespace().collect(),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                item.as_str().ok_or_else(|| {
                    format!(
                        "`frontmatter.{name}` must be a list of strings, found {item}; {EXAMPLE}"
                    )
                })
            })
            .collect::<Result<_, _>>()?,
        other => {
            return Err(format!(
                "`frontmatter.{name}` must be a list of strings, found {other}; {EXAMPLE}"
            ));
        }
    };
    entries
        .into_iter()
        .map(|entry| {
            let entry = entry.trim();
            let lower = entry.to_ascii_lowercase();
            match lower.as_str() {
                "" => Err(format!(
                    "`frontmatter.{name}` has an empty entry; {SOURCES}"
                )),
                ":default" => Ok(DateSource::Default),
                ":filename" => Ok(DateSource::FileName),
                ":filemodtime" => Ok(DateSource::FileModTime),
                ":git" => Ok(DateSource::Git),
                _ if lower.starts_with(':') => Err(format!(
                    "`frontmatter.{name}` entry {entry:?} is not a source Hugo has; {SOURCES}"
                )),
                _ => Ok(DateSource::Key(lower)),
            }
        })
        .collect()
}

/// The date at the start of the file name of `path` (the bundle folder's for `index.md` and
/// `_index.md`) and the rest of the name, as Hugo's `:filename` reads them: the name without
/// its extension and without one more `.suffix` (`2018-01-10-v1.2.md` leaves `v1`, as in
/// Hugo). Hugo first strips a language suffix too when it is one of the site's languages
/// (`2018-01-03-p.q.en.md` leaves `p` there, `p.q` here); names with dots before a language
/// suffix are rare enough not to need the site's languages here. Its first ten characters must be a `YYYY-MM-DD` date (no other form is accepted);
/// the rest is trimmed of spaces, `-` and `_`.
fn file_name_date(path: &str) -> Option<(PostDate, &str)> {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let bundle = ["index", "_index"].contains(&stem)
        || stem.starts_with("index.")
        || stem.starts_with("_index.");
    // Hugo's base name: the name without its extension (a bundle folder has none), then
    // `paths.FileAndExt` strips one more.
    let base = if bundle { parts.next()? } else { stem };
    let base = base.rsplit_once('.').map_or(base, |(base, _)| base);
    let head = base.get(..10)?;
    let shape = head.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 => b == b'-',
        _ => b.is_ascii_digit(),
    });
    if !shape {
        return None;
    }
    let date = PostDate::parse(head)?;
    Some((date, base[10..].trim_matches([' ', '-', '_'])))
}

#[cfg(test)]
mod tests;
