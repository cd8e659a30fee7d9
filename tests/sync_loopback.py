"""A stand-in transport for the membership tests of `sync.now`, put in at the one seam
(native_host/sync/exchange.py): it exchanges with another real ledger in the same
process, through the real sealing and taking of transfer.py, and records the outcome with
record_sync as the real transports do. The real hub and folder are tested end to end in
tests/test_sync_devices.py and tests/test_cli_sync.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from native_host.ledger.store import Ledger
from native_host.sync import exchange
from native_host.sync.exceptions import TransportError
from native_host.sync.seal import GroupKeys
from native_host.sync.transfer import Exchanged, sealed_after, take
from native_host.sync_settings import SyncSettings


class Loopback:
    """Syncs with `peer` (another device's ledger); `failing` makes the next exchanges
    fail with that reason; `calls` counts the exchanges tried."""

    def __init__(self, peer: Ledger) -> None:
        self.peer = peer
        self.failing: str | None = None
        self.calls = 0

    def __call__(self, ledger: Ledger, settings: SyncSettings, keys: GroupKeys) -> Exchanged:
        self.calls += 1
        now = datetime.now(UTC)
        if self.failing is not None:
            ledger.record_sync(settings.transport, {}, now, error=self.failing)
            raise TransportError(self.failing, f"loopback told to fail: {self.failing}")  # type: ignore[arg-type]
        up = sealed_after(ledger, keys, self.peer.vector())
        take(self.peer, keys, up)
        taken = take(ledger, keys, sealed_after(self.peer, keys, ledger.vector()))
        ledger.record_sync(settings.transport, self.peer.vector(), now)
        received = taken.ingested.held if taken.ingested is not None else 0
        return Exchanged(sent=len(up), received=received, refused=taken.refused)


def install(monkeypatch: pytest.MonkeyPatch, peer: Ledger) -> Loopback:
    loopback = Loopback(peer)
    monkeypatch.setattr(exchange, "sync_once", loopback)
    return loopback
