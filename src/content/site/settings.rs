//! From the merged configuration tree (keys lowercased) to [`SiteConfig`]: Hugo's defaults,
//! its lenient casts (`"true"` is true, `"12"` is 12, `12` is the text "12"), and its checks
//! on languages. Errors name the last file that set the offending key.

mod languages;

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use url::Url;

use super::{Layer, SiteConfig, SiteConfigError};

/// Section → permalink pattern.
type Patterns = BTreeMap<String, String>;

/// Hugo's taxonomies when the site sets none.
pub(super) fn default_taxonomies() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("category".to_owned(), "categories".to_owned()),
        ("tag".to_owned(), "tags".to_owned()),
    ])
}

/// The settings of the merged tree `merged`, made of `layers` in merge order.
pub(super) fn decode(
    merged: &Map<String, Value>,
    layers: &[Layer],
) -> Result<SiteConfig, SiteConfigError> {
    let d = Decoder { layers };
    let mut config = SiteConfig {
        files: layers.iter().map(|layer| layer.file.clone()).collect(),
        ..SiteConfig::default()
    };
    if let Some(v) = get(merged, "contentdir") {
        config.content_dir = clean_path(&d.string(v, &["contentdir"])?);
    }
    config.static_dirs = d.static_dirs(merged)?;
    config.static_dir.clone_from(&config.static_dirs[0]);
    if let Some(v) = get(merged, "baseurl") {
        (config.base_url, config.base_path) = d.base_url(v, &["baseurl"])?;
    }
    if let Some(v) = merged.get("permalinks") {
        (config.permalinks, config.section_permalinks) = d.permalinks(v, &["permalinks"])?;
    }
    if let Some(v) = merged.get("taxonomies") {
        config.taxonomies = d.taxonomies(v, &["taxonomies"])?;
    }
    if let Some(v) = get(merged, "defaultcontentlanguage") {
        let code = d.string(v, &["defaultcontentlanguage"])?.to_lowercase();
        if !code.is_empty() {
            config.default_language = code;
        }
    }
    if let Some(v) = get(merged, "defaultcontentlanguageinsubdir") {
        config.default_language_in_subdir = d.bool(v, &["defaultcontentlanguageinsubdir"])?;
    }
    if let Some(v) = get(merged, "uglyurls") {
        (config.ugly_urls, config.ugly_url_sections) = d.ugly_urls(v, &["uglyurls"])?;
    }
    if let Some(v) = get(merged, "title") {
        config.title = Some(d.string(v, &["title"])?).filter(|t| !t.trim().is_empty());
    }
    if let Some(v) = get(merged, "languagecode") {
        config.language_code = Some(d.string(v, &["languagecode"])?).filter(|t| !t.is_empty());
    }
    if let Some(v) = get(merged, "summarylength") {
        config.summary_length = Some(d.count(v, &["summarylength"])?);
    }
    config.related = get(merged, "related").cloned();
    config.front_matter_dates = get(merged, "frontmatter").cloned();
    if let Some(v) = get(merged, "languages") {
        let disabled = match get(merged, "disablelanguages") {
            Some(v) => d.strings(v, &["disablelanguages"], true)?,
            None => Vec::new(),
        };
        config.languages = d.languages(v, &disabled)?;
        d.check_languages(&mut config, merged, &disabled)?;
    }
    Ok(config)
}

/// The value of `key`, unless it is missing or null (an empty YAML value counts as unset).
fn get<'a>(table: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    table.get(key).filter(|v| !v.is_null())
}

/// Reads values, and names the file that set a bad one.
struct Decoder<'a> {
    layers: &'a [Layer],
}

