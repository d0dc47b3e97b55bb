//! The lookups of a snapshot, by slug, ISO week, category and keyword, built side by side and
//! kept from the previous snapshot when no post changed what they index.

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt as _};

use super::Placed;
use super::Taxonomy;
use crate::content::{IsoWeek, ListMode};

/// Positions in [`Snapshot::posts`] by slug, ISO week, category and keyword.
#[derive(Debug)]
pub(super) struct Lookups {
    /// Slug → positions, newest first: several posts may share a slug in different folders.
    pub(super) by_slug: HashMap<String, Vec<usize>>,
    pub(super) by_week: HashMap<IsoWeek, Vec<usize>>,
    pub(super) categories: Taxonomy,
    pub(super) keywords: Taxonomy,
    pub(super) authors: Taxonomy,
    /// The site's other taxonomies (the Hugo configuration's, by plural name, in its order),
    /// read from the front matter key of that name.
    pub(super) taxonomies: Vec<(String, Taxonomy)>,
    /// Positions of the posts listed outside their section (`build.list` not `local`); `None`
    /// when that is every post.
    pub(super) everywhere: Option<Vec<usize>>,
}

impl Lookups {
    /// Builds the lookups side by side; `taxonomies` are the plural names of the site's
    /// taxonomies besides categories and keywords.
    pub(super) fn build(posts: &[Arc<Placed>], taxonomies: &[String]) -> Lookups {
        let ((by_slug, by_week), (categories, keywords)) = rayon::join(
            || {
                rayon::join(
                    || {
                        let mut by_slug: HashMap<String, Vec<usize>> = HashMap::new();
                        for (i, post) in posts.iter().enumerate() {
                            by_slug.entry(post.slug.clone()).or_default().push(i);
                        }
                        by_slug
                    },
                    || {
                        let mut by_week: HashMap<IsoWeek, Vec<usize>> = HashMap::new();
                        for (i, post) in posts.iter().enumerate() {
                            if let Some(date) = post.date.filter(|_| everywhere(post)) {
                                by_week.entry(date.iso_week()).or_default().push(i);
                            }
                        }
                        by_week
                    },
                )
            },
            || {
                rayon::join(
                    || Taxonomy::build(posts.iter().map(|p| terms(p, &p.categories))),
                    || Taxonomy::build(posts.iter().map(|p| terms(p, &p.keywords))),
                )
            },
        );
        let local = posts.iter().any(|p| !everywhere(p));
        let (authors, taxonomies) = rayon::join(
            || Taxonomy::build(posts.iter().map(|p| terms(p, &p.authors))),
            || {
                taxonomies
                    .iter()
                    .map(|name| {
                        let written: Vec<Vec<String>> =
                            posts.iter().map(|p| p.terms_of(name)).collect();
                        let taxonomy =
                            Taxonomy::build(posts.iter().zip(&written).map(|(p, t)| terms(p, t)));
                        (name.clone(), taxonomy)
                    })
                    .collect()
            },
        );
        Lookups {
            by_slug,
            by_week,
            categories,
            keywords,
            authors,
            taxonomies,
            everywhere: local.then(|| {
                (0..posts.len())
                    .filter(|&i| everywhere(&posts[i]))
                    .collect()
            }),
        }
    }

    /// True when `new` indexes as `old` does: the same posts at the same positions, or edits
    /// of them that keep slug, week and terms (the usual push: text fixed, a title reworded).
    pub(super) fn still_fit(
        &self,
        old: &[Arc<Placed>],
        new: &[Arc<Placed>],
        taxonomies: &[String],
    ) -> bool {
        old.len() == new.len()
            && self.taxonomies.iter().map(|(n, _)| n).eq(taxonomies)
            && old.iter().zip(new).all(|(a, b)| {
                Arc::ptr_eq(a, b)
                    || (a.slug == b.slug
                        && a.list == b.list
                        && a.date.map(|d| d.iso_week()) == b.date.map(|d| d.iso_week())
                        && a.categories == b.categories
                        && a.keywords == b.keywords
                        && a.authors == b.authors
                        && taxonomies.iter().all(|t| a.terms_of(t) == b.terms_of(t)))
            })
    }
}

