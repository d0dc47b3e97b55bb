//! HMAC-SHA256 signatures, shared by the git host's webhooks ([`super::webhook`]) and the
//! replicas' notices ([`super::peers`]): signing, and checking a hex signature in constant time.

use hmac::{Hmac, Mac as _};
use sha2::Sha256;

/// HMAC-SHA256 of `body` under `secret`, in lowercase hex.
pub(super) fn sign(secret: &str, body: &[u8]) -> String {
    hex::encode(mac(secret, body).finalize().into_bytes())
}

/// True when `hex` is the HMAC-SHA256 of `body` under `secret`; compared in constant time.
pub(super) fn verify_hmac(secret: &str, body: &[u8], hex: &str) -> bool {
    verified_tag(secret, body, hex).is_some()
}

/// The signature's bytes when `hex` (upper or lower case) is the HMAC-SHA256 of `body` under
/// `secret`; compared in constant time. The bytes, not the text, identify a signature: the same
/// signature can be written in many cases.
pub(super) fn verified_tag(secret: &str, body: &[u8], hex: &str) -> Option<Vec<u8>> {
    let tag = hex::decode(hex.trim()).ok()?;
    mac(secret, body).verify_slice(&tag).ok()?;
    Some(tag)
}

fn mac(secret: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_in_upper_case_verifies_to_the_same_bytes() {
        let lower = sign("key", b"body");
        let upper = lower.to_ascii_uppercase();
        assert_ne!(lower, upper);
        assert_eq!(
            verified_tag("key", b"body", &lower),
            verified_tag("key", b"body", &upper)
        );
        assert!(verified_tag("key", b"body", &lower).is_some());
        assert!(verified_tag("other", b"body", &lower).is_none());
        assert!(!verify_hmac("key", b"bodY", &lower));
    }
}
