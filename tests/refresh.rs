//! Live content: a bare repository stands in for the git host; Quire clones it by `file://` URL,
//! and pushes reach it through signed webhooks.

mod common;

use std::time::Duration;

use common::{
    Origin, TestRepo, TestServer, config, eventually, github_headers, post, push_payload,
    quiet_period, sign,
};
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

const SECRET: &str = "It's a Secret to Everybody";

/// An author's repository with two posts, pushed to a fresh origin.
fn published() -> (TestRepo, Origin) {
    let repo = TestRepo::new();
    repo.commit(&[
        (
            "content/posts/a.md",
            &post("title: A\ndate: 2024-01-01", "Alpha."),
        ),
        (
            "content/posts/b.md",
            &post("title: B\ndate: 2024-01-02", "Beta."),
        ),
    ]);
    let origin = Origin::new();
    repo.push(&origin);
    (repo, origin)
}

/// Serves `origin` from a clone in `data`, with webhooks on.
async fn serve_origin(origin: &Origin, data: &std::path::Path) -> TestServer {
    let mut config = config(&origin.url(), "content");
    config.data_dir = Some(data.to_owned());
    config.webhook_secret = Some(SECRET.to_owned());
    TestServer::start(config).await
}

fn slugs(data: &Value) -> Vec<String> {
    data["posts"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["slug"].as_str().unwrap().to_owned())
        .collect()
}

async fn served_slugs(server: &TestServer) -> Vec<String> {
    let mut slugs = slugs(
        &server
            .data("{ posts(first: 100) { edges { node { slug } } } }")
            .await,
    );
    slugs.sort();
    slugs
}

/// Pushes, sends the webhook, waits for the commit, and returns `/readyz`'s last refresh.
async fn push_and_notify(
    repo: &TestRepo,
    origin: &Origin,
    server: &TestServer,
    delivery: &str,
) -> Value {
    repo.push(origin);
    let commit = repo.head();
    let (status, answer) = server
        .github_push(SECRET, "refs/heads/main", delivery)
        .await;
    assert_eq!(status, 202, "{answer}");
    assert_eq!(answer["delivery"], delivery);
    server.wait_for_commit(commit).await;
    server.readyz().await["lastRefresh"].clone()
}

#[tokio::test]
async fn serves_each_push_parsing_only_the_changed_files() {
    let (repo, origin) = published();
    let data = tempfile::tempdir().unwrap();
    let server = serve_origin(&origin, data.path()).await;
    assert_eq!(served_slugs(&server).await, ["a", "b"]);
    let ready = server.readyz().await;
    assert_eq!(ready["ready"], true);
    assert_eq!(ready["counters"]["filesParsed"], 2);
    let first = repo.head(); // where the force-push goes back to

    // A new post.
    repo.commit(&[(
        "content/posts/c.md",
        &post("title: C\ndate: 2024-01-03", "Gamma."),
    )]);
    let last = push_and_notify(&repo, &origin, &server, "d1").await;
    assert_eq!(served_slugs(&server).await, ["a", "b", "c"]);
    assert_eq!(
        (
            &last["filesParsed"],
            &last["filesReused"],
            &last["filesRemoved"]
        ),
        (&json!(1), &json!(2), &json!(0)),
        "{last}"
    );
    assert_eq!(last["postsAdded"], 1);
    assert_eq!(last["trigger"], "GitHub webhook d1");

    // An edit.
    repo.commit(&[(
        "content/posts/a.md",
        &post("title: A\ndate: 2024-01-01\ndescription: edited", "Alpha!"),
    )]);
    let last = push_and_notify(&repo, &origin, &server, "d2").await;
    let data = server
        .data("{ post(slug: \"a\") { description html } }")
        .await;
    assert_eq!(data["post"]["description"], "edited");
    assert_eq!(data["post"]["html"], "<p>Alpha!</p>\n");
    assert_eq!(
        (&last["filesParsed"], &last["postsChanged"]),
        (&json!(1), &json!(1))
    );

    // A delete.
    repo.remove(&["content/posts/b.md"]);
    let last = push_and_notify(&repo, &origin, &server, "d3").await;
    assert_eq!(served_slugs(&server).await, ["a", "c"]);
    assert!(server.data("{ post(slug: \"b\") { title } }").await["post"].is_null());
    assert_eq!(
        (&last["filesParsed"], &last["filesRemoved"]),
        (&json!(0), &json!(1))
    );

    // A rename that moves a post to another section: same slug, new path, a rename.
    repo.remove(&["content/posts/c.md"]);
    repo.commit(&[(
        "content/notes/c.md",
        &post("title: C\ndate: 2024-01-03", "Gamma."),
    )]);
    let last = push_and_notify(&repo, &origin, &server, "d4").await;
    let data = server.data("{ post(slug: \"c\") { path } }").await;
    assert_eq!(data["post"]["path"], "content/notes/c.md");
    assert_eq!(
        (
            &last["filesParsed"],
            &last["filesRemoved"],
            &last["postsRenamed"]
        ),
        (&json!(1), &json!(1), &json!(1)),
        "{last}"
    );

    // A force-push back to older history.
    repo.reset_to(first);
    let last = push_and_notify(&repo, &origin, &server, "d5").await;
    assert_eq!(served_slugs(&server).await, ["a", "b"]);
    let data = server.data("{ post(slug: \"a\") { description } }").await;
    assert!(data["post"]["description"].is_null(), "{data}");
    // a.md and b.md come back as they were (parsed again: the snapshot before had neither
    // blob); notes/c.md is gone.
    assert_eq!(
        (&last["filesParsed"], &last["filesRemoved"]),
        (&json!(2), &json!(1)),
        "{last}"
    );
    assert_eq!(
        server.readyz().await["counters"]["filesParsed"],
        2 + 1 + 1 + 1 + 2
    );
}

