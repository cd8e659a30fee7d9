"""The pace of a period (native_host/pace.py): examples, invariants over random tallies,
and the `pace` object of the real `status` and `preflight` replies."""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from native_host.context import Context
from native_host.dispatch import handle_body
from native_host.ledger.store import Ledger
from native_host.ledger.tally import Tally
from native_host.pace import NUDGE_LEAD, Pace, pace_of
from native_host.tallies import Tallies

DAY_START = datetime(2026, 3, 1, tzinfo=UTC)
DAY_END = DAY_START + timedelta(days=1)
MONTH_END = datetime(2026, 4, 1, tzinfo=UTC)


def tally(
    *,
    used: float,
    remaining: float,
    allowance: float = 100.0,
    start: datetime = DAY_START,
    end: datetime = DAY_END,
) -> Tally:
    return Tally(
        account="me@example.com",
        plan="free" if end - start <= timedelta(days=1) else "plus",
        period_start=start,
        period_end=end,
        allowance=allowance,
        used_total=used,
        used_by_device={"laptop": used},
        used_by_operation={},
        remaining=remaining,
        observed_balance=None,
        observed_at=None,
    )


def at(hours: float) -> datetime:
    return DAY_START + timedelta(hours=hours)


# 50 of 100 used by 10:00 UTC: 5 an hour, so the last 50 are gone at 20:00, 4 h early.
HALF_USED_BY_TEN = {
    "per_hour": 5.0,
    "outlook": "runs_out",
    "runs_out_at": "2026-03-01T20:00:00.000Z",
    "before_reset_seconds": 4 * 3600,
    "nudge": False,
    "nudge_at": "2026-03-01T21:00:00.000Z",
}


# -- examples ------------------------------------------------------------------------------


def test_a_pace_that_runs_out_before_the_reset() -> None:
    pace = pace_of(tally(used=50, remaining=50), at(10))  # 5 an hour, 50 left: 10 h more
    assert pace.per_hour == 5
    assert pace.outlook == "runs_out"
    assert pace.runs_out_at == at(20)
    assert pace.before_reset == timedelta(hours=4)
    assert pace.to_json() == HALF_USED_BY_TEN


def test_a_pace_that_lasts_until_the_reset() -> None:
    pace = pace_of(tally(used=10, remaining=90), at(10))  # 1 an hour, 90 left, 14 h to go
    assert (pace.per_hour, pace.outlook, pace.runs_out_at, pace.before_reset) == (
        1,
        "lasts",
        None,
        None,
    )


def test_no_usage_is_a_pace_of_zero_that_lasts() -> None:
    pace = pace_of(tally(used=0, remaining=100), at(5))
    assert (pace.per_hour, pace.outlook) == (0, "lasts")


def test_too_early_in_a_day_there_is_no_pace() -> None:
    early = pace_of(tally(used=50, remaining=50), at(0.99))
    assert (early.per_hour, early.outlook, early.runs_out_at) == (None, "early", None)
    assert pace_of(tally(used=50, remaining=50), at(1)).outlook == "runs_out"


def test_a_month_needs_a_day_before_it_has_a_pace() -> None:
    month = {"start": DAY_START, "end": MONTH_END, "allowance": 10_000}
    assert pace_of(tally(used=600, remaining=9_400, **month), at(23)).outlook == "early"
    pace = pace_of(tally(used=2_400, remaining=7_600, **month), at(48))  # 50 an hour
    assert pace.per_hour == 50
    assert pace.outlook == "runs_out"
    assert pace.runs_out_at == at(48 + 152)
    assert pace.nudge_at is None and pace.nudge is False  # monthly credits: no nudge


def test_nothing_left_is_out_whatever_the_pace() -> None:
    assert pace_of(tally(used=100, remaining=0), at(0.5)).outlook == "out"
    out = pace_of(tally(used=100, remaining=0), at(10))
    assert (out.outlook, out.per_hour, out.runs_out_at) == ("out", 10, None)


def test_the_reset_nudge_comes_in_the_last_hours_with_half_left() -> None:
    half_left = tally(used=40, remaining=60)
    assert pace_of(half_left, DAY_END - NUDGE_LEAD - timedelta(seconds=1)).nudge is False
    assert pace_of(half_left, DAY_END - NUDGE_LEAD).nudge is True
    assert pace_of(half_left, DAY_END - timedelta(minutes=1)).nudge is True
    assert pace_of(tally(used=51, remaining=49), at(22)).nudge is False
    assert pace_of(tally(used=40, remaining=60), at(22)).nudge_at == at(21)


def test_no_nudge_when_the_pace_uses_the_credits_up() -> None:
    # Bought credits on top of the day's: 60 left, but 1,100 used in 22 h runs out first.
    pace = pace_of(tally(used=1_100, remaining=60), at(22))
    assert pace.outlook == "runs_out" and pace.nudge is False


# -- invariants ----------------------------------------------------------------------------

