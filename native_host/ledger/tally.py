"""Fold an account's events into its tally for the current period (pure).

The site's balance is the ground truth; recorded usage explains the drops between two
readings. Walking the period's events in `sort_key` order:
- a usage event with a known cost (reported, or free under the plan) counts that cost;
- at each credit reading, the drop since the previous reading (or since the allowance,
  for the first reading of the period) is shared among the usage events in between
  that had no known cost, in proportion to their default costs; when there were none, the
  drop left over after known costs is usage by "other devices" (a phone, the app);
- a rise that usage cannot explain is a top-up (or credits carried over): no usage;
- usage after the last reading counts at its known cost or its estimate.
Remaining = the last reading minus usage after it, else allowance minus usage.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from native_host.config import AccountConfig
from native_host.ledger.costs import CostBook, default_cost, estimate, is_credit_reading
from native_host.ledger.events import Event
from native_host.ledger.periods import period_bounds, reset_candidate
from native_host.ledger.plans import PeriodKind, is_free_operation, plan_for

OTHER_DEVICES = "other"  # by_device key for balance drops no device recorded


@dataclass(frozen=True, slots=True)
class Window:
    """A side quota the site reports apart from credits, such as the 5-hour image window."""

    name: str
    balance: float
    at: datetime
    reset_at: datetime | None


@dataclass(frozen=True, slots=True)
class Tally:
    account: str
    plan: str
    period_start: datetime
    period_end: datetime  # also the next reset instant
    allowance: float
    used_total: float
    used_by_device: dict[str, float]
    used_by_operation: dict[str, float]
    remaining: float
    observed_balance: float | None
    observed_at: datetime | None
    windows: dict[str, Window] = field(default_factory=dict)

    @property
    def reset_at(self) -> datetime:
        return self.period_end

    def to_json(self) -> dict[str, Any]:
        """The tally as the protocol's replies carry it."""
        return {
            "account": self.account,
            "plan": self.plan,
            "period": {"start": rfc3339(self.period_start), "end": rfc3339(self.period_end)},
            "allowance": self.allowance,
            "used": {
                "total": _round(self.used_total),
                "by_device": {k: _round(v) for k, v in self.used_by_device.items()},
                "by_operation": {k: _round(v) for k, v in self.used_by_operation.items()},
            },
            "remaining": _round(self.remaining),
            "observed_balance": self.observed_balance,
            "observed_at": rfc3339(self.observed_at) if self.observed_at else None,
            "reset_at": rfc3339(self.reset_at),
            "windows": {
                w.name: {
                    "balance": w.balance,
                    "at": rfc3339(w.at),
                    "reset_at": rfc3339(w.reset_at) if w.reset_at else None,
                }
                for w in self.windows.values()
            },
        }


