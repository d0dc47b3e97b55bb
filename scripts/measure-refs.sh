#!/usr/bin/env bash
# Measures at(ref:) on a generated blog (issue 17's budgets): clones the blog, makes 8 branches
# b1..b8 that each edit 10 posts of main, serves main, and times the first at(ref: "bN") answer
# of each (its snapshot is built beside the served one), a repeat of at(ref: "b1") against the
# same query on the served branch (medians of 21), and resident memory before and after the 8
# snapshots are cached. The response cache is off on both sides.
#
#   BLOG=/tmp/blog scripts/measure-refs.sh     (a gen-corpus blog with its posts under content/)
#   scripts/measure-refs.sh [POSTS]            (generates one; default 10000)
#   NO_BUILD=1                                 the release binaries are built already
set -euo pipefail

posts=${1:-10000}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill "${quire_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
port=${QUIRE_BENCH_PORT:-18082}
token=measure-refs-preview-token

if [ -z "${NO_BUILD:-}" ]; then
  cargo build --release --quiet --bin quire --example gen-corpus
fi
if [ -z "${BLOG:-}" ]; then
  target/release/examples/gen-corpus --posts "$posts" --out "$work/generated" >/dev/null
  BLOG=$work/generated
fi
git clone -q "$BLOG" "$work/blog"
cd "$work/blog"
git config user.email measure@example.com
git config user.name measure
for i in 1 2 3 4 5 6 7 8; do
  git checkout -q -b "b$i" main
  find content -name '*.md' | sort | awk -v i="$i" 'NR % 997 == i * 3' | head -10 |
    while read -r file; do echo "Edit $i." >> "$file"; done
  git commit -qam "Edit 10 posts on b$i"
done
git checkout -q main
cd - >/dev/null

target/release/quire --repo "$work/blog" --branch main --root content \
  --listen "127.0.0.1:$port" --response-cache-mb 0 --poll-interval 0 \
  --preview-token "$token" > "$work/quire.log" 2>&1 &
quire_pid=$!
url=http://127.0.0.1:$port/graphql
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.02; done
until curl -s -G "$url" --data-urlencode 'query={search(query:"a",first:1){totalCount}}' |
  grep -q totalCount; do sleep 0.05; done
sleep 2
rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$quire_pid/status"; }
ask() {
  curl -s -o "$work/answer.json" -w '%{time_total}\n' -H "authorization: Bearer $token" \
    -H 'content-type: application/json' "$url" -d "$1"
}
served='{"query":"{ posts(first: 10) { nodes { title url } } }"}'
at() { printf '{"query":"{ at(ref: \\"%s\\") { posts(first: 10) { nodes { title url } } } }"}' "$1"; }
ms() { awk '{printf "%.1f ms\n", $1 * 1000}'; }
median() { sort -n | awk '{a[NR] = $1} END {printf "%.2f ms\n", a[int((NR + 1) / 2)] * 1000}'; }

before=$(rss)
echo "resident memory, one snapshot: $before MiB"
echo "first at(b1): $(ask "$(at b1)" | ms)"
grep -q '"at"' "$work/answer.json" || { cat "$work/answer.json"; exit 1; }
echo "repeat at(b1), median of 21: $(for _ in $(seq 21); do ask "$(at b1)"; done | median)"
echo "served branch, median of 21: $(for _ in $(seq 21); do ask "$served"; done | median)"
for i in 2 3 4 5 6 7 8; do echo "first at(b$i): $(ask "$(at "b$i")" | ms)"; done
sleep 2
after=$(rss)
echo "resident memory with 8 snapshots cached: $after MiB (+$(( (after - before) * 100 / before ))%)"
grep -o 'snapshot of another commit built in [0-9.]* ms' "$work/quire.log" | sed 's/^/  /'
