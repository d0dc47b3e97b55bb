//! What the GraphQL endpoint keeps between requests: ready-made answers, keyed by the commit and
//! the request (so a refresh never needs to invalidate anything), GET answers by their URL, and
//! the queries clients registered with Apollo's automatic persisted queries.

use std::fmt::Write as _;
use std::hash::BuildHasher as _;
use std::sync::Arc;

use axum::body::Bytes;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

/// Persisted queries kept, by total length of their text.
const PERSISTED_BYTES: u64 = 16 * 1024 * 1024;

/// Names one request independently of the commit: its query, operation name and variables.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct RequestDigest([u8; 32]);

impl RequestDigest {
    /// Variables are hashed with their keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are
    /// one request.
    pub(crate) fn new(
        query: &str,
        operation_name: Option<&str>,
        variables: Option<&serde_json::Map<String, Value>>,
    ) -> RequestDigest {
        let mut hasher = Sha256::new();
        hasher.update(query.len().to_le_bytes());
        hasher.update(query.as_bytes());
        match operation_name {
            Some(name) => {
                hasher.update([1]);
                hasher.update(name.len().to_le_bytes());
                hasher.update(name.as_bytes());
            }
            None => hasher.update([0]),
        }
        if let Some(variables) = variables.filter(|v| !v.is_empty()) {
            let mut text = String::new();
            canonical_object(variables, &mut text);
            hasher.update(text.as_bytes());
        }
        RequestDigest(hasher.finalize().into())
    }

    /// The weak entity tag of this request's answer at `commit`, in `media`, from a server whose
    /// version and content settings are `variant`.
    pub(crate) fn etag(&self, commit: &str, media: &str, variant: &str) -> String {
        let mut hasher = Sha256::new();
        for part in [commit, media, variant] {
            hasher.update(part.len().to_le_bytes());
            hasher.update(part.as_bytes());
        }
        hasher.update(self.0);
        let digest = hasher.finalize();
        format!("W/\"{}\"", hex::encode(&digest[..16]))
    }
}

/// JSON with object keys sorted, at every depth.
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => canonical_object(map, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

fn canonical_object(map: &serde_json::Map<String, Value>, out: &mut String) {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out.push('{');
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}:", Value::String(key.clone()));
        canonical(value, out);
    }
    out.push('}');
}

/// Answers without errors, as the bytes sent, per (commit, request); and GET answers by URL.
pub(crate) struct ResponseCache {
    cache: moka::future::Cache<(git2::Oid, usize, RequestDigest), Bytes>,
    /// Keyed by a hash of the media type and the URL's query string, checked against both.
    by_url: moka::sync::Cache<u64, Arc<UrlAnswer>>,
    url_hasher: foldhash::fast::RandomState,
}

/// A GET answer, found again by its URL without parsing the parameters or hashing the request:
/// a CDN or a browser asks for the same URLs over and over.
#[derive(Debug)]
pub(crate) struct UrlAnswer {
    /// The URL's query string, as sent.
    pub(crate) url: Box<str>,
    pub(crate) media: &'static str,
    /// The commit and publishing epoch it answers at: it is only used while that commit is
    /// served and no post has appeared or disappeared since.
    pub(crate) version: Box<str>,
    pub(crate) etag: String,
    pub(crate) body: Bytes,
    /// For the metrics.
    pub(crate) operation: Option<String>,
}

/// What an entry costs besides its key and its bytes: moka's entry and its bookkeeping (the
/// hash table slot, the access-order queue node, the key's own allocation), the `Bytes` handle
/// and the allocator's rounding. Measured with `tests/hostile.rs` (a flood of tiny distinct
/// GETs, the process's resident memory read before and after): counting no overhead, a 4 MiB
/// cache grew the process by 11.7 MiB; with 640 bytes an 8 MiB cache grew it by 9.5 MiB, and
/// with 800 bytes by 8.6 MiB, of which about 2.8 MiB does not grow with the budget (allocator
/// arenas of the query threads, eviction lag: an evicted entry is freed after its replacement
/// is allocated).
const ENTRY_OVERHEAD: usize = 800;