def rfc3339(moment: datetime) -> str:
    """UTC, second precision, with a Z: the one spelling of instants on the wire."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _round(value: float) -> float:
    return round(value, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


def allowance_of(config: AccountConfig) -> float:
    return config.allowance if config.allowance is not None else plan_for(config.plan).allowance


def bounds_of(config: AccountConfig, now: datetime) -> tuple[datetime, datetime]:
    kind = config.period or plan_for(config.plan).period
    day_or_month: PeriodKind = "day" if kind == "day" else "month"
    return period_bounds(day_or_month, config.reset_time, config.billing_day, now)


class PeriodFold:
    """The running fold of one period: feed events in `sort_key` order, read a Tally.

    Feeding is incremental (the helper feeds each new event as it is recorded) and gives
    exactly what folding the whole list again would: nothing fed depends on what comes
    later. Only usage after the last reading is costed at read time, from the cost book
    as it is then. A drop shared among several unknown-cost operations is split in
    proportion to their default costs (not learned ones), for that reason.
    """

    def __init__(self, account: str, config: AccountConfig, now: datetime) -> None:
        self.account = account
        self.plan = config.plan
        self.start, self.end = bounds_of(config, now)
        self.allowance = allowance_of(config)
        self.by_device: dict[str, float] = defaultdict(float)
        self.by_operation: dict[str, float] = defaultdict(float)
        self.by_day: dict[date, float] = defaultdict(float)  # UTC day of the usage
        self.unknown: list[Event] = []  # usage of unknown cost since the last credit reading
        self.known_since_reading = 0.0  # known costs since then, already counted
        self.reading: float | None = None
        self.reading_at: datetime | None = None
        self.windows: dict[str, Window] = {}

    def feed(self, event: Event) -> None:
        if event.kind == "balance" and not is_credit_reading(event):
            self._note_window(event)
        elif not self.start <= event.at < self.end:
            return
        elif event.kind == "usage":
            cost = self._known_cost(event)
            if cost is None:
                self.unknown.append(event)
            else:
                self._count(event, cost)
                self.known_since_reading += cost
        elif event.kind == "balance":
            balance = float(event.body["balance"])
            drop = (self.allowance if self.reading is None else self.reading) - balance
            self._settle(drop, event.at)
            self.reading, self.reading_at = balance, event.at

    def unread_costs(self, book: CostBook) -> list[tuple[Event, float]]:
        """Usage of unknown cost since the last reading, at its estimate."""
        return [
            (
                event,
                estimate(
                    book, self.plan, event.body["operation"], event.body.get("model"), event.at
                ).credits,
            )
            for event in self.unknown
        ]

    def used_by_day(self, book: CostBook) -> dict[date, float]:
        by_day = defaultdict(float, self.by_day)
        for event, cost in self.unread_costs(book):
            by_day[event.at.astimezone(UTC).date()] += cost
        return by_day

    def tally(self, book: CostBook, now: datetime) -> Tally:
        by_device = defaultdict(float, self.by_device)
        by_operation = defaultdict(float, self.by_operation)
        after_reading = self.known_since_reading
        for event, cost in self.unread_costs(book):
            by_device[event.device_id] += cost
            by_operation[event.body["operation"]] += cost
            after_reading += cost
        used_total = sum(by_device.values())
        if self.reading is None:
            remaining = self.allowance - used_total
        else:
            remaining = self.reading - after_reading
        return Tally(
            account=self.account,
            plan=self.plan,
            period_start=self.start,
            period_end=self.end,
            allowance=self.allowance,
            used_total=used_total,
            used_by_device=dict(by_device),
            used_by_operation=dict(by_operation),
            remaining=max(remaining, 0.0),
            observed_balance=self.reading,
            observed_at=self.reading_at,
            windows={
                name: window
                for name, window in self.windows.items()
                if window.reset_at is None or window.reset_at > now
            },
        )

    def _known_cost(self, event: Event) -> float | None:
        if is_free_operation(self.plan, event.body["operation"], event.at):
            return 0.0
        credits = event.body.get("credits")
        return None if credits is None else float(credits)

    def _count(self, event: Event, credits: float) -> None:
        self.by_device[event.device_id] += credits
        self.by_operation[event.body["operation"]] += credits
        self.by_day[event.at.astimezone(UTC).date()] += credits

    def _settle(self, drop: float, at: datetime) -> None:
        """Explain a balance drop by the usage since the last reading (see the module doc)."""
        residual = max(drop - self.known_since_reading, 0.0)
        if self.unknown:
            weights = [default_cost(event.body["operation"]) for event in self.unknown]
            total = sum(weights)
            for event, weight in zip(self.unknown, weights, strict=True):
                self._count(event, residual * weight / total)
        elif residual > 0:
            self.by_device[OTHER_DEVICES] += residual
            self.by_day[at.astimezone(UTC).date()] += residual
        self.unknown = []
        self.known_since_reading = 0.0

    def _note_window(self, event: Event) -> None:
        reset_at = event.body.get("reset_at")
        reset = datetime.fromisoformat(reset_at) if reset_at else None
        name = event.body["window"]
        self.windows[name] = Window(name, float(event.body["balance"]), event.at, reset)


def compute_tally(
    account: str,
    events: Sequence[Event],
    config: AccountConfig,
    book: CostBook,
    now: datetime,
) -> Tally:
    """The tally of the period holding `now`, from events sorted by `sort_key`."""
    return fold_period(account, config, now, events).tally(book, now)


def fold_period(
    account: str, config: AccountConfig, now: datetime, events: Iterable[Event]
) -> PeriodFold:
    """The period holding `now`, fed `events` (in `sort_key` order)."""
    fold = PeriodFold(account, config, now)
    for event in events:
        fold.feed(event)
    return fold


def daily_history(
    account: str,
    events: Sequence[Event],
    config: AccountConfig,
    book: CostBook,
    now: datetime,
    days: int = 30,
) -> list[tuple[date, float]]:
    """Credits used per UTC day over the last `days` days, oldest first, today last.

    Each period back to the first day is folded as the tally folds the current one, so a
    day's figure includes other devices' usage seen in that day's readings.
    """
    first_day = now.astimezone(UTC).date() - timedelta(days=days - 1)
    times = [event.at for event in events]
    totals: dict[date, float] = defaultdict(float)
    moment = now
    while True:
        start, end = bounds_of(config, moment)
        in_period = events[bisect.bisect_left(times, start) : bisect.bisect_left(times, end)]
        fold = fold_period(account, config, moment, in_period)
        for day, used in fold.used_by_day(book).items():
            totals[day] += used
        if fold.start.date() <= first_day:
            break
        moment = fold.start - timedelta(microseconds=1)
    return [
        (first_day + timedelta(days=n), totals[first_day + timedelta(days=n)]) for n in range(days)
    ]


def lessons(
    previous: Event | None, balance: float, at: datetime, config: AccountConfig
) -> dict[str, Any]:
    """Settings to learn from a new credit reading (balance at `at`) and the one before.

    - Daily plans: a rise to about the allowance inside what the settings call one
      period means the reset instant is elsewhere: learn it (see reset_candidate).
    - A daily balance above the allowance means the allowance is larger (Free plans are
      reported as both 100 and 200 a day): learn it, unless the user set one.
    """
    learned: dict[str, Any] = {}
    if (config.period or plan_for(config.plan).period) != "day":
        return learned
    allowance = allowance_of(config)
    user_set_allowance = config.allowance is not None and "allowance" not in config.learned
    if balance > allowance and not user_set_allowance:
        learned["allowance"] = balance
        allowance = balance
    if previous is None or float(previous.body["balance"]) >= balance:
        return learned
    same_period = bounds_of(config, previous.at) == bounds_of(config, at)
    if balance >= 0.9 * allowance and same_period:
        candidate = reset_candidate(previous.at, at, config.reset_time)
        if candidate is not None:
            learned["reset_time"] = candidate
    return learned
