"""An acknowledged event is never lost or counted twice: SIGKILL mid-stream, two writers,
a data folder removed, replaced or unusable.

The browser treats an ok reply as "recorded"; these tests hold the helper to that over
real pipes, with many requests in flight, by killing it at chosen and random moments,
by running two helpers on one data directory at once, and by taking the data folder
away under a running helper.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import sqlite3
import struct
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from native_host.installer import DEFAULT_FIREFOX_ID
from tests.hostproc import HELPER, HostProcess, bound_by_permissions

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
        HostProcess(tmp_path, "/m.json", DEFAULT_FIREFOX_ID),
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


# ---------------------------------------------------------------- the data folder


def send_usages(
    helper: HostProcess, event_ids: list[str], *, pipelined: bool
) -> list[dict[str, Any]]:
    """The replies to one usage per event id, sent one at a time or all in one write."""
    frames = [usage_frame(f"r{i}", event_id, now_text()) for i, event_id in enumerate(event_ids)]
    if pipelined:
        helper.send_raw(b"".join(frames))
        return [helper.read_reply() for _ in frames]
    replies = []
    for data in frames:
        helper.send_raw(data)
        replies.append(helper.read_reply())
    return replies


def stored_ids(home: Path) -> set[str]:
    return {event_id for event_id, _, _ in stored_rows(home)}


@pytest.mark.parametrize("pipelined", [False, True], ids=["one-at-a-time", "pipelined"])
def test_a_data_folder_removed_under_a_running_helper_loses_no_acknowledged_event(
    tmp_path: Path, pipelined: bool
) -> None:
    home = tmp_path / "home"
    helper = HostProcess(home)
    before = str(uuid.uuid4())
    assert send_usages(helper, [before], pipelined=False)[0]["ok"]
    shutil.rmtree(home)
    after = [str(uuid.uuid4()) for _ in range(3)]
    replies = send_usages(helper, after, pipelined=pipelined)
    assert helper.close() == 0
    # The helper opens the ledger again where it belongs, so each is recorded there.
    assert [(reply["id"], reply["ok"]) for reply in replies] == [
        (f"r{i}", True) for i in range(3)
    ], replies
    assert stored_ids(home) == set(after)
    restarted = HostProcess(home)
    used, per_event = status_total(restarted, now_text())
    assert used == per_event * 3
    assert restarted.close() == 0


def test_a_data_folder_replaced_under_a_running_helper_loses_no_acknowledged_event(
    tmp_path: Path,
) -> None:
    home, backup = tmp_path / "home", tmp_path / "backup"
    first = HostProcess(home)
    assert first.request("hello")["ok"]
    assert first.close() == 0
    shutil.copytree(home, backup)  # a backup, restored below while a helper runs
    helper = HostProcess(home)
    old = str(uuid.uuid4())
    assert send_usages(helper, [old], pipelined=False)[0]["ok"]
    home.rename(tmp_path / "moved-away")
    shutil.copytree(backup, home)
    after = [str(uuid.uuid4()) for _ in range(3)]
    replies = send_usages(helper, after, pipelined=True)
    assert helper.close() == 0
    assert all(reply["ok"] for reply in replies), replies
    assert stored_ids(home) == set(after)  # `old` went away with the folder the user moved
    assert stored_ids(tmp_path / "moved-away") == {old}


def unusable_home(tmp_path: Path, how: str) -> Path:
    """A CREDIT_GUARD_HOME the helper cannot use, made the way `how` says."""
    if how == "read-only parent":
        parent = tmp_path / "read-only"
        parent.mkdir(mode=0o555)
        return parent / "home"
    if how == "a file in the way":
        home = tmp_path / "home"
        home.write_text("not a folder")
        return home
    if how == "a file as its parent":
        (tmp_path / "file").write_text("")
        return tmp_path / "file" / "home"
    if how == "read-only folder with a ledger":
        home = tmp_path / "home"
        helper = HostProcess(home)
        assert helper.request("hello")["ok"]
        assert helper.close() == 0
        home.chmod(0o555)
        return home
    assert how == "a ledger that is not a database"
    home = tmp_path / "home"
    home.mkdir()
    (home / "ledger.sqlite3").write_bytes(b"not SQLite" * 1000)
    return home


UNUSABLE = [
    "read-only parent",
    "a file in the way",
    "a file as its parent",
    "read-only folder with a ledger",
    "a ledger that is not a database",
]


@pytest.mark.parametrize("how", UNUSABLE)
def test_an_unusable_data_folder_is_a_storage_error_with_the_id_on_every_request(
    tmp_path: Path, how: str
) -> None:
    home = unusable_home(tmp_path, how)
    helper = HostProcess(home, command=[*bound_by_permissions(), *HELPER])
    helper.send_raw(
        b"".join(
            [
                usage_frame("u1", str(uuid.uuid4()), now_text()),
                struct.pack("=I", 8) + b"not json",
                usage_frame("u2", str(uuid.uuid4()), now_text()),
            ]
        )
    )
    replies = [helper.read_reply() for _ in range(3)]
    for request_id in ("h", "s"):
        kind = "hello" if request_id == "h" else "status"
        helper.send({"v": 1, "id": request_id, "type": kind})
        replies.append(helper.read_reply())
    assert helper.close() == 0  # alive to the end, and a clean exit
    assert [reply["id"] for reply in replies] == ["u1", None, "u2", "h", "s"]
    assert [reply["error"]["code"] for reply in replies] == ["storage", "bad_json"] + [
        "storage"
    ] * 3
    error = replies[0]["error"]
    assert error["params"]["folder"] == str(home) and error["params"]["reason"]
    assert str(home) in error["message"] and "CREDIT_GUARD_HOME" in error["message"]


def test_a_data_folder_whose_name_is_not_utf8_gets_an_answer_not_a_crash(
    tmp_path: Path,
) -> None:
    """The storage error names the folder: a name that is not UTF-8 (a byte from another
    encoding) is sent with U+FFFD in its place."""
    blocked = os.fsencode(tmp_path) + b"/caf\xe9"
    with open(blocked, "wb"):
        pass  # a file where the folder's parent should be
    home = Path(os.fsdecode(blocked + b"/home"))
    helper = HostProcess(home)
    reply = helper.request("hello")
    assert helper.close() == 0
    assert reply["error"]["code"] == "storage"
    assert reply["error"]["params"]["folder"].endswith("caf\ufffd/home")


def test_a_data_folder_made_usable_is_used_from_the_next_request(tmp_path: Path) -> None:
    home = unusable_home(tmp_path, "a file in the way")
    helper = HostProcess(home)
    event_id = str(uuid.uuid4())
    assert send_usages(helper, [event_id], pipelined=False)[0]["error"]["code"] == "storage"
    home.unlink()  # the user moves the file away; no restart
    assert send_usages(helper, [event_id], pipelined=False)[0]["ok"]
    assert helper.close() == 0
    assert stored_ids(home) == {event_id}


@pytest.mark.parametrize(
    ("env_language", "request_language", "expected"),
    [
        ("ja_JP.UTF-8", None, "記録用フォルダ"),
        ("C.UTF-8", "ja", "記録用フォルダ"),
        ("ja_JP.UTF-8", "en", "cannot keep its records"),
        ("", None, "cannot keep its records"),
    ],
)
def test_the_unusable_folder_error_is_in_the_users_language(
    tmp_path: Path, env_language: str, request_language: str | None, expected: str
) -> None:
    home = unusable_home(tmp_path, "a file in the way")
    env = {"LANG": env_language, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
    helper = HostProcess(home, env=env)
    fields = {"account": ACCOUNT, "operation": "image"}
    if request_language:
        fields["language"] = request_language
    reply = helper.request("preflight", **fields)
    assert helper.close() == 0
    assert reply["error"]["code"] == "storage"
    assert expected in reply["error"]["message"] and str(home) in reply["error"]["message"]


def test_a_read_only_ledger_is_read_and_a_write_says_what_to_do(tmp_path: Path) -> None:
    """A ledger file that cannot be written (copied from read-only media, say) still
    answers reads; a write is `storage` naming the folder and what to do, with its id."""
    home = tmp_path / "home"
    first = HostProcess(home)
    assert send_usages(first, [str(uuid.uuid4())], pipelined=False)[0]["ok"]
    assert first.close() == 0
    (home / "ledger.sqlite3").chmod(0o444)
    helper = HostProcess(home, command=[*bound_by_permissions(), *HELPER])
    status = helper.request("status", account=ACCOUNT)
    (refused,) = send_usages(helper, [str(uuid.uuid4())], pipelined=False)
    assert helper.close() == 0
    assert status["ok"] and [tally["account"] for tally in status["accounts"]] == [ACCOUNT]
    assert refused["id"] == "r0" and refused["error"]["code"] == "storage", refused
    assert refused["error"]["params"]["folder"] == str(home)
    assert "CREDIT_GUARD_HOME" in refused["error"]["message"]
    assert len(stored_ids(home)) == 1
