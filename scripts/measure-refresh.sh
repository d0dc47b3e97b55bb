#!/usr/bin/env bash
# Measures push-to-served latency on a generated blog: builds release, generates POSTS posts (or
# takes the blog in $BLOG), clones it into a bare origin and an author's copy, serves the origin
# with Quire (by file:// URL, as a remote), then pushes edits of 1 and 100 posts from the copy and
# times each from webhook to commit served. Prints the table of examples/refresh-latency.rs.
#
#   scripts/measure-refresh.sh [POSTS]      (default 10000; work files under $TMPDIR)
#   BLOG=/tmp/blog scripts/measure-refresh.sh   (an existing gen-corpus blog, left unchanged)
set -euo pipefail

posts=${1:-10000}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill "${quire_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
port=${QUIRE_BENCH_PORT:-18080}
secret=measure-refresh

cargo build --release --quiet --bin quire --example gen-corpus --example refresh-latency
target=${CARGO_TARGET_DIR:-target}/release

blog=${BLOG:-$work/blog}
if [[ -z ${BLOG:-} ]]; then
  "$target/examples/gen-corpus" --posts "$posts" --out "$blog" >&2
fi
# The pushes are made from a copy, so a blog given in $BLOG stays as it was.
git clone --quiet --bare "$blog" "$work/origin.git"
git clone --quiet --no-checkout "$work/origin.git" "$work/author"

QUIRE_LOG=${RUST_LOG:-warn}
RUST_LOG=$QUIRE_LOG "$target/quire" --repo "file://$work/origin.git" --root content \
  --data-dir "$work/data" --webhook-secret "$secret" --poll-interval 0 \
  --listen "127.0.0.1:$port" &
quire_pid=$!
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.05; done
curl -s "http://127.0.0.1:$port/readyz" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("loaded", r["revision"]["postCount"], "posts in", round(r["lastRefresh"]["durationMs"]), "ms (clone included)")' >&2

"$target/examples/refresh-latency" --repo "$work/author" --origin "file://$work/origin.git" \
  --quire "http://127.0.0.1:$port" --secret "$secret" --changes 1,100 --rounds "${ROUNDS:-7}"
