from datetime import UTC, datetime

import pytest

from native_host.ledger.periods import period_bounds, reset_candidate


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_daily_period_at_midnight_utc() -> None:
    assert period_bounds("day", "00:00", 1, utc(2026, 11, 24, 20, 0)) == (
        utc(2026, 11, 24),
        utc(2026, 11, 25),
    )


def test_daily_period_before_the_reset_time_belongs_to_yesterday() -> None:
    start, end = period_bounds("day", "09:30", 1, utc(2026, 11, 24, 9, 29))
    assert (start, end) == (utc(2026, 11, 23, 9, 30), utc(2026, 11, 24, 9, 30))
    assert period_bounds("day", "09:30", 1, utc(2026, 11, 24, 9, 30))[0] == end


@pytest.mark.parametrize(
    ("billing_day", "at", "expected"),
    [
        pytest.param(
            15, utc(2026, 11, 24), (utc(2026, 11, 15), utc(2026, 12, 15)), id="after the day"
        ),
        pytest.param(
            15, utc(2026, 11, 14), (utc(2026, 10, 15), utc(2026, 11, 15)), id="before the day"
        ),
        pytest.param(
            31,
            utc(2026, 2, 28, 12),
            (utc(2026, 2, 28), utc(2026, 3, 31)),
            id="day 31 falls on the last day of short months",
        ),
        pytest.param(
            31,
            utc(2026, 2, 27),
            (utc(2026, 1, 31), utc(2026, 2, 28)),
            id="day 31 before the last day of a short month",
        ),
        pytest.param(
            20, utc(2027, 1, 5), (utc(2026, 12, 20), utc(2027, 1, 20)), id="across the new year"
        ),
    ],
)
def test_monthly_period_from_billing_day(
    billing_day: int, at: datetime, expected: tuple[datetime, datetime]
) -> None:
    assert period_bounds("month", "00:00", billing_day, at) == expected


@pytest.mark.parametrize(
    ("after", "until", "preferred", "expected"),
    [
        (utc(2026, 11, 23, 23, 50), utc(2026, 11, 24, 0, 10), "00:00", None),  # as set
        (utc(2026, 11, 24, 8, 50), utc(2026, 11, 24, 9, 10), "00:00", "09:00"),
        (utc(2026, 11, 23, 20, 0), utc(2026, 11, 24, 3, 0), "09:00", "00:00"),  # midnight first
        (utc(2026, 11, 24, 8, 10), utc(2026, 11, 24, 8, 50), "00:00", None),  # no full hour
        (utc(2026, 11, 20), utc(2026, 11, 24), "09:00", None),  # too long a gap to tell
    ],
)
def test_reset_candidate(
    after: datetime, until: datetime, preferred: str, expected: str | None
) -> None:
    assert reset_candidate(after, until, preferred) == expected
