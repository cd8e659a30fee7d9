#!/usr/bin/env bash
# Run every check the project has: lint, types, shellcheck (and the PowerShell parser
# where pwsh is), the helper's tests, the extension's tests,
# the extension's lint, the frozen helper (built, then the black-box tests against it),
# the end-to-end tests (tests/e2e: Chromium and Firefox ESR with the real extension and
# helper against a local fake of Genspark; skipped with the reason when a browser is
# missing, except under CI=true where that fails), web-ext lint of the Firefox package.
# Needs no root: installing browsers is .ci/run's job.
# Usage: bash build_scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
bash build_scripts/venv.sh test
py=.venv/bin

echo "== ruff"
"$py/ruff" check native_host tests bench build_scripts devkit
"$py/ruff" format --check native_host tests bench build_scripts devkit
echo "== mypy"
"$py/mypy"
# The shell scripts, the release's install scripts among them (.ci/run installs shellcheck).
if command -v shellcheck >/dev/null; then
  echo "== shellcheck"
  shellcheck build_scripts/*.sh build_scripts/release/*.sh .ci/run
elif [ "${CI:-}" = true ]; then
  echo "shellcheck not found (.ci/run installs it): the shell scripts cannot be linted" >&2
  exit 1
else
  echo "shellcheck not found: the shell scripts are not linted (apt-get install shellcheck)" >&2
fi
# The release's PowerShell scripts, parsed (not run) by PowerShell itself where pwsh is,
# which Debian does not package; tests/test_release.py parses them on any machine with
# tree-sitter's PowerShell grammar and checks their paths and calls.
if command -v pwsh >/dev/null; then
  echo "== PowerShell parser"
  pwsh -NoProfile -NonInteractive -File build_scripts/parse_powershell.ps1 \
    build_scripts/*.ps1 build_scripts/release/*.ps1
else
  echo "pwsh not found: PowerShell's own parser is skipped (Debian has no pwsh package;" \
    "tests/test_release.py parses the scripts with tree-sitter's grammar)" >&2
fi
if command -v npm >/dev/null; then
  # puppeteer-core for the Firefox test, web-ext for its lint; only when the lock file
  # changed (.ci/run runs npm ci).
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "== npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
else
  echo "npm not found: the Firefox end-to-end test will be skipped" >&2
fi
if [ -z "${CREDIT_GUARD_FROZEN_HELPER:-}" ]; then
  # The frozen helper, built once: the main suite checks it (tests/test_build_host.py, the
  # frozen benchmark's shape) and test_frozen.sh runs the black-box tests against it.
  echo "== the frozen helper"
  bash build_scripts/build_host.sh dist
  export CREDIT_GUARD_FROZEN_HELPER="$PWD/dist/credit-guard/credit-guard"
fi
echo "== pytest"
set +e
"$py/pytest" "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests" >&2
  status=1
fi
[ "$status" -eq 0 ] || exit "$status"
if compgen -G "tests/extension/*.test.js" >/dev/null; then
  echo "== node --test"
  node --test tests/extension/
fi
# The Firefox package as built (what Firefox and addons.mozilla.org read), warnings
# included: it is to stay signable. npm ci installs web-ext; CI must not skip this.
if [ -x node_modules/.bin/web-ext ]; then
  echo "== web-ext lint"
  packages=$(mktemp -d)
  trap 'rm -rf "$packages"' EXIT
  "$py/python" build_scripts/build_extension.py --out "$packages" >/dev/null
  node_modules/.bin/web-ext lint --source-dir "$packages/firefox" --warnings-as-errors \
    --no-config-discovery --boring
elif [ "${CI:-}" = true ]; then
  echo "web-ext not found (npm ci installs it): the Firefox package cannot be linted" >&2
  exit 1
else
  echo "web-ext not found: the Firefox package is not linted (run npm ci)" >&2
fi
bash build_scripts/test_frozen.sh
