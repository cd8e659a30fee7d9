"""The sync.* kinds over a real ledger file, with an in-memory keyring: pair, join, leave,
name, sync now (through the loopback stand-in transport), and the status they answer."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from keyring.errors import PasswordSetError

from devkit.folder_keyring import environment
from native_host import keystore, sync_settings
from native_host.ledger.events import NewEvent
from native_host.ledger.store import Ledger, Peer
from native_host.local import LocalClient, RequestFailed, local_client
from native_host.membership import Heard, status_of
from native_host.sync.pairing import decode, encode
from native_host.sync_settings import SyncSettings
from tests.fakes import MemoryKeyring
from tests.hostproc import HostProcess
from tests.sync_loopback import Loopback, install

HUB = "wss://hub.example.org:8765"


@pytest.fixture
def client(home: Path, memory_keyring: MemoryKeyring) -> Iterator[LocalClient]:
    with local_client() as client:
        yield client


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "Dropbox" / "credit-guard"
    folder.mkdir(parents=True)
    return folder


def ask(client: LocalClient, kind: str, **fields: Any) -> dict[str, Any]:
    return client.call(kind, **fields)


def refused(client: LocalClient, kind: str, **fields: Any) -> dict[str, Any]:
    with pytest.raises(RequestFailed) as caught:
        client.call(kind, **fields)
    return caught.value.error


def data_folder(tmp_path: Path) -> Path:
    return tmp_path / "data"


def stored_secret(memory_keyring: MemoryKeyring) -> str | None:
    return memory_keyring.store.get((keystore.SERVICE, keystore.USERNAME))


def mistyped(code: str) -> str:
    """The code with one symbol changed (one the alphabet has, so only the check fails)."""
    index = code.index("-") + 2
    changed = "7" if code[index] != "7" else "8"
    return code[:index] + changed + code[index + 1 :]


def assert_in_no_group(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    assert stored_secret(memory_keyring) is None
    assert not (data_folder(tmp_path) / "sync.json").exists()


# -- status --------------------------------------------------------------------------------


def test_status_is_off_outside_a_group_and_names_this_device(client: LocalClient) -> None:
    sync = ask(client, "sync.status")["sync"]
    assert sync == {
        "state": "off",
        "transport": None,
        "hub_url": None,
        "folder": None,
        "group": None,
        "this_device": {"id": client.ctx.device_id, "name": client.ctx.device_name},
        "devices": [],
        "last_sync_at": None,
        "last_error": None,
    }


def test_status_lists_the_devices_heard_of_with_their_newest_event() -> None:
    early, late = datetime(2026, 12, 3, 1, 2, 3, 456000, UTC), datetime(2026, 12, 3, 2, tzinfo=UTC)
    heard = Heard(
        "me", {"me": "Desktop", "laptop": "Laptop"}, {"me": late, "laptop": early, "phone": late}
    )
    sync = status_of(None, heard, None, late, "en")
    assert sync["this_device"] == {"id": "me", "name": "Desktop"}
    assert sync["devices"] == [
        {"id": "phone", "name": None, "last_event_at": "2026-12-03T02:00:00.000Z"},
        {"id": "laptop", "name": "Laptop", "last_event_at": "2026-12-03T01:02:03.456Z"},
    ]


@pytest.mark.parametrize(
    ("synced_ago", "error", "state"),
    [
        (timedelta(minutes=14), None, "ok"),
        (timedelta(minutes=16), None, "stale"),
        (None, None, "stale"),  # paired, never synced yet
        (timedelta(minutes=1), "unreachable", "error"),
    ],
)
def test_the_state_follows_the_last_exchange(
    synced_ago: timedelta | None, error: str | None, state: str
) -> None:
    now = datetime(2026, 12, 3, 12, tzinfo=UTC)
    settings = SyncSettings("hub", HUB, None, "8ea0bcf7dc0db15e8cd4ebd2f6fc8081")
    peer = Peer("hub", {}, None if synced_ago is None else now - synced_ago, error)
    sync = status_of(settings, Heard("me", {}, {}), peer, now, "ja")
    assert (sync["state"], sync["group"], sync["hub_url"]) == (state, "8ea0bcf7", HUB)
    if error:
        assert sync["last_error"]["reason"] == "unreachable"
        assert "ハブに接続できません" in sync["last_error"]["message"]


# -- pair ------------------------------------------------------------------------------------


def test_pair_through_a_folder_keeps_the_secret_in_the_keyring_only(
    client: LocalClient, memory_keyring: MemoryKeyring, shared: Path, tmp_path: Path
) -> None:
    reply = ask(client, "sync.pair", folder=str(shared))
    secret = stored_secret(memory_keyring)
    assert secret is not None and len(secret) == 64 and secret == secret.lower()
    pairing = decode(reply["code"])
    assert pairing.secret.hex() == secret and pairing.hub_url is None
    assert reply["qr_svg"].startswith("<svg") and "</svg>" in reply["qr_svg"]
    settings = json.loads((data_folder(tmp_path) / "sync.json").read_text())
    assert settings == {
        "transport": "folder",
        "hub_url": None,
        "folder": str(shared),
        "group": settings["group"],
    }
    assert len(settings["group"]) == 32
    sync = reply["sync"]
    assert (sync["state"], sync["transport"], sync["folder"]) == ("stale", "folder", str(shared))
    assert sync["group"] == settings["group"][:8]
    assert [p.name for p in data_folder(tmp_path).iterdir() if p.name.startswith(".")] == []


def test_pair_through_a_hub_then_the_same_code_again(
    client: LocalClient, memory_keyring: MemoryKeyring
) -> None:
    first = ask(client, "sync.pair", hub_url=HUB)
    assert decode(first["code"]).hub_url == HUB
    assert first["sync"]["transport"] == "hub" and first["sync"]["hub_url"] == HUB
    again = ask(client, "sync.pair")
    assert again["code"] == first["code"] and again["qr_svg"] == first["qr_svg"]
    error = refused(client, "sync.pair", hub_url="wss://other.example.org")
    assert error["code"] == "already_paired" and "leave" in error["message"]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({}, "", "hub"),
        ({"hub_url": "http://hub.example.org"}, "hub_url", "not a hub address"),
        ({"hub_url": "wss://a b"}, "hub_url", "not a hub address"),
        ({"hub_url": "wss://" + "h" * 300}, "hub_url", "not a hub address"),
        ({"folder": "/no/such/folder"}, "folder", "not a folder on this device"),
        ({"folder": "relative/path"}, "folder", "not a folder on this device"),
    ],
)
def test_pair_refuses_what_cannot_make_a_group_and_stores_nothing(
    client: LocalClient,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    fields: dict[str, str],
    field: str,
    words: str,
) -> None:
    error = refused(client, "sync.pair", **fields)
    assert error["code"] == "invalid" and words in error["message"]
    assert error["params"]["problems"][0]["field"] == field
    assert_in_no_group(tmp_path, memory_keyring)


def test_pair_with_both_transports_is_invalid(client: LocalClient, shared: Path) -> None:
    error = refused(client, "sync.pair", hub_url=HUB, folder=str(shared))
    assert error["code"] == "invalid" and "not both" in error["message"]


# -- join -----------------------------------------------------------------------------------


def a_code(hub_url: str | None = HUB, secret: bytes = bytes(range(32))) -> str:
    from native_host.sync.pairing import Pairing

    return encode(Pairing(secret, hub_url))


def test_join_a_hub_group(client: LocalClient, memory_keyring: MemoryKeyring) -> None:
    sync = ask(client, "sync.join", code=a_code().lower().replace("-", " "))["sync"]
    assert (sync["transport"], sync["hub_url"], sync["group"]) == ("hub", HUB, "8ea0bcf7")
    assert stored_secret(memory_keyring) == bytes(range(32)).hex()


def test_a_mistyped_code_is_refused_and_nothing_is_half_joined(
    client: LocalClient, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    error = refused(client, "sync.join", code=mistyped(a_code()), language="ja")
    assert error["code"] == "pairing_code"
    assert error["params"] == {"reason": "checksum", "position": None}
    assert "1文字ずつ" in error["message"]
    assert_in_no_group(tmp_path, memory_keyring)
    error = refused(client, "sync.join", code="1000U-40R40")
    assert error["params"] == {"reason": "character", "position": 5}
    assert "Symbol 5" in error["message"] and "symbol by symbol" in error["message"]
    assert refused(client, "sync.join", code=" - ")["params"]["reason"] == "empty"
    assert_in_no_group(tmp_path, memory_keyring)


def test_a_folder_code_needs_a_folder_and_a_hub_code_none(
    client: LocalClient, memory_keyring: MemoryKeyring, shared: Path, tmp_path: Path
) -> None:
    error = refused(client, "sync.join", code=a_code(None))
    assert error["code"] == "invalid" and "path of that folder" in error["message"]
    error = refused(client, "sync.join", code=a_code(None), folder=str(shared / "missing"))
    assert "not a folder on this device" in error["message"]
    error = refused(client, "sync.join", code=a_code(HUB), folder=str(shared))
    assert "leave out the folder" in error["message"]
    assert_in_no_group(tmp_path, memory_keyring)
    sync = ask(client, "sync.join", code=a_code(None), folder=str(shared))["sync"]
    assert (sync["transport"], sync["folder"]) == ("folder", str(shared))


def test_join_leave_rejoin(
    client: LocalClient, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    ask(client, "sync.join", code=a_code())
    other = a_code(secret=bytes(32))
    error = refused(client, "sync.join", code=other)
    assert error["code"] == "already_paired" and "leave it first" in error["message"]
    assert stored_secret(memory_keyring) == bytes(range(32)).hex()  # still the first group
    client.ctx.open().record_sync("hub", {"x": 1}, datetime.now(UTC))
    sync = ask(client, "sync.leave")["sync"]
    assert sync["state"] == "off" and sync["last_sync_at"] is None
    assert_in_no_group(tmp_path, memory_keyring)
    assert client.ctx.open().peer("hub") is None  # the old group's hub is forgotten
    assert refused(client, "sync.leave")["code"] == "not_paired"
    sync = ask(client, "sync.join", code=other)["sync"]
    assert sync["state"] == "stale" and sync["group"] != "8ea0bcf7"
    assert stored_secret(memory_keyring) == bytes(32).hex()


def test_leave_cleans_a_secret_left_without_settings(
    client: LocalClient, memory_keyring: MemoryKeyring
) -> None:
    keystore.set_secret(bytes(32).hex())  # a join that died between its two writes
    assert ask(client, "sync.leave")["sync"]["state"] == "off"
    assert stored_secret(memory_keyring) is None


# -- the keyring ----------------------------------------------------------------------------


def test_no_usable_keyring_says_how_to_get_one(
    client: LocalClient, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    keyring.set_keyring(fail.Keyring())
    error = refused(client, "sync.pair", hub_url=HUB)
    assert error["code"] == "keyring"
    assert (
        "GNOME Keyring or KWallet" in error["message"]
        and "PYTHON_KEYRING_BACKEND" in (error["message"])
    )
    assert not (data_folder(tmp_path) / "sync.json").exists()
    error = refused(client, "sync.join", code=a_code(), language="ja")
    assert error["code"] == "keyring" and "キーリング" in error["message"]
    assert refused(client, "sync.leave")["code"] == "not_paired"


class LockedKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("the keychain is locked")


def test_a_failing_keyring_is_named_with_its_error(client: LocalClient, tmp_path: Path) -> None:
    keyring.set_keyring(LockedKeyring())
    error = refused(client, "sync.join", code=a_code())
    assert error["code"] == "keyring"
    assert "LockedKeyring" in error["message"] and "the keychain is locked" in error["message"]
    assert not (data_folder(tmp_path) / "sync.json").exists()


def test_leave_with_no_keyring_removes_the_settings_and_with_a_failing_one_nothing(
    client: LocalClient, tmp_path: Path
) -> None:
    ask(client, "sync.join", code=a_code())

    class Unreachable(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            raise PasswordSetError("the keychain daemon does not answer")

    keyring.set_keyring(Unreachable())
    assert refused(client, "sync.leave")["code"] == "keyring"
    assert (data_folder(tmp_path) / "sync.json").exists()
    keyring.set_keyring(fail.Keyring())
    assert ask(client, "sync.leave")["sync"]["state"] == "off"
    assert not (data_folder(tmp_path) / "sync.json").exists()


def test_settings_that_cannot_be_written_take_the_secret_back(
    client: LocalClient, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(settings: SyncSettings) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sync_settings, "save", full_disk)
    error = refused(client, "sync.join", code=a_code())
    assert error["code"] == "storage" and "No space left" in error["message"]
    assert stored_secret(memory_keyring) is None


def test_a_secret_gone_from_the_keyring_is_said(
    client: LocalClient, memory_keyring: MemoryKeyring
) -> None:
    ask(client, "sync.join", code=a_code())
    memory_keyring.store.clear()
    error = refused(client, "sync.now")
    assert error["code"] == "keyring" and "join again" in error["message"]
    keystore.set_secret(bytes(32).hex())  # another group's secret
    assert refused(client, "sync.pair")["code"] == "keyring"


def test_unreadable_settings_are_a_storage_error_that_leave_clears(
    client: LocalClient, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    ask(client, "sync.join", code=a_code())
    (data_folder(tmp_path) / "sync.json").write_text("{half")
    error = refused(client, "sync.status")
    assert error["code"] == "storage" and "credit-guard sync leave" in error["message"]
    assert ask(client, "sync.leave")["sync"]["state"] == "off"


# -- name -----------------------------------------------------------------------------------


def test_name_this_device(client: LocalClient) -> None:
    sync = ask(client, "sync.name", name="  Laptop  ")["sync"]
    assert sync["this_device"] == {"id": client.ctx.device_id, "name": "Laptop"}
    assert ask(client, "hello")["device_name"] == "Laptop"
    for name in ("   ", "x" * 41):
        error = refused(client, "sync.name", name=name, language="ja")
        assert error["code"] == "invalid" and "1〜40文字" in error["message"]
    assert refused(client, "sync.name", name="a\nb")["code"] == "invalid"


# -- now ------------------------------------------------------------------------------------


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Ledger]:
    """Another device's ledger, with one usage of 7 credits on it."""
    ledger = Ledger(tmp_path / "laptop.sqlite3", device_name="Laptop")
    usage = {"operation": "image", "credits": 7.0}
    ledger.append(
        [NewEvent(str(uuid.uuid4()), "me@example.com", "usage", datetime.now(UTC), usage)]
    )
    yield ledger
    ledger.close()


