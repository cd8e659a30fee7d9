"""An acknowledged event is never lost or counted twice: SIGKILL mid-stream, two writers.

The browser treats an ok reply as "recorded"; these tests hold the helper to that over
real pipes, with many requests in flight, by killing it at chosen and random moments
and by running two helpers on one data directory at once.
"""

from __future__ import annotations

import contextlib
import json
import random
import sqlite3
import struct
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.hostproc import HostProcess

ACCOUNT = "me@example.com"
CREDITS = 2


def usage_frame(request_id: str, event_id: str, at: str) -> bytes:
    body = json.dumps(
        {
            "v": 1,
            "id": request_id,
            "type": "usage",
            "event_id": event_id,
            "account": ACCOUNT,
            "operation": "image",
            "at": at,
            "credits": CREDITS,
        }
    ).encode()
    return struct.pack("=I", len(body)) + body


def now_text() -> str:
    return (datetime.now(UTC) - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def stream(helper: HostProcess, event_ids: list[str], at: str) -> threading.Thread:
    """Write every event as fast as the pipe takes them (all pipelined), from a thread,
    so the reader never blocks the writer; stops quietly when the helper dies."""
    data = b"".join(usage_frame(f"r{i}", event_id, at) for i, event_id in enumerate(event_ids))

    def write() -> None:
        with contextlib.suppress(BrokenPipeError, ValueError, OSError):
            for start in range(0, len(data), 16_384):
                helper.send_raw(data[start : start + 16_384])

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return writer


def read_acknowledged(helper: HostProcess, event_ids: list[str]) -> dict[str, bool]:
    """Read replies until EOF: event id → duplicate flag, for every ok reply received."""
    acknowledged: dict[str, bool] = {}
    while True:
        try:
            reply = helper.read_reply(timeout=20)
        except EOFError:
            return acknowledged
        assert reply["ok"], reply
        acknowledged[event_ids[int(reply["id"][1:])]] = reply["duplicate"]


def stored_rows(home: Path) -> list[tuple[str, str, int]]:
    """(event_id, device_id, seq) of every usage event, read with sqlite3 directly."""
    with contextlib.closing(sqlite3.connect(home / "ledger.sqlite3")) as db:
        return list(db.execute("SELECT event_id, device_id, seq FROM events WHERE kind='usage'"))


def status_total(helper: HostProcess, at: str) -> tuple[float, float]:
    """The account's used total, and what it should be per event in the current period
    (CREDITS, or 0 if the daily period rolled over since `at`)."""
    reply = helper.request("status", account=ACCOUNT)
    assert reply["ok"], reply
    (tally,) = reply["accounts"]
    in_period = tally["period"]["start"] <= at < tally["period"]["end"]
    return float(tally["used"]["total"]), float(CREDITS if in_period else 0)


def assert_sequences_dense(rows: list[tuple[str, str, int]]) -> None:
    by_device: dict[str, list[int]] = {}
    for _event_id, device_id, seq in rows:
        by_device.setdefault(device_id, []).append(seq)
    for device_id, seqs in by_device.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), f"gaps or clashes in {device_id}"


KILL_POINTS = [
    pytest.param(("replies", 0), id="before-any-reply"),
    pytest.param(("replies", 1), id="after-1-reply"),
    pytest.param(("replies", 97), id="after-97-replies"),
    pytest.param(("seconds", random.Random().uniform(0.0, 0.25)), id="at-a-random-moment"),
]


