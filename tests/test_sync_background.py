"""The helper's background sync thread (native_host/sync/background.py) on its own: it
follows sync.json, survives a run that dies, says why it cannot start, and a run told to
stop never syncs afterwards, whatever it was doing when told.

The transport is a stand-in coroutine here (the real ones are tested end to end in
tests/test_sync_devices.py); the settings, the keyring and the ledger are real.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from native_host import membership, sync_settings
from native_host.ledger.store import open_ledger
from native_host.sync import background
from native_host.sync.background import BackgroundSync
from native_host.sync_settings import SyncSettings
from tests.fakes import MemoryKeyring


def eventually(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.01)


class Transport:
    """Stands in for stay_synced: records which settings each run synced with; `fail`
    makes a run raise at once, as a bug in a transport would."""

    def __init__(self) -> None:
        self.runs: list[SyncSettings] = []
        self.fail = False

    async def __call__(self, ledger: Any, settings: SyncSettings, keys: Any, **kw: Any) -> None:
        self.runs.append(settings)
        if self.fail:
            raise RuntimeError("a bug in the transport")
        await kw["stop"].wait()


@pytest.fixture
def transport(
    home: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Transport]:
    stand_in = Transport()
    monkeypatch.setattr(background, "stay_synced", stand_in)
    monkeypatch.setattr(background, "STOP_SECONDS", 0.2)
    yield stand_in


@pytest.fixture
def syncer() -> Iterator[BackgroundSync]:
    syncing = BackgroundSync(wake=lambda: None)
    yield syncing
    syncing.stop()


def test_it_follows_the_settings_starting_restarting_and_stopping(
    transport: Transport, syncer: BackgroundSync, tmp_path: Path
) -> None:
    syncer.follow()
    assert not syncer.running and transport.runs == []
    first, _ = membership.pair(None, str(tmp_path))
    syncer.follow()
    eventually(lambda: transport.runs == [first])
    syncer.follow()  # nothing changed: the same run goes on
    assert syncer.running and transport.runs == [first]

    with contextlib.closing(open_ledger()) as ledger:
        membership.leave(ledger)
    second, _ = membership.pair(None, str(tmp_path))  # another group
    syncer.follow()
    eventually(lambda: transport.runs == [first, second])
    sync_settings.clear()
    syncer.follow()
    assert not syncer.running


def test_a_run_that_dies_is_survived_and_started_again_later(
    transport: Transport,
    syncer: BackgroundSync,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    transport.fail = True
    settings, _ = membership.pair(None, str(tmp_path))
    syncer.follow()
    eventually(lambda: transport.runs == [settings] and not syncer.running)
    syncer.follow()  # too soon to try again
    assert transport.runs == [settings]
    monkeypatch.setattr(background, "RETRY_SECONDS", 0.0)
    transport.fail = False
    syncer.follow()
    eventually(lambda: transport.runs == [settings, settings] and syncer.running)
    syncer.stop()  # the dead run's closed loop is no trouble either
    assert not syncer.running


def test_a_keyring_that_fails_is_the_reason_the_status_gives(
    transport: Transport,
    syncer: BackgroundSync,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    membership.pair(None, str(tmp_path))
    memory_keyring.store.clear()  # the secret is gone from the keyring
    syncer.follow()
    with contextlib.closing(open_ledger()) as ledger:
        eventually(lambda: getattr(ledger.peer("folder"), "last_error", None) == "keyring")
        sync = membership.status(ledger, "ja", datetime.now(UTC))
    assert transport.runs == []
    assert sync["state"] == "error" and sync["last_error"]["reason"] == "keyring"
    assert "キーリング" in sync["last_error"]["message"]


def test_a_run_stopped_while_the_keyring_blocks_never_syncs(
    transport: Transport,
    syncer: BackgroundSync,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An unlock prompt can hold the keyring call for longer than stop() waits."""
    first, _ = membership.pair(None, str(tmp_path))
    release = threading.Event()
    real_keys = membership.group_keys

    def slow_keys(settings: SyncSettings) -> Any:
        keys = real_keys(settings)
        if settings == first:  # read, then held: the user is slow to answer the prompt
            release.wait(10)
        return keys

    monkeypatch.setattr(membership, "group_keys", slow_keys)
    syncer.follow()
    time.sleep(0.05)
    syncer.stop()  # gives up waiting after STOP_SECONDS: the old thread still blocks
    with contextlib.closing(open_ledger()) as ledger:
        membership.leave(ledger)
    second, _ = membership.pair(None, str(tmp_path))
    syncer.follow()
    eventually(lambda: transport.runs == [second])
    release.set()
    time.sleep(0.3)
    assert transport.runs == [second]  # the old run, released, did not start


def test_the_helper_is_woken_only_when_other_devices_events_came_in(
    transport: Transport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from native_host.sync.transfer import Exchanged

    async def tells(ledger: Any, settings: SyncSettings, keys: Any, **kw: Any) -> None:
        kw["on_change"](Exchanged(sent=3))
        kw["on_change"](Exchanged(received=2))
        await kw["stop"].wait()

    monkeypatch.setattr(background, "stay_synced", tells)
    woken: list[float] = []
    syncing = BackgroundSync(wake=lambda: woken.append(time.monotonic()))
    membership.pair(None, str(tmp_path))
    syncing.follow()
    eventually(lambda: len(woken) == 1)
    syncing.stop()
    assert len(woken) == 1


def test_a_stop_event_set_from_another_thread_ends_the_transport(
    transport: Transport, syncer: BackgroundSync, tmp_path: Path
) -> None:
    membership.pair(None, str(tmp_path))
    syncer.follow()
    eventually(lambda: syncer.running and len(transport.runs) == 1)
    started = time.monotonic()
    syncer.stop()
    assert not syncer.running and time.monotonic() - started < 2
