#!/usr/bin/env bash
# The test command. Installs what the tests run besides Quire (scripts/setup-tests.sh: Node.js,
# the pinned npm packages, Chromium, Hugo), then runs every test with cargo. Arguments go to
# cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-tests.sh
exec cargo test "$@"
