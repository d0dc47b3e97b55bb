//! Posts that changed between two commits, and the commits between them: the answer of
//! `changes(from:, to:)` and the shape of each `contentUpdated` event.

use std::sync::Arc;

use async_graphql::{Context, Object, Result, SimpleObject};
use git2::Oid;

use super::Access;
use crate::index::{ChangedPost, PostChanges, Renamed, Snapshot};
use crate::refresh::Refs;
use crate::source::CommitMeta;

/// A post named by a change.
#[derive(SimpleObject, Clone)]
#[graphql(name = "ChangedPost")]
pub(crate) struct ChangedPostObject {
    /// Its slug.
    slug: String,
    /// Its root-relative URL, as `Post.url` (null for a page Hugo does not publish): the page
    /// a static frontend builds again.
    url: Option<String>,
    /// Its file, from the repository root.
    path: String,
}

impl From<&ChangedPost> for ChangedPostObject {
    fn from(post: &ChangedPost) -> Self {
        ChangedPostObject {
            slug: post.slug.clone(),
            url: post.url.clone(),
            path: post.path.clone(),
        }
    }
}

/// A post whose file moved (possibly edited too).
#[derive(SimpleObject, Clone)]
#[graphql(name = "RenamedPost")]
pub(crate) struct RenamedObject {
    /// The post before the move.
    from: ChangedPostObject,
    /// The post after it.
    to: ChangedPostObject,
}

impl From<&Renamed> for RenamedObject {
    fn from(renamed: &Renamed) -> Self {
        RenamedObject {
            from: ChangedPostObject::from(&renamed.from),
            to: ChangedPostObject::from(&renamed.to),
        }
    }
}

/// The four lists of a change, ordered by path.
#[derive(SimpleObject, Clone, Default)]
pub(crate) struct ChangeLists {
    /// Posts that are new.
    pub(crate) added: Vec<ChangedPostObject>,
    /// Posts at the same path in both commits whose file or URL changed.
    pub(crate) changed: Vec<ChangedPostObject>,
    /// Posts gone.
    pub(crate) removed: Vec<ChangedPostObject>,
    /// Posts that moved to another file: with the same content, or the same slug in the same
    /// section.
    pub(crate) renamed: Vec<RenamedObject>,
}

impl From<&PostChanges> for ChangeLists {
    fn from(changes: &PostChanges) -> Self {
        let list = |posts: &[ChangedPost]| posts.iter().map(ChangedPostObject::from).collect();
        ChangeLists {
            added: list(&changes.added),
            changed: list(&changes.changed),
            removed: list(&changes.removed),
            renamed: changes
                .renamed
                .iter()
                .map(<RenamedObject as From<&Renamed>>::from)
                .collect(),
        }
    }
}

/// A commit: who wrote it, when, and its message.
pub(crate) struct CommitObject(pub(crate) Arc<CommitMeta>);

/// A commit: who wrote it, when, and its message.
#[Object(name = "Commit")]
impl CommitObject {
    /// The full commit id (40 hex digits).
    async fn commit(&self) -> String {
        CommitFields(&self.0).commit()
    }

    /// The author's name, as the commit records it.
    async fn author_name(&self) -> &str {
        CommitFields(&self.0).author_name()
    }

    /// The author's email address: only with a preview token (`Authorization: Bearer`), null
    /// otherwise, so that a public site does not publish its authors' addresses.
    async fn author_email(&self, ctx: &Context<'_>) -> Option<&str> {
        CommitFields(&self.0).author_email(ctx)
    }

    /// When the change was written: RFC 3339, in the author's offset.
    async fn authored_at(&self) -> String {
        CommitFields(&self.0).authored_at()
    }

    /// When the commit was made: RFC 3339, in the committer's offset.
    async fn committed_at(&self) -> String {
        CommitFields(&self.0).committed_at()
    }

    /// The message's subject: its first paragraph, on one line.
    async fn message(&self) -> &str {
        CommitFields(&self.0).message()
    }

    /// The rest of the message, after the first blank line; null when there is none.
    async fn body(&self) -> Option<&str> {
        CommitFields(&self.0).body()
    }
}

/// What `Commit` and `PostCommit` answer alike, field by field.
pub(crate) struct CommitFields<'m>(pub(crate) &'m CommitMeta);

impl<'m> CommitFields<'m> {
    pub(crate) fn commit(&self) -> String {
        self.0.id.to_string()
    }

