"""Period bounds: daily at a UTC time of day, or monthly from a billing day.

A reset starts a new period; it never deletes anything. A billing day past the end of a
short month falls on that month's last day.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, time, timedelta

from native_host.ledger.plans import PeriodKind


def parse_reset_time(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes), tzinfo=UTC)


def period_bounds(
    kind: PeriodKind, reset_time: str, billing_day: int, now: datetime
) -> tuple[datetime, datetime]:
    """The [start, end) of the period holding `now`."""
    at = parse_reset_time(reset_time)
    now = now.astimezone(UTC)
    if kind == "day":
        start = datetime.combine(now.date(), at)
        if now < start:
            start -= timedelta(days=1)
        return start, start + timedelta(days=1)
    start = _billing_instant(now.year, now.month, billing_day, at)
    if now < start:
        start = _billing_instant(*_shift_month(now.year, now.month, -1), billing_day, at)
    return start, _billing_instant(*_shift_month(start.year, start.month, 1), billing_day, at)


def _billing_instant(year: int, month: int, day: int, at: time) -> datetime:
    last = calendar.monthrange(year, month)[1]
    return datetime(year, month, min(day, last), at.hour, at.minute, tzinfo=UTC)


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def reset_candidate(after: datetime, until: datetime, preferred: str) -> str | None:
    """Guess the reset time of day from a rise seen between two balance readings.

    The reset happened in (after, until]. If the preferred time of day (the current
    setting) falls in it, nothing is learned (None). Otherwise 00:00 UTC is taken when it
    falls in the interval (the usual Genspark reset), else the first full hour after
    `after`.
    """
    if until - after >= timedelta(days=1):
        return None  # a gap of a day or more holds every time of day: nothing to learn
    for candidate in (preferred, "00:00"):
        moment = datetime.combine(after.date(), parse_reset_time(candidate))
        for day in (moment, moment + timedelta(days=1)):
            if after < day <= until:
                return None if candidate == preferred else candidate
    first_hour = (after + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    return first_hour.strftime("%H:%M") if first_hour <= until else None