periods = st.sampled_from([(DAY_START, DAY_END), (DAY_START, MONTH_END)])
amounts = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def situations(draw: st.DrawFn) -> tuple[Tally, datetime]:
    start, end = draw(periods)
    length = (end - start).total_seconds()
    # Mostly inside the period; sometimes just outside it (a tally a moment stale).
    offset = draw(st.floats(min_value=-0.05, max_value=1.05)) * length
    now = start + timedelta(seconds=offset)
    allowance = draw(st.floats(min_value=1, max_value=1e5))
    return tally(
        used=draw(amounts), remaining=draw(amounts), allowance=allowance, start=start, end=end
    ), now


def credits_end(pace: Pace, t: Tally, now: datetime) -> datetime:
    """When the credits are gone at this pace: now (or the reset, if already past) when
    out, the reset when they last."""
    if pace.outlook == "out":
        return min(now, t.period_end)
    return pace.runs_out_at or t.period_end


@settings(max_examples=500)
@given(situations())
def test_a_forecast_lies_between_now_and_the_reset(situation: tuple[Tally, datetime]) -> None:
    t, now = situation
    pace = pace_of(t, now)
    assert (pace.runs_out_at is not None) == (pace.outlook == "runs_out")
    assert (pace.before_reset is not None) == (pace.outlook == "runs_out")
    if pace.runs_out_at is not None:
        assert now <= pace.runs_out_at < t.period_end  # never in the past, never past the reset
        assert pace.before_reset == t.period_end - pace.runs_out_at
        assert pace.before_reset > timedelta(0)
        assert pace.per_hour is not None and pace.per_hour > 0
        hours = (pace.runs_out_at - now) / timedelta(hours=1)
        two_microseconds = 2 / 3.6e9  # in hours: the resolution of a datetime
        assert math.isclose(
            hours * pace.per_hour, t.remaining, abs_tol=two_microseconds * pace.per_hour
        )
    json.dumps(pace.to_json(), allow_nan=False)  # finite, and the wire can carry it


@settings(max_examples=500)
@given(situations())
def test_a_pace_once_enough_time_has_passed(situation: tuple[Tally, datetime]) -> None:
    t, now = situation
    pace = pace_of(t, now)
    length = t.period_end - t.period_start
    elapsed = min(max(now - t.period_start, timedelta(0)), length)
    assert (pace.per_hour is None) == (elapsed < max(timedelta(hours=1), length / 30))
    if pace.outlook == "early":
        assert pace.per_hour is None
    if pace.per_hour is not None:
        assert math.isfinite(pace.per_hour) and pace.per_hour >= 0
    if t.remaining <= 0:
        assert pace.outlook == "out"


@settings(max_examples=500)
@given(situations(), st.floats(min_value=0, max_value=1e6))
def test_more_usage_never_makes_the_credits_last_longer(
    situation: tuple[Tally, datetime], more: float
) -> None:
    t, now = situation
    heavier = tally(
        used=t.used_total + more,
        remaining=max(t.remaining - more, 0.0),
        allowance=t.allowance,
        start=t.period_start,
        end=t.period_end,
    )
    light, heavy = pace_of(t, now), pace_of(heavier, now)
    if light.per_hour is not None and heavy.per_hour is not None:
        assert heavy.per_hour >= light.per_hour
    if "early" not in (light.outlook, heavy.outlook):
        assert credits_end(heavy, heavier, now) <= credits_end(light, t, now)
    assert not (heavy.nudge and not light.nudge)  # less left never starts a nudge


@settings(max_examples=500)
@given(situations())
def test_a_nudge_only_before_a_daily_reset_with_half_left(
    situation: tuple[Tally, datetime],
) -> None:
    t, now = situation
    pace = pace_of(t, now)
    daily = t.period_end - t.period_start <= timedelta(days=1)
    assert (pace.nudge_at is not None) == daily
    if pace.nudge:
        assert pace.nudge_at is not None and pace.nudge_at <= now < t.period_end
        assert t.remaining >= 0.5 * t.allowance
        assert pace.outlook == "lasts"


# -- the replies ---------------------------------------------------------------------------

NOW = at(10)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[Context]:
    ledger = Ledger(tmp_path / "ledger.sqlite3", device_name="test-device")
    yield Context(Tallies(ledger), clock=lambda: NOW)
    ledger.close()


def call(ctx: Context, kind: str, **fields: Any) -> dict[str, Any]:
    request = {"v": 1, "id": "r", "type": kind, **fields}
    reply: dict[str, Any] = json.loads(handle_body(json.dumps(request).encode(), ctx))
    assert reply["ok"] is True, reply
    return reply


def used(ctx: Context, credits: float, hours: float) -> None:
    call(
        ctx,
        "usage",
        event_id=str(uuid.uuid4()),
        account="me@example.com",
        operation="image",
        credits=credits,
        at=at(hours).isoformat(),
    )


def test_status_and_preflight_carry_the_pace(ctx: Context) -> None:
    used(ctx, 30, 2)
    used(ctx, 20, 9)  # 50 used by 10:00 UTC: 5 an hour, the last 50 gone at 20:00
    (account,) = call(ctx, "status")["accounts"]
    assert account["pace"] == HALF_USED_BY_TEN
    preflight = call(ctx, "preflight", account="me@example.com", operation="image")
    assert preflight["level"] == "warn" and preflight["pace"] == HALF_USED_BY_TEN
