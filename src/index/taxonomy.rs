//! Categories and keywords. Terms match case-insensitively and by slug: "Weekly Notes",
//! "weekly notes" and "weekly-notes" are one term, shown with its most common spelling.

use foldhash::{HashMap, HashMapExt as _};

use crate::content::urlize;

/// One category or keyword.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    /// Display name: the most common spelling (on a tie, the one in the newest post).
    pub(crate) name: String,
    pub(crate) slug: String,
    /// Number of posts with this term.
    pub(crate) count: usize,
}

/// Every term of one kind, sorted by slug, with the posts of each.
#[derive(Debug, Default)]
pub(crate) struct Taxonomy {
    terms: Vec<Term>,
    by_slug: HashMap<String, usize>,
    /// Positions of the posts of each term, in post order.
    posts: Vec<Vec<usize>>,
}

impl Taxonomy {
    /// Builds from each post's terms as written, posts in display order.
    pub(crate) fn build<'a>(per_post: impl Iterator<Item = &'a [String]>) -> Taxonomy {
        #[derive(Default)]
        struct Entry<'a> {
            slug: String,
            spellings: Vec<(&'a str, usize)>,
            posts: Vec<usize>,
        }
        let mut entries: Vec<Entry<'a>> = Vec::new();
        let mut by_slug: HashMap<String, usize> = HashMap::new();
        // Few distinct spellings occur many times: urlize each once.
        let mut by_spelling: HashMap<&'a str, Option<usize>> = HashMap::new();
        for (i, terms) in per_post.enumerate() {
            for written in terms {
                let found = *by_spelling.entry(written).or_insert_with(|| {
                    let slug = urlize(written);
                    (!slug.is_empty()).then(|| {
                        *by_slug.entry(slug.clone()).or_insert_with(|| {
                            entries.push(Entry {
                                slug,
                                ..Entry::default()
                            });
                            entries.len() - 1
                        })
                    })
                });
                let Some(at) = found else { continue };
                let entry = &mut entries[at];
                if entry.posts.last() != Some(&i) {
                    entry.posts.push(i);
                }
                match entry.spellings.iter_mut().find(|(s, _)| s == written) {
                    Some((_, n)) => *n += 1,
                    None => entry.spellings.push((written, 1)),
                }
            }
        }
        let mut sorted = entries;
        sorted.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
        let mut taxonomy = Taxonomy::default();
        for entry in sorted {
            let slug = entry.slug;
            // max_by_key keeps the last maximum; reverse so that the first seen (newest) wins ties.
            let name = entry
                .spellings
                .iter()
                .rev()
                .max_by_key(|(_, n)| *n)
                .map_or("", |(s, _)| s);
            taxonomy.by_slug.insert(slug.clone(), taxonomy.terms.len());
            taxonomy.terms.push(Term {
                name: name.to_owned(),
                slug,
                count: entry.posts.len(),
            });
            taxonomy.posts.push(entry.posts);
        }
        taxonomy
    }

    /// Every term, sorted by slug.
    #[cfg(test)]
    pub(crate) fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// Every term with a post `view` shows, counting only those posts, sorted by slug.
    pub(crate) fn terms_in(&self, view: &super::View) -> Vec<Term> {
        self.terms
            .iter()
            .zip(&self.posts)
            .filter_map(|(term, posts)| {
                let count = view.count_shown(posts);
                (count > 0).then(|| Term {
                    count,
                    ..term.clone()
                })
            })
            .collect()
    }

    /// The term `name` belongs to, matched by slug (`"Weekly Notes"` finds `weekly-notes`).
    pub(crate) fn find(&self, name: &str) -> Option<(&Term, &[usize])> {
        let i = *self.by_slug.get(&urlize(name))?;
        Some((&self.terms[i], &self.posts[i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn merges_spellings_and_shows_the_most_common() {
        let posts = [
            strings(&["weekly notes", "Rust"]),
            strings(&["Weekly Notes"]),
            strings(&["Weekly Notes", "weekly-notes"]),
        ];
        let t = Taxonomy::build(posts.iter().map(Vec::as_slice));
        assert_eq!(t.terms().len(), 2);
        let (term, posts) = t.find("WEEKLY NOTES").unwrap();
        assert_eq!(
            (term.name.as_str(), term.slug.as_str(), term.count),
            ("Weekly Notes", "weekly-notes", 3)
        );
        assert_eq!(posts, [0, 1, 2]);
        assert_eq!(t.find("rust").unwrap().0.name, "Rust");
        assert!(t.find("go").is_none());
    }

    #[test]
    fn breaks_ties_with_the_newest_spelling() {
        let posts = [strings(&["Go"]), strings(&["go"])];
        let t = Taxonomy::build(posts.iter().map(Vec::as_slice));
        assert_eq!(t.terms()[0].name, "Go");
    }
}
