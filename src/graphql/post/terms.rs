//! Terms and weeks of a post: categories and keywords as terms shared by all posts, and the
//! ISO week of its date.

use async_graphql::SimpleObject;

use crate::index::{Taxonomy, Term, View};

/// The terms of a post, in the order written, each once, counting the posts `view` shows.
pub(super) fn terms_of(taxonomy: &Taxonomy, written: &[String], view: &View) -> Vec<TermObject> {
    let mut seen = Vec::new();
    written
        .iter()
        .filter_map(|w| taxonomy.find(w))
        .filter(|(term, _)| {
            let new = !seen.contains(&term.slug);
            if new {
                seen.push(term.slug.clone());
            }
            new
        })
        .map(|(term, posts)| TermObject {
            count: view.count_shown(posts),
            ..TermObject::from(term)
        })
        .collect()
}

/// A category or keyword. Spellings that urlize to the same slug are one term.
#[derive(SimpleObject)]
#[graphql(name = "Term")]
pub(crate) struct TermObject {
    /// The most common spelling among the posts.
    name: String,
    /// The term urlized: pass either this or `name` to `postsByCategory` / `postsByKeyword`.
    slug: String,
    /// Number of published posts with this term.
    count: usize,
}

impl From<&Term> for TermObject {
    fn from(term: &Term) -> Self {
        TermObject {
            name: term.name.clone(),
            slug: term.slug.clone(),
            count: term.count,
        }
    }
}

/// An ISO 8601 week.
#[derive(SimpleObject)]
#[graphql(name = "IsoWeek")]
pub(crate) struct IsoWeekObject {
    /// ISO week-numbering year (2021-01-01 is in 2020-W53).
    pub(super) year: i32,
    /// Week of the year, 1 to 53.
    pub(super) week: u32,
}
