"""Fold an account's events into its tally for the current period (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
                "total": self.used_total,
                "by_device": self.used_by_device,
                "by_operation": self.used_by_operation,
            },
            "remaining": self.remaining,
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
    from datetime import UTC

    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