impl Decoder<'_> {
    /// The last file (in merge order) that set the key at `path`.
    fn origin(&self, path: &[&str]) -> &str {
        self.layers
            .iter()
            .rev()
            .find(|layer| sets(&layer.map, path))
            .or(self.layers.last())
            .map_or("", |layer| layer.file.as_str())
    }

    fn fail(&self, path: &[&str], problem: String) -> SiteConfigError {
        SiteConfigError::Setting {
            file: self.origin(path).to_owned(),
            key: display(path),
            problem,
        }
    }

    fn string(&self, v: &Value, path: &[&str]) -> Result<String, SiteConfigError> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            _ => Err(self.fail(path, format!("must be a text, found {}", kind(v)))),
        }
    }

    /// A list of texts; a single text is a list of one (or, with `split`, of its words).
    fn strings(
        &self,
        v: &Value,
        path: &[&str],
        split: bool,
    ) -> Result<Vec<String>, SiteConfigError> {
        match v {
            Value::Array(items) => items.iter().map(|item| self.string(item, path)).collect(),
            Value::String(s) if split => Ok(s.split_whitespace().map(str::to_owned).collect()),
            _ => Ok(vec![self.string(v, path)?]),
        }
    }

    fn bool(&self, v: &Value, path: &[&str]) -> Result<bool, SiteConfigError> {
        let parsed = match v {
            Value::Bool(b) => Some(*b),
            Value::Number(n) => n.as_f64().map(|f| f != 0.0),
            Value::String(s) => match s.as_str() {
                "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
                "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
                _ => None,
            },
            _ => None,
        };
        parsed.ok_or_else(|| self.fail(path, format!("must be true or false, found {}", kind(v))))
    }

    fn int(&self, v: &Value, path: &[&str]) -> Result<i64, SiteConfigError> {
        let parsed = match v {
            Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64)),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        parsed.ok_or_else(|| self.fail(path, format!("must be a whole number, found {}", kind(v))))
    }

    fn count(&self, v: &Value, path: &[&str]) -> Result<usize, SiteConfigError> {
        let n = self.int(v, path)?;
        usize::try_from(n).map_err(|_| self.fail(path, format!("must be 0 or more, found {n}")))
    }

    fn table<'v>(
        &self,
        v: &'v Value,
        path: &[&str],
        example: &str,
    ) -> Result<Option<&'v Map<String, Value>>, SiteConfigError> {
        match v {
            Value::Object(table) => Ok(Some(table)),
            Value::Null => Ok(None),
            _ => Err(self.fail(
                path,
                format!("must be a table such as `{example}`, found {}", kind(v)),
            )),
        }
    }

    /// `staticDir` (a text or a list), then `staticDir0` to `staticDir10`, as Hugo mounts them.
    fn static_dirs(&self, merged: &Map<String, Value>) -> Result<Vec<String>, SiteConfigError> {
        let keys = std::iter::once("staticdir".to_owned())
            .chain((0..=10).map(|i| format!("staticdir{i}")));
        let mut dirs = Vec::new();
        for key in keys {
            if let Some(v) = get(merged, &key) {
                let found = self.strings(v, &[key.as_str()], false)?;
                dirs.extend(found.iter().map(|dir| clean_path(dir)));
            }
        }
        if dirs.is_empty() {
            dirs.push("static".to_owned());
        }
        Ok(dirs)
    }

    /// An absolute `baseURL` with its path ending in `/`, and that path; a path alone (`/`,
    /// `/blog/`) gives no URL. Go accepts `example.org/blog` as a path and builds broken links
    /// from it; here it is an error, since it is always a missing `https://`.
    fn base_url(&self, v: &Value, path: &[&str]) -> Result<(Option<Url>, String), SiteConfigError> {
        let text = self.string(v, path)?;
        let text = text.trim();
        if text.is_empty() {
            return Ok((None, "/".to_owned()));
        }
        match Url::parse(text) {
            Ok(url) if url.cannot_be_a_base() => Err(self.fail(
                path,
                format!("is `{text}`, which cannot start a link: write a web address such as `https://example.org/`"),
            )),
            Ok(mut url) => {
                let with_slash = with_trailing_slash(url.path());
                url.set_path(&with_slash);
                Ok((Some(url), with_slash))
            }
            Err(url::ParseError::RelativeUrlWithoutBase)
                if text.starts_with('/') && !text.starts_with("//") =>
            {
                let parsed = Url::parse("http://base.invalid")
                    .and_then(|base| base.join(text))
                    .map_err(|err| self.fail(path, format!("is `{text}`, not a path: {err}")))?;
                Ok((None, with_trailing_slash(parsed.path())))
            }
            Err(url::ParseError::RelativeUrlWithoutBase) => Err(self.fail(
                path,
                format!(
                    "is `{text}`, which has no scheme: write it in full, such as `https://{}`",
                    text.trim_start_matches('/')
                ),
            )),
            Err(err) => Err(self.fail(
                path,
                format!("is `{text}`, which is not a URL ({err}): write one such as `https://example.org/`"),
            )),
        }
    }

    /// Hugo 0.111's `section = "pattern"` entries and newer Hugo's `[permalinks.page]` into the
    /// first map, `[permalinks.section]` into the second. Newer `taxonomy` and `term` tables
    /// are skipped: they shape taxonomy pages, which Quire does not serve.
    fn permalinks(
        &self,
        v: &Value,
        path: &[&str],
    ) -> Result<(Patterns, Patterns), SiteConfigError> {
        let mut pages = BTreeMap::new();
        let mut sections = BTreeMap::new();
        let Some(table) = self.table(v, path, "posts = \"/:year/:slug/\"")? else {
            return Ok((pages, sections));
        };
        for (key, value) in table {
            let here = [path, &[key.as_str()]].concat();
            let into = match (key.as_str(), value) {
                (_, Value::String(pattern)) => {
                    pages.insert(section_key(key), pattern.clone());
                    continue;
                }
                ("page", Value::Object(_)) => &mut pages,
                ("section", Value::Object(_)) => &mut sections,
                ("taxonomy" | "term", Value::Object(_)) => continue,
                (_, Value::Object(_)) => {
                    return Err(self.fail(
                        &here,
                        "is a table, but only `page`, `section`, `taxonomy` and `term` may be: write `section = \"/pattern/\"`".to_owned(),
                    ));
                }
                _ => {
                    return Err(self.fail(
                        &here,
                        format!(
                            "must be a pattern such as \"/:year/:slug/\", found {}",
                            kind(value)
                        ),
                    ));
                }
            };
            for (section, pattern) in value.as_object().into_iter().flatten() {
                let there = [here.as_slice(), &[section.as_str()]].concat();
                match pattern {
                    Value::String(pattern) => {
                        into.insert(section_key(section), pattern.clone());
                    }
                    _ => {
                        return Err(self.fail(
                            &there,
                            format!(
                                "must be a pattern such as \"/:year/:slug/\", found {}",
                                kind(pattern)
                            ),
                        ));
                    }
                }
            }
        }
        Ok((pages, sections))
    }

    /// `singular = "plural"`; null or an empty table means no taxonomies.
    fn taxonomies(
        &self,
        v: &Value,
        path: &[&str],
    ) -> Result<BTreeMap<String, String>, SiteConfigError> {
        let Some(table) = self.table(v, path, "tag = \"tags\"")? else {
            return Ok(BTreeMap::new());
        };
        table
            .iter()
            .map(|(singular, plural)| {
                let here = [path, &[singular.as_str()]].concat();
                Ok((singular.clone(), self.string(plural, &here)?))
            })
            .collect()
    }

    /// `true`/`false` for the whole site, or a table of section → bool.
    fn ugly_urls(
        &self,
        v: &Value,
        path: &[&str],
    ) -> Result<(bool, BTreeMap<String, bool>), SiteConfigError> {
        let Value::Object(table) = v else {
            return Ok((self.bool(v, path)?, BTreeMap::new()));
        };
        let sections = table
            .iter()
            .map(|(section, ugly)| {
                let here = [path, &[section.as_str()]].concat();
                Ok((section.clone(), self.bool(ugly, &here)?))
            })
            .collect::<Result<_, SiteConfigError>>()?;
        Ok((false, sections))
    }
}

