#!/usr/bin/env bash
# Watch the extension do its main job in a browser, no Genspark account needed: Chromium
# with the unpacked extension and the real helper against a local fake of genspark.ai, on
# a throw-away profile and data folder. With a display the browser stays open for you to
# click; without one (or with --headless) it clicks through and saves screenshots.
# Usage: bash build_scripts/demo_browser.sh [--lang ja] [--headless] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! .venv/bin/python -c "import native_host, playwright, pytest" 2>/dev/null; then
  # Playwright (and pytest, which the reused e2e harness imports) are test extras.
  echo "Installing the test extras (Playwright) into .venv; the system Chromium is used." >&2
  bash build_scripts/venv.sh test
fi
exec .venv/bin/python build_scripts/demo_browser.py "$@"
