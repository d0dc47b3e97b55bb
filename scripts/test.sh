#!/usr/bin/env bash
# The test command. Installs what the frontend tests need (scripts/setup-clients.sh: Node.js,
# the pinned npm packages, Chromium), then runs every test with cargo. Arguments go to cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-clients.sh
exec cargo test "$@"
