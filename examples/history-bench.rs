//! Measures post histories from git: builds a repository of 5,000 commits by five authors over
//! 500 posts (a post added every tenth commit; every other commit edits one to three random
//! posts, and one in fifty of those edits moves the post to a new file, sometimes editing it
//! too), loads it, and times `updatedAt` for 100 posts through the schema: cold (the first
//! query, which walks the whole history), warm (the same query again), and after one more
//! commit (a walk that goes on from the cached one); then the `diffStat` of every commit of
//! 10 posts, counted and then from memory; then the whole walk alone, three times.
//! The objects are packed first, as a clone's are.
//!
//! ```text
//! cargo run --release --example history-bench [-- --commits 5000 --posts 500]
//! ```

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use clap::Parser;
use git2::{Index, IndexEntry, IndexTime, Oid, Repository, Signature, Time};

#[derive(Parser)]
struct Args {
    /// Commits in the repository
    #[arg(long, default_value_t = 5000)]
    commits: usize,
    /// Posts at the end (one added every `commits / posts` commits)
    #[arg(long, default_value_t = 500)]
    posts: usize,
}

const AUTHORS: [(&str, &str); 5] = [
    ("Ada", "ada@example.com"),
    ("Bob", "bob@example.com"),
    ("Cy", "cy@example.com"),
    ("Dee", "dee@example.com"),
    ("Eve", "eve@example.com"),
];

/// A post being written: its file and its lines.
struct Draft {
    path: String,
    lines: Vec<String>,
}

impl Draft {
    fn text(&self) -> String {
        self.lines.iter().map(|l| format!("{l}\n")).collect()
    }
}

/// The repository as the arguments say, in `dir`; how many moves it has.
fn build(dir: &Path, args: &Args) -> anyhow::Result<usize> {
    let repo = Repository::init(dir)?;
    let mut rng = fastrand::Rng::with_seed(17);
    let mut index = Index::new()?;
    let mut drafts: Vec<Draft> = Vec::new();
    let mut parent: Option<Oid> = None;
    let mut moves = 0;
    let every = (args.commits / args.posts.max(1)).max(1);
    for i in 0..args.commits {
        let mut removed = Vec::new();
        let mut touched = Vec::new();
        if i % every == 0 && drafts.len() < args.posts {
            let n = drafts.len();
            let mut lines = vec![
                "---".to_owned(),
                format!("title: Post {n}"),
                format!("date: 2020-01-01T00:00:{:02}Z", n % 60),
                "---".to_owned(),
            ];
            lines.extend((0..20).map(|l| format!("Line {l} of post {n}, long enough to read.")));
            drafts.push(Draft {
                path: format!("content/posts/p{n}.md"),
                lines,
            });
            touched.push(n);
        } else {
            for _ in 0..rng.usize(1..=3) {
                let n = rng.usize(..drafts.len());
                let draft = &mut drafts[n];
                if rng.usize(..50) == 0 {
                    removed.push(draft.path.clone());
                    draft.path = format!("content/posts/moved-{i}-{n}.md");
                    moves += 1;
                    if rng.bool() {
                        touched.push(n);
                        continue;
                    }
                }
                let line = rng.usize(4..draft.lines.len());
                if rng.bool() {
                    draft.lines[line] = format!("Line rewritten in commit {i}.");
                } else {
                    draft.lines.push(format!("A line added in commit {i}."));
                }
                touched.push(n);
            }
        }
        for path in &removed {
            index.remove_path(Path::new(path))?;
        }
        for &n in &touched {
            let draft = &drafts[n];
            index.add(&IndexEntry {
                ctime: IndexTime::new(0, 0),
                mtime: IndexTime::new(0, 0),
                dev: 0,
                ino: 0,
                mode: 0o100_644,
                uid: 0,
                gid: 0,
                file_size: 0,
                id: repo.blob(draft.text().as_bytes())?,
                flags: 0,
                flags_extended: 0,
                path: draft.path.as_bytes().to_vec(),
            })?;
        }
        let tree = repo.find_tree(index.write_tree_to(&repo)?)?;
        let (name, email) = AUTHORS[rng.usize(..AUTHORS.len())];
        let time = 1_600_000_000 + i64::try_from(i)? * 3600;
        let sig = Signature::new(name, email, &Time::new(time, 0))?;
        let parents: Vec<_> = parent
            .map(|p| repo.find_commit(p))
            .transpose()?
            .into_iter()
            .collect();
        let parents: Vec<_> = parents.iter().collect();
        let message = format!("Commit {i}\n\nTouches {} posts.", touched.len());
        parent = Some(repo.commit(None, &sig, &sig, &message, &tree, &parents)?);
    }
    let head = parent.context("no commits")?;
    repo.reference("refs/heads/main", head, true, "bench")?;
    repo.set_head("refs/heads/main")?;
    pack(&repo, head)?;
    Ok(moves)
}

