//! The site of a snapshot: every page and section by URL, by alias and by path, and the
//! translations of each page.

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt as _};

use super::layout::Layout;
use super::placement::{Placed, Section, file_name};

/// What a URL names.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    Page(Arc<Placed>),
    /// A position in [`SiteIndex::sections`].
    Section(usize),
}

/// The pages and sections of a snapshot, by URL, alias and path.
#[derive(Debug)]
pub(crate) struct SiteIndex {
    pub(crate) layout: Layout,
    /// Every served regular page, listed or not, by path from the repository root.
    pub(crate) pages: HashMap<String, Arc<Placed>>,
    /// Sections, each language's home page first, parents before children.
    pub(crate) sections: Vec<Section>,
    by_url: HashMap<String, Target>,
    /// Alias (as a [`url_key`]) → the page or section it redirects to.
    aliases: HashMap<String, Target>,
    /// Translation key → pages in the site's language order.
    translations: HashMap<String, Vec<Arc<Placed>>>,
    /// A section's `_index.md` path → its position.
    section_files: HashMap<String, usize>,
}

impl SiteIndex {
    pub(crate) fn build(layout: Layout, pages: Vec<Arc<Placed>>, sections: Vec<Section>) -> Self {
        let mut by_url = HashMap::with_capacity(pages.len() + sections.len());
        let mut aliases = HashMap::new();
        let mut translations: HashMap<String, Vec<Arc<Placed>>> = HashMap::new();
        let mut section_files = HashMap::new();
        for (i, section) in sections.iter().enumerate() {
            if let Some(page) = &section.page {
                section_files.insert(page.path.clone(), i);
            }
            if let Some(url) = &section.url {
                by_url.insert(url_key(url), Target::Section(i));
                if let Some(page) = &section.page {
                    add_aliases(&mut aliases, (page, &layout), url, &Target::Section(i));
                }
            }
        }
        for page in &pages {
            if let Some(url) = &page.url {
                by_url.insert(url_key(url), Target::Page(Arc::clone(page)));
                add_aliases(
                    &mut aliases,
                    (page, &layout),
                    url,
                    &Target::Page(Arc::clone(page)),
                );
            }
            translations
                .entry(translation_key(page, &layout))
                .or_default()
                .push(Arc::clone(page));
        }
        aliases.retain(|alias, _| !by_url.contains_key(alias));
        for group in translations.values_mut() {
            group.sort_by_key(|p| layout.language_order(&p.language));
        }
        translations.retain(|_, group| group.len() > 1);
        let pages = pages.into_iter().map(|p| (p.path.clone(), p)).collect();
        SiteIndex {
            layout,
            pages,
            sections,
            by_url,
            aliases,
            translations,
            section_files,
        }
    }

    /// The page or section whose file is at `path` (from the repository root).
    pub(crate) fn by_path(&self, path: &str) -> Option<Target> {
        if let Some(page) = self.pages.get(path) {
            return Some(Target::Page(Arc::clone(page)));
        }
        self.section_files.get(path).map(|&i| Target::Section(i))
    }

    /// The page or section published at `url` (a path or a full URL, with or without trailing
    /// slash, encoded or not, with a query or fragment), and whether `url` is an alias of it.
    pub(crate) fn find(&self, url: &str) -> Option<(&Target, bool)> {
        let key = url_key(url);
        // `/posts/go1.21` names the page `/posts/go1.21/` too; then any case.
        let mut keys = vec![key.clone()];
        if !key.ends_with('/') {
            keys.push(format!("{key}/"));
        }
        let lower: Vec<String> = keys.iter().map(|k| k.to_lowercase()).collect();
        keys.extend(lower);
        keys.iter().find_map(|key| {
            self.by_url
                .get(key)
                .map(|found| (found, false))
                .or_else(|| self.aliases.get(key).map(|found| (found, true)))
        })
    }

    /// The other languages' versions of `page`, in the site's language order.
    pub(crate) fn translations<'a>(
        &'a self,
        page: &'a Placed,
    ) -> impl Iterator<Item = &'a Arc<Placed>> + 'a {
        self.translations
            .get(&translation_key(page, &self.layout))
            .into_iter()
            .flatten()
            .filter(move |p| p.path != page.path)
    }

    /// The section at folder `path` in `language` (the default language when `None`).
    pub(crate) fn section(&self, path: &str, language: Option<&str>) -> Option<(usize, &Section)> {
        let path = path.trim_matches('/');
        let language = language.unwrap_or(&self.layout.default_language);
        self.sections
            .iter()
            .enumerate()
            .find(|(_, s)| s.path == path && s.language == language)
    }
}

/// Pages that are translations of each other share this: `translationKey`, else the path under
/// the language's folder without the language in the file name.
fn translation_key(page: &Placed, layout: &Layout) -> String {
    if let Some(key) = &page.placement.translation_key {
        return format!("key:{key}");
    }
    let relative = page.relative.as_str();
    match layout.name_language(relative) {
        Some(code) => {
            let (folder, name) = relative
                .rsplit_once('/')
                .map_or(("", relative), |(f, n)| (f, n));
            let name = name.replacen(&format!(".{code}."), ".", 1);
            format!("path:{folder}/{name}")
        }
        None => format!("path:{relative}"),
    }
}

/// Adds `page`'s `aliases` (published at `url`): a relative alias is taken from the page's
/// folder, as Hugo does.
fn add_aliases(
    aliases: &mut HashMap<String, Target>,
    (page, layout): (&Placed, &Layout),
    url: &str,
    target: &Target,
) {
    for alias in &page.aliases {
        let absolute = if alias.contains("://") {
            alias.clone()
        } else if alias.starts_with('/') {
            // Hugo writes an alias under the site's folder, like every page.
            layout.under_base(alias)
        } else {
            let base = url.trim_end_matches('/');
            let folder = base.rsplit_once('/').map_or("", |(f, _)| f);
            format!("{folder}/{alias}")
        };
        aliases
            .entry(url_key(&absolute))
            .or_insert_with(|| target.clone());
    }
}

/// The key a URL is looked up by: decoded, without scheme, host, query or fragment, and with
/// one trailing slash for a folder URL (`/posts/a` and `/posts/a/` are the same page).
pub(crate) fn url_key(url: &str) -> String {
    let url = url.trim();
    // The query and fragment first: `?next=https://x/` is no host.
    let url = url.split(['?', '#']).next().unwrap_or_default();
    let scheme = url.split_once("://").filter(|(scheme, _)| {
        let mut chars = scheme.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    let path = match scheme {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None if url.starts_with("//") => url[2..].find('/').map_or("/", |i| &url[2 + i..]),
        None => url,
    };
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let mut key = String::with_capacity(decoded.len() + 2);
    if !decoded.starts_with('/') {
        key.push('/');
    }
    key.push_str(&decoded);
    let key = key
        .strip_suffix("/index.html")
        .map_or(key.clone(), |k| format!("{k}/"));
    if key.ends_with('/') || file_name(&key).contains('.') {
        key
    } else {
        format!("{key}/")
    }
}
