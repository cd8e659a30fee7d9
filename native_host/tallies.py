"""The helper's in-memory view of the ledger: current tallies without a query per request.

Each account's recent events are loaded once and kept; events this helper appends are
added in place; when another process commits (PRAGMA data_version moves: a second
browser's helper, a sync), everything is reloaded on next use. A preflight is then pure
computation over memory.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from native_host.config import (
    GLOBAL_ACCOUNT,
    AccountConfig,
    GlobalConfig,
    global_config,
)
from native_host.ledger import costs
from native_host.ledger.costs import CostBook, CostEstimate, is_credit_reading
from native_host.ledger.events import (
    MARKER_KINDS,
    Event,
    Exclusions,
    NewEvent,
    exclusions,
    sort_key,
)
from native_host.ledger.store import Ingested, Ledger
from native_host.ledger.tally import (
    PeriodFold,
    Tally,
    daily_history,
    effective_config,
    fold_period,
    lessons,
)

HISTORY = timedelta(days=100)  # a monthly period plus enough history to learn costs from


@dataclass
class _Account:
    """One account's cached events and the folds over them.

    A new event that sorts last (the usual case: it just happened) is fed to the cost
    book and the period fold in place; one that sorts earlier (a late or synced event)
    drops them, to be rebuilt from the list on next use.
    """

    events: list[Event]  # usage and balance events since the history horizon, in fold order
    config_changes: list[Event]
    config: AccountConfig
    book: CostBook | None = None
    fold: PeriodFold | None = None
    tally: Tally | None = None
    keys: list[tuple[datetime, str]] = field(default_factory=list)
    excluded: Exclusions = field(default_factory=Exclusions)  # undone and forgotten events

    def __post_init__(self) -> None:
        self.keys = [sort_key(event) for event in self.events]

    def add(self, event: Event) -> None:
        if self.excluded.excludes(event):
            return
        self.tally = None
        if event.kind == "config":
            self.config_changes.append(event)
            self.config_changes.sort(key=sort_key)
            self._settings_changed()
            return
        key = sort_key(event)
        reading = is_credit_reading(event)
        if self.keys and key < self.keys[-1]:  # a late or synced event: rebuild
            index = bisect.bisect(self.keys, key)
            self.keys.insert(index, key)
            self.events.insert(index, event)
            if reading:  # only readings (and config) teach settings
                self._settings_changed()
            else:
                self.fold = self.book = None
            return
        before = self._last_reading() if reading else None
        self.keys.append(key)
        self.events.append(event)
        if reading:
            learned = lessons(before, float(event.body["balance"]), event.at, self.config)
            if learned:  # what effective_config would learn from this reading
                self._settings_changed()
                return
        if self.book is not None:
            self.book.feed(event)
        if self.fold is not None:
            self.fold.feed(event)

    def _settings_changed(self) -> None:
        """Derive the settings again (ledger.tally.effective_config); the plan, allowance,
        reset or period may have changed, so the folds are rebuilt on next use."""
        self.config = effective_config(self.config_changes, self.events)
        self.fold = self.book = None

    def _last_reading(self) -> Event | None:
        return next((e for e in reversed(self.events) if is_credit_reading(e)), None)

    def current_tally(self, account: str, now: datetime) -> Tally:
        if self.tally is not None and now < self.tally.period_end and not self._window_due(now):
            return self.tally
        if self.fold is None or now >= self.fold.end:
            self.fold = fold_period(account, self.config, now, self.events)
        self.tally = self.fold.tally(self.cost_book(), now)
        return self.tally

    def cost_book(self) -> CostBook:
        if self.book is None:
            self.book = costs.learn(self.events, self.config.plan)
        return self.book

    def _window_due(self, now: datetime) -> bool:
        """True when a side window in the cached tally has reset since."""
        assert self.tally is not None
        return any(
            w.reset_at is not None and w.reset_at <= now for w in self.tally.windows.values()
        )


class Tallies:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._accounts: dict[str, _Account] = {}
        self._global: GlobalConfig | None = None
        self._version = ledger.data_version()

    def forget(self) -> None:
        """Drop everything cached: after a failed batch, the cache may hold what was not
        stored."""
        self._accounts.clear()
        self._global = None

    def refresh(self) -> bool:
        """Drop the cache if another process committed since; True when it did."""
        version = self.ledger.data_version()
        if version == self._version:
            return False
        self._version = version
        self.forget()
        return True

    def append(self, events: Sequence[NewEvent]) -> list[Event | None]:
        """Append durably, then fold what was stored into the cache.

        Call `refresh` first (dispatch does, once per request), or a commit by another
        process since the last one goes unseen until the next refresh."""
        stored = self.ledger.append(events)  # our own commit leaves data_version as it was
        for event in stored:
            if event is None:
                continue
            if event.account == GLOBAL_ACCOUNT:
                self._global = None
            elif event.kind in MARKER_KINDS:
                self._accounts.pop(event.account, None)  # an undo or a forget: load again
            elif event.account in self._accounts:
                self._accounts[event.account].add(event)
        return stored

    def ingest(self, events: Sequence[Event]) -> Ingested:
        """Take other devices' events (Ledger.ingest); anything stored drops the cache,
        since our own commit leaves data_version as it was."""
        ingested = self.ledger.ingest(events)
        if ingested.kept:
            self.forget()
        return ingested

    def _load(self, account: str, now: datetime) -> _Account:
        cached = self._accounts.get(account)
        if cached is None:
            changes = self.ledger.events(account, kinds=("config", "forget"))
            events = self.ledger.events(
                account, since=now - HISTORY, kinds=("usage", "balance", *MARKER_KINDS)
            )
            excluded = exclusions(changes + events)
            changes, events = excluded.kept(changes), excluded.kept(events)
            config = effective_config(changes, events)
            cached = _Account(events, changes, config, excluded=excluded)
            self._accounts[account] = cached
        return cached

    def config(self, account: str, now: datetime) -> AccountConfig:
        return self._load(account, now).config

    def global_config(self) -> GlobalConfig:
        if self._global is None:
            changes = self.ledger.events(GLOBAL_ACCOUNT, kinds=("config",))
            self._global = global_config(change.body for change in changes)
        return self._global

    def events(self, account: str, now: datetime) -> list[Event]:
        return self._load(account, now).events

    def tally(self, account: str, now: datetime) -> Tally:
        return self._load(account, now).current_tally(account, now)

    def estimate(
        self, account: str, operation: str, model: str | None, now: datetime
    ) -> CostEstimate:
        cached = self._load(account, now)
        return costs.estimate(cached.cost_book(), cached.config.plan, operation, model, now)

    def history(self, account: str, now: datetime) -> list[tuple[date, float]]:
        """Credits used per day over the last 30 days (see ledger.tally.daily_history)."""
        cached = self._load(account, now)
        return daily_history(account, cached.events, cached.config, cached.cost_book(), now)

    def known_accounts(self) -> list[str]:
        return list(self._accounts)
