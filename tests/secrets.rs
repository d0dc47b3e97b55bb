//! What an anonymous client can learn or replay: `/readyz` and the landing page show no
//! credentials or server paths unless `--expose-details` is set, and a signed replica notice is
//! taken once, however its signature is written.

mod common;

use common::{Origin, TestRepo, TestServer, config, post, sign};
use serde_json::json;

const SECRET: &str = "replica secret";

#[tokio::test]
async fn readyz_shows_no_token_or_server_path_unless_expose_details_is_set() {
    let origin = Origin::new();
    let data = tempfile::tempdir().unwrap();
    let url = format!("{}?access_token=SECRET", origin.url());
    let origin_path = origin.path().to_str().unwrap().to_owned();
    let data_path = data.path().to_str().unwrap().to_owned();
    for expose in [false, true] {
        // The origin has no commits: the first fetch fails, and /readyz reports it.
        let mut remote = config(&url, "content");
        remote.data_dir = Some(data.path().to_owned());
        remote.api.expose_details = expose;
        let server = TestServer::start_unloaded(remote).await;
        let readyz = server.readyz().await;
        let landing = server.text("/").await;
        assert!(readyz["lastRefresh"]["error"].is_string(), "{readyz}");
        let text = readyz.to_string();
        for (what, shown) in [("/readyz", &text), ("the landing page", &landing)] {
            if expose {
                assert!(shown.contains("access_token=SECRET"), "{what}: {shown}");
            } else {
                for secret in ["SECRET", &origin_path, &data_path] {
                    assert!(!shown.contains(secret), "{what} shows {secret}: {shown}");
                }
            }
        }
        if expose {
            assert!(text.contains(&origin_path), "{text}");
        }
    }

    let repo = TestRepo::new();
    repo.commit(&[("content-repo/hello.md", &post("title: Hello", "Hi."))]);
    let repo_path = repo.path().to_str().unwrap().to_owned();
    let last = repo
        .path()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    for expose in [false, true] {
        let mut local = repo.config("content-repo");
        local.api.expose_details = expose;
        let server = TestServer::start(local).await;
        let repository = server.readyz().await["repository"].clone();
        let shown = repository.as_str().unwrap();
        assert_eq!(shown.contains(&repo_path), expose, "{shown}");
        assert!(shown.ends_with(&last), "{shown}");
    }
}

#[tokio::test]
async fn a_replica_notice_is_taken_once_whatever_the_case_of_its_signature() {
    let repo = TestRepo::new();
    repo.commit(&[("content-repo/hello.md", &post("title: Hello", "Hi."))]);
    let mut config = repo.config("content-repo");
    config.webhook_secret = Some(SECRET.to_owned());
    let mut server = TestServer::start(config).await;
    server.keep(repo);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let body = json!({ "from": "elsewhere", "branch": "main", "sent_at": now }).to_string();
    let key = sign(SECRET, b"quire replica notice");
    let signature = sign(&key, body.as_bytes());
    let notice = |signature: String| {
        server
            .client()
            .post(server.url("/webhook/peer"))
            .header("x-quire-signature", format!("sha256={signature}"))
            .body(body.clone())
            .send()
    };
    assert_eq!(notice(signature.clone()).await.unwrap().status(), 202);
    for replayed in [
        signature.to_ascii_uppercase(),
        format!(
            "{}{}",
            &signature[..1].to_ascii_uppercase(),
            &signature[1..]
        ),
        signature.clone(),
    ] {
        let again = notice(replayed.clone()).await.unwrap();
        assert_eq!(again.status(), 200, "{replayed}");
        assert!(
            again.text().await.unwrap().contains("received before"),
            "{replayed}"
        );
    }
}
