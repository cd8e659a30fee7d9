"""`balance`: anchor the tally to what the site reports, and learn from it.

A rise to the allowance at an unexpected time teaches the reset instant; a daily
balance over the allowance teaches the allowance (see ledger.tally.lessons). What is
learned is logged as a config change in the same transaction as the reading.
"""

from __future__ import annotations

import uuid
from typing import Any

from native_host.context import Context
from native_host.ledger.costs import CREDIT_WINDOWS, is_credit_reading
from native_host.ledger.events import Event, NewEvent, balance_event_id
from native_host.ledger.tally import lessons
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
    events = [NewEvent(event_id, account, "balance", request.at, body)]
    learned: dict[str, Any] = {}
    history = ctx.tallies.events(account, now)
    if request.window in CREDIT_WINDOWS and not any(e.event_id == event_id for e in history):
        previous = _reading_before(history, request)
        learned = lessons(previous, request.balance, request.at, ctx.tallies.config(account, now))
        if learned:
            change = {"set": learned, "learned": True}
            events.append(NewEvent(str(uuid.uuid4()), account, "config", request.at, change))
    stored = ctx.tallies.append(events)
    tally = ctx.tallies.tally(account, now)
    return {"duplicate": stored[0] is None, "learned": learned, "tally": tally.to_json()}


def _reading_before(history: list[Event], request: BalanceReport) -> Event | None:
    for event in reversed(history):
        if event.at < request.at and is_credit_reading(event):
            return event
    return None
