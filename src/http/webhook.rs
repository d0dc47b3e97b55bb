//! `POST /webhook`: push notifications from GitHub, GitLab, Gitea and Forgejo. The raw body is
//! authenticated before anything in it is read (HMAC-SHA256 or GitLab's token, compared in
//! constant time); a push to the served branch queues a refresh and is answered `202` at once.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

use super::error::ApiError;
use super::signature::verify_hmac;
use super::{AppState, answer};
use crate::graphql::code;
use crate::refresh::Trigger;

/// Largest webhook body accepted. GitHub caps payloads at 25 MB but a push's is a few KiB.
pub(super) const MAX_BODY: usize = 1024 * 1024;

/// How long a delivery id is remembered, to ignore redeliveries of the same push.
const DELIVERY_MEMORY: Duration = Duration::from_secs(24 * 60 * 60);

/// Delivery ids seen recently.
pub(super) fn deliveries() -> moka::future::Cache<String, ()> {
    moka::future::Cache::builder()
        .name("webhook-deliveries")
        .max_capacity(10_000)
        .time_to_live(DELIVERY_MEMORY)
        .build()
}

/// Git hosts that send webhooks, told apart by their event header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Provider {
    GitHub,
    GitLab,
    Gitea,
    Forgejo,
}

impl Provider {
    fn name(self) -> &'static str {
        match self {
            Provider::GitHub => "GitHub",
            Provider::GitLab => "GitLab",
            Provider::Gitea => "Gitea",
            Provider::Forgejo => "Forgejo",
        }
    }

    /// Headers naming the event and the delivery.
    fn headers(self) -> (&'static str, &'static str) {
        match self {
            Provider::GitHub => ("x-github-event", "x-github-delivery"),
            Provider::GitLab => ("x-gitlab-event", "x-gitlab-event-uuid"),
            Provider::Gitea => ("x-gitea-event", "x-gitea-delivery"),
            Provider::Forgejo => ("x-forgejo-event", "x-forgejo-delivery"),
        }
    }
}

/// Why a request was not accepted as coming from the git host.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(super) enum AuthError {
    #[error(
        "no signature: send X-Hub-Signature-256 (GitHub), X-Gitea-Signature / X-Forgejo-Signature (Gitea, Forgejo) or X-Gitlab-Token (GitLab), and set the webhook's secret to Quire's --webhook-secret"
    )]
    Missing,
    #[error(
        "the signature does not match the body: set the webhook's secret to the value of Quire's --webhook-secret (QUIRE_WEBHOOK_SECRET)"
    )]
    Mismatch,
}

/// Checks the request's signature against `secret` and tells which host sent it.
///
/// # Errors
/// [`AuthError`] when no signature header is present or the signature is wrong.
pub(super) fn authenticate(
    headers: &HeaderMap,
    body: &[u8],
    secret: &str,
) -> Result<Provider, AuthError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let provider = if header("x-forgejo-event").is_some() {
        Provider::Forgejo
    } else if header("x-gitea-event").is_some() {
        Provider::Gitea
    } else if header("x-gitlab-event").is_some() || header("x-gitlab-token").is_some() {
        Provider::GitLab
    } else {
        Provider::GitHub
    };
    let authentic = if let Some(signature) = header("x-hub-signature-256") {
        signature
            .strip_prefix("sha256=")
            .is_some_and(|hex| verify_hmac(secret, body, hex))
    } else if let Some(hex) = header("x-gitea-signature").or(header("x-forgejo-signature")) {
        verify_hmac(secret, body, hex)
    } else if let Some(token) = header("x-gitlab-token") {
        // Compare digests, so the comparison takes as long whatever the token's length.
        Sha256::digest(token.as_bytes())
            .ct_eq(&Sha256::digest(secret.as_bytes()))
            .into()
    } else {
        return Err(AuthError::Missing);
    };
    if authentic {
        Ok(provider)
    } else {
        Err(AuthError::Mismatch)
    }
}

