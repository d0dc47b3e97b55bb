//! The `quire` binary: parse the command line, dispatch, report errors in one line.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::Parser as _;
use quire::{App, Cli, Command, Config, LogFormat, Trigger};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => logs
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        LogFormat::Json => logs
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .init(),
    }
    let result = tokio::runtime::Runtime::new()
        .context("starting the async runtime")
        .and_then(|runtime| {
            let result = runtime.block_on(run(cli));
            // A git fetch still running on a blocking thread must not hold up the exit.
            runtime.shutdown_timeout(std::time::Duration::from_secs(1));
            result
        });
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
        Command::Check { render } => check(&cli.config, render).await,
        Command::ExportSchema => {
            print!("{}", quire::schema_sdl());
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn serve(config: &Config) -> anyhow::Result<()> {
    let listener = quire::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let app = Arc::new(App::new(config)?);
    // Listen while the first load runs (a clone can take minutes): /healthz answers, /readyz
    // and GraphQL say "not ready" until it is done.
    let mut server = tokio::spawn(quire::serve(Arc::clone(&app), listener));
    // A SIGTERM during the first load (a clone can be long) ends the server: stop waiting then.
    let report = tokio::select! {
        report = app.refresher().refresh(Trigger::Start) => report?,
        stopped = &mut server => {
            return stopped.context("the server stopped")?.context("serving HTTP");
        }
    };
    let snapshot = app.snapshot().context("the first load served nothing")?;
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
        "serving {} posts from {} (loaded in {} ms), GraphiQL at http://{addr}/graphql",
        snapshot.post_count(),
        snapshot.revision(),
        report.took.as_millis()
    );
    drop(snapshot);
    server
        .await
        .context("the server stopped")?
        .context("serving HTTP")
}

async fn check(config: &Config, render: bool) -> anyhow::Result<ExitCode> {
    let app = App::new(config)?;
    let report = app.refresher().refresh(Trigger::Start).await?;
    let snapshot = app.snapshot().context("the load served nothing")?;
    for problem in snapshot.problems() {
        println!("{problem}");
    }
    let started = std::time::Instant::now();
    let broken = snapshot.broken_links();
    let found = snapshot.links_found();
    for problem in &broken {
        match problem.line {
            Some(line) => println!("{}: line {line}: {}", problem.path, problem.message),
            None => println!("{problem}"),
        }
    }
    let revision = snapshot.revision();
    println!(
        "{} posts, {} problems, {} links to no page (of {found} between pages), {} drafts left out: {revision}, loaded in {} ms, links read in {} ms",
        snapshot.post_count(),
        snapshot.problems().len(),
        broken.len(),
        snapshot.drafts_left_out(),
        report.took.as_millis(),
        started.elapsed().as_millis(),
    );
    let mut render_problems = 0;
    if render {
        let started = std::time::Instant::now();
        let report = snapshot.render_all()?;
        for problem in &report.problems {
            println!("{problem}");
        }
        render_problems = report.problems.len();
        for (kind, count) in &report.by_kind {
            println!("{count} render problems: {kind}");
        }
        println!(
            "rendered {} posts ({:.1} MB of HTML) in {} ms, {render_problems} render problems",
            snapshot.post_count(),
            report.html_bytes as f64 / 1e6,
            started.elapsed().as_millis()
        );
    }
    Ok(
        if snapshot.problems().is_empty() && broken.is_empty() && render_problems == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        },
    )
}
