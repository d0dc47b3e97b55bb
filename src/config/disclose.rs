//! What of the configuration anonymous clients may see. Without `--expose-details`, answers
//! that need no credentials (`/readyz`, the landing page, errors) name the repository without
//! its credentials, query or fragment, and a path on the server by its last component only;
//! the logs keep the whole of it.

use std::path::{Path, PathBuf};

use url::Url;

use super::Config;
use crate::source::is_url;

/// Hides server paths and secrets in text shown to clients. Built once from the [`Config`].
#[derive(Debug, Clone)]
pub(crate) struct Disclosure {
    /// `--expose-details`: show everything.
    exposed: bool,
    /// The repository as clients see it.
    repository: String,
    /// Texts clients must not see, longest first, each with what is shown instead.
    hidden: Vec<(String, String)>,
}

impl Disclosure {
    pub(crate) fn new(config: &Config) -> Disclosure {
        let mut hidden = Vec::new();
        let repository = match config.repo.as_deref() {
            Some(url) if is_url(url) => {
                let public = public_url(url);
                hidden.push((url.to_owned(), public.clone()));
                // The URL as the logs show it: the password hidden, the rest as given.
                if let Ok(mut parsed) = Url::parse(url) {
                    hide_secrets(&mut hidden, &parsed);
                    let _ = parsed.set_password(None);
                    let _ = parsed.set_username("");
                    hidden.push((parsed.to_string(), public.clone()));
                    let _ = parsed.set_password(Some("***"));
                    hidden.push((parsed.to_string(), public.clone()));
                }
                if let Some(dir) = config.data_dir() {
                    hide_path(&mut hidden, &dir, &last_component(&dir));
                }
                public
            }
            Some(path) => {
                let path = Path::new(path);
                let public = last_component(path);
                hide_path(&mut hidden, path, &public);
                public
            }
            None => {
                if let Ok(dir) = std::env::current_dir() {
                    hide_path(&mut hidden, &dir, "the current directory");
                }
                "the repository of the current directory".to_owned()
            }
        };
        // Nothing should quote the notifications' secret or a receiver's token; if an error
        // ever does, it is hidden too.
        if let Some(secret) = &config.notify.secret {
            hidden.push((secret.text().to_owned(), "***".to_owned()));
        }
        for receiver in &config.notify.receivers {
            hide_secrets(&mut hidden, receiver);
        }
        hidden.retain(|(text, _)| !text.is_empty());
        hidden.sort_by_key(|(text, _)| std::cmp::Reverse(text.len()));
        Disclosure {
            exposed: config.api.expose_details,
            repository,
            hidden,
        }
    }

    /// The repository as clients may see it; `full` is what the logs say.
    pub(crate) fn repository(&self, full: impl FnOnce() -> String) -> String {
        if self.exposed {
            full()
        } else {
            self.repository.clone()
        }
    }

    /// `text` (an error message) as clients may see it: the repository's URL and paths on the
    /// server replaced, and any other absolute path cut to its last component.
    pub(crate) fn redact(&self, text: &str) -> String {
        if self.exposed {
            return text.to_owned();
        }
        let mut text = text.to_owned();
        for (secret, shown) in &self.hidden {
            text = text.replace(secret.as_str(), shown);
        }
        cut_paths(&text)
    }
}

/// `scheme://host[:port]/path` of a repository URL: no user, password, query or fragment; a
/// `file://` URL is a path on the server, shown by its last component; `user@host:path` is shown
/// as `host:path`.
fn public_url(url: &str) -> String {
    match Url::parse(url) {
        Ok(parsed) if parsed.scheme() == "file" => parsed
            .to_file_path()
            .map_or_else(|()| "local repository".to_owned(), |p| last_component(&p)),
        Ok(mut parsed) => {
            let _ = parsed.set_password(None);
            let _ = parsed.set_username("");
            parsed.set_query(None);
            parsed.set_fragment(None);
            parsed.to_string()
        }
        // scp-like syntax: `git@github.com:owner/blog.git`.
        Err(_) => {
            let rest = url.split_once('@').map_or(url, |(_, rest)| rest);
            rest.split(['?', '#']).next().unwrap_or(rest).to_owned()
        }
    }
}

/// Hides the parts of `url` that may carry a secret wherever they appear, as git's own messages
/// may quote them inside a path: the query and fragment, the password, and a token given as an
/// https user name.
fn hide_secrets(hidden: &mut Vec<(String, String)>, url: &Url) {
    for (mark, part) in [('?', url.query()), ('#', url.fragment())] {
        if let Some(part) = part.filter(|p| !p.is_empty()) {
            hidden.push((format!("{mark}{part}"), String::new()));
            hidden.push((part.to_owned(), "***".to_owned()));
        }
    }
    match url.password() {
        Some(password) => hidden.push((password.to_owned(), "***".to_owned())),
        // A user name is a token only over https; a short one (`git`) may be any word.
        None if matches!(url.scheme(), "http" | "https") && url.username().len() >= 8 => {
            hidden.push((url.username().to_owned(), "***".to_owned()));
        }
        None => {}
    }
}

/// A path's last component, or "local repository" when it has none.
fn last_component(path: &Path) -> String {
    path.components()
        .next_back()
        .and_then(|c| match c {
            std::path::Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            _ => None,
        })
        .unwrap_or_else(|| "local repository".to_owned())
}

