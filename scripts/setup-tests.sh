#!/usr/bin/env bash
# Installs the programs the tests run besides Quire, on a fresh Debian machine (12 or newer):
#   - for tests/frontend.rs and tests/nextjs_blog.rs: Node.js 20.9+ and npm (Debian's packages,
#     when `node` is missing), the npm packages pinned by clients/package-lock.json and
#     examples/nextjs-blog/package-lock.json (npm ci; skipped when a lockfile is unchanged), and
#     Chromium (Debian's `chromium` package, when /usr/bin/chromium is missing and $CHROMIUM
#     names no other browser);
#   - for tests/hugo_urls.rs: Hugo (Debian's `hugo` package, 0.111.3 on Debian 12, when
#     /usr/bin/hugo is missing and $HUGO names no other binary);
#   - for tests/listings.rs: the sitemap validator `sitemap-verify` 0.1.1 from PyPI, in a
#     virtual environment at target/tools/sitemap-verify (Debian's python3-venv when Python
#     has no `venv`).
# Packages are installed as root, or with sudo when it needs no password. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../clients"

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo "$@"
  else
    echo "setup-tests: need root to run: $*" >&2
    echo "setup-tests: install it yourself, or run this script as root" >&2
    exit 1
  fi
}

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "setup-tests: installing Node.js and npm (Debian packages)"
  apt_install nodejs npm
fi
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a == 20 && b >= 9) ? 0 : 1)'; then
  echo "setup-tests: Node.js $(node --version) is too old: Next.js 16 needs 20.9 or newer" >&2
  exit 1
fi

# npm ci wipes node_modules, so run it only when the lockfile changed since the last install.
npm_ci() {
  local stamp="$1/node_modules/.quire-installed-lock"
  if ! cmp -s "$1/package-lock.json" "$stamp" 2>/dev/null; then
    echo "setup-tests: npm ci ($1/package-lock.json)"
    (cd "$1" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$1/package-lock.json" "$stamp"
  fi
}
npm_ci .
npm_ci ../examples/nextjs-blog

if [ -z "${CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "setup-tests: installing Chromium (Debian package)"
  apt_install chromium
fi
browser=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$browser" ]; then
  echo "setup-tests: no browser at $browser: set CHROMIUM to a Chromium binary" >&2
  exit 1
fi

if [ -z "${HUGO:-}" ] && [ ! -x /usr/bin/hugo ]; then
  echo "setup-tests: installing Hugo (Debian package)"
  apt_install hugo
fi
hugo=${HUGO:-/usr/bin/hugo}
if [ ! -x "$hugo" ]; then
  echo "setup-tests: no Hugo at $hugo: set HUGO to a Hugo binary" >&2
  exit 1
fi
tools=../target/tools
if [ ! -x "$tools/sitemap-verify/bin/sitemap-verify" ]; then
  echo "setup-tests: installing sitemap-verify 0.1.1 (PyPI) in target/tools/sitemap-verify"
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    apt_install python3-venv
  fi
  rm -rf "$tools/sitemap-verify"
  mkdir -p "$tools"
  python3 -m venv "$tools/sitemap-verify"
  "$tools/sitemap-verify/bin/pip" install --quiet --disable-pip-version-check sitemap-verify==0.1.1
fi

echo "setup-tests: node $(node --version), $("$browser" --version 2>/dev/null | head -1)," \
  "$("$hugo" version | cut -d' ' -f1-2)"
