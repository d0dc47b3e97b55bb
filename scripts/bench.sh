#!/usr/bin/env bash
# Quire's benchmarks, side by side in one run, on this machine. Builds release, generates blogs of
# 1,000, 10,000 and 100,000 posts, and measures time to ready, time until every page's links are
# read (backlinks answer), time until the search index is built (search answers data, not
# NOT_READY), and memory at those moments at each size; HTTP
# throughput and latency on the 10,000-post blog, next to a bare axum server answering the same
# bytes (examples/bare-http.rs, the ceiling) and a Node.js GraphQL server (bench/node/), and
# search and filtered listings executed without the response cache;
# rendering next to pulldown-cmark's bare push_html and Hugo; and refresh after a push, to the
# new commit served, to its backlinks answered and to a search finding the edit.
# Writes BENCHMARKS.md and docs/bench.svg.
#
#   scripts/bench.sh                      everything (about 7 minutes on 2 cores, blogs included)
#   SIZES="1000 10000" scripts/bench.sh   smaller blogs only (the HTTP, render and refresh
#                                         figures always use 10,000 posts)
#   DURATION=10 CONNECTIONS=64            length and connections of each load run
#   HTTP_ROUNDS=3                         runs of bare-http, POST and GET, in turns (best kept)
#   BENCH_WORK=/tmp/quire-bench           keep generated blogs there and reuse them next time
#
# Installs what it needs when missing: wrk and hugo from Debian's packages, Node.js and npm too
# (as root, or with sudo without a password), and bench/node's packages with npm ci.
set -euo pipefail

cd "$(dirname "$0")/.."
sizes=${SIZES:-"1000 10000 100000"}
duration=${DURATION:-10}
connections=${CONNECTIONS:-64}
http_rounds=${HTTP_ROUNDS:-3}
work=${BENCH_WORK:-$(mktemp -d)}
mkdir -p "$work"
results="$work/results.txt"
: >"$results"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ -z ${BENCH_WORK:-} ]]; then rm -rf "$work"; fi
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*" >&2; }
record() { printf '%s %s\n' "$1" "$2" | tee -a "$results" >&2; }

# --- tools -------------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v hugo >/dev/null || missing+=(hugo)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  say "installing ${missing[*]} from Debian's packages"
  if [[ $(id -u) == 0 ]]; then as_root=(); elif sudo -n true 2>/dev/null; then as_root=(sudo -n); else
    echo "scripts/bench.sh needs ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root" >&2
    exit 1
  fi
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
(cd bench/node && npm ci --no-audit --no-fund --loglevel=error)

say "building release"
cargo build --release --quiet --bin quire --example gen-corpus --example bare-http \
  --example refresh-latency --example render-throughput --example bench-report
bin=${CARGO_TARGET_DIR:-target}/release

