"""The ledger side of sync, on real SQLite files: ingest at other devices' positions,
version vectors, "events after this vector", the positions migration, peers and names."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from native_host import membership
from native_host.accounts import normalize_account
from native_host.config import global_config
from native_host.errors import ErrorCode, HostError
from native_host.ledger.events import Event, NewEvent, undo_event_id
from native_host.ledger.store import MIGRATIONS, Ledger
from native_host.ledger.tally import Tally
from native_host.messages import readable
from native_host.tallies import Tallies

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
ACCOUNT = "me@example.com"
SHARED = [str(uuid.UUID(int=n + 1)) for n in range(3)]  # operations two devices may both see


def open_as(path: Path, device_id: str) -> Ledger:
    """A new ledger whose device id is `device_id` (fixed, so examples replay exactly)."""
    Ledger(path, device_name=device_id).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'device_id'", (device_id,))
        db.execute("UPDATE devices SET device_id = ?", (device_id,))
    return Ledger(path)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Ledger, Ledger]]:
    a, b = open_as(tmp_path / "a.sqlite3", "dev-a"), open_as(tmp_path / "b.sqlite3", "dev-b")
    yield a, b
    a.close()
    b.close()


def usage(event_id: str, seconds_ago: float, credits: float | None = None) -> NewEvent:
    body: dict[str, Any] = {"operation": "image"}
    if credits is not None:
        body["credits"] = credits
    return NewEvent(event_id, ACCOUNT, "usage", NOW - timedelta(seconds=seconds_ago), body)


def new_id() -> str:
    return str(uuid.uuid4())


def remote(device: str, position: int, **changes: Any) -> Event:
    fields: dict[str, Any] = {
        "event_id": new_id(),
        "account": ACCOUNT,
        "kind": "usage",
        "at": NOW - timedelta(minutes=5),
        "body": {"operation": "image", "credits": 10.0},
        "device_id": device,
        "seq": position,
    }
    fields.update(changes)
    return Event(**fields)


def sync(source: Ledger, target: Ledger) -> int:
    """One direction of an exchange: the target takes what it lacks of the source."""
    return target.ingest(source.events_after(target.vector())).held


def stored(ledger: Ledger) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """The events (without the local receipt time) and the positions in the file."""
    with sqlite3.connect(ledger.path) as db:
        events = set(
            db.execute("SELECT event_id, account, kind, at, body, device_id, seq FROM events")
        )
        positions = set(db.execute("SELECT device_id, seq, event_id FROM positions"))
    return events, positions


def test_ingest_keeps_the_senders_positions_and_repeating_it_changes_nothing(
    pair: tuple[Ledger, Ledger],
) -> None:
    a, b = pair
    a.append([usage(new_id(), 60, 5.0), usage(new_id(), 30, 7.0)])
    assert b.vector() == {}
    assert sync(a, b) == 2
    assert b.vector() == {"dev-a": 2}
    assert [(e.device_id, e.seq) for e in b.events(ACCOUNT)] == [("dev-a", 1), ("dev-a", 2)]
    before = stored(b)
    assert b.ingest(a.events_after({})).held == 0
    assert stored(b) == before
    assert b.events_after(b.vector()) == []
    assert a.events_after({"dev-a": 1}) == a.events(ACCOUNT)[1:]
    b.append([usage(new_id(), 10, 1.0)])  # b's own numbering is untouched by a's
    assert b.vector() == {"dev-a": 2, "dev-b": 1}


def test_one_operation_recorded_on_two_devices_is_stored_once_at_both_positions(
    pair: tuple[Ledger, Ledger],
) -> None:
    a, b = pair
    a.append([usage(new_id(), 90, 3.0), usage(SHARED[0], 60, 10.0)])  # (dev-a, 2)
    b.append([usage(SHARED[0], 59, 12.0)])  # the same image, b's clock and cost: (dev-b, 1)
    sync(a, b)
    sync(b, a)
    assert a.vector() == b.vector() == {"dev-a": 2, "dev-b": 1}
    assert stored(a) == stored(b)
    _, positions = stored(a)
    assert {("dev-a", 2, SHARED[0]), ("dev-b", 1, SHARED[0])} <= positions
    (kept,) = [e for e in a.events(ACCOUNT) if e.event_id == SHARED[0]]
    assert (kept.device_id, kept.seq, kept.body["credits"]) == ("dev-a", 2, 10.0)
    # Each keeps numbering its own events after its last position: no gap, no reuse.
    assert a.append([usage(SHARED[0], 1)]) == [None]
    b.append([usage(new_id(), 5, 1.0)])
    assert b.vector()["dev-b"] == 2
    sync(b, a)
    assert a.vector() == b.vector() == {"dev-a": 2, "dev-b": 2}


def test_an_own_event_kept_under_another_position_keeps_its_number(
    pair: tuple[Ledger, Ledger],
) -> None:
    _, b = pair
    b.append([usage(SHARED[1], 60, 4.0)])  # (dev-b, 1)
    b.ingest([remote("dev-a", 1, event_id=SHARED[1])])  # dev-a < dev-b: its record is kept
    (kept,) = b.events(ACCOUNT)
    assert (kept.device_id, kept.seq) == ("dev-a", 1)
    (event,) = b.append([usage(new_id(), 30, 2.0)])
    assert event is not None and event.seq == 2
    assert b.vector() == {"dev-a": 1, "dev-b": 2}


def test_a_position_past_a_gap_is_held_but_the_vector_waits_for_the_gap(
    pair: tuple[Ledger, Ledger],
) -> None:
    _, b = pair
    first, second, third = (remote("dev-c", n) for n in (1, 2, 3))
    b.ingest([first, third])
    assert b.vector() == {"dev-c": 1}
    assert [e.seq for e in b.events_after({})] == [1, 3]
    b.ingest([second])
    assert b.vector() == {"dev-c": 3}


def test_a_position_already_held_by_another_event_keeps_the_first(
    pair: tuple[Ledger, Ledger],
) -> None:
    _, b = pair
    held = remote("dev-c", 1)
    b.ingest([held])
    clash = remote("dev-c", 1)
    result = b.ingest([clash])
    assert (result.held, result.kept, result.conflicts) == (0, 0, (("dev-c", 1),))
    assert [e.event_id for e in b.events(ACCOUNT)] == [held.event_id]


def test_a_drop_read_on_one_device_is_the_operation_of_another_on_both(
    pair: tuple[Ledger, Ledger],
) -> None:
    a, b = pair
    a.append([usage(new_id(), 59 * 60)])  # an image on a at 11:01, cost unknown
    readings = [(60, 100.0), (55, 80.0)]  # b's page: the full 100 at 11:00, 80 at 11:05
    b.append(
        [
            NewEvent(new_id(), ACCOUNT, "balance", NOW - timedelta(minutes=m), {"balance": v})
            for m, v in readings
        ]
    )
    assert Tallies(b).tally(ACCOUNT, NOW).used_by_device == {"other": 20.0}
    sync(a, b)
    sync(b, a)
    for ledger in (a, b):
        assert Tallies(ledger).tally(ACCOUNT, NOW).used_by_device == {"dev-a": 20.0}


def test_an_unknown_kind_from_a_newer_peer_is_kept_and_not_counted(
    pair: tuple[Ledger, Ledger],
) -> None:
    a, b = pair
    a.append([usage(new_id(), 60, 5.0)])
    sync(a, b)
    before = figures(Tallies(b).tally(ACCOUNT, NOW))
    future = remote("dev-c", 1, kind="quota.v9", body={"anything": [1, {"x": None}]})
    assert b.ingest([future]).kept == 1
    assert figures(Tallies(b).tally(ACCOUNT, NOW)) == before
    assert b.accounts() == [ACCOUNT]
    sync(b, a)  # and it travels on unchanged
    assert a.event(future.event_id) == b.event(future.event_id) != None  # noqa: E711
    assert a.vector() == b.vector()


def test_ingested_accounts_are_normalized_and_lone_surrogates_made_well_formed(
    pair: tuple[Ledger, Ledger],
) -> None:
    _, b = pair
    odd = remote(
        "dev-c\ud800",
        1,
        account=" ME\u200b@Example.com ",
        event_id=SHARED[2].upper(),
        body={"operation": "image", "model": "sdxl\udc00", "credits": 2.0},
    )
    b.ingest([odd])
    (kept,) = b.events(ACCOUNT)
    assert kept.event_id == SHARED[2]
    assert kept.device_id == "dev-c\ufffd"
    assert kept.body["model"] == "sdxl\ufffd"
    assert b.vector() == {"dev-c\ufffd": 1}
    b.events_after({})[0].device_id.encode()  # text that UTF-8 can carry


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("usage", {"credits": 3.0}),
        ("usage", {"operation": "image", "credits": "3"}),
        ("usage", {"operation": "image", "credits": -1.0}),
        ("usage", {"operation": "image", "extra": 1}),
        ("usage", {"operation": "chat", "ended_at": "2026-11-24T11:58:00+00:00"}),
        ("balance", {"balance": None}),
        ("balance", {"balance": 10.0, "window": "fortnight"}),
        ("undo", {"undoes": 12}),
        ("config", {"set": {"plan": "gold"}, "learned": False}),
        ("config", {"set": {"no_such_setting": 1}, "learned": False}),
        ("config", {"learned": True}),
        ("forget", {"why": "x"}),
    ],
)
def test_a_known_kind_with_a_body_this_version_cannot_read_is_kept_and_not_counted(
    pair: tuple[Ledger, Ledger], kind: str, body: dict[str, Any]
) -> None:
    a, b = pair
    a.append([usage(new_id(), 60, 5.0)])
    sync(a, b)
    before = figures(Tallies(b).tally(ACCOUNT, NOW))
    odd = remote("dev-c", 1, kind=kind, body=body, at=NOW - timedelta(minutes=1))
    assert b.ingest([odd]).kept == 1
    tallies = Tallies(b)
    assert figures(tallies.tally(ACCOUNT, NOW)) == before
    assert tallies.config(ACCOUNT, NOW) == Tallies(a).config(ACCOUNT, NOW)
    assert b.accounts() == [ACCOUNT]
    sync(b, a)  # passed on as it came, and not counted there either
    assert a.event(odd.event_id) == b.event(odd.event_id) != None  # noqa: E711
    assert figures(Tallies(a).tally(ACCOUNT, NOW)) == before


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("usage", {"operation": "image"}),
        ("usage", {"operation": "video", "credits": 40, "model": "kling", "source": "page"}),
        ("usage", {"operation": "chat", "ended_at": "2026-11-24T12:01:00+00:00"}),
        ("balance", {"balance": 5000.0, "window": "day", "reset_at": "2026-11-25T00:00:00Z"}),
        ("undo", {"undoes": SHARED[0]}),
        ("config", {"set": {"plan": "plus", "reserve": 10.0}, "learned": False}),
        ("config", {"set": {"allowance": None}, "learned": False}),
        ("forget", {}),
        ("quota.v9", {"anything": True}),
    ],
)
def test_bodies_this_version_records_are_readable(kind: str, body: dict[str, Any]) -> None:
    assert readable(kind, ACCOUNT, NOW, body)


def test_global_settings_are_readable_only_without_an_account() -> None:
    change = {"set": {"language": "ja"}, "learned": False}
    assert readable("config", "", NOW, change)
    assert not readable("config", ACCOUNT, NOW, change)


@pytest.mark.parametrize(
    "changes",
    [
        {"seq": 0},
        {"seq": True},
        {"seq": "1"},
        {"device_id": ""},
        {"event_id": "not-a-uuid"},
        {"event_id": None},
        {"kind": ""},
        {"at": datetime(2026, 11, 24, 12)},
        {"body": ["not", "an", "object"]},
        {"body": {"credits": {1.0}}},
        {"account": None},
    ],
)
def test_a_malformed_event_is_refused_and_its_batch_stores_nothing(
    pair: tuple[Ledger, Ledger], changes: dict[str, Any]
) -> None:
    _, b = pair
    with pytest.raises(HostError) as raised:
        b.ingest([remote("dev-c", 1), remote("dev-c", 2, **changes)])
    assert raised.value.code == ErrorCode.INVALID
    assert b.vector() == {} and b.events(ACCOUNT) == []


def test_tallies_ingest_drops_what_it_had_folded(pair: tuple[Ledger, Ledger]) -> None:
    a, b = pair
    tallies = Tallies(b)
    assert tallies.tally(ACCOUNT, NOW).used_total == 0
    a.append([usage(new_id(), 60, 5.0)])
    assert tallies.ingest(a.events_after(b.vector())).kept == 1
    assert tallies.tally(ACCOUNT, NOW).used_total == 5.0
    assert tallies.ingest(a.events_after({})).kept == 0  # nothing new: the cache stays


def test_device_names_and_peer_state(pair: tuple[Ledger, Ledger]) -> None:
    a, _ = pair
    assert a.peers() == [] and a.peer("dev-b") is None
    a.name_device("dev-b", "Laptop \ud800")
    a.name_device("dev-a", "Desk")
    assert a.device_names() == {"dev-a": "Desk", "dev-b": "Laptop \ufffd"}
    assert a.device_name == "Desk"
    a.record_sync("dev-b", {"dev-a": 3, "dev-b": 1}, NOW)
    later = NOW + timedelta(minutes=5)
    a.record_sync("dev-b", {"dev-a": 3, "dev-b": 2}, later, error="hub unreachable")
    peer = a.peer("dev-b")
    assert peer is not None
    assert peer.vector == {"dev-a": 3, "dev-b": 2}
    assert peer.last_sync_at == NOW  # the failed attempt does not count as a sync
    assert peer.last_error == "hub unreachable"
    a.record_sync("dev-b", {"dev-a": 4, "dev-b": 2}, later)
    reopened = Ledger(a.path)
    try:
        assert reopened.peers() == [a.peer("dev-b")]
        assert reopened.peers()[0].last_sync_at == later and reopened.peers()[0].last_error is None
        assert reopened.device_name == "Desk"
    finally:
        reopened.close()


def naming(device: str, position: int, body: dict[str, Any], account: str = "") -> Event:
    """A `device` event at a position, as another device's Ledger.name_device records it."""
    return remote(device, position, kind="device", account=account, body=body, at=NOW)


