//! The site's configuration, read as Hugo 0.111 reads it, from the bytes of its files: one root
//! file (`hugo.toml`, `hugo.yaml`, `hugo.yml`, `hugo.json`, then the same names with `config`;
//! only the first that exists is read), then every file under `config/_default/`, walked in
//! name order, each merged over what came before. Keys are lowercased, as Hugo does, so
//! `baseURL` and `baseurl` are one key. Nothing here reads git: the caller hands in the files.
//!
//! Merging is deep for tables and last-wins for everything else: `[params]` in two files
//! combine, `title` in both keeps the later one. In the config folder, `hugo.*` and `config.*`
//! are merged at the root, `params.toml` becomes `params`, and a language-suffixed file
//! (`menus.en.toml`, `params.fr.yaml`) goes under `languages.<code>` (menus and params under
//! their own key there, any other name directly as the language's table, as in Hugo).
//! Environments other than `_default`, themes and modules, and `HUGO_*` variables are not read.

mod settings;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::front_matter::{strip_position, toml_to_json, yaml_message, yaml_options};

/// The root files Hugo 0.111 looks for, in the order it looks: only the first found is read.
const ROOT_FILES: [&str; 8] = [
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];

/// The folder whose files Hugo merges over the root file, in every environment.
const CONFIG_DIR: &str = "config/_default/";

/// Which files of a site folder are configuration: `hugo.toml|yaml|yml|json`,
/// `config.toml|yaml|yml|json`, and every `.toml|.yaml|.yml|.json` file under `config/_default/`
/// (and only there: environments other than _default are not read). `path` is relative to the
/// site folder. A `config.toml` next to a `hugo.toml` is a config file though [`read`] skips it.
pub(crate) fn is_config_file(path: &str) -> bool {
    ROOT_FILES.contains(&path)
        || path
            .strip_prefix(CONFIG_DIR)
            .is_some_and(|rest| format_of(rest).is_some())
}

/// The site's settings that Quire uses. Keys are case-insensitive as in Hugo (`baseURL`,
/// `baseurl`). Settings a language may override are repeated, as options, on [`Language`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SiteConfig {
    /// The files read, in the order they were merged (for `revision` and logs).
    pub(crate) files: Vec<String>,
    /// `contentDir`, cleaned like a path (`content/` is `content`); default `content`.
    pub(crate) content_dir: String,
    /// The first of [`static_dirs`](Self::static_dirs); default `static`.
    pub(crate) static_dir: String,
    /// Every static folder: `staticDir` (a text or a list), then `staticDir0` to `staticDir10`.
    /// Hugo mounts them all; on a file in two of them, the later folder wins.
    pub(crate) static_dirs: Vec<String>,
    /// `baseURL` when it is absolute, its path always ending in `/` (Hugo builds the same links
    /// from `https://example.org/blog` and `https://example.org/blog/`). `None` when it is
    /// empty or only a path such as `/` or `/blog/`.
    pub(crate) base_url: Option<url::Url>,
    /// The path of `baseURL`, starting and ending with `/`: the prefix of every relative
    /// permalink (`/blog/` for `https://example.org/blog`); `/` by default.
    pub(crate) base_path: String,
    /// `permalinks`: section → pattern text, for regular pages (Hugo 0.111 form
    /// `posts = "/:year/:slug/"`; the newer `[permalinks.page]` table is read into this and
    /// `[permalinks.section]` into [`section_permalinks`](Self::section_permalinks)). Section
    /// keys lose leading and trailing `/` and spaces as in Hugo, so `/` becomes ``.
    pub(crate) permalinks: BTreeMap<String, String>,
    /// `[permalinks.section]` of newer Hugo: section → pattern for the section's own page.
    pub(crate) section_permalinks: BTreeMap<String, String>,
    /// `taxonomies`: singular → plural, default Hugo's {category: categories, tag: tags}; an
    /// empty table means none. A `[taxonomies]` table replaces the defaults, it does not add.
    pub(crate) taxonomies: BTreeMap<String, String>,
    /// `defaultContentLanguage`, lowercased; default `en`.
    pub(crate) default_language: String,
    /// `defaultContentLanguageInSubdir`; always true when languages have their own `baseURL`.
    pub(crate) default_language_in_subdir: bool,
    /// `languages`, sorted by weight, then code; weight 0 (unset) after every weighted one.
    /// Empty when the site has no `languages` table. Disabled ones are kept, marked.
    pub(crate) languages: Vec<Language>,
    /// `uglyURLs = true`: `/posts/x.html` instead of `/posts/x/`. With the table form
    /// (`[uglyURLs] posts = true`) this is false and the table is in `ugly_url_sections`.
    pub(crate) ugly_urls: bool,
    /// `[uglyURLs]` as a table, section → ugly or not; a section listed here overrides
    /// [`ugly_urls`](Self::ugly_urls).
    pub(crate) ugly_url_sections: BTreeMap<String, bool>,
    /// `summaryLength` in words when set; Hugo's default is 70.
    pub(crate) summary_length: Option<usize>,
    /// `title`: the site's title (feeds are named after it).
    pub(crate) title: Option<String>,
    /// `languageCode` (`en-us`): the language feeds declare.
    pub(crate) language_code: Option<String>,
    /// The `related` table as written, keys lowercased (another module interprets it).
    pub(crate) related: Option<Value>,
    /// `[frontmatter]` date configuration as written, keys lowercased (another issue
    /// interprets it).
    pub(crate) front_matter_dates: Option<Value>,
}

