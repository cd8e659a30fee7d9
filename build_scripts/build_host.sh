#!/usr/bin/env bash
# Build the helper as a standalone folder with PyInstaller (onedir: onefile unpacks itself
# on every launch and starts several times slower). Output: dist/credit-guard/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash build_scripts/venv.sh build
.venv/bin/pyinstaller --noconfirm --clean --onedir --name credit-guard \
  --collect-data native_host build_scripts/pyinstaller_entry.py
echo "built dist/credit-guard/credit-guard (the host when started by a browser; the CLI with a command)"
