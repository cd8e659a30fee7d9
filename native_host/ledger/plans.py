"""Genspark's plans as data with effective dates, never as code paths.

When the site changes a plan, add a row here (with its `since`) rather than editing
logic. Figures are defaults: a user's own setting or what the helper learned from the
site's balance takes precedence (see AccountConfig).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

PeriodKind = Literal["day", "month"]


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    period: PeriodKind
    allowance: float
    price_usd: float | None


@dataclass(frozen=True, slots=True)
class FreeOperationRule:
    """Operations a plan does not charge for between two instants (until is exclusive)."""

    plans: frozenset[str]
    operations: frozenset[str]
    since: datetime | None
    until: datetime | None


PLANS: dict[str, Plan] = {
    "free": Plan("free", "day", 100, 0),  # some sources say 200: learned from the site
    "plus": Plan("plus", "month", 10_000, 24.99),
    "pro": Plan("pro", "month", 125_000, 249.99),
    "team": Plan("team", "month", 10_000, None),  # per seat and contract: set the allowance
    "custom": Plan("custom", "month", 10_000, None),
}

FREE_OPERATION_RULES: tuple[FreeOperationRule, ...] = (
    # Paid plans: AI chat without credits through 2025-12-31.
    FreeOperationRule(
        plans=frozenset({"plus", "pro", "team"}),
        operations=frozenset({"chat"}),
        since=None,
        until=datetime(2026, 1, 1, tzinfo=UTC),
    ),
)


def plan_for(name: str) -> Plan:
    return PLANS.get(name, PLANS["custom"])


def is_free_operation(plan: str, operation: str, at: datetime) -> bool:
    """True when the plan charges nothing for this operation at that instant."""
    for rule in FREE_OPERATION_RULES:
        applies = plan in rule.plans and operation in rule.operations
        if applies and (rule.since or at) <= at and (rule.until is None or at < rule.until):
            return True
    return False
