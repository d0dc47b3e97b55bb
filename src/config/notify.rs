//! Flags of outbound notifications: where to `POST` after each new commit, and the secret the
//! messages are signed with (Standard Webhooks).

use std::ffi::OsStr;

use clap::Args;
use clap::builder::TypedValueParser;
use clap::error::ErrorKind;
use url::Url;

use crate::notify::{NotifySecret, RetrySchedule, SecretError};

/// Who is told about new commits, and how. `Default` gives the same values as the command line
/// without flags: nobody.
#[derive(Debug, Clone, Default, Args)]
pub struct NotifyConfig {
    /// URLs to POST a signed `content.updated` message to after each refresh that changes the
    /// commit, naming the posts added, changed, removed and renamed (Standard Webhooks; e.g. a
    /// Next.js route that revalidates those pages), comma-separated; needs --notify-secret
    #[arg(long = "notify", env = "QUIRE_NOTIFY", value_name = "URL", value_delimiter = ',',
          value_parser = parse_receiver, hide_env_values = true, requires = "notify_secret",
          global = true)]
    pub receivers: Vec<Url>,

    /// Secret the notifications are signed with, given to the receivers too: `whsec_` and
    /// base64 of 24 to 64 random bytes (`echo whsec_$(openssl rand -base64 32)`)
    #[arg(long = "notify-secret", id = "notify_secret", env = "QUIRE_NOTIFY_SECRET",
          value_name = "whsec_...", hide_env_values = true, value_parser = SecretParser,
          global = true)]
    pub secret: Option<NotifySecret>,

    /// When a failed delivery is tried again: eight attempts over about an hour; tests set a
    /// quicker schedule.
    #[arg(skip)]
    pub retry: RetrySchedule,
}

/// An http(s) URL with a host and no fragment. A query or user name may carry the receiver's
/// own token: the logs leave them out.
fn parse_receiver(value: &str) -> Result<Url, String> {
    let value = value.trim();
    let url = Url::parse(value).map_err(|err| {
        format!("not a URL ({err}): give the receiver's whole URL, like https://blog.example.com/api/quire")
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(
            "give an http:// or https:// URL with a host, like https://blog.example.com/api/quire"
                .to_owned(),
        );
    }
    if url.fragment().is_some() {
        return Err("give the URL without a #fragment, which is never sent".to_owned());
    }
    Ok(url)
}

/// Reads `--notify-secret`; unlike clap's usual message, an error does not repeat the value,
/// which is likely a secret with a typo.
#[derive(Debug, Clone, Copy)]
struct SecretParser;

impl TypedValueParser for SecretParser {
    type Value = NotifySecret;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<NotifySecret, clap::Error> {
        let parsed = value
            .to_str()
            .ok_or(SecretError::NoPrefix)
            .and_then(NotifySecret::parse);
        parsed.map_err(|err| {
            let name = arg.map_or_else(|| "--notify-secret".to_owned(), ToString::to_string);
            clap::Error::raw(
                ErrorKind::ValueValidation,
                format!("invalid value for '{name}': {err}\n"),
            )
            .with_cmd(cmd)
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;

    #[derive(Debug, clap::Parser)]
    struct Flags {
        #[command(flatten)]
        notify: NotifyConfig,
    }

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    #[test]
    fn default_is_the_command_line_without_flags() {
        let parsed = Flags::try_parse_from(["quire"]).unwrap().notify;
        assert!(parsed.receivers.is_empty());
        assert!(parsed.secret.is_none());
        assert_eq!(parsed.retry, NotifyConfig::default().retry);
    }

    #[test]
    fn takes_several_receivers_and_a_secret() {
        let parsed = Flags::try_parse_from([
            "quire",
            "--notify",
            "https://a.example/api/quire,http://10.0.0.2:3000/hook?token=x",
            "--notify",
            "https://b.example/",
            "--notify-secret",
            SECRET,
        ])
        .unwrap()
        .notify;
        let urls: Vec<&str> = parsed.receivers.iter().map(Url::as_str).collect();
        assert_eq!(
            urls,
            [
                "https://a.example/api/quire",
                "http://10.0.0.2:3000/hook?token=x",
                "https://b.example/"
            ]
        );
        assert_eq!(parsed.secret, Some(NotifySecret::parse(SECRET).unwrap()));
    }

    #[test]
    fn a_receiver_needs_the_secret() {
        let err = Flags::try_parse_from(["quire", "--notify", "https://a.example/"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MissingRequiredArgument);
        assert!(err.to_string().contains("--notify-secret"), "{err}");
    }

    #[test]
    fn refuses_urls_that_are_not_http() {
        for bad in [
            "ftp://a.example/",
            "a.example/hook",
            "https://a.example/#x",
            "unix:/x",
        ] {
            let err = Flags::try_parse_from(["quire", "--notify", bad, "--notify-secret", SECRET])
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::ValueValidation, "{bad}: {err}");
        }
    }

    #[test]
    fn a_bad_secret_is_refused_without_being_repeated() {
        let typo = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS";
        let err = Flags::try_parse_from(["quire", "--notify-secret", typo]).unwrap_err();
        let text = err.to_string();
        assert_eq!(err.kind(), ErrorKind::ValueValidation);
        assert!(!text.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS"), "{text}");
        assert!(text.contains("--notify-secret"), "{text}");
        assert!(text.contains("openssl rand"), "{text}");
    }
}
