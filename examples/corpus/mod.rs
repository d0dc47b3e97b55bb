//! The generated blog of the benchmarks, shared by `gen-corpus` and `benches/`: Hugo-style posts
//! with YAML front matter, 600-1,200 words of varied Markdown, 1-3 footnotes, about 30
//! categories and 300 keywords, committed on `main` of a new repository. The same `posts` and
//! `seed` always give the same files.
//!
//! Half the paragraphs link to an older post, by URL (`/posts/post-7/`), by file
//! (`post-000007.md`) or with `{{< relref "post-000007.md" >}}`, in turns. A thousand posts (all
//! of them in a smaller blog) also link to a hub post, `content/posts/hub.md` with slug `hub`,
//! that the commit does not hold: `refresh-latency` pushes it, and those links then resolve.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context as _;
use git2::{IndexEntry, IndexTime, Oid, Repository, RepositoryInitOptions, Signature};

/// Root-relative URL of the hub post (slug `hub`), which the generated commit lacks.
const HUB_URL: &str = "/posts/hub/";

/// The hub post's file, relative to the posts' folder.
const HUB_FILE: &str = "hub.md";

/// Posts linking to the hub, at most.
const HUB_LINKERS: usize = 1000;

/// Whether post `n` of `posts` links to the hub: every `posts / 1000`th post, 1,000 in all (every
/// post of a blog of 1,000 posts or fewer).
fn links_to_hub(n: usize, posts: usize) -> bool {
    let stride = (posts / HUB_LINKERS).max(1);
    n.is_multiple_of(stride) && n / stride < HUB_LINKERS
}

/// Writes `posts` posts under `content/posts/` of a new repository at `out`, in one commit.
/// Returns the commit and the bytes of Markdown written.
pub(crate) fn generate(out: &Path, posts: usize, seed: u64) -> anyhow::Result<(Oid, usize)> {
    let mut options = RepositoryInitOptions::new();
    options.initial_head("main");
    let repo = Repository::init_opts(out, &options).context("git init")?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let categories: Vec<String> = (0..30).map(|i| format!("Category {i}")).collect();
    let keywords: Vec<String> = (0..300).map(|i| format!("keyword-{i}")).collect();

    let mut index = repo.index()?;
    let mut bytes = 0;
    for n in 0..posts {
        let text = post(&mut rng, n, posts, &categories, &keywords);
        bytes += text.len();
        let id = repo.blob(text.as_bytes())?;
        index.add(&IndexEntry {
            ctime: IndexTime::new(0, 0),
            mtime: IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: 0o100_644,
            uid: 0,
            gid: 0,
            file_size: 0,
            id,
            flags: 0,
            flags_extended: 0,
            path: format!("content/posts/post-{n:06}.md").into_bytes(),
        })?;
    }
    index.write()?;
    let tree = repo.find_tree(index.write_tree()?)?;
    let sig = Signature::new(
        "Generator",
        "gen@example.com",
        &git2::Time::new(1_700_000_000, 0),
    )?;
    let commit = repo.commit(Some("HEAD"), &sig, &sig, "Generated posts", &tree, &[])?;
    Ok((commit, bytes))
}

const WORDS: &[&str] = &[
    "git",
    "content",
    "cluster",
    "latency",
    "render",
    "cache",
    "commit",
    "branch",
    "deploy",
    "proxy",
    "request",
    "schema",
    "query",
    "snapshot",
    "index",
    "replica",
    "webhook",
    "static",
    "markdown",
    "footnote",
    "author",
    "release",
    "weekly",
    "notes",
    "kubernetes",
    "cloudflare",
    "service",
    "network",
    "storage",
    "memory",
    "thread",
    "runtime",
    "compile",
    "binary",
    "socket",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "is",
    "that",
    "for",
    "with",
    "on",
    "as",
    "it",
    "this",
    "we",
    "was",
    "are",
    "be",
    "from",
    "by",
    "at",
    "an",
    "not",
    "but",
    "or",
    "which",
    "have",
];

