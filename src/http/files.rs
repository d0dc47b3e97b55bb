//! `GET` and `HEAD /files/{commit}/{*path}`: a post's images and other files, straight from
//! git. The commit must be the served one or one before it on the served branch (a page
//! rendered from an earlier commit keeps its images; a commit of another branch is not
//! served); the path must be normalized and under the content root (Markdown excepted) or the
//! static folder (see [`crate::source::FileInfo`]). Anything else is a 404 that says what to
//! check, the same for a commit that does not exist and one that exists elsewhere.
//!
//! A URL names one blob forever, so answers are `immutable` for a year, with the blob id as a
//! strong `ETag` (`If-None-Match` answers 304). One byte range is served as a 206 (`If-Range`
//! honoured); several ranges get the whole file in a 200, which HTTP allows and which spares
//! a multipart encoder for a case browsers do not use for images.
//!
//! **Active content.** A file a browser would run as a document in this origin (HTML, SVG,
//! XML) is served with `Content-Security-Policy: sandbox`: it still displays (a demo page
//! linked from a post, an SVG opened in a tab), but in an opaque origin with scripts off, so
//! a repository file cannot script the API's origin (where later preview tokens live).
//! Serving them as attachments would break those links and gain nothing, since `<img>` never
//! runs an SVG's scripts. Every answer has `X-Content-Type-Options: nosniff`, so a file is
//! never run as a type other than its extension's. PDFs are left without the sandbox: Chrome
//! refuses to show a sandboxed PDF, and a PDF's scripts run in the viewer, not in the origin.
//!
//! **Cost.** A hot file costs two lookups in bounded caches and a clone of `Bytes` (no copy):
//! the located file by (served commit, commit, path), and its bytes by blob id. A miss looks
//! the path up in the commit's tree and reads the blob on a blocking thread, once for
//! concurrent requests.

use std::ops::Bound;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use git2::Oid;
use headers::{ContentRange, ETag, HeaderMapExt as _, IfNoneMatch, IfRange, Range};

use super::AppState;
use super::error::ApiError;
use crate::graphql::code;
use crate::index::{Snapshot, content_type};
use crate::source::{FileInfo, SourceError, is_normalized};

/// Memory for file bytes, by blob id. Its own budget rather than `--cache-mb`, which is
/// documented as the rendered HTML's: images would otherwise push rendered posts out.
const BYTES_BUDGET: u64 = 64 * 1024 * 1024;

/// Files larger than this are read for each request and not cached: one video must not push
/// out every image.
const LARGEST_CACHED: u64 = BYTES_BUDGET / 8;

/// Paths looked up and found, kept at most.
const LOCATED_ENTRIES: u64 = 16_384;

/// Answers to "does the served commit reach this one", kept at most.
const REACHES_ENTRIES: u64 = 4_096;

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

/// What `/files` keeps between requests; every key is content-addressed or names a commit, so
/// nothing is ever stale.
pub(crate) struct FileCaches {
    /// Files found, by (served commit, commit asked, path): the served commit fixes the roots.
    located: moka::sync::Cache<(Oid, Oid, String), FileInfo>,
    /// Whether the served commit (first) is or descends from the asked one (second).
    reaches: moka::sync::Cache<(Oid, Oid), bool>,
    /// File bytes by blob id, weighed by length.
    bytes: moka::sync::Cache<Oid, Bytes>,
}

impl FileCaches {
    pub(crate) fn new() -> FileCaches {
        FileCaches {
            located: moka::sync::Cache::builder()
                .name("files-located")
                .max_capacity(LOCATED_ENTRIES)
                .build(),
            reaches: moka::sync::Cache::builder()
                .name("files-reaches")
                .max_capacity(REACHES_ENTRIES)
                .build(),
            bytes: moka::sync::Cache::builder()
                .name("files-bytes")
                .max_capacity(BYTES_BUDGET)
                .weigher(|_, bytes: &Bytes| u32::try_from(bytes.len()).unwrap_or(u32::MAX))
                .build(),
        }
    }
}

