//! What a reader sees change when one snapshot replaces another: the slugs of the posts that
//! appeared, changed (an edit, or a move that keeps the slug) or disappeared.

use std::sync::Arc;

use super::{Placed, Snapshot};

/// Slugs that differ between two snapshots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlugChanges {
    pub added: Vec<String>,
    /// Served by both, from a different blob or path.
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

impl Snapshot {
    /// What a reader of `old` sees change when this snapshot replaces it (by the posts'
    /// slugs; a post is the same post when it is at the same path).
    pub fn changes_since(&self, old: &Snapshot) -> SlugChanges {
        // A post both serve, placed once, at the same position: the usual case, seen without
        // looking its path up.
        let kept = |posts: &[Arc<Placed>], i: usize, post: &Arc<Placed>| {
            posts.get(i).is_some_and(|p| Arc::ptr_eq(p, post))
        };
        let mut changes = SlugChanges::default();
        for (i, post) in self.posts.iter().enumerate() {
            if kept(&old.posts, i, post) {
                continue;
            }
            match old.site.pages.get(&post.path) {
                None => changes.added.push(post.slug.clone()),
                Some(was) if was.blob != post.blob || was.url != post.url => {
                    changes.changed.push(post.slug.clone());
                }
                Some(_) => {}
            }
        }
        changes.removed = old
            .posts
            .iter()
            .enumerate()
            .filter(|&(i, p)| !kept(&self.posts, i, p) && !self.site.pages.contains_key(&p.path))
            .map(|(_, p)| p.slug.clone())
            .collect();
        // A post that moved keeps its slug: it changed, it did not come and go.
        let moved: Vec<String> = changes
            .added
            .iter()
            .filter(|slug| changes.removed.contains(slug))
            .cloned()
            .collect();
        changes.added.retain(|slug| !moved.contains(slug));
        changes.removed.retain(|slug| !moved.contains(slug));
        changes.changed.extend(moved);
        for list in [
            &mut changes.added,
            &mut changes.changed,
            &mut changes.removed,
        ] {
            list.sort_unstable();
            list.dedup();
        }
        changes
    }
}
