from datetime import UTC, datetime, timedelta

import pytest

from native_host.config import AccountConfig
from native_host.ledger.costs import CostBook, learn
from native_host.ledger.events import sort_key
from native_host.ledger.tally import OTHER_DEVICES, compute_tally, daily_history, lessons
from tests.ledger_helpers import DAY, Log, at, merged

NOW = at(12 * 60)
FREE = AccountConfig()


def tally(log_events, config=FREE, now=NOW, book=None):  # type: ignore[no-untyped-def]
    events = sorted(log_events, key=sort_key)
    return compute_tally("me@example.com", events, config, book or learn(events), now)


def test_no_events_means_the_whole_allowance() -> None:
    result = tally([])
    assert result.remaining == 100
    assert result.used_total == 0
    assert (result.period_start, result.period_end) == (DAY, DAY + timedelta(days=1))
    assert result.observed_balance is None


def test_known_costs_count_and_remaining_follows_the_last_reading() -> None:
    log = Log()
    log.balance(10, 100)
    log.usage(11, "image", credits=30)
    result = tally(log.events)
    assert result.used_total == 30
    assert result.remaining == 70
    assert result.used_by_device == {"laptop": 30}
    assert result.used_by_operation == {"image": 30}


def test_an_unknown_cost_is_taken_from_the_balance_drop() -> None:
    log = Log()
    log.balance(10, 100)
    log.usage(11, "image")
    log.balance(12, 75)
    result = tally(log.events)
    assert result.used_by_operation == {"image": 25}
    assert result.remaining == 75


def test_a_drop_nobody_recorded_is_other_devices() -> None:
    log = Log()
    log.balance(10, 100)
    log.balance(20, 80)
    result = tally(log.events)
    assert result.used_by_device == {OTHER_DEVICES: 20}
    assert result.used_total == 20
    assert result.remaining == 80


def test_the_first_reading_of_a_period_is_measured_against_the_allowance() -> None:
    log = Log()
    log.balance(600, 65)  # 35 spent today before this device looked
    result = tally(log.events)
    assert result.used_by_device == {OTHER_DEVICES: 35}


def test_usage_after_the_last_reading_counts_its_estimate() -> None:
    log = Log()
    log.balance(10, 100)
    log.usage(11, "image")
    assert tally(log.events).remaining == 60
    log.usage(12, "video")
    result = tally(log.events)
    assert result.remaining == 0  # never negative, though 240 > 100
    assert result.used_by_operation == {"image": 40, "video": 200}


def test_a_drop_is_shared_by_estimates_when_several_costs_are_unknown() -> None:
    log = Log()
    log.balance(10, 100)
    log.usage(11, "image")  # default 40
    log.usage(12, "chat")  # default 2
    log.balance(13, 58)
    result = tally(log.events)
    assert result.used_by_operation["image"] == pytest.approx(40)
    assert result.used_by_operation["chat"] == pytest.approx(2)


def test_a_rise_is_not_usage() -> None:
    log = Log()
    log.balance(10, 50)
    log.balance(20, 550)  # a credit pack
    result = tally(log.events)
    assert result.remaining == 550
    assert result.used_by_device == {OTHER_DEVICES: 50}  # from the first reading only


def test_events_of_other_periods_are_left_out() -> None:
    log = Log()
    log.balance(-60, 10)  # yesterday
    log.usage(-50, "image", credits=40)
    result = tally(log.events)
    assert result.used_total == 0
    assert result.remaining == 100


def test_two_devices_share_one_balance() -> None:
    laptop, desktop = Log("laptop"), Log("desktop")
    laptop.balance(10, 100)
    laptop.usage(11, "image", credits=40)
    desktop.usage(12, "chat", credits=2)
    desktop.balance(13, 58)
    result = tally(merged(laptop, desktop))
    assert result.used_by_device == {"laptop": 40, "desktop": 2}
    assert result.remaining == 58


def test_free_chat_on_paid_plans_before_2026() -> None:
    config = AccountConfig(plan="plus")
    log = Log()
    log.usage(0, "chat", credits=5)
    old_now = datetime(2025, 12, 31, 12, tzinfo=UTC)
    old = Log()
    old.events = [e.__class__(**{**_fields(e), "at": old_now}) for e in log.events]
    assert tally(old.events, config, now=old_now).used_total == 0
    assert tally(log.events, config).used_total == 5


