"""The attribution rule (ledger/attribution.py) and the tally built on it.

Examples first (each a real timing the extension meets), then properties over random
sets of readings, operations with and without reported costs or an end, top-ups, resets,
other devices, re-sent events and ties to the millisecond, delivered in every order.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from native_host.config import AccountConfig
from native_host.ledger.attribution import BOOKING_LAG, CLOCK_SKEW, Attribution
from native_host.ledger.costs import costing_for, estimate, learn
from native_host.ledger.events import Event, sort_key
from native_host.ledger.tally import (
    OTHER_DEVICES,
    Tally,
    compute_tally,
    effective_config,
    fold_period,
)
from native_host.tallies import _Account
from tests.ledger_helpers import DAY

ACCOUNT = "me@example.com"
FREE = AccountConfig()
T0 = DAY + timedelta(hours=10)  # a reading's neighbourhood inside the test day
NOW = DAY + timedelta(hours=23)


def ms(offset: float) -> datetime:
    return T0 + timedelta(milliseconds=offset)


def reading(at: float, balance: float, device: str = "laptop") -> Event:
    return Event(str(uuid.uuid4()), ACCOUNT, "balance", ms(at), {"balance": balance}, device, 0)


def op(
    at: float,
    operation: str = "video",
    *,
    ended: float | None = None,
    credits: float | None = None,
    device: str = "laptop",
) -> Event:
    body: dict[str, Any] = {"operation": operation}
    if ended is not None:
        body["ended_at"] = ms(ended).isoformat()
    if credits is not None:
        body["credits"] = credits
    return Event(str(uuid.uuid4()), ACCOUNT, "usage", ms(at), body, device, 0)


def tally_of(events: list[Event], config: AccountConfig = FREE) -> Tally:
    ordered = sorted(events, key=sort_key)
    return compute_tally(ACCOUNT, ordered, config, learn(ordered, config.plan), NOW)


# --- Examples: the timings that used to put a video's cost under "other devices" ------


@pytest.mark.parametrize("video_first", [True, False])
def test_a_reading_and_a_video_in_the_same_second_give_the_drop_to_the_video(
    video_first: bool,
) -> None:
    """The page re-reads the balance as soon as the reply ends: the reading may be
    stamped a few milliseconds before or after the video's event."""
    events = [reading(-60_000, 90), op(300 if video_first else 700), reading(500, 40)]
    result = tally_of(events)
    assert result.used_by_operation == {"video": 50}
    assert result.used_by_device == {"laptop": 50, OTHER_DEVICES: 10}  # 10 before the day's first
    assert result.remaining == 40


def test_charged_at_the_request_and_read_while_the_video_still_runs() -> None:
    """The reading shows the drop minutes before the video's event (sent on completion)."""
    events = [reading(-1_000, 100), op(0, ended=180_000), reading(2_000, 60), reading(200_000, 60)]
    result = tally_of(events)
    assert result.used_by_operation == {"video": 40}
    assert OTHER_DEVICES not in result.used_by_device
    assert (result.used_total, result.remaining) == (40, 60)


def test_charged_on_completion_the_drop_after_the_end_is_the_videos() -> None:
    events = [reading(-1_000, 100), op(0, ended=180_000), reading(2_000, 100)]
    running = tally_of(events)
    assert running.used_by_operation == {"video": 200}  # still pending: its estimate
    assert running.remaining == 0
    events.append(reading(181_000, 50))
    done = tally_of(events)
    assert done.used_by_operation == {"video": 50}
    assert (done.used_total, done.remaining) == (50, 50)


def test_a_quick_second_chat_does_not_take_the_first_ones_drop() -> None:
    events = [
        reading(-1_000, 100),
        op(0, "chat", ended=1_000),
        reading(2_000, 97),
        op(4_000, "chat", ended=5_000),  # asked for two seconds after the reading
        reading(60_000, 95),
    ]
    result = tally_of(events)
    assert result.used_by_operation == {"chat": 5}
    assert OTHER_DEVICES not in result.used_by_device
    settled = _settlements(events)
    assert [[share.credits for share in s.shares] for s in settled[1:]] == [[3], [2]]