#[tokio::test]
async fn reuses_the_clone_on_restart_and_serves_it_when_the_remote_is_gone() {
    let (repo, origin) = published();
    let data = tempfile::tempdir().unwrap();
    let first = serve_origin(&origin, data.path()).await;
    let commit = first.commit().await;
    first.stop().await;

    repo.commit(&[("content/posts/c.md", &post("title: C", "Gamma."))]);
    repo.push(&origin);
    let second = serve_origin(&origin, data.path()).await;
    assert_eq!(second.commit().await, repo.head().to_string());
    assert_ne!(second.commit().await, commit);
    second.stop().await;

    // The remote disappears: a restart serves the clone's last commit and says why in /readyz.
    let origin_path = origin.path().to_owned();
    drop(origin);
    assert!(!origin_path.exists());
    let mut config = config(&format!("file://{}", origin_path.display()), "content");
    config.data_dir = Some(data.path().to_owned());
    // Shows the remote's URL in /readyz, as an operator would see it in the logs.
    config.api.expose_details = true;
    let third = TestServer::start(config).await;
    assert_eq!(third.commit().await, repo.head().to_string());
    let ready = third.readyz().await;
    assert_eq!(ready["ready"], true);
    let error = ready["lastRefresh"]["error"].as_str().unwrap();
    assert!(error.contains("could not fetch file://"), "{error}");
}

#[tokio::test]
async fn keeps_serving_the_last_good_commit_when_a_refresh_fails() {
    let (repo, origin) = published();
    let data = tempfile::tempdir().unwrap();
    let mut config = config(&origin.url(), "content");
    config.data_dir = Some(data.path().to_owned());
    config.webhook_secret = Some(SECRET.to_owned());
    config.branch = Some("main".to_owned());
    config.api.expose_details = true;
    let server = TestServer::start(config).await;
    let served = server.commit().await;

    // The branch disappears from the remote.
    origin.delete_branch("main");
    let (status, _) = server.github_push(SECRET, "refs/heads/main", "gone").await;
    assert_eq!(status, 202);
    let last = wait_for_outcome(&server, "failed").await;
    let error = last["error"].as_str().unwrap();
    assert!(
        error.contains("branch `main` does not exist on file://"),
        "{error}"
    );
    assert_eq!(server.commit().await, served);
    assert_eq!(served_slugs(&server).await, ["a", "b"]);
    let ready = server.readyz().await;
    assert_eq!(
        (
            ready["ready"].clone(),
            ready["counters"]["failures"].clone()
        ),
        (json!(true), json!(1))
    );

    // The remote itself disappears.
    drop(repo);
    let origin_path = origin.path().to_owned();
    drop(origin);
    assert!(!origin_path.exists());
    server
        .github_push(SECRET, "refs/heads/main", "deleted")
        .await;
    let last = wait_for_failures(&server, 2).await;
    assert!(
        last["error"].as_str().unwrap().contains("could not fetch"),
        "{last}"
    );
    assert_eq!(server.commit().await, served);
}