/// Packs every object reachable from `head` into one pack and removes the loose objects, as a
/// clone has them: reading 40,000 loose objects (a file and an inflate each) is not what a
/// server reading a real repository does.
fn pack(repo: &Repository, head: Oid) -> anyhow::Result<()> {
    let mut builder = repo.packbuilder()?;
    let mut walk = repo.revwalk()?;
    walk.push(head)?;
    builder.insert_walk(&mut walk)?;
    let objects = repo.path().join("objects");
    builder.write(&objects.join("pack"), 0)?;
    for entry in std::fs::read_dir(&objects)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.len() == 2
            && name
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_hexdigit())
        {
            std::fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}

/// One more commit on `main`, editing `content/posts/p0.md` (or the first post there is).
fn edit(dir: &Path) -> anyhow::Result<()> {
    let repo = Repository::open(dir)?;
    let head = repo.head()?.peel_to_commit()?;
    let mut index = Index::new()?;
    index.read_tree(&head.tree()?)?;
    let mut entry = index.iter().next().context("an empty tree")?;
    entry.id = repo.blob(b"---\ntitle: Edited\n---\nEdited.\n")?;
    index.add(&entry)?;
    let tree = repo.find_tree(index.write_tree_to(&repo)?)?;
    let sig = Signature::new("Ada", "ada@example.com", &Time::new(1_700_000_000, 0))?;
    repo.commit(Some("HEAD"), &sig, &sig, "One more", &tree, &[&head])?;
    Ok(())
}

/// Runs `query` through the schema: how long it took, and its data.
async fn run(app: &quire::App, query: &str) -> anyhow::Result<(Duration, serde_json::Value)> {
    let started = Instant::now();
    let response = app.schema().execute(query).await;
    let took = started.elapsed();
    if !response.errors.is_empty() {
        bail!("{query}: {:?}", response.errors);
    }
    Ok((took, response.data.into_json()?))
}

/// Runs `query` (100 posts' `updatedAt`): how long it took.
async fn timed(app: &quire::App, query: &str) -> anyhow::Result<Duration> {
    let (took, data) = run(app, query).await?;
    let nodes = data["posts"]["nodes"].as_array().context("no posts")?;
    if nodes.len() != 100 || nodes.iter().any(|n| !n["updatedAt"].is_string()) {
        bail!("100 posts with an updatedAt expected: {data}");
    }
    Ok(took)
}

/// Runs a query for the `diffStat` of every commit of the 10 newest posts' histories: how long
/// it took and how many commits.
async fn stats(app: &quire::App) -> anyhow::Result<(Duration, usize)> {
    let query =
        "{ posts(first: 10) { nodes { history(first: 100) { nodes { diffStat { added } } } } } }";
    let (took, data) = run(app, query).await?;
    let posts = data["posts"]["nodes"].as_array().context("no posts")?;
    let changes = posts
        .iter()
        .map(|p| p["history"]["nodes"].as_array().map_or(0, Vec::len))
        .sum();
    Ok((took, changes))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    let started = Instant::now();
    let moves = build(dir.path(), &args)?;
    println!(
        "repository: {} commits, {} posts, {moves} moves, built in {}",
        args.commits,
        args.posts,
        ms(started.elapsed())
    );
    let path = dir.path().to_str().context("a UTF-8 temp path")?;
    let cli =
        <quire::Cli as Parser>::try_parse_from(["quire", "--repo", path, "--root", "content"])?;
    let app = quire::App::load(&cli.config).await?;
    let query = "{ posts(first: 100) { nodes { updatedAt } } }";
    println!(
        "updatedAt x100, cold (walk included): {}",
        ms(timed(&app, query).await?)
    );
    println!("updatedAt x100, warm: {}", ms(timed(&app, query).await?));
    edit(dir.path())?;
    app.refresher().refresh(quire::Trigger::Poll).await?;
    println!(
        "updatedAt x100 after one more commit (walk from the cached one): {}",
        ms(timed(&app, query).await?)
    );
    for when in ["counted", "from memory"] {
        let (took, changes) = stats(&app).await?;
        println!(
            "diffStat of {changes} commits (10 posts' histories), {when}: {}",
            ms(took)
        );
    }
    let mut walks = Vec::new();
    for _ in 0..3 {
        let commit = quire::bench::Commit::read(dir.path(), None, "content")?;
        let started = Instant::now();
        let (commits, posts) = commit.history()?;
        walks.push(started.elapsed());
        if commits != args.commits + 1 || posts != args.posts {
            bail!("walked {commits} commits for {posts} posts");
        }
    }
    walks.sort();
    println!(
        "whole walk alone ({} commits): {} (best of 3; median {})",
        args.commits + 1,
        ms(walks[0]),
        ms(walks[1])
    );
    Ok(())
}
