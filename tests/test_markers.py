"""Undo and forget: compensating events that sync, and the pure rule that applies them.

The rule (ledger.events.counted) is checked against a brute-force statement of it over
random sets delivered in random orders; the helper's cache (tallies.py) on a real SQLite
file must then give exactly the tally, history and costs of a ledger that never held the
undone or forgotten events; the real helper over real pipes answers `undo` and `forget`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from native_host.ledger.events import (
    MARKER_KINDS,
    Event,
    NewEvent,
    counted,
    sort_key,
    undo_event_id,
)
from native_host.ledger.store import Ledger
from native_host.tallies import Tallies
from tests.hostproc import HostProcess

# Midday of today (UTC): every test's history lies in today's free-plan period, whatever
# the hour the tests run at (a run just after midnight would otherwise straddle a reset).
NOW = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
ME, OTHER = "me@example.com", "other@example.com"


def new(kind: str, seconds_ago: float, body: dict[str, Any], account: str = ME) -> NewEvent:
    return NewEvent(str(uuid.uuid4()), account, kind, NOW - timedelta(seconds=seconds_ago), body)  # type: ignore[arg-type]


def undo_of(target: NewEvent) -> NewEvent:
    """The event the `undo` handler records: id from the target's, instant the target's."""
    return NewEvent(
        undo_event_id(target.event_id),
        target.account,
        "undo",
        target.at,
        {"undoes": target.event_id},
    )


def stored(event: NewEvent, device: str = "d", seq: int = 1) -> Event:
    return Event(event.event_id, event.account, event.kind, event.at, event.body, device, seq)


# -- the rule, pure ----------------------------------------------------------------------

# A scenario: usage and balance events of two accounts, undos of some of the usage (and of
# ids nobody recorded), forgets at random instants.
SCENARIO = st.tuples(
    st.lists(
        st.tuples(
            st.sampled_from(["usage", "balance"]),
            st.integers(0, 3600),
            st.sampled_from([ME, OTHER]),
            st.integers(0, 50),
        ),
        min_size=1,
        max_size=20,
    ),
    st.lists(st.integers(0, 40), max_size=8),  # indexes of usage to undo (mod the count)
    st.integers(0, 3),  # undos of ids never recorded
    st.lists(st.tuples(st.integers(0, 3600), st.sampled_from([ME, OTHER])), max_size=3),
)


def build(scenario: Any) -> list[NewEvent]:
    specs, undone, strays, forgets = scenario
    events = [
        new(kind, s, {"operation": "image", "credits": n} if kind == "usage" else {"balance": n}, a)
        for kind, s, a, n in specs
    ]
    usage = [e for e in events if e.kind == "usage"]
    markers = [undo_of(usage[i % len(usage)]) for i in undone if usage]
    markers += [undo_of(new("usage", 0, {"operation": "chat"})) for _ in range(strays)]
    markers += [new("forget", s, {}, account) for s, account in forgets]
    return events + markers


def expected_counted(events: list[NewEvent]) -> set[str]:
    """The rule stated plainly: not a marker, not undone, not at or before a forget of its
    account."""
    return {
        e.event_id
        for e in events
        if e.kind not in MARKER_KINDS
        and not any(u.kind == "undo" and u.body["undoes"] == e.event_id for u in events)
        and not any(f.kind == "forget" and f.account == e.account and e.at <= f.at for f in events)
    }


@settings(max_examples=300)
@given(
    scenario=SCENARIO, order=st.randoms(use_true_random=False), repeats=st.lists(st.integers(0, 99))
)
def test_what_counts_is_a_function_of_the_set_of_events(
    scenario: Any, order: Any, repeats: list[int]
) -> None:
    events = build(scenario)
    delivered = events + [events[i % len(events)] for i in repeats]  # re-deliveries
    order.shuffle(delivered)
    kept = counted([stored(e) for e in delivered])
    assert {e.event_id for e in kept} == expected_counted(events)
    canonical = sorted(counted([stored(e) for e in events]), key=sort_key)
    once_each = {e.event_id: e for e in kept}.values()
    assert sorted(once_each, key=sort_key) == canonical


def test_counted_keeps_the_order_it_was_given() -> None:
    first, second = new("usage", 20, {"operation": "chat"}), new("usage", 10, {"operation": "chat"})
    events = [stored(second), stored(first)]
    assert counted(events) == events


def test_undo_ids_are_one_per_undone_event_whatever_its_spelling() -> None:
    target = str(uuid.uuid4())
    assert undo_event_id(target) == undo_event_id(target.upper().replace("-", ""))
    assert undo_event_id(target) != undo_event_id(str(uuid.uuid4()))


# -- the helper's cache over a real SQLite file --------------------------------------------


def tally_and_more(tallies: Tallies, account: str = ME) -> dict[str, Any]:
    """Everything a user sees of the account, with device ids out (two ledgers differ)."""
    tally = tallies.tally(account, NOW).to_json()
    tally["used"]["by_device"] = {
        k if k == "other" else "device": v for k, v in tally["used"]["by_device"].items()
    }
    return {
        "tally": tally,
        "history": tallies.history(account, NOW),
        "image": tallies.estimate(account, "image", None, NOW),
        "listed": account in tallies.ledger.accounts(),
    }


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scenario=SCENARIO, order=st.randoms(use_true_random=False), batch=st.integers(1, 5))
def test_the_helper_shows_what_a_ledger_without_the_undone_and_forgotten_events_shows(
    tmp_path_factory: pytest.TempPathFactory, scenario: Any, order: Any, batch: int
) -> None:
    events = build(scenario)
    order.shuffle(events)
    kept = expected_counted(events)
    ledger = Ledger(tmp_path_factory.mktemp("all") / "l.sqlite3", device_name="d")
    clean = Ledger(tmp_path_factory.mktemp("kept") / "l.sqlite3", device_name="d")
    try:
        tallies = Tallies(ledger)
        for start in range(0, len(events), batch):
            tallies.append(events[start : start + batch])
            for account in (ME, OTHER):
                tallies.tally(account, NOW)  # fold incrementally, as the helper does
        seen = {a: tally_and_more(tallies, a) for a in (ME, OTHER)}
        assert seen == {a: tally_and_more(Tallies(ledger), a) for a in (ME, OTHER)}  # scratch
        Tallies(clean).append([e for e in events if e.event_id in kept])
        expected = {a: tally_and_more(Tallies(clean), a) for a in (ME, OTHER)}
    finally:
        ledger.close()
        clean.close()
    for account in (ME, OTHER):
        # Listed while it has an event after its last forget (undone usage included).
        expected[account]["listed"] = any(
            e.account == account
            and e.kind not in MARKER_KINDS
            and not any(
                f.kind == "forget" and f.account == account and e.at <= f.at for f in events
            )
            for e in events
        )
        assert seen[account] == expected[account], account


def test_an_undone_operation_stops_counting_in_learned_costs(tmp_path: Path) -> None:
    """Three images that each took 10 credits teach a cost of 10; undo one, and two
    samples are too few: the estimate is back to the conservative default."""
    events: list[NewEvent] = []
    for n in range(3):
        start = 3000 - n * 600
        events += [
            new("balance", start, {"balance": 100 - 10 * n}),
            new("usage", start - 60, {"operation": "image"}),
            new("balance", start - 120, {"balance": 90 - 10 * n}),
        ]
    ledger = Ledger(tmp_path / "l.sqlite3", device_name="d")
    try:
        tallies = Tallies(ledger)
        tallies.append(events)
        assert tallies.estimate(ME, "image", None, NOW).credits == 10
        assert tallies.tally(ME, NOW).used_by_operation == {"image": 30}
        tallies.append([undo_of(events[4])])
        assert tallies.estimate(ME, "image", None, NOW).credits == 40
        tally = tallies.tally(ME, NOW)
        assert tally.used_by_operation == {"image": 20}
        assert tally.used_by_device["other"] == 10  # the drop is still there, unexplained
    finally:
        ledger.close()


def test_a_forgotten_account_starts_afresh_and_others_are_untouched(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "l.sqlite3", device_name="d")
    try:
        tallies = Tallies(ledger)
        tallies.append(
            [new("usage", 60, {"operation": "image", "credits": 5}, account=a) for a in (ME, OTHER)]
        )
        tallies.append([new("config", 50, {"set": {"plan": "plus"}, "learned": False})])
        tallies.append([new("forget", 30, {})])
        assert ledger.accounts() == [OTHER]
        assert tallies.tally(ME, NOW).used_total == 0
        assert tallies.config(ME, NOW).plan == "free"  # its settings went too
        assert tallies.tally(OTHER, NOW).used_total == 5
        tallies.append([new("usage", 10, {"operation": "chat", "credits": 1})])
        assert ledger.accounts() == [ME, OTHER]
        assert tallies.tally(ME, NOW).used_total == 1
    finally:
        ledger.close()


# -- the real helper over real pipes ------------------------------------------------------


def test_the_helper_undoes_and_forgets(tmp_path: Path) -> None:
    helper = HostProcess(tmp_path)
    try:
        event_id = str(uuid.uuid4())
        real_now = datetime.now(UTC)  # the helper's own clock decides the period
        midnight = real_now.replace(hour=0, minute=0, second=0, microsecond=0)
        at = max(real_now - timedelta(minutes=1), midnight + timedelta(seconds=1)).isoformat()
        usage = {"account": ME, "operation": "image", "at": at, "credits": 500, "source": "manual"}
        assert helper.request("usage", event_id=event_id, **usage)["tally"]["used"]["total"] == 500

        reply = helper.request("undo", event_id=event_id.upper())
        assert reply["ok"] and not reply["duplicate"]
        assert reply["undone"] == {"event_id": event_id, **usage, "at": reply["undone"]["at"]}
        assert reply["tally"]["used"]["total"] == 0
        again = helper.request("undo", event_id=event_id)
        assert again["ok"] and again["duplicate"] and again["tally"] == reply["tally"]
        # Sent again (an outbox replay), the undone usage stays undone.
        assert helper.request("usage", event_id=event_id, **usage)["duplicate"]
        assert helper.request("status", account=ME)["accounts"][0]["used"]["total"] == 0

        for unknown in (str(uuid.uuid4()), undo_event_id(event_id)):
            error = helper.request("undo", event_id=unknown)["error"]
            assert error["code"] == "unknown_event" and error["params"]["event_id"] == unknown

        forgotten = helper.request("forget", account=" Me@Example.com ")
        assert (forgotten["account"], forgotten["known"], forgotten["accounts"]) == (ME, True, [])
        assert helper.request("status")["accounts"] == []
    finally:
        assert helper.close() == 0
