#!/usr/bin/env bash
# Installs what tests/frontend.rs needs, on a fresh Debian machine (12 or newer):
#   - Node.js 18+ and npm (Debian's packages, when `node` is missing);
#   - the npm packages pinned by clients/package-lock.json (npm ci; skipped when unchanged);
#   - Chromium (Debian's `chromium` package, when /usr/bin/chromium is missing and $CHROMIUM
#     names no other browser).
# Packages are installed as root, or with sudo when it needs no password. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../clients"

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo "$@"
  else
    echo "setup-clients: need root to run: $*" >&2
    echo "setup-clients: install it yourself, or run this script as root" >&2
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
  echo "setup-clients: installing Node.js and npm (Debian packages)"
  apt_install nodejs npm
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
  echo "setup-clients: Node.js $(node --version) is too old: the clients need 18 or newer" >&2
  exit 1
fi

# npm ci wipes node_modules, so run it only when the lockfile changed since the last install.
stamp=node_modules/.quire-installed-lock
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  echo "setup-clients: npm ci (clients/package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

if [ -z "${CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "setup-clients: installing Chromium (Debian package)"
  apt_install chromium
fi
browser=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$browser" ]; then
  echo "setup-clients: no browser at $browser: set CHROMIUM to a Chromium binary" >&2
  exit 1
fi
echo "setup-clients: node $(node --version), $("$browser" --version 2>/dev/null | head -1)"