def test_an_image_right_after_the_page_loads_leaves_the_phones_drop_alone() -> None:
    """The page loads (a drop from the phone since the last visit), an image is asked for
    two seconds later, and the page reads the balance again when it is done."""
    events = [
        reading(-60_000, 100),
        reading(0, 70),
        op(2_000, "image", ended=6_000),
        reading(6_500, 30),
    ]
    result = tally_of(events)
    assert result.used_by_operation == {"image": 40}
    assert result.used_by_device == {OTHER_DEVICES: 30, "laptop": 40}


def test_a_reading_that_shows_no_charge_yet_leaves_the_operation_pending() -> None:
    events = [reading(0, 100), op(1_000, ended=1_400), reading(1_200, 100)]
    assert tally_of(events).used_by_operation == {"video": 200}  # its estimate, for now
    events.append(reading(1_600, 50))
    assert tally_of(events).used_by_operation == {"video": 50}


def test_a_balance_the_site_has_not_updated_yet_leaves_the_operation_pending() -> None:
    """The page reads the balance right after the answer, before the site books the cost;
    the reading a few seconds later shows it."""
    video = [reading(-1_000, 100), op(0, ended=120_000), reading(60_000, 100)]
    video += [reading(120_200, 100), reading(123_000, 50)]
    assert tally_of(video).used_by_device == {"laptop": 50}
    chat = [reading(-1_000, 100), op(0, "chat", ended=5_000), reading(5_200, 100)]
    chat.append(reading(8_000, 98))
    assert tally_of(chat).used_by_operation == {"chat": 2}


def test_a_video_asked_for_after_the_page_loaded_leaves_the_phones_drop_alone() -> None:
    events = [reading(-7_200_000, 100), reading(0, 70), op(5_000, ended=200_000)]
    events += [reading(t, 20) for t in (60_000, 120_000, 180_000, 203_000)]
    result = tally_of(events)
    assert result.used_by_device == {OTHER_DEVICES: 30, "laptop": 50}
    assert result.used_by_operation == {"video": 50}


def test_a_chat_and_a_video_charged_at_its_request_share_one_drop_never_twice() -> None:
    events = [reading(0, 100), op(1_000, "chat", ended=3_000), op(4_500, ended=200_000)]
    events.append(reading(6_000, 58))
    result = tally_of(events)
    assert (result.used_total, result.remaining) == (pytest.approx(42), 58)
    assert result.used_by_operation["video"] > 40


def test_a_drop_read_long_after_a_video_began_teaches_no_cost() -> None:
    """The phone spends 5 while a video (charged on completion) runs: the reading may book
    the 5 to the video, but the cost book must not learn that videos cost 5."""
    events: list[Event] = []
    for n in range(3):
        start = n * 600_000
        events += [reading(start, 100), op(start + 1_000, ended=start + 180_000)]
        events += [reading(start + 60_000, 95), reading(start + 181_000, 45)]
    learned = estimate(learn(sorted(events, key=sort_key)), "free", "video", None, NOW)
    assert (learned.credits, learned.source) == (200, "default")


def test_a_drop_before_any_operation_nearby_is_other_devices() -> None:
    events = [reading(0, 100), reading(60_000, 80), op(120_000, "image", credits=30)]
    result = tally_of(events)
    assert result.used_by_device == {OTHER_DEVICES: 20, "laptop": 30}
    assert result.remaining == 50  # 80 read, 30 reported after it


def test_a_reported_cost_the_reading_already_shows_is_not_counted_twice() -> None:
    events = [reading(0, 100), reading(60_000, 70), op(60_004, "image", credits=30)]
    result = tally_of(events)
    assert result.used_by_operation == {"image": 30}
    assert (result.used_total, result.remaining) == (30, 70)


def test_reported_costs_over_the_drop_are_scaled_to_it() -> None:
    events = [reading(0, 100), op(1_000, "image", credits=60), reading(2_000, 70)]
    result = tally_of(events)
    assert result.used_by_operation == {"image": 30}
    assert result.remaining == 70


def test_another_devices_operation_explains_the_drop_this_device_read() -> None:
    events = [
        reading(0, 100),
        op(1_000, "image", device="desktop"),
        reading(1_500, 60, device="laptop"),
    ]
    assert tally_of(events).used_by_device == {"desktop": 40}


def test_a_top_up_is_not_usage() -> None:
    events = [reading(0, 10), reading(60_000, 510), op(61_000, "chat", credits=2)]
    result = tally_of(events)
    assert result.topped_up == 500
    assert result.used_total == 92  # 90 before the first reading, 2 after the last
    assert result.used_total + result.remaining == result.allowance + result.topped_up


