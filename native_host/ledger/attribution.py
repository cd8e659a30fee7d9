"""Which operations a balance drop belongs to (pure; the rule is in docs/PROTOCOL.md).

The site's balance is the truth about what was spent; usage events say on what. The site
may take an operation's credits when it is requested or when it completes, and the page
may read the new balance a moment before or after the operation's event is stamped, on
this device or another. So a reading is not matched to "the usage between it and the
reading before" but to the usage around it, within `WINDOW`:

1. *due* operations (finished at or before the reading) are settled at this reading,
   whatever it shows: known costs first (scaled down to the drop when they exceed it),
   the rest of the drop shared among the ones of unknown cost in proportion to their
   default costs;
2. when no due operation of unknown cost took the rest of a drop, the *near* ones take
   it, as above: still running at the reading, or begun less than `WINDOW` after it with
   no later reading within `WINDOW` of their start (that one would show their cost); a
   near operation no drop is left for stays pending;
3. what no operation takes is usage by "other devices"; a rise is a top-up.

Operations no reading has settled yet are pending: the tally counts them at their known
cost or their estimate. Every decision looks at times and contents only, so the result
is a function of the set of events, never of the order they arrived in.

`Attribution` is fed events in `sort_key` order and settles a reading once an event
later than `SETTLED_AFTER` after it has been fed (nothing that can still arrive in order can
change it); `preview` settles the rest as if no more were coming.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from native_host.ledger.events import Event

WINDOW = timedelta(seconds=10)
# A reading can be settled for good once nothing that may still arrive in order can
# change it: operations begun within WINDOW after it, and readings within WINDOW of those.
SETTLED_AFTER = 2 * WINDOW


@dataclass(frozen=True, slots=True)
class Costing:
    """What the rule needs to know of costs: the cost an operation carries (None when
    unknown), and its weight when a drop is shared among operations of unknown cost."""

    known: Callable[[Event], float | None]
    weight: Callable[[Event], float]


@dataclass(frozen=True, slots=True)
class Share:
    """Credits of a drop booked to one operation; `measured` when they came from the
    balance rather than from a cost the operation carried."""

    event: Event
    credits: float
    measured: bool


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
    reading: Event,
    pending: Sequence[Event],
    balance: float | None,
    costing: Costing,
    next_reading: Event | None = None,
) -> tuple[Settlement, list[Event], float]:
    """Explain one reading by the pending usage (see the module doc).

    An operation begun after the reading is near only when no later reading comes within
    `WINDOW` of it (`next_reading`): that one would show its cost.
    Returns the settlement, the usage still pending after it, and the reading's balance.
    """
    at = reading.at
    new_balance = float(reading.body["balance"])
    drop = None if balance is None else balance - new_balance

    def near_one(op: Event) -> bool:
        if op.at <= at:
            return ended_at(op) > at  # still running at the reading
        return op.at <= at + WINDOW and (next_reading is None or next_reading.at > op.at + WINDOW)

    due = [op for op in pending if ended_at(op) <= at]
    near = [op for op in pending if near_one(op)]
    shares, residual, taken = _share(due, max(drop or 0.0, 0.0), costing)
    if not taken and residual > 0 and near:
        more, residual, _ = _share(near, residual, costing)
        shares += more
    settled = {id(share.event) for share in shares} | {id(op) for op in due}
    still = [op for op in pending if id(op) not in settled]
    return Settlement(reading, drop, tuple(shares), residual), still, new_balance


def _share(ops: Sequence[Event], drop: float, costing: Costing) -> tuple[list[Share], float, bool]:
    """Book `drop` to `ops`; returns the shares, what is left, and whether operations of
    unknown cost took the rest (then nothing is left)."""
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
    shares += [Share(op, left * w / total, True) for op, w in zip(unknown, weights, strict=True)]
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
        while self.open and self.open[0].at + SETTLED_AFTER < event.at:
            self.last = self.open.pop(0)
            settlement, self.pending, self.balance = settle(
                self.last, self.pending, self.balance, self.costing, _first(self.open)
            )
            settled.append(settlement)
        return settled

    def preview(self) -> tuple[list[Settlement], list[Event]]:
        """Settle the open readings as if nothing more were coming, without keeping it:
        their settlements, and the usage still pending after them."""
        settled: list[Settlement] = []
        pending, balance = self.pending, self.balance
        for index, reading in enumerate(self.open):
            after = _first(self.open[index + 1 :])
            settlement, pending, balance = settle(reading, pending, balance, self.costing, after)
            settled.append(settlement)
        return settled, pending


def _first(readings: Sequence[Event]) -> Event | None:
    return readings[0] if readings else None
