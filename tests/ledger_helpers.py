"""Build ledger events for tests without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from native_host.ledger.events import Event, sort_key

DAY = datetime(2026, 11, 24, tzinfo=UTC)


def at(minutes: float) -> datetime:
    """An instant `minutes` after 00:00 UTC on the test day."""
    return DAY + timedelta(minutes=minutes)


class Log:
    """Appends events as one device would, numbering them."""

    def __init__(self, device: str = "laptop") -> None:
        self.device = device
        self.events: list[Event] = []

    def _add(self, kind: str, when: datetime, body: dict[str, Any], event_id: str = "") -> Event:
        event = Event(
            event_id or str(uuid.uuid4()),
            "me@example.com",
            kind,  # type: ignore[arg-type]
            when,
            body,
            self.device,
            len(self.events) + 1,
        )
        self.events.append(event)
        return event

    def usage(
        self, minutes: float, operation: str, credits: float | None = None, model: str | None = None
    ) -> Event:
        body: dict[str, Any] = {"operation": operation}
        if credits is not None:
            body["credits"] = credits
        if model:
            body["model"] = model
        return self._add("usage", at(minutes), body)

    def balance(self, minutes: float, balance: float, window: str | None = None) -> Event:
        body: dict[str, Any] = {"balance": balance}
        if window:
            body["window"] = window
        return self._add("balance", at(minutes), body)


def merged(*logs: Log) -> list[Event]:
    return sorted((e for log in logs for e in log.events), key=sort_key)
