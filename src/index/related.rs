//! Related posts, ranked as Hugo 0.111's `.Site.RegularPages.Related .` ranks them
//! (`related/inverted_index.go`): one inverted index per configured field, built once per
//! snapshot; asking for a post's related posts looks up each of its terms.
//!
//! The rank, as Hugo computes it: every post sharing a term with the one asked about gains the
//! weight of that term's index, once per shared term (a term listed twice counts twice). A post
//! is kept when `norm(weight / matches) >= threshold / matches` (integer divisions, `norm`
//! scales from the least weight, or 0, to the greatest, to 0..100, rounding halves up); kept
//! posts are ordered by their summed weight, then newest first. Posts newer than the one asked
//! about are left out unless `include_newer`; the post itself never counts.
//!
//! Where Quire differs from Hugo: posts of equal weight and instant are ordered by position (the
//! snapshot's order: by slug), where Hugo orders them by title, or at random when their dates
//! were written with an offset other than UTC (Go compares the zones by pointer); dates are the
//! post's `date` (Hugo's newer-posts filter uses `publishDate`, the date unless set apart);
//! Hugo falls back to the site's `params` for a field a page does not set, Quire does not; an
//! index of type `fragments` (headings) is refused by [`RelatedConfig::from_hugo`].

mod config;

pub(crate) use config::RelatedConfig;
#[cfg(test)]
use config::RelatedIndex;

use std::cmp::{Ordering, Reverse};

use foldhash::{HashMap, HashMapExt as _};

use crate::content::GoTime;
use crate::content::PostDate;

/// Inverted indices over a snapshot's posts, built once per snapshot.
#[derive(Debug)]
pub(crate) struct Related {
    threshold: i64,
    include_newer: bool,
    /// The least and greatest configured weights; the scale starts at 0 at least.
    min_weight: i64,
    max_weight: i64,
    /// One per index of non-zero weight (a zero weight turns an index off).
    indices: Vec<Index>,
    /// Each post's instant, to leave newer posts out and to order by date; an undated post is
    /// older than any other, as Go's zero time is.
    dates: Vec<Option<(i64, u32)>>,
}

/// The index of one field: each post's terms, and the posts of each term.
#[derive(Debug)]
struct Index {
    weight: i64,
    /// Post `i`'s terms, as written (repeats kept): `terms[term_starts[i]..term_starts[i + 1]]`.
    term_starts: Vec<u32>,
    terms: Vec<u32>,
    /// Posts listing term `t`, ascending, once per listing:
    /// `posts[post_starts[t]..post_starts[t + 1]]`. Empty for a term dropped as too common.
    post_starts: Vec<u32>,
    posts: Vec<u32>,
}

impl Index {
    fn terms_of(&self, post: usize) -> &[u32] {
        &self.terms[self.term_starts[post] as usize..self.term_starts[post + 1] as usize]
    }

    fn posts_of(&self, term: u32) -> &[u32] {
        let t = term as usize;
        &self.posts[self.post_starts[t] as usize..self.post_starts[t + 1] as usize]
    }
}

/// A post that shares terms with the one asked about.
#[derive(Debug, Clone, Copy)]
struct Match {
    weight: i64,
    date: Option<(i64, u32)>,
    post: u32,
}

/// Heaviest first, then newest, then by position.
fn best_first(a: &Match, b: &Match) -> Ordering {
    (Reverse(a.weight), Reverse(a.date), a.post).cmp(&(Reverse(b.weight), Reverse(b.date), b.post))
}

impl Related {
    /// Indexes `len` posts. `terms(i, name)` gives post `i`'s values for the index `name`
    /// (the index's name lowercased, as Hugo looks params up: `keywords`, `categories`,
    /// `tags`, any front matter field), as written: lowercasing is done here when the config
    /// asks for it. The index named `date` reads `dates[i]` instead (one per post; `None` for
    /// an undated post), formatted with its pattern in the offset the date was written in.
    pub(crate) fn build<I>(
        config: &RelatedConfig,
        len: usize,
        terms: impl Fn(usize, &str) -> I,
        dates: &[Option<PostDate>],
    ) -> Related
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let weights = config.indices.iter().map(|c| i64::from(c.weight));
        let indices = config
            .indices
            .iter()
            .filter(|c| c.weight != 0)
            .map(|c| {
                let mut builder = Builder::new(len, c.cardinality_threshold);
                if c.is_date() {
                    let layout = c.pattern.as_deref().unwrap_or("2006");
                    for i in 0..len {
                        if let Some(date) = dates.get(i).copied().flatten() {
                            builder.add(&GoTime::new(date.moment()).format(layout));
                        }
                        builder.end_post();
                    }
                } else {
                    let name = c.name.to_lowercase();
                    let lower = c.to_lower || config.to_lower;
                    for i in 0..len {
                        for term in terms(i, &name) {
                            if lower {
                                builder.add_lowered(term.as_ref());
                            } else {
                                builder.add(term.as_ref());
                            }
                        }
                        builder.end_post();
                    }
                }
                builder.finish(i64::from(c.weight))
            })
            .collect();
        Related {
            threshold: i64::from(config.threshold),
            include_newer: config.include_newer,
            min_weight: weights.clone().fold(0, i64::min),
            max_weight: weights.fold(0, i64::max),
            indices,
            dates: (0..len)
                .map(|i| {
                    let instant = dates.get(i).copied().flatten()?.instant();
                    Some((instant.timestamp(), instant.timestamp_subsec_nanos()))
                })
                .collect(),
        }
    }

    /// The `first` posts most related to post `i`, best first, never `i` itself: heaviest
    /// first, then newest, then by position (Hugo: by title). Empty when `i` is out of range.
    pub(crate) fn of(&self, i: usize, first: usize) -> Vec<usize> {
        let len = self.dates.len();
        if i >= len || first == 0 {
            return Vec::new();
        }
        // Hugo leaves newer posts out only when the post asked about has a date.
        let upper = self.dates[i].filter(|_| !self.include_newer);
        // (summed weight, matches) per post; `touched` lists the posts with a match.
        let mut ranks = vec![(0_i64, 0_u32); len];
        let mut touched = Vec::new();
        for index in &self.indices {
            for &term in index.terms_of(i) {
                for &post in index.posts_of(term) {
                    let p = post as usize;
                    if p == i || (upper.is_some() && self.dates[p] > upper) {
                        continue;
                    }
                    let rank = &mut ranks[p];
                    if rank.1 == 0 {
                        touched.push(post);
                    }
                    rank.0 += index.weight;
                    rank.1 += 1;
                }
            }
        }
        let mut matches: Vec<Match> = touched
            .into_iter()
            .filter_map(|post| {
                let (weight, count) = ranks[post as usize];
                let count = i64::from(count);
                let norm = self.norm(weight / count);
                (norm >= self.threshold / count).then_some(Match {
                    weight,
                    date: self.dates[post as usize],
                    post,
                })
            })
            .collect();
        if matches.len() > first {
            matches.select_nth_unstable_by(first - 1, best_first);
            matches.truncate(first);
        }
        matches.sort_unstable_by(best_first);
        matches.into_iter().map(|m| m.post as usize).collect()
    }

    /// Hugo's `norm`: `weight` on a 0..100 scale from the least weight to the greatest.
    fn norm(&self, weight: i64) -> i64 {
        let span = (self.max_weight - self.min_weight) as f64;
        // Go converts with floor(x + 0.5); `as` saturates, as no weight comes near the limits.
        ((weight - self.min_weight) as f64 / span * 100.0 + 0.5).floor() as i64
    }
}

