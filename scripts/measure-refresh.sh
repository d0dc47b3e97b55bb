#!/usr/bin/env bash
# Measures push-to-served latency on a generated blog: builds release, generates POSTS posts (or
# takes the blog in $BLOG), clones it into a bare origin and an author's copy, serves the origin
# with Quire (by file:// URL, as a remote), then pushes edits of 1 and 100 posts from the copy,
# and the hub post gen-corpus's posts link to, and times each from webhook to commit served, to
# backlinks answered on it, and to a search on it finding the edit (1 and 100 posts). Prints the
# table of examples/refresh-latency.rs.
#
#   scripts/measure-refresh.sh [POSTS]      (default 10000; work files under $TMPDIR)
#   BLOG=/tmp/blog scripts/measure-refresh.sh   (an existing gen-corpus blog, left unchanged)
#   ROUNDS=7 HUB_ROUNDS=7                   pushes per series (HUB_ROUNDS=0: no hub series)
#   NO_BUILD=1                              the release binaries are built already
set -euo pipefail

posts=${1:-10000}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill "${quire_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
port=${QUIRE_BENCH_PORT:-18080}
secret=measure-refresh

if [[ -z ${NO_BUILD:-} ]]; then
  cargo build --release --quiet --bin quire --example gen-corpus --example refresh-latency
fi
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
ready=$(curl -s "http://127.0.0.1:$port/readyz")
python3 -c 'import json,sys; r=json.load(sys.stdin); print("loaded", r["revision"]["postCount"], "posts in", round(r["lastRefresh"]["durationMs"]), "ms (clone included)")' <<<"$ready" >&2
# gen-corpus links 1,000 posts to the hub, or every post of a smaller blog.
count=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["revision"]["postCount"])' <<<"$ready")
hub_backlinks=$((count < 1000 ? count : 1000))

"$target/examples/refresh-latency" --repo "$work/author" --origin "file://$work/origin.git" \
  --quire "http://127.0.0.1:$port" --secret "$secret" --changes 1,100 --rounds "${ROUNDS:-7}" \
  --hub-rounds "${HUB_ROUNDS:-${ROUNDS:-7}}" --hub-backlinks "$hub_backlinks"
