#!/usr/bin/env bash
# Validates sitemap files offline with sitemap-verify (PyPI `sitemap-verify`, tried with 0.1.1):
# the sitemaps.org 0.9 schema (its bundled sitemap.xsd), W3C Datetime `lastmod`, URL syntax
# (whitespace, scheme, length) and the 50,000-URL and 50 MB limits. Installs nothing; put it on
# the PATH first, e.g.
#
#   python3 -m venv /opt/sitemap-verify && /opt/sitemap-verify/bin/pip install sitemap-verify==0.1.1
#   PATH=/opt/sitemap-verify/bin:$PATH scripts/validate-sitemap.sh FILE...
#
# Fails on any error or warning (sitemap-verify itself exits 0 on warnings such as a `lastmod`
# that is not a W3C Datetime, or an empty urlset). URLs are not fetched. Only sitemaps: no
# packaged RSS, Atom or JSON Feed 1.1 validator works offline here (see src/http/feeds.rs).
set -euo pipefail
if [ $# -eq 0 ]; then
  echo "usage: $0 SITEMAP.xml..." >&2
  exit 2
fi
if ! command -v sitemap-verify >/dev/null; then
  echo "validate-sitemap: sitemap-verify is not on the PATH: pip install sitemap-verify==0.1.1" >&2
  exit 127
fi
status=0
for file in "$@"; do
  if ! report=$(sitemap-verify check --mode path --no-recursive --no-check-reachability \
      --no-show-progress "$file"); then
    status=1
  elif ! grep -qx 'warnings: 0' <<<"$report"; then
    status=1
  fi
  printf '%s\n' "$report"
done
exit "$status"