def test_naming_this_device_records_an_event_that_names_it_on_the_other_devices(
    pair: tuple[Ledger, Ledger],
) -> None:
    a, b = pair
    a.append([usage(new_id(), 60, 5.0)])
    a.name_device(a.device_id, "Desk")
    b.name_device(b.device_id, "Laptop")
    (recorded,) = a.events_after({"dev-a": 1})
    assert (recorded.kind, recorded.account, recorded.body) == ("device", "", {"name": "Desk"})
    assert b.device_names() == {"dev-b": "Laptop"}  # before the sync: a is not heard of
    tally = figures(Tallies(a).tally(ACCOUNT, NOW))
    sync(a, b)
    sync(b, a)
    assert a.device_names() == b.device_names() == {"dev-a": "Desk", "dev-b": "Laptop"}
    assert a.device_name == "Desk" and b.device_name == "Laptop"
    # not usage, not an account, no setting: the tally is as before on both
    assert figures(Tallies(a).tally(ACCOUNT, NOW)) == figures(Tallies(b).tally(ACCOUNT, NOW))
    assert figures(Tallies(b).tally(ACCOUNT, NOW)) == tally
    assert a.accounts() == b.accounts() == [ACCOUNT]
    assert Tallies(b).global_config() == global_config([])


def test_a_rename_arriving_before_the_older_name_still_wins(pair: tuple[Ledger, Ledger]) -> None:
    a, b = pair
    a.name_device(a.device_id, "Old")
    a.name_device(a.device_id, "New")
    older, newer = a.events_after({})
    b.ingest([newer])
    assert b.device_names()["dev-a"] == "New"
    b.ingest([older])  # late, and then again: the highest seq from dev-a names it
    b.ingest([older, newer])
    assert b.device_names()["dev-a"] == "New" == a.device_names()["dev-a"]
    reopened = Ledger(a.path)
    assert reopened.device_name == "New" == reopened.device_names()["dev-a"]
    reopened.close()


