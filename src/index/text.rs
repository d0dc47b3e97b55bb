//! Every post's text, read once after a load: word counts and footnotes for the listings that
//! order or filter by them, and the full-text search index. Built off the request path (the
//! refresh starts it as soon as a commit is served); a request that needs it waits a little,
//! then answers `NOT_READY`, never a partial result. A refresh reads again only the posts whose
//! blob or cascaded values changed, and updates the search index with those alone.

use std::collections::HashMap;
use std::hash::{BuildHasher as _, BuildHasherDefault, DefaultHasher};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rayon::prelude::*;

use super::search::{SearchDoc, SearchError, SearchIndex, SearchLanguage};
use super::{Facts, Placed, RenderError, Snapshot};
use crate::content::{self, BodyText};

/// What every listed post's text gives, by position in the snapshot's posts.
#[derive(Debug)]
pub(crate) struct TextIndex {
    /// Words and footnotes by position.
    facts: Vec<(u32, bool)>,
    /// What each post was read from, by path: a refresh reuses what did not change.
    read: HashMap<String, Read>,
    /// Position in the snapshot's posts by search key (already a hash: a fast hasher will do).
    positions: foldhash::HashMap<u64, usize>,
    search: SearchIndex,
}

/// One post's text as indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Read {
    blob: git2::Oid,
    /// [`Snapshot::render_variant`]: the cascaded values, which the text may read.
    variant: u64,
    /// The title, description and terms as indexed.
    fields: u64,
    words: u32,
    footnotes: bool,
}

/// The text index of a snapshot: built once, by the first caller, while others wait; seeded
/// with the previous snapshot's so that a refresh reads only what changed.
#[derive(Debug, Default)]
pub(crate) struct LazyText {
    built: OnceLock<Result<Arc<TextIndex>, Arc<SearchError>>>,
    seed: Mutex<Option<Arc<TextIndex>>>,
    language: SearchLanguage,
}

impl LazyText {
    /// A text index to build in `language`, from `previous`'s when that one was built.
    pub(crate) fn new(language: SearchLanguage, previous: Option<&LazyText>) -> LazyText {
        let seed = previous
            .and_then(|p| p.built.get())
            .and_then(|built| built.as_ref().ok())
            .filter(|_| previous.is_some_and(|p| p.language == language))
            .cloned();
        LazyText {
            built: OnceLock::new(),
            seed: Mutex::new(seed),
            language,
        }
    }
}

/// The key of a post in the search index: stable across commits for the same path.
pub(crate) fn search_key(path: &str) -> u64 {
    BuildHasherDefault::<DefaultHasher>::default().hash_one(path)
}

impl Snapshot {
    /// This snapshot with a text index of its own, read from every post when first asked for,
    /// instead of one updated from the previous snapshot's: for a snapshot of another commit,
    /// whose update would take the previous (served) one's index away from the branch's next
    /// refresh.
    pub(crate) fn on_its_own(mut self) -> Snapshot {
        self.text = LazyText::new(self.text.language, None);
        self
    }

    /// Every listed post's text, read by the first caller (on all cores) while the others wait.
    /// Blocks: call it off the async runtime.
    ///
    /// # Errors
    /// [`SearchError`] when the search index cannot be built (a bug or no memory).
    pub(crate) fn text_index(&self) -> Result<Arc<TextIndex>, Arc<SearchError>> {
        self.text
            .built
            .get_or_init(|| {
                let seed = self
                    .text
                    .seed
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .take();
                let started = std::time::Instant::now();
                let built = self.build_text(seed.as_deref());
                release_freed_memory();
                if let Ok(text) = &built {
                    tracing::info!(
                        posts = text.search.len(),
                        index_bytes = text.search.size_bytes(),
                        incremental = seed.is_some(),
                        "every post's text read and indexed for search in {} ms",
                        started.elapsed().as_millis()
                    );
                }
                built.map(Arc::new).map_err(Arc::new)
            })
            .clone()
    }

    /// [`Self::text_index`] when it is built already, without waiting or blocking.
    pub(crate) fn text_index_built(&self) -> Option<Result<Arc<TextIndex>, Arc<SearchError>>> {
        self.text.built.get().cloned()
    }

    fn build_text(&self, seed: Option<&TextIndex>) -> Result<TextIndex, SearchError> {
        let posts = self.posts();
        let fields: Vec<u64> = posts.par_iter().map(|p| fields_hash(p)).collect();
        let before = |i: usize| seed.and_then(|s| s.read.get(&posts[i].path));
        let unchanged = |i: usize| {
            before(i).is_some_and(|r| {
                r.blob == posts[i].blob
                    && r.variant == self.render_variant(&posts[i])
                    && r.fields == fields[i]
            })
        };
        // Read again only the posts that are new or changed, a chunk at a time on every core,
        // handing each chunk's documents to the index before the next is read: the text of
        // every post is never held at once.
        let fresh: Mutex<Vec<(usize, Read)>> = Mutex::default();
        let docs = (0..posts.len()).step_by(CHUNK).flat_map(|start| {
            let end = (start + CHUNK).min(posts.len());
            let found: Vec<(usize, Read, SearchDoc)> = (start..end)
                .into_par_iter()
                .filter(|&i| !unchanged(i))
                .map(|i| {
                    let (read, doc) = self.read_text(&posts[i], fields[i]);
                    (i, read, doc)
                })
                .collect();
            let mut reads = fresh.lock().unwrap_or_else(PoisonError::into_inner);
            let mut docs = Vec::with_capacity(found.len());
            for (i, read, doc) in found {
                reads.push((i, read));
                docs.push(doc);
            }
            docs
        });
        if seed.is_some() {
            let added: Vec<SearchDoc> = docs.collect();
            return self.update_text(seed, sorted(&fresh), added);
        }
        let search = SearchIndex::build(docs, self.text.language)?;
        let (facts, read, positions) = self.assemble(None, &sorted(&fresh));
        Ok(TextIndex {
            facts,
            read,
            positions,
            search,
        })
    }