/// `GET` and `HEAD /files/{commit}/{*path}`.
pub(crate) async fn serve(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    answer(&state, &method, &uri, &headers, path)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn answer(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, ApiError> {
    let snapshot = state.app.snapshot().ok_or_else(ApiError::not_ready)?;
    // A path that is not UTF-8 once decoded names no file.
    let Ok(Path((commit, path))) = path else {
        return Err(not_found(
            "this URL names no file: file URLs are /files/<commit>/<path>, as a post's `html` \
             and `resources` give them"
                .to_owned(),
        ));
    };
    let Some(commit) = parse_commit(&commit) else {
        return Err(not_found(format!(
            "`{}` is not a commit id: file URLs are /files/<commit: 40 hex digits>/<path>, as a \
             post's `html` and `resources` give them",
            shown(&commit)
        )));
    };
    // An encoded `/` or `\` would become a separator once decoded: no URL Quire gives has one.
    if has_encoded_separator(uri.path()) || !is_normalized(&path) {
        return Err(no_file(&snapshot, &path));
    }
    let caches = &state.files;
    let file = match caches
        .located
        .get(&(snapshot.commit_id(), commit, path.clone()))
    {
        Some(file) => file,
        None => locate(state, &snapshot, commit, path).await?,
    };

    let etag = entity_tag(file.blob);
    let not_modified = headers
        .typed_get::<IfNoneMatch>()
        .is_some_and(|condition| !condition.precondition_passes(&etag));
    let mut response_headers = HeaderMap::new();
    response_headers.typed_insert(etag.clone());
    response_headers.insert(header::CACHE_CONTROL, IMMUTABLE);
    if not_modified {
        return Ok((StatusCode::NOT_MODIFIED, response_headers).into_response());
    }
    describe(&mut response_headers, &file.path);

    let len = file.size;
    let range = headers
        .typed_get::<Range>()
        .filter(|_| {
            headers
                .typed_get::<IfRange>()
                .is_none_or(|condition| !condition.is_modified(Some(&etag), None))
        })
        .map(|range| one_range(&range, len));
    let (status, part) = match range {
        Some(Ranged::Unsatisfiable) => {
            let message = format!(
                "the range asked for is not in the file: `{}` has {len} bytes",
                file.path
            );
            let mut response = ApiError::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                code::BAD_USER_INPUT,
                message,
            )
            .into_response();
            response
                .headers_mut()
                .typed_insert(ContentRange::unsatisfied_bytes(len));
            return Ok(response);
        }
        Some(Ranged::Part(first, last)) => {
            let content_range = ContentRange::bytes(first..=last, len)
                .map_err(|_| ApiError::internal(format!("a range {first}-{last} of {len}")))?;
            response_headers.typed_insert(content_range);
            (StatusCode::PARTIAL_CONTENT, Some((first, last)))
        }
        Some(Ranged::Whole) | None => (StatusCode::OK, None),
    };

    if method == Method::HEAD {
        let length = part.map_or(len, |(first, last)| last - first + 1);
        response_headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        return Ok((status, response_headers, Body::empty()).into_response());
    }
    let bytes = read(state, &snapshot, &file).await?;
    let body = match part {
        Some((first, last)) => {
            let (first, last) = (to_index(first)?, to_index(last)?);
            bytes
                .get(first..=last)
                .map(|_| bytes.slice(first..=last))
                .ok_or_else(|| ApiError::internal("a blob changed length under its id"))?
        }
        None => bytes,
    };
    Ok((status, response_headers, body).into_response())
}

/// Checks that the served commit reaches `commit` and finds `path` in it, on a blocking
/// thread; a found file is remembered.
async fn locate(
    state: &AppState,
    snapshot: &Arc<Snapshot>,
    commit: Oid,
    path: String,
) -> Result<FileInfo, ApiError> {
    let served = snapshot.commit_id();
    let known = state.files.reaches.get(&(served, commit));
    let task = {
        let snapshot = Arc::clone(snapshot);
        let path = path.clone();
        tokio::task::spawn_blocking(move || {
            let reaches = match known {
                Some(reaches) => reaches,
                None => snapshot.reaches(commit)?,
            };
            let file = if reaches {
                snapshot.file_at(commit, &path)?
            } else {
                None
            };
            Ok::<_, SourceError>((reaches, file))
        })
    };
    let (reaches, file) = task
        .await
        .map_err(|e| ApiError::internal(format!("looking up a file stopped: {e}")))?
        .map_err(|e| ApiError::internal(crate::error_chain(&e)))?;
    if known.is_none() {
        state.files.reaches.insert((served, commit), reaches);
    }
    if !reaches {
        return Err(not_found(format!(
            "commit {commit} is not served here: use the commit in a post's `html` or \
             `resources` (the served commit, GET /readyz, or one before it on the served branch)"
        )));
    }
    let file = file.ok_or_else(|| no_file(snapshot, &path))?;
    state
        .files
        .located
        .insert((served, commit, path), file.clone());
    Ok(file)
}

/// The bytes of `file`, from the cache or read on a blocking thread (once for concurrent
/// requests); a large file is read each time and not kept.
async fn read(
    state: &AppState,
    snapshot: &Arc<Snapshot>,
    file: &FileInfo,
) -> Result<Bytes, ApiError> {
    if let Some(bytes) = state.files.bytes.get(&file.blob) {
        return Ok(bytes);
    }
    let cache = state.files.bytes.clone();
    let snapshot = Arc::clone(snapshot);
    let file = file.clone();
    tokio::task::spawn_blocking(move || {
        let read = || snapshot.read_file(&file).map(Bytes::from);
        if file.size > LARGEST_CACHED {
            read().map_err(|e| crate::error_chain(&e))
        } else {
            cache
                .try_get_with(file.blob, read)
                .map_err(|e| crate::error_chain(&*e))
        }
    })
    .await
    .map_err(|e| ApiError::internal(format!("reading a file stopped: {e}")))?
    .map_err(ApiError::internal)
}

/// The headers that say what a file is and how a browser may treat it.
fn describe(headers: &mut HeaderMap, path: &str) {
    let media = content_type(path);
    headers.insert(header::CONTENT_TYPE, content_type_header(media));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if is_active(media) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("sandbox"),
        );
    }
}

