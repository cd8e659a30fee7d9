"""What a hub keeps (native_host/sync/hubstore.py), on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from native_host.sync.hubstore import GroupFull, HubStore
from native_host.sync.transfer import SealedEvent

GROUP, OTHER = b"g" * 16, b"o" * 16


def items(device: str, seqs: list[int], size: int = 40) -> list[SealedEvent]:
    return [SealedEvent(device, seq, bytes([seq % 256]) * size) for seq in seqs]


def test_groups_are_kept_up_to_the_cap_and_enrolling_again_changes_nothing(
    tmp_path: Path,
) -> None:
    store = HubStore(tmp_path / "hub.sqlite3")
    assert store.enroll(GROUP, b"k" * 32, max_groups=1)
    assert store.enroll(GROUP, b"k" * 32, max_groups=1)
    assert not store.enroll(OTHER, b"q" * 32, max_groups=1)
    store.close()
    assert HubStore(tmp_path / "hub.sqlite3").keys() == {GROUP: b"k" * 32}


def test_positions_are_kept_once_durably_and_the_vector_stops_at_a_gap(tmp_path: Path) -> None:
    store = HubStore(tmp_path / "hub.sqlite3")
    store.enroll(GROUP, b"k" * 32, 10)
    store.enroll(OTHER, b"q" * 32, 10)
    new, vector = store.add(GROUP, items("a", [1, 2, 4]) + items("b", [1]), 10_000)
    assert [(i.device, i.seq) for i in new] == [("a", 1), ("a", 2), ("a", 4), ("b", 1)]
    assert vector == {"a": 2, "b": 1}
    moved = [SealedEvent("a", 2, b"another payload here, same position")]
    new, vector = store.add(GROUP, moved + items("a", [3, 3]), 10_000)
    assert [(i.device, i.seq) for i in new] == [("a", 3)]  # a held position stays
    assert vector == {"a": 4, "b": 1}
    assert store.add(OTHER, [], 10_000) == ([], {})  # groups apart
    store.close()
    reopened = HubStore(tmp_path / "hub.sqlite3")
    assert reopened.after(GROUP, {"a": 1}, 10_000) == items("a", [2, 3, 4]) + items("b", [1])


def test_a_group_past_its_bytes_keeps_nothing_of_the_batch(tmp_path: Path) -> None:
    store = HubStore(tmp_path / "hub.sqlite3")
    store.enroll(GROUP, b"k" * 32, 10)
    store.add(GROUP, items("a", [1, 2]), 100)
    with pytest.raises(GroupFull):
        store.add(GROUP, items("a", [3, 4]), 100)
    assert store.vector(GROUP) == {"a": 2}
    assert store.add(GROUP, items("a", [1, 2]), 100)[0] == []  # repeats cost nothing


def test_a_catch_up_pages_by_bytes_in_position_order(tmp_path: Path) -> None:
    store = HubStore(tmp_path / "hub.sqlite3")
    store.enroll(GROUP, b"k" * 32, 10)
    held = items("a", list(range(1, 8))) + items("b", [1, 2]) + items("c", [1], size=500)
    store.add(GROUP, held, 10_000)
    cursor: dict[str, int] = {"b": 1}
    pages = []
    while page := store.after(GROUP, cursor, 100):  # two 40-byte payloads a page
        pages.append(page)
        for item in page:
            cursor[item.device] = item.seq
    assert [len(page) for page in pages] == [2, 2, 2, 2, 1]  # the 500 bytes come alone
    assert [item for page in pages for item in page] == [
        i for i in held if (i.device, i.seq) != ("b", 1)
    ]
