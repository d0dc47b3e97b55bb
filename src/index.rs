//! Index: the immutable [`Snapshot`] of one commit. Built from the files [`crate::source`] lists,
//! read and parsed in parallel (front matter only: nothing is rendered at load, and the Markdown
//! is not kept but read again to render), then ordered newest first and indexed by slug, ISO
//! week, category and keyword. A request holds one `Arc<Snapshot>` from
//! start to end, so an answer never mixes two commits.

mod body;
mod changes;
mod file;
mod files;
mod history;
mod layout;
mod links;
mod listing;
mod lookups;
mod neighbours;
mod page;
mod placement;
mod problem;
mod related;
mod resolve;
mod schedule;
mod search;
mod site;
mod taxonomy;
mod text;

pub use changes::{ChangedPost, PostChanges, Renamed};
use file::File;
pub(crate) use files::content_type;
pub(crate) use files::file_url;
pub(crate) use history::{Change, HISTORY_BYTES, History, HistoryCache, contributors, page_of};
pub(crate) use layout::Layout;
pub(crate) use listing::{Facts, Filter, Order, Terms, paginate};
use lookups::Lookups;
pub(crate) use page::{Page, PageError, page_size};

use links::LazyGraph;
pub(crate) use neighbours::Across;
use neighbours::LazyRelated;
pub(crate) use placement::{Placed, Section};
pub use problem::{Problem, RenderError};
pub use resolve::RenderReport;
pub(crate) use resolve::heading_ids;
pub use schedule::Publishing;
use schedule::Schedule;
pub(crate) use schedule::View;
pub(crate) use search::{SearchHits, SearchLanguage, SearchMode};
pub(crate) use site::{SiteIndex, Target};
pub(crate) use taxonomy::{Taxonomy, Term};
use text::LazyText;
pub(crate) use text::{TextIndex, release_freed_memory};

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};
use git2::Oid;
use rayon::prelude::*;

use crate::content::{self, IsoWeek, ListMode, Post, RenderOptions};
use crate::source::{Blobs, CommitInfo, Since, SourceError, SourceFiles};

/// What was loaded: the commit and when.
#[derive(Debug, Clone)]
pub struct Revision {
    pub commit: String,
    pub branch: Option<String>,
    pub committed_at: DateTime<FixedOffset>,
    pub loaded_at: DateTime<Utc>,
    /// Folder of the tree the posts were read from.
    pub root: String,
    pub post_count: usize,
    pub problem_count: usize,
    /// Posts marked `draft: true` that are not served.
    pub drafts_left_out: usize,
    /// The Hugo configuration files read, from the repository root (empty without one).
    pub site_config: Vec<String>,
    /// URL patterns of the default language by top-level section, as written.
    pub permalinks: Vec<(String, String)>,
}

/// `content-repo/ at 0123456789ab (main)`: what was loaded, for logs and `quire check`.
impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let commit = self.commit.get(..12).unwrap_or(&self.commit);
        let branch = self.branch.as_deref().unwrap_or("detached HEAD");
        write!(f, "{}/ at {commit} ({branch})", self.root)
    }
}

/// The snapshot being served: replaced whole by a refresh; a request clones the `Arc` once and
/// keeps it to the end. Empty until the first load finishes.
/// Lock-free: a reader never waits for a refresh, nor for another reader.
#[derive(Debug, Default)]
pub struct Served(arc_swap::ArcSwapOption<Snapshot>);

impl Served {
    pub fn get(&self) -> Option<Arc<Snapshot>> {
        self.0.load_full()
    }

    pub(crate) fn set(&self, snapshot: Arc<Snapshot>) {
        self.0.store(Some(snapshot));
    }
}

/// How to build a snapshot.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Serve posts marked `draft: true` (left out by default, as Hugo does).
    pub drafts: bool,
    /// Which time-based publishing rules are off (`--future`, `--expired`).
    pub publishing: Publishing,
    /// The language search stems words in (`--search-language`).
    pub(crate) search_language: SearchLanguage,
    /// A post file larger than this is a problem, not read (`--max-post-mb`, 8 MiB by default).
    pub max_post_bytes: u64,
    /// How posts are rendered.
    pub render: RenderOptions,
    /// Folder of the repository with Hugo's static files (`--static`); `None` for `static`
    /// beside the root when the commit has it.
    pub static_dir: Option<String>,
    /// Public base URL of the server (`--public-url`): file links in `html` are absolute under it.
    pub public_url: Option<url::Url>,
    /// URL patterns by top-level section (`--permalinks`), over the Hugo configuration's.
    pub(crate) permalinks: BTreeMap<String, crate::content::Pattern>,
    /// `--ugly-urls`, over the Hugo configuration's `uglyURLs`.
    pub ugly_urls: Option<bool>,
}