/// Whether `table` sets the key at `path` (or replaces one of its parents with a plain value).
fn sets(table: &Map<String, Value>, path: &[&str]) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return true;
    };
    match table.get(*first) {
        None => false,
        Some(Value::Object(inner)) => sets(inner, rest),
        Some(_) => true,
    }
}

/// `path` with Hugo's spelling of the keys it knows (`baseurl` is `baseURL`).
fn display(path: &[&str]) -> String {
    const SPELLINGS: [&str; 13] = [
        "baseURL",
        "contentDir",
        "staticDir",
        "uglyURLs",
        "summaryLength",
        "defaultContentLanguage",
        "defaultContentLanguageInSubdir",
        "disableLanguages",
        "languageName",
        "languages",
        "permalinks",
        "taxonomies",
        "weight",
    ];
    path.iter()
        .map(|key| {
            let (stem, number) =
                key.split_at(key.trim_end_matches(|c: char| c.is_ascii_digit()).len());
            let spelled = SPELLINGS
                .iter()
                .find(|s| s.eq_ignore_ascii_case(stem))
                .map_or(*key, |s| s);
            if spelled == *key {
                (*key).to_owned()
            } else {
                format!("{spelled}{number}")
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// What kind of value `v` is, for error messages.
fn kind(v: &Value) -> String {
    match v {
        Value::Null => "nothing".to_owned(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("`{n}`"),
        Value::String(s) => format!("\"{s}\""),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a table".to_owned(),
    }
}

/// A permalink key as Hugo matches it against sections: without surrounding `/` and spaces.
fn section_key(key: &str) -> String {
    key.trim_matches([' ', '/']).to_owned()
}

fn with_trailing_slash(path: &str) -> String {
    if path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    }
}

/// A folder path cleaned as Go's `filepath.Clean` does: no `.` parts, no empty parts, `..`
/// resolved where it can be, no trailing `/`; `.` when nothing is left.
pub(super) fn clean_path(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            ".." if rooted => {}
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}
