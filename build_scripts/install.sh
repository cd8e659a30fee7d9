#!/usr/bin/env bash
# Install Credit Guard's helper for this user, register it with every browser found,
# check the chain, and show the demo.
# Usage: bash build_scripts/install.sh [credit-guard install options, e.g. --browser chrome]
set -euo pipefail
cd "$(dirname "$0")/.."
bash build_scripts/venv.sh
.venv/bin/credit-guard install "$@"
echo
.venv/bin/credit-guard doctor || echo "(doctor found something to fix: see above)"
echo
.venv/bin/credit-guard demo
