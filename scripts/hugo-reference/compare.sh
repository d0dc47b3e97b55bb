#!/usr/bin/env bash
# Compares Quire's `wordCount` with Hugo's `.WordCount` on the sample posts and the corpora in
# ../shared/corpora (manual runs only: the corpora exist in this workspace, not in CI).
#   scripts/hugo-reference/compare.sh     # runs run.sh first when its output is missing
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
OUT=${OUT:-/tmp/quire-hugo-reference}
CORPORA=${CORPORA:-$root/../shared/corpora}
[[ -f $OUT/otel.json ]] || OUT=$OUT CORPORA=$CORPORA "$here/run.sh" sample hugodocs linkerd otel >&2
cargo build --release --quiet --example word-counts --manifest-path "$root/Cargo.toml"
counts="$root/target/release/examples/word-counts"
repos="$OUT/repos"
mkdir -p "$repos"
if [[ ! -d $repos/sample/.git ]]; then
  mkdir -p "$repos/sample" && cp -a "$root/content-repo" "$repos/sample/"
  git -C "$repos/sample" init -q && git -C "$repos/sample" add -A
  git -C "$repos/sample" -c user.name=q -c user.email=q@localhost commit -qm sample
fi
"$counts" --repo "$repos/sample" --root content-repo >"$OUT/sample.quire.tsv"
for name in hugodocs linkerd otel; do
  [[ -d $repos/$name/.git ]] || bash "$CORPORA/make-repo.sh" "$name" "$repos/$name" >&2
  "$counts" --repo "$repos/$name" --root "$name" >"$OUT/$name.quire.tsv"
done
python3 "$here/compare.py" "$OUT"
