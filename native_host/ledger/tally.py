"""Fold an account's events into its tally for the current period (pure).

The site's balance is the ground truth; recorded usage explains the drops between two
readings. Walking the period's events in `sort_key` order:
- a usage event with a known cost (reported, or free under the plan) counts that cost;
- at each credit reading, the drop since the previous reading (or since the allowance,
  for the first reading of the period) is shared among the usage events in between
  that had no known cost, in proportion to their estimates; when there were none, the
  drop left over after known costs is usage by "other devices" (a phone, the app);
- a rise that usage cannot explain is a top-up (or credits carried over): no usage;
- usage after the last reading counts at its known cost or its estimate.
Remaining = the last reading minus usage after it, else allowance minus usage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from native_host.config import AccountConfig
from native_host.ledger.costs import CostBook, estimate, is_credit_reading
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


class _Period:
    """Accumulates the usage of one period while its events are walked."""

    def __init__(self, book: CostBook, plan: str) -> None:
        self.book = book
        self.plan = plan
        self.by_device: dict[str, float] = defaultdict(float)
        self.by_operation: dict[str, float] = defaultdict(float)
        self.pending: list[Event] = []

    def known_cost(self, event: Event) -> float | None:
        if is_free_operation(self.plan, event.body["operation"], event.at):
            return 0.0
        credits = event.body.get("credits")
        return None if credits is None else float(credits)

    def estimated_cost(self, event: Event) -> float:
        operation, model = event.body["operation"], event.body.get("model")
        return estimate(self.book, self.plan, operation, model, event.at).credits

    def count(self, event: Event, credits: float) -> None:
        self.by_device[event.device_id] += credits
        self.by_operation[event.body["operation"]] += credits

    def settle(self, drop: float) -> None:
        """Explain a balance drop by the pending usage events (see the module doc)."""
        unknown = []
        known_total = 0.0
        for event in self.pending:
            cost = self.known_cost(event)
            if cost is None:
                unknown.append(event)
            else:
                known_total += cost
                self.count(event, cost)
        residual = max(drop - known_total, 0.0)
        if unknown:
            weights = [self.estimated_cost(event) for event in unknown]
            total = sum(weights)
            for event, weight in zip(unknown, weights, strict=True):
                share = weight / total if total > 0 else 1 / len(unknown)
                self.count(event, residual * share)
        elif residual > 0:
            self.by_device[OTHER_DEVICES] += residual
        self.pending = []

    def settle_unread(self) -> float:
        """Count usage after the last reading at known cost or estimate; return its sum."""
        total = 0.0
        for event in self.pending:
            cost = self.known_cost(event)
            cost = self.estimated_cost(event) if cost is None else cost
            self.count(event, cost)
            total += cost
        self.pending = []
        return total


def compute_tally(
    account: str,
    events: Sequence[Event],
    config: AccountConfig,
    book: CostBook,
    now: datetime,
) -> Tally:
    """The tally of the period holding `now`, from events sorted by `sort_key`."""
    start, end = bounds_of(config, now)
    allowance = allowance_of(config)
    period = _Period(book, config.plan)
    reading: float | None = None
    reading_at: datetime | None = None
    windows: dict[str, Window] = {}
    for event in events:
        if event.kind == "balance" and not is_credit_reading(event):
            _note_window(windows, event, now)
            continue
        if not start <= event.at < end:
            continue
        if event.kind == "usage":
            period.pending.append(event)
        elif event.kind == "balance":
            balance = float(event.body["balance"])
            period.settle((allowance if reading is None else reading) - balance)
            reading, reading_at = balance, event.at
    after_reading = period.settle_unread()
    used_total = sum(period.by_device.values())
    remaining = allowance - used_total if reading is None else reading - after_reading
    return Tally(
        account=account,
        plan=config.plan,
        period_start=start,
        period_end=end,
        allowance=allowance,
        used_total=used_total,
        used_by_device=dict(period.by_device),
        used_by_operation=dict(period.by_operation),
        remaining=max(remaining, 0.0),
        observed_balance=reading,
        observed_at=reading_at,
        windows=windows,
    )


def _note_window(windows: dict[str, Window], event: Event, now: datetime) -> None:
    reset_at = event.body.get("reset_at")
    reset = datetime.fromisoformat(reset_at) if reset_at else None
    name = event.body["window"]
    if reset is not None and reset <= now:
        windows.pop(name, None)
        return
    windows[name] = Window(name, float(event.body["balance"]), event.at, reset)


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
