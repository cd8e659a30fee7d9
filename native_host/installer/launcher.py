"""The `credit-guard` launcher: a link in the user's bin folder to the venv's program.

As pipx does, the link goes in ~/.local/bin, which most Linux distributions and macOS
shells put on PATH once it exists; when it is not on PATH the installer prints the exact
path and how to add the folder. Only a link is ever replaced: a real file of that name is
someone else's and stays. Standard library only: build_scripts/install.py imports this
with the system Python, before the venv exists.

A release (build_scripts/package_release.py) installs the frozen helper the same way: its
script copies the folder to `app_folder()` and links the command here to it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path, PurePath, PureWindowsPath
from typing import Literal

NAME = "credit-guard"

Placed = Literal["linked", "unchanged", "occupied"]


def bin_folder(home: Path | None = None) -> Path:
    return (Path.home() if home is None else home) / ".local" / "bin"


def launcher_path(home: Path | None = None) -> Path:
    return bin_folder(home) / NAME


def place(program: Path, link: Path) -> Placed:
    """Link `link` to `program`: "linked", "unchanged" (already so) or "occupied" (a real
    file of that name is there and is left alone)."""
    if link.is_symlink():
        if Path(os.readlink(link)) == program:
            return "unchanged"
        link.unlink()  # a link to an older or moved venv
    elif link.exists():
        return "occupied"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(program)
    return "linked"


def on_path(folder: Path, env: Mapping[str, str] | None = None) -> bool:
    """Whether a new shell started with this environment finds programs in `folder`."""
    path = (os.environ if env is None else env).get("PATH", "")
    wanted = os.path.realpath(folder)
    return any(entry and os.path.realpath(entry) == wanted for entry in path.split(os.pathsep))


def installed(home: Path | None = None) -> Path | None:
    """The launcher when it is one of ours (a link to a `credit-guard` program), else None."""
    link = launcher_path(home)
    if link.is_symlink() and Path(os.readlink(link)).name == NAME:
        return link
    return None


def app_folder(
    platform: str | None = None, home: Path | None = None, env: Mapping[str, str] | None = None
) -> PurePath:
    """Where a release's install script copies the frozen helper's folder (the scripts in
    build_scripts/release/ spell the same paths; tests/test_release.py holds them to it).

    Apart from the data folder (native_host.paths), so that `uninstall --purge` never
    deletes the program it runs from, and deleting the program never touches the tally.
    """
    platform = sys.platform if platform is None else platform
    if platform.startswith("win"):
        local = (os.environ if env is None else env).get("LOCALAPPDATA", "")
        return PureWindowsPath(local, "Credit Guard", "app")
    home = Path.home() if home is None else home
    if platform == "darwin":
        return home / "Library" / "Application Support" / "Credit Guard" / "app"
    return home / ".local" / "share" / "credit-guard-app"
