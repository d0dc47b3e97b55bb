//! The lookups of a snapshot, by slug, ISO week, category and keyword, built side by side and
//! kept from the previous snapshot when no post changed what they index.

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt as _};

use super::Taxonomy;
use crate::content::{IsoWeek, Post};

/// Positions in [`Snapshot::posts`] by slug, ISO week, category and keyword.
#[derive(Debug)]
pub(super) struct Lookups {
    pub(super) by_slug: HashMap<String, usize>,
    pub(super) by_week: HashMap<IsoWeek, Vec<usize>>,
    pub(super) categories: Taxonomy,
    pub(super) keywords: Taxonomy,
}

impl Lookups {
    /// Builds the four lookups side by side.
    pub(super) fn build(posts: &[Arc<Post>]) -> Lookups {
        let ((by_slug, by_week), (categories, keywords)) = rayon::join(
            || {
                rayon::join(
                    || {
                        posts
                            .iter()
                            .enumerate()
                            .map(|(i, p)| (p.slug.clone(), i))
                            .collect()
                    },
                    || {
                        let mut by_week: HashMap<IsoWeek, Vec<usize>> = HashMap::new();
                        for (i, post) in posts.iter().enumerate() {
                            if let Some(date) = post.date {
                                by_week.entry(date.iso_week()).or_default().push(i);
                            }
                        }
                        by_week
                    },
                )
            },
            || {
                rayon::join(
                    || Taxonomy::build(posts.iter().map(|p| p.categories.as_slice())),
                    || Taxonomy::build(posts.iter().map(|p| p.keywords.as_slice())),
                )
            },
        );
        Lookups {
            by_slug,
            by_week,
            categories,
            keywords,
        }
    }

    /// True when `new` indexes as `old` does: the same posts at the same positions, or edits
    /// of them that keep slug, week and terms (the usual push: text fixed, a title reworded).
    pub(super) fn still_fit(old: &[Arc<Post>], new: &[Arc<Post>]) -> bool {
        old.len() == new.len()
            && old.iter().zip(new).all(|(a, b)| {
                Arc::ptr_eq(a, b)
                    || (a.slug == b.slug
                        && a.date.map(|d| d.iso_week()) == b.date.map(|d| d.iso_week())
                        && a.categories == b.categories
                        && a.keywords == b.keywords)
            })
    }
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
