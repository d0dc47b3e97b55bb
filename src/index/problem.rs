//! What went wrong with a file: [`Problem`]s found while loading (shown by `quire check`, in the
//! logs and by the `problems` query) and the [`RenderError`] of a post that cannot be read again.
//! Paths and messages come from the repository, so their `Display` escapes control characters:
//! a line break in a file name cannot forge a line in the logs.

use std::fmt;

use git2::Oid;

use crate::content::PostError;
use crate::source::{SourceError, escaped};

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

/// `path: message`, on one line whatever the path and message hold.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", escaped(&self.path), escaped(&self.message))
    }
}

/// A post whose Markdown could not be read again to render it: its blob was read at load, so the
/// repository changed under Quire (a `git gc` of a rewritten history, a deleted clone).
#[derive(Debug, thiserror::Error)]
#[error("could not read {} (blob {blob}) again to render it", escaped(path))]
pub struct RenderError {
    pub(crate) path: String,
    pub(super) blob: Oid,
    #[source]
    pub(super) source: Box<BodySource>,
}

/// Why [`RenderError`] happened.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BodySource {
    #[error(transparent)]
    Git(SourceError),
    #[error(transparent)]
    Text(PostError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_break_in_a_path_cannot_forge_a_line_of_output() {
        let problem = Problem {
            path: "posts/a.md\nposts/b.md: forged".to_owned(),
            line: None,
            message: "not UTF-8\r\n".to_owned(),
        };
        assert_eq!(
            problem.to_string(),
            "posts/a.md\\nposts/b.md: forged: not UTF-8\\r\\n"
        );
        let err = RenderError {
            path: "x\n.md".to_owned(),
            blob: Oid::ZERO_SHA1,
            source: Box::new(BodySource::Text(PostError::Binary)),
        };
        assert!(!err.to_string().contains('\n'), "{err}");
    }
}
