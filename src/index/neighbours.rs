//! A post's neighbours: related posts (Hugo's related content ranking, configured by the Hugo
//! configuration's `related` table), and the previous and next posts in date order.

use std::sync::{Arc, OnceLock};

use serde_json::Value;

use super::related::{Related, RelatedConfig};
use super::{Placed, Problem, Snapshot, View, order_key};
use crate::content::ListMode;

/// The related-posts index of a snapshot, built on first need.
#[derive(Debug, Default)]
pub(crate) struct LazyRelated {
    config: RelatedConfig,
    index: OnceLock<Related>,
}

impl LazyRelated {
    /// The ranking the Hugo configuration's `related` table describes (Quire's default without
    /// one); an unusable table is a problem of `file`, and the default is used.
    pub(crate) fn new(table: Option<&Value>, file: &str) -> (LazyRelated, Option<Problem>) {
        let (config, problem) = match table.map(RelatedConfig::from_hugo) {
            None => (RelatedConfig::default(), None),
            Some(Ok(config)) => (config, None),
            Some(Err(message)) => (
                RelatedConfig::default(),
                Some(Problem {
                    path: file.to_owned(),
                    line: None,
                    message: format!(
                        "{message}; related posts are ranked by Quire's defaults until it is fixed"
                    ),
                }),
            ),
        };
        let related = LazyRelated {
            config,
            index: OnceLock::new(),
        };
        (related, problem)
    }
}

/// Which posts `previous` and `next` step through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Across {
    /// Posts of the same section (and language).
    Section,
    /// Every post listed outside its section, in the same language.
    All,
}

impl Snapshot {
    /// Position of `post` in [`Self::posts`], when it is listed.
    fn position(&self, post: &Placed) -> Option<usize> {
        let key = order_key(post);
        self.posts.binary_search_by(|p| order_key(p).cmp(&key)).ok()
    }

    /// The `first` posts most related to `post`, best first; never `post` itself.
    pub(crate) fn related(&self, post: &Placed, first: usize) -> Vec<Arc<Placed>> {
        let Some(i) = self.position(post) else {
            return Vec::new();
        };
        let related = &self.related;
        let index = related.index.get_or_init(|| {
            let dates: Vec<_> = self.posts.iter().map(|p| p.date).collect();
            Related::build(
                &related.config,
                self.posts.len(),
                |i, name| terms(&self.posts[i], name),
                &dates,
            )
        });
        // Ranked over every listed post, kept in the post's language and among posts listed
        // outside their section, as Hugo ranks a language's regular pages.
        index
            .of(i, self.posts.len())
            .into_iter()
            .map(|j| &self.posts[j])
            .filter(|p| p.language == post.language && p.list != ListMode::Local)
            .take(first)
            .cloned()
            .collect()
    }

    /// The listed post just older (`newer` false) or newer than `post`, among the posts
    /// `across` says that `view` shows; `None` at either end, or for a post that is not listed.
    pub(crate) fn adjacent(
        &self,
        post: &Placed,
        across: Across,
        newer: bool,
        view: &View,
    ) -> Option<Arc<Placed>> {
        let i = self.position(post)?;
        let fits = |p: &&Arc<Placed>| {
            !view.hides(p)
                && p.language == post.language
                && match across {
                    Across::Section => p.parent == post.parent,
                    Across::All => p.list != ListMode::Local,
                }
        };
        let found = if newer {
            self.posts[..i].iter().rev().find(fits)
        } else {
            self.posts[i + 1..].iter().find(fits)
        };
        found.cloned()
    }
}

/// A post's values for the related index `name` (lower-cased): its keywords, categories, or
/// any front matter list (such as `tags`), as written.
fn terms(post: &Placed, name: &str) -> Vec<String> {
    match name {
        "keywords" => post.keywords.clone(),
        "categories" => post.categories.clone(),
        _ => post.terms_of(name),
    }
}
