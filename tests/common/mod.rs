//! The one test harness: throwaway git repositories built with git2, and a real Quire server on
//! an ephemeral loopback port; `quire` processes (`process`), waiting on conditions (`wait`),
//! fixed addresses in front of processes on port 0 (`forwarder`), whether the frontend tests
//! can run (`clients`), and Hugo's build of a site as the reference for URLs (`hugo`).
#![allow(dead_code, unreachable_pub, unused_imports)] // each test binary uses a different part of the harness

mod clients;
mod forwarder;
mod hugo;
mod process;
mod wait;

pub use clients::{clients, frontend_ready, node, skip};
pub use forwarder::Forwarder;
pub use hugo::{HugoPage, hugo_pages, hugo_ready, hugo_version};
pub use process::{
    Process, blocking, graphql_blocking, post_blocking, quire_command, serve_process,
};
pub use wait::{eventually, eventually_or_none, quiet_period};

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use git2::{IndexEntry, IndexTime, Oid, Repository, Signature};
use serde_json::{Value, json};

/// Modes of tree entries, as git stores them.
pub const FILE: u32 = 0o100_644;
pub const SYMLINK: u32 = 0o120_000;
pub const SUBMODULE: u32 = 0o160_000;

/// A git repository in a temporary directory. Files are committed straight from memory, so the
/// working tree stays empty unless a test writes to it.
pub struct TestRepo {
    dir: tempfile::TempDir,
    repo: Repository,
}

impl TestRepo {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        // Name the first branch explicitly: libgit2 would follow the machine's init.defaultBranch.
        let mut options = git2::RepositoryInitOptions::new();
        options.initial_head("main");
        let repo = Repository::init_opts(dir.path(), &options).expect("git init");
        TestRepo { dir, repo }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Commits `files` (path, content) on top of everything committed before, on HEAD's branch.
    pub fn commit(&self, files: &[(&str, &str)]) -> Oid {
        let entries: Vec<_> = files
            .iter()
            .map(|(p, c)| (*p, FILE, c.as_bytes()))
            .collect();
        self.commit_entries(&entries)
    }

    /// Commits `files` (path, bytes) and writes them to the working tree too, for a program that
    /// reads files rather than commits (Hugo).
    pub fn commit_and_write(&self, files: &[(String, Vec<u8>)]) -> Oid {
        for (path, content) in files {
            let file = self.path().join(path);
            std::fs::create_dir_all(file.parent().unwrap()).expect("create a folder");
            std::fs::write(&file, content).expect("write a file");
        }
        self.commit_bytes(files)
    }

    /// Commits `files` (path, bytes) as regular files.
    pub fn commit_bytes(&self, files: &[(String, Vec<u8>)]) -> Oid {
        let entries: Vec<(&str, u32, &[u8])> = files
            .iter()
            .map(|(p, c)| (p.as_str(), FILE, c.as_slice()))
            .collect();
        self.commit_entries(&entries)
    }

    /// Commits raw entries: (path, mode, content); for a submodule the content is ignored.
    pub fn commit_entries(&self, entries: &[(&str, u32, &[u8])]) -> Oid {
        let mut index = self.repo.index().expect("index");
        for (path, mode, content) in entries {
            let id = if *mode == SUBMODULE {
                Oid::from_str("0123456789abcdef0123456789abcdef01234567").unwrap()
            } else {
                self.repo.blob(content).expect("blob")
            };
            index.add(&entry(path, *mode, id)).expect("index add");
        }
        index.write().expect("index write");
        self.commit_index(&mut index)
    }

    /// Removes `paths` in a new commit.
    pub fn remove(&self, paths: &[&str]) -> Oid {
        let mut index = self.repo.index().expect("index");
        for path in paths {
            index.remove_path(Path::new(path)).expect("index remove");
        }
        index.write().expect("index write");
        self.commit_index(&mut index)
    }