/// Waits for a refresh after the first load that ended with `outcome` (`/readyz` is the only
/// place a failed refresh shows: subscribers hear only of new commits).
async fn wait_for_outcome(server: &TestServer, outcome: &str) -> Value {
    eventually(
        &format!("a refresh with outcome `{outcome}`"),
        Duration::from_secs(20),
        || async move {
            let last = server.readyz().await["lastRefresh"].clone();
            (last["outcome"] == outcome && last["trigger"] != "start").then_some(last)
        },
    )
    .await
}

/// Waits until `/readyz` counts `failures` failed refreshes and returns the last refresh.
async fn wait_for_failures(server: &TestServer, failures: u64) -> Value {
    eventually(
        &format!("failed refresh number {failures}"),
        Duration::from_secs(20),
        || async move {
            let ready = server.readyz().await;
            (ready["counters"]["failures"] == failures).then(|| ready["lastRefresh"].clone())
        },
    )
    .await
}

/// `/readyz`'s counter `name`.
async fn counter(server: &TestServer, name: &str) -> u64 {
    server.readyz().await["counters"][name].as_u64().unwrap()
}

#[tokio::test]
async fn a_burst_of_webhooks_fetches_at_most_twice() {
    let (repo, origin) = published();
    let data = tempfile::tempdir().unwrap();
    let server = std::sync::Arc::new(serve_origin(&origin, data.path()).await);
    // After the first load the refresher waits for a request: nothing is counted until then.
    let before = counter(&server, "fetches").await;

    repo.commit(&[("content/posts/c.md", &post("title: C", "Gamma."))]);
    repo.push(&origin);
    let mut burst = tokio::task::JoinSet::new();
    let body = push_payload("refs/heads/main", &repo.head().to_string());
    for i in 0..20 {
        let server = std::sync::Arc::clone(&server);
        let headers = github_headers(SECRET, "push", &body[..], Some(&format!("burst-{i}")));
        let body = body.clone();
        burst.spawn(async move { server.webhook(&headers, &body).await });
    }
    while let Some(answer) = burst.join_next().await {
        assert_eq!(answer.unwrap().0, 202);
    }
    server.wait_for_commit(repo.head()).await;
    // Asserts that no third fetch starts after the commit is served: give one the time to.
    quiet_period().await;
    let fetches = counter(&server, "fetches").await - before;
    assert!(
        (1..=2).contains(&fetches),
        "{fetches} fetches for 20 webhooks"
    );
}

#[tokio::test]
async fn queries_during_refreshes_read_one_commit() {
    let (repo, origin) = published();
    let data = tempfile::tempdir().unwrap();
    let server = std::sync::Arc::new(serve_origin(&origin, data.path()).await);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (server, stop) = (server.clone(), stop.clone());
        tokio::spawn(async move {
            let mut answers = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let answer = server
                    .post(
                        "{ revision { commit postCount } posts(first: 100) { edges { node { slug } } } }",
                        json!({}),
                    )
                    .await;
                let data = &answer["data"];
                assert_eq!(
                    data["revision"]["postCount"].as_u64().unwrap() as usize,
                    slugs(data).len(),
                    "{answer}"
                );
                assert_eq!(answer["extensions"]["revision"], data["revision"]["commit"]);
                answers += 1;
            }
            answers
        })
    };
    for i in 0..5 {
        let name = format!("content/posts/new-{i}.md");
        repo.commit(&[(&name, &post(&format!("title: New {i}"), "Body."))]);
        push_and_notify(&repo, &origin, &server, &format!("c{i}")).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let answers = reader.await.unwrap();
    assert!(answers > 0);
    assert_eq!(served_slugs(&server).await.len(), 7);
}

