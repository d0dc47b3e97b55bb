//! Index: the immutable [`Snapshot`] of one commit. Built from the files [`crate::source`] read,
//! parsed in parallel (front matter only: nothing is rendered at load), then ordered newest first
//! and indexed by slug, ISO week, category and keyword. A request holds one `Arc<Snapshot>` from
//! start to end, so an answer never mixes two commits.

mod page;
mod taxonomy;

pub(crate) use page::{Page, PageError};
pub(crate) use taxonomy::{Taxonomy, Term};

use std::cmp::Reverse;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};
use rayon::prelude::*;

use crate::content::{IsoWeek, Post};
use crate::source::{CommitInfo, SourceFiles};

/// What was loaded: the commit and when.
#[derive(Debug, Clone)]
pub struct Revision {
    pub commit: String,
    pub branch: Option<String>,
    pub committed_at: DateTime<FixedOffset>,
    pub loaded_at: DateTime<Utc>,
    /// Folder of the tree the posts were read from.
    pub root: String,
}

/// A file that was left out, or served without one of its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Path from the repository root.
    pub path: String,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// `content-repo/ at 0123456789ab (main)`: what was loaded, for logs and `quire check`.
impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let commit = self.commit.get(..12).unwrap_or(&self.commit);
        let branch = self.branch.as_deref().unwrap_or("detached HEAD");
        write!(f, "{}/ at {commit} ({branch})", self.root)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// How to build a snapshot.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Serve posts marked `draft: true` (left out by default, as Hugo does).
    pub drafts: bool,
}

/// Every post of one commit, ordered newest first, with lookups.
#[derive(Debug)]
pub struct Snapshot {
    revision: Revision,
    posts: Vec<Arc<Post>>,
    by_slug: HashMap<String, usize>,
    by_week: HashMap<IsoWeek, Vec<usize>>,
    categories: Taxonomy,
    keywords: Taxonomy,
    problems: Vec<Problem>,
    drafts_left_out: usize,
}

impl Snapshot {
    /// Parses `files` and indexes the posts. Never fails: unreadable files become [`Problem`]s.
    pub(crate) fn build(source: SourceFiles, options: LoadOptions) -> Snapshot {
        let SourceFiles {
            commit,
            mut files,
            skipped,
        } = source;
        files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        let parsed: Vec<_> = files
            .par_iter()
            .map(|file| (file, Post::parse(&file.path, file.blob, &file.bytes)))
            .collect();

        let mut problems: Vec<Problem> = skipped
            .into_iter()
            .map(|(path, message)| Problem {
                path,
                line: None,
                message,
            })
            .collect();
        let mut posts = Vec::with_capacity(parsed.len());
        let mut owner: HashMap<String, usize> = HashMap::with_capacity(parsed.len());
        let mut drafts_left_out = 0;
        for (file, result) in parsed {
            let (post, field_problems) = match result {
                Ok(ok) => ok,
                Err(err) => {
                    problems.push(Problem {
                        path: file.path.clone(),
                        line: err.line(),
                        message: err.to_string(),
                    });
                    continue;
                }
            };
            problems.extend(field_problems.into_iter().map(|p| Problem {
                path: post.path.clone(),
                line: p.line,
                message: p.to_string(),
            }));
            if post.draft && !options.drafts {
                drafts_left_out += 1;
                continue;
            }
            if let Some(&first) = owner.get(&post.slug) {
                let first: &Post = &posts[first];
                problems.push(Problem {
                    path: post.path.clone(),
                    line: None,
                    message: format!(
                        "slug `{}` is already used by {}; this post is left out: give it a distinct `slug` in its front matter",
                        post.slug, first.path
                    ),
                });
                continue;
            }
            owner.insert(post.slug.clone(), posts.len());
            posts.push(post);
        }
        problems.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));

        posts.sort_unstable_by(|a, b| order_key(a).cmp(&order_key(b)));
        let posts: Vec<Arc<Post>> = posts.into_iter().map(Arc::new).collect();
        let by_slug = posts
            .iter()
            .enumerate()
            .map(|(i, p)| (p.slug.clone(), i))
            .collect();
        let mut by_week: HashMap<IsoWeek, Vec<usize>> = HashMap::new();
        for (i, post) in posts.iter().enumerate() {
            if let Some(date) = post.date {
                by_week.entry(date.iso_week()).or_default().push(i);
            }
        }
        let categories = Taxonomy::build(posts.iter().map(|p| p.categories.as_slice()));
        let keywords = Taxonomy::build(posts.iter().map(|p| p.keywords.as_slice()));
        Snapshot {
            revision: revision(commit),
            posts,
            by_slug,
            by_week,
            categories,
            keywords,
            problems,
            drafts_left_out,
        }
    }

    pub fn revision(&self) -> &Revision {
        &self.revision
    }

    /// Number of posts served.
    pub fn post_count(&self) -> usize {
        self.posts.len()
    }

    /// Every post, newest first.
    pub(crate) fn posts(&self) -> &[Arc<Post>] {
        &self.posts
    }

    pub(crate) fn post(&self, slug: &str) -> Option<&Arc<Post>> {
        self.by_slug.get(slug).map(|&i| &self.posts[i])
    }

    /// Posts whose date falls in `week` (in the offset each was written with), newest first.
    pub(crate) fn posts_in_week(&self, week: IsoWeek) -> impl Iterator<Item = &Arc<Post>> {
        self.by_week
            .get(&week)
            .into_iter()
            .flatten()
            .map(|&i| &self.posts[i])
    }

    pub(crate) fn categories(&self) -> &Taxonomy {
        &self.categories
    }

    pub(crate) fn keywords(&self) -> &Taxonomy {
        &self.keywords
    }

    /// Files left out or served without a field, sorted by path.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Posts marked `draft: true` that were not served.
    pub fn drafts_left_out(&self) -> usize {
        self.drafts_left_out
    }

    /// A page of `indices` (positions in [`Self::posts`], in order), after `after`.
    ///
    /// # Errors
    /// [`PageError`] when `first` is out of range or `after` is not a cursor of this API.
    pub(crate) fn page(
        &self,
        indices: Option<&[usize]>,
        first: Option<i32>,
        after: Option<&str>,
    ) -> Result<Page, PageError> {
        page::paginate(&self.posts, indices, first, after)
    }
}

/// Newest first by instant (across offsets); undated posts last; then by slug.
pub(crate) fn order_key(post: &Post) -> (bool, Reverse<(i64, u32)>, &str) {
    let instant = post.date.map(|d| d.instant());
    (
        instant.is_none(),
        Reverse(instant.map_or((0, 0), |t| (t.timestamp(), t.timestamp_subsec_nanos()))),
        post.slug.as_str(),
    )
}

fn revision(commit: CommitInfo) -> Revision {
    Revision {
        commit: commit.id.to_string(),
        branch: commit.branch,
        committed_at: commit.committed_at,
        loaded_at: Utc::now(),
        root: commit.root,
    }
}
