"""This device's sync settings: `sync.json` in the data folder. Nothing secret.

It says how this device syncs (through a hub, at its URL, or a shared folder, at its
path) and the id of its group; the group secret itself lives only in the OS keyring
(native_host/keystore.py). The browser-launched helper asks `configured()` before it
imports anything of sync, so this module stays light: no cryptography, no keyring.

Written atomically (a temporary file renamed over the old one, both flushed to disk), so
a crash leaves the old settings or the new ones, never half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final, Literal, get_args

from native_host import paths

SETTINGS_FILE: Final = "sync.json"
Transport = Literal["hub", "folder"]
TRANSPORTS: Final[tuple[str, ...]] = get_args(Transport)


@dataclass(frozen=True, slots=True)
class SyncSettings:
    """`group` is the group id in lowercase hex; exactly one of hub_url / folder is set,
    the one `transport` names."""

    transport: Transport
    hub_url: str | None
    folder: str | None
    group: str

    def __post_init__(self) -> None:
        if self.transport not in TRANSPORTS:
            raise ValueError(f"transport is one of {TRANSPORTS}, not {self.transport!r}")
        if (self.hub_url is None) != (self.transport == "folder"):
            raise ValueError("a hub has a URL and nothing else has")
        if (self.folder is None) != (self.transport == "hub"):
            raise ValueError("a shared folder has a path and nothing else has")
        if not (self.group and all(char in "0123456789abcdef" for char in self.group)):
            raise ValueError("the group id is lowercase hex")


class SettingsError(ValueError):
    """sync.json exists but is not settings this version can read."""


def settings_path() -> Path:
    return paths.data_folder() / SETTINGS_FILE


def configured() -> bool:
    """Whether sync is set up on this device: one stat, nothing imported."""
    return settings_path().is_file()


def load() -> SyncSettings | None:
    """The settings, or None when sync is not set up.

    Raises SettingsError when the file cannot be read as settings (OSError when it cannot
    be read at all)."""
    try:
        raw = settings_path().read_bytes()
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or set(data) != {"transport", "hub_url", "folder", "group"}:
            raise SettingsError(f"{SETTINGS_FILE} does not hold sync settings")
        return SyncSettings(**data)
    except (ValueError, TypeError) as error:  # json's errors are ValueErrors
        raise SettingsError(f"{SETTINGS_FILE} does not hold sync settings: {error}") from None


def save(settings: SyncSettings) -> None:
    """Write the settings durably, replacing any: the data folder is created if needed."""
    path = paths.data_dir() / SETTINGS_FILE
    data = json.dumps(asdict(settings), indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    fd, temporary = tempfile.mkstemp(prefix=f".{SETTINGS_FILE}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def clear() -> bool:
    """Remove the settings (sync is then off); False when there were none."""
    path = settings_path()
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    _sync_folder(path.parent)
    return True


def _sync_folder(folder: Path) -> None:
    """Make a rename or a removal in `folder` durable (POSIX; Windows has no such call)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
