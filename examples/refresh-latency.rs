//! Measures how long a push takes to be served: edits posts in an author's repository, pushes to
//! the origin Quire fetches from, sends a signed GitHub webhook, and polls GraphQL until the new
//! commit is served, then asks for backlinks on it (which wait for that commit's link graph) and,
//! at the same time, searches it for a word only the edit wrote (which waits for that commit's
//! search index). Each edit adds a link to the next post, and its backlinks must list it; the
//! search must find the edited post, first. A last series adds the
//! hub post that gen-corpus's posts link to (`content/posts/hub.md`), whose backlinks must number
//! `--hub-backlinks`, and removes it again (untimed). `scripts/measure-refresh.sh` sets everything
//! up; see it for a full run.
//!
//! ```text
//! cargo run --release --example refresh-latency -- --repo AUTHOR --origin file:///tmp/origin.git \
//!     --quire http://127.0.0.1:8080 --secret S --changes 1,100 --rounds 7 --hub-rounds 7
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
    /// Pushes adding the hub post (each followed by one removing it); 0 for none
    #[arg(long, default_value_t = 7)]
    hub_rounds: usize,
    /// Posts linking to the hub, as gen-corpus writes them: its backlinks must number this
    #[arg(long, default_value_t = 1000)]
    hub_backlinks: usize,
}

/// The hub post's path, as gen-corpus's posts link to it (`/posts/hub/`, `hub.md`).
const HUB_PATH: &str = "content/posts/hub.md";

/// The hub post: slug `hub`, so its URL is `/posts/hub/`.
const HUB: &str = "---\ntitle: \"Hub\"\nslug: hub\ndate: 2020-01-01T00:00:00+00:00\n---\nThe post a thousand others link to.\n";

/// Times of one series, each sorted when printed.
#[derive(Default)]
struct Series {
    /// Webhook sent to commit served.
    served: Vec<Duration>,
    /// Webhook sent to backlinks answered on the commit.
    linked: Vec<Duration>,
    /// Webhook sent to a search on the commit finding the edit by its word (none in the hub
    /// series).
    searched: Vec<Duration>,
    /// Commit served to that search answered.
    search_after: Vec<Duration>,
    /// The refresh as Quire timed it.
    inside: Vec<Duration>,
    /// Files parsed by the last refresh.
    parsed: Value,
}

