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
import logging
import threading
import time
from collections.abc import Callable
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
        self._settings: SyncSettings | None = None  # what the thread was started with
        self._started = 0.0  # time.monotonic() of its start
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # guards _loop, _stop_event and _stopping
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._stopping = False
        self._unreadable_logged = False

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def follow(self) -> None:
        """Start, restart or stop the thread to match sync.json. A thread that ended
        (its keyring or ledger failed) is started again after RETRY_SECONDS."""
        settings = self._read_settings()
        if settings is not None and settings == self._settings:
            if self.running or time.monotonic() - self._started < RETRY_SECONDS:
                return
        elif settings is None and self._settings is None:
            return
        self.stop()
        if settings is not None:
            self._start(settings)

    def stop(self) -> None:
        """Stop the thread and wait for it (a moment: it finishes a write in progress).
        The next `follow` starts it again if the settings still say so."""
        thread, self._thread, self._settings = self._thread, None, None
        if thread is None:
            return
        with self._lock:
            self._stopping = True
            if self._loop is not None and self._stop_event is not None:
                self._loop.call_soon_threadsafe(self._stop_event.set)
        thread.join(STOP_SECONDS)
        if thread.is_alive():
            log.warning("the background sync did not stop within %.0f s", STOP_SECONDS)

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

    def _start(self, settings: SyncSettings) -> None:
        with self._lock:
            self._loop = self._stop_event = None
            self._stopping = False
        self._settings, self._started = settings, time.monotonic()
        self._thread = threading.Thread(
            target=self._run, args=(settings,), name="credit-guard-sync", daemon=True
        )
        self._thread.start()

    def _run(self, settings: SyncSettings) -> None:
        try:
            keys = membership.group_keys(settings)  # the keyring: may be slow, may fail
            ledger = open_ledger()
        except HostError as error:
            log.warning("no background sync: %s", error.message)
            return
        log.info("background sync through the %s started", settings.transport)
        try:
            asyncio.run(self._stay(ledger, settings, keys))
        except Exception:  # a bug must not go unseen, nor take the helper down
            log.exception("the background sync stopped")
        finally:
            ledger.close()
        log.info("background sync stopped")

    async def _stay(self, ledger: Ledger, settings: SyncSettings, keys: GroupKeys) -> None:
        stop = asyncio.Event()
        with self._lock:
            if self._stopping:
                return
            self._loop, self._stop_event = asyncio.get_running_loop(), stop
        await stay_synced(ledger, settings, keys, stop=stop, on_change=self._heard)

    def _heard(self, exchanged: Exchanged) -> None:
        if exchanged.received:
            self._wake()
