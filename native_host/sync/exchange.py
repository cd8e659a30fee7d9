"""The one place the helper and the CLI reach a transport: one exchange (`sync.now`,
`credit-guard sync now`) or staying in sync (the helper's background sync, `credit-guard
sync run`), through the hub or the shared folder this device's settings name. Tests of
membership put a stand-in transport here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from native_host.ledger.store import Ledger
    from native_host.sync.seal import GroupKeys
    from native_host.sync.transfer import Exchanged
    from native_host.sync_settings import SyncSettings


def sync_once(ledger: Ledger, settings: SyncSettings, keys: GroupKeys) -> Exchanged:
    """Exchange once with the hub or the folder; each transport records the outcome with
    ledger.record_sync. Raises TransportError (its reason says what failed)."""
    if settings.hub_url is not None:
        from native_host.sync.client import exchange_once

        done: Exchanged = asyncio.run(exchange_once(ledger, keys, settings.hub_url))
        return done
    from native_host.sync.folder import exchange_folder

    assert settings.folder is not None
    shared: Exchanged = exchange_folder(ledger, keys, Path(settings.folder))
    return shared


async def stay_synced(
    ledger: Ledger,
    settings: SyncSettings,
    keys: GroupKeys,
    *,
    stop: asyncio.Event,
    on_change: Callable[[Exchanged], None] | None = None,
) -> None:
    """Stay in sync until `stop` is set: a kept connection to the hub, or the folder
    watched. Give it a ledger connection of its own (local commits are noticed by
    `data_version`). Failures are recorded and retried, never raised."""
    if settings.hub_url is not None:
        from native_host.sync.client import stay_connected

        await stay_connected(ledger, keys, settings.hub_url, stop=stop, on_change=on_change)
        return
    from native_host.sync.folder import stay_in_folder

    assert settings.folder is not None
    await stay_in_folder(ledger, keys, Path(settings.folder), stop=stop, on_change=on_change)
