//! What Hugo reads from a page's front matter to place it in the site: `slug` and `url` as
//! written, `linkTitle`, `weight`, `translationKey`, the build options (`build`, `headless`) and,
//! on a section's `_index.md`, the values it cascades to the pages below it.

use serde_json::{Map, Value};

use super::{Fields, scalar_text, short};

/// Where and whether a page is published, as its own front matter says.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Placement {
    /// `slug` as written (trimmed): the permalink's `:slug`, and the last part of the default URL.
    pub(crate) slug: Option<String>,
    /// `url` as written: the page's URL, whatever the permalink patterns say.
    pub(crate) url: Option<String>,
    /// `linkTitle`: a shorter title for menus and sidebars.
    pub(crate) link_title: Option<String>,
    /// `weight`: order within a section, lightest first; 0 when not set (Hugo puts those last).
    pub(crate) weight: i64,
    /// `translationKey`: links translations that are not at the same path.
    pub(crate) translation_key: Option<String>,
    pub(crate) build: Build,
    /// A section's `cascade`, in the order written; empty for regular pages (Hugo ignores it there).
    pub(crate) cascade: Vec<Cascade>,
}

/// Hugo's build options: whether a page gets a URL and whether it is listed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Build {
    pub(crate) render: RenderMode,
    pub(crate) list: ListMode,
}

/// `build.render`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum RenderMode {
    /// Published at its URL.
    #[default]
    Always,
    /// Not published: no URL. Still readable by path (for includes).
    Never,
    /// Not published, but has a URL (`.RelPermalink`) for links to point at.
    Link,
}

/// `build.list`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum ListMode {
    /// In every listing.
    #[default]
    Always,
    /// In no listing.
    Never,
    /// Only in its own section's listing.
    Local,
}

/// One set of values a section cascades to the pages below it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cascade {
    /// The values, as written (without `_target`).
    pub(crate) values: Map<String, Value>,
    /// Which pages they apply to; `None` for every page below the section.
    pub(crate) target: Option<CascadeTarget>,
}

/// `_target` (or `target`) of a cascade: every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CascadeTarget {
    /// A glob over the page's path under the content folder, such as `/blog/**`.
    pub(crate) path: Option<String>,
    /// `page`, `section`, `home` (Hugo's page kinds).
    pub(crate) kind: Option<String>,
    /// A language code.
    pub(crate) lang: Option<String>,
}

impl Placement {
    /// Reads the placement fields, reporting unusable values through `fields`.
    pub(super) fn read(
        fields: &mut Fields<'_>,
        slug: Option<String>,
        is_section: bool,
    ) -> Placement {
        let slug = slug.filter(|s| !s.is_empty());
        let url = fields.string("url").filter(|s| !s.is_empty());
        let link_title = fields.string("linkTitle").filter(|s| !s.is_empty());
        let translation_key = fields.string("translationKey").filter(|s| !s.is_empty());
        let weight = fields.integer("weight");
        let mut build = fields.build();
        // Hugo ignores `headless` on a section's `_index.md`.
        if !is_section && fields.boolean("headless") {
            build = Build {
                render: RenderMode::Never,
                list: ListMode::Never,
            };
        }
        let cascade = if is_section {
            fields.cascade()
        } else {
            Vec::new()
        };
        Placement {
            slug,
            url,
            link_title,
            weight,
            translation_key,
            build,
            cascade,
        }
    }

    /// Whether the page has a URL (published, or `render: link`).
    pub(crate) fn has_url(&self) -> bool {
        self.build.render != RenderMode::Never
    }
}

impl Fields<'_> {
    /// An integer field (`weight: 3`, `weight: "3"`); 0 when absent or unusable (reported).
    fn integer(&mut self, key: &str) -> i64 {
        let Some((name, value)) = self.lookup(key) else {
            return 0;
        };
        let parsed = match value {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            Value::Null => return 0,
            _ => None,
        };
        parsed.unwrap_or_else(|| {
            self.report(
                name,
                format!("`{name}` must be a whole number, found {}", short(value)),
            );
            0
        })
    }

    /// `_build` (Hugo 0.111's name) or `build` (later Hugo's): `{ render, list }`, each a word
    /// or a boolean as Hugo accepts.
    fn build(&mut self) -> Build {
        let mut build = Build::default();
        let Some((name, value)) = self.lookup("_build").or_else(|| self.lookup("build")) else {
            return build;
        };
        let Value::Object(options) = value else {
            self.report(
                name,
                format!("`{name}` must be a map such as `{{ render: never, list: local }}`"),
            );
            return build;
        };
        for (key, value) in options {
            let word = match value {
                Value::Bool(true) => Some("always".to_owned()),
                Value::Bool(false) => Some("never".to_owned()),
                other => scalar_text(other)
                    .ok()
                    .flatten()
                    .map(|s| s.to_ascii_lowercase()),
            };
            let word = word.as_deref().unwrap_or_default();
            let ok = if key.eq_ignore_ascii_case("render") {
                match word {
                    "always" => Some(RenderMode::Always),
                    "never" => Some(RenderMode::Never),
                    "link" => Some(RenderMode::Link),
                    _ => None,
                }
                .map(|mode| build.render = mode)
            } else if key.eq_ignore_ascii_case("list") {
                match word {
                    "always" => Some(ListMode::Always),
                    "never" => Some(ListMode::Never),
                    "local" => Some(ListMode::Local),
                    _ => None,
                }
                .map(|mode| build.list = mode)
            } else {
                // `publishResources` and options of later Hugo versions do not place the page.
                Some(())
            };
            if ok.is_none() {
                let allowed = if key.eq_ignore_ascii_case("render") {
                    "always, never or link"
                } else {
                    "always, never or local"
                };
                self.report(
                    name,
                    format!(
                        "`{name}.{key}` must be {allowed}, found {}: the default (always) is used",
                        short(value)
                    ),
                );
            }
        }
        build
    }

    /// `cascade`: a map, or a list of maps, each with an optional `_target` (or `target`).
    fn cascade(&mut self) -> Vec<Cascade> {
        let Some((name, value)) = self.lookup("cascade") else {
            return Vec::new();
        };
        let entries: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            Value::Null => Vec::new(),
            other => vec![other],
        };
        let mut cascade = Vec::with_capacity(entries.len());
        for entry in entries {
            let Value::Object(map) = entry else {
                self.report(
                    name,
                    format!(
                        "`{name}` must be a map of values (or a list of them), found {}",
                        short(entry)
                    ),
                );
                continue;
            };
            let mut values = Map::new();
            let mut target = None;
            for (key, value) in map {
                if key.eq_ignore_ascii_case("_target") || key.eq_ignore_ascii_case("target") {
                    match read_target(value) {
                        Some(t) => target = Some(t),
                        None => self.report(
                            name,
                            format!("`{name}.{key}` must be a map with `path`, `kind` or `lang`: the values apply to every page below"),
                        ),
                    }
                } else {
                    values.insert(key.clone(), value.clone());
                }
            }
            cascade.push(Cascade { values, target });
        }
        cascade
    }
}

