//! Flags of listings and discovery: the publishing rules, feeds and search.

use clap::{Args, ValueEnum};

use crate::clock::Clock;
use crate::index::{Publishing, SearchLanguage};

/// Which posts are published when, and how feeds and search present them. `Default` gives the
/// same values as the command line without flags.
#[derive(Debug, Clone, Args)]
pub struct ListingConfig {
    /// Also serve posts whose publish date (`publishDate`, else `date`) is still to come; without
    /// it, such a post appears at that instant, with no push
    #[arg(long, env = "QUIRE_FUTURE", global = true)]
    pub future: bool,

    /// Also serve posts whose `expiryDate` has passed; without it, such a post disappears at that
    /// instant
    #[arg(long, env = "QUIRE_EXPIRED", global = true)]
    pub expired: bool,

    /// Posts in each feed (/feed.xml, /atom.xml, /feed.json and those of each term), newest first
    #[arg(long, env = "QUIRE_FEED_SIZE", value_name = "N", default_value_t = DEFAULT_FEED_SIZE,
          value_parser = clap::value_parser!(u32).range(1..=1000), global = true)]
    pub feed_size: u32,

    /// What a feed entry holds: the post's `summary`, or its `full` HTML (with the summary
    /// beside it where the format has room)
    #[arg(long, env = "QUIRE_FEED_CONTENT", value_name = "WHAT", value_enum,
          default_value_t = FeedContent::Summary, global = true)]
    pub feed_content: FeedContent,

    /// The language search stems words in (`running` finds `runs`): arabic, danish, dutch,
    /// english, finnish, french, german, greek, hungarian, italian, norwegian, portuguese,
    /// romanian, russian, spanish, swedish, tamil, turkish, or none
    #[arg(long, env = "QUIRE_SEARCH_LANGUAGE", value_name = "LANGUAGE", default_value = "english",
          value_parser = parse_search_language, global = true)]
    pub search_language: String,

    /// The time publishing rules are evaluated at: the system clock; tests set a manual one.
    #[arg(skip)]
    pub clock: Clock,
}

/// `--feed-size` when it is not given.
pub(crate) const DEFAULT_FEED_SIZE: u32 = 20;

/// What a feed entry holds (`--feed-content`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FeedContent {
    /// The summary (Hugo's `.Summary`).
    Summary,
    /// The whole post's HTML.
    Full,
}

impl Default for ListingConfig {
    fn default() -> Self {
        ListingConfig {
            future: false,
            expired: false,
            feed_size: DEFAULT_FEED_SIZE,
            feed_content: FeedContent::Summary,
            search_language: "english".to_owned(),
            clock: Clock::system(),
        }
    }
}

/// A `--search-language` that search knows, lowercased.
fn parse_search_language(text: &str) -> Result<String, String> {
    let name = text.trim().to_ascii_lowercase();
    name.parse::<SearchLanguage>()
        .map(|_| name)
        .map_err(|e| e.to_string())
}

impl ListingConfig {
    /// The language search stems words in.
    pub(crate) fn search_language(&self) -> SearchLanguage {
        self.search_language.parse().unwrap_or_default()
    }

    /// The publishing rules turned off.
    pub(crate) fn publishing(&self) -> Publishing {
        Publishing {
            future: self.future,
            expired: self.expired,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;

    #[derive(clap::Parser)]
    struct Flags {
        #[command(flatten)]
        listing: ListingConfig,
    }

    #[test]
    fn default_is_the_command_line_without_flags() {
        let parsed = Flags::try_parse_from(["quire"]).unwrap().listing;
        let default = ListingConfig::default();
        assert_eq!(
            (
                parsed.future,
                parsed.expired,
                parsed.feed_size,
                parsed.feed_content
            ),
            (
                default.future,
                default.expired,
                default.feed_size,
                default.feed_content
            )
        );
    }
}