# --- helpers -----------------------------------------------------------------------------------
# blog N: a generated blog of N posts with its files checked out (for Hugo and Node), reused.
blog() {
  local dir="$work/blog-$1"
  if [[ ! -d $dir/.git ]]; then
    rm -rf "$dir"
    "$bin/examples/gen-corpus" --posts "$1" --out "$dir" >&2
    git -C "$dir" checkout --quiet -f main
  fi
  echo "$dir"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

wait_ready() { # URL PID
  until curl -sf -o /dev/null "$1"; do
    kill -0 "$2" 2>/dev/null || { echo "the server exited before it was ready" >&2; exit 1; }
    sleep 0.01
  done
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# serve READY_URL COMMAND...: starts COMMAND in the background, sets $pid and waits until
# READY_URL answers.
serve() {
  local ready=$1
  shift
  "$@" 2>/dev/null &
  pid=$!
  pids+=("$pid")
  wait_ready "$ready" "$pid"
}

# quire ARGS...: serves with Quire on port 18080, polling off.
quire() {
  serve http://127.0.0.1:18080/readyz "$bin/quire" --listen 127.0.0.1:18080 --poll-interval 0 "$@"
}

# search_done: polls a search until it answers data (a search before the index is built waits
# up to 5 s, then answers NOT_READY), then writes the time it answered to $work/search-done.
search_done() {
  local answer deadline=$(($(now_ms) + 120000))
  while (($(now_ms) < deadline)); do
    answer=$(curl -s http://127.0.0.1:18080/graphql -H 'content-type: application/json' \
      -d '{"query":"{ search(query: \"kubernetes latency\", first: 1) { totalCount } }"}')
    if grep -q '"totalCount"' <<<"$answer"; then
      now_ms >"$work/search-done"
      return 0
    fi
    grep -q NOT_READY <<<"$answer" || { echo "search answered: $answer" >&2; return 1; }
  done
  echo "search answered NOT_READY for 120 s" >&2
  return 1
}

urlencode() { python3 -c 'import sys, urllib.parse as u; print(u.quote(sys.argv[1]))' "$1"; }

# load ROUNDS NAME,URL[,LUA]...: a 2 s warm-up of each, then ROUNDS measured wrk runs of each in
# turn, so that drift on a shared machine touches every load alike; records NAME_rps, the best
# run's requests/s, and NAME_p99_ms, that run's p99.
load() {
  local rounds=$1 spec name url script out rps
  shift
  declare -A best=() p99=()
  for ((round = 0; round <= rounds; round++)); do
    for spec in "$@"; do
      IFS=, read -r name url script <<<"$spec"
      local args=(-t2 -c"$connections" --latency)
      [[ -n $script ]] && args+=(-s "$script")
      if ((round == 0)); then wrk "${args[@]}" -d2s "$url" >/dev/null; continue; fi
      out=$(wrk "${args[@]}" -d"${duration}s" "$url")
      echo "$name, round $round: $(awk '/^Requests\/sec/ {print $2}' <<<"$out") requests/s" >&2
      if grep -q "Non-2xx" <<<"$out"; then echo "$name: the server answered errors: $out" >&2; exit 1; fi
      rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
      if [[ -z ${best[$name]:-} ]] || awk -v a="$rps" -v b="${best[$name]}" 'BEGIN {exit !(a > b)}'; then
        best[$name]=$rps
        p99[$name]=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} \
          else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000} print v}' <<<"$out")
      fi
    done
  done
  for spec in "$@"; do
    IFS=, read -r name url script <<<"$spec"
    record "${name}_rps" "${best[$name]}"
    record "${name}_p99_ms" "${p99[$name]}"
  done
}

# --- time to ready and memory ------------------------------------------------------------------
for n in $sizes; do
  say "time to ready and memory, $n posts"
  dir=$(blog "$n")
  record "markdown_mb_$n" "$(du -sm --apparent-size "$dir/content" | cut -f1)"
  best="" best_all="" best_search=""
  for round in 1 2 3; do
    start=$(now_ms)
    quire --repo "$dir" --root content
    took=$(($(now_ms) - start))
    rss=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
    # Search complete: the index is built after /readyz, beside the links; polled at the same
    # time as the backlinks query below, so that neither waits for the other.
    search_done &
    search_pid=$!
    # Everything ready: backlinks wait for every page's links, read after /readyz.
    answer=$(curl -sf http://127.0.0.1:18080/graphql -H 'content-type: application/json' \
      -d '{"query":"{ posts(first: 1) { nodes { backlinks { text } } } }"}')
    took_all=$(($(now_ms) - start))
    rss_all=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
    wait "$search_pid" || { echo "the search query failed" >&2; exit 1; }
    took_search=$(($(cat "$work/search-done") - start))
    # Links and the search index both built: what a server holds once every part is ready.
    rss_search=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
    stop "$pid"
    grep -q '"backlinks"' <<<"$answer" || { echo "the backlinks query failed: $answer" >&2; exit 1; }
    echo "round $round: ready in $took ms, $rss MiB resident; links in $took_all ms, $rss_all MiB;" \
      "search in $took_search ms, $rss_search MiB with both" >&2
    if [[ -z $best || $took -lt $best ]]; then best=$took best_rss=$rss; fi
    if [[ -z $best_all || $took_all -lt $best_all ]]; then best_all=$took_all best_rss_all=$rss_all; fi
    if [[ -z $best_search || $took_search -lt $best_search ]]; then
      best_search=$took_search best_rss_search=$rss_search
    fi
  done
  record "ready_ms_$n" "$best"
  record "rss_mb_$n" "$best_rss"
  record "ready_all_ms_$n" "$best_all"
  record "rss_all_mb_$n" "$best_rss_all"
  record "search_ready_ms_$n" "$best_search"
  record "rss_search_mb_$n" "$best_rss_search"
done

# --- HTTP --------------------------------------------------------------------------------------
n=10000
dir=$(blog "$n")
query='query Post($slug: String!) { post(slug: $slug) { title html footnotes { number html } } }'
variables='{"slug":"post-5000"}'
body=$(printf '{"query":"%s","variables":%s}' "$query" "$variables")
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[%s]]\n' \
  "$body" >"$work/post.lua"
