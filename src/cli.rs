//! The command line: `quire [serve]`, `quire check`, `quire export-schema`.

use clap::{Parser, Subcommand};

use crate::config::Config;

/// Quire serves Markdown posts straight out of a git repository over GraphQL.
/// Commit to publish: posts are read from the branch's latest commit, not from the working tree.
#[derive(Debug, Parser)]
#[command(name = "quire", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
    /// How log lines are written to stderr: `text` for people, `json` (one object per line) for
    /// log collectors
    #[arg(
        long,
        env = "QUIRE_LOG_FORMAT",
        value_name = "FORMAT",
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, Subcommand)]
pub enum Command {
    /// Serve the posts over GraphQL, with GraphiQL at /graphql (the default)
    Serve,
    /// Load the posts as `serve` would, print every problem as `path: message`; exit 1 if any
    Check {
        /// Also render every post to HTML (on all cores), and say how long that took
        #[arg(long)]
        render: bool,
    },
    /// Print the GraphQL schema (SDL) to stdout
    ExportSchema,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serve_is_the_default_and_flags_go_anywhere() {
        let cli = Cli::try_parse_from(["quire", "--root", "posts"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.config.root.as_deref(), Some("posts"));
        let cli = Cli::try_parse_from(["quire", "check", "--branch", "main"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Check { render: false })
        ));
        assert_eq!(cli.config.branch.as_deref(), Some("main"));
        assert!(Cli::try_parse_from(["quire", "--cache-mb", "0"]).is_err());
    }

    #[test]
    fn api_defaults_match_the_command_line() {
        let cli = Cli::try_parse_from(["quire"]).unwrap();
        assert_eq!(cli.config.api, crate::config::ApiConfig::default());
        assert_eq!(cli.log_format, LogFormat::Text);
    }

    #[test]
    fn cors_origins_must_be_bare_origins() {
        let cli = Cli::try_parse_from([
            "quire",
            "--cors-origin",
            "https://Blog.Example.com:443,http://localhost:3000",
        ])
        .unwrap();
        assert_eq!(
            cli.config.api.cors_origin,
            ["https://blog.example.com", "http://localhost:3000"]
        );
        for bad in [
            "blog.example.com",
            "https://blog.example.com/",
            "https://x.com/path",
            "ftp://x.com",
        ] {
            let err = Cli::try_parse_from(["quire", "--cors-origin", bad]).unwrap_err();
            assert!(err.to_string().contains("is not an origin"), "{bad}: {err}");
        }
    }

    #[test]
    fn graphiql_assets_take_a_url_or_an_absolute_path() {
        for (given, kept) in [
            (
                "https://cdn.example.com/npm/",
                "https://cdn.example.com/npm",
            ),
            ("/assets", "/assets"),
            ("", ""),
        ] {
            let cli = Cli::try_parse_from(["quire", "--graphiql-assets", given]).unwrap();
            assert_eq!(cli.config.api.graphiql_assets, kept);
        }
        // Empty, the default, is the copy built into the binary.
        let cli = Cli::try_parse_from(["quire"]).unwrap();
        assert_eq!(cli.config.api.graphiql_assets, "");
        for bad in [
            "assets",
            "javascript:alert(1)",
            "https://x.com/\"a",
            "/a\\u003cimg",
        ] {
            assert!(
                Cli::try_parse_from(["quire", "--graphiql-assets", bad]).is_err(),
                "{bad}"
            );
        }
    }
}
