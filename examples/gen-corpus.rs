//! Generates a deterministic Hugo-style blog in a new git repository, for benchmarks and manual
//! runs (see `corpus/mod.rs` for what the posts look like).
//!
//! ```text
//! cargo run --release --example gen-corpus -- --posts 10000 --out /tmp/blog-10k
//! ```
//!
//! The same `--posts` and `--seed` always give the same files (and the same tree id).

mod corpus;

use std::path::PathBuf;

use anyhow::bail;
use clap::Parser;

#[derive(Parser)]
struct Args {
    /// Number of posts
    #[arg(long, default_value_t = 1000)]
    posts: usize,
    /// Folder for the new repository (must not exist, or be empty)
    #[arg(long)]
    out: PathBuf,
    /// Seed of the generator
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.out.exists() && args.out.read_dir()?.next().is_some() {
        bail!(
            "{} is not empty: pass --out with a new folder",
            args.out.display()
        );
    }
    let (commit, bytes) = corpus::generate(&args.out, args.posts, args.seed)?;
    println!(
        "{} posts, {:.1} MB of Markdown, committed as {commit} in {}",
        args.posts,
        bytes as f64 / 1e6,
        args.out.display()
    );
    Ok(())
}
