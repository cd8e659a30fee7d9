"""Event records of the ledger.

Each device appends events numbered by its own sequence (device_id, seq). The tally is
derived from the union of every device's log, keyed by `event_id`, so receiving the
same event twice, or in another order, changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

EventKind = Literal["usage", "balance", "config", "undo", "forget", "device"]

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


# A device naming itself: body {"name": ...}, under the account "" (a device is no
# account; the tally and `accounts` never read it), a new id each time. The newest (highest
# seq) a device recorded names it everywhere (Ledger.device_names).
DEVICE_KIND: EventKind = "device"

# Markers: events that change which other events count, and count for nothing themselves.
# An "undo" (body {"undoes": event id}) takes one usage event out; a "forget" takes out
# every event of its account up to the forget's own instant (see Exclusions).
MARKER_KINDS: tuple[EventKind, ...] = ("undo", "forget")
_UNDO_NAMESPACE = uuid.UUID("0b6f4b8e-95f5-4c36-8d44-7f3d9d0e1a52")


def undo_event_id(undone_id: str) -> str:
    """One id per undone event: undoing it again, on any device, is the same event."""
    return str(uuid.uuid5(_UNDO_NAMESPACE, normalize_event_id(undone_id)))


def forgotten(at: datetime, forgotten_until: datetime | None) -> bool:
    """True for an event at `at` of an account forgotten at `forgotten_until`: a forget
    hides what was recorded up to it, and lets the account start afresh after it."""
    return forgotten_until is not None and at <= forgotten_until


@dataclass(frozen=True, slots=True)
class Exclusions:
    """What the markers among a set of events take out (see `exclusions`)."""

    undone: frozenset[str] = frozenset()
    forgotten_until: dict[str, datetime] = field(default_factory=dict)  # account → instant

    def excludes(self, event: Event) -> bool:
        return (
            event.kind in MARKER_KINDS
            or event.event_id in self.undone
            or forgotten(event.at, self.forgotten_until.get(event.account))
        )

    def kept(self, events: Iterable[Event]) -> list[Event]:
        """The events that count, in the order given."""
        return [event for event in events if not self.excludes(event)]


def exclusions(events: Iterable[Event]) -> Exclusions:
    """The markers' effect, from sets and maxima only: a pure function of the set of
    events, whatever order they arrived in and however often (an undo that arrives before
    the event it undoes still takes it out)."""
    undone: set[str] = set()
    until: dict[str, datetime] = {}
    for event in events:
        if event.kind == "undo":
            undone.add(event.body["undoes"])
        elif event.kind == "forget":
            until[event.account] = max(event.at, until.get(event.account, event.at))
    return Exclusions(frozenset(undone), until)


def counted(events: Iterable[Event]) -> list[Event]:
    """The events that count (markers applied, markers left out), in the order given."""
    listed = list(events)
    return exclusions(listed).kept(listed)