def test_costs_are_learned_from_the_settlements() -> None:
    events: list[Event] = []
    for n in range(3):
        start = n * 600_000
        events += [reading(start, 100 - 30 * n), op(start + 1_000, "image", ended=start + 9_000)]
        events.append(reading(start + 5_000, 70 - 30 * n))  # read while the image still ran
    book = learn(sorted(events, key=sort_key))
    learned = estimate(book, "free", "image", None, NOW)
    assert (learned.credits, learned.source, learned.samples) == (30, "learned", 3)


def _settlements(events: list[Event]) -> list[Any]:
    attribution = Attribution(100.0, costing_for("free"))
    done = []
    for event in sorted(events, key=sort_key):
        done += attribution.feed(event)
    return done + attribution.preview()[0]


# --- Properties over random sets and every order of arrival ---------------------------

DEVICES = ("laptop", "desktop", "phone-browser")
OPERATIONS = ("chat", "image", "video", "analysis")
# Instants cluster within a few windows of one another so ties and near misses are common.
instants = st.one_of(
    st.integers(min_value=0, max_value=4 * int(BOOKING_LAG.total_seconds() * 1000)),
    st.sampled_from([0, 1, 999, 1_000, 10_000, 10_001]),
)


@st.composite
def events_strategy(draw: st.DrawFn, *, days: int = 1) -> list[Event]:
    """A set of events with distinct ids: readings, operations, other devices' usage."""
    events: list[Event] = []
    for _ in range(draw(st.integers(min_value=0, max_value=14))):
        day = draw(st.integers(min_value=1 - days, max_value=0))
        at = ms(draw(instants)) + timedelta(days=day)
        device = draw(st.sampled_from(DEVICES))
        event_id = str(uuid.UUID(int=draw(st.integers(min_value=0, max_value=2**128 - 1))))
        if draw(st.booleans()):
            balance = draw(st.sampled_from([0, 5, 38, 40, 60, 90, 100, 150, 600]))
            body: dict[str, Any] = {"balance": float(balance)}
            events.append(Event(event_id, ACCOUNT, "balance", at, body, device, 0))
            continue
        body = {"operation": draw(st.sampled_from(OPERATIONS))}
        if draw(st.booleans()):
            body["credits"] = float(draw(st.sampled_from([0, 2, 30, 40, 55])))
        duration = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=60_000)))
        if duration is not None:
            body["ended_at"] = (at + timedelta(milliseconds=duration)).isoformat()
        events.append(Event(event_id, ACCOUNT, "usage", at, body, device, 0))
    unique = {event.event_id: event for event in events}
    return list(unique.values())


def deliveries(draw: st.DrawFn, events: list[Event]) -> list[Event]:
    """The events in an arbitrary order, some of them delivered more than once."""
    again = draw(st.lists(st.sampled_from(events), max_size=4)) if events else []
    return draw(st.permutations(events + again))


def through_the_cache(delivered: list[Event], config: AccountConfig = FREE) -> Tally:
    """What the helper's cache shows after receiving `delivered` one at a time (a
    re-sent event id is dropped, as the ledger drops it)."""
    cached = _Account([], [], config)
    seen: set[str] = set()
    for event in delivered:
        if event.event_id not in seen:
            seen.add(event.event_id)
            cached.add(event)
            cached.current_tally(ACCOUNT, NOW)  # the reply to each one reads the tally
    return cached.current_tally(ACCOUNT, NOW)


def figures(result: Tally) -> dict[str, Any]:
    def rounded(values: dict[str, float]) -> dict[str, float]:
        return {key: round(value, 6) for key, value in values.items() if round(value, 6)}

    return {
        "used": round(result.used_total, 6),
        "remaining": round(result.remaining, 6),
        "topped_up": round(result.topped_up, 6),
        "by_device": rounded(result.used_by_device),
        "by_operation": rounded(result.used_by_operation),
        "observed": (result.observed_balance, result.observed_at),
    }


PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(data=st.data(), events=events_strategy())
def test_the_tally_is_the_same_for_every_order_of_arrival(
    data: st.DataObject, events: list[Event]
) -> None:
    """Settings learned from the readings (a larger daily allowance) included."""
    ordered = sorted(events, key=sort_key)
    config = effective_config([], ordered)
    expected = figures(compute_tally(ACCOUNT, ordered, config, learn(ordered), NOW))
    for _ in range(3):
        assert figures(through_the_cache(deliveries(data.draw, events))) == expected


