"""`sync.status`, `sync.pair`, `sync.join`, `sync.leave`, `sync.now`, `sync.name`: this
device's membership of a sync group (native_host/membership.py). Every reply carries
the sync status as it is after the request.
"""

from __future__ import annotations

from typing import Any

from native_host import membership, pairing_qr
from native_host.context import Context
from native_host.messages import SyncJoin, SyncLeave, SyncName, SyncNow, SyncPair, SyncStatus

SyncRequest = SyncStatus | SyncPair | SyncJoin | SyncLeave | SyncNow | SyncName


def handle(request: SyncRequest, ctx: Context) -> dict[str, Any]:
    ledger = ctx.open()
    reply: dict[str, Any] = {}
    if isinstance(request, SyncPair):
        new_group = request.hub_url is not None or request.folder is not None
        _, code = membership.pair(request.hub_url, request.folder)
        if new_group:
            membership.forget_peers(ledger)
        reply |= {"code": code, "qr_svg": pairing_qr.svg(code)}
    elif isinstance(request, SyncJoin):
        ctx.stop_background_sync()  # started again for the new group after this batch
        membership.join(request.code, request.folder)
        membership.forget_peers(ledger)
    elif isinstance(request, SyncLeave):
        ctx.stop_background_sync()  # so that nothing is recorded for a group left
        membership.leave(ledger)
    elif isinstance(request, SyncNow):
        done = membership.sync_now(ledger)
        if done.received:
            ctx.forget()  # the tallies cached here do not see this connection's own commits
        reply["exchanged"] = {"sent": done.sent, "received": done.received, "refused": done.refused}
    elif isinstance(request, SyncName):
        membership.name_device(ledger, request.name)
    language = ctx.language(request.language)
    return {"sync": membership.status(ledger, language, ctx.clock()), **reply}
