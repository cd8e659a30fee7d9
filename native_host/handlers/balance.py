"""`balance`: anchor the tally to what the site reports, and learn from it.

A rise to the allowance at an unexpected time teaches the reset instant; a daily
balance over the allowance teaches the allowance (see ledger.tally.lessons). The
settings learned are derived from the set of readings (ledger.tally.effective_config),
not stored: every device, whatever order the readings reached it in, learns the same.
The reply names what this reading changed.
"""

from __future__ import annotations

from typing import Any

from native_host.context import Context
from native_host.ledger.events import NewEvent, balance_event_id
from native_host.messages import BalanceReport


def handle(request: BalanceReport, ctx: Context) -> dict[str, Any]:
    now = ctx.clock()
    account = request.account
    body: dict[str, Any] = {"balance": request.balance}
    if request.window is not None:
        body["window"] = request.window
    if request.reset_at is not None:
        body["reset_at"] = request.reset_at.isoformat()
    event_id = balance_event_id(account, request.at, request.balance, request.window)
    before = ctx.tallies.config(account, now)
    (stored,) = ctx.tallies.append([NewEvent(event_id, account, "balance", request.at, body)])
    after = ctx.tallies.config(account, now)
    learned = {
        name: getattr(after, name)
        for name in after.learned
        if getattr(after, name) != getattr(before, name)
    }
    tally = ctx.tallies.tally(account, now)
    return {"duplicate": stored is None, "learned": learned, "tally": tally.to_json()}
