#!/usr/bin/env bash
# Freeze one Python entry script into a standalone folder with PyInstaller, with the
# options every frozen program of the project shares (the helper, and the benchmark's
# minimal host, so their cold starts compare like with like):
#   onedir   onefile unpacks itself on every launch and starts several times slower;
#   console  the helper speaks over stdin/stdout, and the CLI prints (a windowed build
#            has no standard streams on Windows);
#   noarchive  modules as .pyc files in the folder, imported by Python's own path finder,
#            not unpacked from PyInstaller's compressed archive by its Python-level
#            importer: about a tenth off the helper's cold start (bench/frozen.py);
#   strip    (not on Windows, where PyInstaller advises against it) the libraries' symbol
#            tables and debug info out: the folder shrinks from about 76 to 49 MB;
#   .venv-build  a virtual environment of the runtime dependencies and PyInstaller only:
#            PyInstaller's hooks bundle what is installed (pydantic's pulls in mypy and
#            hypothesis from the test environment), so the dev tools stay out.
# Usage: bash build_scripts/freeze.sh NAME ENTRY OUTPUT_DIR [PYINSTALLER_ARGS...]
#        → OUTPUT_DIR/NAME/NAME (NAME.exe on Windows)
set -euo pipefail
cd "$(dirname "$0")/.."
name="$1" entry="$2"
out="$(mkdir -p "$3" && cd "$3" && pwd)"
shift 3
CREDIT_GUARD_VENV=.venv-build bash build_scripts/venv.sh build
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
strip=(--strip)
case "$(uname -s)" in MINGW* | MSYS* | CYGWIN*) strip=() ;; esac
# PYTHONHASHSEED: the same input gives the same bundle.
PYTHONHASHSEED=1 .venv-build/bin/pyinstaller --noconfirm --clean --onedir --console \
  --debug noarchive "${strip[@]}" --log-level WARN --name "$name" \
  --distpath "$out" --workpath "$work" --specpath "$work" "$@" "$entry"
