//! The layout of a site: where each language's content is, and the rules its URLs follow, from
//! the Hugo configuration found in the commit and the flags that override it.

use std::collections::BTreeMap;

use crate::content::{DateRules, Pattern, SiteConfig};
use crate::source::Site;

/// Where the pages of one language are.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LanguageRoot {
    pub(crate) code: String,
    /// Folder from the repository root, normalized (`""` for the whole tree).
    pub(crate) dir: String,
    /// First part of its URLs: `""` for the default language (unless the configuration puts it
    /// in a subfolder too), else the code.
    pub(crate) prefix: String,
    /// Order of the language in the configuration (weight, then code).
    pub(crate) weight: i64,
    /// Top-level section → pattern for its regular pages (the language's own `permalinks`,
    /// else the site's, with `--permalinks` over them).
    pub(crate) permalinks: BTreeMap<String, Pattern>,
    /// Top-level section → pattern for its section pages.
    pub(crate) section_permalinks: BTreeMap<String, Pattern>,
    /// `uglyURLs` for sections not in `ugly_sections`.
    pub(crate) ugly_urls: bool,
    /// `uglyURLs` given per top-level section.
    pub(crate) ugly_sections: BTreeMap<String, bool>,
}

impl LanguageRoot {
    /// Whether pages of top-level section `section` are published as `page.html`.
    pub(crate) fn ugly(&self, section: &str) -> bool {
        self.ugly_sections
            .get(section)
            .copied()
            .unwrap_or(self.ugly_urls)
    }
}

/// Everything that decides where a page is published.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    /// Languages, longest folder first (a page belongs to the first whose folder holds it).
    pub(crate) languages: Vec<LanguageRoot>,
    pub(crate) default_language: String,
    /// The configuration's files, from the repository root; empty without one.
    pub(crate) config_files: Vec<String>,
    /// Taxonomies of the site: plural (the front matter key) by singular.
    pub(crate) taxonomies: BTreeMap<String, String>,
    /// The configuration's `baseURL`.
    pub(crate) base_url: Option<url::Url>,
    /// The path of `baseURL` (`/`, or `/blog/` for a site published below a folder): every
    /// URL starts with it, as Hugo's `.RelPermalink`.
    pub(crate) base_path: String,
    /// How dates are read from front matter (the configuration's `[frontmatter]`); `None` for
    /// Hugo's defaults, which parsing applies already.
    pub(crate) date_rules: Option<DateRules>,
    /// The site's `title`, when the configuration has one.
    pub(crate) title: Option<String>,
    /// The configuration's `languageCode`.
    pub(crate) language_code: Option<String>,
    /// The configuration's `related` table, as written.
    pub(crate) related: Option<serde_json::Value>,
}

/// A permalink pattern of the configuration that is not valid: the section and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadPattern {
    pub(crate) file: String,
    pub(crate) message: String,
}