/// Hides `path` in the forms errors may show: as given, absolute and with links resolved.
fn hide_path(hidden: &mut Vec<(String, String)>, path: &Path, shown: &str) {
    let mut forms: Vec<PathBuf> = vec![path.to_owned()];
    if let Ok(dir) = std::env::current_dir() {
        forms.push(dir.join(path));
    }
    if let Ok(canonical) = std::fs::canonicalize(path) {
        forms.push(canonical);
    }
    for form in forms {
        let text = form.to_string_lossy();
        // A bare name (`blog`) is what clients are shown anyway, and may be part of any word.
        if form.components().count() > 1 {
            hidden.push((text.trim_end_matches('/').to_owned(), shown.to_owned()));
        }
    }
}

/// Every word that is an absolute path of two components or more, cut to its last component.
fn cut_paths(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let start = word.find('/').unwrap_or(word.len());
        let (before, rest) = word.split_at(start);
        let is_path = before
            .chars()
            .all(|c| matches!(c, '(' | '`' | '\'' | '"' | '['))
            && rest.matches('/').count() >= 2;
        if !is_path {
            out.push_str(word);
            continue;
        }
        let end = rest
            .trim_end_matches([':', ',', ';', '.', ')', '`', '\'', '"', ']'])
            .len();
        let (path, after) = rest.split_at(end);
        out.push_str(before);
        out.push_str(&last_component(Path::new(path)));
        out.push_str(after);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        use clap::Parser as _;
        crate::cli::Cli::try_parse_from(["quire"]).unwrap().config
    }

    fn disclosure(repo: &str) -> Disclosure {
        let mut config = config();
        config.repo = Some(repo.to_owned());
        config.data_dir = Some("/var/lib/quire-data".into());
        Disclosure::new(&config)
    }

    #[test]
    fn a_repository_url_is_shown_without_credentials_query_or_fragment() {
        for (given, shown) in [
            (
                "https://user:token@git.example.com/x.git?access_token=SECRET#frag",
                "https://git.example.com/x.git",
            ),
            (
                "https://token@github.com/o/b.git",
                "https://github.com/o/b.git",
            ),
            (
                "ssh://git@example.com:2222/blog",
                "ssh://example.com:2222/blog",
            ),
            ("git@github.com:owner/blog.git", "github.com:owner/blog.git"),
            ("file:///srv/git/blog.git", "blog.git"),
        ] {
            assert_eq!(disclosure(given).repository(String::new), shown, "{given}");
        }
    }

    #[test]
    fn errors_lose_the_url_and_every_server_path() {
        let url = "https://git.example.com/x.git?access_token=SECRET";
        let d = disclosure(url);
        let error = format!(
            "could not fetch {url}: check the URL; git failed while reading in /var/lib/quire-data/x: \
             cannot open '/home/me/other/.git/config': no such file; GET /readyz says more"
        );
        let shown = d.redact(&error);
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(
            !shown.contains("/var/lib") && !shown.contains("/home/me"),
            "{shown}"
        );
        assert!(
            shown.contains("could not fetch https://git.example.com/x.git:"),
            "{shown}"
        );
        assert!(shown.contains("in quire-data/x:"), "{shown}");
        assert!(shown.contains("cannot open 'config':"), "{shown}");
        assert!(shown.contains("GET /readyz says"), "{shown}");
    }

    #[test]
    fn a_secret_quoted_inside_a_path_is_hidden() {
        let d = disclosure("file:///srv/git/blog.git?access_token=SECRET");
        let shown = d.redact("failed to resolve path '/srv/git/blog.git?access_token=SECRET': no");
        assert_eq!(shown, "failed to resolve path 'blog.git': no");
        let d = disclosure("https://ghp_0123456789@github.com/o/b.git");
        let shown = d.redact("authentication for ghp_0123456789 failed");
        assert_eq!(shown, "authentication for *** failed");
    }

    #[test]
    fn a_local_path_is_shown_by_its_last_component() {
        let d = disclosure("/srv/content/blog");
        assert_eq!(d.repository(String::new), "blog");
        assert_eq!(
            d.redact("/srv/content/blog has no commits yet"),
            "blog has no commits yet"
        );
    }

    #[test]
    fn the_notifications_secret_and_a_receivers_token_are_hidden() {
        let mut config = config();
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        config.notify.secret = Some(crate::notify::NotifySecret::parse(secret).unwrap());
        config.notify.receivers = vec![Url::parse("https://b.example/api?token=T0KEN").unwrap()];
        let d = Disclosure::new(&config);
        let shown = d.redact(&format!(
            "signed with {secret} for https://b.example/api?token=T0KEN"
        ));
        assert!(
            !shown.contains("MfKQ9r8G") && !shown.contains("T0KEN"),
            "{shown}"
        );
        assert!(shown.contains("https://b.example/api"), "{shown}");
    }

    #[test]
    fn expose_details_shows_everything() {
        let mut config = config();
        config.repo = Some("/srv/content/blog".to_owned());
        config.api.expose_details = true;
        let d = Disclosure::new(&config);
        assert_eq!(
            d.repository(|| "/srv/content/blog".to_owned()),
            "/srv/content/blog"
        );
        assert_eq!(d.redact("/srv/content/blog: x"), "/srv/content/blog: x");
    }
}
