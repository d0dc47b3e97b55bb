//! Outbound notifications (`--notify`): a receiver on loopback checks every delivery with the
//! Standard Webhooks reference implementation (the `standardwebhooks` crate, and the npm
//! package a Next.js route would use), sees retries keep their id, and sees one receiver's
//! messages in order; a receiver that always fails is counted in `/metrics`; a stopping
//! server tries once more what waits for a retry.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::common::{
    self, SECS_20, TestRepo, TestServer, eventually, frontend_ready, post, serve_process,
};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// One request a receiver got.
#[derive(Debug, Clone)]
struct Delivery {
    headers: HeaderMap,
    /// The body as sent, which the signature covers.
    body: Bytes,
}

impl Delivery {
    fn header(&self, name: &str) -> &str {
        self.headers[name].to_str().unwrap()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// A receiver on loopback: answers with `statuses` in turn (the last one from then on),
/// checks each signature with the reference implementation before answering, and reports
/// each request.
async fn receiver(statuses: &[u16]) -> (String, mpsc::UnboundedReceiver<Delivery>) {
    let statuses = statuses.to_vec();
    let (sent, deliveries) = mpsc::unbounded_channel();
    let answered = Arc::new(AtomicUsize::new(0));
    let hook = move |headers: HeaderMap, body: Bytes| {
        let status = statuses[answered
            .fetch_add(1, Ordering::SeqCst)
            .min(statuses.len() - 1)];
        let verified = standardwebhooks::Webhook::new(SECRET)
            .unwrap()
            .verify(&body, &headers);
        let _ = sent.send(Delivery { headers, body });
        async move {
            match verified {
                Ok(()) => StatusCode::from_u16(status).unwrap(),
                Err(_) => StatusCode::UNAUTHORIZED,
            }
        }
    };
    let app = axum::Router::new().route("/api/quire", axum::routing::post(hook));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/api/quire", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, deliveries)
}

/// The next request the receiver got, within 20 s.
async fn next(deliveries: &mut mpsc::UnboundedReceiver<Delivery>) -> Delivery {
    tokio::time::timeout(SECS_20, deliveries.recv())
        .await
        .expect("a delivery within 20 s")
        .expect("the receiver runs")
}

/// Checks `delivery` as a receiver must: a valid signature, made now.
fn assert_verified(delivery: &Delivery) {
    standardwebhooks::Webhook::new(SECRET)
        .unwrap()
        .verify(&delivery.body, &delivery.headers)
        .unwrap_or_else(|err| panic!("{err}: {delivery:?}"));
    assert_eq!(delivery.header("content-type"), "application/json");
}

/// Four posts in `content/posts`.
fn blog() -> TestRepo {
    common::repo_with(&[
        ("content/posts/keep.md", &post("title: Keep", "Kept.")),
        ("content/posts/edit.md", &post("title: Edit", "Before.")),
        ("content/posts/move.md", &post("title: Move", "Moving.")),
        ("content/posts/gone.md", &post("title: Gone", "Soon gone.")),
    ])
}

/// Serves `repo`'s `content` folder, notifying `url` with `waits` between attempts.
async fn serve(repo: &TestRepo, url: &str, waits: Vec<Duration>) -> TestServer {
    let mut config = repo.config("content");
    config.notify = quire::NotifyConfig {
        receivers: vec![url.parse().unwrap()],
        secret: Some(quire::NotifySecret::parse(SECRET).unwrap()),
        retry: quire::RetrySchedule::new(waits, Duration::from_secs(10)),
    };
    TestServer::start(config).await
}

/// `quire_notifications_total{outcome=…}` in `/metrics`, once it is `expected`.
async fn wait_for_outcome(server: &TestServer, outcome: &str, expected: u64) {
    let line = format!("quire_notifications_total{{outcome=\"{outcome}\"}} {expected}\n");
    eventually(&format!("/metrics to say {line}"), SECS_20, || async {
        server.text("/metrics").await.contains(&line).then_some(())
    })
    .await;
}

#[tokio::test]
async fn receivers_get_each_new_commit_signed_in_order_and_retried_under_one_id() {
    let (url, mut deliveries) = receiver(&[500, 200]).await;
    // Each wait at least a second, jitter included, so a retry's timestamp is later.
    let repo = blog();
    let server = serve(&repo, &url, vec![Duration::from_millis(1300); 7]).await;
    let start = repo.head();

    repo.commit(&[
        ("content/posts/edit.md", &post("title: Edit", "After.")),
        ("content/posts/new.md", &post("title: New", "Hello.")),
    ]);
    let first = repo.head();
    server.refresh_to(first).await;
    repo.remove(&["content/posts/gone.md", "content/posts/move.md"]);
    repo.commit(&[("content/posts/moved.md", &post("title: Move", "Moving."))]);
    let second = repo.head();
    // Queued while the first message waits for its retry: it must wait its turn.
    server.refresh_to(second).await;

    let refused = next(&mut deliveries).await;
    let retried = next(&mut deliveries).await;
    let then = next(&mut deliveries).await;
    for delivery in [&refused, &retried, &then] {
        assert_verified(delivery);
    }
    let post = |slug: &str| json!({ "slug": slug, "url": format!("/posts/{slug}/"), "path": format!("content/posts/{slug}.md") });
    assert_eq!(
        refused.json(),
        json!({
            "type": "content.updated",
            "previous": start.to_string(),
            "commit": first.to_string(),
            "added": [post("new")],
            "changed": [post("edit")],
            "removed": [],
            "renamed": [],
        })
    );
    assert_eq!(retried.body, refused.body, "a retry sends the same body");
    assert_eq!(retried.header("webhook-id"), refused.header("webhook-id"));
    let time = |d: &Delivery| d.header("webhook-timestamp").parse::<i64>().unwrap();
    assert!(
        time(&retried) > time(&refused),
        "each attempt has its own time"
    );
    assert_ne!(
        retried.header("webhook-signature"),
        refused.header("webhook-signature")
    );

    assert_ne!(then.header("webhook-id"), refused.header("webhook-id"));
    assert_eq!(
        then.json(),
        json!({
            "type": "content.updated",
            "previous": first.to_string(),
            "commit": second.to_string(),
            "added": [],
            "changed": [],
            "removed": [post("gone")],
            // The slug comes from the title, which the move kept.
            "renamed": [{
                "from": post("move"),
                "to": { "slug": "move", "url": "/posts/moved/", "path": "content/posts/moved.md" },
            }],
        })
    );
    wait_for_outcome(&server, "delivered", 2).await;
    wait_for_outcome(&server, "retried", 1).await;
    wait_for_outcome(&server, "failed", 0).await;
}

#[tokio::test]
async fn a_receiver_that_always_fails_is_given_up_after_eight_attempts() {
    let (url, mut deliveries) = receiver(&[500]).await;
    let repo = blog();
    let server = serve(&repo, &url, vec![Duration::from_millis(1); 7]).await;
    repo.commit(&[("content/posts/new.md", &post("title: New", "Hello."))]);
    server.refresh_to(repo.head()).await;

    let first = next(&mut deliveries).await;
    for _ in 2..=8 {
        let again = next(&mut deliveries).await;
        assert_verified(&again);
        assert_eq!(again.header("webhook-id"), first.header("webhook-id"));
    }
    wait_for_outcome(&server, "failed", 1).await;
    wait_for_outcome(&server, "retried", 7).await;
    wait_for_outcome(&server, "delivered", 0).await;
    // Every attempt reached the receiver before the message was given up.
    assert!(deliveries.try_recv().is_err(), "no ninth attempt");
    let metrics = server.text("/metrics").await;
    assert!(
        metrics.contains("quire_notifications_pending 0\n"),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stopping_server_tries_once_more_what_waits_for_a_retry() {
    let (url, mut deliveries) = receiver(&[503, 200]).await;
    let repo = blog();
    // The real binary, with the production schedule: the retry would come 4 to 6 s later.
    let (server, _) = serve_process(
        &repo,
        &[
            "--root",
            "content",
            "--poll-interval",
            "1",
            "--notify",
            &url,
            "--notify-secret",
            SECRET,
        ],
    );
    repo.commit(&[("content/posts/new.md", &post("title: New", "Hello."))]);
    let commit = repo.head().to_string();
    let refused = next(&mut deliveries).await;
    tokio::task::block_in_place(|| {
        server.wait_for_log("attempt 1 of 8 failed", 20);
        server.terminate();
        let event = server.wait_for_log("while stopping", 20);
        assert!(
            event["message"].as_str().unwrap().contains(&commit),
            "{event}"
        );
    });
    let last = next(&mut deliveries).await;
    assert_verified(&last);
    assert_eq!(last.header("webhook-id"), refused.header("webhook-id"));
    let mut server = server;
    assert!(tokio::task::block_in_place(|| server.exit_within(10)).success());
}

#[tokio::test]
async fn the_node_reference_library_verifies_a_captured_delivery() {
    if !frontend_ready(
        "the_node_reference_library_verifies_a_captured_delivery",
        false,
    ) {
        return;
    }
    let (url, mut deliveries) = receiver(&[200]).await;
    let repo = blog();
    let server = serve(&repo, &url, Vec::new()).await;
    repo.commit(&[
        ("content/posts/edit.md", &post("title: Edit", "After.")),
        ("content/posts/new.md", &post("title: New", "Hello.")),
    ]);
    repo.remove(&["content/posts/move.md"]);
    repo.commit(&[("content/posts/moved.md", &post("title: Move", "Moving."))]);
    server.refresh_to(repo.head()).await;
    let delivery = next(&mut deliveries).await;

    let headers: serde_json::Map<String, Value> = delivery
        .headers
        .iter()
        .map(|(name, value)| (name.to_string(), json!(value.to_str().unwrap())))
        .collect();
    let body = String::from_utf8(delivery.body.to_vec()).unwrap();
    let (ok, printed) = verify_in_node(&json!({ "headers": headers, "body": body }), SECRET).await;
    assert!(ok, "{printed}");
    let printed: Value = serde_json::from_str(printed.trim()).unwrap();
    assert_eq!(
        printed,
        json!({
            "type": "content.updated",
            "commit": repo.head().to_string(),
            "urls": ["/posts/new/", "/posts/edit/", "/posts/move/", "/posts/moved/"],
        })
    );

    let tampered = body.replace("/posts/new/", "/posts/nex/");
    let (ok, said) = verify_in_node(&json!({ "headers": headers, "body": tampered }), SECRET).await;
    assert!(!ok, "a changed body must not verify: {said}");
    let other = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    let (ok, said) = verify_in_node(&json!({ "headers": headers, "body": body }), other).await;
    assert!(!ok, "another secret must not verify: {said}");
}

/// Runs `clients/verify-webhook.mjs` on `delivery` (given on stdin) with `secret`: whether it
/// exited 0, and what it printed (stdout, else stderr).
async fn verify_in_node(delivery: &Value, secret: &str) -> (bool, String) {
    use std::io::Write as _;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("clients");
    let input = delivery.to_string();
    let secret = secret.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut child = std::process::Command::new("node")
            .arg("verify-webhook.mjs")
            .env("QUIRE_NOTIFY_SECRET", secret)
            .current_dir(dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run node (scripts/setup-tests.sh installs it)");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        let said = if output.status.success() {
            output.stdout
        } else {
            output.stderr
        };
        (
            output.status.success(),
            String::from_utf8_lossy(&said).into_owned(),
        )
    })
    .await
    .unwrap()
}