impl Series {
    fn row(mut self, name: &str) -> String {
        format!(
            "| {name} | {} | {} | {} | {} | {:.1} ms | {} |",
            spread(&mut self.served),
            spread(&mut self.linked),
            spread(&mut self.searched),
            spread(&mut self.search_after),
            ms(median(&mut self.inside)),
            self.parsed
        )
    }
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// `median ms (min-max)`, or `-` for no times.
fn spread(times: &mut [Duration]) -> String {
    if times.is_empty() {
        return "-".to_owned();
    }
    let mid = median(times);
    format!(
        "{:.1} ms ({:.1}-{:.1})",
        ms(mid),
        ms(times[0]),
        ms(times[times.len() - 1])
    )
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let repo = Repository::open(&args.repo).context("opening --repo")?;
    let client = reqwest::Client::new();
    println!(
        "| posts edited per push | webhook sent -> commit served (median, min-max) | webhook sent -> backlinks answered on it (median, min-max) | webhook sent -> search finds the edit on it (median, min-max) | commit served -> search finds the edit (median, min-max) | refresh inside Quire (median) | files parsed |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    let mut round = 0;
    for &changes in &args.changes {
        let mut series = Series::default();
        for _ in 0..args.rounds {
            round += 1;
            let (commit, probe) = edit_and_push(&repo, &args.origin, changes, round)?;
            let backlinks = measure(
                &client,
                &args,
                &commit,
                &probe.target,
                Some((&probe.word, &probe.from)),
                &mut series,
            )
            .await?;
            if !backlinks.contains(&(probe.from.clone(), probe.text.clone())) {
                bail!(
                    "{}'s backlinks on {commit} lack the link `{}` just added in {}: {backlinks:?}",
                    probe.target,
                    probe.text,
                    probe.from
                );
            }
            if std::env::var_os("PHASES").is_some() {
                eprintln!(
                    "{changes} posts: {}",
                    last_refresh(&client, &args).await?["phasesMs"]
                );
            }
        }
        println!("{}", series.row(&changes.to_string()));
    }
    if args.hub_rounds > 0 {
        let mut series = Series::default();
        for _ in 0..args.hub_rounds {
            let commit = push(&repo, &args.origin, "Add the hub post", |_, index| {
                index.add_frombuffer(&entry(HUB_PATH), HUB.as_bytes())?;
                Ok(())
            })?;
            let backlinks = measure(&client, &args, &commit, HUB_PATH, None, &mut series).await?;
            if backlinks.len() != args.hub_backlinks {
                bail!(
                    "the hub post has {} backlinks on {commit}, not --hub-backlinks {}: is --repo a gen-corpus blog?",
                    backlinks.len(),
                    args.hub_backlinks
                );
            }
            if std::env::var_os("PHASES").is_some() {
                eprintln!("hub: {}", last_refresh(&client, &args).await?["phasesMs"]);
            }
            // Back to the blog without the hub, its graph built, before the next round.
            let commit = push(&repo, &args.origin, "Remove the hub post", |_, index| {
                index.remove_path(std::path::Path::new(HUB_PATH))?;
                Ok(())
            })?;
            let first = first_post(&repo)?;
            measure(
                &client,
                &args,
                &commit,
                &first,
                None,
                &mut Series::default(),
            )
            .await?;
        }
        println!("{}", series.row("hub"));
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Sends the webhook for `commit` (pushed just before), waits until it is served, then for the
/// backlinks of the post at `path` on it and, at the same time, for a search of `search`'s word
/// to find its post (word, path) on it; adds the times to `series`, answers the backlinks as
/// (linking post's path, link text).
async fn measure(
    client: &reqwest::Client,
    args: &Args,
    commit: &str,
    path: &str,
    search: Option<(&str, &str)>,
    series: &mut Series,
) -> anyhow::Result<Vec<(String, String)>> {
    let started = Instant::now();
    webhook(client, args, commit).await?;
    wait_for(client, &args.quire, commit).await?;
    let served = started.elapsed();
    series.served.push(served);
    let linked = async {
        let backlinks = backlinks(client, &args.quire, commit, path).await?;
        anyhow::Ok((backlinks, started.elapsed()))
    };
    let searched = async {
        match search {
            Some((word, post)) => {
                find(client, &args.quire, commit, word, post).await?;
                anyhow::Ok(Some(started.elapsed()))
            }
            None => Ok(None),
        }
    };
    let ((backlinks, linked), searched) = tokio::try_join!(linked, searched)?;
    series.linked.push(linked);
    if let Some(searched) = searched {
        series.searched.push(searched);
        series.search_after.push(searched - served);
    }
    let last = last_refresh(client, args).await?;
    series.inside.push(Duration::from_secs_f64(
        last["durationMs"].as_f64().unwrap_or_default() / 1000.0,
    ));
    series.parsed = last["filesParsed"].clone();
    Ok(backlinks)
}

/// `/readyz`'s `lastRefresh`.
async fn last_refresh(client: &reqwest::Client, args: &Args) -> anyhow::Result<Value> {
    let ready: Value = client
        .get(format!("{}/readyz", args.quire))
        .send()
        .await?
        .json()
        .await?;
    Ok(ready["lastRefresh"].clone())
}

/// A link an edit added: `from` links to `target` with `text`; `word` is in `from` alone.
struct Probe {
    from: String,
    target: String,
    text: String,
    word: String,
}

/// A word no post has but the `i`th edit of `round`: its digits spelled as letters (`a` for 0),
/// so that no tokenizer splits it.
fn probe_word(round: usize, i: usize) -> String {
    let letters = |n: usize| -> String {
        n.to_string()
            .bytes()
            .map(|d| char::from(b'a' + (d - b'0')))
            .collect()
    };
    format!("quireprobe{}x{}", letters(round), letters(i))
}

/// Appends a line to `changes` posts, each linking to the post after it in the same folder,
/// commits, pushes; returns the new commit id and the first edit's link.
fn edit_and_push(
    repo: &Repository,
    origin: &str,
    changes: usize,
    round: usize,
) -> anyhow::Result<(String, Probe)> {
    let mut probe = None;
    let message = format!("Edit {changes} posts");
    let commit = push(repo, origin, &message, |repo, index| {
        let mut entries: Vec<git2::IndexEntry> =
            index.iter().filter(|e| e.path.ends_with(b".md")).collect();
        if entries.len() < changes + 1 {
            bail!(
                "the repository has {} posts, fewer than {}",
                entries.len(),
                changes + 1
            );
        }
        let paths: Vec<String> = entries
            .iter()
            .map(|e| String::from_utf8_lossy(&e.path).into_owned())
            .collect();
        for i in 0..changes {
            let at = (round * 7919 + i * 104_729) % entries.len();
            let from = &paths[at];
            let folder = from.rsplit_once('/').map_or("", |(f, _)| f);
            let target = [at + 1, at.wrapping_sub(1)]
                .into_iter()
                .filter_map(|t| paths.get(t))
                .find(|t| t.rsplit_once('/').map_or("", |(f, _)| f) == folder)
                .with_context(|| format!("{from} is alone in its folder: nothing to link to"))?;
            let file = target.rsplit_once('/').map_or(target.as_str(), |(_, f)| f);
            let text = format!("edit {round}.{i}");
            let word = probe_word(round, i);
            let entry = &mut entries[at];
            let mut bytes = repo.find_blob(entry.id)?.content().to_vec();
            bytes.extend_from_slice(format!("\nEdited: [{text}]({file}), {word}.\n").as_bytes());
            entry.id = repo.blob(&bytes)?;
            index.add(entry)?;
            probe.get_or_insert_with(|| Probe {
                from: from.clone(),
                target: target.clone(),
                text,
                word,
            });
        }
        Ok(())
    })?;
    Ok((commit, probe.context("no post was edited")?))
}

/// Commits what `change` does to HEAD's tree, pushes to `origin`; returns the new commit id.
fn push(
    repo: &Repository,
    origin: &str,
    message: &str,
    change: impl FnOnce(&Repository, &mut git2::Index) -> anyhow::Result<()>,
) -> anyhow::Result<String> {
    let head = repo.head()?.peel_to_commit()?;
    let mut index = repo.index()?;
    index.read_tree(&head.tree()?)?;
    change(repo, &mut index)?;
    let tree = repo.find_tree(index.write_tree()?)?;
    let sig = Signature::now("Author", "author@example.com")?;
    let commit = repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &[&head])?;
    let mut remote = repo.remote_anonymous(origin)?;
    remote.push(&["refs/heads/main:refs/heads/main"], None)?;
    Ok(commit.to_string())
}

/// A new file's index entry at `path`.
fn entry(path: &str) -> git2::IndexEntry {
    git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: 0o100_644,
        uid: 0,
        gid: 0,
        file_size: 0,
        id: git2::Oid::ZERO_SHA1,
        flags: 0,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

/// The first Markdown file of HEAD's tree, by path.
fn first_post(repo: &Repository) -> anyhow::Result<String> {
    let mut index = git2::Index::new()?;
    index.read_tree(&repo.head()?.peel_to_tree()?)?;
    index
        .iter()
        .map(|e| String::from_utf8_lossy(&e.path).into_owned())
        .find(|p| p.ends_with(".md"))
        .context("the repository has no post")
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

/// The backlinks of the post at `path` on `commit` (served already) as (linking post's path, link
/// text); the first answer waits for the commit's link graph.
async fn backlinks(
    client: &reqwest::Client,
    quire: &str,
    commit: &str,
    path: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    let query = "query Backlinks($path: String!) { revision { commit } post(path: $path) { backlinks { text post { path } } } }";
    let answer: Value = client
        .post(format!("{quire}/graphql"))
        .json(&json!({ "query": query, "variables": { "path": path } }))
        .send()
        .await?
        .json()
        .await?;
    if answer["data"]["revision"]["commit"] != commit {
        bail!("backlinks were answered on another commit than {commit}: {answer}");
    }
    let Some(list) = answer["data"]["post"]["backlinks"].as_array() else {
        bail!("no backlinks for {path} on {commit}: {answer}");
    };
    Ok(list
        .iter()
        .map(|b| {
            let field = |v: &Value| v.as_str().unwrap_or_default().to_owned();
            (field(&b["post"]["path"]), field(&b["text"]))
        })
        .collect())
}

/// Searches `commit` (served already) for `word`, which the post at `path` alone has: the post
/// must be found, alone; the first answer waits for the commit's search index.
async fn find(
    client: &reqwest::Client,
    quire: &str,
    commit: &str,
    word: &str,
    path: &str,
) -> anyhow::Result<()> {
    let query = "query Find($word: String!) { revision { commit } search(query: $word) { totalCount edges { node { path } } } }";
    let answer: Value = client
        .post(format!("{quire}/graphql"))
        .json(&json!({ "query": query, "variables": { "word": word } }))
        .send()
        .await?
        .json()
        .await?;
    if answer["data"]["revision"]["commit"] != commit {
        bail!("the search was answered on another commit than {commit}: {answer}");
    }
    let found = &answer["data"]["search"];
    if found["totalCount"] != 1 || found["edges"][0]["node"]["path"] != path {
        bail!("a search for `{word}` on {commit} did not find {path} alone: {answer}");
    }
    Ok(())
}
