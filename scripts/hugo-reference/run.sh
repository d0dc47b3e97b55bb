#!/usr/bin/env bash
# Rebuild the Hugo 0.111.3 reference data for Quire issue 14 (items 1-3) from scratch.
#
#   ./run.sh                      # all sets: sample hugodocs linkerd otel probe
#   ./run.sh sample               # only some sets
#   SAMPLE_DIR=/path/to/content-repo ./run.sh sample
#
# Writes, per set NAME, in $OUT (default: /tmp/quire-hugo-reference):
#   NAME.json        one object per Markdown file (not _index.md) of the set, Hugo's values
#   NAME.plain.json  [{path, plain}]: Hugo's .Plain of each page, to diff word counts
#   NAME.nocjk.json  the same fields from a second build with hasCJKLanguage = false,
#                    only for the pages the first build marked isCJKLanguage (absent if none)
#   NAME.hugo.log    Hugo's output for the builds
#   site-NAME/       the throwaway Hugo site (config.toml, layouts/, data/files.json,
#                    shortcode-stubs.json)
#   summary.json     per-set totals
# Builds run one at a time. compare.sh then compares Quire's word counts with these.
set -euo pipefail

OUT=${OUT:-/tmp/quire-hugo-reference}
TOOLS="$(cd "$(dirname "$0")" && pwd)/tools"
mkdir -p "$OUT"
HUGO=${HUGO:-/usr/bin/hugo}
SAMPLE_DIR=${SAMPLE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/content-repo}
CORPORA=${CORPORA:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/corpora}
SETS=("$@")
[ ${#SETS[@]} -gt 0 ] || SETS=(sample hugodocs linkerd otel probe)

"$HUGO" version | grep -q 'v0.111.3' || echo "warning: expected hugo v0.111.3, got: $("$HUGO" version)" >&2

content_dir() { # NAME -> content dir of the unpacked set (fresh copy each run)
    local name=$1
    rm -rf "${OUT:?}/$name"
    mkdir -p "$OUT/$name"
    if [ "$name" = sample ]; then
        cp -a "$SAMPLE_DIR" "$OUT/sample/content"
        echo "$OUT/sample/content"
    elif [ "$name" = probe ]; then  # hand-written edge cases (tools/probe-content)
        cp -a "$TOOLS/probe-content" "$OUT/probe/content"
        echo "$OUT/probe/content"
    else
        tar -xzf "$CORPORA/$name.tar.gz" -C "$OUT/$name" --strip-components=1
        # same rule as corpora/make-repo.sh: the first folder named content
        (cd "$OUT/$name" && realpath "$(find . -mindepth 1 -maxdepth 3 -type d -name content | sort | head -n 1)")
    fi
}

for name in "${SETS[@]}"; do
    content=$(content_dir "$name")
    site="$OUT/site-$name"
    python3 "$TOOLS/gensite.py" "$content" "$site"
    log="$OUT/$name.hugo.log"
    echo "== hugo (hasCJKLanguage = true) for $name" | tee "$log"
    (cd "$site" && "$HUGO" --cleanDestinationDir --destination public 2>&1) | tee -a "$log"
    jq . "$site/public/index.json" > "$OUT/$name.json"
    jq . "$site/public/plain.json" > "$OUT/$name.plain.json"

    rm -f "$OUT/$name.nocjk.json"
    if jq -e 'any(.[]; .isCJKLanguage == true)' "$OUT/$name.json" > /dev/null; then
        printf 'hasCJKLanguage = false\n' > "$site/nocjk.toml"
        echo "== hugo (hasCJKLanguage = false) for $name" | tee -a "$log"
        (cd "$site" && "$HUGO" --config config.toml,nocjk.toml --cleanDestinationDir --destination public-nocjk 2>&1) | tee -a "$log"
        jq --slurpfile cjk "$OUT/$name.json" '
            ($cjk[0] | map(select(.isCJKLanguage == true) | .path)) as $paths
            | map(select(.path as $p | $paths | index($p)))' \
            "$site/public-nocjk/index.json" > "$OUT/$name.nocjk.json"
    fi
done

# per-set totals over all *.json present
for f in "$OUT"/*.json; do
    case $f in *.plain.json|*.nocjk.json|*/summary.json) continue ;; esac
    name=$(basename "$f" .json)
    jq --arg name "$name" '{
        set: $name,
        markdownFiles: length,
        hugoPages: map(select(.hugoPage)) | length,
        totalWordCount: map(.wordCount // 0) | add,
        totalReadingTime: map(.readingTime // 0) | add,
        cjkPages: map(select(.isCJKLanguage == true)) | length,
        zeroWordPages: map(select(.hugoPage and .wordCount == 0)) | length,
        truncated: map(select(.truncated == true)) | length,
        summarySource: (map(select(.hugoPage)) | group_by(.summarySource) | map({(.[0].summarySource): length}) | add),
        headingIds: map(.headingIds // [] | length) | add,
        pagesWithHeadingIds: map(select((.headingIds // []) | length > 0)) | length
    }' "$f"
done | jq -s . > "$OUT/summary.json"
cat "$OUT/summary.json"
