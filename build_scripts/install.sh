#!/usr/bin/env bash
# Install Credit Guard's helper for this user, register it with every browser found,
# check the chain, show the terminal demo, and say how to see the extension at work in a
# browser (not run here: it opens a window, or needs Playwright on a headless machine).
# Usage: bash build_scripts/install.sh [credit-guard install options, e.g. --browser chrome]
set -euo pipefail
cd "$(dirname "$0")/.."
bash build_scripts/venv.sh
.venv/bin/credit-guard install "$@"
echo
.venv/bin/credit-guard doctor || echo "(doctor found something to fix: see above)"
echo
.venv/bin/credit-guard demo
echo
echo "To see the extension itself do this in a browser (a local fake Genspark, a throw-away"
echo "profile and data folder; no account needed):"
echo "  bash build_scripts/demo_browser.sh        (--lang ja for Japanese)"
echo "With a display it opens Chromium for you to click; without one it runs headless and"
echo "saves screenshots to demo-output/. Its first run installs the test extras (Playwright)"
echo "into .venv."