#[tokio::test]
async fn authenticates_webhooks_before_reading_them() {
    let (repo, origin) = published();
    let data = tempfile::tempdir().unwrap();
    let server = serve_origin(&origin, data.path()).await;
    let body = push_payload("refs/heads/main", "");
    let refreshes = || async { server.readyz().await["counters"]["refreshes"].clone() };
    let before = refreshes().await;
    repo.commit(&[("content/posts/c.md", &post("title: C", "Gamma."))]);
    repo.push(&origin);

    let good = format!("sha256={}", sign(SECRET, &body));
    let wrong = format!("sha256={}", sign("another secret", &body));
    let truncated = good[..good.len() - 4].to_owned();
    for (headers, status) in [
        (vec![("x-github-event", "push".to_owned())], 401),
        (vec![("x-hub-signature-256", wrong)], 401),
        (vec![("x-hub-signature-256", truncated)], 401),
        (
            vec![
                ("x-gitea-event", "push".to_owned()),
                ("x-gitea-signature", sign("x", &body)),
            ],
            401,
        ),
        (
            vec![
                ("x-gitlab-event", "Push Hook".to_owned()),
                ("x-gitlab-token", "nope".to_owned()),
            ],
            401,
        ),
    ] {
        let (got, answer) = server.webhook(&headers, &body).await;
        assert_eq!(got, status, "{headers:?}: {answer}");
        assert!(
            answer["error"]
                .as_str()
                .unwrap()
                .contains("--webhook-secret"),
            "{answer}"
        );
    }
    // Nothing was refreshed, and nothing was fetched. Asserts that NO refresh starts: give one
    // the time to.
    quiet_period().await;
    assert_eq!(refreshes().await, before);
    assert_ne!(server.commit().await, repo.head().to_string());

    // Each provider's correct signature is accepted.
    let gitea = [
        ("x-gitea-event", "push".to_owned()),
        ("x-gitea-delivery", "gitea-1".to_owned()),
        ("x-gitea-signature", sign(SECRET, &body)),
    ];
    let (status, answer) = server.webhook(&gitea, &body).await;
    assert_eq!(
        (status, &answer["delivery"]),
        (202, &json!("gitea-1")),
        "{answer}"
    );
    server.wait_for_commit(repo.head()).await;
    let forgejo = [
        ("x-forgejo-event", "push".to_owned()),
        ("x-forgejo-signature", sign(SECRET, &body)),
    ];
    assert_eq!(server.webhook(&forgejo, &body).await.0, 202);
    let gitlab = [
        ("x-gitlab-event", "Push Hook".to_owned()),
        ("x-gitlab-event-uuid", "gl-1".to_owned()),
        ("x-gitlab-token", SECRET.to_owned()),
    ];
    assert_eq!(server.webhook(&gitlab, &body).await.0, 202);
    let (status, answer) = server.github_push(SECRET, "refs/heads/main", "gh-1").await;
    assert_eq!(
        (status, &answer["refresh"]),
        (202, &json!("queued")),
        "{answer}"
    );
}

#[tokio::test]
async fn answers_pings_ignores_other_refs_and_redeliveries() {
    let (_repo, origin) = published();
    let data = tempfile::tempdir().unwrap();
    let server = serve_origin(&origin, data.path()).await;
    let ping = br#"{"zen":"Keep it logically awesome.","hook_id":1}"#;
    let headers = github_headers(SECRET, "ping", &ping[..], None);
    assert_eq!(
        server.webhook(&headers, ping).await,
        (200, json!({ "pong": true }))
    );

    let (status, answer) = server.github_push(SECRET, "refs/heads/drafts", "o1").await;
    assert_eq!(status, 202);
    assert_eq!(
        answer["ignored"],
        "push to branch `drafts`; Quire serves branch `main`"
    );
    let (status, answer) = server.github_push(SECRET, "refs/tags/v1.0", "o2").await;
    assert_eq!(status, 202);
    assert!(
        answer["ignored"].as_str().unwrap().contains("not a branch"),
        "{answer}"
    );

    // The pushes above were ignored (their answers say so): only the first load is counted.
    let before = counter(&server, "refreshes").await;
    assert_eq!(
        server
            .github_push(SECRET, "refs/heads/main", "same")
            .await
            .0,
        202
    );
    let once = before + 1;
    eventually(
        "the refresh of delivery `same`",
        Duration::from_secs(20),
        || async { (counter(&server, "refreshes").await == once).then_some(()) },
    )
    .await;
    let (status, answer) = server.github_push(SECRET, "refs/heads/main", "same").await;
    assert_eq!(status, 202);
    assert_eq!(answer["ignored"], "this delivery was received before");
    // Asserts that the redelivery starts NO refresh: give one the time to.
    quiet_period().await;
    assert_eq!(counter(&server, "refreshes").await, once);

    // An event that is not a push, and a form-encoded body.
    let issue = br#"{"action":"opened"}"#;
    let headers = github_headers(SECRET, "issues", &issue[..], None);
    let (status, answer) = server.webhook(&headers, issue).await;
    assert_eq!(status, 202);
    assert!(
        answer["ignored"].as_str().unwrap().contains("`issues`"),
        "{answer}"
    );
    let form = b"payload=%7B%22ref%22%3A%22refs%2Fheads%2Fmain%22%7D";
    let headers = github_headers(SECRET, "push", &form[..], None);
    let (status, answer) = server.webhook(&headers, form).await;
    assert_eq!(status, 400);
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("application/json"),
        "{answer}"
    );
}

