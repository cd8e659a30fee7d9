"""`undo`: take back one usage event with a compensating event that syncs like any other.

The undo's id derives from the undone event's id, so undoing twice, on any device, is one
event; its instant is the undone event's, so the two are always loaded together.
"""

from __future__ import annotations

from typing import Any

from native_host.context import Context
from native_host.errors import ErrorCode, HostError
from native_host.ledger.events import NewEvent, normalize_event_id, undo_event_id
from native_host.ledger.tally import rfc3339
from native_host.messages import Undo


def handle(request: Undo, ctx: Context) -> dict[str, Any]:
    event_id = normalize_event_id(request.event_id)
    target = ctx.ledger.event(event_id)
    if target is None or target.kind != "usage":
        message = (
            f"no event {event_id} in this ledger"
            if target is None
            else f"{event_id} is a {target.kind} event; only usage can be undone"
        )
        raise HostError(ErrorCode.UNKNOWN_EVENT, message, event_id=event_id)
    body = {"undoes": event_id}
    undo = NewEvent(undo_event_id(event_id), target.account, "undo", target.at, body)
    (stored,) = ctx.tallies.append([undo])
    return {
        "duplicate": stored is None,
        "undone": {
            "event_id": event_id,
            "account": target.account,
            "at": rfc3339(target.at),
            **target.body,
        },
        "tally": ctx.tallies.tally(target.account, ctx.clock()).to_json(),
    }
