"""Write and remove the helper's registrations; idempotent both ways.

Plan first (`plan_targets`: which browsers, which file, which registry key), then
`install` or `uninstall` the plan. Installing twice leaves the same bytes on disk and
reports "unchanged"; uninstalling removes only files named after `HOST_NAME` and keys
ending in it. On Windows the manifest file lives in the data folder and a registry key
points to it; registry access goes through the small `Registry` protocol so tests pass
a dict-backed fake and only Windows ever imports `winreg`.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from native_host import HOST_NAME
from native_host.i18n import text
from native_host.installer import locations, manifests
from native_host.installer.locations import BROWSERS, Browser, Hive
from native_host.installer.manifests import Family
from native_host.paths import data_dir


class Registry(Protocol):
    """The three registry operations registration needs; values are the key's default."""

    def get_default(self, hive: Hive, key: str) -> str | None: ...

    def set_default(self, hive: Hive, key: str, value: str) -> None: ...

    def delete_key(self, hive: Hive, key: str) -> bool: ...


class WinRegistry:
    """The real Windows registry; construct it only on Windows."""

    def get_default(self, hive: Hive, key: str) -> str | None:
        winreg = _winreg()
        try:
            with winreg.OpenKey(_root(winreg, hive), key) as handle:
                value, _kind = winreg.QueryValueEx(handle, "")
        except FileNotFoundError:
            return None
        return value if isinstance(value, str) else None

    def set_default(self, hive: Hive, key: str, value: str) -> None:
        winreg = _winreg()
        with winreg.CreateKey(_root(winreg, hive), key) as handle:
            winreg.SetValueEx(handle, "", 0, winreg.REG_SZ, value)

    def delete_key(self, hive: Hive, key: str) -> bool:
        winreg = _winreg()
        try:
            winreg.DeleteKey(_root(winreg, hive), key)
        except FileNotFoundError:
            return False
        return True


def _winreg() -> Any:
    # Imported by name at call time: the module exists only on Windows, and mypy on
    # other platforms sees none of its attributes.
    return importlib.import_module("winreg")


def _root(winreg: Any, hive: Hive) -> Any:
    return winreg.HKEY_LOCAL_MACHINE if hive == "HKLM" else winreg.HKEY_CURRENT_USER


@dataclass(frozen=True)
class Target:
    """One place a manifest goes, shared by every browser that reads it there."""

    browsers: tuple[Browser, ...]
    family: Family
    manifest_path: Path
    registry: tuple[Hive, str] | None = None  # Windows: (hive, key) pointing to the file
    system: bool = False

    @property
    def label(self) -> str:
        return ", ".join(self.browsers)


@dataclass(frozen=True)
class Change:
    """What install or uninstall did at one place, for the user to read."""

    action: Literal["wrote", "unchanged", "removed", "absent", "kept"]
    place: str
    browsers: tuple[Browser, ...]

    def __str__(self) -> str:
        return f"{self.action:<9} {self.place}  ({', '.join(self.browsers)})"