def test_a_device_cannot_rename_another(pair: tuple[Ledger, Ledger]) -> None:
    a, b = pair
    b.name_device("dev-a", "what b calls a")  # a local name: no event, it stays on b
    assert b.events_after({}) == []
    assert b.device_names()["dev-a"] == "what b calls a"
    a.name_device(a.device_id, "Desk")
    sync(a, b)
    assert b.device_names()["dev-a"] == "Desk"  # a's own naming wins over b's local one
    # An event from dev-b names dev-b alone: a body naming another device is not readable.
    claim = naming("dev-b", 1, {"name": "Hacked", "device": "dev-a"})
    assert b.ingest([claim]).kept == 1
    sync(b, a)
    assert a.device_names() == {"dev-a": "Desk"}  # dev-b named nobody, itself neither
    assert b.device_names() == {"dev-a": "Desk", "dev-b": "dev-b"}  # its name from creation


@pytest.mark.parametrize(
    ("account", "body"),
    [
        (ACCOUNT, {"name": "Laptop"}),  # a device is no account
        ("", {"name": " Laptop"}),  # names are recorded trimmed
        ("", {"name": ""}),
        ("", {"name": "x" * 41}),
        ("", {"name": "a\nb"}),
        ("", {"name": 7}),
        ("", {}),
        ("", {"name": "Laptop", "device": "dev-a"}),
    ],
)
def test_a_device_event_this_version_cannot_read_names_nobody_and_counts_for_nothing(
    pair: tuple[Ledger, Ledger], account: str, body: dict[str, Any]
) -> None:
    a, b = pair
    assert not readable("device", account, NOW, body)
    a.append([usage(new_id(), 60, 5.0)])
    sync(a, b)
    before = figures(Tallies(b).tally(ACCOUNT, NOW))
    b.ingest([naming("dev-c", 1, {"name": "Phone"}), naming("dev-c", 2, body, account)])
    assert b.device_names()["dev-c"] == "Phone"  # the newest it can read
    assert figures(Tallies(b).tally(ACCOUNT, NOW)) == before
    assert b.accounts() == [ACCOUNT]
    sync(b, a)  # passed on as it came, and read alike there
    assert a.event(b.events_after({"dev-c": 1})[0].event_id) is not None
    assert a.device_names()["dev-c"] == "Phone"