#[tokio::test]
async fn refuses_oversized_bodies_and_is_off_without_a_secret() {
    let (_repo, origin) = published();
    let data = tempfile::tempdir().unwrap();
    let server = serve_origin(&origin, data.path()).await;
    let big = vec![b' '; 1024 * 1024 + 1];
    let headers = [(
        "x-hub-signature-256",
        format!("sha256={}", sign(SECRET, &big)),
    )];
    let (status, answer) = server.webhook(&headers, &big).await;
    assert_eq!(status, 413, "{answer}");

    let mut config = config(&origin.url(), "content");
    let other = tempfile::tempdir().unwrap();
    config.data_dir = Some(other.path().to_owned());
    let closed = TestServer::start(config).await;
    let (status, answer) = closed.github_push(SECRET, "refs/heads/main", "x").await;
    assert_eq!(status, 404);
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("QUIRE_WEBHOOK_SECRET"),
        "{answer}"
    );
}

#[tokio::test]
async fn refreshes_a_local_repository_in_place() {
    let repo = TestRepo::new();
    repo.commit(&[("content/a.md", &post("title: A", "Alpha."))]);
    let mut config = repo.config("content");
    config.webhook_secret = Some(SECRET.to_owned());
    let server = TestServer::start(config).await;
    let commit = repo.commit(&[("content/b.md", &post("title: B", "Beta."))]);
    assert_eq!(
        server.github_push(SECRET, "refs/heads/main", "l1").await.0,
        202
    );
    server.wait_for_commit(commit).await;
    let last = server.readyz().await["lastRefresh"].clone();
    assert_eq!(
        (&last["filesParsed"], &last["filesReused"]),
        (&json!(1), &json!(1)),
        "{last}"
    );
    assert_eq!(server.readyz().await["counters"]["fetches"], 0);
}

#[tokio::test]
async fn retries_a_push_announced_before_the_host_shows_it() {
    let (repo, origin) = published();
    let data = tempfile::tempdir().unwrap();
    let server = serve_origin(&origin, data.path()).await;
    let commit = repo.commit(&[("content/posts/c.md", &post("title: C", "Gamma."))]);
    let body = push_payload("refs/heads/main", &commit.to_string());
    let headers = github_headers(SECRET, "push", &body[..], None);
    assert_eq!(server.webhook(&headers, &body).await.0, 202);
    // The first try fetches and finds the branch where it was.
    wait_for_outcome(&server, "unchanged").await;
    // The host's webhook ran ahead of its git side; polling is off, so only a retry serves it.
    repo.push(&origin);
    server.wait_for_commit(commit).await;
}

#[tokio::test]
async fn polls_when_no_webhook_comes() {
    let (repo, origin) = published();
    let data = tempfile::tempdir().unwrap();
    let mut config = config(&origin.url(), "content");
    config.data_dir = Some(data.path().to_owned());
    config.poll_interval = Some(1);
    let server = TestServer::start(config).await;
    repo.commit(&[("content/posts/c.md", &post("title: C", "Gamma."))]);
    repo.push(&origin);
    server.wait_for_commit(repo.head()).await;
    assert_eq!(server.readyz().await["lastRefresh"]["trigger"], "poll");
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next text message of `socket`, as JSON.
async fn next(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(20), socket.next())
            .await
            .expect("a message within 20 s")
            .expect("socket open")
            .expect("message");
        if let Message::Text(text) = message {
            return serde_json::from_str(text.as_str()).unwrap();
        }
    }
}

