//! The ceiling of the HTTP benchmarks: axum on the same tokio runtime as Quire, answering
//! `POST /graphql` (and `GET /graphql`) with fixed bytes, the answer Quire gave to the benchmark
//! query, and doing nothing else. `scripts/bench.sh` saves that answer and serves it with this.
//!
//! ```text
//! cargo run --release --example bare-http -- --body answer.json --listen 127.0.0.1:18081
//! ```

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context as _;
use axum::Router;
use axum::body::Bytes;
use axum::http::header;
use axum::routing::get;
use clap::Parser;

#[derive(Parser)]
struct Args {
    /// File holding the bytes to answer with (a JSON GraphQL response)
    #[arg(long)]
    body: PathBuf,
    #[arg(long, default_value = "127.0.0.1:18081")]
    listen: SocketAddr,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let body = Bytes::from(
        std::fs::read(&args.body).with_context(|| format!("reading {}", args.body.display()))?,
    );
    let answer = move || {
        let body = body.clone();
        async move { ([(header::CONTENT_TYPE, "application/json")], body) }
    };
    let app = Router::new().route("/graphql", get(answer.clone()).post(answer));
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    eprintln!("bare-http on http://{}/graphql", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
