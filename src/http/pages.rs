//! The two HTML pages: the landing page at `GET /` (what is served, in plain HTML that needs no
//! JavaScript) and GraphiQL at `GET /graphql`, which loads React and GraphiQL from the copies
//! embedded in the binary (see [`super::assets`]), or from `--graphiql-assets` when it is given.

use std::fmt::Write as _;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use pulldown_cmark_escape::escape_html;

use super::AppState;

/// The versions the GraphiQL page loads: the ones embedded from `assets/graphiql/`, and the ones
/// it asks a CDN for with `--graphiql-assets`.
pub(crate) const GRAPHIQL_VERSION: &str = "3.9.0";
pub(crate) const REACT_VERSION: &str = "18.3.1";

/// Problems listed on the landing page; the rest are counted.
const PROBLEMS_SHOWN: usize = 200;

/// A query to start from in GraphiQL.
const DEFAULT_QUERY: &str = "# Quire: Markdown posts from git, over GraphQL.
# Press the run button (or Ctrl-Enter) to run this query.
{
  revision { commit branch postCount }
  posts(first: 5) {
    nodes { slug title date categories { name } }
    pageInfo { hasNextPage endCursor }
  }
}
";

fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = escape_html(&mut out, text);
    out
}

/// `GET /graphql` for a browser. `assets` is `--graphiql-assets`: empty for the embedded copy.
pub(crate) fn graphiql(assets: &str) -> Response {
    let assets = if assets.is_empty() {
        super::assets::BASE
    } else {
        assets
    };
    let assets_js = serde_json::to_string(assets)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    let assets = escaped(assets);
    let default_query = serde_json::to_string(DEFAULT_QUERY)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    let page = format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Quire GraphiQL</title>
<style>body {{ margin: 0; }} #graphiql {{ height: 100vh; }} .quire-note {{ font: 16px/1.5 system-ui, sans-serif; padding: 2rem; max-width: 40rem; }}</style>
<link rel="stylesheet" href="{assets}/graphiql@{GRAPHIQL_VERSION}/graphiql.min.css">
</head>
<body>
<div id="graphiql"><p class="quire-note">Loading GraphiQL from {assets}…</p></div>
<noscript><p class="quire-note">GraphiQL needs JavaScript. Without it, send queries to this URL with POST or GET (see <a href="/">the start page</a>).</p></noscript>
<script src="{assets}/react@{REACT_VERSION}/umd/react.production.min.js"></script>
<script src="{assets}/react-dom@{REACT_VERSION}/umd/react-dom.production.min.js"></script>
<script src="{assets}/graphiql@{GRAPHIQL_VERSION}/graphiql.min.js"></script>
<script>
(function () {{
  var root = document.getElementById('graphiql');
  if (typeof GraphiQL === 'undefined' || typeof ReactDOM === 'undefined') {{
    root.firstElementChild.textContent = 'GraphiQL could not load its scripts from ' + {assets_js} +
      '. Start Quire with --graphiql-assets pointing at a copy this browser can reach.';
    return;
  }}
  var url = new URL('/graphql', window.location.href);
  var ws = new URL(url);
  ws.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, {{
    fetcher: GraphiQL.createFetcher({{ url: url.toString(), subscriptionUrl: ws.toString() }}),
    defaultQuery: {default_query},
    defaultEditorToolsVisibility: true,
  }}));
}})();
</script>
</body>
</html>
"#
    );
    Html(page).into_response()
}

