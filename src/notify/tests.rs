use std::sync::atomic::AtomicUsize;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use super::*;
use crate::index::{ChangedPost, Renamed, Revision};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const HOUR: Duration = Duration::from_secs(3600);

fn config(receivers: Vec<Url>, waits: Vec<Duration>) -> NotifyConfig {
    NotifyConfig {
        receivers,
        secret: Some(NotifySecret::parse(SECRET).unwrap()),
        retry: RetrySchedule::new(waits, Duration::from_secs(10)),
    }
}

fn post(slug: &str) -> ChangedPost {
    ChangedPost {
        slug: slug.to_owned(),
        url: Some(format!("/posts/{slug}/")),
        path: format!("content/posts/{slug}.md"),
    }
}

/// An update from `previous` (none for the first load) to `commit`.
fn update(previous: Option<&str>, commit: &str) -> Update {
    Update {
        previous: previous.map(str::to_owned),
        revision: Revision {
            commit: commit.to_owned(),
            branch: Some("main".to_owned()),
            committed_at: chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").unwrap(),
            loaded_at: chrono::Utc::now(),
            root: "content".to_owned(),
            post_count: 3,
            problem_count: 0,
            drafts_left_out: 0,
            site_config: Vec::new(),
            permalinks: Vec::new(),
        },
        changes: PostChanges {
            added: vec![post("new")],
            changed: vec![ChangedPost {
                url: None,
                ..post("hidden")
            }],
            removed: vec![post("old")],
            renamed: vec![Renamed {
                from: post("before"),
                to: post("after"),
            }],
        },
    }
}

/// The messages queued for the first receiver, before any delivery task takes them.
fn queued(notifier: &Notifier) -> Vec<Arc<Message>> {
    let mut waiting = notifier.queues[0].waiting.lock().unwrap();
    let queue = waiting.as_mut().expect("not started");
    std::iter::from_fn(|| queue.try_recv().ok()).collect()
}

#[test]
fn the_body_names_both_commits_and_every_post_that_changed() {
    let url = Url::parse("http://127.0.0.1:9/hook").unwrap();
    let notifier = Notifier::new(&config(vec![url], Vec::new()));
    notifier.enqueue(&update(Some("a".repeat(40).as_str()), &"b".repeat(40)));
    let messages = queued(&notifier);
    assert_eq!(messages.len(), 1);
    let body: Value = serde_json::from_slice(&messages[0].body).unwrap();
    let post = |slug: &str| json!({"slug": slug, "url": format!("/posts/{slug}/"), "path": format!("content/posts/{slug}.md")});
    assert_eq!(
        body,
        json!({
            "type": "content.updated",
            "previous": "a".repeat(40),
            "commit": "b".repeat(40),
            "added": [post("new")],
            "changed": [{"slug": "hidden", "url": null, "path": "content/posts/hidden.md"}],
            "removed": [post("old")],
            "renamed": [{"from": post("before"), "to": post("after")}],
        })
    );
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "type", "previous", "commit", "added", "changed", "removed", "renamed"
        ]
    );
    assert_eq!(messages[0].commit, "b".repeat(40));
    assert_eq!(notifier.counters().pending.load(Ordering::Relaxed), 1);
}

#[test]
fn each_message_has_its_own_id_without_a_dot() {
    let url = Url::parse("http://127.0.0.1:9/hook").unwrap();
    let notifier = Notifier::new(&config(vec![url], Vec::new()));
    for _ in 0..3 {
        notifier.enqueue(&update(Some("a"), "0123456789abcdef0123"));
    }
    let ids: Vec<String> = queued(&notifier).iter().map(|m| m.id.clone()).collect();
    assert_eq!(ids.len(), 3);
    for id in &ids {
        assert!(id.starts_with("msg_0123456789ab_"), "{id}");
        assert!(!id.contains('.'), "{id}");
    }
    assert_ne!(ids[0], ids[1]);
    assert_ne!(ids[1], ids[2]);
}

