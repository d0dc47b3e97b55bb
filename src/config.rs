//! Configuration: one set of flags, each also read from a `QUIRE_<NAME>` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use crate::index::LoadOptions;
use crate::source::SourceConfig;

/// Flags shared by every subcommand.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Git repository to read posts from [default: the repository containing the current directory]
    #[arg(long, env = "QUIRE_REPO", value_name = "PATH", global = true)]
    pub repo: Option<PathBuf>,

    /// Branch to serve [default: the repository's HEAD]
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
}

impl Config {
    pub fn source(&self) -> SourceConfig {
        SourceConfig {
            repo: self.repo.clone(),
            branch: self.branch.clone(),
            root: self.root.clone(),
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
}