    /// Writes `files` (path, content) and removes `removed` in one commit by `author`
    /// (name, email) at `time` (seconds since the epoch, UTC) with `message`: a move is the old
    /// path removed and the new one written.
    pub fn commit_by(
        &self,
        author: (&str, &str),
        time: i64,
        message: &str,
        files: &[(&str, &str)],
        removed: &[&str],
    ) -> Oid {
        let mut index = self.repo.index().expect("index");
        for path in removed {
            index.remove_path(Path::new(path)).expect("index remove");
        }
        for (path, content) in files {
            let id = self.repo.blob(content.as_bytes()).expect("blob");
            index.add(&entry(path, FILE, id)).expect("index add");
        }
        index.write().expect("index write");
        let sig = Signature::new(author.0, author.1, &git2::Time::new(time, 0)).unwrap();
        self.commit_index_as(&mut index, &sig, message)
    }

    fn commit_index(&self, index: &mut git2::Index) -> Oid {
        let sig = Signature::new(
            "Test",
            "test@example.com",
            &git2::Time::new(1_700_000_000, 60),
        )
        .unwrap();
        self.commit_index_as(index, &sig, "test commit")
    }

    fn commit_index_as(&self, index: &mut git2::Index, sig: &Signature<'_>, message: &str) -> Oid {
        let tree = self
            .repo
            .find_tree(index.write_tree().expect("write tree"))
            .expect("tree");
        let parent = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<_> = parent.iter().collect();
        self.repo
            .commit(Some("HEAD"), sig, sig, message, &tree, &parents)
            .expect("commit")
    }

    /// Tags HEAD's commit `name`: an annotated tag (with a message) or a light one.
    pub fn tag(&self, name: &str, annotated: bool) {
        let head = self
            .repo
            .head()
            .unwrap()
            .peel(git2::ObjectType::Commit)
            .unwrap();
        if annotated {
            let sig = Signature::new(
                "Test",
                "test@example.com",
                &git2::Time::new(1_700_000_000, 60),
            )
            .unwrap();
            self.repo
                .tag(name, &head, &sig, "a release", false)
                .unwrap();
        } else {
            self.repo.tag_lightweight(name, &head, false).unwrap();
        }
    }

    /// Moves `from` to `to` in a new commit (the same blob: a rename git detects exactly).
    pub fn rename(&self, from: &str, to: &str) -> Oid {
        let mut index = self.repo.index().expect("index");
        let mut entry = index
            .get_path(Path::new(from), 0)
            .expect("a file to rename");
        index.remove_path(Path::new(from)).expect("index remove");
        entry.path = to.as_bytes().to_vec();
        index.add(&entry).expect("index add");
        index.write().expect("index write");
        self.commit_index(&mut index)
    }

    /// Points a new branch `name` at HEAD's commit.
    pub fn branch(&self, name: &str) {
        let head = self.repo.head().unwrap().peel_to_commit().unwrap();
        self.repo.branch(name, &head, true).unwrap();
    }

    /// Makes `name` the branch HEAD points at (later commits go there).
    pub fn checkout_branch(&self, name: &str) {
        self.repo.set_head(&format!("refs/heads/{name}")).unwrap();
    }

    /// A config that serves this repository's `root` folder, without polling or webhooks.
    pub fn config(&self, root: &str) -> quire::Config {
        config(self.path().to_str().expect("UTF-8 temp path"), root)
    }

    /// Moves HEAD's branch (and the index) back to `commit`, as `git reset --hard` would; the
    /// next push must be forced.
    pub fn reset_to(&self, commit: Oid) {
        let commit = self.repo.find_commit(commit).expect("commit");
        let head = self.repo.head().expect("HEAD");
        let name = head.name().expect("branch name").to_owned();
        self.repo
            .reference(&name, commit.id(), true, "reset")
            .expect("move branch");
        let mut index = self.repo.index().expect("index");
        index.read_tree(&commit.tree().unwrap()).expect("read tree");
        index.write().expect("index write");
    }

    /// The commit HEAD points at.
    pub fn head(&self) -> Oid {
        self.repo.head().unwrap().target().unwrap()
    }

    /// Pushes HEAD's branch to `origin`, forced (a push that rewrites history is a force-push).
    pub fn push(&self, origin: &Origin) {
        let head = self.repo.head().expect("HEAD");
        self.push_ref(origin, head.name().expect("branch name"));
    }

