//! The `quire` binary: parse the command line, dispatch, report errors in one line.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::Parser as _;
use quire::{App, Cli, Command, Config};

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let result = tokio::runtime::Runtime::new()
        .context("starting the async runtime")
        .and_then(|runtime| runtime.block_on(run(cli)));
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&cli.config).await.map(|()| ExitCode::SUCCESS),
        Command::Check => check(&cli.config).await,
        Command::ExportSchema => {
            print!("{}", quire::schema_sdl());
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn serve(config: &Config) -> anyhow::Result<()> {
    let listener = quire::bind(config.listen).await?;
    let app = Arc::new(App::load(config).await?);
    let snapshot = app.snapshot();
    let revision = snapshot.revision();
    for problem in snapshot.problems().iter().take(20) {
        tracing::warn!("{problem}");
    }
    if snapshot.problems().len() > 20 {
        tracing::warn!(
            "{} more problems: run `quire check` to list them all",
            snapshot.problems().len() - 20
        );
    }
    tracing::info!(
        "serving {} posts from {revision}, GraphiQL at http://{}/graphql",
        snapshot.post_count(),
        listener.local_addr()?,
    );
    drop(snapshot);
    quire::serve(app, listener).await.context("serving HTTP")
}

async fn check(config: &Config) -> anyhow::Result<ExitCode> {
    let (snapshot, took) = quire::load_snapshot(config.source(), config.load_options()).await?;
    for problem in snapshot.problems() {
        println!("{problem}");
    }
    let revision = snapshot.revision();
    println!(
        "{} posts, {} problems, {} drafts left out: {revision}, loaded in {} ms",
        snapshot.post_count(),
        snapshot.problems().len(),
        snapshot.drafts_left_out(),
        took.as_millis(),
    );
    Ok(if snapshot.problems().is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
