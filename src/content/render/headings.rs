//! Heading ids: GitHub-compatible slugs of the heading text, unique within a post (`intro`,
//! `intro-1`), an explicit `{#custom-id}` attribute winning.

use std::collections::HashSet;

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory as _};

/// One heading of a post, with the id its element has in `html`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    /// 1 to 6.
    pub(crate) level: u8,
    pub(crate) id: String,
    /// The heading as plain text.
    pub(crate) text: String,
    /// The heading's content rendered to HTML (without the `<hN>` element).
    pub(crate) html: String,
    /// Inside a blockquote (or a list): part of `headings`, not of the table of contents.
    pub(crate) nested: bool,
}

/// The slug GitHub gives a heading: lowercase; letters, marks, numbers, `_` and `-` kept, spaces
/// made `-`, everything else dropped. Empty when nothing is left.
pub(crate) fn slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.trim().chars() {
        match c {
            ' ' => slug.push('-'),
            '-' | '_' => slug.push(c),
            c if matches!(
                c.general_category_group(),
                GeneralCategoryGroup::Letter
                    | GeneralCategoryGroup::Mark
                    | GeneralCategoryGroup::Number
            ) =>
            {
                slug.extend(c.to_lowercase());
            }
            _ => {}
        }
    }
    slug
}

/// Hands out ids unique within one post. Explicit ids are reserved first, so an automatic id
/// never takes one a `{#id}` asked for; the same explicit id written twice is kept twice, as
/// written (the author asked for it).
#[derive(Debug, Default)]
pub(crate) struct Ids {
    taken: HashSet<String>,
}

impl Ids {
    /// Marks an explicit id as taken.
    pub(crate) fn reserve(&mut self, id: &str) {
        self.taken.insert(id.to_owned());
    }

    /// A unique id for a heading with this text: its slug, else `heading`, with `-1`, `-2`, ...
    /// appended when taken.
    pub(crate) fn assign(&mut self, text: &str) -> String {
        let mut base = slug(text);
        if base.is_empty() {
            base = "heading".to_owned();
        }
        let mut id = base.clone();
        let mut n = 0;
        while self.taken.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.taken.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_headings_as_github_does() {
        assert_eq!(slug("Hello, World!"), "hello-world");
        assert_eq!(slug("  What's new in 2.0?  "), "whats-new-in-20");
        assert_eq!(
            slug("snake_case and kebab-case"),
            "snake_case-and-kebab-case"
        );
        assert_eq!(slug("Ünïcödé Straße"), "ünïcödé-straße");
        assert_eq!(slug("日本語の見出し"), "日本語の見出し");
        assert_eq!(slug("a  b"), "a--b");
        assert_eq!(slug("?!"), "");
    }

    #[test]
    fn makes_ids_unique_within_a_post() {
        let mut ids = Ids::default();
        ids.reserve("intro-1");
        assert_eq!(ids.assign("Intro"), "intro");
        assert_eq!(ids.assign("Intro"), "intro-2");
        assert_eq!(ids.assign("Intro"), "intro-3");
        assert_eq!(ids.assign("???"), "heading");
        assert_eq!(ids.assign(""), "heading-1");
    }
}
