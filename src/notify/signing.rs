//! Standard Webhooks signatures: the `whsec_` secret (`--notify-secret`), and the `v1,`
//! signature of a message, base64 of HMAC-SHA256 of `{id}.{timestamp}.{body}` under the
//! secret's key.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac as _};
use sha2::Sha256;

/// What every Standard Webhooks secret starts with.
const PREFIX: &str = "whsec_";
/// The shortest key the specification allows: 192 bits.
const MIN_KEY_BYTES: usize = 24;
/// The longest key the specification allows: 512 bits.
const MAX_KEY_BYTES: usize = 64;
/// How to make a good secret, for the error messages.
const GENERATE: &str =
    "generate one with `echo whsec_$(openssl rand -base64 32)` and give the same to every receiver";

/// The key notifications are signed with. Neither `Debug` nor any error shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct NotifySecret {
    /// The secret as given, `whsec_…`, so that it can be hidden wherever text is shown.
    text: String,
    /// The HMAC key: the base64 after `whsec_`, decoded.
    key: Vec<u8>,
}

/// Why a `--notify-secret` was refused. The messages never quote the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error(
        "a Standard Webhooks secret starts with `whsec_`, followed by base64 of 24 to 64 random bytes: {GENERATE}"
    )]
    NoPrefix,
    #[error("what follows `whsec_` is not base64 ({reason}): {GENERATE}")]
    NotBase64 { reason: String },
    #[error("the key is {bytes} bytes long; Standard Webhooks keys have 24 to 64: {GENERATE}")]
    Length { bytes: usize },
}

impl NotifySecret {
    /// Reads a secret in the Standard Webhooks form: `whsec_` and base64 (standard alphabet,
    /// padded) of 24 to 64 bytes.
    ///
    /// # Errors
    /// [`SecretError`] saying which part is wrong and how to make a good secret.
    pub fn parse(text: &str) -> Result<NotifySecret, SecretError> {
        let text = text.trim();
        let encoded = text.strip_prefix(PREFIX).ok_or(SecretError::NoPrefix)?;
        let key = STANDARD
            .decode(encoded)
            .map_err(|err| SecretError::NotBase64 {
                reason: err.to_string(),
            })?;
        if !(MIN_KEY_BYTES..=MAX_KEY_BYTES).contains(&key.len()) {
            return Err(SecretError::Length { bytes: key.len() });
        }
        Ok(NotifySecret {
            text: text.to_owned(),
            key,
        })
    }

    /// The secret as given, for [`crate::config::Disclosure`] to hide.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The `webhook-signature` header of message `id` with `body`, sent at `timestamp` (unix
    /// seconds): `v1,` and base64 of HMAC-SHA256 of `{id}.{timestamp}.{body}`.
    pub(crate) fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

impl std::fmt::Debug for NotifySecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NotifySecret(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test vector of the specification's reference libraries
    /// (standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts, "sign
    /// function works"; libraries/rust/src/lib.rs, `test_sign`).
    #[test]
    fn signs_the_reference_test_vectors() {
        let secret = NotifySecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(
            secret.sign(
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1_614_265_330,
                br#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        let secret = NotifySecret::parse("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").unwrap();
        assert_eq!(
            secret.sign(
                "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
                1_649_367_553,
                br#"{"email":"test@example.com","username":"test_user"}"#
            ),
            "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw="
        );
    }

    #[test]
    fn a_signature_changes_with_the_id_the_timestamp_and_the_body() {
        let secret = NotifySecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let signed = secret.sign("msg_1", 1, b"{}");
        assert_ne!(signed, secret.sign("msg_2", 1, b"{}"));
        assert_ne!(signed, secret.sign("msg_1", 2, b"{}"));
        assert_ne!(signed, secret.sign("msg_1", 1, b"{ }"));
    }

    #[test]
    fn refuses_secrets_not_in_the_standard_form_without_quoting_them() {
        let twenty_three = format!("whsec_{}", STANDARD.encode([7u8; 23]));
        let sixty_five = format!("whsec_{}", STANDARD.encode([7u8; 65]));
        for (bad, expected) in [
            ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "starts with `whsec_`"),
            ("whsec_not base64!", "not base64"),
            (twenty_three.as_str(), "23 bytes long"),
            (sixty_five.as_str(), "65 bytes long"),
        ] {
            let message = NotifySecret::parse(bad).unwrap_err().to_string();
            assert!(message.contains(expected), "{bad}: {message}");
            assert!(message.contains("openssl rand"), "{message}");
            assert!(
                !message.contains(bad.trim_start_matches(PREFIX)),
                "{message}"
            );
        }
        let good = format!("whsec_{}", STANDARD.encode([7u8; 64]));
        assert!(NotifySecret::parse(&good).is_ok());
    }

    #[test]
    fn debug_hides_the_secret() {
        let secret = NotifySecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(format!("{secret:?}"), "NotifySecret(***)");
    }
}
