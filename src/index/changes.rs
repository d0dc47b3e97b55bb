//! What a reader sees change when one snapshot replaces another: the posts that appeared,
//! changed (an edit, or a new URL), were renamed (moved to another file) or disappeared. The
//! same shape answers `changes(from:, to:)`, the `contentUpdated` subscription and the
//! outbound notifications, so a static frontend rebuilds exactly those pages.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use super::{Placed, Snapshot};

/// One post as a change names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangedPost {
    pub slug: String,
    /// Root-relative URL (`/posts/hello/`), as `Post.url`; `None` for a page Hugo does not
    /// publish.
    pub url: Option<String>,
    /// Path of its file from the repository root.
    pub path: String,
}

impl ChangedPost {
    fn of(post: &Placed) -> ChangedPost {
        ChangedPost {
            slug: post.slug.clone(),
            url: post.url.clone(),
            path: post.path.clone(),
        }
    }
}

/// A post whose file moved: what it was, and what it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    pub from: ChangedPost,
    pub to: ChangedPost,
}

/// Posts that differ between two snapshots, each list ordered by path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PostChanges {
    pub added: Vec<ChangedPost>,
    /// At the same path in both, from a different blob or at a different URL.
    pub changed: Vec<ChangedPost>,
    pub removed: Vec<ChangedPost>,
    /// Gone from one path and present at another with the same content (blob) or the same
    /// slug in the same section: a move, possibly with an edit.
    pub renamed: Vec<Renamed>,
}

impl Snapshot {
    /// What a reader of `old` sees change when this snapshot replaces it. A post is the same
    /// post when it is at the same path; a post gone from one path and added at another with
    /// the same blob, or the same slug in the same section, was renamed.
    pub fn changes_since(&self, old: &Snapshot) -> PostChanges {
        // A post both serve, placed once, at the same position: the usual case, seen without
        // looking its path up.
        let kept = |posts: &[Arc<Placed>], i: usize, post: &Arc<Placed>| {
            posts.get(i).is_some_and(|p| Arc::ptr_eq(p, post))
        };
        let mut changes = PostChanges::default();
        let mut added: Vec<&Placed> = Vec::new();
        for (i, post) in self.posts.iter().enumerate() {
            if kept(&old.posts, i, post) {
                continue;
            }
            match old.site.pages.get(&post.path) {
                None => added.push(post),
                Some(was) if was.blob != post.blob || was.url != post.url => {
                    changes.changed.push(ChangedPost::of(post));
                }
                Some(_) => {}
            }
        }
        let removed: Vec<&Placed> = old
            .posts
            .iter()
            .enumerate()
            .filter(|&(i, p)| !kept(&self.posts, i, p) && !self.site.pages.contains_key(&p.path))
            .map(|(_, p)| &**p)
            .collect();
        // Pair each removed post with an added one: first by blob, then by slug and section.
        let mut by_blob: HashMap<git2::Oid, Vec<usize>> = HashMap::new();
        let mut by_slug: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for (i, post) in added.iter().enumerate() {
            by_blob.entry(post.blob).or_default().push(i);
            by_slug
                .entry((post.slug.as_str(), post.section.as_str()))
                .or_default()
                .push(i);
        }
        let mut taken = vec![false; added.len()];
        let take = |candidates: Option<&Vec<usize>>, taken: &mut Vec<bool>| {
            let found = candidates?.iter().copied().find(|&i| !taken[i])?;
            taken[found] = true;
            Some(found)
        };
        for was in removed {
            let to = take(by_blob.get(&was.blob), &mut taken).or_else(|| {
                take(
                    by_slug.get(&(was.slug.as_str(), was.section.as_str())),
                    &mut taken,
                )
            });
            match to {
                Some(i) => changes.renamed.push(Renamed {
                    from: ChangedPost::of(was),
                    to: ChangedPost::of(added[i]),
                }),
                None => changes.removed.push(ChangedPost::of(was)),
            }
        }
        changes.added = added
            .iter()
            .zip(&taken)
            .filter(|&(_, taken)| !taken)
            .map(|(post, _)| ChangedPost::of(post))
            .collect();
        for list in [
            &mut changes.added,
            &mut changes.changed,
            &mut changes.removed,
        ] {
            list.sort_unstable_by(|a, b| a.path.cmp(&b.path));
            list.dedup();
        }
        changes
            .renamed
            .sort_unstable_by(|a, b| a.to.path.cmp(&b.to.path));
        changes
    }
}
