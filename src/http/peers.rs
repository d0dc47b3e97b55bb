//! Replicas: a webhook reaches one replica behind a load balancer, which tells the others with a
//! signed notice (`POST /webhook/peer`, HMAC-SHA256 of the body under the webhook secret); each
//! then fetches for itself. Notices are never passed on; a notice without a valid signature, or
//! older than five minutes, is refused, and one seen before is ignored. The signing key is derived
//! from the webhook secret, so a webhook body can never pass for a notice.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::error::ApiError;
use super::signature::{sign, verified_tag};
use super::{AppState, answer};
use crate::config::Peer;
use crate::graphql::code;
use crate::refresh::Trigger;

/// Header carrying a notice's signature: `sha256=<hex>`.
const SIGNATURE: &str = "x-quire-signature";
/// Notices older than this (or this far in the future) are refused, so a captured notice cannot
/// be replayed later.
const MAX_AGE_SECS: u64 = 300;

/// What one replica tells the others.
#[derive(Debug, Serialize, Deserialize)]
struct Notice {
    /// The sender's node id, so a replica that resolves its own address ignores its own notice.
    from: String,
    /// The branch that was pushed.
    branch: Option<String>,
    /// The commit pushed, when the webhook said.
    #[serde(default)]
    commit: Option<String>,
    /// Unix seconds when sent.
    sent_at: u64,
}

/// Sends a notice to every peer in the background; failures are logged, never returned.
pub(super) fn tell_peers(state: &AppState, branch: Option<String>, commit: Option<String>) {
    let (peers, Some(secret)) = (state.app.peers(), state.app.webhook_secret()) else {
        return;
    };
    if peers.is_empty() {
        return;
    }
    let peers = peers.to_vec();
    let secret = secret.to_owned();
    let hooks = state.hooks.clone();
    tokio::spawn(async move {
        let notice = Notice {
            from: hooks.node.clone(),
            branch,
            commit,
            sent_at: now(),
        };
        let body = serde_json::to_vec(&notice).expect("a notice serializes");
        let signature = format!("sha256={}", sign(&notice_key(&secret), &body));
        let mut sends = tokio::task::JoinSet::new();
        for target in targets(&peers, hooks.port).await {
            let request = hooks
                .client
                .post(format!("{target}/webhook/peer"))
                .header("content-type", "application/json")
                .header(SIGNATURE, &signature)
                .timeout(Duration::from_secs(5))
                .body(body.clone());
            sends.spawn(async move { (target, request.send().await) });
        }
        while let Some(Ok((target, result))) = sends.join_next().await {
            match result.map(|r| r.status()) {
                Ok(status) if status.is_success() => {
                    tracing::debug!("told replica {target} about the push ({status})");
                }
                Ok(status) => {
                    tracing::warn!("replica {target} refused the push notice: HTTP {status}");
                }
                Err(err) => tracing::warn!("could not tell replica {target} about the push: {err}"),
            }
        }
    });
}

/// Base URLs of every peer now; DNS names are resolved at each send, as replicas come and go.
async fn targets(peers: &[Peer], own_port: u16) -> Vec<String> {
    let mut urls = Vec::new();
    for peer in peers {
        match peer {
            Peer::Url(url) => urls.push(url.clone()),
            Peer::Dns { host, port } => {
                let port = port.unwrap_or(own_port);
                match tokio::net::lookup_host((host.as_str(), port)).await {
                    Ok(addrs) => urls.extend(addrs.map(|addr| format!("http://{addr}"))),
                    Err(err) => tracing::warn!("could not resolve replicas at {host}: {err}"),
                }
            }
        }
    }
    urls.sort();
    urls.dedup();
    urls
}

pub(super) async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(secret) = state.app.webhook_secret() else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            code::NOT_FOUND,
            "replica notices are off: start Quire with --webhook-secret (or QUIRE_WEBHOOK_SECRET), the same on every replica",
        ));
    };
    let signature = headers
        .get(SIGNATURE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("sha256="));
    // The decoded bytes identify the notice: its hex may be sent in any case.
    let Some(tag) = signature.and_then(|hex| verified_tag(&notice_key(secret), &body, hex)) else {
        return Err(ApiError::unauthenticated(
            "replica notice refused: missing or wrong X-Quire-Signature: every replica needs the same --webhook-secret",
        ));
    };
    let notice: Notice = match serde_json::from_slice(&body) {
        Ok(notice) => notice,
        Err(err) => return Err(ApiError::bad_input(format!("not a replica notice: {err}"))),
    };
    if notice.from == state.hooks.node {
        return Ok(answer(StatusCode::OK, json!({ "ignored": "own notice" })));
    }
    if now().abs_diff(notice.sent_at) > MAX_AGE_SECS {
        return Err(ApiError::unauthenticated(
            "replica notice refused: it is more than five minutes old (or the replicas' clocks disagree)",
        ));
    }
    // Within those five minutes, the same notice is taken once.
    let fresh = state
        .hooks
        .deliveries
        .entry(format!("notice:{}", hex::encode(tag)))
        .or_insert(())
        .await
        .is_fresh();
    if !fresh {
        return Ok(answer(
            StatusCode::OK,
            json!({ "ignored": "this notice was received before" }),
        ));
    }
    state.app.refresher().request(Trigger::Peer {
        from: notice.from,
        commit: notice.commit,
    });
    Ok(answer(StatusCode::ACCEPTED, json!({ "refresh": "queued" })))
}

/// The key notices are signed with: derived from the webhook secret, so a notice and a webhook
/// can never be taken for each other.
fn notice_key(secret: &str) -> String {
    sign(secret, b"quire replica notice")
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
