"""Compares Quire's word counts (examples/word-counts output, one TSV per set) with Hugo's
.WordCount (run.sh output): totals, and pages within 5%, for CJK and other pages apart."""
import json
import sys

out = sys.argv[1]
for name, prefix in [("sample", "content-repo/"), ("hugodocs", "hugodocs/content/"),
                     ("linkerd", "linkerd/linkerd.io/content/"), ("otel", "otel/content/")]:
    ours = {}
    for line in open(f"{out}/{name}.quire.tsv"):
        path, words = line.rstrip("\n").split("\t")[:2]
        ours[path[len(prefix):]] = int(words)
    hugo = json.load(open(f"{out}/{name}.json"))
    for cjk in (False, True):
        pairs = [(h["wordCount"], ours[h["path"]]) for h in hugo
                 if h["path"] in ours and bool(h.get("isCJKLanguage")) == cjk]
        if not pairs:
            continue
        hw, qw = sum(a for a, _ in pairs), sum(b for _, b in pairs)
        close = sum(1 for a, b in pairs if a == b or (a and abs(a - b) / a <= 0.05))
        kind = "CJK pages" if cjk else "pages"
        print(f"{name}: {len(pairs)} {kind}, Hugo {hw} words, Quire {qw} "
              f"({100 * (qw - hw) / max(hw, 1):+.1f}%), {close} pages within 5%")
