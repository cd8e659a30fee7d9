"""What an operation is likely to cost: learned figures, else conservative defaults.

Genspark does not publish per-model costs, so they are learned from the site's own
balance: a drop between two readings with exactly one operation in between (and no
cost reported for it) is one sample for that operation and model. Until MIN_SAMPLES
exist, the estimate is the default or the largest sample seen, whichever is higher:
over-warning costs a click, under-warning costs credits.
"""

from __future__ import annotations

import statistics
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

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


class CostBook:
    """Recent cost samples per (operation, model) and per operation over all models.

    Feed it events in `sort_key` order, one at a time (the helper does so as they are
    recorded) or all at once with `learn`.
    """

    def __init__(self) -> None:
        self.samples: dict[tuple[str, str | None], deque[float]] = defaultdict(
            lambda: deque(maxlen=KEEP_SAMPLES)
        )
        self._reading: float | None = None
        self._since_reading: list[Event] = []

    def add(self, operation: str, model: str | None, credits: float) -> None:
        self.samples[(operation, None)].append(credits)
        if model:
            self.samples[(operation, model)].append(credits)

    def feed(self, event: Event) -> None:
        if event.kind == "usage":
            credits = event.body.get("credits")
            if credits is not None:
                self.add(event.body["operation"], event.body.get("model"), credits)
            self._since_reading.append(event)
        elif is_credit_reading(event):
            balance = float(event.body["balance"])
            if self._reading is not None and len(self._since_reading) == 1:
                only = self._since_reading[0]
                drop = self._reading - balance
                if drop > 0 and only.body.get("credits") is None:
                    self.add(only.body["operation"], only.body.get("model"), drop)
            self._reading, self._since_reading = balance, []


def is_credit_reading(event: Event) -> bool:
    return event.kind == "balance" and event.body.get("window") in CREDIT_WINDOWS


def default_cost(operation: str) -> float:
    return DEFAULT_COSTS.get(operation, DEFAULT_COSTS["other"])


def learn(events: Iterable[Event]) -> CostBook:
    """A book fed with events sorted by `sort_key` (any span of history)."""
    book = CostBook()
    for event in events:
        book.feed(event)
    return book


def estimate(
    book: CostBook, plan: str, operation: str, model: str | None, at: datetime
) -> CostEstimate:
    if is_free_operation(plan, operation, at):
        return CostEstimate(0.0, "plan", 0)
    default = default_cost(operation)
    for key in ((operation, model), (operation, None)):
        found = book.samples.get(key)
        if found and len(found) >= MIN_SAMPLES:
            return CostEstimate(round(statistics.median(found), 2), "learned", len(found))
    fewer = book.samples.get((operation, model)) or book.samples.get((operation, None))
    if fewer:
        return CostEstimate(max(default, max(fewer)), "default", len(fewer))
    return CostEstimate(default, "default", 0)
