"""The pace of the current period, and whether the credits last until the reset (pure).

Pace is the credits used this period over the time elapsed since it began (`used_total`
over `now − period_start`): the one figure a tally holds that says how fast credits go,
whatever device spent them. At that pace the remaining credits last `remaining / pace`
hours; when that ends before the reset, it is the forecast run-out.

Early in a period one operation would swing the pace wildly, so there is no pace until
`max(MIN_BASIS, period length × BASIS_SHARE)` has elapsed: an hour of a daily period,
a day of a monthly one (outlook `early`). No usage at all is a pace of 0: the credits
last. A tally with nothing left is `out`, whatever the pace.

The reset nudge: on a daily period (free credits that do not carry over), from
NUDGE_LEAD before the reset, with at least NUDGE_SHARE of the allowance left and no
run-out forecast, the extension may remind the user once (docs/DECISIONS.md, "Pace").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, Literal

from native_host.ledger.tally import Tally, rfc3339

MIN_BASIS: Final = timedelta(hours=1)
BASIS_SHARE: Final = 1 / 30
NUDGE_LEAD: Final = timedelta(hours=3)
NUDGE_SHARE: Final = 0.5
DAILY: Final = timedelta(days=1)  # a period this long or shorter is a daily one
_HOUR: Final = timedelta(hours=1)

Outlook = Literal["early", "lasts", "runs_out", "out"]


@dataclass(frozen=True, slots=True)
class Pace:
    """`per_hour` is None while `early`; `runs_out_at` and `before_reset` are set only for
    `runs_out`; `nudge_at` only on daily periods."""

    per_hour: float | None
    outlook: Outlook
    runs_out_at: datetime | None
    before_reset: timedelta | None
    nudge: bool
    nudge_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        """The `pace` object of `status` accounts and `preflight` replies."""
        return {
            "per_hour": None if self.per_hour is None else round(self.per_hour, 2) + 0.0,
            "outlook": self.outlook,
            "runs_out_at": rfc3339(self.runs_out_at) if self.runs_out_at else None,
            "before_reset_seconds": (
                int(self.before_reset.total_seconds()) if self.before_reset else None
            ),
            "nudge": self.nudge,
            "nudge_at": rfc3339(self.nudge_at) if self.nudge_at else None,
        }


def pace_of(tally: Tally, now: datetime) -> Pace:
    """The pace of `tally`'s period as of `now` (see the module doc)."""
    length = tally.period_end - tally.period_start
    elapsed = min(max(now - tally.period_start, timedelta(0)), length)
    left = max(tally.period_end - now, timedelta(0))
    basis = max(MIN_BASIS, length * BASIS_SHARE)
    per_hour = tally.used_total / (elapsed / _HOUR) if elapsed >= basis else None
    runs_out_at: datetime | None = None
    outlook: Outlook
    if tally.remaining <= 0:
        outlook = "out"
    elif per_hour is None:
        outlook = "early"
    elif per_hour <= 0 or tally.remaining / per_hour >= left / _HOUR:
        outlook = "lasts"
    else:
        forecast = now + timedelta(hours=tally.remaining / per_hour)
        # Rounding to the microsecond may land a borderline forecast on the reset itself.
        outlook = "runs_out" if forecast < tally.period_end else "lasts"
        runs_out_at = forecast if outlook == "runs_out" else None
    nudge_at = tally.period_end - NUDGE_LEAD if length <= DAILY else None
    nudge = (
        nudge_at is not None
        and nudge_at <= now < tally.period_end
        and tally.allowance > 0
        and tally.remaining >= NUDGE_SHARE * tally.allowance
        and outlook == "lasts"
    )
    return Pace(
        per_hour=per_hour,
        outlook=outlook,
        runs_out_at=runs_out_at,
        before_reset=tally.period_end - runs_out_at if runs_out_at else None,
        nudge=nudge,
        nudge_at=nudge_at,
    )
