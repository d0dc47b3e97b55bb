//! Configuration: one set of flags, each also read from a `QUIRE_<NAME>` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

mod disclose;
mod listing;
mod notify;
mod peer;
mod refs;

pub(crate) use disclose::Disclosure;
pub use listing::{FeedContent, ListingConfig};
pub use notify::NotifyConfig;
pub use peer::Peer;
pub use refs::RefsConfig;

use crate::content::{Highlight, Pattern, RawHtml, RenderOptions};
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

    /// Folder of the repository that holds the posts ("" or "." for the whole tree) [default: the
    /// Hugo configuration's `contentDir` (with every language's folder), else content-repo]
    #[arg(long, env = "QUIRE_ROOT", value_name = "DIR", global = true)]
    pub root: Option<String>,

    /// Folder of the repository with the Hugo configuration (hugo.toml, config.yaml,
    /// config/_default/) [default: the repository root, else the parent folder of --root]
    #[arg(long, env = "QUIRE_SITE", value_name = "DIR", global = true)]
    pub site: Option<String>,

    /// URL patterns by section, as Hugo's `permalinks`: posts=/:year/:month/:slug/,docs=/:sections/:filename/
    /// (over the Hugo configuration's) [default: /section/file-or-slug/]
    #[arg(long, env = "QUIRE_PERMALINKS", value_name = "SECTION=PATTERN", value_delimiter = ',',
          value_parser = parse_permalink, global = true)]
    pub permalinks: Vec<(String, String)>,

    /// Publish pages as /section/page.html instead of /section/page/ (Hugo's `uglyURLs`)
    /// [default: the Hugo configuration's, else false]
    #[arg(long, env = "QUIRE_UGLY_URLS", value_name = "BOOL", global = true)]
    pub ugly_urls: Option<bool>,

    /// Also serve posts marked `draft: true`
    #[arg(long, env = "QUIRE_DRAFTS", global = true)]
    pub drafts: bool,

    /// Largest post file read, in MiB: a larger one is reported as a problem and not served
    #[arg(long, env = "QUIRE_MAX_POST_MB", value_name = "MIB",
          default_value_t = crate::index::DEFAULT_MAX_POST_MB,
          value_parser = clap::value_parser!(u64).range(1..=65_536), global = true)]
    pub max_post_mb: u64,

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

    /// Folder of the repository with Hugo's static files (images linked as `/img/x.png`), served
    /// under /files with the content [default: `static` beside the content root, when it exists]
    #[arg(long = "static", env = "QUIRE_STATIC", value_name = "DIR",
          value_parser = parse_static_dir, global = true)]
    pub static_dir: Option<String>,

    /// Public base URL of this server (https://api.example.com): links to the posts' files in
    /// `html` become absolute [default: root-relative links, /files/...]
    #[arg(long, env = "QUIRE_PUBLIC_URL", value_name = "URL", value_parser = parse_public_url,
          global = true)]
    pub public_url: Option<url::Url>,

    /// Code highlighting on the server: `classes` (styled by GET /highlight.css), `inline`
    /// (style attributes from --highlight-theme) or `off`
    #[arg(long, env = "QUIRE_HIGHLIGHT", value_name = "MODE", value_enum,
          default_value_t = Highlight::Classes, global = true)]
    pub highlight: Highlight,

    /// Theme of `--highlight inline`, and of GET /highlight.css without `?theme=`
    #[arg(long, env = "QUIRE_HIGHLIGHT_THEME", value_name = "NAME",
          default_value = crate::content::DEFAULT_HIGHLIGHT_THEME, value_parser = parse_theme,
          global = true)]
    pub highlight_theme: String,

    /// Raw HTML in posts: `keep` (the repository's authors are trusted), `sanitize` (ammonia)
    /// or `omit` (`<!-- raw HTML omitted -->`, as Hugo)
    #[arg(long, env = "QUIRE_RAW_HTML", value_name = "POLICY", value_enum,
          default_value_t = RawHtml::Keep, global = true)]
    pub raw_html: RawHtml,

    /// Reading speed for `readingTime`, in words a minute (CJK text counts 500 characters a minute)
    #[arg(long, env = "QUIRE_WORDS_PER_MINUTE", value_name = "N",
          default_value_t = crate::content::DEFAULT_WORDS_PER_MINUTE,
          value_parser = clap::value_parser!(u32).range(1..=100_000), global = true)]
    pub words_per_minute: u32,

    #[command(flatten)]
    pub listing: ListingConfig,

    #[command(flatten)]
    pub refs: RefsConfig,

    #[command(flatten)]
    pub notify: NotifyConfig,

    #[command(flatten)]
    pub api: ApiConfig,
}