def test_a_device_name_this_version_records_is_readable() -> None:
    assert readable("device", "", NOW, {"name": "仕事用ノート"})
    assert readable("device", "", NOW, {"name": "x" * 40})


# Namings as one device records them: (name, whether the position arrives twice).
NAME = st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40)
NAMINGS = st.lists(st.tuples(NAME, st.booleans()), max_size=6)


@settings(max_examples=60, deadline=None)
@given(
    namings=st.lists(NAMINGS, min_size=2, max_size=3),
    order=st.randoms(use_true_random=False),
)
def test_names_are_the_same_whatever_order_and_repeats_the_namings_arrive_in(
    namings: list[list[tuple[str, bool]]], order: Random
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        sources = [open_as(Path(folder) / f"s{n}.sqlite3", f"dev-{n}") for n in range(len(namings))]
        targets = [open_as(Path(folder) / f"t{n}.sqlite3", f"dev-t{n}") for n in range(3)]
        try:
            expected: dict[str, str] = {}
            arrivals: list[Event] = []
            for source, names in zip(sources, namings, strict=True):
                for name, twice in names:
                    if not name.strip():
                        continue
                    membership.name_device(source, name)  # as `sync name` does
                    expected[source.device_id] = name.strip()
                    arrivals += source.events_after({})[-1:] * (2 if twice else 1)
            for target in targets:
                batch = list(arrivals)
                order.shuffle(batch)
                while batch:  # in batches of any size, each its own transaction
                    size = order.randint(1, len(batch))
                    target.ingest(batch[:size])
                    batch = batch[size:]
                heard = target.device_names()
                assert {d: heard[d] for d in expected} == expected
                assert set(heard) - set(expected) <= {target.device_id}
        finally:
            for ledger in sources + targets:
                ledger.close()


def test_the_positions_migration_on_a_ledger_of_the_previous_schema(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    previous = MIGRATIONS[:2]
    with sqlite3.connect(path) as db:
        db.create_function("normalize_account", 1, normalize_account, deterministic=True)
        for _name, script in previous:
            db.executescript(script)
        db.execute(f"PRAGMA user_version = {len(previous)}")
        db.execute("INSERT INTO meta VALUES ('device_id', 'dev-old')")
        db.execute("INSERT INTO devices VALUES ('dev-old', 'old laptop')")
        rows = [
            ("dev-old", 1, SHARED[0]),
            ("dev-old", 2, SHARED[1]),
            ("dev-other", 1, SHARED[2]),  # written by an earlier two-helper setup
        ]
        for device, seq, event_id in rows:
            db.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?, 'usage', ?, ?, ?)",
                (
                    device,
                    seq,
                    event_id,
                    ACCOUNT,
                    f"2026-11-24T11:00:0{seq}.000000Z",
                    json.dumps({"operation": "image", "credits": 2.0}),
                    "2026-11-24T11:00:00.000000Z",
                ),
            )
    ledger = Ledger(path)
    try:
        assert ledger.device_id == "dev-old"
        _, positions = stored(ledger)
        assert positions == set(rows)
        assert ledger.vector() == {"dev-old": 2, "dev-other": 1}
        assert Tallies(ledger).tally(ACCOUNT, NOW).used_total == 6.0
        (event,) = ledger.append([usage(new_id(), 10, 1.0)])
        assert event is not None and (event.device_id, event.seq) == ("dev-old", 3)
        (version,) = ledger._read("PRAGMA user_version", [])[0]
        assert version == len(MIGRATIONS)
    finally:
        ledger.close()