/// The fields of a push payload Quire reads; every host sends them the same way. Everything else
/// (`head_commit`, which may be null, timestamps as strings or integers) is left unread.
#[derive(Deserialize)]
struct Push {
    #[serde(rename = "ref")]
    git_ref: String,
    /// The commit the branch points at after the push; all zeros when the branch was deleted.
    #[serde(default)]
    after: Option<String>,
}

impl Push {
    /// The commit pushed, when it is a real commit id.
    fn commit(&self) -> Option<String> {
        self.after
            .as_deref()
            .filter(|id| {
                matches!(id.len(), 40 | 64)
                    && id.bytes().all(|b| b.is_ascii_hexdigit())
                    && id.bytes().any(|b| b != b'0')
            })
            .map(str::to_ascii_lowercase)
    }
}

pub(super) async fn webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Some(secret) = state.app.webhook_secret() else {
        tracing::warn!(
            "a webhook arrived but webhooks are off: start Quire with --webhook-secret (or QUIRE_WEBHOOK_SECRET) set to the secret configured at the git host"
        );
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            code::NOT_FOUND,
            "webhooks are off: start Quire with --webhook-secret (or QUIRE_WEBHOOK_SECRET)",
        ));
    };
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Err(ApiError::limit(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "the body is over {} KiB: Quire only needs push events",
                    MAX_BODY / 1024
                ),
            ));
        }
        Err(rejection) => return Ok(rejection.into_response()),
    };
    let provider = match authenticate(&headers, &body, secret) {
        Ok(provider) => provider,
        Err(err) => return Err(ApiError::unauthenticated(format!("webhook refused: {err}"))),
    };
    let (event_header, delivery_header) = provider.headers();
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let delivery = header(delivery_header).map(str::to_owned);
    match header(event_header) {
        Some("ping") => return Ok(answer(StatusCode::OK, json!({ "pong": true }))),
        None | Some("push" | "Push Hook") => {}
        Some("Tag Push Hook") => {
            return Ok(answer(
                StatusCode::ACCEPTED,
                json!({ "ignored": "tag pushes do not change the served branch" }),
            ));
        }
        Some(other) => {
            return Ok(answer(
                StatusCode::ACCEPTED,
                json!({ "ignored": format!("`{other}` events do not change the content: send only push events") }),
            ));
        }
    }
    let push: Push = match serde_json::from_slice(&body) {
        Ok(push) => push,
        Err(err) => {
            return Err(ApiError::bad_input(format!(
                "the body is not a JSON push event with a `ref` ({err}): set the webhook's content type to application/json"
            )));
        }
    };
    let served = state
        .app
        .snapshot()
        .and_then(|s| s.revision().branch.clone())
        .or_else(|| state.app.configured_branch().map(str::to_owned));
    match push.git_ref.strip_prefix("refs/heads/") {
        None => {
            return Ok(answer(
                StatusCode::ACCEPTED,
                json!({ "ignored": format!("`{}` is not a branch; Quire serves branch `{}`", push.git_ref, served.as_deref().unwrap_or("HEAD")) }),
            ));
        }
        Some(branch) if served.as_deref().is_some_and(|s| s != branch) => {
            return Ok(answer(
                StatusCode::ACCEPTED,
                json!({ "ignored": format!("push to branch `{branch}`; Quire serves branch `{}`", served.unwrap_or_default()) }),
            ));
        }
        Some(_) => {}
    }
    if let Some(id) = &delivery {
        let fresh = state
            .hooks
            .deliveries
            .entry(id.clone())
            .or_insert(())
            .await
            .is_fresh();
        // A redelivery after a failed refresh (GitHub's "Redeliver" button) is taken again.
        let redelivered = !fresh
            && !state
                .app
                .refresher()
                .last()
                .is_some_and(|r| matches!(r.outcome, crate::refresh::Outcome::Failed));
        if redelivered {
            return Ok(answer(
                StatusCode::ACCEPTED,
                json!({ "delivery": id, "ignored": "this delivery was received before" }),
            ));
        }
    }
    tracing::info!(
        "{} push to {}: refreshing (delivery {})",
        provider.name(),
        push.git_ref,
        delivery.as_deref().unwrap_or("without id")
    );
    let commit = push.commit();
    state.app.refresher().request(Trigger::Webhook {
        provider: provider.name(),
        delivery: delivery.clone(),
        commit: commit.clone(),
    });
    super::peers::tell_peers(&state, served, commit);
    Ok(answer(
        StatusCode::ACCEPTED,
        json!({ "delivery": delivery, "refresh": "queued" }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::signature::sign;
    use axum::http::HeaderValue;

    const SECRET: &str = "It's a Secret to Everybody";
    const BODY: &[u8] = b"Hello, World!";
    /// GitHub's published example: https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
    const GITHUB_SIGNATURE: &str =
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn accepts_githubs_published_test_vector() {
        let h = headers(&[
            ("x-github-event", "push"),
            ("x-hub-signature-256", GITHUB_SIGNATURE),
        ]);
        assert_eq!(authenticate(&h, BODY, SECRET), Ok(Provider::GitHub));
        assert_eq!(format!("sha256={}", sign(SECRET, BODY)), GITHUB_SIGNATURE);
    }

    #[test]
    fn rejects_wrong_truncated_and_missing_github_signatures() {
        let wrong = GITHUB_SIGNATURE.replace("757107", "757108");
        let truncated = &GITHUB_SIGNATURE[..GITHUB_SIGNATURE.len() - 2];
        let bare = GITHUB_SIGNATURE.trim_start_matches("sha256=");
        for signature in [wrong.as_str(), truncated, bare, "sha256=", "sha256=zz"] {
            let h = headers(&[
                ("x-github-event", "push"),
                ("x-hub-signature-256", signature),
            ]);
            assert_eq!(
                authenticate(&h, BODY, SECRET),
                Err(AuthError::Mismatch),
                "{signature}"
            );
        }
        let h = headers(&[("x-hub-signature-256", GITHUB_SIGNATURE)]);
        assert_eq!(
            authenticate(&h, b"Hello, World?", SECRET),
            Err(AuthError::Mismatch)
        );
        let h = headers(&[("x-github-event", "push")]);
        assert_eq!(authenticate(&h, BODY, SECRET), Err(AuthError::Missing));
    }

    #[test]
    fn checks_gitea_and_forgejo_bare_hex_signatures() {
        let good = sign(SECRET, BODY);
        for (event, signature, provider) in [
            ("x-gitea-event", "x-gitea-signature", Provider::Gitea),
            ("x-forgejo-event", "x-forgejo-signature", Provider::Forgejo),
        ] {
            let h = headers(&[(event, "push"), (signature, &good)]);
            assert_eq!(authenticate(&h, BODY, SECRET), Ok(provider));
            for bad in [&good[..good.len() - 2], &good.replace(&good[..2], "00"), ""] {
                let h = headers(&[(event, "push"), (signature, bad)]);
                assert_eq!(
                    authenticate(&h, BODY, SECRET),
                    Err(AuthError::Mismatch),
                    "{bad}"
                );
            }
            let h = headers(&[(event, "push")]);
            assert_eq!(authenticate(&h, BODY, SECRET), Err(AuthError::Missing));
        }
    }

    #[test]
    fn checks_gitlab_tokens() {
        let h = headers(&[("x-gitlab-event", "Push Hook"), ("x-gitlab-token", SECRET)]);
        assert_eq!(authenticate(&h, BODY, SECRET), Ok(Provider::GitLab));
        for bad in [
            "It's a Secret to Everybod",
            "it's a secret to everybody",
            "x",
        ] {
            let h = headers(&[("x-gitlab-event", "Push Hook"), ("x-gitlab-token", bad)]);
            assert_eq!(
                authenticate(&h, BODY, SECRET),
                Err(AuthError::Mismatch),
                "{bad}"
            );
        }
        let h = headers(&[("x-gitlab-event", "Push Hook")]);
        assert_eq!(authenticate(&h, BODY, SECRET), Err(AuthError::Missing));
    }
}
