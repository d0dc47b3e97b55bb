//! The `quire` binary: exit codes and messages of `check`, fatal errors, `export-schema`, `serve`.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Output, Stdio};

use common::{
    Process, TestRepo, blocking, post, post_blocking, quiet_period, quire_command, repo_with,
    serve_process,
};

fn quire(args: &[&str]) -> Output {
    quire_command().args(args).output().expect("run quire")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_passes_on_good_content() {
    let repo = repo_with(&[
        ("content-repo/a.md", &post("title: A", "")),
        ("content-repo/b.md", &post("title: B", "")),
    ]);
    let out = quire(&["check", "--repo", repo.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(
            "2 posts, 0 problems, 0 links to no page (of 0 between pages), 0 drafts left out: content-repo/ at "
        ),
        "{stdout}"
    );
}

#[test]
fn check_fails_naming_the_broken_post() {
    let repo = repo_with(&[
        ("content-repo/good.md", &post("title: Good", "")),
        (
            "content-repo/posts/x.md",
            "---\ntitle: X\ndate: 2020-01-01\ncategories:\n  bad: map\n---\n",
        ),
        ("content-repo/posts/y.md", "---\ntitle: [unclosed\n---\n"),
    ]);
    let out = quire(&["check", "--repo", repo.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<_> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "content-repo/posts/x.md: front matter line 4: `categories` must be a list of strings"
    );
    assert!(
        lines[1].starts_with("content-repo/posts/y.md: front matter line 2: YAML front matter: "),
        "{stdout}"
    );
    assert!(lines[2].starts_with("2 posts, 2 problems"), "{stdout}");
}

#[test]
fn check_reports_a_post_above_max_post_mb_and_serves_the_others() {
    let big = post("title: Big", &"words ".repeat(400_000));
    let repo = repo_with(&[
        ("content-repo/big.md", &big),
        ("content-repo/small.md", &post("title: Small", "")),
    ]);
    let out = quire_command()
        .args(["check", "--repo", repo.path().to_str().unwrap()])
        .env("QUIRE_MAX_POST_MB", "2")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<_> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "content-repo/big.md: 2.3 MiB is more than --max-post-mb allows (2 MiB): the post is not read or served; raise --max-post-mb (QUIRE_MAX_POST_MB) to serve it"
    );
    assert!(lines[1].starts_with("1 posts, 1 problems"), "{stdout}");
    let raised = quire(&[
        "check",
        "--repo",
        repo.path().to_str().unwrap(),
        "--max-post-mb",
        "3",
    ]);
    assert_eq!(raised.status.code(), Some(0), "{}", text(&raised.stdout));
}

#[test]
fn flags_are_read_from_the_environment() {
    let repo = repo_with(&[("posts/a.md", &post("title: A", ""))]);
    let out = quire_command()
        .arg("check")
        .env("QUIRE_REPO", repo.path())
        .env("QUIRE_ROOT", "posts")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with(
        "1 posts, 0 problems, 0 links to no page (of 0 between pages), 0 drafts left out: posts/"
    ));
}

/// Fatal errors: one line on stderr saying what to do, exit status 2, no panic.
fn fails_with(args: &[&str], expected: &[&str]) {
    let out = quire(args);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    for part in expected {
        assert!(stderr.contains(part), "expected {part:?} in {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn explains_a_path_that_is_not_a_repository() {
    let dir = tempfile::tempdir().unwrap();
    fails_with(
        &["check", "--repo", dir.path().to_str().unwrap()],
        &["is not a git repository: pass --repo"],
    );
}

#[test]
fn explains_an_unknown_branch() {
    let repo = repo_with(&[("content-repo/a.md", "A")]);
    repo.branch("drafts");
    fails_with(
        &[
            "check",
            "--repo",
            repo.path().to_str().unwrap(),
            "--branch",
            "published",
        ],
        &[
            "branch `published` does not exist in",
            "one of: drafts, main",
        ],
    );
}

#[test]
fn explains_a_missing_root() {
    let repo = repo_with(&[("posts/a.md", "A")]);
    fails_with(
        &["check", "--repo", repo.path().to_str().unwrap()],
        &[
            "folder `content-repo` is not in commit",
            "top-level entries: posts/",
        ],
    );
}

#[test]
fn explains_a_repository_without_commits() {
    let repo = TestRepo::new();
    fails_with(
        &["check", "--repo", repo.path().to_str().unwrap()],
        &["has no commits yet: commit your posts"],
    );
}

#[test]
fn export_schema_prints_the_schema_file() {
    let out = quire(&["export-schema"]);
    assert_eq!(out.status.code(), Some(0));
    let file =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql")).unwrap();
    assert_eq!(
        text(&out.stdout),
        file,
        "run `cargo run -- export-schema > schema.graphql`"
    );
}

#[test]
fn serve_answers_until_stopped() {
    let repo = repo_with(&[("content-repo/hello.md", &post("title: Hello", "Hi."))]);
    let mut child = Process::new(
        quire_command()
            .args([
                "--repo",
                repo.path().to_str().unwrap(),
                "--listen",
                "127.0.0.1:0",
            ])
            .env("RUST_LOG", "info")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut stderr = BufReader::new(child.child.stderr.take().unwrap());
    let mut line = String::new();
    let url = loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "quire exited before serving"
        );
        if let Some(at) = line.find("GraphiQL at ") {
            break line[at + "GraphiQL at ".len()..].trim().to_owned();
        }
    };
    assert!(
        line.contains("serving 1 posts from content-repo/"),
        "{line}"
    );
    let answer = post_blocking(&url, "{ post(slug: \"hello\") { title html } }");
    assert_eq!(
        answer["data"]["post"],
        serde_json::json!({ "title": "Hello", "html": "<p>Hi.</p>\n" })
    );
    // SIGTERM: a graceful shutdown exits 0.
    child.terminate();
    assert!(child.child.wait().unwrap().success());
}

/// Sends the head of a POST to `/graphql` that announces a body of `length` bytes and asks to
/// be told when to send it (`Expect: 100-continue`), and waits for `100 Continue`: the server
/// has then read the head and the handler is reading the body, so the request is in flight.
fn start_request(addr: &str, length: usize) -> std::net::TcpStream {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {length}\r\nExpect: 100-continue\r\n\r\n"
    )
    .unwrap();
    stream.flush().unwrap();
    // Byte by byte, so that nothing after the interim answer is consumed.
    let mut head = Vec::new();
    let mut byte = [0];
    while !head.ends_with(b"\r\n\r\n") {
        stream
            .read_exact(&mut byte)
            .expect("an interim answer within 10 s");
        head.push(byte[0]);
    }
    assert!(
        head.starts_with(b"HTTP/1.1 100 Continue\r\n"),
        "{}",
        String::from_utf8_lossy(&head)
    );
    stream
}

#[test]
fn sigterm_lets_requests_in_flight_finish_then_exits_0() {
    use std::io::{Read as _, Write as _};
    let repo = repo_with(&[("content-repo/hello.md", &post("title: Hello", "Hi."))]);
    let (mut child, addr) = serve_process(&repo, &["--shutdown-timeout", "10"]);
    let body = r#"{"query": "{ post(slug: \"hello\") { title } }"}"#;
    let (head, tail) = body.split_at(body.len() / 2);
    let mut stream = start_request(&addr, body.len());
    stream.write_all(head.as_bytes()).unwrap();
    stream.flush().unwrap();
    child.terminate();
    child.wait_for_log("shutting down", 10);
    // Asserts that it does NOT exit while the request is in flight: give it the time to.
    blocking(quiet_period());
    assert!(
        child.child.try_wait().unwrap().is_none(),
        "exited with a request in flight"
    );
    stream.write_all(tail.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains(r#"{"data":{"post":{"title":"Hello"}}"#),
        "{answer}"
    );
    assert!(child.exit_within(10).success());
}

#[test]
fn sigterm_gives_up_on_a_stalled_request_after_the_shutdown_timeout() {
    use std::io::Write as _;
    let repo = repo_with(&[("content-repo/hello.md", &post("title: Hello", "Hi."))]);
    let (mut child, addr) = serve_process(&repo, &["--shutdown-timeout", "1"]);
    // A body promised and never sent.
    let mut stream = start_request(&addr, 100);
    stream.write_all(b"{").unwrap();
    stream.flush().unwrap();
    child.terminate();
    assert!(child.exit_within(10).success());
}
