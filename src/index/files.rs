//! The files a snapshot serves beside its posts, at `/files/{commit}/{path}`: what a path names
//! in the served commit (or one before it), a page bundle's resources, their URLs and media
//! types. The git side is [`crate::source`]'s; the lookups here block, so callers run them off
//! the async runtime.

use git2::Oid;

use super::Snapshot;
use crate::content::Post;
use crate::source::{FileInfo, Roots, SourceError};

impl Snapshot {
    /// The folder the posts are read from (`--root`, normalized; `""` for the whole tree).
    pub(crate) fn content_root(&self) -> &str {
        &self.revision.root
    }

    /// The static folder served with the posts' files: `--static`, else `static` beside the
    /// content root when this commit has it.
    pub(crate) fn static_root(&self) -> Option<&str> {
        self.static_root.as_deref()
    }

    fn roots(&self) -> Roots<'_> {
        Roots {
            content: self.content_root(),
            static_dir: self.static_root(),
        }
    }

    /// The file at the repository-relative `path` in the served commit, when it may be served:
    /// `path` normalized, under the content root (not Markdown) or the static folder, and a
    /// regular file. Blocks.
    ///
    /// # Errors
    /// [`SourceError::Git`] when git fails (not for a path that names nothing).
    pub(crate) fn file(&self, path: &str) -> Result<Option<FileInfo>, SourceError> {
        self.file_at(self.commit_id(), path)
    }

    /// [`Self::file`] in `commit`, with this snapshot's roots. The caller checks first that
    /// `commit` is one this snapshot serves ([`Self::reaches`]). Blocks.
    ///
    /// # Errors
    /// [`SourceError::Git`] when git fails.
    pub(crate) fn file_at(&self, commit: Oid, path: &str) -> Result<Option<FileInfo>, SourceError> {
        self.blobs.file(commit, self.roots(), path)
    }

    /// The files of `post`'s page bundle, sorted by path: for a post at `dir/index.md`, every
    /// file under `dir/` but Markdown and the files of nested bundles; empty for any other
    /// post. Blocks.
    ///
    /// # Errors
    /// [`SourceError::Git`] when git fails.
    pub(crate) fn bundle_files(&self, post: &Post) -> Result<Vec<FileInfo>, SourceError> {
        self.blobs
            .bundle(self.commit_id(), self.content_root(), &post.path)
    }

    /// Whether `commit` is the served commit or one before it on the served branch: the commits
    /// whose files `/files` answers (a page rendered from an earlier commit keeps its images).
    /// Any other id (another branch's commit, an unknown id, a blob) is not. Blocks.
    ///
    /// # Errors
    /// [`SourceError::Git`] when git fails while walking the history.
    pub(crate) fn reaches(&self, commit: Oid) -> Result<bool, SourceError> {
        self.blobs.reaches(self.commit_id(), commit)
    }

    /// The bytes of `file`. Blocks.
    ///
    /// # Errors
    /// [`SourceError::Git`] when the blob cannot be read.
    pub(crate) fn read_file(&self, file: &FileInfo) -> Result<Vec<u8>, SourceError> {
        self.blobs.read(file.blob)
    }
}

/// The URL of the file at `path` (repository-relative, normalized) in `commit`:
/// `/files/{commit}/{path}` with each segment percent-encoded, or under `base` (`--public-url`,
/// which ends with `/`) when given.
pub(crate) fn file_url(base: Option<&url::Url>, commit: Oid, path: &str) -> String {
    let mut url = match base {
        Some(base) => {
            let base = base.as_str();
            let mut url = String::with_capacity(base.len() + 48 + path.len());
            url.push_str(base);
            if !base.ends_with('/') {
                url.push('/');
            }
            url.push_str("files/");
            url
        }
        None => String::from("/files/"),
    };
    url.push_str(&commit.to_string());
    for segment in path.split('/') {
        url.push('/');
        push_encoded(&mut url, segment);
    }
    url
}

/// `segment` with every byte but ASCII letters, digits and `-._~` as `%XX`: a segment that
/// reads the same in any HTML attribute and never holds a `/`.
fn push_encoded(url: &mut String, segment: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in segment.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            url.push(char::from(byte));
        } else {
            url.push('%');
            url.push(char::from(HEX[usize::from(byte >> 4)]));
            url.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
    }
}

