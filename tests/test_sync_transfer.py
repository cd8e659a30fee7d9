"""An event on the move (native_host/sync/transfer.py), on real SQLite ledgers: sealed for
its position, opened and ingested on the other side; what does not open is skipped and
counted, and never stops the rest of its batch."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from pathlib import Path

from native_host.sync.seal import derive_keys
from native_host.sync.transfer import SealedEvent, open_event, seal_event, sealed_after, take
from tests.test_sync_ledger import ACCOUNT, new_id, open_as, remote, usage

KEYS = derive_keys(bytes(range(32)))
OTHER = derive_keys(bytes(32))


def test_a_sealed_event_opens_to_the_same_event_and_shows_nothing_in_the_clear(
    tmp_path: Path,
) -> None:
    ledger = open_as(tmp_path / "a.sqlite3", "dev-a")
    ledger.append([usage(new_id(), 30, credits=12)])
    (event,) = ledger.events_after({})
    item = seal_event(KEYS, event)
    assert (item.device, item.seq) == ("dev-a", 1)
    assert ACCOUNT.encode() not in item.sealed and b"image" not in item.sealed
    assert open_event(KEYS, item) == event
    ledger.close()


def test_take_ingests_what_opens_and_counts_what_does_not(tmp_path: Path) -> None:
    a, b = open_as(tmp_path / "a.sqlite3", "dev-a"), open_as(tmp_path / "b.sqlite3", "dev-b")
    a.append([usage(new_id(), 40), usage(new_id(), 30), usage(new_id(), 20)])
    first, second, third = sealed_after(a, KEYS, {})
    moved = SealedEvent("dev-a", 2, first.sealed)  # a payload moved to another position
    foreign = sealed_after(a, OTHER, {})[2]  # another group's
    taken = take(b, KEYS, [moved, dataclasses.replace(foreign), first])
    assert taken.refused == 2 and taken.changed
    assert b.vector()["dev-a"] == 1
    assert take(b, KEYS, [second, third]).changed
    assert b.vector()["dev-a"] == 3
    assert not take(b, KEYS, [first, second, third]).changed  # again: nothing changes
    a.close()
    b.close()


def test_sealed_namings_carry_each_devices_name_and_a_late_older_one_does_not_undo_a_rename(
    tmp_path: Path,
) -> None:
    a, b = open_as(tmp_path / "a.sqlite3", "dev-a"), open_as(tmp_path / "b.sqlite3", "dev-b")
    a.append([usage(new_id(), 40)])
    a.name_device(a.device_id, "Desk")
    b.name_device(b.device_id, "Laptop")
    assert take(b, KEYS, sealed_after(a, KEYS, b.vector())).changed
    assert take(a, KEYS, sealed_after(b, KEYS, a.vector())).changed
    assert a.device_names() == b.device_names() == {"dev-a": "Desk", "dev-b": "Laptop"}
    b.name_device(b.device_id, "Old laptop")
    older, newer = sealed_after(b, KEYS, {"dev-a": 2})  # both of b's namings, sealed
    c = open_as(tmp_path / "c.sqlite3", "dev-c")
    for ledger in (a, c):
        take(ledger, KEYS, [newer])  # the rename comes first, the older name after it
        take(ledger, KEYS, [older, newer])
        assert ledger.device_names()["dev-b"] == "Old laptop"
    for ledger in (a, b, c):
        ledger.close()


def test_an_event_whose_time_cannot_be_kept_is_refused_alone(tmp_path: Path) -> None:
    """Year 1 at 00:30 an hour east of UTC is a valid datetime that has no UTC time: a
    buggy or hostile device of the group must not keep the honest events out with it."""
    b = open_as(tmp_path / "b.sqlite3", "dev-b")
    early = datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    bad = seal_event(KEYS, remote("dev-a", 1, at=early))
    honest = seal_event(KEYS, remote("dev-a", 2))
    taken = take(b, KEYS, [bad, honest])
    assert taken.refused == 1 and taken.changed
    assert [event.seq for event in b.events_after({})] == [2]
    b.close()
