"""The shared-folder transport (native_host/sync/folder.py) on real files and real SQLite
ledgers: devices converge through one folder, late ones catch up, the copies sync tools
make merge harmlessly, broken and foreign files are skipped, the folder holds no
plaintext, and an unusable folder is a recorded TransportError("folder")."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from native_host.ledger.events import NewEvent
from native_host.ledger.store import Ledger
from native_host.sync.exceptions import MessageError, TransportError
from native_host.sync.folder import (
    FolderFile,
    FolderSync,
    encode_file,
    exchange_folder,
    group_folder_name,
    own_file_name,
    parse_file,
    stay_in_folder,
)
from native_host.sync.seal import derive_keys
from native_host.sync.transfer import Exchanged, SealedEvent
from tests.hostproc import bound_by_permissions
from tests.test_sync_ledger import (
    NOW,
    RECORD,
    new_id,
    open_as,
    recorded,
    stored,
    usage,
)

KEYS = derive_keys(bytes(range(32)))
OTHER = derive_keys(bytes(32))
GROUP = group_folder_name(KEYS.group_id)
CONFLICT_COPIES = [
    "dev-b.sync-conflict-20261203-010203-ABCDEFG.cgsync",  # Syncthing
    "dev-b (conflicted copy 2026-12-03).cgsync",  # Dropbox
    "dev-b (1).cgsync",  # OneDrive
    "dev-b-DESKTOP.cgsync",  # OneDrive, another machine's copy
    "dev-b 2.cgsync",  # iCloud Drive
]
ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def devices(folder: Path, *names: str) -> Iterator[list[Ledger]]:
    ledgers = [open_as(folder / f"{name}.sqlite3", name) for name in names]
    try:
        yield ledgers
    finally:
        for ledger in ledgers:
            ledger.close()


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "Dropbox"
    folder.mkdir()
    return folder


def held(ledger: Ledger) -> tuple[dict[str, int], set[tuple[Any, ...]]]:
    """What a ledger holds: its vector and its events with their positions."""
    events, positions = stored(ledger)
    return ledger.vector(), events | positions


def test_two_devices_converge_through_one_folder(tmp_path: Path, shared: Path) -> None:
    with devices(tmp_path, "dev-a", "dev-b") as (a, b):
        a.append([usage(new_id(), 30, 5), usage(new_id(), 20, 7), usage(new_id(), 10)])
        b.append([usage(new_id(), 25, 3), usage(new_id(), 15)])
        assert exchange_folder(a, KEYS, shared) == Exchanged(sent=3, received=0)
        assert exchange_folder(b, KEYS, shared) == Exchanged(sent=2, received=3)
        assert exchange_folder(a, KEYS, shared) == Exchanged(sent=0, received=2)
        assert held(a) == held(b)
        assert a.vector() == {"dev-a": 3, "dev-b": 2}
        assert sorted(p.name for p in (shared / GROUP).iterdir()) == [
            "dev-a.cgsync",
            "dev-b.cgsync",
        ]
        peer = a.peer("folder")
        assert peer is not None and peer.last_error is None and peer.last_sync_at is not None
        assert peer.vector == {"dev-a": 3, "dev-b": 2}
        assert exchange_folder(b, KEYS, shared) == Exchanged()  # nothing left to do


def test_devices_sharing_a_folder_show_each_others_names(tmp_path: Path, shared: Path) -> None:
    with devices(tmp_path, "dev-a", "dev-b") as (a, b):
        a.name_device(a.device_id, "Desk")
        b.name_device(b.device_id, "Laptop")
        for device in (a, b, a):
            exchange_folder(device, KEYS, shared)
        assert a.device_names() == b.device_names() == {"dev-a": "Desk", "dev-b": "Laptop"}
        a.name_device(a.device_id, "Old desk")
        exchange_folder(a, KEYS, shared)
        assert exchange_folder(b, KEYS, shared).received == 1
        assert b.device_names()["dev-a"] == "Old desk"


def test_a_device_that_joins_late_catches_up(tmp_path: Path, shared: Path) -> None:
    with devices(tmp_path, "dev-a", "dev-b", "dev-c") as (a, b, c):
        for round_ in range(3):
            a.append([usage(new_id(), 100 - round_)])
            b.append([usage(new_id(), 90 - round_), usage(new_id(), 80 - round_)])
            exchange_folder(a, KEYS, shared)
            exchange_folder(b, KEYS, shared)
        c.append([usage(new_id(), 5)])
        assert exchange_folder(c, KEYS, shared) == Exchanged(sent=1, received=9)
        for device in (a, b):
            exchange_folder(device, KEYS, shared)
        assert held(a) == held(b) == held(c)
        assert c.vector() == {"dev-a": 3, "dev-b": 6, "dev-c": 1}


def test_an_unchanged_file_is_not_written_again_and_new_events_only_append(
    tmp_path: Path, shared: Path
) -> None:
    """Sync tools upload every write, and the ones that send changed blocks only send
    little when the file's earlier bytes stay as they were."""
    own = shared / GROUP / "dev-a.cgsync"
    with devices(tmp_path, "dev-a") as (a,):
        a.append([usage(new_id(), 30), usage(new_id(), 20)])
        exchange_folder(a, KEYS, shared)
        before, stamp = own.read_bytes(), own.stat()
        assert exchange_folder(a, KEYS, shared) == Exchanged()  # a new process, as it were
        assert (own.stat().st_ino, own.stat().st_mtime_ns) == (stamp.st_ino, stamp.st_mtime_ns)
        a.append([usage(new_id(), 10)])
        assert exchange_folder(a, KEYS, shared).sent == 1
        after = own.read_bytes()
        header = len(encode_file(KEYS.group_id, "dev-a", []))
        assert after[header:].startswith(before[header:])
        assert len(parse_file(after, KEYS.group_id).items) == 3


