"""Event records of the ledger.

Each device appends events numbered by its own sequence (device_id, seq). The tally is
derived from the union of every device's log, keyed by `event_id`, so receiving the
same event twice, or in another order, changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

EventKind = Literal["usage", "balance", "config"]

# Balance ids derive from their content, so a re-sent observation is the same event.
_BALANCE_NAMESPACE = uuid.UUID("6f1b7c1e-3a8e-4a49-9a7e-2f6f0b0c6c11")


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event not yet in the log: the store gives it a device and a sequence number."""

    event_id: str
    account: str
    kind: EventKind
    at: datetime
    body: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Event:
    event_id: str
    account: str
    kind: EventKind
    at: datetime
    body: dict[str, Any]
    device_id: str
    seq: int


def balance_event_id(account: str, at: datetime, balance: float, window: str | None) -> str:
    instant = at.astimezone(UTC).isoformat()  # one spelling whatever offset the page used
    return str(uuid.uuid5(_BALANCE_NAMESPACE, f"{account}\n{instant}\n{balance}\n{window}"))


def normalize_event_id(event_id: str) -> str:
    """One spelling per UUID (lower case, dashed), so dedup does not depend on format."""
    return str(uuid.UUID(event_id))


def sort_key(event: Event) -> tuple[datetime, str]:
    """The total order in which events are folded: by content only, so every device,
    whatever order it received the events in, folds them the same way."""
    return (event.at, event.event_id)