/// Builds one [`Index`]: terms are numbered as they come, then the posts of each term are
/// gathered in one pass.
struct Builder {
    ids: HashMap<Box<str>, u32>,
    /// For lowercased terms: the id of each spelling met, so that each is lowercased once.
    spellings: HashMap<Box<str>, u32>,
    lowered: String,
    term_starts: Vec<u32>,
    terms: Vec<u32>,
    cardinality_threshold: u8,
}

impl Builder {
    fn new(len: usize, cardinality_threshold: u8) -> Builder {
        let mut term_starts = Vec::with_capacity(len + 1);
        term_starts.push(0);
        Builder {
            ids: HashMap::new(),
            spellings: HashMap::new(),
            lowered: String::new(),
            term_starts,
            terms: Vec::with_capacity(len * 4),
            cardinality_threshold,
        }
    }

    /// Adds a term to the current post.
    fn add(&mut self, term: &str) {
        let id = self.id(term);
        self.terms.push(id);
    }

    /// Adds a term to the current post, lowercased.
    fn add_lowered(&mut self, term: &str) {
        let id = match self.spellings.get(term) {
            Some(&id) => id,
            None => {
                let mut lowered = std::mem::take(&mut self.lowered);
                let id = self.id(to_lower(term, &mut lowered));
                self.lowered = lowered;
                self.spellings.insert(term.into(), id);
                id
            }
        };
        self.terms.push(id);
    }

    /// The number of `term`, new or met before.
    fn id(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = u32::try_from(self.ids.len()).expect("fewer than 2^32 terms");
        self.ids.insert(term.into(), id);
        id
    }

    /// Ends the current post; the next `add` is for the next one.
    fn end_post(&mut self) {
        let end = u32::try_from(self.terms.len()).expect("fewer than 2^32 terms");
        self.term_starts.push(end);
    }

    fn finish(self, weight: i64) -> Index {
        let Builder {
            ids,
            term_starts,
            terms,
            cardinality_threshold,
            ..
        } = self;
        let mut counts = vec![0_u32; ids.len()];
        for &t in &terms {
            counts[t as usize] += 1;
        }
        if cardinality_threshold > 0 {
            // Hugo: the share of the posts with any term here, rounded up, above the threshold.
            let with_terms = term_starts.windows(2).filter(|w| w[0] < w[1]).count();
            for count in &mut counts {
                let percent = (f64::from(*count) / with_terms as f64 * 100.0).ceil();
                if percent > f64::from(cardinality_threshold) {
                    *count = 0;
                }
            }
        }
        let mut post_starts = Vec::with_capacity(counts.len() + 1);
        let mut total = 0_u32;
        post_starts.push(0);
        for &c in &counts {
            total += c;
            post_starts.push(total);
        }
        // Fill each term's slot from its start; a dropped term has no room and gets nothing.
        let mut next: Vec<u32> = post_starts[..counts.len()].to_vec();
        let mut posts = vec![0_u32; total as usize];
        for (post, w) in term_starts.windows(2).enumerate() {
            for &t in &terms[w[0] as usize..w[1] as usize] {
                let t = t as usize;
                if counts[t] > 0 {
                    posts[next[t] as usize] = post as u32;
                    next[t] += 1;
                }
            }
        }
        Index {
            weight,
            term_starts,
            terms,
            post_starts,
            posts,
        }
    }
}

/// `term` in lower case, as Go's `strings.ToLower` (rune by rune), borrowed when it already is.
fn to_lower<'a>(term: &'a str, buffer: &'a mut String) -> &'a str {
    if term.is_ascii() {
        if !term.bytes().any(|b| b.is_ascii_uppercase()) {
            return term;
        }
        buffer.clear();
        buffer.push_str(term);
        buffer.make_ascii_lowercase();
    } else {
        buffer.clear();
        buffer.extend(term.chars().flat_map(char::to_lowercase));
    }
    buffer
}

#[cfg(test)]
mod tests;
