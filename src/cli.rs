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
}

#[derive(Debug, Clone, Copy, Subcommand)]
pub enum Command {
    /// Serve the posts over GraphQL, with GraphiQL at /graphql (the default)
    Serve,
    /// Load the posts as `serve` would, print every problem as `path: message`; exit 1 if any
    Check,
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
        assert_eq!(cli.config.root, "posts");
        let cli = Cli::try_parse_from(["quire", "check", "--branch", "main"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Check)));
        assert_eq!(cli.config.branch.as_deref(), Some("main"));
        assert!(Cli::try_parse_from(["quire", "--cache-mb", "0"]).is_err());
    }
}
