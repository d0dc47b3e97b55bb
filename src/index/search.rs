//! Full-text search over posts: a tantivy index in memory, kept beside a snapshot, over each
//! post's title, description, keywords, categories and the body's plain text. Ranked by BM25,
//! a match in the title weighing 3 times one in the body, in the keywords 2.5 times, in the
//! description or categories 1.5 times. Only the body and the description are stored (for
//! snippets); the post's key is a fast field, so the caller's filter runs while collecting,
//! without loading a document.
//!
//! # Query syntax (`SearchMode::Exact`, the default)
//!
//! - `service mesh`: posts with **every** word, in any field and any order, best first.
//!   Words are matched in any form of the search language (`--search-language`, English by
//!   default: `running` finds `runs` and `run`), in any case and without accents (`cafe` finds
//!   `Café`). Punctuation separates words; a word written with some (`service-mesh`,
//!   `node.js`) is found as those words in a row.
//! - `"service mesh"`: the words next to each other, in that order.
//! - `kube*`: words that start with `kube` (at least 2 letters before the `*`), and the word
//!   itself in any form. `*` may only end a word.
//! - `-istio`, `-"service mesh"`: leaves out posts that have it (a query needs at least one
//!   word that is not left out).
//! - `title:mesh`, `title:"service mesh"`, `title:kube*`: in one field only. The fields are
//!   `title`, `description`, `keywords` (or `keyword`), `categories` (or `category`) and
//!   `body`. A word with a colon that is not a field needs double quotes: `"http://x"`.
//! - At most 256 characters and 32 words, phrases and prefixes. A malformed query (an empty
//!   one, an unclosed `"`, a lone `*`, an unknown field...) is a [`QueryError`] saying what is
//!   wrong and how to write it.
//!
//! # Search as you type (`SearchMode::Typo`)
//!
//! No syntax: the words of the query (quotes, `*`, `-` and `:` are punctuation), every one
//! required, each found as written or with typos: none for words of up to 3 letters, one edit
//! (a letter added, left out, changed, or two swapped) up to 7 letters, two from 8. The last
//! word is also taken as the start of a word (`kube` finds `kubernetes`, `servce mes` finds
//! "service mesh"). Exact matches rank above near ones.
//!
//! # Snippets
//!
//! Each hit has a snippet of about 180 characters: the passage of the body with the most of
//! the query's words (of the description when the body has none; the body's opening when
//! neither has any), HTML-escaped, each word the query matched in `<mark>`, with `…` where
//! text was cut off.

mod analysis;
mod fields;
mod query;
mod snippet;

pub(crate) use analysis::SearchLanguage;
#[expect(
    unused_imports,
    reason = "the error of `--search-language`, once integrated"
)]
pub(crate) use analysis::UnknownLanguage;
pub(crate) use query::QueryError;

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::BitSet;
use tantivy::indexer::IndexWriterOptions;
use tantivy::query::{EnableScoring, Query};
use tantivy::schema::Value as _;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term,
};

use analysis::{Analyzers, TOKENIZER};
use fields::{Fields, KEY};
use snippet::Matcher;

/// One post as search sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SearchDoc {
    /// Stable across commits (a hash of the post's path): what hits name and updates remove.
    pub(crate) key: u64,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) keywords: Vec<String>,
    pub(crate) categories: Vec<String>,
    /// The body as plain text ([`crate::content::plain_text`]).
    pub(crate) body: String,
}

/// How a query is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum SearchMode {
    /// The query syntax: words, phrases, prefixes, exclusions, fields.
    #[default]
    Exact,
    /// Search as you type: words with typos, the last one also a prefix.
    Typo,
}

/// One page of the posts a query found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SearchHits {
    /// Posts found that the filter accepted, on every page.
    pub(crate) total: usize,
    /// The page asked for, best first.
    pub(crate) hits: Vec<SearchHit>,
    /// What the query's words match, to mark them in snippets.
    matchers: Arc<[Matcher]>,
}

/// A post found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SearchHit {
    pub(crate) key: u64,
    /// BM25 with the fields' boosts: only comparable within one answer.
    pub(crate) score: f32,
    /// Where its stored text is, for its snippet.
    address: DocAddress,
}

/// The index could not be built or updated.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SearchError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error(
        "search index: this view is older than the index's last update, so an update from it \
         would lose that one: update the newest view, or build the index again"
    )]
    Stale,
}

/// Memory the writer that builds the index may fill before it writes a segment, per thread.
const BUILD_MEMORY: usize = 32_000_000;
/// Threads that build the index. A second one saves about a fifth of the time to build
/// 10,000 posts on 2 busy cores but adds its own [`BUILD_MEMORY`] and more to the peak (about
/// 105 MB against 128 MB for the whole process): memory is the scarcer.
const BUILD_THREADS: usize = 1;
/// The same for the writer of updates, which add a few posts at a time: tantivy's least.
const UPDATE_MEMORY: usize = 15_000_000;