def test_two_helpers_of_one_device_agree_on_its_file_and_stop_writing_it(
    tmp_path: Path, shared: Path
) -> None:
    """Two browsers, two helpers, one ledger: each takes the other's sealed bytes for the
    events they both hold, so they do not rewrite the file in turn for ever."""
    own = shared / GROUP / "dev-a.cgsync"
    with devices(tmp_path, "dev-a") as (a,):
        other = Ledger(a.path)
        first, second = FolderSync(a, KEYS, shared), FolderSync(other, KEYS, shared)
        a.append([usage(new_id(), 20)])
        assert first.round().sent == 1
        other.append([usage(new_id(), 10)])
        assert second.round().sent == 1
        written = own.read_bytes(), own.stat().st_mtime_ns
        for sync in (first, second, first):
            assert sync.round() == Exchanged()
            assert (own.read_bytes(), own.stat().st_mtime_ns) == written
        other.close()


@pytest.mark.parametrize("name", CONFLICT_COPIES)
def test_a_conflict_copy_merges_harmlessly(
    tmp_path: Path, shared: Path, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A sync tool's copy of an older version of a device's file adds nothing; a copy
    made by a clone (another ledger numbering as the same device) that claims a position
    with another event is reported by the ledger, and the device's own event stays."""
    with devices(tmp_path, "dev-a", "dev-b") as (a, b):
        b.append([usage(new_id(), 30)])
        exchange_folder(b, KEYS, shared)
        shutil.copy(shared / GROUP / "dev-b.cgsync", shared / GROUP / name)  # older version
        b.append([usage(new_id(), 20)])
        exchange_folder(b, KEYS, shared)
        assert exchange_folder(a, KEYS, shared) == Exchanged(sent=0, received=2)
        assert held(a) == held(b)

    clone_folder = tmp_path / "clone"
    clone_folder.mkdir()
    with devices(clone_folder, "dev-b") as (clone,):  # the same device id, other events
        clone.append([usage(new_id(), 15)])
        exchange_folder(clone, KEYS, clone_folder)
    with devices(tmp_path, "dev-c") as (c,):
        shutil.copy(clone_folder / GROUP / "dev-b.cgsync", shared / GROUP / name)
        (shared / GROUP / "dev-a.cgsync").unlink()  # only b's files are read below
        with caplog.at_level(logging.WARNING, logger="native_host.sync"):
            assert exchange_folder(c, KEYS, shared).received == 2
        assert "two different events (the first is kept): dev-b #1" in caplog.text
        with devices(tmp_path, "dev-b") as (b,):
            assert stored(c) == stored(b)  # b's own event holds dev-b #1 everywhere


def test_broken_and_foreign_files_are_skipped_and_the_good_ones_read(
    tmp_path: Path, shared: Path, caplog: pytest.LogCaptureFixture
) -> None:
    group = shared / GROUP
    with devices(tmp_path, "dev-a", "dev-b") as (a, b):
        b.append([usage(new_id(), 30), usage(new_id(), 20)])
        exchange_folder(b, KEYS, shared)
        good = (group / "dev-b.cgsync").read_bytes()
        other_group = tmp_path / "other"
        other_group.mkdir()
        exchange_folder(b, OTHER, other_group)  # b's events sealed for another group
        foreign = (other_group / group_folder_name(OTHER.group_id) / "dev-b.cgsync").read_bytes()
        version = len(b"CGSYNC")
        broken = {
            "truncated.cgsync": good[: len(good) - 7],
            "cut-in-the-header.cgsync": good[:10],
            "empty.cgsync": b"",
            "garbage.cgsync": os.urandom(500),
            "trailing.cgsync": good + b"\0",
            "newer.cgsync": good[:version] + b"\x02" + good[version + 1 :],
            "foreign-group.cgsync": foreign,
        }
        for name, data in broken.items():
            (group / name).write_bytes(data)
        (group / "notes.txt").write_text("a stray file")
        (group / ".syncthing.dev-c.cgsync.tmp").write_bytes(good)
        (group / "folder.cgsync").mkdir()
        tampered = bytearray(good)
        tampered[-1] ^= 1  # the last payload no longer opens
        (group / "dev-z.cgsync").write_bytes(bytes(tampered))
        with caplog.at_level(logging.WARNING, logger="native_host.sync"):
            assert exchange_folder(a, KEYS, shared) == Exchanged(sent=0, received=2, refused=1)
        assert a.vector() == {"dev-b": 2}
        skipped = [r.getMessage() for r in caplog.records if r.getMessage().startswith("skipped")]
        assert sorted(message.split(":")[0] for message in skipped) == sorted(
            f"skipped {name}" for name in broken
        )
        text = "\n".join(skipped)
        assert "truncated" in text and "newer than this version" in text
        assert "another group" in text and "after the last item" in text
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="native_host.sync"):
            exchange_folder(a, KEYS, shared)  # a new process reads (and skips) them again
        assert len([r for r in caplog.records if "skipped" in r.getMessage()]) == len(broken)


