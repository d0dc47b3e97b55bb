//! Prints `path<TAB>wordCount<TAB>readingTime<TAB>raw shortcode delimiters outside code` for
//! every post file of a repository, as the GraphQL fields give them: for comparing Quire's counts with Hugo's `.WordCount` (the issue's
//! closing note says how).
//!
//! ```text
//! cargo run --release --example word-counts -- --repo /tmp/linkerd --root linkerd.io/content
//! ```

use std::path::PathBuf;

use clap::Parser;
use quire::bench::{Commit, measure_post};

#[derive(Parser)]
struct Args {
    #[arg(long)]
    repo: PathBuf,
    #[arg(long, default_value = "content")]
    root: String,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    for (path, bytes) in Commit::read(&args.repo, None, &args.root)?.files()? {
        if let Some((words, minutes, stray)) = measure_post(&path, &bytes) {
            println!("{path}\t{words}\t{minutes}\t{stray}");
        }
    }
    Ok(())
}