/// The search index of one snapshot: a point-in-time view of an index in memory, which
/// [`SearchIndex::update`] makes the next view of. `Send + Sync`.
pub(crate) struct SearchIndex {
    shared: Arc<Shared>,
    searcher: Searcher,
    /// The writer's commit this view shows.
    opstamp: u64,
}

/// What every view of one index shares.
struct Shared {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    analyzers: Analyzers,
    writer: Mutex<Writing>,
}

struct Writing {
    /// Made on the first update: the writer that built the index is let go, with its
    /// threads and memory, once it is done.
    writer: Option<IndexWriter>,
    /// The last commit.
    opstamp: u64,
}

impl SearchIndex {
    /// Indexes `docs`, stemmed in `language`. Each doc is dropped once indexed: an iterator
    /// that makes them one at a time (the body's plain text rendered as it is asked for) keeps
    /// only one in memory.
    ///
    /// # Errors
    /// tantivy's, which in memory means a bug or no memory left.
    pub(crate) fn build(
        docs: impl IntoIterator<Item = SearchDoc>,
        language: SearchLanguage,
    ) -> Result<SearchIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_ram(schema);
        let analyzers = Analyzers::new(language);
        index
            .tokenizers()
            .register(TOKENIZER, analyzers.terms.clone());
        let options = IndexWriterOptions::builder()
            .memory_budget_per_thread(BUILD_MEMORY)
            .num_worker_threads(BUILD_THREADS)
            .num_merge_threads(1)
            .build();
        let mut writer = index.writer_with_options(options)?;
        for doc in docs {
            writer.add_document(fields.document(&doc))?;
        }
        let opstamp = writer.commit()?;
        writer.wait_merging_threads()?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .num_warming_threads(0)
            .try_into()?;
        let searcher = reader.searcher();
        let shared = Shared {
            index,
            reader,
            fields,
            analyzers,
            writer: Mutex::new(Writing {
                writer: None,
                opstamp,
            }),
        };
        Ok(SearchIndex {
            shared: Arc::new(shared),
            searcher,
            opstamp,
        })
    }

    /// The next view: `removed` keys deleted and `added` docs added (a changed post is in
    /// both), on the same index. `self` keeps answering as it did.
    ///
    /// # Errors
    /// [`SearchError::Stale`] when `self` is not the newest view; tantivy's otherwise.
    pub(crate) fn update(
        &self,
        removed: &[u64],
        added: Vec<SearchDoc>,
    ) -> Result<SearchIndex, SearchError> {
        let shared = &self.shared;
        let mut writing = shared.writer.lock().unwrap_or_else(PoisonError::into_inner);
        if writing.opstamp != self.opstamp {
            return Err(SearchError::Stale);
        }
        if removed.is_empty() && added.is_empty() {
            return Ok(SearchIndex {
                shared: Arc::clone(shared),
                searcher: self.searcher.clone(),
                opstamp: self.opstamp,
            });
        }
        let writer = match &mut writing.writer {
            Some(writer) => writer,
            None => {
                let options = IndexWriterOptions::builder()
                    .memory_budget_per_thread(UPDATE_MEMORY)
                    .num_worker_threads(1)
                    .num_merge_threads(1)
                    .build();
                writing
                    .writer
                    .insert(shared.index.writer_with_options(options)?)
            }
        };
        let result = (|| {
            for &key in removed {
                writer.delete_term(Term::from_field_u64(shared.fields.key, key));
            }
            for doc in &added {
                writer.add_document(shared.fields.document(doc))?;
            }
            let opstamp = writer.commit()?;
            shared.reader.reload()?;
            Ok(opstamp)
        })();
        let opstamp = match result {
            Ok(opstamp) => opstamp,
            Err(error) => {
                // Drop what was half done; the last commit is still the index.
                let _ = writer.rollback();
                return Err(SearchError::Tantivy(error));
            }
        };
        writing.opstamp = opstamp;
        Ok(SearchIndex {
            shared: Arc::clone(shared),
            searcher: shared.reader.searcher(),
            opstamp,
        })
    }

    /// Posts in this view.
    pub(crate) fn len(&self) -> u64 {
        self.searcher.num_docs()
    }

    /// Bytes of the index this view reads, all in memory (for a metric, or a log line).
    pub(crate) fn size_bytes(&self) -> u64 {
        self.searcher
            .space_usage()
            .map_or(0, |usage| usage.total().get_bytes())
    }

    /// The page `offset..offset + limit` of the posts `query` finds that `accept` accepts
    /// (given their key), best first (ties by key), with their snippets.
    ///
    /// # Errors
    /// A [`QueryError`] saying what is wrong in `query`.
    pub(crate) fn search(
        &self,
        query: &str,
        mode: SearchMode,
        accept: &dyn Fn(u64) -> bool,
        offset: usize,
        limit: usize,
    ) -> Result<SearchHits, QueryError> {
        let shared = &self.shared;
        let clauses = query::parse(query, mode, &shared.analyzers)?;
        let (include, exclude) = query::build(&clauses, &shared.fields);
        let keep = offset.saturating_add(limit);
        let (total, found) = self
            .collect(include.as_ref(), exclude.as_deref(), accept, keep)
            .map_err(|e| QueryError::Failed(e.to_string()))?;
        let hits = found
            .into_iter()
            .skip(offset)
            .map(|found| SearchHit {
                key: found.key,
                score: found.score,
                address: found.address,
            })
            .collect();
        Ok(SearchHits {
            total,
            hits,
            matchers: Matcher::of(&clauses).into(),
        })
    }

    /// The snippet of `hits.hits[i]`: about 180 characters, HTML-escaped, the words matched in
    /// `<mark>`. Made only when asked for: it reads the post's stored text and analyzes it.
    ///
    /// # Errors
    /// [`SearchError`] when the stored text cannot be read (a bug: the view holds it).
    pub(crate) fn snippet(&self, hits: &SearchHits, i: usize) -> Result<String, SearchError> {
        let Some(hit) = hits.hits.get(i) else {
            return Ok(String::new());
        };
        Ok(self.snippet_at(hit.address, &hits.matchers)?)
    }

    /// Every accepted match of `include` and not of `exclude` counted, the best `keep` of
    /// them, best first.
    fn collect(
        &self,
        include: &dyn Query,
        exclude: Option<&dyn Query>,
        accept: &dyn Fn(u64) -> bool,
        keep: usize,
    ) -> tantivy::Result<(usize, Vec<Found>)> {
        let weight = include.weight(EnableScoring::enabled_from_searcher(&self.searcher))?;
        let exclude = exclude
            .map(|q| q.weight(EnableScoring::disabled_from_searcher(&self.searcher)))
            .transpose()?;
        let mut total = 0;
        // The worst kept on top, to be pushed out by a better one.
        let mut best: BinaryHeap<Reverse<Found>> = BinaryHeap::new();
        for (ord, reader) in self.searcher.segment_readers().iter().enumerate() {
            let keys = reader.fast_fields().u64(KEY)?;
            let alive = reader.alive_bitset();
            let mut excluded = BitSet::with_max_value(reader.max_doc());
            if let Some(exclude) = &exclude {
                exclude.for_each_no_score(reader, &mut |docs| {
                    for &doc in docs {
                        excluded.insert(doc);
                    }
                })?;
            }
            let segment_ord = u32::try_from(ord).unwrap_or(u32::MAX);
            weight.for_each(reader, &mut |doc, score| {
                if alive.is_some_and(|alive| !alive.is_alive(doc)) || excluded.contains(doc) {
                    return;
                }
                let Some(key) = keys.first(doc) else { return };
                if !accept(key) {
                    return;
                }
                total += 1;
                if keep == 0 {
                    return;
                }
                let found = Found {
                    score,
                    key,
                    address: DocAddress::new(segment_ord, doc),
                };
                if best.len() < keep {
                    best.push(Reverse(found));
                } else if best.peek().is_some_and(|Reverse(worst)| found > *worst) {
                    best.pop();
                    best.push(Reverse(found));
                }
            })?;
        }
        let mut found: Vec<Found> = best.into_iter().map(|Reverse(f)| f).collect();
        found.sort_by(|a, b| b.cmp(a));
        Ok((total, found))
    }

    /// The snippet of a post found: of its body, else of its description, else the opening of
    /// its body (or of its description when the body is empty).
    fn snippet_at(&self, address: DocAddress, matchers: &[Matcher]) -> tantivy::Result<String> {
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let fields = &self.shared.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        let (body, description) = (text(fields.body), text(fields.description));
        let analyzer = &self.shared.analyzers.terms;
        let marked = snippet::marked(&body, analyzer, matchers)
            .or_else(|| snippet::marked(&description, analyzer, matchers));
        Ok(marked.unwrap_or_else(|| {
            let opening = if body.trim().is_empty() {
                &description
            } else {
                &body
            };
            snippet::opening(opening)
        }))
    }
}

/// A match kept while collecting; orders by score, then by key (the smaller key better).
#[derive(Debug, Clone, Copy)]
struct Found {
    score: f32,
    key: u64,
    address: DocAddress,
}

impl Ord for Found {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.key.cmp(&self.key))
    }
}

impl PartialOrd for Found {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Found {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Found {}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("posts", &self.len())
            .field("opstamp", &self.opstamp)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;
