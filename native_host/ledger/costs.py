"""What an operation is likely to cost: learned figures, else conservative defaults.

Genspark does not publish per-model costs, so they are learned from the site's own
balance: when a reading's drop is explained (ledger/attribution.py) with exactly one
operation of unknown cost taking a measured share, that share is one sample for that
operation and model; a cost an operation reported is one too. Until MIN_SAMPLES exist,
the estimate is the default or the largest sample seen, whichever is higher:
over-warning costs a click, under-warning costs credits.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from native_host.ledger.attribution import Attribution, Costing, Settlement
from native_host.ledger.events import Event
from native_host.ledger.plans import is_free_operation

EstimateSource = Literal["learned", "default", "plan"]

# Conservative defaults, heaviest first: video > image > analysis > slides > chat.
DEFAULT_COSTS: dict[str, float] = {
    "video": 200,
    "image": 40,
    "analysis": 30,
    "agent": 30,
    "audio": 20,
    "slides": 15,
    "sheets": 10,
    "other": 10,
    "chat": 2,
    "search": 2,
}
MIN_SAMPLES = 3
KEEP_SAMPLES = 20  # recent samples per key: prices change, old ones age out
CREDIT_WINDOWS = (None, "day", "month", "total")  # balance readings of credits, not side quotas


@dataclass(frozen=True, slots=True)
class CostEstimate:
    credits: float
    source: EstimateSource  # "plan": the plan makes it free (paid-plan chat until 2025-12-31)
    samples: int  # balance-change samples behind the figure


Samples = dict[tuple[str, str | None], deque[float]]


def _samples() -> Samples:
    return defaultdict(lambda: deque(maxlen=KEEP_SAMPLES))


class CostBook:
    """Recent cost samples per (operation, model) and per operation over all models.

    Feed it events in `sort_key` order, one at a time (the helper does so as they are
    recorded) or all at once with `learn`; `table` is what it knows, the readings still
    open to late events (ledger/attribution.py) included.
    """

    def __init__(self, plan: str = "free") -> None:
        self.samples: Samples = _samples()  # from settled readings and reported costs
        self._attribution = Attribution(None, costing_for(plan))
        self._table: Samples | None = None

    def add(self, operation: str, model: str | None, credits: float) -> None:
        _add(self.samples, operation, model, credits)
        self._table = None

    def feed(self, event: Event) -> None:
        if event.kind == "usage":
            credits = event.body.get("credits")
            if credits is not None:
                self.add(event.body["operation"], event.body.get("model"), credits)
        elif not is_credit_reading(event):
            return
        self._table = None
        for settlement in self._attribution.feed(event):
            _learn(self.samples, settlement)

    def table(self) -> Samples:
        if self._table is None:
            settlements, _ = self._attribution.preview()
            table = self.samples
            if settlements:
                table = _samples()
                table.update(
                    (key, deque(found, KEEP_SAMPLES)) for key, found in self.samples.items()
                )
                for settlement in settlements:
                    _learn(table, settlement)
            self._table = table
        return self._table


def _add(samples: Samples, operation: str, model: str | None, credits: float) -> None:
    samples[(operation, None)].append(credits)
    if model:
        samples[(operation, model)].append(credits)


def _learn(samples: Samples, settlement: Settlement) -> None:
    """One sample when exactly one operation of unknown cost took a measured share, and
    the reading clearly shows it (finished by then, or only just begun)."""
    if settlement.drop is None or settlement.drop <= 0:
        return
    measured = [share for share in settlement.shares if share.measured]
    if len(measured) == 1 and measured[0].clear and measured[0].credits > 0:
        only = measured[0].event
        _add(samples, only.body["operation"], only.body.get("model"), measured[0].credits)


def costing_for(plan: str) -> Costing:
    """Costs as the attribution rule sees them under `plan`: reported, or nothing for
    what the plan makes free; unknown-cost operations share drops by default cost."""

    def known(event: Event) -> float | None:
        if is_free_operation(plan, event.body["operation"], event.at):
            return 0.0
        credits = event.body.get("credits")
        return None if credits is None else float(credits)

    return Costing(known=known, weight=lambda event: default_cost(event.body["operation"]))


def is_credit_reading(event: Event) -> bool:
    return event.kind == "balance" and event.body.get("window") in CREDIT_WINDOWS


def default_cost(operation: str) -> float:
    return DEFAULT_COSTS.get(operation, DEFAULT_COSTS["other"])


def learn(events: Iterable[Event], plan: str = "free") -> CostBook:
    """A book fed with events sorted by `sort_key` (any span of history)."""
    book = CostBook(plan)
    for event in events:
        book.feed(event)
    return book


def estimate(
    book: CostBook, plan: str, operation: str, model: str | None, at: datetime
) -> CostEstimate:
    if is_free_operation(plan, operation, at):
        return CostEstimate(0.0, "plan", 0)
    default = default_cost(operation)
    table = book.table()
    for key in ((operation, model), (operation, None)):
        found = table.get(key)
        if found and len(found) >= MIN_SAMPLES:
            return CostEstimate(round(_median(found), 2), "learned", len(found))
    fewer = table.get((operation, model)) or table.get((operation, None))
    if fewer:
        return CostEstimate(max(default, max(fewer)), "default", len(fewer))
    return CostEstimate(default, "default", 0)


def _median(values: Iterable[float]) -> float:
    """The median, without importing statistics (and its decimal and fractions) at start."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