def _fields(event):  # type: ignore[no-untyped-def]
    return {name: getattr(event, name) for name in event.__slots__}


def test_side_windows_are_kept_apart_from_credits() -> None:
    log = Log()
    log.balance(10, 100)
    event = log.balance(11, 0, window="5h")
    event.body["reset_at"] = (NOW + timedelta(hours=2)).isoformat()
    result = tally(log.events)
    assert result.remaining == 100
    assert result.windows["5h"].balance == 0
    expired = tally(log.events, now=NOW + timedelta(hours=3))
    assert "5h" not in expired.windows


def test_monthly_plan_uses_the_billing_day() -> None:
    config = AccountConfig(plan="plus", billing_day=20)
    result = tally([], config)
    assert result.allowance == 10_000
    assert result.period_start == datetime(2026, 11, 20, tzinfo=UTC)
    assert result.period_end == datetime(2026, 12, 20, tzinfo=UTC)


def test_to_json_rounds_and_spells_times_in_utc() -> None:
    log = Log()
    log.balance(10, 100)
    log.usage(11, "image")
    log.usage(12, "image")
    log.usage(13, "image")
    log.balance(14, 0)
    data = tally(log.events).to_json()
    assert data["used"]["by_operation"]["image"] == 100
    assert data["reset_at"] == "2026-11-25T00:00:00.000Z"
    assert data["period"] == {
        "start": "2026-11-24T00:00:00.000Z",
        "end": "2026-11-25T00:00:00.000Z",
    }


def test_lessons_learn_a_larger_daily_allowance() -> None:
    assert lessons(None, 200, at(60), FREE) == {"allowance": 200}
    assert lessons(None, 200, at(60), AccountConfig(allowance=150)) == {}  # the user's say
    learned_before = AccountConfig(allowance=150, learned=("allowance",))
    assert lessons(None, 200, at(60), learned_before) == {"allowance": 200}


def test_lessons_learn_the_reset_time_from_a_rise_inside_a_period() -> None:
    log = Log()
    previous = log.balance(8 * 60 + 50, 5)
    assert lessons(previous, 100, at(9 * 60 + 5), FREE) == {"reset_time": "09:00"}
    small_rise = lessons(previous, 40, at(9 * 60 + 5), FREE)
    assert small_rise == {}  # not a rise to the allowance: a pack, not a reset


def test_lessons_leave_monthly_plans_alone() -> None:
    log = Log()
    previous = log.balance(60, 5)
    assert lessons(previous, 10_000, at(120), AccountConfig(plan="plus")) == {}


def test_cost_book_is_used_for_estimates() -> None:
    book = CostBook()
    for _ in range(3):
        book.add("video", "veo3.1", 120)
    log = Log()
    log.balance(10, 100)
    log.usage(11, "video", model="veo3.1")
    result = tally(log.events, book=book)
    assert result.used_by_operation["video"] == 120


def test_daily_history_covers_thirty_days_oldest_first() -> None:
    log = Log()
    log.balance(-2 * 1440 + 60, 100)  # two days ago
    log.usage(-2 * 1440 + 61, "image", credits=30)
    log.balance(-1440 + 60, 90)  # yesterday: 10 used on another device
    log.usage(10, "chat", credits=2)  # today
    events = sorted(log.events, key=sort_key)
    history = daily_history("me@example.com", events, FREE, learn(events), NOW)
    assert len(history) == 30
    assert history[-1] == (NOW.date(), 2)
    assert history[-2] == ((NOW - timedelta(days=1)).date(), 10)
    assert history[-3] == ((NOW - timedelta(days=2)).date(), 30)
    assert sum(used for _, used in history) == 42


def test_daily_history_of_a_monthly_plan_splits_by_day() -> None:
    config = AccountConfig(plan="plus", billing_day=1)
    log = Log()
    log.usage(-1440, "video", credits=150)
    log.usage(30, "image", credits=20)
    events = sorted(log.events, key=sort_key)
    history = dict(daily_history("me@example.com", events, config, learn(events), NOW))
    assert history[NOW.date()] == 20
    assert history[(NOW - timedelta(days=1)).date()] == 150
