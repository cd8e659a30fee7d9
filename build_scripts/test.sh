#!/usr/bin/env bash
# Run every check the project has: lint, types, the helper's tests, the extension's tests,
# the end-to-end tests (tests/e2e: Chromium and Firefox ESR with the real extension and
# helper against a local fake of Genspark; skipped with the reason when a browser is
# missing, except under CI=true where that fails). Needs no root: installing browsers is
# .ci/run's job. Usage: bash build_scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
bash build_scripts/venv.sh test
py=.venv/bin

echo "== ruff"
"$py/ruff" check native_host tests bench build_scripts
"$py/ruff" format --check native_host tests bench build_scripts
echo "== mypy"
"$py/mypy"
if command -v npm >/dev/null; then
  # puppeteer-core for the Firefox test; only when the lock file changed (.ci/run runs npm ci).
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "== npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
else
  echo "npm not found: the Firefox end-to-end test will be skipped" >&2
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
