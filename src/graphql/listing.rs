//! Listings in the API: `posts` with a filter and an order, archives by period, and the
//! authors and taxonomies with their counts. Every one leaves out what the publishing rules
//! hide at the instant of the request (the pinned [`View`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use async_graphql::{Context, Enum, InputObject, Result, SimpleObject};
use chrono::{DateTime, Datelike as _, Utc};

use super::post::PostConnection;
use super::{bad_input, code, coded, shared};
use crate::content::{IsoWeek, PostDate};
use crate::index::{self, Filter, Order, Snapshot, Taxonomy, Terms, View};

/// Which posts a listing holds: every condition given must hold. Terms (categories, keywords,
/// authors, a taxonomy's terms) match any spelling, slug or case: "Weekly Notes",
/// "weekly notes" and "weekly-notes" are one term.
#[derive(InputObject, Default)]
#[graphql(name = "PostFilter")]
pub(crate) struct PostFilter {
    /// Posts in this category.
    category: Option<String>,
    /// Posts with any of `any` and all of `all` of these keywords.
    keywords: Option<TermMatch>,
    /// Posts by this author.
    author: Option<String>,
    /// Posts in this section: a top-level section or a section folder (`posts`, `docs/v1`),
    /// with the sections below it; this also lists posts shown only in their section
    /// (`build.list: local`).
    section: Option<String>,
    /// Posts with terms of a taxonomy the site defines (`tags`; see `taxonomies`).
    taxonomy: Option<TaxonomyMatch>,
    /// Posts dated at or after this instant (RFC 3339, or a date: `2024-01-01` is midnight UTC).
    date_from: Option<String>,
    /// Posts dated before this instant (RFC 3339 or a date).
    date_to: Option<String>,
    /// Posts dated in this year (in the offset each post was written with).
    year: Option<i32>,
    /// Posts dated in this month, 1 to 12 (with `year`, of that year).
    month: Option<u32>,
    /// Posts dated in this ISO 8601 week.
    iso_week: Option<IsoWeekInput>,
    /// Posts whose body has footnotes (true) or has none (false). Reads every post's text:
    /// `NOT_READY` until that is done after a load.
    has_footnotes: Option<bool>,
    /// Posts in this language (its code, `en`).
    language: Option<String>,
}

/// Terms to match.
#[derive(InputObject, Default)]
pub(crate) struct TermMatch {
    /// At least one of these.
    #[graphql(default)]
    any: Vec<String>,
    /// Every one of these.
    #[graphql(default)]
    all: Vec<String>,
}

/// Terms of one taxonomy.
#[derive(InputObject)]
pub(crate) struct TaxonomyMatch {
    /// The taxonomy's plural name, as the Hugo configuration's `taxonomies` has it (`tags`).
    name: String,
    /// At least one of these.
    #[graphql(default)]
    any: Vec<String>,
    /// Every one of these.
    #[graphql(default)]
    all: Vec<String>,
}

/// An ISO 8601 week.
#[derive(InputObject)]
#[graphql(name = "IsoWeekInput")]
pub(crate) struct IsoWeekInput {
    /// ISO week-numbering year.
    year: i32,
    /// Week, 1 to 52, or 53 in years that have one.
    week: i32,
}

/// The order of a listing; ties are broken newest first, then by path.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum PostOrder {
    /// Newest first (by the instant of the date, across offsets); undated posts last.
    #[default]
    DateDesc,
    /// Oldest first; undated posts last.
    DateAsc,
    /// By title, case-insensitively.
    Title,
    /// Hugo's page order: by `weight`, lightest first; posts without a weight after.
    Weight,
    /// Last modified first (`lastmod`, else the date); posts without either last.
    Lastmod,
    /// Longest first (`wordCount`). Reads every post's text: `NOT_READY` until that is done.
    WordCount,
}

impl From<PostOrder> for Order {
    fn from(order: PostOrder) -> Self {
        match order {
            PostOrder::DateDesc => Order::DateDesc,
            PostOrder::DateAsc => Order::DateAsc,
            PostOrder::Title => Order::Title,
            PostOrder::Weight => Order::Weight,
            PostOrder::Lastmod => Order::Lastmod,
            PostOrder::WordCount => Order::WordCount,
        }
    }
}

