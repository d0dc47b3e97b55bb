//! Placing the pages of a commit in the site, as Hugo does: each file's language and section,
//! the values its sections cascade to it, its URL, and the sections themselves (`_index.md`,
//! or a top-level folder without one). A page's identity is its URL: two pages collide only
//! when they would be published at the same one.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt as _};
use serde_json::{Map, Value};

mod folders;

pub(crate) use folders::file_name;

use folders::{
    folder_of, inside_bundle, is_top_bundle, nearest_section, parent_folder, under_draft,
};

use super::Problem;
use super::layout::{LanguageRoot, Layout};
use crate::content::{Cascade, ListMode, PageInfo, PageKind, Post, UrlRules, page_url};

/// A page placed in the site: the post as parsed (with cascaded values), and where it is.
#[derive(Debug)]
pub(crate) struct Placed {
    /// The post with its sections' cascaded values applied.
    pub(crate) post: Arc<Post>,
    /// The post as parsed from its file, before any cascade: what a refresh compares.
    pub(crate) parsed: Arc<Post>,
    /// The values cascaded to it, when any.
    pub(crate) cascaded: Option<Map<String, Value>>,
    /// A hash of `cascaded` (0 without): a render reads them, so it is cached under it too.
    pub(crate) cascade_hash: u64,
    /// Root-relative URL; `None` for a page Hugo does not publish (`build.render: never`,
    /// `headless`).
    pub(crate) url: Option<String>,
    pub(crate) language: String,
    /// Path under its language's content folder (`posts/a.md`).
    pub(crate) relative: String,
    /// First folder under the content folder (`""` for a page at the top).
    pub(crate) section: String,
    /// Folder of the section the page is in (the nearest folder with an `_index.md`, or the
    /// top-level folder): `posts`, `docs/v1`, `""` for the home page's own pages.
    pub(crate) parent: String,
    /// Whether listings show it (`build.list`).
    pub(crate) list: ListMode,
}

impl Placed {
    /// `post` alone at the top of a site without configuration, for tests of what lists posts.
    #[cfg(test)]
    pub(crate) fn alone(post: Post) -> Arc<Placed> {
        let post = Arc::new(post);
        Arc::new(Placed {
            parsed: Arc::clone(&post),
            url: Some(format!("/{}/", post.slug)),
            language: "en".into(),
            relative: post.path.clone(),
            section: String::new(),
            parent: String::new(),
            list: post.placement.build.list,
            cascaded: None,
            cascade_hash: 0,
            post,
        })
    }
}

impl Deref for Placed {
    type Target = Post;

    fn deref(&self) -> &Post {
        &self.post
    }
}

/// A section of the site: a folder with an `_index.md`, every top-level folder, and the home
/// page (folder `""`), per language.
#[derive(Debug)]
pub(crate) struct Section {
    pub(crate) language: String,
    /// Folder under the language's content folder; `""` for the home page.
    pub(crate) path: String,
    /// The same folder from the repository root.
    pub(crate) dir: String,
    /// The section's own page, when it has an `_index.md`.
    pub(crate) page: Option<Arc<Placed>>,
    /// Root-relative URL; `None` when its `_index.md` says it is not published.
    pub(crate) url: Option<String>,
    /// Hugo's title when there is no `_index.md` title: the folder name, capitalized.
    pub(crate) title: String,
    /// Position of the parent section in the list; `None` for the home page.
    pub(crate) parent: Option<usize>,
    /// Positions of the sections directly below.
    pub(crate) children: Vec<usize>,
}

/// What placing a commit's pages gives.
#[derive(Debug, Default)]
pub(crate) struct Placement {
    /// Regular pages that are served (drafts left out unless asked for), by path.
    pub(crate) pages: Vec<Arc<Placed>>,
    pub(crate) sections: Vec<Section>,
    pub(crate) problems: Vec<Problem>,
    pub(crate) drafts_left_out: usize,
}

/// The previous placement's pages by path, to reuse what did not change.
pub(crate) type Reuse<'a> = HashMap<&'a str, &'a Arc<Placed>>;