impl Layout {
    /// The layout of a commit whose posts are read from `root` (from the repository root), with
    /// the configuration `site` found in it, and the flags' `permalinks` and `ugly_urls` over it.
    pub(crate) fn new(
        root: &str,
        site: &Site,
        permalinks: &BTreeMap<String, Pattern>,
        ugly_urls: Option<bool>,
    ) -> (Layout, Vec<BadPattern>) {
        let defaults = SiteConfig::default();
        let config = site.config.as_ref().unwrap_or(&defaults);
        let config_files: Vec<String> = config.files.iter().map(|f| site.path(f)).collect();
        let shown = config_files.first().cloned().unwrap_or_default();
        let mut bad = Vec::new();
        let mut parse = |patterns: &BTreeMap<String, String>| -> BTreeMap<String, Pattern> {
            patterns
                .iter()
                .filter_map(|(section, text)| match Pattern::parse(text) {
                    Ok(p) => Some((section.clone(), p)),
                    Err(e) => {
                        bad.push(BadPattern {
                            file: shown.clone(),
                            message: format!(
                                "permalinks `{section}`: {e}; the default URLs are used for that section"
                            ),
                        });
                        None
                    }
                })
                .collect()
        };
        let site_pages = parse(&config.permalinks);
        let site_sections = parse(&config.section_permalinks);
        let default_dir = if site.config.is_some() {
            site.path(&config.content_dir)
        } else {
            // Without a configuration, `--root` is the content folder whatever its name.
            root.to_owned()
        };
        let prefix = |code: &str| {
            if code == config.default_language && !config.default_language_in_subdir {
                String::new()
            } else {
                code.to_owned()
            }
        };
        let base = LanguageRoot {
            code: config.default_language.clone(),
            dir: default_dir.clone(),
            prefix: prefix(&config.default_language),
            weight: 0,
            permalinks: site_pages.clone(),
            section_permalinks: site_sections.clone(),
            ugly_urls: config.ugly_urls,
            ugly_sections: config.ugly_url_sections.clone(),
        };
        let mut languages: Vec<LanguageRoot> = if config.languages.is_empty() {
            vec![base]
        } else {
            let mut languages = Vec::new();
            for l in config.languages.iter().filter(|l| !l.disabled) {
                languages.push(LanguageRoot {
                    code: l.code.clone(),
                    dir: l
                        .content_dir
                        .as_deref()
                        .map_or_else(|| default_dir.clone(), |d| site.path(d)),
                    prefix: prefix(&l.code),
                    weight: l.weight,
                    permalinks: l
                        .permalinks
                        .as_ref()
                        .map_or_else(|| site_pages.clone(), &mut parse),
                    section_permalinks: l
                        .section_permalinks
                        .as_ref()
                        .map_or_else(|| site_sections.clone(), &mut parse),
                    ugly_urls: l.ugly_urls.unwrap_or(config.ugly_urls),
                    ugly_sections: l
                        .ugly_url_sections
                        .clone()
                        .unwrap_or_else(|| config.ugly_url_sections.clone()),
                });
            }
            languages
        };
        for language in &mut languages {
            language
                .permalinks
                .extend(permalinks.iter().map(|(s, p)| (s.clone(), p.clone())));
            if let Some(ugly) = ugly_urls {
                language.ugly_urls = ugly;
                language.ugly_sections.clear();
            }
        }
        // Longest folder first; among languages sharing a folder, the default one first: a
        // file without a language in its name is the default language's (as in Hugo).
        let default = config.default_language.clone();
        languages.sort_by(|a, b| {
            b.dir
                .len()
                .cmp(&a.dir.len())
                .then((a.code != default).cmp(&(b.code != default)))
                .then(a.weight.cmp(&b.weight))
                .then(a.code.cmp(&b.code))
        });
        let date_rules = config.front_matter_dates.as_ref().and_then(|table| {
            DateRules::from_config(table)
                .inspect_err(|e| {
                    bad.push(BadPattern {
                        file: shown.clone(),
                        message: format!("{e}; Hugo's default dates are used"),
                    });
                })
                .ok()
        });
        let layout = Layout {
            languages,
            default_language: config.default_language.clone(),
            config_files,
            taxonomies: config.taxonomies.clone(),
            base_url: config.base_url.clone(),
            base_path: config.base_path.clone(),
            title: config.title.clone(),
            date_rules,
            language_code: config.language_code.clone(),
            related: config.related.clone(),
        };
        (layout, bad)
    }

    /// The content folder of language `code`, from the repository root.
    pub(crate) fn content_dir(&self, code: &str) -> Option<&str> {
        self.languages
            .iter()
            .find(|l| l.code == code)
            .map(|l| l.dir.as_str())
    }

    /// A root-relative `url` below the site's base path (`/posts/a/` becomes `/blog/posts/a/`).
    pub(crate) fn under_base(&self, url: &str) -> String {
        // One leading slash: `//host/` would send every URL to another site.
        let base = self.base_path.trim_start_matches('/').trim_end_matches('/');
        let base = if base.is_empty() {
            String::new()
        } else {
            format!("/{base}")
        };
        if base.is_empty() {
            url.to_owned()
        } else {
            format!("{base}{url}")
        }
    }

    /// The language a file belongs to and its path under that language's folder; `None` for a
    /// file outside every language's folder (Hugo does not read it). A file named for another
    /// language of the site (`post.fr.md`) belongs to that language.
    pub(crate) fn locate<'p>(&self, path: &'p str) -> Option<(&LanguageRoot, &'p str)> {
        let (root, relative) = self.languages.iter().find_map(|l| {
            if l.dir.is_empty() {
                Some((l, path))
            } else {
                path.strip_prefix(l.dir.as_str())
                    .and_then(|rest| rest.strip_prefix('/'))
                    .map(|rest| (l, rest))
            }
        })?;
        let language = self
            .name_language(relative)
            .and_then(|code| self.languages.iter().find(|l| l.code == code))
            .unwrap_or(root);
        Some((language, relative))
    }

    /// The language code in a file's name (`post.fr.md`, `_index.fr.md`), when the site has
    /// that language.
    pub(crate) fn name_language<'p>(&self, path: &'p str) -> Option<&'p str> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let mut parts = name.rsplit('.');
        let _extension = parts.next()?;
        let code = parts.next()?;
        parts.next()?;
        self.languages
            .iter()
            .any(|l| l.code.eq_ignore_ascii_case(code))
            .then_some(code)
    }

    /// The language of the site's order (by weight) at position `i`, for translations.
    pub(crate) fn language_order(&self, code: &str) -> (i64, String) {
        let weight = self
            .languages
            .iter()
            .find(|l| l.code == code)
            .map_or(0, |l| l.weight);
        (weight, code.to_owned())
    }
}