/// An instant as a filter takes it: RFC 3339, or a date as front matter writes it.
fn instant(field: &str, text: Option<&str>) -> Result<Option<DateTime<Utc>>> {
    text.map(|text| {
        PostDate::parse(text).map(|d| d.instant()).ok_or_else(|| {
            bad_input(format!(
                "`{field}` is not a date: write it as 2024-01-31 or 2024-01-31T09:00:00+01:00, got `{text}`"
            ))
        })
    })
    .transpose()
}

impl PostFilter {
    /// The filter as the index takes it.
    pub(crate) fn read(self) -> Result<Filter> {
        let terms = |m: TermMatch| Terms {
            any: m.any,
            all: m.all,
        };
        let iso_week = self
            .iso_week
            .map(|w| IsoWeek::new(w.year, w.week).map_err(bad_input))
            .transpose()?;
        Ok(Filter {
            date_from: instant("dateFrom", self.date_from.as_deref())?,
            date_to: instant("dateTo", self.date_to.as_deref())?,
            category: self.category,
            keywords: self.keywords.map(terms).unwrap_or_default(),
            author: self.author,
            section: self.section,
            taxonomy: self.taxonomy.map(|t| {
                (
                    t.name,
                    Terms {
                        any: t.any,
                        all: t.all,
                    },
                )
            }),
            year: self.year,
            month: self.month,
            iso_week,
            has_footnotes: self.has_footnotes,
            language: self.language,
        })
    }
}

/// The posts of `filter` in `order` at the request's snapshot and instant: positions in the
/// snapshot's posts, and the facts read from every post's text when the listing needed them.
pub(crate) async fn select(
    ctx: &Context<'_>,
    filter: &Filter,
    order: Order,
) -> Result<(Vec<usize>, Option<Arc<index::TextIndex>>)> {
    let snapshot = shared::<Arc<Snapshot>>(ctx)?;
    let view = shared::<Arc<View>>(ctx)?;
    let facts = if filter.needs_facts(order) {
        Some(super::search::text_facts(snapshot).await?)
    } else {
        None
    };
    let positions = snapshot
        .select(
            filter,
            order,
            view,
            facts.as_deref().map(|f| f as &dyn index::Facts),
        )
        .map_err(|e| bad_input(e.to_string()))?;
    Ok((positions, facts))
}

/// A page of `posts(filter, orderBy)`.
pub(crate) async fn posts(
    ctx: &Context<'_>,
    filter: Option<PostFilter>,
    order: PostOrder,
    first: Option<i32>,
    after: Option<&str>,
) -> Result<PostConnection> {
    let filter = filter.unwrap_or_default().read()?;
    let order = Order::from(order);
    let snapshot = shared::<Arc<Snapshot>>(ctx)?;
    if filter.is_empty() && order == Order::DateDesc && shared::<Arc<View>>(ctx)?.hides_nothing() {
        // The whole listing as the snapshot holds it: nothing to select.
        return PostConnection::page(snapshot, snapshot.listed_everywhere(), first, after);
    }
    let (positions, facts) = select(ctx, &filter, order).await?;
    PostConnection::ordered(
        snapshot,
        &positions,
        order,
        facts.as_deref().map(|f| f as &dyn index::Facts),
        first,
        after,
    )
}

/// Periods an archive counts posts by.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArchiveBy {
    /// Calendar years.
    Year,
    /// Calendar months.
    Month,
    /// ISO 8601 weeks (`year` is then the ISO week-numbering year).
    IsoWeek,
}

/// The posts of one period, in the offset each post was written with.
#[derive(SimpleObject)]
pub(crate) struct ArchivePeriod {
    /// The year (for `ISO_WEEK`, the ISO week-numbering year).
    year: i32,
    /// The month, 1 to 12; null unless by `MONTH`.
    month: Option<u32>,
    /// The ISO week; null unless by `ISO_WEEK`.
    week: Option<u32>,
    /// Posts dated in the period.
    count: usize,
    /// Date of the oldest of them, RFC 3339 as written.
    first_date: String,
    /// Date of the newest of them, RFC 3339 as written.
    last_date: String,
}

