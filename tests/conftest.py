"""Fixtures shared by the Python tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.fakes import MemoryKeyring


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private HOME with no browsers and nothing on PATH; data under tmp_path/data.

    Modules that need another kind of home (test_cli.py) define their own fixture.
    """
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("CREDIT_GUARD_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    return home


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """An in-memory keyring backend for the test; the previous backend comes back after.

    keyring is imported here, not at the top, so tests that never ask for it do not load it.
    """
    import keyring

    from tests.fakes import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The end-to-end tests last: Playwright's sync API leaves an event loop running in
    the main thread for the rest of the session, and tests after it that call
    asyncio.run (the sync hub's, the folder's) would fail. The fast tests also report
    first."""
    items.sort(key=lambda item: "e2e" in item.path.parts)