def test_the_folder_holds_no_plaintext_account_or_operation(tmp_path: Path, shared: Path) -> None:
    account = "alice.wonderland@example.com"
    event_ids = [new_id(), new_id()]
    with devices(tmp_path, "dev-a", "dev-b") as (a, b):
        a.append(
            [
                NewEvent(
                    event_ids[0], account, "usage", NOW, {"operation": "image", "credits": 80}
                ),
                NewEvent(event_ids[1], account, "balance", NOW, {"balance": 4321.5}),
            ]
        )
        a.append([NewEvent(new_id(), "", "config", NOW, {"plan": "plus"})])
        exchange_folder(a, KEYS, shared)
        exchange_folder(b, KEYS, shared)
        exchange_folder(a, KEYS, shared)
        assert b.vector() == {"dev-a": 3}
    files = [path for path in shared.rglob("*") if path.is_file()]
    assert len(files) == 2
    everything = b"".join(path.read_bytes() for path in files)
    for secret in [
        account,
        "alice",
        "example.com",
        *event_ids,
        "image",
        "credits",
        "usage",
        "balance",
        "4321",
        "config",
        "plus",
        "2026-",
    ]:
        assert secret.encode() not in everything, secret
        assert secret.encode("utf-16-le") not in everything, secret
    assert b"dev-a" in everything  # device ids and numbers are in the clear, by design