fn post(
    rng: &mut fastrand::Rng,
    n: usize,
    posts: usize,
    categories: &[String],
    keywords: &[String],
) -> String {
    let mut out = String::with_capacity(8 * 1024);
    let day = n % 3650;
    let (year, rest) = (2015 + day / 365, day % 365);
    let (month, dom) = (1 + rest / 31 % 12, 1 + rest % 28);
    let offset = ["+00:00", "+11:00", "-05:00", "+05:30"][n % 4];
    let _ = writeln!(out, "---");
    let _ = writeln!(
        out,
        "title: \"Post {n}: {}\"",
        sentence(rng, 3, 7).trim_end_matches('.')
    );
    let _ = writeln!(out, "slug: post-{n}");
    let _ = writeln!(
        out,
        "date: {year}-{month:02}-{dom:02}T{:02}:{:02}:00{offset}",
        rng.u32(0..24),
        rng.u32(0..60)
    );
    let _ = writeln!(out, "author: Author {}", rng.usize(0..12));
    let _ = writeln!(
        out,
        "categories: [\"{}\"]",
        categories[rng.usize(0..categories.len())]
    );
    let _ = writeln!(out, "keywords:");
    for _ in 0..rng.usize(2..6) {
        let _ = writeln!(out, "  - {}", keywords[rng.usize(0..keywords.len())]);
    }
    let _ = writeln!(out, "description: \"{}\"", sentence(rng, 8, 16));
    let _ = writeln!(out, "---");

    let target = rng.usize(600..1200);
    let footnotes = rng.usize(1..4);
    let mut words = 0;
    let mut footnote = 0;
    let mut links = 0;
    while words < target {
        match rng.u8(0..10) {
            0 => {
                let _ = writeln!(out, "## {}\n", sentence(rng, 2, 6).trim_end_matches('.'));
            }
            1 => {
                for _ in 0..rng.usize(2..5) {
                    let _ = writeln!(out, "- {}", sentence(rng, 4, 10));
                }
                out.push('\n');
            }
            2 => {
                let _ = writeln!(
                    out,
                    "```rust\nfn f{n}(x: u32) -> u32 {{\n    x * {}\n}}\n```\n",
                    rng.u32(2..100)
                );
            }
            3 if rng.u8(0..3) == 0 => {
                // Shortcodes: one Quire renders (figure), one it hands to the frontend.
                if rng.bool() {
                    let _ = writeln!(
                        out,
                        "{{{{< figure src=\"https://images.example.com/photo-{}.png\" caption=\"{}\" >}}}}\n",
                        rng.usize(0..50),
                        sentence(rng, 3, 8)
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "{{{{% note %}}}}\n{} With **bold** text.\n{{{{% /note %}}}}\n",
                        sentence(rng, 6, 14)
                    );
                }
            }
            _ => {
                let mut paragraph = String::new();
                for _ in 0..rng.usize(3..7) {
                    paragraph.push_str(&sentence(rng, 6, 18));
                    paragraph.push(' ');
                }
                if footnote < footnotes {
                    footnote += 1;
                    let _ = write!(paragraph, "See the note[^{footnote}].");
                }
                if rng.bool() {
                    // The three ways a post names another: its URL, its file, a `relref`.
                    let older = rng.usize(0..n.max(1));
                    let to = match (n + links) % 3 {
                        0 => format!("/posts/post-{older}/"),
                        1 => format!("post-{older:06}.md"),
                        _ => format!("{{{{< relref \"post-{older:06}.md\" >}}}}"),
                    };
                    links += 1;
                    let _ = write!(
                        paragraph,
                        " Read [an older post]({to}) and *mind* the **details**."
                    );
                }
                words += paragraph.split_whitespace().count();
                let _ = writeln!(out, "{}\n", paragraph.trim_end());
            }
        }
    }
    if links_to_hub(n, posts) {
        // Hugo fails a build on a `relref` to no page, so these links name the hub by URL or file.
        let to = if n.is_multiple_of(2) {
            HUB_URL
        } else {
            HUB_FILE
        };
        let _ = writeln!(out, "All of these are gathered in [the hub]({to}).\n");
    }
    for i in 1..=footnote {
        let _ = writeln!(out, "[^{i}]: {} With *emphasis*.", sentence(rng, 5, 12));
    }
    out
}

fn sentence(rng: &mut fastrand::Rng, min: usize, max: usize) -> String {
    let count = rng.usize(min..max);
    let mut s = String::new();
    for i in 0..count {
        let word = WORDS[rng.usize(0..WORDS.len())];
        if i == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                s.extend(first.to_uppercase());
                s.push_str(chars.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(word);
        }
    }
    s.push('.');
    s
}
