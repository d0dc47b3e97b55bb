//! Flags of reading other refs: previews' tokens, the cache of other commits' snapshots and how
//! often a remote is asked for refs it did not have.

use std::time::Duration;

use clap::Args;

/// How `at(ref:)` and `changes` read commits other than the served one. `Default` gives the
/// same values as the command line without flags.
#[derive(Clone, Args)]
pub struct RefsConfig {
    /// A token that lets a request (`Authorization: Bearer TOKEN`) read other branches, tags and
    /// commits not on the served branch, drafts and future posts (`at(ref:, drafts: true)`) and
    /// authors' emails. Repeat it (or separate with commas) to accept several while rotating
    #[arg(long = "preview-token", env = "QUIRE_PREVIEW_TOKEN", value_name = "TOKEN",
          value_delimiter = ',', hide_env_values = true,
          value_parser = parse_token, global = true)]
    pub preview_tokens: Vec<String>,

    /// Snapshots of other commits kept in memory for `at(ref:)` and `changes`, most recently
    /// used first (each shares every unchanged post with the served one)
    #[arg(long, env = "QUIRE_REF_CACHE", value_name = "N", default_value_t = DEFAULT_REF_CACHE,
          value_parser = clap::value_parser!(u64).range(1..=1000), global = true)]
    pub ref_cache: u64,

    /// Seconds between fetches of a remote repository's branches and tags when `at(ref:)` names
    /// a ref it does not have yet (remote repositories only)
    #[arg(long, env = "QUIRE_REF_FETCH_INTERVAL", value_name = "SECS",
          default_value_t = DEFAULT_REF_FETCH_INTERVAL, global = true)]
    pub ref_fetch_interval: u64,
}

/// `--ref-cache` when it is not given.
pub(crate) const DEFAULT_REF_CACHE: u64 = 8;

/// `--ref-fetch-interval` when it is not given.
pub(crate) const DEFAULT_REF_FETCH_INTERVAL: u64 = 30;

/// Shortest preview token accepted: a guessable token is no protection.
const MIN_TOKEN_LEN: usize = 16;

fn parse_token(token: &str) -> Result<String, String> {
    let token = token.trim();
    if token.len() < MIN_TOKEN_LEN {
        return Err(format!(
            "a preview token needs at least {MIN_TOKEN_LEN} characters: generate one with `openssl rand -hex 32`"
        ));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(
            "a preview token is sent in an HTTP header: use printable ASCII without spaces"
                .to_owned(),
        );
    }
    Ok(token.to_owned())
}

impl RefsConfig {
    pub(crate) fn ref_fetch_interval(&self) -> Duration {
        Duration::from_secs(self.ref_fetch_interval)
    }
}

impl Default for RefsConfig {
    fn default() -> Self {
        RefsConfig {
            preview_tokens: Vec::new(),
            ref_cache: DEFAULT_REF_CACHE,
            ref_fetch_interval: DEFAULT_REF_FETCH_INTERVAL,
        }
    }
}

/// The tokens are secrets: never printed.
impl std::fmt::Debug for RefsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefsConfig")
            .field(
                "preview_tokens",
                &format!("({} hidden)", self.preview_tokens.len()),
            )
            .field("ref_cache", &self.ref_cache)
            .field("ref_fetch_interval", &self.ref_fetch_interval)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_unprintable_tokens_are_refused() {
        assert!(parse_token("short").is_err());
        assert!(parse_token("has a space in it, long").is_err());
        assert_eq!(
            parse_token(" 0123456789abcdef ").as_deref(),
            Ok("0123456789abcdef")
        );
    }
}