@PROPERTY
@given(data=st.data(), events=events_strategy(days=2))
def test_across_a_reset_only_the_current_periods_events_count(
    data: st.DataObject, events: list[Event]
) -> None:
    """Costs are learned from all the history; the tally folds only today's events."""
    ordered = sorted(events, key=sort_key)
    today = [event for event in ordered if event.at >= DAY]
    config = effective_config([], ordered)
    expected = compute_tally(ACCOUNT, today, config, learn(ordered), NOW)
    assert figures(through_the_cache(deliveries(data.draw, events))) == figures(expected)


@PROPERTY
@given(events=events_strategy())
def test_feeding_one_event_at_a_time_equals_folding_the_whole_set(events: list[Event]) -> None:
    ordered = sorted(events, key=sort_key)
    fold = fold_period(ACCOUNT, FREE, NOW, [])
    for count, event in enumerate(ordered, start=1):
        fold.feed(event)
        book = learn(ordered[:count])
        assert figures(fold.tally(book, NOW)) == figures(
            compute_tally(ACCOUNT, ordered[:count], FREE, book, NOW)
        )


@PROPERTY
@given(events=events_strategy())
def test_every_credit_is_accounted_for_once(events: list[Event]) -> None:
    """used = the period's drops + the pending operations; remaining = the last reading
    minus the pending operations; each operation settled once or pending, never both."""
    ordered = sorted(events, key=sort_key)
    book = learn(ordered)
    result = compute_tally(ACCOUNT, ordered, FREE, book, NOW)
    attribution = Attribution(result.allowance, costing_for(FREE.plan))
    settled = []
    for event in ordered:
        settled += attribution.feed(event)
    previewed, pending = attribution.preview()
    settled += previewed

    balances = [result.allowance] + [float(e.body["balance"]) for e in ordered if _reads(e)]
    drops = [before - after for before, after in itertools.pairwise(balances)]
    assert len(settled) == len(drops)
    for settlement, drop in zip(settled, drops, strict=True):
        shared = sum(share.credits for share in settlement.shares) + settlement.other
        assert shared == pytest.approx(max(drop, 0.0), abs=1e-9)

    operations = [event.event_id for event in ordered if event.kind == "usage"]
    explained = [share.event.event_id for s in settled for share in s.shares]
    assert sorted(explained + [event.event_id for event in pending]) == sorted(operations)

    pending_cost = sum(_cost(book, event) for event in pending)
    assert result.used_total == pytest.approx(sum(max(d, 0.0) for d in drops) + pending_cost)
    assert result.topped_up == pytest.approx(sum(max(-d, 0.0) for d in drops))
    last = balances[-1] if len(balances) > 1 else result.allowance - result.used_total
    expected_remaining = last - pending_cost if len(balances) > 1 else last
    assert result.remaining == pytest.approx(max(expected_remaining, 0.0))
    if expected_remaining >= 0:
        assert result.used_total + result.remaining == pytest.approx(
            result.allowance + result.topped_up
        )
    # A drop goes to "other devices" only when no operation of unknown cost that could have
    # been charged by then (begun before the reading, give or take the skew) is left over.
    settled_at = {share.event.event_id: n for n, s in enumerate(settled) for share in s.shares}
    for n, settlement in enumerate(settled):
        if settlement.other <= 0:
            continue
        for event in ordered:
            could = event.kind == "usage" and event.at < settlement.reading.at + CLOCK_SKEW
            if could and costing_for(FREE.plan).known(event) is None:
                assert settled_at.get(event.event_id, len(settled)) <= n, (settlement, event)
    by_operation = sum(result.used_by_operation.values())
    other = result.used_by_device.get(OTHER_DEVICES, 0.0)
    assert sum(result.used_by_device.values()) == pytest.approx(result.used_total)
    assert by_operation + other == pytest.approx(result.used_total)


def _reads(event: Event) -> bool:
    return event.kind == "balance"


def _cost(book: Any, event: Event) -> float:
    known = costing_for(FREE.plan).known(event)
    if known is not None:
        return known
    return estimate(book, FREE.plan, event.body["operation"], None, event.at).credits
