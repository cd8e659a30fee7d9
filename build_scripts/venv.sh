#!/usr/bin/env bash
# Create (or update) the project's virtual environment: .venv, or $CREDIT_GUARD_VENV when set
# (an existing environment to reuse, e.g. the tests' own; created there when missing).
# Usage: bash build_scripts/venv.sh [extras]   e.g. "test", "demo" or "test,build"
# Up to date when a stamp newer than pyproject.toml lists every extra asked for.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python="${PYTHON:-python3}"
venv="${CREDIT_GUARD_VENV:-.venv}"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
up_to_date() {
  local stamp have wanted
  for stamp in "$venv"/.installed-*; do
    if [ ! -f "$stamp" ] || [ ! "$stamp" -nt pyproject.toml ]; then continue; fi
    have=",${stamp##*/.installed-},"
    for wanted in ${extras//,/ }; do
      [[ "$have" == *",$wanted,"* ]] || continue 2
    done
    return 0
  done
  return 1
}
if ! up_to_date; then
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  spec="."
  [ -n "$extras" ] && spec=".[${extras}]"
  "$venv/bin/python" -m pip install --quiet -e "$spec"
  touch "$venv/.installed-${extras:-runtime}"
fi
