"""`status`: every account's tally (or one) with its pace, this device and the known devices."""

from __future__ import annotations

from typing import Any

from native_host.context import Context
from native_host.messages import Status
from native_host.pace import pace_of


def handle(request: Status, ctx: Context) -> dict[str, Any]:
    now = ctx.clock()
    ledger = ctx.ledger
    accounts = [request.account] if request.account else ledger.accounts()
    sync = ctx.sync_state()
    return {
        "device_id": ctx.device_id,
        "devices": ledger.device_names(),
        "accounts": [
            {
                **ctx.tallies.tally(account, now).to_json(),
                "pace": pace_of(ctx.tallies.tally(account, now), now).to_json(),  # cached tally
                "history": [
                    {"date": day.isoformat(), "used": round(used, 2)}
                    for day, used in ctx.tallies.history(account, now)
                ],
                "sync": sync,
            }
            for account in accounts
        ],
    }