/// How the GraphQL API answers: HTTP caching, limits, CORS, the GraphiQL page, shutdown.
/// `Default` gives the same values as the command line without flags.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct ApiConfig {
    /// Seconds browsers and CDNs may reuse a GET answer (`Cache-Control: max-age`)
    #[arg(
        long,
        env = "QUIRE_CACHE_MAX_AGE",
        value_name = "SECS",
        default_value_t = 60,
        global = true
    )]
    pub cache_max_age: u32,

    /// Seconds after max-age during which a cache may serve the old answer while it fetches the
    /// new one (`stale-while-revalidate`)
    #[arg(
        long,
        env = "QUIRE_STALE_WHILE_REVALIDATE",
        value_name = "SECS",
        default_value_t = 300,
        global = true
    )]
    pub stale_while_revalidate: u32,

    /// Memory for ready-made GraphQL answers, in MiB; 0 turns the response cache off
    #[arg(long, env = "QUIRE_RESPONSE_CACHE_MB", value_name = "MIB", default_value_t = 64,
          value_parser = clap::value_parser!(u64).range(0..=1_048_576), global = true)]
    pub response_cache_mb: u64,

    /// Deepest nesting of fields a query may have
    #[arg(long, env = "QUIRE_MAX_DEPTH", value_name = "N", default_value_t = 15,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub max_depth: u32,

    /// Highest complexity a query may have: each field counts 1, and a paginated field counts 1
    /// plus its selection once per post asked for (`first`, 20 when left out)
    #[arg(long, env = "QUIRE_MAX_COMPLEXITY", value_name = "N", default_value_t = 2500,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub max_complexity: u32,

    /// Most aliases (`a: post(..)`) a query may use
    #[arg(
        long,
        env = "QUIRE_MAX_ALIASES",
        value_name = "N",
        default_value_t = 30,
        global = true
    )]
    pub max_aliases: u32,

    /// Largest request body accepted on POST /graphql, in KiB
    #[arg(long, env = "QUIRE_MAX_BODY_KB", value_name = "KIB", default_value_t = 64,
          value_parser = clap::value_parser!(u32).range(1..=65_536), global = true)]
    pub max_body_kb: u32,

    /// Seconds a GraphQL request may run before it is answered with an error
    #[arg(long, env = "QUIRE_REQUEST_TIMEOUT", value_name = "SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub request_timeout: u64,

    /// Most GraphQL operations executing at once, the CPU budget of queries: the others wait
    /// their turn, within --request-timeout; 0 for four per core
    #[arg(long, env = "QUIRE_MAX_RUNNING_QUERIES", value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u32).range(0..=65_536), global = true)]
    pub max_running_queries: u32,

    /// Most operations in one batched POST (a JSON array); 0 turns batching off
    #[arg(
        long,
        env = "QUIRE_MAX_BATCH",
        value_name = "N",
        default_value_t = 0,
        global = true
    )]
    pub max_batch: u32,

    /// Refuse introspection queries (`__schema`, `__type`), e.g. in production
    #[arg(long, env = "QUIRE_DISABLE_INTROSPECTION", global = true)]
    pub disable_introspection: bool,

    /// Do not serve the GraphiQL page at GET /graphql
    #[arg(long, env = "QUIRE_DISABLE_GRAPHIQL", global = true)]
    pub disable_graphiql: bool,

    /// Where the GraphiQL page loads React and GraphiQL from: empty for the copies built into
    /// the binary (served at /graphiql/assets, no internet needed), or a URL or an absolute path
    /// laid out like unpkg.com (`<base>/graphiql@3.9.0/graphiql.min.js`), e.g. https://unpkg.com
    /// [default: empty, the built-in copies]
    #[arg(long, env = "QUIRE_GRAPHIQL_ASSETS", value_name = "URL", default_value = "",
          hide_default_value = true, value_parser = parse_assets_base, global = true)]
    pub graphiql_assets: String,

    /// Origins browsers may call the API from (CORS): `*`, or origins like
    /// https://blog.example.com, comma-separated [default: none, same-origin only]
    #[arg(long, env = "QUIRE_CORS_ORIGIN", value_name = "ORIGINS", value_delimiter = ',',
          value_parser = parse_origin, global = true)]
    pub cors_origin: Vec<String>,

    /// Seconds to let requests in flight finish after SIGTERM or Ctrl-C before exiting anyway
    #[arg(
        long,
        env = "QUIRE_SHUTDOWN_TIMEOUT",
        value_name = "SECS",
        default_value_t = 20,
        global = true
    )]
    pub shutdown_timeout: u64,

    /// Seconds a client has to send a request's headers, from its first byte (and a new
    /// connection, from connecting); then the connection is closed
    #[arg(long, env = "QUIRE_HEADER_READ_TIMEOUT", value_name = "SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub header_read_timeout: u64,

    /// Seconds a keep-alive connection may stay open with no request in flight
    #[arg(long, env = "QUIRE_IDLE_TIMEOUT", value_name = "SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub idle_timeout: u64,

    /// Most connections open at once; more wait in the listen queue until one closes (kept
    /// below the process's open-files limit, `ulimit -n`)
    #[arg(long, env = "QUIRE_MAX_CONNECTIONS", value_name = "N", default_value_t = 10_000,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub max_connections: u32,

    /// Show the repository's full URL and paths on the server in /readyz, the landing page and
    /// errors; without it they are cut to what an anonymous client may see (the logs have all)
    #[arg(long, env = "QUIRE_EXPOSE_DETAILS", global = true)]
    pub expose_details: bool,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            cache_max_age: 60,
            stale_while_revalidate: 300,
            response_cache_mb: 64,
            max_depth: 15,
            max_complexity: 2500,
            max_aliases: 30,
            max_body_kb: 64,
            request_timeout: 10,
            max_running_queries: 0,
            max_batch: 0,
            disable_introspection: false,
            disable_graphiql: false,
            graphiql_assets: String::new(),
            cors_origin: Vec::new(),
            shutdown_timeout: 20,
            header_read_timeout: 10,
            idle_timeout: 60,
            max_connections: 10_000,
            expose_details: false,
        }
    }
}