/// One entry of `languages`. The options are per-language settings: `None` means the site's
/// own setting applies; `Some` replaces it whole (a language's `[permalinks]` table is not
/// merged with the site's, as in Hugo).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Language {
    /// The table's key, lowercased as Hugo does (`[languages.en-US]` is `en-us`).
    pub(crate) code: String,
    /// `contentDir`, cleaned; `None` means the site's `contentDir`.
    pub(crate) content_dir: Option<String>,
    /// `weight`; 0 when unset.
    pub(crate) weight: i64,
    /// `disabled = true`, or the code is listed in the site's `disableLanguages`.
    pub(crate) disabled: bool,
    /// `title`: the site's title in this language.
    pub(crate) title: Option<String>,
    /// `languageName`, such as `Français`.
    pub(crate) language_name: Option<String>,
    /// `baseURL` of this language (Hugo's multihost mode), when absolute.
    pub(crate) base_url: Option<url::Url>,
    /// `permalinks` of this language, pages part.
    pub(crate) permalinks: Option<BTreeMap<String, String>>,
    /// `permalinks` of this language, sections part; `Some` exactly when `permalinks` is.
    pub(crate) section_permalinks: Option<BTreeMap<String, String>>,
    /// `taxonomies` of this language.
    pub(crate) taxonomies: Option<BTreeMap<String, String>>,
    /// `uglyURLs` of this language; `Some` exactly when `ugly_url_sections` is.
    pub(crate) ugly_urls: Option<bool>,
    /// `uglyURLs` of this language in the table form.
    pub(crate) ugly_url_sections: Option<BTreeMap<String, bool>>,
    /// `summaryLength` of this language.
    pub(crate) summary_length: Option<usize>,
}

impl Default for SiteConfig {
    /// Hugo's defaults, for a site with an empty configuration file.
    fn default() -> Self {
        SiteConfig {
            files: Vec::new(),
            content_dir: "content".to_owned(),
            static_dir: "static".to_owned(),
            static_dirs: vec!["static".to_owned()],
            base_url: None,
            base_path: "/".to_owned(),
            permalinks: BTreeMap::new(),
            section_permalinks: BTreeMap::new(),
            taxonomies: settings::default_taxonomies(),
            default_language: "en".to_owned(),
            default_language_in_subdir: false,
            languages: Vec::new(),
            ugly_urls: false,
            ugly_url_sections: BTreeMap::new(),
            summary_length: None,
            title: None,
            language_code: None,
            related: None,
            front_matter_dates: None,
        }
    }
}

/// Why the configuration could not be read. Each names the file to fix.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SiteConfigError {
    /// A file is not UTF-8 text, or its TOML, YAML or JSON does not parse.
    #[error("{file}{}: {message}", at_line(*.line))]
    Syntax {
        file: String,
        line: Option<usize>,
        message: String,
    },
    /// A setting has a value Hugo cannot use; `file` is the last file that set it.
    #[error("{file}: `{key}` {problem}")]
    Setting {
        file: String,
        key: String,
        problem: String,
    },
}

fn at_line(line: Option<usize>) -> String {
    line.map(|l| format!(" line {l}")).unwrap_or_default()
}

/// Reads and merges the configuration files (`(path relative to the site folder, bytes)`, any
/// order; files that are not configuration are skipped). `Ok(None)` when none is a config file.
///
/// # Errors
/// When a file read does not parse (naming the file and line), or a setting has a value of the
/// wrong kind, a `baseURL` that is not a URL, or `defaultContentLanguage` missing from
/// `languages` (naming the file that set it).
pub(crate) fn read(files: &[(String, Vec<u8>)]) -> Result<Option<SiteConfig>, SiteConfigError> {
    let root = ROOT_FILES
        .iter()
        .find_map(|name| files.iter().find(|(path, _)| path == name));
    let mut folder: Vec<&(String, Vec<u8>)> = files
        .iter()
        .filter(|(path, _)| path.starts_with(CONFIG_DIR) && is_config_file(path))
        .collect();
    folder.sort_by(|a, b| walk_order(&a.0, &b.0));
    folder.dedup_by(|a, b| a.0 == b.0);

    let mut layers = Vec::new();
    if let Some((path, bytes)) = root {
        layers.push(Layer {
            file: path.clone(),
            map: parse(path, bytes)?,
        });
    }
    for (path, bytes) in folder {
        let map = parse(path, bytes)?;
        layers.push(Layer {
            file: path.clone(),
            map: place(&path[CONFIG_DIR.len()..], map),
        });
    }
    if layers.is_empty() {
        return Ok(None);
    }
    let mut merged = Map::new();
    for layer in &layers {
        merge(&mut merged, layer.map.clone());
    }
    settings::decode(&merged, &layers).map(Some)
}