/// Whether `post` is listed outside its own section (Hugo's `build.list: local` is not).
fn everywhere(post: &Placed) -> bool {
    post.list != ListMode::Local
}

/// A post's terms, when it is listed outside its section.
fn terms<'p>(post: &Placed, terms: &'p [String]) -> &'p [String] {
    if everywhere(post) { terms } else { &[] }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::testing::{next, snapshot};
    use crate::content::IsoWeek;

    #[test]
    fn lookups_are_kept_while_no_post_changes_what_they_index() {
        let post = |title: &str, date: &str, category: &str| {
            format!("---\ntitle: {title}\ndate: {date}\ncategories: [{category}]\n---\nText\n")
        };
        let a = post("A", "2024-01-01T10:00:00Z", "Go");
        let (dir, first) = snapshot(&[
            ("a.md", &a),
            ("b.md", &post("B", "2024-01-08T10:00:00Z", "Rust")),
        ]);
        // A retitled post with the same slug, week and terms: the lookups are the old ones.
        let retitled = next(
            dir.path(),
            Some(&first),
            &[(
                "b.md",
                "---\ntitle: B, again\nslug: b\ndate: 2024-01-08T11:00:00Z\ncategories: [Rust]\n---\nNew text\n",
            )],
        );
        assert!(Arc::ptr_eq(&first.lookups, &retitled.lookups));
        assert_eq!(retitled.post("b").unwrap().title, "B, again");

        // Each change below moves or re-indexes a post: the lookups are built again, and right.
        let week = IsoWeek::new(2024, 2).unwrap();
        let moved = next(
            dir.path(),
            Some(&retitled),
            &[("a.md", &post("A", "2024-01-09T10:00:00Z", "Go"))],
        );
        assert!(!Arc::ptr_eq(&retitled.lookups, &moved.lookups));
        let in_week: Vec<_> = moved.posts_in_week(week).map(|p| p.slug.as_str()).collect();
        assert_eq!(in_week, ["a", "b"]);
        let recategorized = next(
            dir.path(),
            Some(&moved),
            &[("a.md", &post("A", "2024-01-09T10:00:00Z", "Rust"))],
        );
        assert!(!Arc::ptr_eq(&moved.lookups, &recategorized.lookups));
        assert!(recategorized.categories().find("go").is_none());
        assert_eq!(recategorized.categories().find("rust").unwrap().1, [0, 1]);
        // Same position, slug and terms; another week, or other keywords: rebuilt.
        let week3 = next(
            dir.path(),
            Some(&recategorized),
            &[("a.md", &post("A", "2024-01-16T10:00:00Z", "Rust"))],
        );
        assert!(!Arc::ptr_eq(&recategorized.lookups, &week3.lookups));
        let in_week3: Vec<_> = week3
            .posts_in_week(IsoWeek::new(2024, 3).unwrap())
            .map(|p| p.slug.as_str())
            .collect();
        assert_eq!(in_week3, ["a"]);
        let keyworded = next(
            dir.path(),
            Some(&week3),
            &[(
                "a.md",
                "---\ntitle: A\ndate: 2024-01-16T10:00:00Z\ncategories: [Rust]\nkeywords: [fast]\n---\nText\n",
            )],
        );
        assert!(!Arc::ptr_eq(&week3.lookups, &keyworded.lookups));
        assert_eq!(keyworded.keywords().find("fast").unwrap().1, [0]);

        let added = next(
            dir.path(),
            Some(&keyworded),
            &[("c.md", &post("C", "2023-12-01T10:00:00Z", "Go"))],
        );
        assert_eq!(added.post("c").map(|p| p.title.as_str()), Some("C"));
        assert_eq!(added.categories().find("go").unwrap().1, [2]);
    }
}
