#!/usr/bin/env bash
# Watch the extension do its main job in a browser, no Genspark account needed: Chromium
# with the unpacked extension and the real helper against a local fake of genspark.ai, on
# a throw-away profile and data folder. It clicks through and saves screenshots; with
# --headed the browser stays open for you to click. A thin wrapper: it makes sure
# Playwright is in the environment, then runs `credit-guard demo --browser`.
# Usage: bash build_scripts/demo_browser.sh [--lang ja] [--headed] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${CREDIT_GUARD_VENV:-.venv}"
if ! "$venv/bin/python" -c "import native_host, playwright" 2>/dev/null; then
  # Only Playwright (the "demo" extra); the system Chromium is used, no browser download.
  echo "Installing Playwright into $venv (once); the system Chromium is used." >&2
  log="$venv/demo-install.log"
  mkdir -p "$venv"
  if ! bash build_scripts/venv.sh demo >"$log" 2>&1; then
    echo "Could not install Playwright; pip's output is in $log" >&2
    exit 1
  fi
fi
exec "$venv/bin/python" -m native_host.cli demo --browser "$@"
