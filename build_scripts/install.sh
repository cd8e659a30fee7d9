#!/usr/bin/env bash
# The README's first command: install Credit Guard's helper for this user, make the
# `credit-guard` command, show the terminal demo, register the helper with every browser
# found (none yet is fine) and say how to load the extension. See build_scripts/install.py.
# Usage: bash build_scripts/install.sh [credit-guard install options, e.g. --browser chrome]
# Environment: PYTHON (default python3); CREDIT_GUARD_VENV, an environment to use instead
# of .venv (created when missing; one that is up to date is used as it is).
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null; then
  echo "Credit Guard needs Python 3.11 or newer ($python was not found): install it, then run this again." >&2
  echo "Credit Guard には Python 3.11 以上が必要です（$python が見つかりません）。インストールしてから、もう一度実行してください。" >&2
  exit 1
fi
exec "$python" build_scripts/install.py "$@"
