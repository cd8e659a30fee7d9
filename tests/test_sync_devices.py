"""Several devices for real: each a helper process (as a browser starts it) with its own
data folder and its own keyring, synced in the background through a hub process or a
shared folder. What one device records reaches the others as a `tally.changed` push,
with no request, and every device ends with the same tally.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devkit.folder_keyring import environment
from devkit.hub_process import hub_process
from tests.hostproc import HostProcess

ACCOUNT = "me@example.com"
PUSH_SECONDS = 20.0  # generous: a loaded CI machine; typically well under a second


@contextmanager
def devices(tmp_path: Path, *names: str) -> Iterator[dict[str, HostProcess]]:
    """A helper per device name, each with its own CREDIT_GUARD_HOME and keyring folder."""
    with ExitStack() as stack:
        helpers = {}
        for name in names:
            helper = HostProcess(
                tmp_path / name, env={**environment(tmp_path / f"keys-{name}"), "LANG": "C"}
            )
            stack.callback(helper.close)
            helpers[name] = helper
        yield helpers


def use(helper: HostProcess, operation: str, credits: float) -> None:
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    reply = helper.request(
        "usage",
        event_id=str(uuid.uuid4()),
        account=ACCOUNT,
        operation=operation,
        at=at,
        credits=credits,
    )
    assert reply["ok"], reply


def tally(helper: HostProcess) -> dict[str, Any]:
    reply = helper.request("status", account=ACCOUNT)
    assert reply["ok"], reply
    account: dict[str, Any] = reply["accounts"][0]
    return account


def pushed(helper: HostProcess, total: float) -> dict[str, Any]:
    """Wait, sending nothing, for the helper's push of a tally whose total is `total`."""
    deadline = time.monotonic() + PUSH_SECONDS
    while (left := deadline - time.monotonic()) > 0:
        message = helper.read(timeout=left)
        if (
            message.get("type") == "tally.changed"
            and message["account"] == ACCOUNT
            and message["tally"]["used"]["total"] == total
        ):
            return message
    raise AssertionError(f"no tally.changed with a total of {total}")


def pair(first: HostProcess, others: list[HostProcess], **where: str) -> None:
    """`first` creates the group, the others join with its code (and the same folder)."""
    reply = first.request("sync.pair", **where)
    assert reply["ok"], reply
    folder = {"folder": where["folder"]} if "folder" in where else {}
    for other in others:
        joined = other.request("sync.join", code=reply["code"], **folder)
        assert joined["ok"], joined


def same_tallies(*helpers: HostProcess) -> dict[str, Any]:
    used = [tally(helper)["used"] for helper in helpers]
    assert all(one == used[0] for one in used), used
    return used[0]


def test_helpers_synced_through_a_hub_push_each_others_usage_and_agree(tmp_path: Path) -> None:
    with (
        hub_process(tmp_path / "hub.sqlite3") as (_, url),
        devices(tmp_path, "desktop", "laptop", "tablet") as helpers,
    ):
        desktop, laptop, tablet = helpers.values()
        pair(desktop, [laptop, tablet], hub_url=url)
        for helper in helpers.values():
            assert tally(helper)["used"]["total"] == 0  # the account is now shown

        use(desktop, "image", 5)
        for helper in (laptop, tablet):
            assert pushed(helper, 5)["tally"]["used"]["by_operation"] == {"image": 5}
        use(tablet, "video", 50)
        for helper in (desktop, laptop):
            pushed(helper, 55)
        used = same_tallies(desktop, laptop, tablet)
        assert used["by_operation"] == {"image": 5, "video": 50}

        recorders = {desktop.request("sync.status")["sync"]["this_device"]["id"]}
        recorders.add(tablet.request("sync.status")["sync"]["this_device"]["id"])
        for helper in helpers.values():
            assert tally(helper)["sync"] == "ok"
            sync = helper.request("sync.status")["sync"]
            heard = {device["id"] for device in sync["devices"]}
            assert sync["state"] == "ok" and heard == recorders - {sync["this_device"]["id"]}

        assert laptop.request("sync.leave")["ok"]
        use(desktop, "image", 5)
        pushed(tablet, 60)
        assert laptop.pushes(1.5) == []  # it left: nothing more reaches it
        assert tally(laptop)["used"]["total"] == 55
        assert tally(laptop)["sync"] == "off"


def test_a_hub_restart_is_an_error_while_down_and_nothing_is_lost(tmp_path: Path) -> None:
    db = tmp_path / "hub.sqlite3"
    with devices(tmp_path, "desktop", "laptop") as helpers:
        desktop, laptop = helpers.values()
        with hub_process(db) as (_, url):
            pair(desktop, [laptop], hub_url=url)
            tally(laptop)
            use(desktop, "image", 5)
            pushed(laptop, 5)
        port = int(url.rsplit(":", 1)[1])

        use(desktop, "video", 50)  # while the hub is down
        deadline = time.monotonic() + PUSH_SECONDS
        while tally(desktop)["sync"] != "error":
            assert time.monotonic() < deadline, "the hub's absence never showed"
            time.sleep(0.2)
        with hub_process(db, port):
            pushed(laptop, 55)
            assert same_tallies(desktop, laptop)["total"] == 55


def test_helpers_synced_through_a_shared_folder(tmp_path: Path) -> None:
    shared = tmp_path / "Dropbox"
    shared.mkdir()
    with devices(tmp_path, "desktop", "laptop") as helpers:
        desktop, laptop = helpers.values()
        pair(desktop, [laptop], folder=str(shared))
        tally(desktop)
        tally(laptop)
        use(laptop, "analysis", 30)
        pushed(desktop, 30)
        use(desktop, "image", 5)
        pushed(laptop, 35)
        same_tallies(desktop, laptop)
        assert [path.suffix for path in shared.rglob("*") if path.is_file()] == [".cgsync"] * 2


def loaded_libraries(helper: HostProcess) -> str:
    return Path(f"/proc/{helper.proc.pid}/maps").read_text()


def test_nothing_of_sync_is_loaded_until_the_device_joins_a_group(tmp_path: Path) -> None:
    """The sealing library (cryptography's compiled core) shows in the process's memory
    map once imported: not while sync is off, even after idle rounds; once paired, yes."""
    with devices(tmp_path, "desktop") as helpers:
        desktop = helpers["desktop"]
        use(desktop, "image", 5)
        time.sleep(2.5)  # idle rounds of the helper's loop
        assert tally(desktop)["sync"] == "off"
        assert "cryptography" not in loaded_libraries(desktop)
        pair(desktop, [], folder=str(tmp_path))
        assert "cryptography" in loaded_libraries(desktop)