impl ResponseCache {
    /// A cache holding about `bytes` of answers (a quarter of them for answers by URL, whose
    /// bodies are often the same bytes as an answer's; counted twice then); `None` for 0. Each
    /// entry weighs what it holds: its key, its bytes and [`ENTRY_OVERHEAD`].
    pub(crate) fn new(bytes: u64) -> Option<ResponseCache> {
        (bytes > 0).then(|| ResponseCache {
            cache: moka::future::Cache::builder()
                .name("graphql-responses")
                .max_capacity(bytes - bytes / 4)
                .weigher(|_: &(git2::Oid, usize, RequestDigest), body: &Bytes| {
                    let size = size_of::<(git2::Oid, usize, RequestDigest, Bytes)>()
                        + body.len()
                        + ENTRY_OVERHEAD;
                    u32::try_from(size).unwrap_or(u32::MAX)
                })
                .build(),
            by_url: moka::sync::Cache::builder()
                .name("graphql-get-urls")
                .max_capacity(bytes / 4)
                .weigher(|_, answer: &Arc<UrlAnswer>| {
                    let size = size_of::<(u64, UrlAnswer)>()
                        + answer.url.len()
                        + answer.version.len()
                        + answer.etag.capacity()
                        + answer.body.len()
                        + answer.operation.as_ref().map_or(0, String::capacity)
                        + ENTRY_OVERHEAD;
                    u32::try_from(size).unwrap_or(u32::MAX)
                })
                .build(),
            url_hasher: foldhash::fast::RandomState::default(),
        })
    }

    /// The GET answer for the query string `url` in `media`, if one was made at `version` (a
    /// commit and publishing epoch, [`crate::app::Pinned::version`]).
    pub(crate) fn by_url(&self, url: &str, media: &str, version: &str) -> Option<Arc<UrlAnswer>> {
        let found = self.by_url.get(&self.url_hasher.hash_one((media, url)))?;
        (*found.url == *url && found.media == media && *found.version == *version).then_some(found)
    }

    pub(crate) fn insert_by_url(&self, answer: UrlAnswer) {
        let key = self.url_hasher.hash_one((answer.media, &*answer.url));
        self.by_url.insert(key, Arc::new(answer));
    }

    /// The answer to `request` at `commit` in publishing epoch `epoch`.
    pub(crate) async fn get(
        &self,
        commit: git2::Oid,
        epoch: usize,
        request: RequestDigest,
    ) -> Option<Bytes> {
        self.cache.get(&(commit, epoch, request)).await
    }

    pub(crate) async fn insert(
        &self,
        commit: git2::Oid,
        epoch: usize,
        request: RequestDigest,
        body: Bytes,
    ) {
        self.cache.insert((commit, epoch, request), body).await;
    }
}

/// Queries registered by hash (automatic persisted queries).
pub(crate) struct PersistedQueries {
    cache: moka::future::Cache<String, Arc<str>>,
}

/// Why a persisted query could not be used.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PersistedError {
    /// Apollo's clients look for this exact message, then send the query with its hash.
    #[error("PersistedQueryNotFound")]
    NotFound,
    #[error(
        "`extensions.persistedQuery.sha256Hash` is not the SHA-256 of `query`: hash the exact query text sent, in lowercase hex"
    )]
    HashMismatch,
    #[error(
        "`extensions.persistedQuery` must be {{\"version\": 1, \"sha256Hash\": \"<64 hex digits>\"}}"
    )]
    Malformed,
}

impl PersistedQueries {
    pub(crate) fn new() -> PersistedQueries {
        PersistedQueries {
            cache: moka::future::Cache::builder()
                .name("persisted-queries")
                .max_capacity(PERSISTED_BYTES)
                .weigher(|hash: &String, query: &Arc<str>| {
                    let size = hash.capacity() + query.len() + 16 + ENTRY_OVERHEAD;
                    u32::try_from(size).unwrap_or(u32::MAX)
                })
                .build(),
        }
    }

