"""Which operations a balance drop belongs to (pure; the rule is in docs/PROTOCOL.md).

The site's balance is the truth about what was spent; usage events say on what. The site
may take an operation's credits when it is requested or when it completes, and may book
them a few seconds after the answer; the page may read the balance a moment before the
charge shows; another device's clock may be a little off. So a reading is matched to the
operations that could have been charged by then:

1. *due* operations (finished at least `BOOKING_LAG` before the reading: charged by now
   if they ever will be) are settled at this reading, whatever it shows: known costs
   first (scaled down to the drop when they exceed it), the rest of the drop shared
   among the ones of unknown cost in proportion to their default costs;
2. when no due operation of unknown cost took the rest of a drop, the *near* ones (begun
   before the reading, give or take `CLOCK_SKEW`, and not due: still running, or finished
   too recently to be sure) take it, as above; a near operation no drop is left for
   stays pending;
3. what no operation takes is usage by "other devices"; a rise is a top-up.

Operations no reading has settled yet are pending: the tally counts them at their known
cost or their estimate. Every decision looks at times and contents only, so the result
is a function of the set of events, never of the order they arrived in.

`Attribution` is fed events in `sort_key` order and settles a reading once an event
later than `CLOCK_SKEW` after it has been fed (no operation that can still arrive in
order can be matched to it); `preview` settles the rest as if no more were coming.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from native_host.ledger.events import Event

BOOKING_LAG = timedelta(seconds=10)  # the site may show a cost this long after the answer
CLOCK_SKEW = timedelta(seconds=1)  # how far another device's stamp may be off this clock


@dataclass(frozen=True, slots=True)
class Costing:
    """What the rule needs to know of costs: the cost an operation carries (None when
    unknown), and its weight when a drop is shared among operations of unknown cost."""

    known: Callable[[Event], float | None]
    weight: Callable[[Event], float]


@dataclass(frozen=True, slots=True)
class Share:
    """Credits of a drop booked to one operation; `measured` when they came from the
    balance rather than from a cost the operation carried; `clear` when the operation had
    finished by the reading or had only just begun (the drop is most likely its own: a
    cost can be learned from it)."""

    event: Event
    credits: float
    measured: bool
    clear: bool = True


@dataclass(frozen=True, slots=True)
class Settlement:
    """One credit reading, explained: `drop` is None when no balance came before it."""

    reading: Event
    drop: float | None
    shares: tuple[Share, ...]
    other: float  # the part of the drop no recorded operation explains

    @property
    def topped_up(self) -> float:
        return -self.drop if self.drop is not None and self.drop < 0 else 0.0


def ended_at(event: Event) -> datetime:
    """When a usage event's operation finished (its start when the sender did not say)."""
    ended = event.body.get("ended_at")
    return datetime.fromisoformat(ended) if ended else event.at


def settle(
    reading: Event, pending: Sequence[Event], balance: float | None, costing: Costing
) -> tuple[Settlement, list[Event], float]:
    """Explain one reading by the pending usage (see the module doc).

    Returns the settlement, the usage still pending after it, and the reading's balance.
    """
    at = reading.at
    new_balance = float(reading.body["balance"])
    drop = None if balance is None else balance - new_balance
    due: list[Event] = []
    near: list[Event] = []
    for op in pending:
        if ended_at(op) <= at - BOOKING_LAG:
            due.append(op)
        elif op.at < at + CLOCK_SKEW:
            near.append(op)
    shares, residual, unknown_took_rest = _share(due, max(drop or 0.0, 0.0), costing, at)
    if not unknown_took_rest and residual > 0 and near:
        more, residual, _ = _share(near, residual, costing, at)
        shares += more
    settled = {id(share.event) for share in shares} | {id(op) for op in due}
    still = [op for op in pending if id(op) not in settled]
    return Settlement(reading, drop, tuple(shares), residual), still, new_balance


def _share(
    ops: Sequence[Event], drop: float, costing: Costing, at: datetime
) -> tuple[list[Share], float, bool]:
    """Book `drop` to `ops` (read at `at`); returns the shares, what is left, and whether
    operations of unknown cost took the rest (then nothing is left)."""
    costs = [(op, costing.known(op)) for op in ops]
    known = [(op, cost) for op, cost in costs if cost is not None]
    unknown = [op for op, cost in costs if cost is None]
    total_known = sum(cost for _, cost in known)
    scale = 1.0 if total_known <= drop else drop / total_known
    shares = [Share(op, cost * scale, False) for op, cost in known]
    left = drop - total_known * scale
    if not unknown:
        return shares, left, False
    weights = [costing.weight(op) for op in unknown]
    total = sum(weights)
    for op, weight in zip(unknown, weights, strict=True):
        clear = ended_at(op) <= at or op.at >= at - BOOKING_LAG
        shares.append(Share(op, left * weight / total, True, clear))
    return shares, 0.0, True


class Attribution:
    """The running attribution of a stream of usage events and credit readings."""

    def __init__(self, opening: float | None, costing: Costing) -> None:
        self.balance = opening  # of the last settled reading (or the period's allowance)
        self.last: Event | None = None  # the last settled reading
        self.pending: list[Event] = []  # usage no settled reading has explained
        self.open: list[Event] = []  # readings that events still to come may explain
        self.costing = costing

    def feed(self, event: Event) -> list[Settlement]:
        """Take the next usage event or credit reading; returns the readings settled."""
        (self.pending if event.kind == "usage" else self.open).append(event)
        settled: list[Settlement] = []
        while self.open and self.open[0].at + CLOCK_SKEW < event.at:
            self.last = self.open.pop(0)
            settlement, self.pending, self.balance = settle(
                self.last, self.pending, self.balance, self.costing
            )
            settled.append(settlement)
        return settled

    def preview(self) -> tuple[list[Settlement], list[Event]]:
        """Settle the open readings as if nothing more were coming, without keeping it:
        their settlements, and the usage still pending after them."""
        settled: list[Settlement] = []
        pending, balance = self.pending, self.balance
        for reading in self.open:
            settlement, pending, balance = settle(reading, pending, balance, self.costing)
            settled.append(settlement)
        return settled, pending