/// `--max-post-mb` when it is not given.
pub(crate) const DEFAULT_MAX_POST_MB: u64 = 8;

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            drafts: false,
            publishing: Publishing::default(),
            search_language: SearchLanguage::default(),
            max_post_bytes: DEFAULT_MAX_POST_MB * 1024 * 1024,
            render: RenderOptions::default(),
            static_dir: None,
            public_url: None,
            permalinks: BTreeMap::new(),
            ugly_urls: None,
        }
    }
}

/// Every post of one commit, ordered newest first, with lookups.
#[derive(Debug)]
pub struct Snapshot {
    revision: Revision,
    since: Since,
    /// Every file under the root as it was parsed, by path: what the next refresh starts from.
    files: BTreeMap<String, File>,
    /// Where the posts' Markdown is read from when they are rendered.
    blobs: Blobs,
    /// Listed posts, newest first.
    posts: Vec<Arc<Placed>>,
    /// Where pages are and what their URLs are.
    site: Arc<SiteIndex>,
    /// Every page's links, built on first need.
    graph: LazyGraph,
    /// Related posts, ranked on first need.
    related: LazyRelated,
    /// When pages appear and disappear (publish and expiry dates).
    schedule: Schedule,
    /// Every listed post's text: word counts, footnotes, the search index; read after a load.
    text: LazyText,
    /// Shared with the previous snapshot when no post moved and none changed what they index.
    lookups: Arc<Lookups>,
    problems: Vec<Problem>,
    /// The static folder served under `/files` beside the root, resolved for this commit.
    static_root: Option<String>,
    /// How the posts are rendered.
    render: RenderOptions,
    /// Where file links point (`--public-url`).
    public_url: Option<url::Url>,
}

/// How much work building a snapshot took: files parsed, files reused from the previous
/// snapshot because their blob did not change, and files gone since then.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BuildStats {
    pub parsed: usize,
    pub reused: usize,
    pub removed: usize,
}

impl Snapshot {
    /// Reads and parses `source` (on all cores) and indexes the posts. With a `previous`
    /// snapshot, a file whose path and blob are unchanged is not read again, and when `source`
    /// lists only changes (a tree diff), every other file is taken from `previous` as it is.
    /// Files that are not valid posts become [`Problem`]s.
    ///
    /// # Errors
    /// [`SourceError`] when a blob cannot be read from git.
    pub(crate) fn build(
        source: SourceFiles,
        options: LoadOptions,
        previous: Option<&Snapshot>,
    ) -> Result<(Snapshot, BuildStats), SourceError> {
        let SourceFiles {
            commit,
            root_tree,
            complete,
            files: read,
            blobs,
            site,
            skipped,
            removed,
        } = source;
        let (layout, bad_patterns) =
            Layout::new(&commit.root, &site, &options.permalinks, options.ugly_urls);
        let layout_problems = bad_patterns
            .into_iter()
            .map(|bad| Problem {
                path: bad.file,
                line: None,
                message: bad.message,
            })
            .collect();
        let static_dir = options.static_dir.clone().or_else(|| {
            site.config
                .as_ref()
                .map(|config| site.path(&config.static_dir))
        });
        let static_root = blobs.static_folder(commit.id, &commit.root, static_dir.as_deref())?;
        let mut options = options;
        if let Some(words) = site.config.as_ref().and_then(|c| c.summary_length) {
            options.render.summary_words = words;
        }
        let before = previous.map(|p| &p.files);
        let mut files = match before {
            Some(before) if !complete => before.clone(),
            _ => BTreeMap::new(),
        };
        for path in &removed {
            files.remove(path);
        }
        let skipped_now = skipped.len();
        for (path, message) in skipped {
            let problem = Problem {
                path: path.clone(),
                line: None,
                message,
            };
            files.insert(
                path,
                File::Unreadable {
                    blob: None,
                    problem,
                },
            );
        }
        let mut stats = BuildStats::default();
        let mut fresh = Vec::with_capacity(read.len());
        for file in read {
            match before.and_then(|b| b.get(&file.path)) {
                Some(old) if old.blob() == Some(file.blob) => {
                    stats.reused += 1;
                    files.insert(file.path, old.clone());
                }
                _ => fresh.push(file),
            }
        }
        stats.parsed = fresh.len();
        let parsed: Vec<File> = fresh
            .par_iter()
            .map(|file| File::read(file, &blobs, options.max_post_bytes))
            .collect::<Result<_, _>>()?;
        files.extend(fresh.into_iter().map(|f| f.path).zip(parsed));
        if let Some(before) = before {
            stats.removed = before.keys().filter(|p| !files.contains_key(*p)).count();
            if !complete {
                stats.reused = files.len() - stats.parsed - skipped_now;
            }
        }
        let mut snapshot = Snapshot::index(
            commit,
            root_tree,
            site.fingerprint,
            files,
            blobs,
            (options, layout, layout_problems),
            previous,
        );
        snapshot.static_root = static_root;
        Ok((snapshot, stats))
    }

