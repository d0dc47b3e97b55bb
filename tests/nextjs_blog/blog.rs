//! A generated blog of 300 posts in three sections, for the Next.js example to build and crawl:
//! a Hugo configuration with a permalink pattern, `_index.md` section pages, page bundles with
//! an image, headings, footnotes, highlighted code, links between posts (by URL and by file),
//! aliases, categories and keywords, one post a day from Monday 2 January 2023.

use super::common::TestRepo;

/// Posts in all.
pub(crate) const POSTS: usize = 300;

/// Sections and how many posts of every ten go in each.
const SECTIONS: [(&str, &str, usize); 3] = [
    ("posts", "Posts", 5),
    ("notes", "Notes", 3),
    ("guides", "Guides", 2),
];

const CATEGORIES: [&str; 6] = [
    "Engineering",
    "Travel",
    "Cooking",
    "Reading",
    "Music",
    "Gardening",
];

const KEYWORDS: [&str; 15] = [
    "rust",
    "git",
    "graphql",
    "hugo",
    "markdown",
    "coffee",
    "trains",
    "bread",
    "novels",
    "jazz",
    "tomatoes",
    "compilers",
    "maps",
    "tea",
    "piano",
];

const WORDS: [&str; 24] = [
    "river", "lantern", "quiet", "harbour", "sentence", "orchard", "copper", "window", "morning",
    "ledger", "signal", "meadow", "thread", "compass", "winter", "garden", "letter", "station",
    "bridge", "candle", "market", "island", "valley", "paper",
];

/// Section of post `n`.
fn section(n: usize) -> (&'static str, &'static str) {
    let mut slot = n % 10;
    for (dir, title, share) in SECTIONS {
        if slot < share {
            return (dir, title);
        }
        slot -= share;
    }
    unreachable!()
}

/// Post `n`'s file: a page bundle (`index.md` beside an image) for every seventh post.
pub(crate) fn file(n: usize) -> String {
    let (dir, _) = section(n);
    if n % 7 == 3 {
        format!("content/{dir}/post-{n}/index.md")
    } else {
        format!("content/{dir}/post-{n}.md")
    }
}

/// Post `n`'s title.
pub(crate) fn title(n: usize) -> String {
    format!(
        "{} {} number {n}",
        capitalised(WORDS[n % WORDS.len()]),
        WORDS[(n * 7 + 3) % WORDS.len()]
    )
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(chars)
        .collect()
}

/// `count` words of filler, varied by `seed`.
fn words(seed: usize, count: usize) -> String {
    (0..count)
        .map(|i| WORDS[(seed * 31 + i * 7 + i / 5) % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// A day-`n` date: 2023-01-02 (a Monday) plus `n` days, at 09:00 in Sydney.
fn date(n: usize) -> String {
    let day = jiff::civil::date(2023, 1, 2) + jiff::Span::new().days(i64::try_from(n).unwrap());
    format!("{day}T09:00:00+11:00")
}

/// The Markdown of post `n`; posts link only to older posts, so every link resolves.
pub(crate) fn post(n: usize) -> String {
    let (dir, _) = section(n);
    let category = CATEGORIES[n % CATEGORIES.len()];
    let keywords = [
        KEYWORDS[n % KEYWORDS.len()],
        KEYWORDS[(n / 3 + 5) % KEYWORDS.len()],
    ];
    let aliases = if n.is_multiple_of(25) {
        // Absolute, with a character that is a pattern in a Next.js redirect, and relative to
        // the page's folder.
        format!("\naliases: [/old/{dir}/{n}/, \"/old/({n})/\", old-{n}/]")
    } else {
        String::new()
    };
    let mut body = format!(
        "{}.[^1]\n\n{}\n\n## {} and {}\n\n{}.\n\n### A closer look\n\n{}.\n\n",
        words(n, 60),
        words(n + 1, 40),
        capitalised(WORDS[n % 24]),
        WORDS[(n + 5) % 24],
        words(n + 2, 50),
        words(n + 3, 30),
    );
    if n > 0 {
        let older = n - 1 - (n * 13) % n.min(40);
        let target = file(older);
        // By file, relative to this post's folder, as authors write in an editor.
        let depth = file(n).matches('/').count() - 1;
        body.push_str(&format!(
            "Read [{}]({}{}) first.\n\n",
            title(older),
            "../".repeat(depth),
            target.trim_start_matches("content/")
        ));
    }
    if n % 7 == 3 {
        body.push_str(&format!("![A small picture for post {n}](picture.png)\n\n"));
    }
    body.push_str(&format!(
        "## Code\n\n```rust\nfn main() {{\n    println!(\"post {n}\");\n}}\n```\n\n[^1]: A footnote of post {n}, about {}.\n",
        WORDS[n % 24]
    ));
    format!(
        "---\ntitle: \"{}\"\ndate: {}\ncategories: [{category}]\nkeywords: [{}, {}]{aliases}\n---\n{body}",
        title(n),
        date(n),
        keywords[0],
        keywords[1],
    )
}

/// A repository holding the whole blog in one commit.
pub(crate) fn repository() -> TestRepo {
    let picture = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content-repo/posts/harbour-walk/harbour.png"),
    )
    .expect("the sample post's picture");
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "hugo.toml".to_owned(),
            b"baseURL = \"https://blog.example.com/\"\ntitle = \"Three hundred posts\"\n\n[permalinks]\nnotes = \"/notes/:year/:month/:slug/\"\n"
                .to_vec(),
        ),
        ("content/_index.md".to_owned(), b"---\ntitle: Three hundred posts\n---\n".to_vec()),
    ];
    for (dir, title, _) in SECTIONS {
        files.push((
            format!("content/{dir}/_index.md"),
            format!("---\ntitle: {title}\n---\nThe {dir} section.\n").into_bytes(),
        ));
    }
    for n in 0..POSTS {
        files.push((file(n), post(n).into_bytes()));
        if n % 7 == 3 {
            files.push((file(n).replace("index.md", "picture.png"), picture.clone()));
        }
    }
    let repo = TestRepo::new();
    repo.commit_bytes(&files);
    repo
}
