"""`forget`: hide an account and all recorded for it so far, with an event that syncs.

A local delete would come back from another device's copy at the next sync; a "forget"
event travels with the log instead, and every device hides the account's events up to
its instant (ledger.events.Exclusions). Usage after it starts the account afresh.
"""

from __future__ import annotations

import uuid
from typing import Any

from native_host.context import Context
from native_host.ledger.events import NewEvent
from native_host.messages import Forget


def handle(request: Forget, ctx: Context) -> dict[str, Any]:
    known = request.account in ctx.ledger.accounts()
    forget = NewEvent(str(uuid.uuid4()), request.account, "forget", ctx.clock(), {})
    ctx.tallies.append([forget])
    return {"account": request.account, "known": known, "accounts": ctx.ledger.accounts()}