    /// Pushes the ref `name` (`refs/heads/x`, `refs/tags/v1`) to `origin`, forced.
    pub fn push_ref(&self, origin: &Origin, name: &str) {
        let mut remote = self.repo.remote_anonymous(&origin.url()).expect("remote");
        remote
            .push(&[format!("+{name}:{name}")], None)
            .expect("push");
    }
}

/// An index entry for `path` with `mode` and blob `id`, with no file-system details.
fn entry(path: &str, mode: u32, id: Oid) -> IndexEntry {
    IndexEntry {
        ctime: IndexTime::new(0, 0),
        mtime: IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: 0,
        id,
        flags: 0,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

/// A bare repository standing in for GitHub: Quire clones and fetches it by `file://` URL.
pub struct Origin {
    dir: tempfile::TempDir,
}

impl Origin {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut options = git2::RepositoryInitOptions::new();
        options.bare(true).initial_head("main");
        Repository::init_opts(dir.path(), &options).expect("git init --bare");
        Origin { dir }
    }

    pub fn url(&self) -> String {
        format!("file://{}", self.dir.path().display())
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Deletes a branch, as `git push origin :name` would.
    pub fn delete_branch(&self, name: &str) {
        let repo = Repository::open_bare(self.path()).expect("open origin");
        repo.find_reference(&format!("refs/heads/{name}"))
            .expect("branch")
            .delete()
            .expect("delete branch");
    }
}

/// A config for `repo` (a path or URL): no polling, no webhooks, no peers.
pub fn config(repo: &str, root: &str) -> quire::Config {
    quire::Config {
        repo: Some(repo.to_owned()),
        branch: None,
        root: Some(root.to_owned()),
        site: None,
        permalinks: Vec::new(),
        ugly_urls: None,
        drafts: false,
        max_post_mb: 8,
        listen: "127.0.0.1:0".parse().unwrap(),
        cache_mb: 8,
        data_dir: None,
        webhook_secret: None,
        poll_interval: Some(0),
        peers: Vec::new(),
        static_dir: None,
        public_url: None,
        highlight: quire::RenderOptions::default().highlight,
        highlight_theme: quire::RenderOptions::default().highlight_theme,
        raw_html: quire::RenderOptions::default().raw_html,
        words_per_minute: quire::RenderOptions::default().words_per_minute,
        listing: quire::ListingConfig::default(),
        refs: quire::RefsConfig::default(),
        notify: quire::NotifyConfig::default(),
        api: quire::ApiConfig::default(),
    }
}

impl TestRepo {
    /// A new repository with the repository's own sample posts committed under `content-repo/`.
    pub fn sample() -> TestRepo {
        let repo = TestRepo::new();
        repo.commit_bytes(&TestRepo::files_of(&sample_posts_dir(), "content-repo"));
        repo
    }

    /// Every file of `dir` on disk, as (path under `root`, bytes), for committing.
    pub fn files_of(dir: &Path, root: &str) -> Vec<(String, Vec<u8>)> {
        fn walk(dir: &Path, base: &Path, root: &str, out: &mut Vec<(String, Vec<u8>)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, base, root, out);
                } else {
                    let rel = path
                        .strip_prefix(base)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    // Bytes: some sample posts carry a BOM and CRLF on purpose, and a page
                    // bundle has an image.
                    out.push((format!("{root}/{rel}"), std::fs::read(&path).unwrap()));
                }
            }
        }
        let mut out = Vec::new();
        walk(dir, dir, root, &mut out);
        out.sort();
        out
    }
}

/// The repository's own sample posts.
pub fn sample_posts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content-repo")
}

/// A Quire server on a loopback port, stopped when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    pub app: Arc<quire::App>,
    client: reqwest::Client,
    task: tokio::task::JoinHandle<()>,
    /// The folder of the repository served, when the server owns it: posts are read from it
    /// again to render.
    repo: Option<tempfile::TempDir>,
}

impl TestServer {
    /// Serves the repository's own `content-repo/` sample posts, committed to a new repository.
    pub async fn sample() -> Self {
        TestServer::serving(TestRepo::sample(), "content-repo").await
    }

