//! Configuration: one set of flags, each also read from a `QUIRE_<NAME>` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::http::Peer;
use crate::index::LoadOptions;
use crate::refresh::Origin;
use crate::source::{Remote, SourceConfig, SourceError, is_url};

/// Flags shared by every subcommand.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Git repository to read posts from: a path, or a URL (https://, ssh://, file://,
    /// git@host:path) to clone and fetch [default: the repository containing the current directory]
    #[arg(
        long,
        env = "QUIRE_REPO",
        value_name = "PATH|URL",
        hide_env_values = true,
        global = true
    )]
    pub repo: Option<String>,

    /// Branch to serve [default: the repository's HEAD; for a URL, the remote's default branch]
    #[arg(long, env = "QUIRE_BRANCH", value_name = "NAME", global = true)]
    pub branch: Option<String>,

    /// Folder of the repository that holds the posts ("" or "." for the whole tree)
    #[arg(
        long,
        env = "QUIRE_ROOT",
        value_name = "DIR",
        default_value = "content-repo",
        global = true
    )]
    pub root: String,

    /// Also serve posts marked `draft: true`
    #[arg(long, env = "QUIRE_DRAFTS", global = true)]
    pub drafts: bool,

    /// Address to listen on
    #[arg(
        long,
        env = "QUIRE_LISTEN",
        value_name = "ADDR",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: SocketAddr,

    /// Memory for rendered HTML, in MiB
    #[arg(long, env = "QUIRE_CACHE_MB", value_name = "MIB", default_value_t = 64,
          value_parser = clap::value_parser!(u64).range(1..=1_048_576), global = true)]
    pub cache_mb: u64,

    /// Where clones of remote repositories are kept [default: quire/ in the user's cache folder,
    /// e.g. ~/.cache/quire]
    #[arg(long, env = "QUIRE_DATA_DIR", value_name = "DIR", global = true)]
    pub data_dir: Option<PathBuf>,

    /// Secret shared with the git host: turns on POST /webhook (and peer notices)
    #[arg(long, env = "QUIRE_WEBHOOK_SECRET", value_name = "SECRET", hide_env_values = true,
          value_parser = clap::builder::NonEmptyStringValueParser::new(), global = true)]
    pub webhook_secret: Option<String>,

    /// Seconds between checks of the branch for new commits, 0 for never
    /// [default: 60 for a URL, 5 for a local repository]
    #[arg(long, env = "QUIRE_POLL_INTERVAL", value_name = "SECS", global = true)]
    pub poll_interval: Option<u64>,

    /// Other replicas to tell about webhooks: base URLs (http://10.0.0.2:8080), or DNS names that
    /// resolve to every replica (my-app.internal), comma-separated
    #[arg(long, env = "QUIRE_PEERS", value_name = "PEERS", value_delimiter = ',',
          value_parser = Peer::parse, global = true)]
    pub peers: Vec<Peer>,
}

impl Config {
    /// Where posts come from.
    ///
    /// # Errors
    /// [`SourceError::NoDataDir`] for a URL when no data directory is set and the user has no
    /// cache folder.
    pub(crate) fn origin(&self) -> Result<Origin, SourceError> {
        match self.repo.as_deref() {
            Some(url) if is_url(url) => {
                let data_dir = match &self.data_dir {
                    Some(dir) => dir.clone(),
                    None => dirs::cache_dir()
                        .ok_or(SourceError::NoDataDir)?
                        .join("quire"),
                };
                Ok(Origin::Remote {
                    remote: Remote::new(url, &data_dir),
                    branch: self.branch.clone(),
                    root: self.root.clone(),
                })
            }
            repo => Ok(Origin::Local(SourceConfig {
                repo: repo.map(PathBuf::from),
                branch: self.branch.clone(),
                root: self.root.clone(),
            })),
        }
    }

    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            drafts: self.drafts,
        }
    }

    pub fn cache_bytes(&self) -> u64 {
        self.cache_mb * 1024 * 1024
    }

    /// How often to check the branch; `None` for never.
    pub fn poll_interval(&self) -> Option<Duration> {
        let remote = self.repo.as_deref().is_some_and(is_url);
        match self.poll_interval {
            Some(0) => None,
            Some(secs) => Some(Duration::from_secs(secs)),
            None if remote => Some(Duration::from_secs(60)),
            None => Some(Duration::from_secs(5)),
        }
    }
}