/// A commit id: exactly 40 hex digits (git2 would take a prefix and pad it with zeros).
fn parse_commit(text: &str) -> Option<Oid> {
    (text.len() == 40 && text.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| Oid::from_str(text).ok())
        .flatten()
}

/// `%2F` or `%5C` (any case) in the raw path.
fn has_encoded_separator(raw_path: &str) -> bool {
    raw_path
        .as_bytes()
        .windows(3)
        .any(|w| w.eq_ignore_ascii_case(b"%2f") || w.eq_ignore_ascii_case(b"%5c"))
}

/// The strong `ETag` of a blob: its id.
fn entity_tag(blob: Oid) -> ETag {
    format!("\"{blob}\"")
        .parse()
        .expect("hex digits in quotes make an entity tag")
}

/// `Content-Type` for `media`: text types say they are UTF-8, as a repository's text is.
fn content_type_header(media: &'static str) -> HeaderValue {
    let text = media.starts_with("text/")
        || matches!(
            media,
            "application/javascript" | "application/json" | "application/xml"
        )
        || media.ends_with("+xml")
        || media.ends_with("+json");
    if text {
        HeaderValue::from_str(&format!("{media}; charset=utf-8"))
            .unwrap_or(HeaderValue::from_static("application/octet-stream"))
    } else {
        HeaderValue::from_static(media)
    }
}

/// Types a browser shows as a document that can run scripts.
fn is_active(media: &str) -> bool {
    matches!(
        media,
        "text/html" | "text/xml" | "application/xml" | "text/xsl"
    ) || media.ends_with("+xml")
}

/// What a `Range` header asks of a file of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Ranged {
    /// Nothing can be served from it: 416.
    Unsatisfiable,
    /// One range, first and last byte: 206.
    Part(u64, u64),
    /// Several ranges: the whole file, 200.
    Whole,
}

/// The ranges of `range` within `len` bytes, ends clamped to the file. A suffix longer than
/// the file (`bytes=-500` of 100 bytes) is dropped by `headers`, so it is unsatisfiable here
/// where HTTP would send the whole file.
fn one_range(range: &Range, len: u64) -> Ranged {
    let mut parts = range.satisfiable_ranges(len).filter_map(|(start, end)| {
        let first = match start {
            Bound::Included(n) => n,
            Bound::Excluded(n) => n.checked_add(1)?,
            Bound::Unbounded => 0,
        };
        let last = match end {
            Bound::Included(n) => n.min(len.checked_sub(1)?),
            Bound::Excluded(n) => n.checked_sub(1)?.min(len.checked_sub(1)?),
            Bound::Unbounded => len.checked_sub(1)?,
        };
        (first <= last).then_some((first, last))
    });
    match (parts.next(), parts.next()) {
        (None, _) => Ranged::Unsatisfiable,
        (Some((first, last)), None) => Ranged::Part(first, last),
        (Some(_), Some(_)) => Ranged::Whole,
    }
}