    /// Serves the folder `root` of `repo`, keeping the repository for as long as the server.
    pub async fn serving(repo: TestRepo, root: &str) -> Self {
        let config = repo.config(root);
        TestServer::serving_with(repo, config).await
    }

    /// Serves `repo` with `config` (made from `repo.config(..)` and changed), keeping `repo`.
    pub async fn serving_with(repo: TestRepo, config: quire::Config) -> Self {
        let mut server = TestServer::start(config).await;
        server.repo = Some(repo.dir);
        server
    }

    /// Keeps `repo` for as long as the server (posts are read from it again to render).
    pub fn keep(&mut self, repo: TestRepo) {
        self.repo = Some(repo.dir);
    }

    /// Loads `config` and serves it on an ephemeral port.
    pub async fn start(config: quire::Config) -> Self {
        let app = quire::App::load(&config).await.expect("load");
        TestServer::serve_app(app).await
    }

    /// Serves `config` after a first refresh that may fail: the server then answers "not ready"
    /// and `/readyz` reports the failure.
    pub async fn start_unloaded(config: quire::Config) -> Self {
        let app = quire::App::new(&config).expect("app");
        let _ = app.refresher().refresh(quire::Trigger::Start).await;
        TestServer::serve_app(app).await
    }

    async fn serve_app(app: quire::App) -> Self {
        let app = Arc::new(app);
        let listener = quire::bind("127.0.0.1:0".parse().unwrap())
            .await
            .expect("bind");
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn({
            let app = Arc::clone(&app);
            async move {
                quire::serve(app, listener).await.expect("serve");
            }
        });
        TestServer {
            addr,
            app,
            client: reqwest::Client::new(),
            task,
            repo: None,
        }
    }