impl ApiConfig {
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout)
    }

    pub fn shutdown_timeout(&self) -> Duration {
        Duration::from_secs(self.shutdown_timeout)
    }

    pub fn header_read_timeout(&self) -> Duration {
        Duration::from_secs(self.header_read_timeout)
    }

    pub fn idle_timeout(&self) -> Duration {
        Duration::from_secs(self.idle_timeout)
    }

    pub fn max_body_bytes(&self) -> usize {
        self.max_body_kb as usize * 1024
    }

    pub fn response_cache_bytes(&self) -> u64 {
        self.response_cache_mb * 1024 * 1024
    }
}

/// `SECTION=PATTERN`, the pattern checked as Hugo would (every token known).
fn parse_permalink(value: &str) -> Result<(String, String), String> {
    let (section, pattern) = value.split_once('=').ok_or_else(|| {
        format!("`{value}` is not SECTION=PATTERN: write it like posts=/:year/:month/:slug/")
    })?;
    let section = section.trim().trim_matches('/');
    Pattern::parse(pattern.trim()).map_err(|e| e.to_string())?;
    Ok((section.to_owned(), pattern.trim().to_owned()))
}

/// A folder of the repository for static files: not the whole repository (`.`, ``), not
/// above it, without a trailing slash.
fn parse_static_dir(value: &str) -> Result<String, String> {
    let dir = value.trim_matches('/');
    if dir.is_empty() || dir == "." {
        return Err(
            "give a folder of the repository, like `static`: the whole repository would be served"
                .to_owned(),
        );
    }
    if dir
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == "..")
        || dir.contains('\\')
    {
        return Err(format!(
            "`{value}` is not a plain folder path: give one like `static` or `site/static`"
        ));
    }
    Ok(dir.to_owned())
}

