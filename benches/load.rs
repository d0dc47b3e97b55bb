//! The steps of a load, one at a time, on a generated blog of 1,000 posts (see
//! `examples/corpus/mod.rs`): parsing front matter, rendering Markdown (beside pulldown-cmark's
//! bare `push_html` with the same extensions, the ceiling), and building the index.
//!
//! ```text
//! cargo bench --bench load
//! ```

#[path = "../examples/corpus/mod.rs"]
mod corpus;

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use quire::bench::{Commit, parse_post, render_html, render_pulldown};
use quire::{Highlight, RenderOptions};

const POSTS: usize = 1000;

fn commit() -> (tempfile::TempDir, Commit) {
    let dir = tempfile::tempdir().unwrap();
    corpus::generate(dir.path(), POSTS, 42).unwrap();
    let commit = Commit::read(dir.path(), None, "content").unwrap();
    (dir, commit)
}

fn front_matter(c: &mut Criterion, commit: &Commit) {
    let files = commit.files().unwrap();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("1000 posts, front matter and body", |b| {
        b.iter(|| {
            for (path, bytes) in &files {
                assert!(parse_post(path, black_box(bytes)));
            }
        });
    });
    group.finish();
}

fn render(c: &mut Criterion, commit: &Commit) {
    let bodies = commit.bodies().unwrap();
    let bytes: usize = bodies.iter().map(String::len).sum();
    let mut group = c.benchmark_group("render");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("pulldown-cmark push_html (ceiling)", |b| {
        let mut html = String::new();
        b.iter(|| {
            for body in &bodies {
                render_pulldown(black_box(body), &mut html);
            }
        });
    });
    for (name, options) in [
        (
            "quire render (highlighting with classes)",
            RenderOptions::default(),
        ),
        (
            "quire render (highlighting off)",
            RenderOptions {
                highlight: Highlight::Off,
                ..RenderOptions::default()
            },
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                for body in &bodies {
                    black_box(render_html(black_box(body), &options));
                }
            });
        });
    }
    group.finish();
}

fn index(c: &mut Criterion, commit: &Commit) {
    let mut group = c.benchmark_group("index");
    group.throughput(Throughput::Elements(POSTS as u64));
    group.sample_size(20);
    group.bench_function("first load: read, parse and index 1000 posts", |b| {
        b.iter_batched(
            || commit.clone(),
            |commit| commit.index().unwrap(),
            BatchSize::LargeInput,
        );
    });
    let previous = commit.clone().index().unwrap();
    group.bench_function("refresh: index 1000 unchanged posts again", |b| {
        b.iter_batched(
            || commit.clone(),
            |commit| commit.reindex(&previous).unwrap(),
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let (_dir, commit) = commit();
    front_matter(c, &commit);
    render(c, &commit);
    index(c, &commit);
}

criterion_group!(load, benches);
criterion_main!(load);