    /// Stops serving and waits until the app is released, as if the process had ended: its
    /// clone can then be taken by another server on the same data directory.
    pub async fn stop(self) {
        let app = Arc::downgrade(&self.app);
        drop(self);
        // The aborted task and its connections let go of the app as they are dropped, on other
        // threads; nothing announces the last one.
        eventually("the app to be released after stopping", SECS_10, || {
            let released = app.strong_count() == 0;
            async move { released.then_some(()) }
        })
        .await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// POSTs a query and returns the whole JSON answer (`data` and `errors`).
    pub async fn post(&self, query: &str, variables: Value) -> Value {
        let response = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request");
        assert!(
            response.status().is_success(),
            "status {}",
            response.status()
        );
        response.json().await.expect("json")
    }

    /// POSTs a query with `Authorization: Bearer <token>` (none without one) and returns the
    /// whole JSON answer.
    pub async fn post_as(&self, query: &str, token: Option<&str>) -> Value {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json")
    }

    /// POSTs a query that must succeed and returns its `data`.
    pub async fn data(&self, query: &str) -> Value {
        let answer = self.post(query, json!({})).await;
        assert!(answer.get("errors").is_none(), "errors: {answer}");
        answer["data"].clone()
    }

    /// POSTs a query that must fail and returns its first error message and `extensions.code`.
    pub async fn error(&self, query: &str) -> (String, Value) {
        let answer = self.post(query, json!({})).await;
        let error = &answer["errors"][0];
        assert!(error.is_object(), "expected an error: {answer}");
        (
            error["message"].as_str().unwrap().to_owned(),
            error["extensions"]["code"].clone(),
        )
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Sends `GET target` byte for byte, as an attacker would: a client library resolves `..`
    /// and `%2e%2e` before sending. Returns the status and the whole answer, headers included.
    pub async fn raw_get(&self, target: &str) -> (u16, String) {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let mut stream = tokio::net::TcpStream::connect(self.addr)
            .await
            .expect("connect");
        let request = format!("GET {target} HTTP/1.1\r\nHost: quire\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.expect("send");
        let mut answer = Vec::new();
        tokio::time::timeout(SECS_10, stream.read_to_end(&mut answer))
            .await
            .expect("an answer within 10 s")
            .expect("read");
        let text = String::from_utf8_lossy(&answer).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {text:?}"));
        (status, text)
    }

    /// `GET /readyz` as JSON.
    /// The body of `GET path`, as text.
    pub async fn text(&self, path: &str) -> String {
        let response = self.client.get(self.url(path)).send().await.expect(path);
        response.text().await.expect("a text body")
    }

    pub async fn readyz(&self) -> Value {
        let response = self
            .client
            .get(self.url("/readyz"))
            .send()
            .await
            .expect("readyz");
        response.json().await.expect("readyz json")
    }

    /// The commit served now.
    pub async fn commit(&self) -> String {
        let data = self.data("{ revision { commit } }").await;
        data["revision"]["commit"].as_str().unwrap().to_owned()
    }

    /// Waits (up to 20 s) until `commit` is served, as a client would see it: a refresh in the
    /// background announces nothing to a client but the commit it answers with.
    /// Refreshes now (as a poll would) and waits until `commit` is served.
    pub async fn refresh_to(&self, commit: Oid) {
        self.app
            .refresher()
            .refresh(quire::Trigger::Poll)
            .await
            .expect("refresh");
        self.wait_for_commit(commit).await;
    }

    pub async fn wait_for_commit(&self, commit: Oid) {
        let wanted = commit.to_string();
        let served = eventually_or_none(SECS_20, || {
            let wanted = wanted.as_str();
            async move { (self.commit().await == wanted).then_some(()) }
        })
        .await;
        if served.is_none() {
            panic!(
                "commit {wanted} was not served within 20 s; /readyz: {}",
                self.readyz().await
            );
        }
    }

    /// Sends `body` to `/webhook` with `headers`; returns the status and the JSON answer.
    pub async fn webhook(&self, headers: &[(&str, String)], body: &[u8]) -> (u16, Value) {
        let mut request = self
            .client
            .post(self.url("/webhook"))
            .header("content-type", "application/json")
            .body(body.to_vec());
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = request.send().await.expect("webhook");
        let status = response.status().as_u16();
        let text = response.text().await.expect("webhook body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// A GitHub push webhook for `git_ref`, signed with `secret`, with delivery id `delivery`.
    pub async fn github_push(&self, secret: &str, git_ref: &str, delivery: &str) -> (u16, Value) {
        // Without `after`, Quire must fetch to learn where the branch is.
        let body = push_payload(git_ref, "");
        let headers = github_headers(secret, "push", &body, Some(delivery));
        self.webhook(&headers, &body).await
    }
}

/// A push event as GitHub sends it, trimmed (Quire reads `ref` and `after`; `head_commit` may
/// be null).
pub fn push_payload(git_ref: &str, after: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "ref": git_ref,
        "before": "0000000000000000000000000000000000000000",
        "after": after,
        "head_commit": null,
        "repository": { "pushed_at": 1_700_000_000, "full_name": "owner/blog" },
    }))
    .unwrap()
}

/// The headers GitHub sends with an `event` delivery of `body`, signed with `secret`.
pub fn github_headers(
    secret: &str,
    event: &str,
    body: &[u8],
    delivery: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut headers = vec![
        ("x-github-event", event.to_owned()),
        (
            "x-hub-signature-256",
            format!("sha256={}", sign(secret, body)),
        ),
    ];
    headers.extend(delivery.map(|id| ("x-github-delivery", id.to_owned())));
    headers
}

/// HMAC-SHA256 of `body` under `secret`, as hex.
pub fn sign(secret: &str, body: &[u8]) -> String {
    use hmac::Mac as _;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A repository with `files` (path, content) in one commit.
pub fn repo_with(files: &[(&str, &str)]) -> TestRepo {
    let repo = TestRepo::new();
    repo.commit(files);
    repo
}

/// Serves `files` with the posts under `content/` (`--root content`); a Hugo configuration at
/// the repository root is read too.
pub async fn serve_content(files: &[(&str, &str)]) -> TestServer {
    TestServer::serving(repo_with(files), "content").await
}

/// A post with YAML front matter built from `fields` lines.
pub fn post(fields: &str, body: &str) -> String {
    format!("---\n{fields}\n---\n{body}")
}

pub(crate) const SECS_10: std::time::Duration = std::time::Duration::from_secs(10);
pub(crate) const SECS_20: std::time::Duration = std::time::Duration::from_secs(20);
