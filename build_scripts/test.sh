#!/usr/bin/env bash
# Run every check the project has: lint, types, the helper's tests, the extension's tests.
# Usage: bash build_scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
bash build_scripts/venv.sh test
py=.venv/bin

echo "== ruff"
"$py/ruff" check native_host tests bench build_scripts
"$py/ruff" format --check native_host tests bench build_scripts
echo "== mypy"
"$py/mypy"
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