@pytest.mark.parametrize("kill_point", KILL_POINTS)
def test_sigkill_mid_stream_loses_no_acknowledged_event(
    tmp_path: Path, kill_point: tuple[str, float]
) -> None:
    total = 300
    event_ids = [str(uuid.uuid4()) for _ in range(total)]
    at = now_text()
    helper = HostProcess(tmp_path)
    assert helper.request("hello")["ok"]
    writer = stream(helper, event_ids, at)

    acknowledged: dict[str, bool] = {}
    how, when = kill_point
    if how == "replies":
        while len(acknowledged) < when:
            reply = helper.read_reply()
            assert reply["ok"], reply
            acknowledged[event_ids[int(reply["id"][1:])]] = reply["duplicate"]
    else:
        time.sleep(when)
    helper.proc.kill()
    # replies already in the pipe reached "the browser" too: they count as acknowledged
    acknowledged.update(read_acknowledged(helper, event_ids))
    helper.proc.wait(10)
    helper.close()
    writer.join(10)
    print(f"kill at {how}={when:.3f}: {len(acknowledged)} of {total} acknowledged")

    rows = stored_rows(tmp_path)
    counts = Counter(event_id for event_id, _, _ in rows)
    assert set(acknowledged) <= set(counts), "an acknowledged event is missing"
    assert all(count == 1 for count in counts.values())
    assert set(counts) <= set(event_ids)
    assert_sequences_dense(rows)
    assert not any(acknowledged.values()), "a first delivery was reported as a duplicate"

    restarted = HostProcess(tmp_path)
    used, per_event = status_total(restarted, at)
    assert used == per_event * len(counts)
    # the browser re-sends everything it is unsure of, and some it was sure of
    writer = stream(restarted, event_ids, at)
    resent: dict[str, bool] = {}
    while len(resent) < total:
        reply = restarted.read_reply(timeout=20)
        assert reply["ok"], reply
        resent[event_ids[int(reply["id"][1:])]] = reply["duplicate"]
    writer.join(10)
    assert all(resent[event_id] for event_id in counts), "a stored event was counted again"
    assert not any(resent[event_id] for event_id in set(event_ids) - set(counts))
    used, per_event = status_total(restarted, at)
    assert used == per_event * total
    assert restarted.close() == 0
    assert len(stored_rows(tmp_path)) == total


def test_two_helpers_writing_concurrently_count_each_event_once(tmp_path: Path) -> None:
    per_helper, shared = 200, 60
    common = [str(uuid.uuid4()) for _ in range(shared)]
    rng = random.Random(11)
    lists = []
    for _ in range(2):
        own = [str(uuid.uuid4()) for _ in range(per_helper - shared)] + common
        rng.shuffle(own)
        lists.append(own)
    at = now_text()
    helpers = [
        HostProcess(tmp_path),
        HostProcess(tmp_path, "/m.json", "credit-guard@creditguard.app"),
    ]
    for helper in helpers:  # both have opened the ledger before the race starts
        assert helper.request("hello")["ok"]

    results: list[dict[str, bool]] = [{}, {}]

    def run(index: int) -> None:
        helper, event_ids = helpers[index], lists[index]
        writer = stream(helper, event_ids, at)
        while len(results[index]) < len(event_ids):
            reply = helper.read_reply(timeout=30)
            assert reply["ok"], reply
            results[index][event_ids[int(reply["id"][1:])]] = reply["duplicate"]
        writer.join(10)

    readers = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(2)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(60)
    assert all(len(results[i]) == per_helper for i in range(2)), "a helper stopped answering"

    unique = set(lists[0]) | set(lists[1])
    for event_id in unique:
        firsts = [not results[i][event_id] for i in range(2) if event_id in results[i]]
        assert firsts.count(True) == 1, f"{event_id} was new to {firsts.count(True)} helpers"

    rows = stored_rows(tmp_path)
    counts = Counter(event_id for event_id, _, _ in rows)
    assert set(counts) == unique
    assert all(count == 1 for count in counts.values())
    assert_sequences_dense(rows)

    for helper in helpers:
        assert helper.close() == 0
    # A fresh helper folds the ledger as it is; that the two writers' in-memory tallies
    # also see each other's commits at once is test_host.py's two-helper test.
    fresh = HostProcess(tmp_path)
    used, per_event = status_total(fresh, at)
    assert used == per_event * len(unique)
    assert fresh.close() == 0