/// One file read, its keys lowercased and placed where Hugo puts them in the merged tree.
struct Layer {
    file: String,
    map: Map<String, Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Toml,
    Yaml,
    Json,
}

/// The format of a config file by its extension, compared case-insensitively as Hugo does.
fn format_of(path: &str) -> Option<Format> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (_, extension) = name.rsplit_once('.')?;
    match extension.to_ascii_lowercase().as_str() {
        "toml" => Some(Format::Toml),
        "yaml" | "yml" => Some(Format::Yaml),
        "json" => Some(Format::Json),
        _ => None,
    }
}

/// The order in which Go's `filepath.Walk` visits files: by name within each folder, a
/// subfolder's files where the subfolder's name falls (`sub/x.toml` before `sub-a.toml`).
fn walk_order(a: &str, b: &str) -> Ordering {
    a.split('/').cmp(b.split('/'))
}

/// Parses one file into a table with lowercased keys.
fn parse(path: &str, bytes: &[u8]) -> Result<Map<String, Value>, SiteConfigError> {
    let syntax = |line: Option<usize>, message: String| SiteConfigError::Syntax {
        file: path.to_owned(),
        line,
        message,
    };
    let text = std::str::from_utf8(bytes)
        .map_err(|_| syntax(None, "is not UTF-8 text: save it as UTF-8".to_owned()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    let format = format_of(path).unwrap_or(Format::Toml);
    let value = match format {
        Format::Toml => {
            let table: toml::Table = toml::from_str(text).map_err(|err| {
                let line = err
                    .span()
                    .map(|s| text[..s.start].matches('\n').count() + 1);
                syntax(line, format!("TOML: {}", err.message().trim_end()))
            })?;
            toml_to_json(toml::Value::Table(table))
        }
        Format::Yaml => serde_saphyr::from_str_with_options::<Value>(text, yaml_options())
            .map_err(|err| {
                let line = err.location().map(|l| l.line() as usize);
                syntax(line, format!("YAML: {}", yaml_message(&err)))
            })?,
        Format::Json => serde_json::from_str::<Value>(text).map_err(|err| {
            let message = format!("JSON: {}", strip_position(&err.to_string()));
            syntax(Some(err.line()), message)
        })?,
    };
    match lowercase_keys(value) {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err(syntax(
            None,
            "must be a table of settings (`key = value` lines), not a single value or a list"
                .to_owned(),
        )),
    }
}

/// Lowercases the keys of every table, as Hugo does; lists are left as they are. Of two keys
/// that differ only in case, the later one wins.
fn lowercase_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k.to_lowercase(), lowercase_keys(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Where a file of `config/_default/` goes (`name` is its path inside that folder): `hugo.*` and
/// `config.*` at the root, `params.toml` under `params`, `menus.en.toml` under
/// `languages.en.menus`, `params.fr.toml` under `languages.fr.params`, `other.de.toml` as
/// `languages.de` itself.
fn place(name: &str, map: Map<String, Value>) -> Map<String, Value> {
    let file = name.rsplit('/').next().unwrap_or(name);
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    if stem == "hugo" || stem == "config" {
        return map;
    }
    let path: Vec<String> = match stem.rsplit_once('.') {
        Some((key, language)) if !language.is_empty() => {
            let mut path = vec!["languages".to_owned(), language.to_lowercase()];
            match key.to_lowercase().as_str() {
                "menu" | "menus" => path.push("menus".to_owned()),
                "params" => path.push("params".to_owned()),
                _ => {}
            }
            path
        }
        _ => vec![stem.to_lowercase()],
    };
    let mut value = Value::Object(map);
    for key in path.into_iter().rev() {
        value = Value::Object(Map::from_iter([(key, value)]));
    }
    match value {
        Value::Object(map) => map,
        _ => unreachable!("built from a table"),
    }
}

/// Merges `from` over `into`: tables are merged key by key, anything else replaces.
fn merge(into: &mut Map<String, Value>, from: Map<String, Value>) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(Value::Object(old)), Value::Object(new)) => merge(old, new),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}