    pub(crate) fn author_name(&self) -> &'m str {
        &self.0.author_name
    }

    /// The address with a preview token only.
    pub(crate) fn author_email(&self, ctx: &Context<'_>) -> Option<&'m str> {
        Access::of(ctx)
            .preview
            .then_some(self.0.author_email.as_str())
    }

    pub(crate) fn authored_at(&self) -> String {
        self.0.authored_at.to_rfc3339()
    }

    pub(crate) fn committed_at(&self) -> String {
        self.0.committed_at.to_rfc3339()
    }

    pub(crate) fn message(&self) -> &'m str {
        &self.0.subject
    }

    pub(crate) fn body(&self) -> Option<&'m str> {
        self.0.body.as_deref()
    }
}

/// Longest list of commits `changes { commits }` gives.
const MAX_COMMITS: i32 = 1000;

/// What changed between two commits.
pub(crate) struct ChangesObject {
    from: Oid,
    to: Oid,
    lists: ChangeLists,
}

/// What changed between two commits: the posts a static frontend builds again, and the
/// commits that changed them.
#[Object(name = "Changes")]
impl ChangesObject {
    /// The commit compared from (full id).
    async fn from(&self) -> String {
        self.from.to_string()
    }

    /// The commit compared to (full id).
    async fn to(&self) -> String {
        self.to.to_string()
    }

    /// Posts that are in `to` and not in `from`.
    async fn added(&self) -> &[ChangedPostObject] {
        &self.lists.added
    }

    /// Posts at the same path in both whose file or URL changed.
    async fn changed(&self) -> &[ChangedPostObject] {
        &self.lists.changed
    }

    /// Posts that are in `from` and not in `to`.
    async fn removed(&self) -> &[ChangedPostObject] {
        &self.lists.removed
    }

    /// Posts that moved to another file: with the same content, or the same slug in the same
    /// section.
    async fn renamed(&self) -> &[RenamedObject] {
        &self.lists.renamed
    }

    /// The commits in `to` and not in `from` (as `git log from..to`), newest first: the first
    /// `first` of them (100 when not given, at most 1000). Empty when `to` is an ancestor of
    /// `from` or the same commit.
    async fn commits(&self, ctx: &Context<'_>, first: Option<i32>) -> Result<Vec<CommitObject>> {
        let first = first.unwrap_or(100);
        if !(0..=MAX_COMMITS).contains(&first) {
            return Err(super::bad_input(format!(
                "`first` must be between 0 and {MAX_COMMITS}, not {first}"
            )));
        }
        let (commits, _) = self.walk(ctx, first).await?;
        Ok(commits)
    }

    /// How many commits are in `to` and not in `from`.
    async fn commit_count(&self, ctx: &Context<'_>) -> Result<usize> {
        Ok(self.walk(ctx, 0).await?.1)
    }
}

impl ChangesObject {
    async fn walk(&self, ctx: &Context<'_>, first: i32) -> Result<(Vec<CommitObject>, usize)> {
        let refs = super::shared::<Arc<Refs>>(ctx)?;
        let limit = usize::try_from(first).unwrap_or(0);
        let (commits, count) = refs
            .commits_between(self.from, self.to, limit)
            .await
            .map_err(|err| {
                tracing::error!("listing commits: {}", crate::error_chain(&err));
                super::coded(
                    "internal error: the server log has the details",
                    super::code::INTERNAL,
                )
            })?;
        let commits = commits
            .into_iter()
            .map(|c| CommitObject(Arc::new(c)))
            .collect();
        Ok((commits, count))
    }
}

/// `changes(from:, to:)`: both refs read as `at(ref:)` reads them (the same access rules);
/// `to` defaults to the request's snapshot.
pub(crate) async fn between(
    ctx: &Context<'_>,
    from: &str,
    to: Option<&str>,
) -> Result<ChangesObject> {
    let (old, _) = super::at::snapshot_at(ctx, from, false).await?;
    let new = match to {
        Some(to) => super::at::snapshot_at(ctx, to, false).await?.0,
        None => Arc::clone(super::shared::<Arc<Snapshot>>(ctx)?),
    };
    let lists = ChangeLists::from(&new.changes_since(&old));
    Ok(ChangesObject {
        from: old.commit_id(),
        to: new.commit_id(),
        lists,
    })
}