def test_an_event_appended_by_a_helper_from_before_the_migration_gets_its_position(
    pair: tuple[Ledger, Ledger],
) -> None:
    a, b = pair
    a.append([usage(new_id(), 60, 5.0)])
    old_id = new_id()
    with sqlite3.connect(a.path) as db:  # what the previous version's append writes
        (seq,) = db.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM events WHERE device_id = ?", (a.device_id,)
        ).fetchone()
        db.execute(
            "INSERT INTO events (device_id, seq, event_id, account, kind, at, body,"
            " recorded_at) VALUES (?, ?, ?, ?, 'usage', ?, ?, ?)",
            (
                a.device_id,
                seq + 1,
                old_id,
                ACCOUNT,
                "2026-11-24T11:58:00.000000Z",
                '{"operation":"chat","credits":1.0}',
                "2026-11-24T11:58:00.000000Z",
            ),
        )
    (event,) = a.append([usage(new_id(), 30, 2.0)])
    assert event is not None and event.seq == 3
    assert a.vector() == {"dev-a": 3}
    sync(a, b)
    assert b.event(old_id) is not None and b.vector() == {"dev-a": 3}


def figures(tally: Tally) -> dict[str, Any]:
    """A tally's figures, rounded to 6 places (float sums may differ in the last bits)."""
    return {
        "plan": tally.plan,
        "period": (tally.period_start, tally.period_end),
        "allowance": round(tally.allowance, 6),
        "used": round(tally.used_total, 6),
        "by_device": {k: round(v, 6) for k, v in sorted(tally.used_by_device.items())},
        "by_operation": {k: round(v, 6) for k, v in sorted(tally.used_by_operation.items())},
        "remaining": round(tally.remaining, 6),
        "topped_up": round(tally.topped_up, 6),
        "observed": (tally.observed_balance, tally.observed_at),
        "windows": tally.windows,
    }


