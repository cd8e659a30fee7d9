"""`usage`: record one operation, once per event id, and answer with the new tally."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from native_host.context import Context
from native_host.ledger.events import NewEvent, normalize_event_id
from native_host.messages import Usage


def handle(request: Usage, ctx: Context) -> dict[str, Any]:
    body: dict[str, Any] = {"operation": request.operation}
    if request.ended_at is not None:
        body["ended_at"] = request.ended_at.astimezone(UTC).isoformat()
    for name in ("credits", "model", "source"):
        value = getattr(request, name)
        if value is not None:
            body[name] = value
    event = NewEvent(
        normalize_event_id(request.event_id), request.account, "usage", request.at, body
    )
    (stored,) = ctx.tallies.append([event])
    tally = ctx.tallies.tally(request.account, ctx.clock())
    return {"duplicate": stored is None, "tally": tally.to_json()}