/// Every period with a post of `filter`, newest first (undated posts are in none).
pub(crate) async fn archive(
    ctx: &Context<'_>,
    by: ArchiveBy,
    filter: Option<PostFilter>,
) -> Result<Vec<ArchivePeriod>> {
    let filter = filter.unwrap_or_default().read()?;
    let (positions, _) = select(ctx, &filter, Order::DateDesc).await?;
    let snapshot = shared::<Arc<Snapshot>>(ctx)?;
    // Newest first: each period's first post seen is its newest.
    let mut periods: BTreeMap<(i32, u32), ArchivePeriod> = BTreeMap::new();
    for i in positions {
        let Some(date) = snapshot.posts()[i].date else {
            continue;
        };
        let moment = date.moment();
        let (key, month, week) = match by {
            ArchiveBy::Year => ((moment.year(), 0), None, None),
            ArchiveBy::Month => ((moment.year(), moment.month()), Some(moment.month()), None),
            ArchiveBy::IsoWeek => {
                let w = date.iso_week();
                ((w.year, w.week), None, Some(w.week))
            }
        };
        let written = date.to_rfc3339();
        let period = periods.entry(key).or_insert_with(|| ArchivePeriod {
            year: key.0,
            month,
            week,
            count: 0,
            first_date: written.clone(),
            last_date: written.clone(),
        });
        period.count += 1;
        period.first_date = written;
    }
    Ok(periods.into_values().rev().collect())
}

/// An author, with the posts that name them.
#[derive(SimpleObject)]
pub(crate) struct AuthorObject {
    /// The most common spelling among the posts.
    name: String,
    /// The name urlized: pass either to `posts(filter: {author})`.
    slug: String,
    /// Posts by this author.
    count: usize,
}

/// A taxonomy the site defines, with its terms.
#[derive(SimpleObject)]
pub(crate) struct TaxonomyObject {
    /// Its plural name (`tags`), as the Hugo configuration's `taxonomies` has it.
    name: String,
    /// Its terms with a post, sorted by slug.
    terms: Vec<super::post::TermObject>,
}

/// Every author with a published post, sorted by slug.
pub(crate) fn authors(ctx: &Context<'_>) -> Result<Vec<AuthorObject>> {
    let snapshot = shared::<Arc<Snapshot>>(ctx)?;
    let view = shared::<Arc<View>>(ctx)?;
    Ok(snapshot
        .authors()
        .terms_in(view)
        .into_iter()
        .map(|t| AuthorObject {
            name: t.name,
            slug: t.slug,
            count: t.count,
        })
        .collect())
}

/// The terms of `taxonomy` with a published post, as the API shows them.
pub(crate) fn terms(
    ctx: &Context<'_>,
    taxonomy: &Taxonomy,
) -> Result<Vec<super::post::TermObject>> {
    let view = shared::<Arc<View>>(ctx)?;
    Ok(taxonomy
        .terms_in(view)
        .iter()
        .map(super::post::TermObject::from)
        .collect())
}

/// Every taxonomy the site defines, with its terms.
pub(crate) fn taxonomies(ctx: &Context<'_>) -> Result<Vec<TaxonomyObject>> {
    let snapshot = shared::<Arc<Snapshot>>(ctx)?;
    snapshot
        .taxonomy_names()
        .into_iter()
        .filter_map(|name| Some((name, snapshot.taxonomy(name)?)))
        .map(|(name, taxonomy)| {
            Ok(TaxonomyObject {
                name: name.to_owned(),
                terms: terms(ctx, taxonomy)?,
            })
        })
        .collect()
}

/// `NOT_FOUND` for a term no post has at all, naming the field that lists them.
pub(crate) fn unknown_term(kind: &str, list: &str, term: &str) -> async_graphql::Error {
    coded(
        format!("no post has the {kind} `{term}`: the `{list}` field lists them all"),
        code::NOT_FOUND,
    )
}
