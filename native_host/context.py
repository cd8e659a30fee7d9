"""What every handler is given: the tallies, the ledger's small interface, the clock.

The ledger is opened on first use, not at start: `hello` needs only the device's
identity (so the first reply does not wait for the tallies, the config models or the
cost book), and a data folder that cannot be used becomes a `storage` reply to each
request instead of a helper that dies before its first frame. Nothing here imports
SQLite: the shell hands in how to open the ledger (ledger.store.open_ledger).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from native_host.ledger.events import Event
    from native_host.ledger.store import Ledger
    from native_host.tallies import Tallies


def utc_now() -> datetime:
    return datetime.now(UTC)


def system_language() -> str:
    """The user's language as the locale settings give it (LANGUAGE, LC_ALL, LC_MESSAGES,
    LANG, in gettext's order; on Windows, where these are rarely set, the display
    language): "ja" for Japanese, else "en". For texts written before the configured
    language can be read, and when none is configured."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    if sys.platform == "win32":
        import ctypes

        ui_language = ctypes.windll.kernel32.GetUserDefaultUILanguage()
        return "ja" if ui_language & 0x3FF == 0x11 else "en"  # LANG_JAPANESE, any region
    return "en"


class LedgerAccess(Protocol):
    """What handlers may ask the ledger directly; events go through `Context.tallies`."""

    @property
    def device_id(self) -> str: ...

    @property
    def device_name(self) -> str: ...

    def accounts(self) -> list[str]: ...

    def device_names(self) -> dict[str, str]: ...

    def event(self, event_id: str) -> Event | None: ...


class Context:
    """Give either `tallies` (over an open ledger, as tests do) or `open_ledger` (the
    helper and the CLI: opened on first use, reopened when its file moves)."""

    def __init__(
        self,
        tallies: Tallies | None = None,
        *,
        open_ledger: Callable[[], Ledger] | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        assert (tallies is None) != (open_ledger is None), "give tallies or open_ledger"
        self._tallies = tallies
        self._ledger = tallies.ledger if tallies is not None else None
        self._open_ledger = open_ledger
        self.clock = clock
        # Another process committed (seen by `refresh`) since the helper last looked for
        # tallies to push: set here, cleared by the helper (native_host/host.py).
        self.others_committed = False
        # Set by the helper while it syncs in the background (native_host/host.py).
        self.stop_background_sync: Callable[[], None] = lambda: None

    def open(self) -> Ledger:
        """The open ledger: opened now if it is not, and opened again if its file was
        removed or replaced since (writes must land in the file the next start reads).

        Raises HostError(STORAGE) while the data folder cannot be used."""
        if self._ledger is not None and self._open_ledger is not None and self._ledger.moved():
            self.close()
        if self._ledger is None:
            assert self._open_ledger is not None
            self._ledger = self._open_ledger()
        return self._ledger

    def close(self) -> None:
        if self._ledger is not None:
            self._ledger.close()
        self._ledger = self._tallies = None

    @property
    def ledger(self) -> LedgerAccess:
        return self.open()

    @property
    def tallies(self) -> Tallies:
        if self._tallies is None:
            from native_host.tallies import Tallies

            self._tallies = Tallies(self.open())
        return self._tallies

    def built_tallies(self) -> Tallies | None:
        """The tallies if a request has needed them yet, without building them."""
        return self._tallies

    def batch(self) -> AbstractContextManager[None]:
        """Group the writes of several requests into one commit (see Ledger.batch)."""
        return self.open().batch()

    def refresh(self) -> None:
        """See what other processes committed since the last request (the cached
        tallies, if any were built, are dropped when something changed)."""
        if self._tallies is not None and self._tallies.refresh():
            self.others_committed = True

    def forget(self) -> None:
        """Drop the cached tallies: after a failed commit they may hold what was not
        stored."""
        if self._tallies is not None:
            self._tallies.forget()

    @property
    def device_id(self) -> str:
        return self.ledger.device_id

    def sync_state(self) -> str:
        """ "off" while this device is in no sync group (one stat), else how its sync
        stands: "ok", "stale" or "error" (see membership.state_of)."""
        from native_host import sync_settings

        if not sync_settings.configured():
            return "off"
        from native_host import membership

        return membership.sync_state(self.open(), self.clock())

    @property
    def device_name(self) -> str:
        return self.ledger.device_name

    def language(self, requested: str | None) -> str:
        """The request's language, else the configured one, else English."""
        if requested:
            return requested
        configured = self.tallies.global_config().language
        return configured if configured in ("en", "ja") else "en"
