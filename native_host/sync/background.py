"""Sync in the background while the browser keeps the helper open (issue 9, item 5).

The helper answers the extension on one thread; when this device is in a sync group, one
daemon thread of its own runs the transport (a kept connection to the hub, or the shared
folder watched) on its own asyncio loop and its own ledger connection: the hub client
notices local commits by `data_version`, which moves only for other connections' commits.
When other devices' events arrive it wakes the helper's loop (`wake`), which then pushes
`tally.changed` at once instead of at its next idle look.

The helper calls `follow` after each batch of requests and when idle: it reads sync.json
(a small file) and starts, restarts or stops the thread to match it, so joining from the
popup or leaving from the CLI takes effect within a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from native_host import membership, sync_settings
from native_host.errors import HostError
from native_host.ledger.store import open_ledger
from native_host.sync.exchange import stay_synced
from native_host.sync.transfer import Exchanged
from native_host.sync_settings import SyncSettings

if TYPE_CHECKING:
    from native_host.ledger.store import Ledger
    from native_host.sync.seal import GroupKeys

log = logging.getLogger(__name__)

RETRY_SECONDS = 60.0  # a sync that could not start (no keyring, no ledger) is tried again
STOP_SECONDS = 5.0  # how long stop() waits for the thread to finish what it is writing


class BackgroundSync:
    """The background sync thread, following this device's sync settings."""

    def __init__(self, wake: Callable[[], None]) -> None:
        self._wake = wake
        self._run: _Run | None = None
        self._unreadable_logged = False

    @property
    def running(self) -> bool:
        return self._run is not None and self._run.thread.is_alive()

    def follow(self) -> None:
        """Start, restart or stop the thread to match sync.json. A run that ended (its
        keyring or ledger failed) is started again after RETRY_SECONDS."""
        settings = self._read_settings()
        run = self._run
        if run is None and settings is None:
            return
        if (
            run is not None
            and settings == run.settings
            and (run.thread.is_alive() or time.monotonic() - run.started < RETRY_SECONDS)
        ):
            return
        self.stop()
        if settings is not None:
            self._run = _Run(settings, self._wake)
            self._run.thread.start()

    def stop(self) -> None:
        """Stop the thread and wait for it (a moment: it finishes a write in progress).
        The next `follow` starts a new one if the settings still say so."""
        run, self._run = self._run, None
        if run is not None:
            run.stop()

    def _read_settings(self) -> SyncSettings | None:
        try:
            settings = sync_settings.load()
        except (sync_settings.SettingsError, OSError) as error:
            if not self._unreadable_logged:
                log.warning("no background sync: %s", error)
                self._unreadable_logged = True
            return None
        self._unreadable_logged = False
        return settings


class _Run:
    """One run of the sync thread with its own stop token: a run told to stop before its
    loop exists never starts syncing, and a stopped run never starts again (a new run
    is made instead), whatever the thread was doing when told."""

    def __init__(self, settings: SyncSettings, wake: Callable[[], None]) -> None:
        self.settings, self._wake = settings, wake
        self.started = time.monotonic()
        self.thread = threading.Thread(target=self._sync, name="credit-guard-sync", daemon=True)
        self._lock = threading.Lock()  # guards the three below
        self._stopping = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            if self._loop is not None and self._stop_event is not None:
                with contextlib.suppress(RuntimeError):  # its loop just closed: run over
                    self._loop.call_soon_threadsafe(self._stop_event.set)
        self.thread.join(STOP_SECONDS)
        if self.thread.is_alive():
            log.warning("the background sync did not stop within %.1f s", STOP_SECONDS)

    def _sync(self) -> None:
        try:
            ledger = open_ledger()
        except HostError as error:
            log.warning("no background sync: %s", error.message)
            return
        try:
            keys = membership.group_keys(self.settings)  # the keyring: may be slow, may fail
        except HostError as error:
            log.warning("no background sync: %s", error.message)
            self._record_failure(ledger, "keyring")
            ledger.close()
            return
        log.info("background sync through the %s started", self.settings.transport)
        try:
            asyncio.run(self._stay(ledger, keys))
        except Exception:  # a bug must not go unseen, nor take the helper down
            log.exception("the background sync stopped")
        finally:
            with self._lock:
                self._loop = self._stop_event = None
            ledger.close()
        log.info("background sync stopped")

    async def _stay(self, ledger: Ledger, keys: GroupKeys) -> None:
        stop = asyncio.Event()
        with self._lock:
            if self._stopping:
                return
            self._loop, self._stop_event = asyncio.get_running_loop(), stop
        await stay_synced(ledger, self.settings, keys, stop=stop, on_change=self._heard)

    def _heard(self, exchanged: Exchanged) -> None:
        if exchanged.received:
            self._wake()

    def _record_failure(self, ledger: Ledger, reason: str) -> None:
        """So that `status` says why this device does not sync, not just "stale"."""
        known = ledger.peer(self.settings.transport)
        try:
            ledger.record_sync(
                self.settings.transport, known.vector if known else {}, datetime.now(UTC), reason
            )
        except HostError as error:
            log.warning("could not record the sync's failure: %s", error.message)
