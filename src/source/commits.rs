//! What a commit says about itself: who wrote it, when, and why. Read from git objects for
//! `Post.history` and `changes { commits }`.

use chrono::{DateTime, FixedOffset};

/// One commit's metadata, as read from its object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CommitMeta {
    pub(crate) id: git2::Oid,
    pub(crate) author_name: String,
    pub(crate) author_email: String,
    pub(crate) authored_at: DateTime<FixedOffset>,
    pub(crate) committed_at: DateTime<FixedOffset>,
    /// The message's first paragraph, on one line.
    pub(crate) subject: String,
    /// The rest of the message, trimmed; `None` when there is none.
    pub(crate) body: Option<String>,
}

impl CommitMeta {
    pub(crate) fn of(commit: &git2::Commit<'_>) -> CommitMeta {
        let author = commit.author();
        let message = String::from_utf8_lossy(commit.message_bytes());
        let message = message.trim();
        let (subject, body) = match message.split_once("\n\n") {
            Some((subject, body)) => (subject, Some(body.trim())),
            None => (message, None),
        };
        CommitMeta {
            id: commit.id(),
            author_name: String::from_utf8_lossy(author.name_bytes()).into_owned(),
            author_email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
            authored_at: instant(author.when()),
            committed_at: instant(commit.committer().when()),
            subject: subject.split_whitespace().collect::<Vec<_>>().join(" "),
            body: body.filter(|b| !b.is_empty()).map(str::to_owned),
        }
    }
}

/// The commits reachable from `to` and not from `from`, newest first (by commit time, as
/// `git log from..to`): the first `limit` of them, and how many there are.
///
/// # Errors
/// [`SourceError::Git`] when git cannot walk the history.
pub(crate) fn between(
    repo: &git2::Repository,
    from: git2::Oid,
    to: git2::Oid,
    limit: usize,
) -> Result<(Vec<CommitMeta>, usize), super::SourceError> {
    let failed = |err| super::git::failed(repo, "listing the commits between two refs")(err);
    let mut walk = repo.revwalk().map_err(&failed)?;
    walk.set_sorting(git2::Sort::TIME).map_err(&failed)?;
    walk.push(to).map_err(&failed)?;
    walk.hide(from).map_err(&failed)?;
    let mut commits = Vec::new();
    let mut count = 0;
    for id in walk {
        let id = id.map_err(&failed)?;
        if commits.len() < limit {
            commits.push(CommitMeta::of(&repo.find_commit(id).map_err(&failed)?));
        }
        count += 1;
    }
    Ok((commits, count))
}

/// A git time in the offset it was written with.
pub(crate) fn instant(time: git2::Time) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(time.offset_minutes() * 60)
        .unwrap_or(FixedOffset::east_opt(0).expect("zero offset"));
    DateTime::from_timestamp(time.seconds(), 0)
        .unwrap_or_default()
        .with_timezone(&offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_and_body_are_split_at_the_first_blank_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = git2::Repository::init(dir.path()).expect("init");
        let tree = repo
            .find_tree(repo.index().and_then(|mut i| i.write_tree()).expect("tree"))
            .expect("tree");
        let author = git2::Signature::new(
            "Ada",
            "ada@example.com",
            &git2::Time::new(1_700_000_000, 660),
        )
        .expect("signature");
        let id = repo
            .commit(
                None,
                &author,
                &author,
                "Fix the\nfeed\n\nIt was empty.\n\n",
                &tree,
                &[],
            )
            .expect("commit");
        let meta = CommitMeta::of(&repo.find_commit(id).expect("commit"));
        assert_eq!(meta.subject, "Fix the feed");
        assert_eq!(meta.body.as_deref(), Some("It was empty."));
        assert_eq!(meta.author_name, "Ada");
        assert_eq!(meta.authored_at.to_rfc3339(), "2023-11-15T09:13:20+11:00");
    }
}
