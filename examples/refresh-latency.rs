//! Measures how long a push takes to be served: edits posts in an author's repository, pushes to
//! the origin Quire fetches from, sends a signed GitHub webhook, and polls GraphQL until the new
//! commit is served. `scripts/measure-refresh.sh` sets everything up; see it for a full run.
//!
//! ```text
//! cargo run --release --example refresh-latency -- --repo AUTHOR --origin file:///tmp/origin.git \
//!     --quire http://127.0.0.1:8080 --secret S --changes 1,100 --rounds 7
//! ```

use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use clap::Parser;
use git2::{Repository, Signature};
use hmac::Mac as _;
use serde_json::{Value, json};

#[derive(Parser)]
struct Args {
    /// The author's repository (as made by gen-corpus), committed to and pushed from
    #[arg(long)]
    repo: String,
    /// URL of the origin Quire fetches from
    #[arg(long)]
    origin: String,
    /// Base URL of the Quire under test
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    quire: String,
    /// Quire's --webhook-secret
    #[arg(long)]
    secret: String,
    /// Posts edited per push, one measurement series each
    #[arg(long, value_delimiter = ',', default_value = "1,100")]
    changes: Vec<usize>,
    /// Pushes per series
    #[arg(long, default_value_t = 7)]
    rounds: usize,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let repo = Repository::open(&args.repo).context("opening --repo")?;
    let client = reqwest::Client::new();
    println!(
        "| posts edited per push | webhook sent -> commit served (median, min-max) | refresh inside Quire (median) | files parsed |"
    );
    println!("| --- | --- | --- | --- |");
    let mut round = 0;
    for &changes in &args.changes {
        let mut total = Vec::new();
        let mut inside = Vec::new();
        let mut parsed = Value::Null;
        for _ in 0..args.rounds {
            round += 1;
            let commit = edit_and_push(&repo, &args.origin, changes, round)?;
            let started = Instant::now();
            webhook(&client, &args, &commit).await?;
            wait_for(&client, &args.quire, &commit).await?;
            total.push(started.elapsed());
            let ready: Value = client
                .get(format!("{}/readyz", args.quire))
                .send()
                .await?
                .json()
                .await?;
            let last = &ready["lastRefresh"];
            inside.push(Duration::from_secs_f64(
                last["durationMs"].as_f64().unwrap_or_default() / 1000.0,
            ));
            parsed = last["filesParsed"].clone();
            if std::env::var_os("PHASES").is_some() {
                eprintln!("{changes} posts: {}", last["phasesMs"]);
            }
        }
        total.sort();
        inside.sort();
        println!(
            "| {changes} | {:.1} ms ({:.1}-{:.1}) | {:.1} ms | {parsed} |",
            ms(total[total.len() / 2]),
            ms(total[0]),
            ms(total[total.len() - 1]),
            ms(inside[inside.len() / 2]),
        );
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Appends a line to `changes` posts, commits, pushes; returns the new commit id.
fn edit_and_push(
    repo: &Repository,
    origin: &str,
    changes: usize,
    round: usize,
) -> anyhow::Result<String> {
    let head = repo.head()?.peel_to_commit()?;
    let tree = head.tree()?;
    let mut index = repo.index()?;
    index.read_tree(&tree)?;
    let mut entries: Vec<git2::IndexEntry> =
        index.iter().filter(|e| e.path.ends_with(b".md")).collect();
    if entries.len() < changes {
        bail!(
            "the repository has {} posts, fewer than {changes}",
            entries.len()
        );
    }
    for i in 0..changes {
        let at = (round * 7919 + i * 104_729) % entries.len();
        let entry = &mut entries[at];
        let mut text = repo.find_blob(entry.id)?.content().to_vec();
        text.extend_from_slice(format!("\nEdited in round {round}.\n").as_bytes());
        entry.id = repo.blob(&text)?;
        index.add(entry)?;
    }
    let tree = repo.find_tree(index.write_tree()?)?;
    let sig = Signature::now("Author", "author@example.com")?;
    let message = format!("Edit {changes} posts");
    let commit = repo.commit(Some("HEAD"), &sig, &sig, &message, &tree, &[&head])?;
    let mut remote = repo.remote_anonymous(origin)?;
    remote.push(&["refs/heads/main:refs/heads/main"], None)?;
    Ok(commit.to_string())
}

async fn webhook(client: &reqwest::Client, args: &Args, commit: &str) -> anyhow::Result<()> {
    let body = serde_json::to_vec(&json!({ "ref": "refs/heads/main", "after": commit }))?;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(args.secret.as_bytes())?;
    mac.update(&body);
    let signature = hex::encode(mac.finalize().into_bytes());
    let response = client
        .post(format!("{}/webhook", args.quire))
        .header("content-type", "application/json")
        .header("x-github-event", "push")
        .header("x-github-delivery", commit)
        .header("x-hub-signature-256", format!("sha256={signature}"))
        .body(body)
        .send()
        .await?;
    if response.status() != 202 {
        bail!(
            "webhook answered {}: {}",
            response.status(),
            response.text().await?
        );
    }
    Ok(())
}

async fn wait_for(client: &reqwest::Client, quire: &str, commit: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let answer: Value = client
            .post(format!("{quire}/graphql"))
            .json(&json!({ "query": "{ revision { commit } }" }))
            .send()
            .await?
            .json()
            .await?;
        if answer["data"]["revision"]["commit"] == commit {
            return Ok(());
        }
        // Poll often, but leave the CPU to the server being measured.
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    bail!("commit {commit} was not served within 60 s")
}
