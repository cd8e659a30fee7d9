"""Assemble what a user downloads for one OS: the frozen helper, its installer, the
extension's packages and how to install them, in one folder.

Writes OUT/credit-guard-<version>-<os>/:
  credit-guard/                 the frozen helper (build_host.sh's onedir folder), with
    extension/                  the extension's packages (build_extension.py): chromium/
                                to "Load unpacked", the zips and the Firefox xpi
  install.sh, uninstall.sh      Linux and macOS   (build_scripts/release/)
  install.ps1, uninstall.ps1    Windows
  README-install.txt, README-install.ja.txt
and the same folder as one file to download: OUT/credit-guard-<version>-<os>.tar.gz
(Linux, macOS: it keeps the programs' modes) or .zip (Windows, whose Explorer opens it).
The install script copies credit-guard/ to the user's app folder, so the extension's
packages stay beside the program the browsers start, where `credit-guard install` names
them. The scripts only copy and call: where manifests and registry keys go is the
program's own business (native_host/installer).

Usage: .venv/bin/python build_scripts/package_release.py [--helper DIR] [--os OS] [--out DIR]
(--helper: the onedir folder, default dist/credit-guard; --os: linux, macos or windows,
default this one: build the helper on each OS for that OS.)
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tomllib
from pathlib import Path
from typing import Final

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build_extension  # noqa: E402  (beside this file: sys.path[0] when run as a script)

from native_host import __version__  # noqa: E402

RELEASE_FILES = ROOT / "build_scripts" / "release"
SCRIPTS: Final = {
    "linux": ("install.sh", "uninstall.sh"),
    "macos": ("install.sh", "uninstall.sh"),
    "windows": ("install.ps1", "uninstall.ps1"),
}
OS_NAMES: Final = {"linux": "Linux", "macos": "macOS", "windows": "Windows"}
READMES: Final = ("README-install.txt", "README-install.ja.txt")


def guide_address() -> str:
    """The user guide's folder on the project's page (pyproject.toml's Documentation
    address names its index), for the README-install texts to link to."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    index: str = project["urls"]["Documentation"]
    return index.rsplit("/", 1)[0]


def this_os() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    return "macos" if sys.platform == "darwin" else "linux"


def package(helper: Path, out: Path, os_name: str) -> Path:
    """Assemble the release folder for `os_name` from the onedir folder `helper`."""
    program = helper / ("credit-guard.exe" if os_name == "windows" else "credit-guard")
    if not program.is_file():
        raise FileNotFoundError(f"{program} not found: build it with build_scripts/build_host.sh")
    release = out / f"credit-guard-{__version__}-{os_name}"
    if release.exists():
        shutil.rmtree(release)
    shutil.copytree(helper, release / "credit-guard", symlinks=True)
    build_extension.build(release / "credit-guard" / "extension")
    for script in SCRIPTS[os_name]:
        shutil.copy2(RELEASE_FILES / script, release / script)
        if script.endswith(".sh"):
            (release / script).chmod(0o755)
    for readme in READMES:
        template = (RELEASE_FILES / readme).read_text(encoding="utf-8")
        text = template.format(
            version=__version__, os_name=OS_NAMES[os_name], guide=guide_address()
        )
        newline = "\r\n" if os_name == "windows" else "\n"  # Notepad's own
        (release / readme).write_text(text, encoding="utf-8", newline=newline)
    return release


def archive(release: Path, os_name: str) -> Path:
    """The release folder as one file, the folder itself at its root."""
    kind = "zip" if os_name == "windows" else "gztar"
    made = shutil.make_archive(str(release), kind, release.parent, release.name)
    return Path(made)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--helper", type=Path, default=ROOT / "dist" / "credit-guard")
    parser.add_argument("--os", choices=sorted(SCRIPTS), default=this_os())
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    try:
        release = package(args.helper, args.out, args.os)
    except FileNotFoundError as error:
        print(f"package_release: {error}", file=sys.stderr)
        return 1
    print(release)
    print(archive(release, args.os))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