    /// The query to run for a request with `extensions.persistedQuery`: `query` itself once its
    /// hash is checked and registered, or the query registered under the hash.
    ///
    /// # Errors
    /// [`PersistedError`] for a malformed extension, a hash that does not match, or an unknown
    /// hash sent without its query.
    pub(crate) async fn resolve(
        &self,
        persisted: &Value,
        query: Option<String>,
    ) -> Result<Arc<str>, PersistedError> {
        let version = persisted.get("version").and_then(Value::as_i64);
        let hash = persisted.get("sha256Hash").and_then(Value::as_str);
        let (Some(1), Some(hash)) = (version, hash) else {
            return Err(PersistedError::Malformed);
        };
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(PersistedError::Malformed);
        }
        let hash = hash.to_ascii_lowercase();
        match query {
            Some(query) => {
                if hex::encode(Sha256::digest(query.as_bytes())) != hash {
                    return Err(PersistedError::HashMismatch);
                }
                let query: Arc<str> = Arc::from(query);
                self.cache.insert(hash, Arc::clone(&query)).await;
                Ok(query)
            }
            None => self.cache.get(&hash).await.ok_or(PersistedError::NotFound),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn answers_by_url_only_the_same_url_media_and_commit() {
        let cache = ResponseCache::new(1 << 20).unwrap();
        cache.insert_by_url(UrlAnswer {
            url: "query=%7Bposts%7D".into(),
            media: "application/json",
            version: "c1".into(),
            etag: "W/\"1\"".to_owned(),
            body: Bytes::from_static(b"{}"),
            operation: None,
        });
        let found = cache.by_url("query=%7Bposts%7D", "application/json", "c1");
        assert_eq!(
            found.map(|a| a.body.clone()),
            Some(Bytes::from_static(b"{}"))
        );
        for (url, media, commit) in [
            ("query=%7Bposts%7D&x=1", "application/json", "c1"),
            (
                "query=%7Bposts%7D",
                "application/graphql-response+json",
                "c1",
            ),
            ("query=%7Bposts%7D", "application/json", "c2"),
        ] {
            assert!(
                cache.by_url(url, media, commit).is_none(),
                "{url} {media} {commit}"
            );
        }
    }

    fn digest(query: &str, name: Option<&str>, variables: Value) -> RequestDigest {
        RequestDigest::new(query, name, variables.as_object())
    }

    #[test]
    fn a_request_is_named_by_query_operation_and_variables() {
        let q = "query P($s: String!) { post(slug: $s) { title } }";
        let base = digest(q, Some("P"), json!({"s": "a", "n": {"x": 1, "y": [1, 2]}}));
        assert_eq!(
            base,
            digest(q, Some("P"), json!({"n": {"y": [1, 2], "x": 1}, "s": "a"})),
            "key order does not matter"
        );
        assert_ne!(
            base,
            digest(q, None, json!({"s": "a", "n": {"x": 1, "y": [1, 2]}}))
        );
        assert_ne!(
            base,
            digest(q, Some("P"), json!({"s": "b", "n": {"x": 1, "y": [1, 2]}}))
        );
        assert_ne!(
            base,
            digest(q, Some("P"), json!({"s": "a", "n": {"x": 1, "y": [2, 1]}}))
        );
        assert_eq!(digest(q, None, json!({})), digest(q, None, Value::Null));
    }

    #[test]
    fn etags_are_weak_and_depend_on_commit_media_and_variant() {
        let d = digest("{ posts { totalCount } }", None, Value::Null);
        let tag = d.etag("abc", "application/json", "v1");
        assert!(tag.starts_with("W/\"") && tag.ends_with('"') && tag.len() == 36);
        assert_ne!(tag, d.etag("abd", "application/json", "v1"));
        assert_ne!(
            tag,
            d.etag("abc", "application/graphql-response+json", "v1")
        );
        assert_ne!(tag, d.etag("abc", "application/json", "v2"));
        assert_eq!(tag, d.etag("abc", "application/json", "v1"));
    }

    #[tokio::test]
    async fn persisted_queries_register_then_resolve_by_hash() {
        let store = PersistedQueries::new();
        let query = "{ posts { totalCount } }";
        let hash = hex::encode(Sha256::digest(query.as_bytes()));
        let ext = json!({"version": 1, "sha256Hash": hash});
        assert_eq!(
            store.resolve(&ext, None).await,
            Err(PersistedError::NotFound)
        );
        assert_eq!(
            store.resolve(&ext, Some("{ other }".into())).await,
            Err(PersistedError::HashMismatch)
        );
        assert_eq!(
            &*store.resolve(&ext, Some(query.into())).await.unwrap(),
            query
        );
        assert_eq!(&*store.resolve(&ext, None).await.unwrap(), query);
        for bad in [
            json!({"version": 2, "sha256Hash": hash}),
            json!({"version": 1}),
            json!({"version": 1, "sha256Hash": "xyz"}),
        ] {
            assert_eq!(
                store.resolve(&bad, None).await,
                Err(PersistedError::Malformed)
            );
        }
    }
}
