"""Fold an account's events into its tally for the current period (pure).

The site's balance is the ground truth: the drops between readings (the first measured
from the allowance) are explained by the usage around them (ledger/attribution.py);
what no recorded operation explains is usage by "other devices", a rise is a top-up.
Usage no reading has settled yet counts at its known cost or its estimate.
Remaining = the last reading minus that pending usage, else allowance minus usage; so
used + remaining = allowance + topped up, until usage passes them.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from native_host.config import AccountConfig, account_config
from native_host.ledger.attribution import Attribution, Settlement
from native_host.ledger.costs import CostBook, costing_for, estimate, is_credit_reading
from native_host.ledger.events import Event, sort_key
from native_host.ledger.periods import period_bounds, reset_candidate
from native_host.ledger.plans import PeriodKind, plan_for

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
    topped_up: float = 0.0  # rises of the balance this period: credit packs, carry-over

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
            "topped_up": _round(self.topped_up),
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
    """UTC, millisecond precision, with a Z: the one spelling of instants on the wire."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _round(value: float) -> float:
    return round(value, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


def allowance_of(config: AccountConfig) -> float:
    return config.allowance if config.allowance is not None else plan_for(config.plan).allowance


def bounds_of(config: AccountConfig, now: datetime) -> tuple[datetime, datetime]:
    kind = config.period or plan_for(config.plan).period
    day_or_month: PeriodKind = "day" if kind == "day" else "month"
    return period_bounds(day_or_month, config.reset_time, config.billing_day, now)


@dataclass(slots=True)
class _Counts:
    """Credits booked so far: by device, by operation, by UTC day; and the top-ups."""

    by_device: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    by_operation: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    by_day: dict[date, float] = field(default_factory=lambda: defaultdict(float))
    topped_up: float = 0.0

    def copy(self) -> _Counts:
        return _Counts(
            defaultdict(float, self.by_device),
            defaultdict(float, self.by_operation),
            defaultdict(float, self.by_day),
            self.topped_up,
        )

    def add(self, other: _Counts) -> None:
        for device, credits in other.by_device.items():
            self.by_device[device] += credits
        for operation, credits in other.by_operation.items():
            self.by_operation[operation] += credits
        for day, credits in other.by_day.items():
            self.by_day[day] += credits
        self.topped_up += other.topped_up

    def count(self, event: Event, credits: float) -> None:
        self.by_device[event.device_id] += credits
        self.by_operation[event.body["operation"]] += credits
        self.by_day[event.at.astimezone(UTC).date()] += credits

    def book(self, settlement: Settlement) -> None:
        for share in settlement.shares:
            self.count(share.event, share.credits)
        if settlement.other > 0:
            self.by_device[OTHER_DEVICES] += settlement.other
            self.by_day[settlement.reading.at.astimezone(UTC).date()] += settlement.other
        self.topped_up += settlement.topped_up


class PeriodFold:
    """The running fold of one period: feed events in `sort_key` order, read a Tally.

    Feeding is incremental (the helper feeds each new event as it is recorded) and gives
    exactly what folding the whole list again would. Reading a tally settles the readings
    still open (ledger/attribution.py) on a copy, and costs the pending usage from the
    cost book as it is then.
    """

    def __init__(self, account: str, config: AccountConfig, now: datetime) -> None:
        self.account = account
        self.plan = config.plan
        self.start, self.end = bounds_of(config, now)
        self.allowance = allowance_of(config)
        self.counts = _Counts()  # what settled readings booked
        self.attribution = Attribution(self.allowance, costing_for(self.plan))
        self.known = self.attribution.costing.known
        # The pending usage, kept summed (known costs) and listed (unknown ones), so a
        # tally costs the same however much usage awaits a reading.
        self.pending_known = _Counts()
        self.pending_known_cost = 0.0
        self.pending_unknown: list[Event] = []
        self.windows: dict[str, Window] = {}

    def feed(self, event: Event) -> None:
        if event.kind == "balance" and not is_credit_reading(event):
            self._note_window(event)
        elif self.start <= event.at < self.end and event.kind in ("usage", "balance"):
            if event.kind == "usage":
                self._pend(event, +1)
            for settlement in self.attribution.feed(event):
                self.counts.book(settlement)
                for share in settlement.shares:
                    self._pend(share.event, -1)
            if not self.attribution.pending:  # start the sums afresh: no rounding drift
                self.pending_known, self.pending_known_cost = _Counts(), 0.0

    def snapshot(self, book: CostBook) -> tuple[_Counts, float, Event | None]:
        """Everything booked as if no more events were coming: the counts (pending usage
        at its known cost or estimate), what the pending usage costs, the last reading."""
        settlements, pending = self.attribution.preview()
        counts = self.counts.copy()
        if settlements:  # readings still open: cost the usage they leave pending
            for settlement in settlements:
                counts.book(settlement)
            costs = [(event, self._cost(event, book)) for event in pending]
        else:
            counts.add(self.pending_known)
            costs = [(event, self._cost(event, book)) for event in self.pending_unknown]
        pending_cost = 0.0 if settlements else self.pending_known_cost
        for event, cost in costs:
            counts.count(event, cost)
            pending_cost += cost
        last = settlements[-1].reading if settlements else self.attribution.last
        return counts, pending_cost, last

    def _cost(self, event: Event, book: CostBook) -> float:
        """A pending operation's cost: the one it carries, else its estimate."""
        cost = self.known(event)
        if cost is None:
            operation, model = event.body["operation"], event.body.get("model")
            cost = estimate(book, self.plan, operation, model, event.at).credits
        return cost

    def _pend(self, event: Event, sign: int) -> None:
        """Add a usage event to the pending sums (+1), or take a settled one out (-1)."""
        cost = self.known(event)
        if cost is None:
            if sign > 0:
                self.pending_unknown.append(event)
            else:
                self.pending_unknown = [e for e in self.pending_unknown if e is not event]
            return
        self.pending_known.count(event, sign * cost)
        self.pending_known_cost += sign * cost

    def used_by_day(self, book: CostBook) -> dict[date, float]:
        return self.snapshot(book)[0].by_day

    def tally(self, book: CostBook, now: datetime) -> Tally:
        counts, pending_cost, last = self.snapshot(book)
        used_total = sum(counts.by_device.values())
        if last is None:
            remaining = self.allowance - used_total
        else:
            remaining = float(last.body["balance"]) - pending_cost
        return Tally(
            account=self.account,
            plan=self.plan,
            period_start=self.start,
            period_end=self.end,
            allowance=self.allowance,
            used_total=used_total,
            used_by_device=dict(counts.by_device),
            used_by_operation=dict(counts.by_operation),
            remaining=max(remaining, 0.0),
            observed_balance=None if last is None else float(last.body["balance"]),
            observed_at=None if last is None else last.at,
            windows={
                name: window
                for name, window in self.windows.items()
                if window.reset_at is None or window.reset_at > now
            },
            topped_up=counts.topped_up,
        )

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


def effective_config(changes: Sequence[Event], readings: Iterable[Event]) -> AccountConfig:
    """An account's settings: its config changes and what its credit readings teach,
    walked together in `sort_key` order (a function of the set of events, so every device
    and every order of arrival learns the same reset time and allowance)."""
    merged = sorted([*changes, *(e for e in readings if is_credit_reading(e))], key=sort_key)
    config = account_config([])
    applied: list[dict[str, Any]] = []
    previous: Event | None = None
    for event in merged:
        if event.kind == "config":
            applied.append(event.body)
            config = account_config(applied)
            continue
        learned = lessons(previous, float(event.body["balance"]), event.at, config)
        if learned:
            applied.append({"set": learned, "learned": True})
            config = account_config(applied)
        previous = event
    return config


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
