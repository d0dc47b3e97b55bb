#!/usr/bin/env bash
# Compares two Quire binaries side by side, at the same moment, on the same blog: POST and GET of
# the benchmark query, loaded in turns with bare-http (the ceiling), ROUNDS times over. On a shared
# machine absolute figures drift from day to day; runs of two builds alternated within minutes are
# what show whether a change cost anything.
#
#   scripts/ab-http.sh OLD_QUIRE NEW_QUIRE BLOG     (BLOG: a gen-corpus blog, e.g. from bench.sh)
#   EXTRA="--response-cache-mb 0" ...              (the executed path: every request runs)
#   DURATION=5 ROUNDS=2 CONNECTIONS=64
set -euo pipefail
old=$1 new=$2 blog=$3
duration=${DURATION:-5} rounds=${ROUNDS:-2} connections=${CONNECTIONS:-64}
cd "$(dirname "$0")/.."
cargo build --release --quiet --example bare-http
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

query='query Post($slug: String!) { post(slug: $slug) { title html footnotes { number html } } }'
variables='{"slug":"post-5000"}'
body=$(printf '{"query":"%s","variables":%s}' "$query" "$variables")
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[%s]]\n' \
  "$body" >"$work/post.lua"
enc() { python3 -c 'import sys, urllib.parse as u; print(u.quote(sys.argv[1]))' "$1"; }
get="query=$(enc "$query")&variables=$(enc "$variables")"

serve() { # PORT BINARY
  # shellcheck disable=SC2086
  "$2" --repo "$blog" --root content --listen "127.0.0.1:$1" --poll-interval 0 ${EXTRA:-} 2>/dev/null &
  pids+=($!)
  until curl -sf -o /dev/null "http://127.0.0.1:$1/readyz"; do sleep 0.05; done
}
serve 18191 "$old"
serve 18192 "$new"
curl -sf http://127.0.0.1:18192/graphql -H 'content-type: application/json' -d "$body" >"$work/answer.json"
target/release/examples/bare-http --body "$work/answer.json" --listen 127.0.0.1:18193 2>/dev/null &
pids+=($!)
until curl -sf -o /dev/null -X POST http://127.0.0.1:18193/graphql; do sleep 0.05; done

rps() { awk '/^Requests\/sec/ {print $2}'; }
for port in 18191 18192 18193; do
  wrk -t2 -c"$connections" -d2s -s "$work/post.lua" "http://127.0.0.1:$port/graphql" >/dev/null
done
for ((round = 1; round <= rounds; round++)); do
  for port in 18193 18191 18192; do
    name=$([[ $port == 18191 ]] && echo old || { [[ $port == 18192 ]] && echo new || echo bare-http; })
    post=$(wrk -t2 -c"$connections" -d"${duration}s" -s "$work/post.lua" "http://127.0.0.1:$port/graphql" | rps)
    line="round $round, $name: POST $post requests/s"
    if [[ $port != 18193 ]]; then
      line+=", GET $(wrk -t2 -c"$connections" -d"${duration}s" "http://127.0.0.1:$port/graphql?$get" | rps) requests/s"
    fi
    echo "$line"
  done
done
