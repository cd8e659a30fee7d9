"""A keyring backend that keeps its passwords in a file of a temporary folder, for tests
that run the CLI or the helper as real processes.

Chosen explicitly, never by priority: PYTHON_KEYRING_BACKEND=devkit.folder_keyring.
FolderKeyring, the folder in CREDIT_GUARD_TEST_KEYRING (PYTHONPATH must reach the repository).
A frozen helper ignores PYTHONPATH: it is given the backend through keyring's own
config file instead (`config_file_environment`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

BACKEND = "devkit.folder_keyring.FolderKeyring"
FOLDER_VARIABLE = "CREDIT_GUARD_TEST_KEYRING"


class FolderKeyring(KeyringBackend):
    """Passwords in `keyring.json` of the folder CREDIT_GUARD_TEST_KEYRING names."""

    @properties.classproperty
    def priority(cls) -> float:
        """Not viable unless its folder is named, so keyring never picks it on its own
        (keyring considers every backend class that was imported)."""
        if FOLDER_VARIABLE not in os.environ:
            raise RuntimeError(f"{FOLDER_VARIABLE} names no folder")
        return 0.5

    @staticmethod
    def path() -> Path:
        return Path(os.environ[FOLDER_VARIABLE]) / "keyring.json"

    def _read(self) -> dict[str, str]:
        try:
            stored: dict[str, str] = json.loads(self.path().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return stored

    def _write(self, passwords: dict[str, str]) -> None:
        self.path().parent.mkdir(parents=True, exist_ok=True)
        self.path().write_text(json.dumps(passwords), encoding="utf-8")

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self._write({**self._read(), f"{service}/{username}": password})

    def delete_password(self, service: str, username: str) -> None:
        passwords = self._read()
        if passwords.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(username)
        self._write(passwords)


def environment(folder: Path) -> dict[str, str]:
    """The variables that make a child process use a FolderKeyring in `folder`."""
    root = str(Path(__file__).resolve().parent.parent)
    return {"PYTHON_KEYRING_BACKEND": BACKEND, FOLDER_VARIABLE: str(folder), "PYTHONPATH": root}


def config_file_environment(folder: Path) -> dict[str, str]:
    """The variables that make a child process, frozen or not, use a FolderKeyring in
    `folder`, through keyring's config file: `keyringrc.cfg` in XDG_CONFIG_HOME's
    `python_keyring` (Linux) names the backend and puts this tree on keyring's path."""
    config = folder / "config"
    (config / "python_keyring").mkdir(parents=True, exist_ok=True)
    root = Path(__file__).resolve().parent.parent
    (config / "python_keyring" / "keyringrc.cfg").write_text(
        f"[backend]\ndefault-keyring = {BACKEND}\nkeyring-path = {root}\n", encoding="utf-8"
    )
    return {"XDG_CONFIG_HOME": str(config), FOLDER_VARIABLE: str(folder)}
