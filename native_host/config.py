"""Settings: their defaults and how logged changes fold into the effective config.

Settings changes are ledger events like any other (kind "config"), so they sync between
devices; the newest change of each field wins, ties broken by device id and sequence.
Global settings are logged under the account "" (GLOBAL_ACCOUNT).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict

from native_host.messages import Alternative, PlanName

GLOBAL_ACCOUNT = ""

DEFAULT_ALTERNATIVES = (
    Alternative(name="Perplexity", url="https://www.perplexity.ai/"),
    Alternative(name="Felo", url="https://felo.ai/"),
)


class AccountConfig(BaseModel):
    """Per-account settings. `allowance` None means: the plan's own figure."""

    model_config = ConfigDict(frozen=True)

    plan: PlanName = "free"
    allowance: float | None = None
    period: str | None = None  # "day" or "month"; None means: the plan's own period
    reset_time: str = "00:00"  # UTC HH:MM of the daily reset, or of the monthly one
    billing_day: int = 1
    reserve: float = 20.0  # percent of the allowance to keep in hand before warning
    learned: tuple[str, ...] = ()  # names of fields the helper learned rather than the user set


class GlobalConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    language: str = "auto"
    confirm_before_heavy: bool = True
    notifications: bool = True
    notify_thresholds: tuple[int, ...] = (50, 20, 10)
    reset_nudge: bool = True  # remind once before a daily reset that leaves much unused
    alternatives: tuple[Alternative, ...] = DEFAULT_ALTERNATIVES


def fold_changes(changes: Iterable[dict[str, Any]]) -> tuple[dict[str, Any], set[str]]:
    """Fold config-change bodies, given oldest first, into (fields, learned field names).

    A body is `{"set": {...}, "learned": bool}`; a later user change of a field clears
    its learned mark, a later learned change sets it.
    """
    fields: dict[str, Any] = {}
    learned: set[str] = set()
    for body in changes:
        for name, value in body.get("set", {}).items():
            fields[name] = value
            if body.get("learned"):
                learned.add(name)
            else:
                learned.discard(name)
    return fields, learned


def account_config(changes: Iterable[dict[str, Any]]) -> AccountConfig:
    fields, learned = fold_changes(changes)
    return AccountConfig(**fields, learned=tuple(sorted(learned)))


def global_config(changes: Iterable[dict[str, Any]]) -> GlobalConfig:
    fields, _ = fold_changes(changes)
    return GlobalConfig(**fields)
