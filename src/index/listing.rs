//! Listings: the posts that pass a filter, in an order, with what the publishing rules hide at
//! the instant of the request left out. Every listing of the API (`posts`, the term and week
//! lookups, archives, term counts, search and feeds) is one of these.

use std::cmp::Ordering;

use chrono::{DateTime, Datelike as _, Utc};

use super::{Placed, Snapshot, Taxonomy, View};
use crate::content::{IsoWeek, ListMode};

mod order;

pub(crate) use order::{Order, paginate};

/// Which posts a listing holds; every condition given must hold.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    /// A category, matched by any spelling, slug or case.
    pub(crate) category: Option<String>,
    pub(crate) keywords: Terms,
    /// An author, matched like a term.
    pub(crate) author: Option<String>,
    /// A section: top-level section or section folder (`posts`, `docs/v1`); posts listed only
    /// in their section (`build.list: local`) are listed there.
    pub(crate) section: Option<String>,
    /// Terms of a taxonomy the site defines (its plural name, `tags`).
    pub(crate) taxonomy: Option<(String, Terms)>,
    /// Dated at or after this instant.
    pub(crate) date_from: Option<DateTime<Utc>>,
    /// Dated before this instant.
    pub(crate) date_to: Option<DateTime<Utc>>,
    /// Calendar year and month of the date in the offset it was written with.
    pub(crate) year: Option<i32>,
    pub(crate) month: Option<u32>,
    pub(crate) iso_week: Option<IsoWeek>,
    /// Whether the body has footnotes (needs every post's text: [`Facts`]).
    pub(crate) has_footnotes: Option<bool>,
    /// A language code (`en`).
    pub(crate) language: Option<String>,
}

/// Terms to match: any of `any` (when given) and all of `all`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Terms {
    pub(crate) any: Vec<String>,
    pub(crate) all: Vec<String>,
}

impl Terms {
    fn is_empty(&self) -> bool {
        self.any.is_empty() && self.all.is_empty()
    }
}

/// What only reading every post's text gives: its word count and whether it has footnotes, by
/// position in the snapshot's posts.
pub(crate) trait Facts {
    fn words(&self, position: usize) -> u32;
    fn has_footnotes(&self, position: usize) -> bool;
}

/// A filter that cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum FilterError {
    #[error(
        "the site has no taxonomy `{0}`: use one of {1} (the Hugo configuration's `taxonomies`)"
    )]
    UnknownTaxonomy(String, String),
    #[error("`month` must be between 1 and 12, got {0}")]
    Month(u32),
    #[error("`dateFrom` ({0}) is after `dateTo` ({1}): swap them")]
    Range(String, String),
}

impl Filter {
    /// Whether every post passes (none is left out but by the publishing rules).
    pub(crate) fn is_empty(&self) -> bool {
        self.category.is_none()
            && self.keywords.is_empty()
            && self.author.is_none()
            && self.section.is_none()
            && self.taxonomy.is_none()
            && self.date_from.is_none()
            && self.date_to.is_none()
            && self.year.is_none()
            && self.month.is_none()
            && self.iso_week.is_none()
            && self.has_footnotes.is_none()
            && self.language.is_none()
    }

    /// Whether this filter or `order` reads every post's text ([`Facts`]).
    pub(crate) fn needs_facts(&self, order: Order) -> bool {
        self.has_footnotes.is_some() || order == Order::WordCount
    }
}

