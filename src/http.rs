//! HTTP: the axum router. `POST /graphql` runs GraphQL; `GET /graphql` shows GraphiQL to a
//! browser and runs `?query=` for everyone else; `GET /healthz` answers while the process is up.

use std::net::SocketAddr;
use std::sync::Arc;

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::Router;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use crate::app::App;

/// The state every handler gets.
#[derive(Clone)]
pub(crate) struct AppState(pub Arc<App>);

/// Builds the router; tests call this with an app of their own.
pub fn build_router(app: Arc<App>) -> Router {
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/healthz", get(healthz))
        .with_state(AppState(app))
}

/// Serves `app` on `listener` until Ctrl-C or SIGTERM.
///
/// # Errors
/// When the server fails while running.
pub async fn serve(app: Arc<App>, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, build_router(app))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

/// Binds `addr`, with a message that says what to do when it is taken.
///
/// # Errors
/// The bind error, explained.
pub async fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await.map_err(|err| {
        std::io::Error::new(
            err.kind(),
            format!("cannot listen on {addr} ({err}): pass --listen with a free address"),
        )
    })
}

async fn graphql_post(State(state): State<AppState>, request: GraphQLRequest) -> GraphQLResponse {
    execute(&state, request).await
}

async fn graphql_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    if wants_html(&headers) {
        return Html(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .title("Quire GraphiQL")
                .finish(),
        )
        .into_response();
    }
    match GraphQLRequest::from_request(request, &state).await {
        Ok(request) => execute(&state, request).await.into_response(),
        Err(rejection) => rejection.into_response(),
    }
}

async fn execute(state: &AppState, request: GraphQLRequest) -> GraphQLResponse {
    let request = request.into_inner().data(state.0.snapshot());
    state.0.schema().execute(request).await.into()
}

/// A browser navigating to the page asks for HTML first; API clients do not.
fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.split(',').any(|t| t.trim().starts_with("text/html")))
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