/// `GET /`: the repository, the commit, the posts and problems, and where to go next.
pub(crate) async fn landing(State(state): State<AppState>) -> Response {
    let app = &state.app;
    let mut page = String::from(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Quire</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 56rem; padding: 0 1rem; color: #222; }
code, td.path { font-family: ui-monospace, monospace; font-size: 0.9em; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 0.2rem 0.8rem 0.2rem 0; vertical-align: top; }
</style>
</head>
<body>
<h1>Quire</h1>
"#,
    );
    let repository = escaped(&app.shown_repository());
    match app.snapshot() {
        None => {
            let _ = writeln!(
                page,
                "<p>Loading the posts of <code>{repository}</code>; this page shows them once they are served. \
                 <a href=\"/readyz\">/readyz</a> tells how it is going.</p>"
            );
        }
        Some(snapshot) => {
            let r = snapshot.revision();
            let _ = write!(
                page,
                "<p>Serving <strong>{}</strong> posts over GraphQL at <code>/graphql</code>.</p>\n<table>\n\
                 <tr><th>Repository</th><td><code>{repository}</code></td></tr>\n\
                 <tr><th>Branch</th><td><code>{}</code></td></tr>\n\
                 <tr><th>Commit</th><td><code>{}</code>, committed {}</td></tr>\n\
                 <tr><th>Folder</th><td><code>{}</code></td></tr>\n\
                 <tr><th>Hugo configuration</th><td>{}</td></tr>\n\
                 <tr><th>Loaded</th><td>{}</td></tr>\n\
                 <tr><th>Drafts left out</th><td>{}</td></tr>\n</table>\n",
                r.post_count,
                escaped(r.branch.as_deref().unwrap_or("(detached HEAD)")),
                escaped(&r.commit),
                escaped(&r.committed_at.to_rfc3339()),
                escaped(if r.root.is_empty() { "/" } else { &r.root }),
                if r.site_config.is_empty() {
                    "none found: default URLs".to_owned()
                } else {
                    format!("<code>{}</code>", escaped(&r.site_config.join(", ")))
                },
                escaped(
                    &r.loaded_at
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                ),
                r.drafts_left_out,
            );
            let problems = snapshot.problems();
            if problems.is_empty() {
                page.push_str("<h2>Problems</h2>\n<p>None: every file was read.</p>\n");
            } else {
                let _ = write!(
                    page,
                    "<h2>Problems ({})</h2>\n<p>Files left out, or served without one of their fields:</p>\n\
                     <table>\n<tr><th>File</th><th>What to fix</th></tr>\n",
                    problems.len()
                );
                for problem in problems.iter().take(PROBLEMS_SHOWN) {
                    let place = match problem.line {
                        Some(line) => format!("{}:{line}", problem.path),
                        None => problem.path.clone(),
                    };
                    let _ = writeln!(
                        page,
                        "<tr><td class=\"path\">{}</td><td>{}</td></tr>",
                        escaped(&place),
                        escaped(&problem.message)
                    );
                }
                page.push_str("</table>\n");
                if problems.len() > PROBLEMS_SHOWN {
                    let _ = writeln!(
                        page,
                        "<p>And {} more: run <code>quire check</code>, or query <code>problems</code>.</p>",
                        problems.len() - PROBLEMS_SHOWN
                    );
                }
            }
        }
    }
    page.push_str("<h2>Where to go</h2>\n<ul>\n");
    if app.api().disable_graphiql {
        page.push_str(
            "<li><code>POST /graphql</code> answers GraphQL (GraphiQL is turned off on this server)</li>\n",
        );
    } else {
        page.push_str(
            "<li><a href=\"/graphql\">GraphiQL</a>: write and run queries in the browser</li>\n",
        );
    }
    page.push_str(
        "<li><a href=\"/readyz\">/readyz</a>: the commit served and the last refresh, as JSON</li>\n\
         <li><a href=\"/metrics\">/metrics</a>: Prometheus metrics</li>\n</ul>\n\
         <p>From a terminal:</p>\n<pre><code>curl -s http://HOST/graphql -H 'Content-Type: application/json' \\\n  \
         -d '{\"query\": \"{ posts(first: 3) { nodes { slug title } } }\"}'</code></pre>\n</body>\n</html>\n",
    );
    let mut response = Html(page).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