# One thing a device records: (kind, seconds before NOW, number, shared operation or None).
RECORD = st.tuples(
    st.sampled_from(["usage", "usage", "balance", "undo", "quota.v9", "device"]),
    st.integers(0, 3000),
    st.integers(0, 300),
    st.none() | st.integers(0, len(SHARED) - 1),
)


def recorded(spec: tuple[str, int, int, int | None], serial: int) -> NewEvent:
    kind, seconds, number, shared = spec
    at = NOW - timedelta(seconds=seconds)
    own = str(uuid.UUID(int=10_000 + serial))
    if kind == "usage":
        body: dict[str, Any] = {"operation": ["image", "chat"][number % 2]}
        if number % 3:
            body["credits"] = float(number % 40)
        event_id = SHARED[shared] if shared is not None else own
    elif kind == "balance":
        body, event_id = {"balance": float(10_000 - number * 10)}, own
    elif kind == "undo":
        body = {"undoes": SHARED[shared or 0]}
        event_id = undo_event_id(SHARED[shared or 0])
    elif kind == "device":  # the device names itself (Ledger.name_device records this)
        return NewEvent(own, "", "device", at, {"name": f"device {number}"})
    else:  # a kind from a newer version of the protocol
        body, event_id = {"future": number}, own
    return NewEvent(event_id, ACCOUNT, kind, at, body)  # type: ignore[arg-type]


