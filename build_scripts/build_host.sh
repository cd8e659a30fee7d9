#!/usr/bin/env bash
# Build the helper as a standalone folder (no Python needed on the user's machine): one
# binary that is the host when a browser starts it and the CLI when given a command.
# Options shared with every frozen build (onedir, console, the build venv): freeze.sh.
# Usage: bash build_scripts/build_host.sh [OUTPUT_DIR]   (default: dist) → OUTPUT_DIR/credit-guard/
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist}"
# --paths: the package from this tree (PyInstaller cannot follow an editable install);
# --collect-submodules native_host: handlers and commands are imported by name, out of
#   PyInstaller's sight (so are sync's transports);
# keyring: PyInstaller's own hook adds keyring's backends (SecretService with
#   secretstorage and jeepney, KWallet, macOS, Windows) and the package metadata their
#   entry points are found by; --copy-metadata says so here too, so a hook that changes
#   cannot leave the frozen helper without a keyring (tests/test_build_host.py checks).
bash build_scripts/freeze.sh credit-guard build_scripts/pyinstaller_entry.py "$out" \
  --paths . --collect-submodules native_host --collect-data native_host \
  --collect-submodules keyring.backends --copy-metadata keyring
echo "built $out/credit-guard/credit-guard (the host when a browser starts it; the CLI with a command)"