    fn index(
        commit: CommitInfo,
        root_tree: Oid,
        site_fingerprint: u64,
        files: BTreeMap<String, File>,
        blobs: Blobs,
        (options, layout, layout_problems): (LoadOptions, Layout, Vec<Problem>),
        previous: Option<&Snapshot>,
    ) -> Snapshot {
        let mut problems = layout_problems;
        let mut parsed: BTreeMap<&str, &Arc<Post>> = BTreeMap::new();
        for (path, file) in &files {
            match file {
                File::Unreadable { problem, .. } => problems.push(problem.clone()),
                File::Post {
                    post,
                    problems: field_problems,
                    ..
                } => {
                    problems.extend(field_problems.iter().cloned());
                    parsed.insert(path.as_str(), post);
                }
            }
        }
        // A placed page is reused only while what places it is the same: the layout (URL rules,
        // languages) and which folders are sections (`:sections`, a page's section).
        let same_sections = |old: &Snapshot| {
            let now = parsed.keys().filter(|p| content::is_section_file(p));
            let before = old.site.sections.iter().filter_map(|s| s.page.as_ref());
            now.copied().eq(before
                .map(|p| p.path.as_str())
                .collect::<std::collections::BTreeSet<_>>())
        };
        let reuse: placement::Reuse<'_> = previous
            .filter(|old| old.site.layout == layout && same_sections(old))
            .map(|old| {
                let pages = old.site.pages.values();
                let sections = old.site.sections.iter().filter_map(|s| s.page.as_ref());
                pages
                    .chain(sections)
                    .map(|p| (p.path.as_str(), p))
                    .collect()
            })
            .unwrap_or_default();
        let placed = placement::place(&parsed, &layout, options.drafts, &reuse);
        drop(reuse);
        drop(parsed);
        problems.extend(placed.problems);
        let (related, bad_related) = LazyRelated::new(
            layout.related.as_ref(),
            layout.config_files.first().map_or("", String::as_str),
        );
        problems.extend(bad_related);
        problems.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));

        // Compute each post's instant once, not at every comparison.
        let mut keyed: Vec<_> = placed
            .pages
            .iter()
            .filter(|p| p.list != ListMode::Never)
            .map(|p| (instant_key(p), Arc::clone(p)))
            .collect();
        keyed.sort_unstable_by(|(a, p), (b, q)| a.cmp(b).then_with(|| p.path.cmp(&q.path)));
        let posts: Vec<Arc<Placed>> = keyed.into_iter().map(|(_, p)| p).collect();
        // The site's taxonomies besides the two every post has fields for.
        let taxonomies: Vec<String> = layout
            .taxonomies
            .values()
            .filter(|plural| !["categories", "keywords"].contains(&plural.as_str()))
            .cloned()
            .collect();
        let lookups = match previous {
            Some(old) if old.lookups.still_fit(&old.posts, &posts, &taxonomies) => {
                Arc::clone(&old.lookups)
            }
            _ => Arc::new(Lookups::build(&posts, &taxonomies)),
        };
        let revision = Revision {
            commit: commit.id.to_string(),
            branch: commit.branch,
            committed_at: commit.committed_at,
            loaded_at: Utc::now(),
            root: commit.root,
            post_count: posts.len(),
            problem_count: problems.len(),
            drafts_left_out: placed.drafts_left_out,
            site_config: layout.config_files.clone(),
            permalinks: layout
                .languages
                .iter()
                .find(|l| l.code == layout.default_language)
                .map(|l| {
                    l.permalinks
                        .iter()
                        .map(|(s, p)| (s.clone(), p.as_str().to_owned()))
                        .collect()
                })
                .unwrap_or_default(),
        };
        let site = Arc::new(SiteIndex::build(layout, placed.pages, placed.sections));
        let unlisted = site.pages.values().filter(|p| p.list == ListMode::Never);
        let section_pages = site.sections.iter().filter_map(|s| s.page.as_ref());
        let schedule = Schedule::new(&posts, unlisted.chain(section_pages), options.publishing);
        Snapshot {
            revision,
            since: Since {
                commit: commit.id,
                root_tree,
                site: site_fingerprint,
            },
            files,
            blobs,
            posts,
            site,
            graph: LazyGraph::default(),
            related,
            schedule,
            text: LazyText::new(options.search_language, previous.map(|p| &p.text)),
            lookups,
            problems,
            static_root: None,
            render: options.render,
            public_url: options.public_url,
        }
    }

    /// The repository the snapshot was read from, with a pool of open handles.
    pub(crate) fn blobs(&self) -> &Blobs {
        &self.blobs
    }

    /// Where the next refresh diffs from.
    pub(crate) fn since(&self) -> Since {
        self.since
    }

    /// The commit served, as the id git gives it: a key that needs no parsing.
    pub(crate) fn commit_id(&self) -> git2::Oid {
        self.since.commit
    }

    /// What is hidden at `now` by the publishing rules; the same value for every instant until
    /// the next page appears or disappears.
    pub(crate) fn view(&self, now: DateTime<Utc>) -> Arc<View> {
        self.schedule.view(now)
    }

    pub fn revision(&self) -> &Revision {
        &self.revision
    }

    /// Number of posts served.
    pub fn post_count(&self) -> usize {
        self.posts.len()
    }

    /// The listed posts with this slug, newest first.
    pub(crate) fn posts_with_slug(&self, slug: &str) -> impl Iterator<Item = &Arc<Placed>> {
        self.lookups
            .by_slug
            .get(slug)
            .into_iter()
            .flatten()
            .map(|&i| &self.posts[i])
    }

    /// The first listed post with this slug (tests; answers use [`Self::posts_with_slug`]).
    #[cfg(test)]
    pub(crate) fn post(&self, slug: &str) -> Option<&Arc<Placed>> {
        self.posts_with_slug(slug).next()
    }

    /// The served page at `path` (from the repository root), listed or not.
    pub(crate) fn page_at(&self, path: &str) -> Option<&Arc<Placed>> {
        self.site.pages.get(path)
    }

    /// The base absolute links to pages are made from, in feeds and the sitemap: `--public-url`,
    /// else the Hugo configuration's `baseURL`; `None` without either.
    pub(crate) fn public_base(&self) -> Option<&url::Url> {
        self.public_url
            .as_ref()
            .or(self.site.layout.base_url.as_ref())
    }

    /// Pages, sections, URLs and translations.
    pub(crate) fn site(&self) -> &SiteIndex {
        &self.site
    }

    /// Listed posts, newest first (with those listed only in their section).
    pub(crate) fn posts(&self) -> &[Arc<Placed>] {
        &self.posts
    }

    /// Positions in [`Self::posts`] of the posts listed outside their section; `None` for all.
    pub(crate) fn listed_everywhere(&self) -> Option<&[usize]> {
        self.lookups.everywhere.as_deref()
    }

    /// Posts whose date falls in `week` (in the offset each was written with), newest first.
    pub(crate) fn posts_in_week(&self, week: IsoWeek) -> impl Iterator<Item = &Arc<Placed>> {
        self.lookups
            .by_week
            .get(&week)
            .into_iter()
            .flatten()
            .map(|&i| &self.posts[i])
    }

    pub(crate) fn categories(&self) -> &Taxonomy {
        &self.lookups.categories
    }

    pub(crate) fn keywords(&self) -> &Taxonomy {
        &self.lookups.keywords
    }

    pub(crate) fn authors(&self) -> &Taxonomy {
        &self.lookups.authors
    }

    /// A taxonomy the site defines, by plural name (any case): `categories`, `tags`...
    pub(crate) fn taxonomy(&self, name: &str) -> Option<&Taxonomy> {
        let names = &self.site.layout.taxonomies;
        if !names.values().any(|n| n.eq_ignore_ascii_case(name)) {
            return None;
        }
        match name.to_ascii_lowercase().as_str() {
            "categories" => Some(self.categories()),
            "keywords" => Some(self.keywords()),
            _ => self
                .lookups
                .taxonomies
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, t)| t),
        }
    }

    /// The plural names of the site's taxonomies, in the configuration's order.
    pub(crate) fn taxonomy_names(&self) -> Vec<&str> {
        self.site
            .layout
            .taxonomies
            .values()
            .map(String::as_str)
            .collect()
    }

    /// Files left out or served without a field, sorted by path.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Posts marked `draft: true` that were not served.
    pub fn drafts_left_out(&self) -> usize {
        self.revision.drafts_left_out
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

/// Newest first by instant (across offsets); undated posts last; then by path.
pub(crate) fn order_key(post: &Post) -> (bool, Reverse<(i64, u32)>, &str) {
    let (undated, instant) = instant_key(post);
    (undated, instant, post.path.as_str())
}

/// [`order_key`] without the slug.
fn instant_key(post: &Post) -> (bool, Reverse<(i64, u32)>) {
    let instant = post.date.map(|d| d.instant());
    (
        instant.is_none(),
        Reverse(instant.map_or((0, 0), |t| (t.timestamp(), t.timestamp_subsec_nanos()))),
    )
}

/// Snapshots of throwaway repositories, for tests of what reads posts back from git.
#[cfg(test)]
pub(crate) mod testing;