STEP = st.one_of(
    st.tuples(st.just("record"), st.integers(0, 3), st.lists(RECORD, min_size=1, max_size=4)),
    st.tuples(st.just("sync"), st.integers(0, 3), st.integers(0, 3), st.booleans()),
)


@contextmanager
def devices(count: int) -> Iterator[list[Tallies]]:
    with tempfile.TemporaryDirectory() as folder:
        ledgers = [open_as(Path(folder) / f"{n}.sqlite3", f"dev-{n}") for n in range(count)]
        try:
            yield [Tallies(ledger) for ledger in ledgers]
        finally:
            for ledger in ledgers:
                ledger.close()


@settings(max_examples=120, deadline=None)
@given(
    count=st.integers(2, 4),
    steps=st.lists(STEP, min_size=1, max_size=14),
    order=st.randoms(use_true_random=False),
)
def test_devices_exchanging_in_any_order_converge_to_one_ledger_and_one_tally(
    count: int, steps: list[tuple[Any, ...]], order: Random
) -> None:
    with devices(count) as each:
        serial = 0
        for step in steps:
            if step[0] == "record":
                _, who, specs = step
                events = [recorded(spec, serial + n) for n, spec in enumerate(specs)]
                serial += len(specs)
                each[who % count].append(events)
            else:
                _, source, target, twice = step
                source, target = each[source % count], each[target % count]
                batch = source.ledger.events_after(target.ledger.vector())
                order.shuffle(batch)
                target.ingest(batch)
                if twice:  # a repeated delivery changes nothing
                    target.ingest(batch[: len(batch) // 2 + 1])
            each[order.randrange(count)].tally(ACCOUNT, NOW)  # fold as the helper does
        for _round in range(2):  # everyone talks to everyone
            for source in each:
                for target in each:
                    if source is not target:
                        target.ingest(source.ledger.events_after(target.ledger.vector()))
        reference = stored(each[0].ledger)
        vector = each[0].ledger.vector()
        tally = figures(Tallies(each[0].ledger).tally(ACCOUNT, NOW))
        names = each[0].ledger.device_names()
        _events, positions = reference
        for device in each:
            assert stored(device.ledger) == reference
            heard = device.ledger.device_names()  # alike but for each one's local own name
            assert all(heard[d] == names[d] for d in heard.keys() & names.keys())
            assert heard.keys() ^ names.keys() <= {device.ledger.device_id, "dev-0"}
            assert device.ledger.vector() == vector
            assert figures(Tallies(device.ledger).tally(ACCOUNT, NOW)) == tally
            assert figures(device.tally(ACCOUNT, NOW)) == tally  # the long-lived cache too
            assert device.ledger.events_after(vector) == []
        for name, high in vector.items():  # gap-free: every position 1..high, no more
            assert sorted(seq for d, seq, _ in positions if d == name) == list(range(1, high + 1))
        recorders = {f"dev-{who % count}" for kind, who, *_ in steps if kind == "record"}
        assert set(vector) <= recorders