def test_a_departed_devices_events_stay_in_the_folder_for_a_newcomer(
    tmp_path: Path, shared: Path
) -> None:
    """A device that left and whose file was deleted: the devices that hold its events
    carry them in their own files, until its file comes back."""
    group = shared / GROUP
    with devices(tmp_path, "dev-a", "dev-b", "dev-c") as (a, b, c):
        a.append([usage(new_id(), 40)])
        b.append([usage(new_id(), 30), usage(new_id(), 20)])
        for device in (a, b, a):
            exchange_folder(device, KEYS, shared)
        kept = (group / "dev-b.cgsync").read_bytes()
        (group / "dev-b.cgsync").unlink()
        assert exchange_folder(a, KEYS, shared) == Exchanged(sent=2)
        assert exchange_folder(c, KEYS, shared).received == 3
        assert held(c) == held(a)
        (group / "dev-b.cgsync").write_bytes(kept)  # b is back
        exchange_folder(a, KEYS, shared)
        assert {
            item.device
            for item in parse_file((group / "dev-a.cgsync").read_bytes(), KEYS.group_id).items
        } == {"dev-a"}


def test_a_missing_folder_is_a_recorded_transport_error_and_changes_no_event(
    tmp_path: Path, shared: Path
) -> None:
    with devices(tmp_path, "dev-a", "dev-b") as (a, b):
        b.append([usage(new_id(), 30)])
        exchange_folder(b, KEYS, shared)
        a.append([usage(new_id(), 20)])
        exchange_folder(a, KEYS, shared)
        before = held(a)
        (tmp_path / "a-file").write_text("")
        for folder in [tmp_path / "unplugged", tmp_path / "a-file"]:
            with pytest.raises(TransportError) as caught:
                exchange_folder(a, KEYS, folder)
            assert caught.value.reason == "folder" and str(folder) in caught.value.detail
            peer = a.peer("folder")
            assert peer is not None and peer.last_error == "folder"
            assert peer.last_sync_at is not None  # the last success is kept
            assert held(a) == before
        shutil.rmtree(shared / GROUP)
        (shared / GROUP).write_text("")  # a file where the group's folder goes
        with pytest.raises(TransportError, match="cannot list"):
            exchange_folder(a, KEYS, shared)
        assert held(a) == before


READ_ONLY_EXCHANGE = """
import sys
from pathlib import Path
from native_host.ledger.store import Ledger
from native_host.sync.exceptions import TransportError
from native_host.sync.folder import exchange_folder
from native_host.sync.seal import derive_keys
ledger = Ledger(Path(sys.argv[1]))
try:
    exchange_folder(ledger, derive_keys(bytes(range(32))), Path(sys.argv[2]))
except TransportError as error:
    print(error.reason)
"""