    /// The text index from `seed`'s with the `fresh` reads (by position) and their `added`
    /// documents: what changed is updated in the seed's search index.
    fn update_text(
        &self,
        seed: Option<&TextIndex>,
        fresh: Vec<(usize, Read)>,
        added: Vec<SearchDoc>,
    ) -> Result<TextIndex, SearchError> {
        let seed = seed.expect("an update has a seed");
        let (facts, read, positions) = self.assemble(Some(seed), &fresh);
        // Gone or changed: out of the index; changed ones come back with `added`.
        let removed: Vec<u64> = seed
            .read
            .iter()
            .filter(|(path, before)| read.get(*path) != Some(before))
            .map(|(path, _)| search_key(path))
            .collect();
        let search = match seed.search.update(&removed, added) {
            Ok(search) => search,
            // Another view updated the seed's index first: read every post again.
            Err(SearchError::Stale) => return self.build_text(None),
            Err(err) => return Err(err),
        };
        Ok(TextIndex {
            facts,
            read,
            positions,
            search,
        })
    }

    /// Facts by position, reads by path and positions by key: the `fresh` reads (sorted by
    /// position), the others from `seed`.
    #[expect(clippy::type_complexity, reason = "the three parts of a TextIndex")]
    fn assemble(
        &self,
        seed: Option<&TextIndex>,
        fresh: &[(usize, Read)],
    ) -> (
        Vec<(u32, bool)>,
        HashMap<String, Read>,
        foldhash::HashMap<u64, usize>,
    ) {
        let posts = self.posts();
        let mut read = HashMap::with_capacity(posts.len());
        let mut facts = Vec::with_capacity(posts.len());
        let mut positions =
            foldhash::HashMap::with_capacity_and_hasher(posts.len(), Default::default());
        let mut fresh = fresh.iter().peekable();
        for (i, post) in posts.iter().enumerate() {
            let entry = match fresh.next_if(|(at, _)| *at == i) {
                Some((_, read)) => *read,
                None => *seed
                    .and_then(|s| s.read.get(&post.path))
                    .expect("an unchanged post was read before"),
            };
            facts.push((entry.words, entry.footnotes));
            positions.insert(search_key(&post.path), i);
            read.insert(post.path.clone(), entry);
        }
        (facts, read, positions)
    }

    /// What `post`'s text gives: its facts, and its search document (the text moves into it).
    fn read_text(&self, post: &Placed, fields: u64) -> (Read, SearchDoc) {
        let text = self.body_text(post).unwrap_or_else(|err| {
            // Indexed by its front matter alone; the log says why.
            tracing::warn!("{}", crate::error_chain(&err));
            BodyText {
                plain: String::new(),
                count: content::Count::default(),
                footnotes: false,
            }
        });
        let read = Read {
            blob: post.blob,
            variant: self.render_variant(post),
            fields,
            words: u32::try_from(text.count.words + text.count.cjk).unwrap_or(u32::MAX),
            footnotes: text.footnotes,
        };
        (read, search_doc(post, text.plain))
    }

    /// `post`'s body as text, read again from git.
    fn body_text(&self, post: &Placed) -> Result<BodyText, RenderError> {
        self.with_body(post, |body, page| {
            content::body_text(body, page, &self.render)
        })
    }
}

/// Gives back to the system the memory a build used and freed (every post's text, the index
/// writer's buffers, a snapshot's maps built on a blocking thread's arena): glibc keeps freed memory in its arenas otherwise, and a server that built
/// its index once would hold it for good.
pub(crate) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only returns glibc's own free pages to the system; it takes no
    // pointer and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Posts read at once before their documents go to the index.
const CHUNK: usize = 256;

/// The reads collected while documents were made, sorted by position.
fn sorted(fresh: &Mutex<Vec<(usize, Read)>>) -> Vec<(usize, Read)> {
    let mut fresh = std::mem::take(&mut *fresh.lock().unwrap_or_else(PoisonError::into_inner));
    fresh.sort_unstable_by_key(|(i, _)| *i);
    fresh
}

/// What search indexes of a post besides its body.
fn search_doc(post: &Placed, body: String) -> SearchDoc {
    SearchDoc {
        key: search_key(&post.path),
        title: post.title.clone(),
        description: post.description.clone().unwrap_or_default(),
        keywords: post.keywords.clone(),
        categories: post.categories.clone(),
        body,
    }
}

/// A hash of what [`search_doc`] takes from the front matter.
fn fields_hash(post: &Placed) -> u64 {
    BuildHasherDefault::<DefaultHasher>::default().hash_one((
        &post.title,
        &post.description,
        &post.keywords,
        &post.categories,
    ))
}

impl TextIndex {
    /// The search index.
    pub(crate) fn search(&self) -> &SearchIndex {
        &self.search
    }

    /// The position in the snapshot's posts of the post with search key `key`.
    pub(crate) fn position(&self, key: u64) -> Option<usize> {
        self.positions.get(&key).copied()
    }
}

impl Facts for TextIndex {
    fn words(&self, position: usize) -> u32 {
        self.facts.get(position).map_or(0, |f| f.0)
    }

    fn has_footnotes(&self, position: usize) -> bool {
        self.facts.get(position).is_some_and(|f| f.1)
    }
}