def test_sync_now_needs_a_group(client: LocalClient) -> None:
    assert refused(client, "sync.now")["code"] == "not_paired"


def test_sync_now_exchanges_and_the_status_shows_the_device_heard_of(
    client: LocalClient, laptop: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    loopback = install(monkeypatch, laptop)
    ask(client, "sync.join", code=a_code())
    usage = {"operation": "chat", "at": datetime.now(UTC).isoformat(), "credits": 2.0}
    ask(client, "usage", event_id=str(uuid.uuid4()), account="me@example.com", **usage)
    before = ask(client, "status")["accounts"][0]["used"]["total"]
    reply = ask(client, "sync.now")
    assert loopback.calls == 1
    assert reply["exchanged"] == {"sent": 1, "received": 1, "refused": 0}
    sync = reply["sync"]
    assert sync["state"] == "ok" and sync["last_sync_at"] is not None
    assert [device["id"] for device in sync["devices"]] == [laptop.device_id]
    assert sync["devices"][0]["last_event_at"].endswith("Z")
    assert ask(client, "status")["accounts"][0]["used"]["total"] == before + 7.0
    assert laptop.vector()[client.ctx.device_id] == 1  # what this device sent arrived
    again = ask(client, "sync.now")["exchanged"]
    assert again == {"sent": 0, "received": 0, "refused": 0}


def test_a_failed_sync_says_why_and_the_status_keeps_it(
    client: LocalClient, laptop: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    loopback = install(monkeypatch, laptop)
    ask(client, "sync.join", code=a_code())
    loopback.failing = "unreachable"
    error = refused(client, "sync.now", language="ja")
    assert error["code"] == "sync_failed" and error["params"] == {"reason": "unreachable"}
    assert "ハブに接続できません" in error["message"]
    sync = ask(client, "sync.status")["sync"]
    assert sync["state"] == "error" and sync["last_error"]["reason"] == "unreachable"
    assert "could not be reached" in sync["last_error"]["message"]
    loopback.failing = None
    assert ask(client, "sync.now")["sync"]["state"] == "ok"


def test_the_secret_is_in_no_file_of_the_data_folder(
    client: LocalClient,
    memory_keyring: MemoryKeyring,
    laptop: Ledger,
    shared: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    install(monkeypatch, laptop)
    code = ask(client, "sync.pair", folder=str(shared))["code"]
    ask(client, "sync.now")
    ask(client, "sync.name", name="Desktop")
    secret = bytes.fromhex(stored_secret(memory_keyring) or "")
    client.ctx.close()
    assert_nowhere(data_folder(tmp_path), secret, code)


def assert_nowhere(folder: Path, secret: bytes, code: str) -> None:
    """Neither the secret (raw, hex either case) nor its pairing code is in any file."""
    needles = [secret, secret.hex().encode(), secret.hex().upper().encode()]
    needles += [code.encode(), code.replace("-", "").encode()]
    files = [path for path in folder.rglob("*") if path.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        assert not any(needle in data for needle in needles), path


def test_loopback_is_a_real_exchange(laptop: Ledger, tmp_path: Path) -> None:
    """The stand-in transport itself: what one side lacks crosses, sealed, both ways."""
    from native_host.sync.seal import derive_keys

    here = Ledger(tmp_path / "here.sqlite3")
    keys = derive_keys(bytes(32))
    settings = SyncSettings("folder", None, str(tmp_path), keys.group_id.hex())
    done = Loopback(laptop)(here, settings, keys)
    assert (done.sent, done.received) == (0, 1)
    assert here.vector() == laptop.vector()
    here.close()


# -- the helper process ---------------------------------------------------------------------


def test_the_helper_process_pairs_over_its_pipes_and_logs_no_secret(
    tmp_path: Path, shared: Path
) -> None:
    """The browser's path: a real helper, a keyring in a temporary folder, the log file."""
    home, keys = tmp_path / "helper-home", tmp_path / "keys"
    helper = HostProcess(home, env={**environment(keys), "LANG": "C.UTF-8"})
    try:
        assert helper.request("hello")["ok"]
        paired = helper.request("sync.pair", folder=str(shared))
        assert paired["ok"], paired
        code = paired["code"]
        assert helper.request("sync.join", code=code)["error"]["code"] == "already_paired"
        assert helper.request("sync.leave")["sync"]["state"] == "off"
        wrong = helper.request("sync.join", code=mistyped(code), folder=str(shared))
        assert wrong["error"]["code"] == "pairing_code"
        joined = helper.request("sync.join", code=code, folder=str(shared), language="ja")
        assert joined["ok"] and joined["sync"]["state"] == "stale"
    finally:
        helper.close()
    secret = decode(code).secret
    assert secret.hex() in (keys / "keyring.json").read_text()
    assert (home / "helper.log").is_file()
    assert_nowhere(home, secret, code)


def test_hello_loads_nothing_of_sync_when_sync_is_set_up(tmp_path: Path) -> None:
    from tests.test_host import NOT_FOR_HELLO, hello, loaded_at_first_reply

    home = tmp_path / "home"
    home.mkdir()
    settings = {"transport": "hub", "hub_url": HUB, "folder": None, "group": "8ea0bcf7" * 4}
    (home / "sync.json").write_text(json.dumps(settings))
    report = loaded_at_first_reply(tmp_path, hello())
    assert NOT_FOR_HELLO.isdisjoint(report["modules"]), NOT_FOR_HELLO & set(report["modules"])