/// The media type of a file, from its name's extension (`mime_guess`), without parameters:
/// `image/png`, `text/css`; `application/octet-stream` for an unknown extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    mime_guess::from_path(path)
        .first_raw()
        .unwrap_or("application/octet-stream")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::LoadOptions;
    use super::super::testing::snapshot_of;
    use super::*;

    const FILE: u32 = 0o100_644;
    const LINK: u32 = 0o120_000;

    fn post(snapshot: &Snapshot, slug: &str) -> Arc<super::super::Placed> {
        Arc::clone(snapshot.post(slug).unwrap())
    }

    #[test]
    fn serves_bundle_and_static_files_of_the_served_commit() {
        let entries: &[(&str, u32, &[u8])] = &[
            (
                "content/trip/index.md",
                FILE,
                b"---\ntitle: Trip\n---\n![](photo.png)\n",
            ),
            ("content/trip/photo.png", FILE, b"\x89PNG"),
            ("content/trip/escape.png", LINK, b"../../secret"),
            ("content/plain.md", FILE, b"---\ntitle: Plain\n---\nText\n"),
            ("static/img/x.png", FILE, b"\x89PNG static"),
            ("secret", FILE, b"outside the roots"),
        ];
        let (_dir, snapshot) = snapshot_of(entries, "content", LoadOptions::default());
        assert_eq!(snapshot.content_root(), "content");
        assert_eq!(snapshot.static_root(), Some("static"));
        let resources = snapshot.bundle_files(&post(&snapshot, "trip")).unwrap();
        let paths: Vec<_> = resources.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["content/trip/photo.png"]);
        assert_eq!(
            snapshot.file("content/trip/photo.png").unwrap().as_ref(),
            resources.first()
        );
        assert!(
            snapshot
                .bundle_files(&post(&snapshot, "plain"))
                .unwrap()
                .is_empty()
        );
        let x = snapshot.file("static/img/x.png").unwrap().unwrap();
        assert_eq!(x.size, 11);
        assert_eq!(snapshot.read_file(&x).unwrap(), b"\x89PNG static");
        for refused in ["secret", "content/trip/escape.png", "content/plain.md"] {
            assert_eq!(snapshot.file(refused).unwrap(), None, "{refused}");
        }
        assert!(snapshot.reaches(snapshot.commit_id()).unwrap());
        assert!(!snapshot.reaches(x.blob).unwrap());
    }

    #[test]
    fn the_static_flag_replaces_the_default_folder() {
        let entries: &[(&str, u32, &[u8])] = &[
            ("content/a.md", FILE, b"---\ntitle: A\n---\n"),
            ("static/x.png", FILE, b"default"),
            ("assets/x.png", FILE, b"flag"),
        ];
        let options = LoadOptions {
            static_dir: Some("assets/".to_owned()),
            ..LoadOptions::default()
        };
        let (_dir, snapshot) = snapshot_of(entries, "content", options);
        assert_eq!(snapshot.static_root(), Some("assets"));
        assert!(snapshot.file("assets/x.png").unwrap().is_some());
        assert_eq!(snapshot.file("static/x.png").unwrap(), None);

        let (_dir, without) = snapshot_of(&entries[..1], "content", LoadOptions::default());
        assert_eq!(without.static_root(), None);
    }

    #[test]
    fn file_urls_encode_each_segment_and_go_under_the_public_url() {
        let commit = Oid::from_str("0123456789abcdef0123456789abcdef01234567").unwrap();
        assert_eq!(
            file_url(None, commit, "content/a b/été #1?.png"),
            "/files/0123456789abcdef0123456789abcdef01234567/content/a%20b/%C3%A9t%C3%A9%20%231%3F.png"
        );
        let base = url::Url::parse("https://cdn.example.com/quire/").unwrap();
        assert_eq!(
            file_url(Some(&base), commit, "static/img/x.png"),
            "https://cdn.example.com/quire/files/0123456789abcdef0123456789abcdef01234567/static/img/x.png"
        );
        let bare = url::Url::parse("https://api.example.com").unwrap();
        assert!(
            file_url(Some(&bare), commit, "s/x.png")
                .starts_with("https://api.example.com/files/0123")
        );
    }

    #[test]
    fn media_types_come_from_the_extension() {
        assert_eq!(content_type("a/photo.PNG"), "image/png");
        assert_eq!(content_type("a/x.svg"), "image/svg+xml");
        assert_eq!(content_type("a/style.css"), "text/css");
        assert_eq!(
            content_type("a/data.unknownext"),
            "application/octet-stream"
        );
        assert_eq!(content_type("a/README"), "application/octet-stream");
    }
}
