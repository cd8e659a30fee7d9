"""Stand-ins for what lies outside the process (keychain, Windows registry, the tools on
PATH) and a driver that runs one `credit-guard` command as the CLI would."""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Iterable
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from native_host.installer.locations import Hive


class MemoryKeyring(KeyringBackend):
    """Keeps passwords in a dict for the life of the test."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class FakeRegistry:
    """Dict-backed stand-in for the Windows registry: (hive, key) → default value."""

    def __init__(self) -> None:
        self.values: dict[tuple[Hive, str], str] = {}

    def get_default(self, hive: Hive, key: str) -> str | None:
        return self.values.get((hive, key))

    def set_default(self, hive: Hive, key: str, value: str) -> None:
        self.values[(hive, key)] = value

    def delete_key(self, hive: Hive, key: str) -> bool:
        return self.values.pop((hive, key), None) is not None


def run_command(module: object, argv: list[str]) -> int:
    """Parse `argv` with a command module's own arguments and run it; its exit code."""
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)  # type: ignore[attr-defined]
    code: int = module.run(parser.parse_args(argv))  # type: ignore[attr-defined]
    return code


def tools_only(folder: Path, names: Iterable[str]) -> Path:
    """A folder for PATH that holds links to these tools of this machine and nothing
    else (no browser, no credit-guard): what a script under test may find."""
    folder.mkdir()
    for name in names:
        found = shutil.which(name)
        assert found, f"{name} is needed to run the script under test"
        (folder / name).symlink_to(found)
    return folder
