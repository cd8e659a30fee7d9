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
from datetime import datetime, timedelta

from native_host.config import (
    GLOBAL_ACCOUNT,
    AccountConfig,
    GlobalConfig,
    account_config,
    global_config,
)
from native_host.ledger import costs
from native_host.ledger.costs import CostBook, CostEstimate
from native_host.ledger.events import Event, NewEvent, sort_key
from native_host.ledger.store import Ledger
from native_host.ledger.tally import Tally, compute_tally

HISTORY = timedelta(days=100)  # a monthly period plus enough history to learn costs from


@dataclass
class _Account:
    events: list[Event]  # usage and balance events since the history horizon, in fold order
    config_changes: list[Event]
    config: AccountConfig
    book: CostBook | None = None
    tally: Tally | None = None
    keys: list[tuple[datetime, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.keys = [sort_key(event) for event in self.events]

    def add(self, event: Event) -> None:
        if event.kind == "config":
            self.config_changes.append(event)
            self.config_changes.sort(key=sort_key)
            self.config = account_config(change.body for change in self.config_changes)
        else:
            key = sort_key(event)
            index = bisect.bisect(self.keys, key)
            self.keys.insert(index, key)
            self.events.insert(index, event)
        self.book = None
        self.tally = None


class Tallies:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._accounts: dict[str, _Account] = {}
        self._global: GlobalConfig | None = None
        self._version = ledger.data_version()

    def refresh(self) -> bool:
        """Drop the cache if another process committed since; True when it did."""
        version = self.ledger.data_version()
        if version == self._version:
            return False
        self._version = version
        self._accounts.clear()
        self._global = None
        return True

    def append(self, events: Sequence[NewEvent]) -> list[Event | None]:
        """Append durably, then fold what was stored into the cache."""
        self.refresh()
        stored = self.ledger.append(events)  # our own commit leaves data_version as it was
        for event in stored:
            if event is None:
                continue
            if event.account == GLOBAL_ACCOUNT:
                self._global = None
            elif event.account in self._accounts:
                self._accounts[event.account].add(event)
        return stored

    def _load(self, account: str, now: datetime) -> _Account:
        cached = self._accounts.get(account)
        if cached is None:
            changes = self.ledger.events(account, kinds=("config",))
            events = self.ledger.events(account, since=now - HISTORY, kinds=("usage", "balance"))
            config = account_config(change.body for change in changes)
            cached = self._accounts[account] = _Account(events, changes, config)
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
        cached = self._load(account, now)
        if cached.tally is None or now >= cached.tally.period_end:
            cached.tally = compute_tally(
                account, cached.events, cached.config, self._book(cached), now
            )
        return cached.tally

    def estimate(
        self, account: str, operation: str, model: str | None, now: datetime
    ) -> CostEstimate:
        cached = self._load(account, now)
        return costs.estimate(self._book(cached), cached.config.plan, operation, model, now)

    def known_accounts(self) -> list[str]:
        return list(self._accounts)

    @staticmethod
    def _book(cached: _Account) -> CostBook:
        if cached.book is None:
            cached.book = costs.learn(cached.events)
        return cached.book