fn read_target(value: &Value) -> Option<CascadeTarget> {
    let Value::Object(map) = value else {
        return None;
    };
    let mut target = CascadeTarget::default();
    for (key, value) in map {
        let text = scalar_text(value).ok().flatten().filter(|s| !s.is_empty());
        match key.to_ascii_lowercase().as_str() {
            "path" => target.path = text,
            "kind" => target.kind = text.map(|k| k.to_ascii_lowercase()),
            "lang" => target.lang = text,
            // `environment`: Quire has no build environments; the values apply in all of them.
            _ => {}
        }
    }
    Some(target)
}

#[cfg(test)]
mod tests {
    use super::super::Post;
    use super::*;

    fn placement(path: &str, front: &str) -> (Placement, Vec<String>) {
        let (post, problems) = Post::parse(
            path,
            git2::Oid::ZERO_SHA1,
            format!("---\n{front}\n---\n").as_bytes(),
        )
        .unwrap();
        (
            post.placement,
            problems.iter().map(ToString::to_string).collect(),
        )
    }

    #[test]
    fn reads_slug_url_weight_and_build_options() {
        let (p, problems) = placement(
            "a.md",
            "slug: My Slug\nurl: /x/y/\nlinkTitle: Short\nweight: 5\nbuild:\n  render: link\n  list: local\n  publishResources: false",
        );
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(p.slug.as_deref(), Some("My Slug"));
        assert_eq!(p.url.as_deref(), Some("/x/y/"));
        assert_eq!(p.link_title.as_deref(), Some("Short"));
        assert_eq!(p.weight, 5);
        assert_eq!(
            p.build,
            Build {
                render: RenderMode::Link,
                list: ListMode::Local
            }
        );
        assert!(p.has_url());
        let (p, _) = placement("b/index.md", "headless: true");
        assert!(!p.has_url());
        assert_eq!(p.build.list, ListMode::Never);
        let (p, _) = placement("a.md", "build:\n  render: false\n  list: true");
        assert_eq!(p.build.render, RenderMode::Never);
        assert_eq!(p.build.list, ListMode::Always);
    }

    #[test]
    fn reports_unusable_options() {
        let (p, problems) = placement("a.md", "weight: heavy\nbuild:\n  render: sometimes");
        assert_eq!(p.weight, 0);
        assert_eq!(p.build, Build::default());
        assert_eq!(
            problems,
            [
                "front matter line 2: `weight` must be a whole number, found \"heavy\"",
                "front matter line 3: `build.render` must be always, never or link, found \"sometimes\": the default (always) is used"
            ]
        );
    }

    #[test]
    fn reads_a_sections_cascade_and_ignores_a_pages() {
        let (p, problems) = placement(
            "docs/_index.md",
            "cascade:\n  - banner: a.png\n    _target:\n      path: /docs/v1/**\n      kind: Page\n  - draft: false",
        );
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(p.cascade.len(), 2);
        assert_eq!(p.cascade[0].values["banner"], "a.png");
        assert_eq!(
            p.cascade[0].target,
            Some(CascadeTarget {
                path: Some("/docs/v1/**".into()),
                kind: Some("page".into()),
                lang: None
            })
        );
        assert_eq!(p.cascade[1].target, None);
        let (p, _) = placement("docs/page.md", "cascade:\n  banner: a.png");
        assert!(p.cascade.is_empty());
    }

    #[test]
    fn cascaded_values_fill_what_the_page_does_not_set() {
        let (post, _) = Post::parse(
            "docs/a.md",
            git2::Oid::ZERO_SHA1,
            b"---\ntitle: A\nCategories: [Own]\n---\nBody",
        )
        .unwrap();
        let mut values = Map::new();
        values.insert("categories".into(), serde_json::json!(["Cascaded"]));
        values.insert("keywords".into(), serde_json::json!(["k"]));
        values.insert("draft".into(), Value::Bool(true));
        let cascaded = post.with_cascade(&values);
        assert_eq!(cascaded.categories, ["Own"]);
        assert_eq!(cascaded.keywords, ["k"]);
        assert!(cascaded.draft);
        assert_eq!(cascaded.title, "A");
        assert_eq!(cascaded.body_start, post.body_start);
    }
}
