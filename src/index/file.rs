//! One file under the root as a snapshot keeps it: parsed once, and kept for as long as its blob
//! is unchanged. A file that is too large, binary or not a valid post is kept as the
//! [`Problem`] that says so.

use std::sync::Arc;

use git2::Oid;

use super::Problem;
use crate::content::Post;
use crate::source::{Blobs, SourceError, SourceFile};

/// One file under the root, parsed once and kept for as long as its blob is unchanged.
#[derive(Debug, Clone)]
pub(super) enum File {
    Post {
        blob: Oid,
        post: Arc<Post>,
        /// Fields that were dropped, with why.
        problems: Arc<[Problem]>,
    },
    /// A file that cannot be read as a post (`blob` is `None` for submodules and symlinks).
    Unreadable { blob: Option<Oid>, problem: Problem },
}

impl File {
    /// Reads `source` from git and parses it; the bytes are dropped once parsed. A blob larger
    /// than `max_bytes` is not read (its size is in the object's header): it is a problem.
    ///
    /// # Errors
    /// [`SourceError`] when the blob cannot be read: the repository is broken, not the post.
    pub(super) fn read(
        source: &SourceFile,
        blobs: &Blobs,
        max_bytes: u64,
    ) -> Result<File, SourceError> {
        Ok(match blobs.read_at_most(source.blob, max_bytes)? {
            Ok(bytes) => File::parse(source, &bytes),
            Err(size) => File::Unreadable {
                blob: Some(source.blob),
                problem: Problem {
                    path: source.path.clone(),
                    line: None,
                    message: format!(
                        "{} is more than --max-post-mb allows ({}): the post is not read or served; raise --max-post-mb (QUIRE_MAX_POST_MB) to serve it",
                        mib(size),
                        mib(max_bytes)
                    ),
                },
            },
        })
    }

    fn parse(source: &SourceFile, bytes: &[u8]) -> File {
        match Post::parse(&source.path, source.blob, bytes) {
            Ok((post, problems)) => File::Post {
                blob: source.blob,
                problems: problems
                    .into_iter()
                    .map(|p| Problem {
                        path: post.path.clone(),
                        line: p.line,
                        message: p.to_string(),
                    })
                    .collect(),
                post: Arc::new(post),
            },
            Err(err) => File::Unreadable {
                blob: Some(source.blob),
                problem: Problem {
                    path: source.path.clone(),
                    line: err.line(),
                    message: err.to_string(),
                },
            },
        }
    }

    pub(super) fn blob(&self) -> Option<Oid> {
        match self {
            File::Post { blob, .. } => Some(*blob),
            File::Unreadable { blob, .. } => *blob,
        }
    }
}

/// `8 MiB`, `50.3 MiB`.
fn mib(bytes: u64) -> String {
    let mib = bytes as f64 / (1024.0 * 1024.0);
    if mib.fract() == 0.0 {
        format!("{mib:.0} MiB")
    } else {
        format!("{mib:.1} MiB")
    }
}

#[cfg(test)]
mod tests {
    use super::super::LoadOptions;
    use super::super::testing::snapshot_with;

    #[test]
    fn a_post_above_max_post_mb_is_a_problem_and_the_others_are_served() {
        let big = format!("---\ntitle: Big\n---\n{}\n", "words ".repeat(200_000));
        let options = LoadOptions {
            max_post_bytes: 1024 * 1024,
            ..LoadOptions::default()
        };
        let (_dir, snapshot) = snapshot_with(
            &[
                ("big.md", &big),
                ("small.md", "---\ntitle: Small\n---\nHi\n"),
            ],
            options,
        );
        assert!(snapshot.post("big").is_none());
        assert!(snapshot.post("small").is_some());
        let problems: Vec<String> = snapshot.problems().iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems,
            [
                "big.md: 1.1 MiB is more than --max-post-mb allows (1 MiB): the post is not read or served; raise --max-post-mb (QUIRE_MAX_POST_MB) to serve it"
            ]
        );
        assert_eq!(LoadOptions::default().max_post_bytes, 8 * 1024 * 1024);
    }

    #[test]
    fn a_post_file_with_nul_bytes_is_reported_as_binary_not_served() {
        let (_dir, snapshot) = snapshot_with(
            &[
                ("binary.md", "---\ntitle: Binary\n---\nA\0B\n"),
                ("text.md", "---\ntitle: Text\n---\nHi\n"),
            ],
            LoadOptions::default(),
        );
        assert!(snapshot.post("binary").is_none());
        assert!(snapshot.post("text").is_some());
        let problems: Vec<String> = snapshot.problems().iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems,
            ["binary.md: binary file (contains NUL bytes), not a post"]
        );
    }
}
