#!/usr/bin/env bash
# Build the helper as a standalone folder with PyInstaller (onedir: onefile unpacks itself
# on every launch and starts several times slower).
# Usage: bash build_scripts/build_host.sh [OUTPUT_DIR]   (default: dist) → OUTPUT_DIR/credit-guard/
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mkdir -p "${1:-dist}" && cd "${1:-dist}" && pwd)"
bash build_scripts/venv.sh test
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# --paths: the package from this tree (PyInstaller cannot follow an editable install);
# --collect-submodules: handlers and commands are imported by name, out of its sight.
.venv/bin/pyinstaller --noconfirm --clean --onedir --log-level WARN --name credit-guard \
  --paths . --collect-submodules native_host --collect-data native_host \
  --distpath "$out" --workpath "$work" --specpath "$work" \
  build_scripts/pyinstaller_entry.py
echo "built $out/credit-guard/credit-guard (the host when a browser starts it; the CLI with a command)"