get_url="http://127.0.0.1:18080/graphql?query=$(urlencode "$query")&variables=$(urlencode "$variables")"

say "HTTP: Quire, and bare-http (the ceiling: Quire's answer and nothing else), in turns"
quire --repo "$dir" --root content
quire_pid=$pid
curl -sf http://127.0.0.1:18080/graphql -H 'content-type: application/json' -d "$body" >"$work/answer.json"
grep -q '"title"' "$work/answer.json" || { echo "the benchmark query failed: $(cat "$work/answer.json")" >&2; exit 1; }
serve http://127.0.0.1:18081/graphql \
  "$bin/examples/bare-http" --body "$work/answer.json" --listen 127.0.0.1:18081
load "$http_rounds" "bare,http://127.0.0.1:18081/graphql,$work/post.lua" \
  "post,http://127.0.0.1:18080/graphql,$work/post.lua" "get,$get_url"
stop "$pid"
stop "$quire_pid"

say "HTTP: a 200 KB image from GET /files, and bare-http answering the same bytes, in turns"
files_repo="$work/files-repo"
if [[ ! -d $files_repo/.git ]]; then
  mkdir -p "$files_repo/content" "$files_repo/static/img"
  head -c 204800 /dev/urandom >"$files_repo/static/img/photo.png"
  printf -- '---\ntitle: Photo\n---\n![A photo](/img/photo.png)\n' >"$files_repo/content/photo.md"
  git -C "$files_repo" init -q
  git -C "$files_repo" add -A
  git -C "$files_repo" -c user.name=bench -c user.email=bench@localhost commit -qm photo
fi
files_commit=$(git -C "$files_repo" rev-parse HEAD)
quire --repo "$files_repo" --root content
quire_pid=$pid
files_url="http://127.0.0.1:18080/files/$files_commit/static/img/photo.png"
curl -sf "$files_url" -o "$work/photo.png" || { echo "GET /files failed" >&2; exit 1; }
cmp -s "$work/photo.png" "$files_repo/static/img/photo.png" || { echo "GET /files answered other bytes" >&2; exit 1; }
serve http://127.0.0.1:18081/graphql \
  "$bin/examples/bare-http" --body "$files_repo/static/img/photo.png" --listen 127.0.0.1:18081
load "$http_rounds" "files_bare,http://127.0.0.1:18081/graphql" "files,$files_url"
stop "$pid"
stop "$quire_pid"

say "HTTP: Quire without its response cache (every request executed)"
quire --repo "$dir" --root content --response-cache-mb 0
load 1 "uncached,http://127.0.0.1:18080/graphql,$work/post.lua"

# Listings and search (issue 16), executed every time (still --response-cache-mb 0), as GETs.
# Two words every generated body holds, so that the search ranks about every post: the worst
# case for a two-word query on this corpus. A filtered listing (one category of 30, one year
# of 10: about 33 posts) beside the whole listing, in turns.
search_query='{ search(query: "kubernetes latency") { totalCount edges { score snippet { html } node { title slug } } } }'
filtered_query='{ posts(filter: {category: "Category 7", year: 2020}, first: 10) { totalCount nodes { title slug date } } }'
unfiltered_query='{ posts(first: 10) { totalCount nodes { title slug date } } }'
search_url="http://127.0.0.1:18080/graphql?query=$(urlencode "$search_query")"
filtered_url="http://127.0.0.1:18080/graphql?query=$(urlencode "$filtered_query")"
unfiltered_url="http://127.0.0.1:18080/graphql?query=$(urlencode "$unfiltered_query")"
search_done || exit 1
for url in "$search_url" "$filtered_url" "$unfiltered_url"; do
  answer=$(curl -sf "$url") || { echo "GET $url failed" >&2; exit 1; }
  python3 -c 'import json, sys
a = json.load(sys.stdin)
d = a.get("data") or {}
c = (d.get("search") or d.get("posts") or {}).get("totalCount", 0)
sys.exit(0 if not a.get("errors") and c > 0 else f"no results: {a}")' <<<"$answer" || exit 1
  echo "$(head -c 160 <<<"$answer")..." >&2
done
say "HTTP: search, a two-word query, 16 connections, executed"
connections=16 load "$http_rounds" "search,$search_url"
record search_connections 16
say "HTTP: posts filtered by category and year, and the whole listing, in turns, executed"
load "$http_rounds" "posts_filtered,$filtered_url" "posts_all,$unfiltered_url"
stop "$pid"