/// A theme the highlighter has, by any case of its name, as the highlighter spells it.
fn parse_theme(value: &str) -> Result<String, String> {
    crate::content::theme_name(value)
        .map(str::to_owned)
        .map_err(|err| err.to_string())
}

/// An http(s) URL to put file links under: `https://api.example.com` or `https://x.org/quire/`
/// (kept with one trailing slash).
fn parse_public_url(value: &str) -> Result<url::Url, String> {
    let mut url = url::Url::parse(value)
        .map_err(|e| format!("not a URL ({e}): give one like https://api.example.com"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(
            "give an http:// or https:// URL with a host, like https://api.example.com".to_owned(),
        );
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("give the URL without a query or fragment".to_owned());
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// `https://host[:port]` or `http://…` with nothing after the host, or `*`.
fn parse_origin(value: &str) -> Result<String, String> {
    if value == "*" {
        return Ok(value.to_owned());
    }
    let url = url::Url::parse(value).map_err(|err| {
        format!("`{value}` is not an origin ({err}): write it like https://blog.example.com")
    })?;
    let bare = matches!(url.scheme(), "http" | "https")
        && url.host().is_some()
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty();
    if !bare || value.ends_with('/') {
        return Err(format!(
            "`{value}` is not an origin: give the scheme and host only, like https://blog.example.com"
        ));
    }
    // As browsers send it in `Origin`: lowercase host, no default port.
    Ok(url.origin().ascii_serialization())
}

/// An http(s) URL or an absolute path, without a trailing slash; empty for the built-in copies.
fn parse_assets_base(value: &str) -> Result<String, String> {
    let trimmed = value.trim_end_matches('/');
    let ok = value.is_empty()
        || trimmed.starts_with('/')
        || url::Url::parse(trimmed).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
    if ok && !trimmed.contains(['"', '<', '>', '\'', '\\', ' ']) {
        Ok(trimmed.to_owned())
    } else {
        Err(format!(
            "`{value}` is not a base URL: give one like https://unpkg.com or /graphiql-assets, or leave it empty for the copies built into quire"
        ))
    }
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
                let data_dir = self.data_dir().ok_or(SourceError::NoDataDir)?;
                Ok(Origin::Remote {
                    remote: Remote::new(url, &data_dir),
                    branch: self.branch.clone(),
                    root: self.root.clone(),
                    site: self.site.clone(),
                })
            }
            repo => Ok(Origin::Local(SourceConfig {
                repo: repo.map(PathBuf::from),
                branch: self.branch.clone(),
                root: self.root.clone(),
                site: self.site.clone(),
            })),
        }
    }

    /// Where clones are kept: `--data-dir`, or quire/ in the user's cache folder.
    pub(crate) fn data_dir(&self) -> Option<PathBuf> {
        match &self.data_dir {
            Some(dir) => Some(dir.clone()),
            None => Some(dirs::cache_dir()?.join("quire")),
        }
    }

    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            drafts: self.drafts,
            publishing: self.listing.publishing(),
            search_language: self.listing.search_language(),
            max_post_bytes: self.max_post_mb * 1024 * 1024,
            render: RenderOptions {
                highlight: self.highlight,
                highlight_theme: self.highlight_theme.clone(),
                raw_html: self.raw_html,
                words_per_minute: self.words_per_minute,
                ..RenderOptions::default()
            },
            public_url: self.public_url.clone(),
            static_dir: self.static_dir.clone(),
            permalinks: self
                .permalinks
                .iter()
                .filter_map(|(section, text)| Some((section.clone(), Pattern::parse(text).ok()?)))
                .collect(),
            ugly_urls: self.ugly_urls,
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