impl Snapshot {
    /// Positions in [`Snapshot::posts`] of the posts that pass `filter` and are not hidden by
    /// `view`, in `order`. `facts` must be given when [`Filter::needs_facts`].
    ///
    /// # Errors
    /// [`FilterError`] for a taxonomy the site does not define, or a month or range that
    /// cannot be.
    pub(crate) fn select(
        &self,
        filter: &Filter,
        order: Order,
        view: &View,
        facts: Option<&dyn Facts>,
    ) -> Result<Vec<usize>, FilterError> {
        if let Some(month) = filter.month.filter(|m| !(1..=12).contains(m)) {
            return Err(FilterError::Month(month));
        }
        if let (Some(from), Some(to)) = (filter.date_from, filter.date_to)
            && from > to
        {
            return Err(FilterError::Range(from.to_rfc3339(), to.to_rfc3339()));
        }
        let taxonomy = match &filter.taxonomy {
            Some((name, terms)) => Some((
                self.taxonomy(name).ok_or_else(|| {
                    FilterError::UnknownTaxonomy(name.clone(), self.taxonomy_names().join(", "))
                })?,
                terms,
            )),
            None => None,
        };
        let mut candidates: Option<Vec<usize>> = None;
        let mut narrow = |list: Vec<usize>| {
            candidates = Some(match candidates.take() {
                None => list,
                Some(before) => intersect(&before, &list),
            });
        };
        if let Some(category) = &filter.category {
            narrow(term_positions(
                self.categories(),
                std::slice::from_ref(category),
                true,
            ));
        }
        if !filter.keywords.is_empty() {
            narrow(terms_positions(self.keywords(), &filter.keywords));
        }
        if let Some(author) = &filter.author {
            narrow(term_positions(
                self.authors(),
                std::slice::from_ref(author),
                true,
            ));
        }
        if let Some((taxonomy, terms)) = taxonomy {
            narrow(terms_positions(taxonomy, terms));
        }
        if let Some(week) = filter.iso_week {
            narrow(self.lookups.by_week.get(&week).cloned().unwrap_or_default());
        }
        let posts = &self.posts;
        let section = filter.section.as_deref().map(|s| s.trim_matches('/'));
        let listed = |post: &Placed| match section {
            Some(section) => in_section(post, section),
            None => post.list != ListMode::Local,
        };
        let keep = |i: usize| {
            let post = &posts[i];
            let date = post.date;
            listed(post)
                && !view.hides_position(i)
                && filter
                    .language
                    .as_deref()
                    .is_none_or(|l| post.language.eq_ignore_ascii_case(l))
                && filter
                    .date_from
                    .is_none_or(|from| date.is_some_and(|d| d.instant() >= from))
                && filter
                    .date_to
                    .is_none_or(|to| date.is_some_and(|d| d.instant() < to))
                && filter
                    .year
                    .is_none_or(|y| date.is_some_and(|d| d.moment().year() == y))
                && filter
                    .month
                    .is_none_or(|m| date.is_some_and(|d| d.moment().month() == m))
                && filter
                    .has_footnotes
                    .is_none_or(|want| facts.is_some_and(|facts| facts.has_footnotes(i) == want))
        };
        let mut selected: Vec<usize> = match candidates {
            Some(list) => list.into_iter().filter(|&i| keep(i)).collect(),
            None => (0..posts.len()).filter(|&i| keep(i)).collect(),
        };
        order::sort(posts, &mut selected, order, facts);
        Ok(selected)
    }
}

/// Whether `post` is in `section`: its top-level section, or its section folder or one above.
fn in_section(post: &Placed, section: &str) -> bool {
    post.section == section
        || post.parent == section
        || post
            .parent
            .strip_prefix(section)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The positions of the posts with any of `terms` (or every one, with `all`), ascending.
fn term_positions(taxonomy: &Taxonomy, terms: &[String], any: bool) -> Vec<usize> {
    let mut lists = terms
        .iter()
        .map(|t| taxonomy.find(t).map_or(&[][..], |(_, posts)| posts));
    let Some(first) = lists.next() else {
        return Vec::new();
    };
    let mut found = first.to_vec();
    for list in lists {
        found = if any {
            union(&found, list)
        } else {
            intersect(&found, list)
        };
    }
    found
}

fn terms_positions(taxonomy: &Taxonomy, terms: &Terms) -> Vec<usize> {
    match (terms.any.is_empty(), terms.all.is_empty()) {
        (false, true) => term_positions(taxonomy, &terms.any, true),
        (true, _) => term_positions(taxonomy, &terms.all, false),
        (false, false) => intersect(
            &term_positions(taxonomy, &terms.any, true),
            &term_positions(taxonomy, &terms.all, false),
        ),
    }
}

/// Both ascending lists' common items.
fn intersect(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Both ascending lists' items, ascending, once each.
fn union(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out: Vec<usize> = a.iter().chain(b).copied().collect();
    out.sort_unstable();
    out.dedup();
    out
}
