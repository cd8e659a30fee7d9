"""An event as it travels between devices, and taking a batch of them in: shared by both
transports (the hub client and the shared folder).

On the way out an event's content (id, account, kind, time, body) is sealed for its
position; the position itself (device id, sequence number) travels in the clear, because
the hub and the folder need it to say who lacks what. On the way in, each payload is
opened and checked on its own: one that does not open (another group's, tampered with,
moved) or opens to something that is not an event is skipped and counted, never
ingested, so it cannot stop the honest events of its batch.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from native_host.errors import HostError
from native_host.ledger.events import Event
from native_host.sync.exceptions import MessageError, SealError
from native_host.sync.seal import GroupKeys, open_payload, seal_payload

if TYPE_CHECKING:
    from native_host.ledger.store import Ingested, Ledger

log = logging.getLogger(__name__)

CONTENT_FIELDS = frozenset({"id", "account", "kind", "at", "body"})


@dataclass(frozen=True, slots=True)
class SealedEvent:
    """One position and the event held there, sealed: what a hub or a folder keeps."""

    device: str
    seq: int
    sealed: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class Taken:
    """What one batch changed here: `ingested` is the ledger's answer; `refused` counts
    payloads that did not open or were not events (logged by position, never content)."""

    ingested: Ingested | None
    refused: int

    @property
    def changed(self) -> bool:
        return self.ingested is not None and self.ingested.held > 0


@dataclass(frozen=True, slots=True)
class Exchanged:
    """What one exchange with a hub or a folder did: positions sent and received (taken
    in, new here), and payloads refused (did not open, or were not events)."""

    sent: int = 0
    received: int = 0
    refused: int = 0


def content_of(event: Event) -> bytes:
    """The plaintext of an event's payload: compact JSON of what is not its position."""
    content = {
        "id": event.event_id,
        "account": event.account,
        "kind": event.kind,
        "at": event.at.isoformat(),
        "body": event.body,
    }
    return json.dumps(content, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def seal_event(keys: GroupKeys, event: Event) -> SealedEvent:
    return SealedEvent(
        event.device_id,
        event.seq,
        seal_payload(keys.payload, event.device_id, event.seq, content_of(event)),
    )


def open_event(keys: GroupKeys, item: SealedEvent) -> Event:
    """The event a sealed position holds. Raises SealError when it does not open, and
    MessageError when it opens to something that is not an event's content."""
    plaintext = open_payload(keys.payload, item.device, item.seq, item.sealed)
    try:
        content: Any = json.loads(plaintext)
    except ValueError:
        raise MessageError("a payload opened to something that is not JSON") from None
    if not isinstance(content, dict) or set(content) != CONTENT_FIELDS:
        raise MessageError("a payload opened to something that is not an event")
    try:
        at = datetime.fromisoformat(content["at"])
    except (TypeError, ValueError):
        raise MessageError("a payload's event has no readable time") from None
    fields = content["id"], content["account"], content["kind"], at, content["body"]
    return Event(*fields, item.device, item.seq)


def take(ledger: Ledger, keys: GroupKeys, items: Iterable[SealedEvent]) -> Taken:
    """Open each payload and ingest every event that opens, in one durable transaction.

    Raises HostError(STORAGE) when the ledger cannot commit (nothing is taken then)."""
    from native_host.ledger.store import checked_arrival

    events: list[Event] = []
    refused = 0
    for item in items:
        try:
            events.append(checked_arrival(open_event(keys, item)))
        # HostError: INVALID only; the others: a value no check foresaw. One bad item
        # must never keep the honest ones of its batch out.
        except (SealError, MessageError, HostError, ValueError, TypeError, OverflowError) as error:
            refused += 1
            log.warning("refused the payload at %s #%d: %s", item.device, item.seq, error)
    ingested = ledger.ingest(events) if events else None
    if ingested is not None and ingested.conflicts:  # a restored or cloned data folder
        log.warning(
            "positions claimed by two different events (the first is kept): %s",
            ", ".join(f"{device} #{seq}" for device, seq in ingested.conflicts),
        )
    return Taken(ingested, refused)


def sealed_after(ledger: Ledger, keys: GroupKeys, vector: dict[str, int]) -> list[SealedEvent]:
    """Every position this ledger holds past `vector`, sealed, in (device, seq) order."""
    return seal_all(keys, ledger.events_after(vector))


def seal_all(keys: GroupKeys, events: Sequence[Event]) -> list[SealedEvent]:
    return [seal_event(keys, event) for event in events]