/// Places `posts` (every parsed file under the root, by path) in the site.
pub(crate) fn place(
    posts: &BTreeMap<&str, &Arc<Post>>,
    layout: &Layout,
    drafts: bool,
    reuse: &Reuse<'_>,
) -> Placement {
    let mut placement = Placement::default();
    // Each file's language and path under its language's folder; files outside every
    // language's folder and files inside a leaf bundle (its resources) are not pages.
    let mut located: Vec<(&Arc<Post>, &LanguageRoot, &str)> = Vec::with_capacity(posts.len());
    let bundles: BTreeSet<String> = posts
        .keys()
        .filter_map(|path| {
            let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
            (name.split('.').next() == Some("index")).then(|| format!("{folder}/"))
        })
        .collect();
    for (path, post) in posts {
        let Some((language, relative)) = layout.locate(path) else {
            continue;
        };
        if inside_bundle(path, &bundles) {
            continue;
        }
        located.push((post, language, relative));
    }

    // Section pages first: their cascade flows to what is below them.
    let mut index_pages: HashMap<(String, String), &Arc<Post>> = HashMap::new();
    for &(post, language, relative) in &located {
        if post.is_section {
            let folder = folder_of(relative);
            index_pages.insert((language.code.clone(), folder.to_owned()), post);
        }
    }
    // The folders with an `_index` file, per language: `:sections` needs them.
    let mut section_dirs: HashMap<String, BTreeSet<String>> = HashMap::new();
    for (code, folder) in index_pages.keys() {
        section_dirs
            .entry(code.clone())
            .or_default()
            .insert(folder.clone());
    }
    let no_dirs = BTreeSet::new();
    let dirs_of = |code: &str| section_dirs.get(code).unwrap_or(&no_dirs);

    // Every language has a home page; a top-level folder is a section even without an
    // `_index.md`, unless it is a leaf bundle (`about/index.md`).
    let mut folders: BTreeSet<(String, String)> = BTreeSet::new();
    for &(post, language, relative) in &located {
        let code = &language.code;
        folders.insert((code.clone(), String::new()));
        if let Some((top, _)) = relative.split_once('/')
            && !(post.is_section || is_top_bundle(relative))
        {
            folders.insert((code.clone(), top.to_owned()));
        }
    }
    folders.extend(index_pages.keys().cloned());

    // Each `_target.path` glob compiled once, not once per page below it.
    let mut globs: HashMap<&str, Option<globset::GlobMatcher>> = HashMap::new();
    for page in index_pages.values() {
        let targets = page
            .placement
            .cascade
            .iter()
            .filter_map(|c| c.target.as_ref());
        for glob in targets.filter_map(|t| t.path.as_deref()) {
            let compiled = globset::GlobBuilder::new(glob)
                .literal_separator(true)
                .build();
            if let Err(err) = &compiled {
                placement.problems.push(Problem {
                    path: page.path.clone(),
                    line: None,
                    message: format!(
                        "cascade `_target.path` {glob:?} is not a glob ({err}): its values reach no page; write one such as \"/docs/**\""
                    ),
                });
            }
            globs.insert(glob, compiled.ok().map(|g| g.compile_matcher()));
        }
    }
    let cascade_of = |code: &str, relative: &str, kind: &str| -> Map<String, Value> {
        let mut values = Map::new();
        // From the file's own folder: a section's cascade reaches its own `_index.md` too.
        let mut folder = folder_of(relative);
        loop {
            if let Some(page) = index_pages.get(&(code.to_owned(), folder.to_owned())) {
                // A section's own cascade applies to itself too, as in Hugo.
                for cascade in &page.placement.cascade {
                    if applies(cascade, &globs, (code, relative, kind)) {
                        for (key, value) in &cascade.values {
                            if !values.keys().any(|k: &String| k.eq_ignore_ascii_case(key)) {
                                values.insert(key.clone(), value.clone());
                            }
                        }
                    }
                }
            }
            if folder.is_empty() {
                break;
            }
            folder = folder_of(folder);
        }
        values
    };

    let mut by_url: HashMap<String, String> = HashMap::with_capacity(located.len());
    let mut claim = |url: &str, path: &str, problems: &mut Vec<Problem>| -> bool {
        match by_url.get(url) {
            Some(first) => {
                problems.push(Problem {
                    path: path.to_owned(),
                    line: None,
                    message: format!(
                        "is published at {url}, like {first}, which keeps it; this page is left out: give one of them another `slug` or `url`"
                    ),
                });
                false
            }
            None => {
                by_url.insert(url.to_owned(), path.to_owned());
                true
            }
        }
    };

    // Folders of draft sections, per language: nothing below them is published.
    let mut draft_folders: BTreeSet<(String, String)> = BTreeSet::new();
    // Sections, home first, parents before children.
    let mut positions: HashMap<(String, String), usize> = HashMap::new();
    for (code, folder) in &folders {
        let language = layout
            .languages
            .iter()
            .find(|l| &l.code == code)
            .expect("folders come from located pages");
        let kind = if folder.is_empty() { "home" } else { "section" };
        let own = index_pages.get(&(code.clone(), folder.clone())).copied();
        let page = own.map(|parsed| {
            let relative = parsed
                .path
                .strip_prefix(language.dir.as_str())
                .map_or(parsed.path.as_str(), |r| r.trim_start_matches('/'));
            let (page, error) = place_one(
                parsed,
                cascade_of(code, relative, kind),
                (language, dirs_of(code)),
                relative,
                layout,
                reuse,
            );
            if let Some(problem) = error {
                placement.problems.push(problem);
            }
            page
        });
        // A draft section is not published, and neither is anything below it (as in Hugo).
        let own_draft = page.as_ref().is_some_and(|p| p.draft) && !drafts;
        if own_draft {
            placement.drafts_left_out += 1;
        }
        if own_draft || under_draft(&draft_folders, code, folder) {
            draft_folders.insert((code.clone(), folder.clone()));
        }
        let url = match &page {
            _ if draft_folders.contains(&(code.clone(), folder.clone())) => None,
            Some(page) => page.url.clone(),
            None => section_url(folder, language, dirs_of(code), layout),
        };
        // A draft's `_index.md` is not served (its section stays, without a URL).
        let page = if own_draft { None } else { page };
        let url = url.filter(|url| {
            claim(
                url,
                page.as_ref().map_or(folder.as_str(), |p| p.path.as_str()),
                &mut placement.problems,
            )
        });
        let parent = (!folder.is_empty()).then(|| {
            let mut up = folder_of(folder);
            loop {
                if let Some(&i) = positions.get(&(code.clone(), up.to_owned())) {
                    break i;
                }
                up = folder_of(up);
            }
        });
        let title = folder
            .rsplit('/')
            .next()
            .map(section_title)
            .unwrap_or_default();
        let position = placement.sections.len();
        if let Some(parent) = parent {
            placement.sections[parent].children.push(position);
        }
        positions.insert((code.clone(), folder.clone()), position);
        placement.sections.push(Section {
            language: code.clone(),
            path: folder.clone(),
            dir: [language.dir.as_str(), folder.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("/"),
            page,
            url,
            title,
            parent,
            children: Vec::new(),
        });
    }

    for &(parsed, language, relative) in &located {
        if parsed.is_section {
            continue;
        }
        let (placed, error) = place_one(
            parsed,
            cascade_of(&language.code, relative, "page"),
            (language, dirs_of(&language.code)),
            relative,
            layout,
            reuse,
        );
        if let Some(problem) = error {
            placement.problems.push(problem);
        }
        let folder = folder_of(relative);
        if (placed.draft && !drafts) || under_draft(&draft_folders, &language.code, folder) {
            placement.drafts_left_out += 1;
            continue;
        }
        if let Some(url) = &placed.url
            && !claim(url, &placed.path, &mut placement.problems)
        {
            continue;
        }
        placement.pages.push(placed);
    }
    placement
}

/// One page placed, or the previous placement of it when nothing it depends on changed; with
/// the problem that left it without a URL, when Hugo would refuse to publish it.
fn place_one(
    parsed: &Arc<Post>,
    cascaded: Map<String, Value>,
    (language, section_dirs): (&LanguageRoot, &BTreeSet<String>),
    relative: &str,
    layout: &Layout,
    reuse: &Reuse<'_>,
) -> (Arc<Placed>, Option<Problem>) {
    let cascaded = (!cascaded.is_empty()).then_some(cascaded);
    if let Some(old) = reuse.get(parsed.path.as_str())
        && Arc::ptr_eq(&old.parsed, parsed)
        && old.cascaded == cascaded
        && old.language == language.code
        && old.url.is_some() == old.post.placement.has_url()
    {
        return (Arc::clone(old), None);
    }
    let post = match &cascaded {
        Some(values) => Arc::new(parsed.with_cascade(values)),
        None => Arc::clone(parsed),
    };
    // The configuration's `[frontmatter]` reads the dates after the cascade, as Hugo does; a
    // date from the file name (`:filename`) also gives the slug when none is written.
    let post = match &layout.date_rules {
        Some(rules) => Arc::new(post.with_dates(rules)),
        None => post,
    };
    let kind = if !post.is_section {
        PageKind::Page
    } else if relative.contains('/') {
        PageKind::Section
    } else {
        PageKind::Home
    };
    // The top-level section: none for the home page and for pages (or bundles) at the top.
    let section = match relative.split_once('/') {
        Some((top, _)) if !(kind == PageKind::Page && is_top_bundle(relative)) => top,
        _ => "",
    };
    let mut problem = None;
    let url = if post.placement.has_url() {
        let info = PageInfo {
            path: relative,
            kind,
            slug: post.placement.slug.as_deref(),
            title: &post.title,
            url: post.placement.url.as_deref(),
            date: post.date,
            name_language: layout.name_language(relative),
        };
        match page_url(&info, &rules(language, section, section_dirs, kind)) {
            Ok(url) => Some(layout.under_base(&url)),
            Err(err) => {
                problem = Some(Problem {
                    path: post.path.clone(),
                    line: None,
                    message: format!("{err}; the page has no URL until then"),
                });
                None
            }
        }
    } else {
        None
    };
    let parent = nearest_section(
        parent_folder(relative, kind == PageKind::Page),
        section_dirs,
    );
    let cascade_hash = cascaded.as_ref().map_or(0, |values| {
        use std::hash::{Hash as _, Hasher as _};
        let mut hasher = std::hash::DefaultHasher::new();
        Value::Object(values.clone()).to_string().hash(&mut hasher);
        hasher.finish()
    });
    let placed = Arc::new(Placed {
        cascade_hash,
        list: post.placement.build.list,
        post,
        parsed: Arc::clone(parsed),
        cascaded,
        url,
        language: language.code.clone(),
        relative: relative.to_owned(),
        section: section.to_owned(),
        parent,
    });
    (placed, problem)
}

/// The URL rules of a page of `kind` in top-level section `section` of `language`.
fn rules<'a>(
    language: &'a LanguageRoot,
    section: &str,
    section_dirs: &'a BTreeSet<String>,
    kind: PageKind,
) -> UrlRules<'a> {
    UrlRules {
        permalinks: if kind == PageKind::Page {
            &language.permalinks
        } else {
            &language.section_permalinks
        },
        ugly_urls: language.ugly(section),
        language_prefix: &language.prefix,
        section_dirs,
    }
}