fn to_index(n: u64) -> Result<usize, ApiError> {
    usize::try_from(n).map_err(|_| ApiError::internal("a range past this machine's memory"))
}

fn not_found(message: String) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, code::NOT_FOUND, message)
}

/// The 404 for a path: where files are served from, never where the server keeps them.
fn no_file(snapshot: &Snapshot, path: &str) -> ApiError {
    let content = snapshot.content_root();
    let roots = match (content, snapshot.static_root()) {
        ("", _) => "anywhere in the repository but Markdown".to_owned(),
        (content, Some(static_dir)) => {
            format!("under `{content}/` (not Markdown) or `{static_dir}/`")
        }
        (content, None) => format!("under `{content}/` (not Markdown)"),
    };
    not_found(format!(
        "no file `{}` in this commit: check the path, as the repository names it, of a file \
         {roots}; no `.`, `..`, empty or encoded `/` segments; links and submodules are not \
         served",
        shown(path)
    ))
}

/// A client's text in a message: at most 200 characters, control characters escaped.
fn shown(text: &str) -> String {
    let cut: String = text.chars().take(200).collect();
    let more = if cut.len() < text.len() { "…" } else { "" };
    format!("{}{more}", crate::source::escaped(&cut))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(header: &str, len: u64) -> Ranged {
        let mut map = HeaderMap::new();
        map.insert(header::RANGE, HeaderValue::from_str(header).unwrap());
        one_range(&map.typed_get::<Range>().unwrap(), len)
    }

    #[test]
    fn one_range_is_served_several_are_the_whole_file_and_past_the_end_is_unsatisfiable() {
        assert_eq!(ranges("bytes=0-9", 100), Ranged::Part(0, 9));
        assert_eq!(ranges("bytes=90-", 100), Ranged::Part(90, 99));
        assert_eq!(ranges("bytes=90-1000", 100), Ranged::Part(90, 99));
        assert_eq!(ranges("bytes=-10", 100), Ranged::Part(90, 99));
        assert_eq!(ranges("bytes=0-1,5-6", 100), Ranged::Whole);
        assert_eq!(ranges("bytes=100-", 100), Ranged::Unsatisfiable);
        assert_eq!(ranges("bytes=5-2", 100), Ranged::Unsatisfiable);
        assert_eq!(ranges("bytes=0-", 0), Ranged::Unsatisfiable);
        assert_eq!(ranges("bytes=200-300,0-0", 100), Ranged::Part(0, 0));
    }

    #[test]
    fn commit_ids_are_forty_hex_digits() {
        assert!(parse_commit("0123456789abcdef0123456789ABCDEF01234567").is_some());
        for bad in [
            "0123456789abcdef",
            "0123456789abcdef0123456789abcdef012345678",
            "0123456789abcdef0123456789abcdef0123456g",
            "HEAD",
            "main",
        ] {
            assert_eq!(parse_commit(bad), None, "{bad}");
        }
    }

    #[test]
    fn finds_encoded_separators_in_any_case() {
        for raw in [
            "/files/c/a%2Fb",
            "/files/c/a%2fb",
            "/files/c/a%5Cb",
            "/files/c/%5c",
        ] {
            assert!(has_encoded_separator(raw), "{raw}");
        }
        for raw in [
            "/files/c/a%20b",
            "/files/c/a%2eb",
            "/files/c/%252F",
            "/files/c/a/b",
        ] {
            assert!(!has_encoded_separator(raw), "{raw}");
        }
    }

    #[test]
    fn text_is_utf8_and_documents_are_sandboxed() {
        assert_eq!(content_type_header("text/css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type_header("image/svg+xml"),
            "image/svg+xml; charset=utf-8"
        );
        assert_eq!(content_type_header("image/png"), "image/png");
        for active in [
            "text/html",
            "image/svg+xml",
            "application/xhtml+xml",
            "text/xml",
        ] {
            assert!(is_active(active), "{active}");
        }
        for inert in ["image/png", "text/plain", "application/pdf", "text/css"] {
            assert!(!is_active(inert), "{inert}");
        }
    }
}