def exchange_as_a_user(ledger: Path, shared: Path, locked: Path, mode: int) -> str:
    """One exchange in a process of its own, under which (even as root) permissions bind
    as for a user, while `locked` has `mode`: what TransportError it raised, if any."""
    locked.chmod(mode)
    try:
        done = subprocess.run(
            [
                *bound_by_permissions(),
                *(sys.executable, "-c", READ_ONLY_EXCHANGE),
                *(str(ledger), str(shared)),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
    finally:
        locked.chmod(0o755)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("read_only", ["the user's folder", "the group's folder"])
def test_a_read_only_folder_is_a_recorded_transport_error_and_takes_nothing_in(
    tmp_path: Path, shared: Path, read_only: str
) -> None:
    with devices(tmp_path, "dev-a", "dev-b") as (a, b):
        b.append([usage(new_id(), 30)])
        a.append([usage(new_id(), 20)])
        if read_only == "the group's folder":
            exchange_folder(b, KEYS, shared)
            locked = shared / GROUP
        else:
            locked = shared
        before = held(a)
    assert exchange_as_a_user(tmp_path / "dev-a.sqlite3", shared, locked, 0o555) == "folder"
    with devices(tmp_path, "dev-a") as (a,):
        assert held(a) == before  # b's event was not taken in
        peer = a.peer("folder")
        assert peer is not None and peer.last_error == "folder"


def test_a_folder_the_system_will_not_let_us_see_is_a_transport_error(tmp_path: Path) -> None:
    """Behind a parent folder we may not search (macOS privacy settings on ~/Documents do
    this to the helper a browser starts), `is_dir` raises instead of answering."""
    parent = tmp_path / "Private"
    (parent / "Dropbox").mkdir(parents=True)
    with devices(tmp_path, "dev-a") as (a,):
        a.append([usage(new_id(), 20)])
    shared = parent / "Dropbox"
    assert exchange_as_a_user(tmp_path / "dev-a.sqlite3", shared, parent, 0o000) == "folder"


UNREADABLE_THEN_READABLE = """
import sys
from pathlib import Path
from native_host.ledger.store import Ledger
from native_host.sync.folder import FolderSync
from native_host.sync.seal import derive_keys
sync = FolderSync(Ledger(Path(sys.argv[1])), derive_keys(bytes(range(32))), Path(sys.argv[2]))
first = sync.round()
Path(sys.argv[3]).chmod(0o644)  # the sync tool has it now (the stamp does not change)
print(first.received, sync.round().received)
"""


def test_a_file_that_cannot_be_read_now_is_read_next_round_though_unchanged(
    tmp_path: Path, shared: Path
) -> None:
    with devices(tmp_path, "dev-a", "dev-b") as (_a, b):
        b.append([usage(new_id(), 30)])
        exchange_folder(b, KEYS, shared)
    locked = shared / GROUP / "dev-b.cgsync"
    locked.chmod(0o000)
    done = subprocess.run(
        [
            *bound_by_permissions(),
            *(sys.executable, "-c", UNREADABLE_THEN_READABLE),
            *(str(tmp_path / "dev-a.sqlite3"), str(shared), str(locked)),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "1"]
    assert "skipped dev-b.cgsync for now" in done.stderr


def test_stay_in_folder_follows_new_events_and_survives_the_folder_going_away(
    tmp_path: Path, shared: Path
) -> None:
    async def scenario(a: Ledger, b: Ledger, writer: Ledger) -> list[Exchanged]:
        stop = asyncio.Event()
        changes: list[Exchanged] = []
        loops = [
            asyncio.create_task(stay_in_folder(a, KEYS, shared, stop=stop, poll=0.02)),
            asyncio.create_task(
                stay_in_folder(b, KEYS, shared, stop=stop, on_change=changes.append, poll=0.02)
            ),
        ]

        async def until(condition: Any) -> None:
            for _ in range(500):
                if condition():
                    return
                await asyncio.sleep(0.01)
            raise AssertionError("not within 5 s")

        writer.append([usage(new_id(), 10)])  # the helper, on its own connection
        await until(lambda: b.vector().get("dev-a") == 1)
        (shared / GROUP / "dev-a.cgsync").rename(tmp_path / "aside")
        shared.rename(tmp_path / "unplugged")  # the drive goes away
        await until(lambda: (p := b.peer("folder")) is not None and p.last_error == "folder")
        (tmp_path / "unplugged").rename(shared)
        writer.append([usage(new_id(), 5)])
        await until(lambda: b.vector().get("dev-a") == 2)
        peer = b.peer("folder")
        assert peer is not None and peer.last_error is None
        await asyncio.sleep(0.3)  # about 15 rounds with nothing new: no ledger write
        assert b.peer("folder") == peer
        stop.set()
        await asyncio.gather(*loops)
        return changes

    with devices(tmp_path, "dev-a", "dev-b") as (a, b):
        writer = Ledger(a.path)
        changes = asyncio.run(scenario(a, b, writer))
        writer.close()
        assert [change.received for change in changes if change.received] == [1, 1]


# ---------------------------------------------------------------- the file format


def test_the_file_format_reads_back_what_it_wrote() -> None:
    items = [SealedEvent("dev-a", 1, b"\x01" * 40), SealedEvent("dev-b", 2**63 - 1, b"x" * 28)]
    data = encode_file(KEYS.group_id, "dev-a", items)
    assert data.startswith(b"CGSYNC\x01" + KEYS.group_id + b"\x05dev-a")
    assert parse_file(data, KEYS.group_id) == FolderFile("dev-a", tuple(items))
    assert parse_file(encode_file(KEYS.group_id, "d", []), KEYS.group_id) == FolderFile("d", ())
    for end in range(len(data)):  # every cut is refused, never misread
        with pytest.raises(MessageError):
            parse_file(data[:end], KEYS.group_id)
    with pytest.raises(MessageError, match="another group"):
        parse_file(data, OTHER.group_id)
    assert own_file_name("dev-a") == "dev-a.cgsync"


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=300), start=st.booleans())
def test_any_bytes_are_refused_with_a_reason_or_read_as_they_were_written(
    data: bytes, start: bool
) -> None:
    if start:  # past the header, so the fields are what is fuzzed
        data = b"CGSYNC\x01" + KEYS.group_id + data
    try:
        file = parse_file(data, KEYS.group_id)
    except MessageError:
        return
    assert encode_file(KEYS.group_id, file.writer, file.items) == data  # one spelling only


# ---------------------------------------------------------------- convergence

STEP = st.one_of(
    st.tuples(st.just("record"), st.integers(0, 2), st.lists(RECORD, min_size=1, max_size=3)),
    st.tuples(st.just("exchange"), st.integers(0, 2), st.booleans()),
    st.tuples(st.just("conflict copy"), st.integers(0, 2), st.sampled_from(CONFLICT_COPIES)),
    st.tuples(st.just("delete its file"), st.integers(0, 2)),
)


@settings(max_examples=80, deadline=None)
@given(count=st.integers(2, 3), steps=st.lists(STEP, min_size=1, max_size=16))
def test_devices_sharing_a_folder_in_any_interleaving_converge(
    count: int, steps: list[tuple[Any, ...]]
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        base = Path(temporary)
        folder = base / "shared"
        folder.mkdir()
        with devices(base, *(f"dev-{n}" for n in range(count))) as each:
            staying = [FolderSync(device, KEYS, folder) for device in each]  # as stay_in_folder
            serial = 0
            for step in steps:
                device = each[step[1] % count]
                own = folder / GROUP / own_file_name(device.device_id)
                if step[0] == "record":
                    events = [recorded(spec, serial + n) for n, spec in enumerate(step[2])]
                    serial += len(events)
                    device.append(events)
                elif step[0] == "exchange" and step[2]:
                    staying[step[1] % count].round()
                elif step[0] == "exchange":
                    exchange_folder(device, KEYS, folder)  # `sync now`: a process of its own
                elif step[0] == "delete its file":  # a device that left, tidied away
                    own.unlink(missing_ok=True)
                elif own.exists():  # a sync tool keeps an old version of the file beside it
                    shutil.copy(own, own.with_name(device.device_id + step[2][len("dev-b") :]))
            for _round in range(2):
                for sync in staying:
                    sync.round()
            reference = held(each[0])
            for device in each:
                assert held(device) == reference
                assert device.events_after(device.vector()) == []
            recorders = {f"dev-{step[1] % count}" for step in steps if step[0] == "record"}
            assert set(reference[0]) <= recorders