/// The URL of a section without `_index.md`: its folder, urlized, under the language's prefix.
fn section_url(
    folder: &str,
    language: &LanguageRoot,
    section_dirs: &BTreeSet<String>,
    layout: &Layout,
) -> Option<String> {
    let (path, kind) = if folder.is_empty() {
        ("_index.md".to_owned(), PageKind::Home)
    } else {
        (format!("{folder}/_index.md"), PageKind::Section)
    };
    let info = PageInfo {
        path: &path,
        kind,
        slug: None,
        title: "",
        url: None,
        date: None,
        name_language: None,
    };
    let top = folder.split('/').next().unwrap_or_default();
    page_url(&info, &rules(language, top, section_dirs, kind))
        .ok()
        .map(|url| layout.under_base(&url))
}

/// Whether a cascade applies to the page at `relative` of `kind` in language `code` (`globs`:
/// the compiled `_target.path` globs; one that does not compile matches nothing).
fn applies(
    cascade: &Cascade,
    globs: &HashMap<&str, Option<globset::GlobMatcher>>,
    (code, relative, kind): (&str, &str, &str),
) -> bool {
    let Some(target) = &cascade.target else {
        return true;
    };
    if target.kind.as_deref().is_some_and(|k| k != kind) {
        return false;
    }
    if target.lang.as_deref().is_some_and(|l| l != code) {
        return false;
    }
    let Some(glob) = &target.path else {
        return true;
    };
    // Hugo matches a page's path under the content folder, and a section's folder.
    let path = if kind == "page" {
        format!("/{relative}")
    } else {
        format!("/{}", folder_of(relative))
    };
    globs
        .get(glob.as_str())
        .and_then(Option::as_ref)
        .is_some_and(|matcher| matcher.is_match(&path))
}

/// `note` → `Notes`, `posts` → `Posts`: Hugo titles a section without `_index.md` by its
/// folder's name, pluralized (`pluralizeListTitles`, on by default) and capitalized.
fn section_title(name: &str) -> String {
    let plural = pluralizer::pluralize(name, 2, false);
    let mut chars = plural.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
