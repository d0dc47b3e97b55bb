//! `--peers`: the other replicas a webhook is passed on to, each a base URL or a DNS name.

use url::Url;

/// Another replica: a base URL, or a DNS name with an address per replica.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Peer {
    /// `http://10.0.0.2:8080`, without a trailing slash.
    Url(String),
    /// `my-app.internal` or `quire-headless:8080`; without a port, this replica's own port.
    Dns { host: String, port: Option<u16> },
}

impl Peer {
    /// Parses one `--peers` entry.
    ///
    /// # Errors
    /// A message saying what is accepted.
    pub fn parse(text: &str) -> Result<Peer, String> {
        let text = text.trim();
        if text.contains("://") {
            return base_url(text).map(Peer::Url);
        }
        let neither =
            || format!("`{text}` is neither an http:// URL nor a DNS name such as my-app.internal");
        // A DNS name with an optional port is what follows `http://` in a base URL.
        let url = Url::parse(&format!("http://{text}")).map_err(|_| neither())?;
        let host = match url.host() {
            Some(url::Host::Domain(host)) => host.to_owned(),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            _ => return Err(neither()),
        };
        if !is_bare(&url) || text.ends_with('/') {
            return Err(neither());
        }
        // `Url` leaves out a port that is the scheme's default; `name:80` still names port 80.
        let port = url.port().or_else(|| {
            text.rsplit_once(':')
                .is_some_and(|(_, port)| port.parse::<u16>() == Ok(80))
                .then_some(80)
        });
        Ok(Peer::Dns { host, port })
    }
}

/// `http://host[:port]`, with nothing after it but a slash.
fn base_url(text: &str) -> Result<String, String> {
    let not_base = || {
        format!(
            "`{text}` is not a base URL: give scheme, host and port only, like http://10.0.0.2:8080"
        )
    };
    let url = Url::parse(text).map_err(|_| not_base())?;
    if url.scheme() != "http" {
        return Err(format!(
            "`{text}`: replicas are told over plain HTTP on the private network; use http://HOST:PORT or a DNS name"
        ));
    }
    if !is_bare(&url) {
        return Err(not_base());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// A host and maybe a port: no user, path, query or fragment.
fn is_bare(url: &Url) -> bool {
    url.host().is_some()
        && url.username().is_empty()
        && url.password().is_none()
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
}

#[cfg(test)]
mod tests {
    use super::Peer;

    #[test]
    fn parses_urls_and_dns_names() {
        assert_eq!(
            Peer::parse("http://10.0.0.2:8080/"),
            Ok(Peer::Url("http://10.0.0.2:8080".into()))
        );
        assert_eq!(
            Peer::parse("my-app.internal"),
            Ok(Peer::Dns {
                host: "my-app.internal".into(),
                port: None
            })
        );
        assert_eq!(
            Peer::parse("quire-headless:9000"),
            Ok(Peer::Dns {
                host: "quire-headless".into(),
                port: Some(9000)
            })
        );
        assert_eq!(
            Peer::parse("web:80"),
            Ok(Peer::Dns {
                host: "web".into(),
                port: Some(80)
            })
        );
        for bad in [
            "https://a:1",
            "ftp://x",
            "http://",
            "http://a/b",
            "http://u:p@a:1",
            "http://a:1/?x",
            "a b",
            "x:y",
            "a/b",
            "u@a",
            "",
        ] {
            assert!(Peer::parse(bad).is_err(), "{bad}");
        }
    }
}
