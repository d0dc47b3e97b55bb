//! The `languages` table: each language's own settings, their order, and Hugo's checks on them.

use serde_json::{Map, Value};

use super::{Decoder, clean_path, get};
use crate::content::site::{Language, SiteConfig, SiteConfigError};

impl Decoder<'_> {
    /// The `languages` table, sorted as [`SiteConfig::languages`] says.
    pub(super) fn languages(
        &self,
        v: &Value,
        disabled: &[String],
    ) -> Result<Vec<Language>, SiteConfigError> {
        let Some(table) = self.table(v, &["languages"], "[languages.en] weight = 1")? else {
            return Ok(Vec::new());
        };
        let mut languages = table
            .iter()
            .map(|(code, settings)| self.language(code, settings, disabled))
            .collect::<Result<Vec<_>, _>>()?;
        languages.sort_by(|a, b| {
            (a.weight == 0, a.weight, &a.code).cmp(&(b.weight == 0, b.weight, &b.code))
        });
        Ok(languages)
    }

    fn language(
        &self,
        code: &str,
        v: &Value,
        disabled: &[String],
    ) -> Result<Language, SiteConfigError> {
        let path = |key: &'static str| ["languages", code, key];
        let empty = Map::new();
        let table = self
            .table(v, &["languages", code], "weight = 1")?
            .unwrap_or(&empty);
        let (permalinks, section_permalinks) = match table.get("permalinks") {
            Some(v) => {
                let (pages, sections) = self.permalinks(v, &path("permalinks"))?;
                (Some(pages), Some(sections))
            }
            None => (None, None),
        };
        let (ugly_urls, ugly_url_sections) = match get(table, "uglyurls") {
            Some(v) => {
                let (all, sections) = self.ugly_urls(v, &path("uglyurls"))?;
                (Some(all), Some(sections))
            }
            None => (None, None),
        };
        let text = |key| {
            get(table, key)
                .map(|v| self.string(v, &path(key)))
                .transpose()
        };
        Ok(Language {
            code: code.to_owned(),
            content_dir: text("contentdir")?.map(|dir| clean_path(&dir)),
            weight: get(table, "weight")
                .map(|v| self.int(v, &path("weight")))
                .transpose()?
                .unwrap_or(0),
            disabled: get(table, "disabled")
                .map(|v| self.bool(v, &path("disabled")))
                .transpose()?
                .unwrap_or(false)
                || disabled.iter().any(|d| d.eq_ignore_ascii_case(code)),
            title: text("title")?,
            language_name: text("languagename")?,
            base_url: match get(table, "baseurl") {
                Some(v) => self.base_url(v, &path("baseurl"))?.0,
                None => None,
            },
            permalinks,
            section_permalinks,
            taxonomies: table
                .get("taxonomies")
                .map(|v| self.taxonomies(v, &path("taxonomies")))
                .transpose()?,
            ugly_urls,
            ugly_url_sections,
            summary_length: get(table, "summarylength")
                .map(|v| self.count(v, &path("summarylength")))
                .transpose()?,
        })
    }

    /// Hugo's checks once languages are read: the default language is one of them and is not
    /// in `disableLanguages`; with two or more languages, `baseURL` is set on all or none, and
    /// when on all the default language is in a subfolder too.
    pub(super) fn check_languages(
        &self,
        config: &mut SiteConfig,
        merged: &Map<String, Value>,
        disabled: &[String],
    ) -> Result<(), SiteConfigError> {
        if config.languages.is_empty() {
            return Ok(());
        }
        let default = config.default_language.as_str();
        let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        let default_path: &[&str] = if get(merged, "defaultcontentlanguage").is_some() {
            &["defaultcontentlanguage"]
        } else {
            &["languages"]
        };
        if !codes.contains(&default) {
            return Err(SiteConfigError::Setting {
                file: self.origin(default_path).to_owned(),
                key: "defaultContentLanguage".to_owned(),
                problem: format!(
                    "is `{default}`, which is not in `languages` ({}): add `[languages.{default}]` or set `defaultContentLanguage` to one of them",
                    codes.join(", ")
                ),
            });
        }
        if disabled.iter().any(|d| d.eq_ignore_ascii_case(default)) {
            return Err(self.fail(
                &["disablelanguages"],
                format!("lists `{default}`, the default language: remove it, or change `defaultContentLanguage`"),
            ));
        }
        let local_base = |l: &&Language| {
            merged
                .get("languages")
                .and_then(|v| v.get(&l.code))
                .and_then(|v| get(v.as_object()?, "baseurl"))
                .is_some()
        };
        if config.languages.len() > 1 && config.languages.iter().any(|l| local_base(&l)) {
            if let Some(missing) = config.languages.iter().find(|l| !local_base(l)) {
                return Err(self.fail(
                    &["languages", &missing.code],
                    "has no `baseURL` while another language has one: set `baseURL` on every language or on none".to_owned(),
                ));
            }
            config.default_language_in_subdir = true;
        }
        Ok(())
    }
}