def default_host_path() -> Path:
    """The `credit-guard-host` script beside this Python, or the frozen executable itself."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).absolute()
    name = "credit-guard-host.exe" if os.name == "nt" else "credit-guard-host"
    # Not resolved: a venv's python is a symlink and the script sits beside the link.
    return Path(sys.executable).absolute().parent / name


def executable_problem(path: Path, language: str = "en") -> str | None:
    """Why a browser could not start `path` (in `language`), or None when it could."""
    if not path.is_absolute():
        problem = "not_absolute"
    elif not path.exists():
        problem = "missing"
    elif not path.is_file():
        problem = "not_file"
    elif os.name != "nt" and not os.access(path, os.X_OK):
        problem = "not_executable"
    else:
        return None
    return text(language, f"host_program.{problem}", path=str(path))


def detect_browsers(
    *,
    platform: str | None = None,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> list[Browser]:
    """Browsers whose profile folder exists or whose executable is on PATH."""
    env = os.environ if env is None else env
    found: list[Browser] = []
    for browser in BROWSERS:
        dirs = locations.profile_dirs(browser, platform=platform, home=home, env=env)
        on_path = any(
            shutil.which(exe, path=env.get("PATH", "")) for exe in locations.EXECUTABLES[browser]
        )
        if on_path or any(d.exists() for d in dirs):
            found.append(browser)
    return found


def plan_targets(
    browsers: Sequence[Browser],
    *,
    system: bool = False,
    user_data_dir: Path | None = None,
    platform: str | None = None,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
    windows_manifest_dir: Path | None = None,
) -> list[Target]:
    """Where each browser's manifest goes; browsers that read the same place share a Target.

    Args:
        user_data_dir: a custom Chromium profile: Chromium-family browsers then read
            `<dir>/NativeMessagingHosts/` instead of their usual folder.
        windows_manifest_dir: where manifest files go on Windows (default: a folder in
            the data dir); the registry keys point there.
    """
    os_name = locations.os_of(platform)
    places: dict[tuple[Path, tuple[Hive, str] | None], list[Browser]] = {}
    families: dict[tuple[Path, tuple[Hive, str] | None], Family] = {}
    for browser in browsers:
        fam = locations.family(browser)
        registry: tuple[Hive, str] | None = None
        if user_data_dir is not None and fam == "chromium":
            folder = locations.user_data_dir_manifest_dir(user_data_dir)
            path = folder / f"{HOST_NAME}.json"
        elif os_name == "win32":
            scope = "system" if system else "user"
            folder = windows_manifest_dir or data_dir() / "native-messaging-hosts"
            path = folder / scope / f"{HOST_NAME}.{fam}.json"
            registry = (locations.hive(system), locations.registry_key(browser))
        else:
            folder = locations.manifest_dir(
                browser, system=system, platform=platform, home=home, env=env
            )
            path = folder / f"{HOST_NAME}.json"
        place = (path, registry)
        families[place] = fam
        if browser not in places.setdefault(place, []):
            places[place].append(browser)
    return [
        Target(tuple(names), families[place], place[0], place[1], system)
        for place, names in places.items()
    ]


def install(
    targets: Iterable[Target],
    *,
    host_path: Path,
    extension_id: str,
    firefox_id: str,
    registry: Registry | None = None,
) -> list[Change]:
    """Write each target's manifest (and registry key); skip what is already right.

    Every id and the host path are validated before anything is written.

    Raises:
        ManifestError: an invalid id or a relative host path.
        OSError: a folder could not be written (system-wide without admin rights).
    """
    targets = list(targets)
    rendered = {
        fam: manifests.dumps(
            manifests.render(
                fam, host_path=host_path, extension_id=extension_id, firefox_id=firefox_id
            )
        )
        for fam in ("chromium", "firefox")
        if any(t.family == fam for t in targets)
    }
    changes: list[Change] = []
    for target in targets:
        wrote = _write_if_changed(target.manifest_path, rendered[target.family])
        changes.append(
            Change("wrote" if wrote else "unchanged", str(target.manifest_path), target.browsers)
        )
        if target.registry is not None:
            registry = registry or WinRegistry()
            hive, key = target.registry
            value = str(target.manifest_path)
            same = registry.get_default(hive, key) == value
            if not same:
                registry.set_default(hive, key, value)
            changes.append(
                Change("unchanged" if same else "wrote", rf"{hive}\{key}", target.browsers)
            )
    return changes


def uninstall(targets: Iterable[Target], *, registry: Registry | None = None) -> list[Change]:
    """Remove each target's registration and manifest; missing ones are reported "absent".

    On Windows a manifest file still named by another browser's key is "kept" (Chrome,
    Brave and Vivaldi share one key; Chromium and Edge share the Chromium-family file).
    An emptied per-user manifest folder is removed too, since install created it.
    """
    targets = list(targets)
    changes: list[Change] = []
    for target in targets:
        if target.registry is not None:
            registry = registry or WinRegistry()
            hive, key = target.registry
            removed = registry.delete_key(hive, key)
            changes.append(
                Change("removed" if removed else "absent", rf"{hive}\{key}", target.browsers)
            )
    for target in targets:
        path = target.manifest_path
        if registry is not None and target.registry is not None and _still_named(path, registry):
            changes.append(Change("kept", str(path), target.browsers))
            continue
        if path.exists() or path.is_symlink():
            path.unlink()
            changes.append(Change("removed", str(path), target.browsers))
            if not target.system:  # system folders may belong to a package: leave them
                _remove_if_empty(path.parent)
        else:
            changes.append(Change("absent", str(path), target.browsers))
    return changes


def registered_path(target: Target, registry: Registry | None = None) -> Path | None:
    """The manifest a browser would read for this target, or None if it would find none."""
    if target.registry is None:
        return target.manifest_path if target.manifest_path.is_file() else None
    registry = registry or WinRegistry()
    value = registry.get_default(*target.registry)
    return Path(value) if value else None


def _write_if_changed(path: Path, text: str) -> bool:
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a browser never reads half a manifest.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _still_named(path: Path, registry: Registry) -> bool:
    keys = {locations.registry_key(b) for b in BROWSERS}
    return any(
        registry.get_default(hive, key) == str(path) for hive in ("HKCU", "HKLM") for key in keys
    )


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty, or not ours to remove: leave it
        folder.rmdir()