say "HTTP: Node.js (graphql-http, gray-matter, marked)"
serve "http://127.0.0.1:18082/graphql?query=%7B__typename%7D" node bench/node/server.mjs "$dir/content" 18082
node_answer=$(curl -sf http://127.0.0.1:18082/graphql -H 'content-type: application/json' -d "$body")
grep -q '"title"' <<<"$node_answer" || { echo "the Node server failed the query: $node_answer" >&2; exit 1; }
load 1 "node,http://127.0.0.1:18082/graphql,$work/post.lua"
stop "$pid"

# --- rendering ---------------------------------------------------------------------------------
say "rendering, $n posts"
"$bin/examples/render-throughput" --repo "$dir" --root content | tee -a "$results" >&2
start=$(now_ms)
# gen-corpus writes 1,000 links to a hub post the blog lacks (the refresh series adds it), so
# check exits 1 for them; anything else it reports stops the benchmark.
"$bin/quire" check --render --repo "$dir" --root content >"$work/check.txt" || true
record check_render_ms $(($(now_ms) - start))
grep -v '/posts/hub/' "$work/check.txt" >&2
grep -q ' 0 problems, 1000 links to no page' "$work/check.txt" && grep -q ', 0 render problems' "$work/check.txt" ||
  { echo "quire check found more than the hub's missing links" >&2; exit 1; }
site="$work/hugo-site"
rm -rf "$site" "$work/hugo-out"
mkdir -p "$site/layouts/_default"
ln -s "$dir/content" "$site/content"
cat >"$site/config.toml" <<'EOF'
baseURL = "http://example.org/"
disableKinds = ["RSS", "sitemap", "taxonomy", "term"]
EOF
echo '{{ .Content }}' >"$site/layouts/_default/single.html"
echo '{{ range .Pages }}{{ .Title }}{{ end }}' >"$site/layouts/_default/list.html"
# The generated posts use a `note` shortcode of their own (Hugo has `figure` built in).
mkdir -p "$site/layouts/shortcodes"
echo '{{ .Inner | markdownify }}' >"$site/layouts/shortcodes/note.html"
hugo --quiet -s "$site" -d "$work/hugo-out" >/dev/null 2>&1 # warm the page cache
start=$(now_ms)
hugo --quiet -s "$site" -d "$work/hugo-out" >/dev/null
record hugo_ms $(($(now_ms) - start))
record hugo_pages "$(find "$work/hugo-out/posts" -name index.html | wc -l)"

# --- refresh -----------------------------------------------------------------------------------
say "refresh after a push, $n posts"
rounds=${ROUNDS:-7}
table=$(BLOG=$dir QUIRE_BENCH_PORT=18080 ROUNDS=$rounds scripts/measure-refresh.sh)
record refresh_rounds "$rounds"
echo "$table" >&2
# refresh_ROW_ms: webhook to commit served; refresh_ROW_links_ms: to backlinks answered on it;
# refresh_ROW_search_ms: to a search finding the edited post by the word only the edit has, and
# refresh_ROW_search_after_ms: from the commit served to that (each the median of its rounds).
column() { awk -F'|' -v row=" $1 " -v col="$2" '$2 == row {split($col, a, " "); print a[1]}' <<<"$table"; }
for row in 1 100 hub; do
  record "refresh_${row}_ms" "$(column "$row" 3)"
  record "refresh_${row}_links_ms" "$(column "$row" 4)"
done
for row in 1 100; do
  record "refresh_${row}_search_ms" "$(column "$row" 5)"
  record "refresh_${row}_search_after_ms" "$(column "$row" 6)"
done

# --- the report --------------------------------------------------------------------------------
{
  echo "cpu $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "cores $(nproc)"
  echo "memory $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "os $(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r)"
  echo "rustc $(rustc --version | cut -d' ' -f2)"
  echo "node $(node --version)"
  echo "hugo $(hugo version | cut -d' ' -f2)"
  echo "wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
  echo "date $(date -u +%Y-%m-%d)"
  echo "sizes $sizes"
  echo "duration $duration"
  echo "connections $connections"
  echo "http_rounds $http_rounds"
} >>"$results"
"$bin/examples/bench-report" --results "$results" --markdown BENCHMARKS.md --chart docs/bench.svg
say "wrote BENCHMARKS.md and docs/bench.svg"