#[test]
fn the_first_load_is_not_announced() {
    let url = Url::parse("http://127.0.0.1:9/hook").unwrap();
    let notifier = Notifier::new(&config(vec![url], Vec::new()));
    notifier.enqueue(&update(None, "b"));
    assert!(queued(&notifier).is_empty());
}

#[test]
fn without_a_secret_nothing_is_queued() {
    let url = Url::parse("http://127.0.0.1:9/hook").unwrap();
    let mut config = config(vec![url], Vec::new());
    config.secret = None;
    let notifier = Notifier::new(&config);
    notifier.enqueue(&update(Some("a"), "b"));
    assert!(notifier.queues.is_empty());
}

#[test]
fn a_full_queue_drops_the_new_message_and_counts_it_failed() {
    let url = Url::parse("http://127.0.0.1:9/hook").unwrap();
    let notifier = Notifier::new(&config(vec![url], Vec::new()));
    for _ in 0..=QUEUE {
        notifier.enqueue(&update(Some("a"), "b"));
    }
    let counters = notifier.counters();
    assert_eq!(counters.pending.load(Ordering::Relaxed), QUEUE as i64);
    assert_eq!(counters.failed.load(Ordering::Relaxed), 1);
}

#[test]
fn logs_name_a_receiver_without_its_credentials_or_query() {
    let url = Url::parse("https://user:pw@blog.example:8443/api/quire?token=x#f").unwrap();
    assert_eq!(shown(&url), "https://blog.example:8443/api/quire");
}

/// What a test receiver was sent.
#[derive(Debug)]
struct Request {
    id: String,
    timestamp: i64,
    body: Bytes,
}

/// A receiver on loopback that answers with `statuses` in turn (the last one from then on),
/// checks each signature with the reference implementation, and reports each request.
async fn receiver(statuses: Vec<u16>) -> (Url, mpsc::UnboundedReceiver<Request>) {
    let (sent, requests) = mpsc::unbounded_channel();
    let answered = Arc::new(AtomicUsize::new(0));
    let hook = move |headers: HeaderMap, body: Bytes| {
        let n = answered.fetch_add(1, Ordering::Relaxed);
        let status = statuses[n.min(statuses.len() - 1)];
        standardwebhooks::Webhook::new(SECRET)
            .unwrap()
            .verify(&body, &headers)
            .expect("a valid Standard Webhooks signature");
        let header = |name: &str| headers[name].to_str().unwrap().to_owned();
        let _ = sent.send(Request {
            id: header("webhook-id"),
            timestamp: header("webhook-timestamp").parse().unwrap(),
            body,
        });
        async move { StatusCode::from_u16(status).unwrap() }
    };
    let app = axum::Router::new().route("/hook", axum::routing::post(hook));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = Url::parse(&format!("http://{}/hook", listener.local_addr().unwrap())).unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, requests)
}

async fn next(requests: &mut mpsc::UnboundedReceiver<Request>) -> Request {
    tokio::time::timeout(Duration::from_secs(20), requests.recv())
        .await
        .expect("a request within 20 s")
        .expect("the receiver runs")
}

#[tokio::test]
async fn retries_with_the_same_id_until_the_receiver_accepts() {
    let (url, mut requests) = receiver(vec![500, 503, 200]).await;
    let notifier = Notifier::new(&config(vec![url], vec![Duration::from_millis(1); 7]));
    let deliveries = notifier.start();
    notifier.enqueue(&update(Some("a"), "b"));
    let tries = [
        next(&mut requests).await,
        next(&mut requests).await,
        next(&mut requests).await,
    ];
    assert!(
        tries
            .iter()
            .all(|t| t.id == tries[0].id && t.body == tries[0].body)
    );
    assert!(tries[0].timestamp <= tries[2].timestamp);
    deliveries.shutdown(SHUTDOWN_GRACE).await;
    let counters = notifier.counters();
    assert_eq!(counters.delivered.load(Ordering::Relaxed), 1);
    assert_eq!(counters.retried.load(Ordering::Relaxed), 2);
    assert_eq!(counters.failed.load(Ordering::Relaxed), 0);
    assert_eq!(counters.pending.load(Ordering::Relaxed), 0);
}

