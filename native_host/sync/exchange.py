"""One exchange through the transport this device's settings name: the one place the
helper and the CLI reach the hub client and the shared-folder transport (`sync.now`,
`credit-guard sync now`). Tests of membership put a stand-in transport here.
"""

from __future__ import annotations

import asyncio
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
