//! Renders every post of a repository on all cores, three times over: with pulldown-cmark's bare
//! `push_html` (the ceiling), and with Quire's renderer (footnotes apart, as the GraphQL `html`
//! field does: heading ids, shortcodes, summary, text measures) with highlighting on (classes,
//! the default) and off, alternating, best of `--rounds`; and the links of every post listed
//! without rendering (`extract_links`, as the index does at start-up). Prints each throughput
//! in MB of Markdown per second, as `name value` lines for `scripts/bench.sh`.
//!
//! ```text
//! cargo run --release --example render-throughput -- --repo /tmp/blog-10k --root content
//! ```

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use quire::bench::{Commit, extract_links, render_html, render_pulldown};
use quire::{Highlight, RenderOptions};
use rayon::prelude::*;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    repo: PathBuf,
    #[arg(long, default_value = "content")]
    root: String,
    #[arg(long, default_value_t = 5)]
    rounds: usize,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let bodies = Commit::read(&args.repo, None, &args.root)?.bodies()?;
    let bytes: usize = bodies.iter().map(String::len).sum();
    let bare = |body: &String| {
        let mut html = String::with_capacity(body.len() * 3 / 2);
        render_pulldown(body, &mut html);
        html.len()
    };
    let highlighted = RenderOptions::default();
    let plain = RenderOptions {
        highlight: Highlight::Off,
        ..RenderOptions::default()
    };
    let quire = |body: &String| render_html(body, &highlighted).len();
    let quire_plain = |body: &String| render_html(body, &plain).len();
    let links = |body: &String| extract_links(body, &highlighted);
    let time = |render: &(dyn Fn(&String) -> usize + Sync)| {
        let started = Instant::now();
        black_box(bodies.par_iter().map(render).sum::<usize>());
        started.elapsed()
    };
    let (mut best_bare, mut best_quire, mut best_plain, mut best_links) =
        (Duration::MAX, Duration::MAX, Duration::MAX, Duration::MAX);
    for _ in 0..args.rounds {
        best_bare = best_bare.min(time(&bare));
        best_quire = best_quire.min(time(&quire));
        best_plain = best_plain.min(time(&quire_plain));
        best_links = best_links.min(time(&links));
    }
    let mbps = |d: Duration| bytes as f64 / 1e6 / d.as_secs_f64();
    println!("posts {}", bodies.len());
    println!("markdown_mb {:.1}", bytes as f64 / 1e6);
    println!("render_pulldown_mbps {:.1}", mbps(best_bare));
    println!("render_quire_mbps {:.1}", mbps(best_quire));
    println!("render_quire_plain_mbps {:.1}", mbps(best_plain));
    println!("links_extract_mbps {:.1}", mbps(best_links));
    println!("render_quire_ms {:.1}", best_quire.as_secs_f64() * 1000.0);
    Ok(())
}