#[tokio::test]
async fn shutdown_tries_a_message_waiting_for_its_retry_once_more() {
    let (url, mut requests) = receiver(vec![503, 200]).await;
    let notifier = Notifier::new(&config(vec![url], vec![HOUR; 7]));
    let deliveries = notifier.start();
    notifier.enqueue(&update(Some("a"), "b"));
    let first = next(&mut requests).await;
    // The retry is an hour away; shutdown does not wait for it.
    deliveries.shutdown(SHUTDOWN_GRACE).await;
    let last = requests.try_recv().expect("one more attempt at shutdown");
    assert_eq!(first.id, last.id);
    let counters = notifier.counters();
    assert_eq!(counters.delivered.load(Ordering::Relaxed), 1);
    assert_eq!(counters.pending.load(Ordering::Relaxed), 0);
}

#[tokio::test]
async fn shutdown_gives_up_on_what_still_fails() {
    let (url, mut requests) = receiver(vec![500]).await;
    let notifier = Notifier::new(&config(vec![url], vec![HOUR; 7]));
    let deliveries = notifier.start();
    notifier.enqueue(&update(Some("a"), "b"));
    notifier.enqueue(&update(Some("b"), "c"));
    let first = next(&mut requests).await;
    deliveries.shutdown(SHUTDOWN_GRACE).await;
    let ids: Vec<String> = std::iter::from_fn(|| requests.try_recv().ok())
        .map(|r| r.id)
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_eq!(ids[0], first.id, "the first message once more");
    assert_ne!(ids[1], first.id, "then the second, once");
    let counters = notifier.counters();
    assert_eq!(counters.failed.load(Ordering::Relaxed), 2);
    assert_eq!(counters.delivered.load(Ordering::Relaxed), 0);
    assert_eq!(counters.pending.load(Ordering::Relaxed), 0);
}

#[tokio::test]
async fn a_receiver_that_answers_gone_is_sent_nothing_more() {
    let (url, mut requests) = receiver(vec![410]).await;
    let notifier = Notifier::new(&config(vec![url], vec![Duration::from_millis(1); 7]));
    let deliveries = notifier.start();
    notifier.enqueue(&update(Some("a"), "b"));
    next(&mut requests).await;
    notifier.enqueue(&update(Some("b"), "c"));
    deliveries.shutdown(SHUTDOWN_GRACE).await;
    assert!(requests.try_recv().is_err(), "nothing after 410 Gone");
    let counters = notifier.counters();
    assert_eq!(counters.failed.load(Ordering::Relaxed), 2);
    assert_eq!(counters.retried.load(Ordering::Relaxed), 0);
}

#[tokio::test]
async fn an_https_receiver_is_spoken_to_in_tls() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = Url::parse(&format!("https://{}/hook", listener.local_addr().unwrap())).unwrap();
    let first_byte = tokio::spawn(async move {
        use tokio::io::AsyncReadExt as _;
        // Without TLS, the client would refuse the URL without connecting.
        let accepted = tokio::time::timeout(Duration::from_secs(20), listener.accept()).await;
        let (mut stream, _) = accepted.expect("a connection").unwrap();
        stream.read_u8().await.unwrap()
    });
    let notifier = Notifier::new(&config(vec![url.clone()], Vec::new()));
    let receiver = Receiver {
        shown: shown(&url),
        url,
    };
    let message = Message {
        id: "msg_1".to_owned(),
        commit: "b".to_owned(),
        body: b"{}".to_vec(),
    };
    let sent = delivery::send(&receiver, &notifier.shared, &message);
    let (first_byte, _) = tokio::join!(first_byte, sent);
    // 0x16: a TLS handshake record, the ClientHello.
    assert_eq!(first_byte.unwrap(), 0x16);
}
