//! Connections: clients that send half a request, stay idle or open too many cannot hold the
//! server, its file descriptors or its shutdown.

mod common;

use std::io::{Read as _, Write as _};
use std::time::{Duration, Instant};

use common::{TestRepo, TestServer, post, serve_process};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit(&[("content-repo/hello.md", &post("title: Hello", "Hi."))]);
    repo
}

/// Serves a one-post repository with `api` changed by `set`.
async fn server(set: impl FnOnce(&mut quire::ApiConfig)) -> TestServer {
    let repo = repo();
    let mut config = repo.config("content-repo");
    set(&mut config.api);
    let mut server = TestServer::start(config).await;
    server.keep(repo);
    server
}

const HEALTHZ: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: quire\r\n\r\n";

/// Reads one answer to `GET /healthz` (its body is `ok\n`).
async fn read_healthz(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let mut buf = [0; 1024];
    while !answer.ends_with(b"\r\n\r\nok\n") {
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf))
            .await
            .expect("an answer within 10 s")
            .expect("read");
        assert!(n > 0, "closed before answering: {answer:?}");
        answer.extend_from_slice(&buf[..n]);
    }
    String::from_utf8(answer).unwrap()
}

/// Waits (up to `secs`) for the server to close `stream`; returns how long it took.
async fn closed_within(stream: &mut TcpStream, secs: u64) -> Duration {
    let started = Instant::now();
    let mut buf = [0; 64];
    let read = tokio::time::timeout(Duration::from_secs(secs), stream.read(&mut buf))
        .await
        .unwrap_or_else(|_| panic!("the connection is still open after {secs} s"));
    // A reset is a close too.
    if let Ok(n) = read {
        assert_eq!(n, 0, "unexpected bytes: {:?}", &buf[..n]);
    }
    started.elapsed()
}

#[tokio::test]
async fn a_connection_that_sends_half_its_headers_is_closed_after_the_header_read_timeout() {
    let server = server(|api| api.header_read_timeout = 1).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: quire\r\n")
        .await
        .unwrap();
    let took = closed_within(&mut stream, 10).await;
    assert!(took >= Duration::from_millis(800), "closed after {took:?}");
    // A client that sends its headers in time is answered.
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(HEALTHZ).await.unwrap();
    assert!(read_healthz(&mut stream).await.starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let server = server(|api| {
        api.idle_timeout = 1;
        api.header_read_timeout = 60;
    })
    .await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(HEALTHZ).await.unwrap();
    read_healthz(&mut stream).await;
    // Kept alive: a second request on the same connection is answered.
    stream.write_all(HEALTHZ).await.unwrap();
    read_healthz(&mut stream).await;
    let took = closed_within(&mut stream, 10).await;
    assert!(took >= Duration::from_millis(800), "closed after {took:?}");
}

#[test]
fn beyond_max_connections_a_connection_waits_until_one_closes_and_one_warning_says_so() {
    let repo = repo();
    let (mut quire, addr) = serve_process(&repo, &["--max-connections", "2"]);
    let healthz = |stream: &mut std::net::TcpStream| {
        stream.write_all(HEALTHZ).unwrap();
        let mut answer = Vec::new();
        let mut buf = [0; 1024];
        while !answer.ends_with(b"\r\n\r\nok\n") {
            let n = stream.read(&mut buf).expect("an answer");
            assert!(n > 0, "closed before answering");
            answer.extend_from_slice(&buf[..n]);
        }
    };
    let connect = || {
        let stream = std::net::TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
    };
    let (mut first, mut second) = (connect(), connect());
    healthz(&mut first);
    healthz(&mut second);
    let warning = quire.wait_for_log("--max-connections", 10);
    assert_eq!(warning["level"], "WARN", "{warning}");
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains("2 connections"),
        "{warning}"
    );
    // The third waits in the listen queue: no answer while the other two are open.
    let mut third = connect();
    third.write_all(HEALTHZ).unwrap();
    third
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut buf = [0; 64];
    let waiting = third.read(&mut buf);
    assert!(
        waiting.as_ref().is_err_and(|e| matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        )),
        "the third connection was served: {waiting:?}"
    );
    // One closes: the third is served.
    drop(first);
    third
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut answer = Vec::new();
    while !answer.ends_with(b"\r\n\r\nok\n") {
        let n = third.read(&mut buf).expect("the third is answered");
        assert!(n > 0, "closed before answering");
        answer.extend_from_slice(&buf[..n]);
    }
    healthz(&mut second);
    let rest = quire.kill();
    let again: Vec<_> = rest
        .iter()
        .filter(|e| {
            e["message"]
                .as_str()
                .is_some_and(|m| m.contains("--max-connections"))
        })
        .collect();
    assert!(again.is_empty(), "warned more than once: {again:?}");
}

#[test]
fn a_half_sent_request_does_not_hold_the_graceful_shutdown() {
    let repo = repo();
    let (mut quire, addr) = serve_process(&repo, &["--shutdown-timeout", "20"]);
    let mut half = std::net::TcpStream::connect(&addr).unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: qu")
        .unwrap();
    // A whole request on another connection, answered after the half one was sent.
    let mut whole = std::net::TcpStream::connect(&addr).unwrap();
    whole
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: quire\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    whole.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    let started = Instant::now();
    quire.terminate();
    assert!(quire.exit_within(10).success());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "shutdown took {:?}",
        started.elapsed()
    );
    half.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut rest = Vec::new();
    let closed = half.read_to_end(&mut rest);
    assert!(
        closed.is_err() || rest.is_empty(),
        "the half-sent request was answered: {rest:?}"
    );
}

#[test]
fn a_client_that_stops_reading_its_answer_is_closed_after_the_idle_timeout() {
    let repo = TestRepo::new();
    // About 1 MB of HTML, asked for 20 times in one query: far more than the socket buffers.
    let body = "All work and no play makes a post long. ".repeat(25_000);
    repo.commit(&[("content-repo/big.md", &post("title: Big", &body))]);
    let mut command = common::quire_command();
    command
        .args(["--repo", repo.path().to_str().unwrap()])
        .args(["--listen", "127.0.0.1:0", "--log-format", "json"])
        .args(["--idle-timeout", "1"])
        .env("RUST_LOG", "info,quire=debug");
    let (quire, addr) = common::Process::serve_json(command);
    let fields: String = (0..20)
        .map(|i| format!("p{i}: post(slug: \\\"big\\\") {{ html }} "))
        .collect();
    let request_body = format!("{{\"query\": \"{{ {fields} }}\"}}");
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "POST /graphql HTTP/1.1\r\nHost: quire\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{request_body}",
        request_body.len()
    )
    .unwrap();
    // Nothing is read: once the socket buffers are full, no byte moves. hyper has taken the
    // whole answer from its body by then, so the request counts as ended and the connection as
    // idle; an answer still streaming would be cut for the same reason ("stopped reading").
    let closed = quire.wait_for_log("connection closed", 30);
    let reason = closed["message"].as_str().unwrap_or_default();
    assert!(reason.contains("--idle-timeout"), "{closed}");
    // What was sent before the close is there to read, then the end: the answer was cut.
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut received = Vec::new();
    stream
        .read_to_end(&mut received)
        .expect("the end of the stream");
    assert!(
        received.len() < 20 * body.len(),
        "the whole answer arrived ({} bytes): the connection was not cut",
        received.len()
    );
}