#[tokio::test]
async fn subscribers_hear_about_each_push() {
    let (repo, origin) = published();
    let data = tempfile::tempdir().unwrap();
    let server = serve_origin(&origin, data.path()).await;

    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(format!(
            "ws://{}/graphql",
            server.addr
        ))
        .unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connect");
    let send = |value: Value| Message::text(value.to_string());
    socket
        .send(send(json!({ "type": "connection_init" })))
        .await
        .unwrap();
    assert_eq!(next(&mut socket).await["type"], "connection_ack");
    socket
        .send(send(json!({
            "id": "1",
            "type": "subscribe",
            "payload": { "query": "subscription { contentUpdated { revision { commit postCount } previous added { slug url path } changed { slug } removed { slug url path } renamed { from { path } to { path } } missedUpdates } }" },
        })))
        .await
        .unwrap();
    // The subscription listens once the server has polled it. A ping's pong is sent on the
    // connection's task, which then, in the same turn and with no message left to read, polls
    // the subscriptions: after the pong, the subscription listens.
    socket.send(send(json!({ "type": "ping" }))).await.unwrap();
    assert_eq!(next(&mut socket).await["type"], "pong");

    let before = repo.head();
    repo.commit(&[("content/posts/c.md", &post("title: C", "Gamma."))]);
    repo.remove(&["content/posts/b.md"]);
    push_and_notify(&repo, &origin, &server, "s1").await;
    let message = next(&mut socket).await;
    assert_eq!(message["type"], "next", "{message}");
    assert_eq!(
        message["payload"]["data"]["contentUpdated"],
        json!({
            "revision": { "commit": repo.head().to_string(), "postCount": 2 },
            "previous": before.to_string(),
            "added": [{ "slug": "c", "url": "/posts/c/", "path": "content/posts/c.md" }],
            "changed": [],
            "removed": [{ "slug": "b", "url": "/posts/b/", "path": "content/posts/b.md" }],
            "renamed": [],
            "missedUpdates": 0,
        })
    );
}

#[tokio::test]
async fn a_webhook_to_one_replica_refreshes_its_peers() {
    let (repo, origin) = published();
    let (data_a, data_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let data_c = tempfile::tempdir().unwrap();
    let b = serve_origin(&origin, data_b.path()).await;
    let c = serve_origin(&origin, data_c.path()).await;
    let mut config_a = config(&origin.url(), "content");
    config_a.data_dir = Some(data_a.path().to_owned());
    config_a.webhook_secret = Some(SECRET.to_owned());
    // One peer by URL, one by a DNS name (resolved when the webhook comes).
    config_a.peers = vec![
        quire::Peer::parse(&b.url("")).unwrap(),
        quire::Peer::parse(&format!("localhost:{}", c.addr.port())).unwrap(),
    ];
    let a = TestServer::start(config_a).await;

    repo.commit(&[("content/posts/c.md", &post("title: C", "Gamma."))]);
    push_and_notify(&repo, &origin, &a, "r1").await;
    b.wait_for_commit(repo.head()).await;
    c.wait_for_commit(repo.head()).await;
    let trigger = b.readyz().await["lastRefresh"]["trigger"].clone();
    assert!(
        trigger.as_str().unwrap().starts_with("notice from replica"),
        "{trigger}"
    );

    // A notice must be signed with the shared secret, and recent.
    let body = json!({ "from": "elsewhere", "branch": "main", "sent_at": 1 }).to_string();
    let notice = |signature: String, body: String| {
        a.client()
            .post(b.url("/webhook/peer"))
            .header("x-quire-signature", signature)
            .body(body)
            .send()
    };
    let wrong = notice(
        format!("sha256={}", sign("not the secret", body.as_bytes())),
        body.clone(),
    );
    assert_eq!(wrong.await.unwrap().status(), 401);
    // Signed with the webhook secret itself: a webhook body never passes for a notice.
    let raw = notice(
        format!("sha256={}", sign(SECRET, body.as_bytes())),
        body.clone(),
    );
    assert_eq!(raw.await.unwrap().status(), 401);
    let key = sign(SECRET, b"quire replica notice");
    let stale = notice(format!("sha256={}", sign(&key, body.as_bytes())), body);
    let stale = stale.await.unwrap();
    assert_eq!(stale.status(), 401);
    assert!(stale.text().await.unwrap().contains("five minutes"));
    // A recent notice is taken once; the same notice again is ignored.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let body = json!({ "from": "elsewhere", "branch": "main", "sent_at": now }).to_string();
    let signature = format!("sha256={}", sign(&key, body.as_bytes()));
    let first = notice(signature.clone(), body.clone()).await.unwrap();
    assert_eq!(first.status(), 202);
    let again = notice(signature, body).await.unwrap();
    assert_eq!(again.status(), 200);
    assert!(again.text().await.unwrap().contains("received before"));
}
