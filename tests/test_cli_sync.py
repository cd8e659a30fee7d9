"""`credit-guard sync`: in-process for each action and its mistakes, in Japanese with no
English left, and as real processes with a keyring kept in a temporary folder."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from devkit.folder_keyring import environment
from native_host.cli import main
from native_host.ledger.events import NewEvent
from native_host.ledger.store import Ledger
from native_host.membership import REASONS
from native_host.sync.pairing import decode
from tests.fakes import MemoryKeyring
from tests.sync_loopback import install
from tests.test_cli_language import JAPANESE, english_sentences

HUB = "wss://hub.example.org:8765"
QR_BLOCKS = frozenset("█▀▄")


class Device:
    """One device of the test: its data folder and its own keyring."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.keyring = MemoryKeyring()

    def secret(self) -> str | None:
        return self.keyring.store.get(("credit-guard", "group-secret"))

    def ledger(self) -> Ledger:
        return Ledger(self.home / "ledger.sqlite3")


@pytest.fixture
def devices(
    home: Path, tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> tuple[Device, Device]:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    return Device(tmp_path / "desktop"), Device(tmp_path / "laptop")


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    device: Device,
    *args: str,
    answer: str | None = None,
) -> tuple[int, str, str]:
    """`credit-guard ARGS` on `device`: exit status, stdout, stderr."""
    monkeypatch.setenv("CREDIT_GUARD_HOME", str(device.home))
    keyring.set_keyring(device.keyring)
    monkeypatch.setattr(sys, "stdin", io.StringIO(answer if answer is not None else ""))
    code = 2
    with contextlib.suppress(SystemExit):
        code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "Sync" / "credit-guard"
    folder.mkdir(parents=True)
    return folder


def test_init_prints_the_qr_code_above_and_the_pairing_code_alone_last(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    devices: tuple[Device, Device],
    shared: Path,
) -> None:
    desktop, _ = devices
    status, out, err = run(capsys, monkeypatch, desktop, "sync", "init", "--folder", str(shared))
    assert (status, err) == (0, "")
    lines = out.rstrip("\n").split("\n")
    code = lines[-1]
    assert decode(code).secret.hex() == desktop.secret()
    qr = [i for i, line in enumerate(lines) if line and set(line) <= QR_BLOCKS | {" "}]
    assert len(qr) > 10 and max(qr) == len(lines) - 2  # right above the code
    assert out.count(code) == 1 and "Created a sync group" in out and str(shared) in out
    assert "--folder" in out  # the other devices need their path of the folder
    status, again, _ = run(capsys, monkeypatch, desktop, "sync", "init")
    assert status == 0 and again.rstrip("\n").split("\n")[-1] == code
    status, _, err = run(capsys, monkeypatch, desktop, "sync", "init", "--hub", HUB)
    assert status == 2 and "leave it first" in err


def test_join_status_now_name_leave_rejoin(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    devices: tuple[Device, Device],
) -> None:
    desktop, laptop = devices
    status, out, _ = run(capsys, monkeypatch, desktop, "sync", "init", "--hub", HUB)
    code = out.rstrip("\n").split("\n")[-1]
    peer = desktop.ledger()
    peer.name_device(peer.device_id, "Desktop")
    usage = {"operation": "image", "credits": 5.0}
    peer.append([NewEvent(str(uuid.uuid4()), "me@example.com", "usage", datetime.now(UTC), usage)])
    loopback = install(monkeypatch, peer)

    status, out, err = run(capsys, monkeypatch, laptop, "sync", "join", answer=f"{code}\n")
    assert (status, err) == (0, "") and "Joined the sync group" in out and HUB in out
    assert laptop.secret() == desktop.secret()
    status, out, _ = run(capsys, monkeypatch, laptop, "sync", "status")
    assert status == 0 and "no sync for a while" in out and "not yet" in out

    status, out, err = run(capsys, monkeypatch, laptop, "sync", "now")
    assert (status, err) == (0, "") and "0 sent, 2 received" in out  # its name and usage
    status, out, _ = run(capsys, monkeypatch, laptop, "sync", "status")
    assert "in step" in out and peer.device_id[:8] in out and "newest event" in out
    assert "Desktop" in out  # the name it gave itself came with the sync

    loopback.failing = "unreachable"
    status, out, err = run(capsys, monkeypatch, laptop, "sync", "now")
    assert status == 1 and "could not be reached" in err and out == ""
    status, out, _ = run(capsys, monkeypatch, laptop, "sync", "status")
    assert "the last sync failed" in out and "could not be reached" in out

    status, out, _ = run(capsys, monkeypatch, laptop, "sync", "name", "My laptop")
    assert status == 0 and "My laptop" in out

    status, out, _ = run(capsys, monkeypatch, laptop, "sync", "leave", answer="n\n")
    assert status == 1 and "Still in the sync group" in out and laptop.secret() is not None
    status, out, _ = run(capsys, monkeypatch, laptop, "sync", "leave", answer="y\n")
    assert status == 0 and "Left the sync group" in out and laptop.secret() is None
    assert not (laptop.home / "sync.json").exists()
    status, out, _ = run(capsys, monkeypatch, laptop, "sync", "status")
    assert "Sync is off" in out
    status, _, err = run(capsys, monkeypatch, laptop, "sync", "leave", "--yes")
    assert status == 2 and "in no sync group" in err
    status, out, _ = run(capsys, monkeypatch, laptop, "sync", "join", code)
    assert status == 0 and laptop.secret() == desktop.secret()
    peer.close()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("sync", "join"), "Give the pairing code"),
        (("sync", "name"), "Give this device's name"),
        (("sync", "status", "--hub", HUB), "--hub does not go with credit-guard sync status"),
        (("sync", "now", "extra"), "'extra' does not go with credit-guard sync now"),
        (("sync", "init"), "give either the address of a hub"),
        (("sync", "init", "--hub", "https://hub.example.org"), "is not a hub address"),
        (("sync", "join", "1000G-40R40"), "The code is mistyped"),
        (("sync", "now"), "in no sync group"),
    ],
)
def test_mistakes_exit_2_with_the_reason_and_join_nothing(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    devices: tuple[Device, Device],
    args: tuple[str, ...],
    says: str,
) -> None:
    desktop, _ = devices
    status, out, err = run(capsys, monkeypatch, desktop, *args)
    assert status == 2 and says in err, (out, err)
    assert desktop.secret() is None and not (desktop.home / "sync.json").exists()


def test_no_keyring_says_how_to_get_one(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    devices: tuple[Device, Device],
) -> None:
    desktop, _ = devices
    monkeypatch.setattr(desktop, "keyring", fail.Keyring())
    status, _, err = run(capsys, monkeypatch, desktop, "sync", "init", "--hub", HUB)
    assert status == 2 and "GNOME Keyring or KWallet" in err
    assert not (desktop.home / "sync.json").exists()


def test_every_sync_action_speaks_japanese(
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    devices: tuple[Device, Device],
    shared: Path,
) -> None:
    """Also no warning is logged: outside pytest, with no logging set up, Python prints
    warnings on stderr, in English."""
    desktop, laptop = devices
    for device in devices:
        run(capsys, monkeypatch, device, "config", "set", "language=ja")
    peer = desktop.ledger()
    name = peer.device_name
    loopback = install(monkeypatch, peer)

    def said(device: Device, *args: str, answer: str | None = None) -> str:
        _, out, err = run(capsys, monkeypatch, device, *args, answer=answer)
        shown = out + err
        assert JAPANESE.search(shown), (args, shown)
        assert not english_sentences(shown, also_allowed=(name,)), (args, shown)
        return shown

    said(desktop, "sync", "--help")
    said(desktop, "sync", "status")
    code = said(desktop, "sync", "init", "--folder", str(shared)).rstrip("\n").split("\n")[-1]
    said(desktop, "sync", "init")
    said(desktop, "sync", "init", "--hub", HUB)
    said(laptop, "sync", "join", code)
    said(laptop, "sync", "join", code[:-1] + ("0" if code[-1] != "0" else "1"), "--folder", "x")
    said(laptop, "sync", "join", "1000U")
    said(laptop, "sync", "join", code, "--folder", str(shared / "missing"))
    said(laptop, "sync", "join", code, "--folder", str(shared))
    said(laptop, "sync", "status")
    said(laptop, "sync", "now")
    said(laptop, "sync", "status")
    for reason in sorted(REASONS):
        loopback.failing = reason
        said(laptop, "sync", "now")
    said(laptop, "sync", "status")
    said(laptop, "sync", "name", "ノートPC")
    said(laptop, "sync", "name", " ")
    said(laptop, "sync", "status", "--yes")
    said(laptop, "sync", "leave", answer="n\n")
    said(laptop, "sync", "leave", "--yes")
    said(laptop, "sync", "leave", "--yes")
    said(laptop, "sync", "now")
    said(laptop, "sync", "frobnicate")
    monkeypatch.setattr(laptop, "keyring", fail.Keyring())
    said(laptop, "sync", "join", code, "--folder", str(shared))
    peer.close()
    assert [
        record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING
    ] == []


# -- real processes ----------------------------------------------------------------------


def credit_guard(
    home: Path, keyring_folder: Path, *args: str, backend: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CREDIT_GUARD_HOME": str(home), "LANG": "C.UTF-8"}
    env.update(environment(keyring_folder))
    if backend is not None:
        env["PYTHON_KEYRING_BACKEND"] = backend
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "native_host.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def process_homes(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    yield tmp_path / "desktop", tmp_path / "laptop"


def test_pair_and_join_as_real_processes_keep_the_secret_out_of_every_file(
    process_homes: tuple[Path, Path], tmp_path: Path, shared: Path
) -> None:
    desktop, laptop = process_homes
    desktop_keys, laptop_keys = tmp_path / "keys-desktop", tmp_path / "keys-laptop"
    done = credit_guard(desktop, desktop_keys, "sync", "init", "--folder", str(shared))
    assert done.returncode == 0, done.stderr
    code = done.stdout.rstrip("\n").split("\n")[-1]
    secret = decode(code).secret

    typo = code[:7] + ("Z" if code[7] != "Z" else "Y") + code[8:]
    done = credit_guard(laptop, laptop_keys, "sync", "join", typo, "--folder", str(shared))
    assert done.returncode == 2 and "symbol by symbol" in done.stderr
    assert not (laptop / "sync.json").exists() and not (laptop_keys / "keyring.json").exists()

    done = credit_guard(laptop, laptop_keys, "sync", "join", code, "--folder", str(shared))
    assert done.returncode == 0, done.stderr
    assert secret.hex() in (laptop_keys / "keyring.json").read_text()
    done = credit_guard(laptop, laptop_keys, "sync", "status")
    assert done.returncode == 0 and "the shared folder" in done.stdout
    done = credit_guard(laptop, laptop_keys, "sync", "join", code, "--folder", str(shared))
    assert done.returncode == 2 and "leave it first" in done.stderr

    done = credit_guard(laptop, laptop_keys, "sync", "leave")  # no answer on stdin: stays
    assert done.returncode == 1 and (laptop / "sync.json").exists()
    done = credit_guard(laptop, laptop_keys, "sync", "leave", "--yes")
    assert done.returncode == 0 and not (laptop / "sync.json").exists()
    assert secret.hex() not in (laptop_keys / "keyring.json").read_text()
    done = credit_guard(laptop, laptop_keys, "sync", "join", code, "--folder", str(shared))
    assert done.returncode == 0, done.stderr

    for home in (desktop, laptop):
        files = [path for path in home.rglob("*") if path.is_file()]
        assert files
        for path in files:
            data = path.read_bytes()
            for needle in (secret, secret.hex().encode(), code.encode()):
                assert needle not in data, path


def test_no_keyring_as_a_real_process(process_homes: tuple[Path, Path], tmp_path: Path) -> None:
    desktop, _ = process_homes
    done = credit_guard(
        desktop,
        tmp_path / "keys",
        "sync",
        "init",
        "--hub",
        HUB,
        backend="keyring.backends.fail.Keyring",
    )
    assert done.returncode == 2 and "GNOME Keyring or KWallet" in done.stderr
    assert done.stdout == "" and not (desktop / "sync.json").exists()


# -- serve and run, as a user starts them ------------------------------------------------


@contextlib.contextmanager
def started(
    home: Path, keyring_folder: Path, *args: str, language: str = "C.UTF-8"
) -> Iterator[subprocess.Popen[str]]:
    """`credit-guard ARGS` left running (stopped with SIGTERM, as a service manager does)."""
    env = {**os.environ, "CREDIT_GUARD_HOME": str(home), "LANG": language}
    env.update(environment(keyring_folder))
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "native_host.cli", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdout, process.stderr):
            assert stream is not None
            stream.close()


def line_with(process: subprocess.Popen[str], needle: str) -> str:
    """The first line of the process's output that holds `needle` (a timeout fails)."""
    assert process.stdout is not None
    for line in process.stdout:
        if needle in line:
            return line
    raise AssertionError(f"{needle!r} never printed; stderr: {process.stderr.read()}")  # type: ignore[union-attr]


def stopped(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    process.terminate()
    out, err = process.communicate(timeout=30)
    return process.returncode, out, err


def test_a_hub_served_from_the_cli_syncs_devices_and_sync_run_keeps_one_in_step(
    process_homes: tuple[Path, Path], tmp_path: Path
) -> None:
    desktop, laptop = process_homes
    desktop_keys, laptop_keys = tmp_path / "keys-desktop", tmp_path / "keys-laptop"
    with started(
        tmp_path / "hub-home", tmp_path / "keys-hub", "sync", "serve", "--port", "0"
    ) as hub:
        url = line_with(hub, "listening").split(" at ")[1].split(" ")[0]
        assert url.startswith("ws://127.0.0.1:")
        code = credit_guard(desktop, desktop_keys, "sync", "init", "--hub", url)
        assert code.returncode == 0, code.stderr
        pairing_code = code.stdout.rstrip("\n").split("\n")[-1]
        joined = credit_guard(laptop, laptop_keys, "sync", "join", pairing_code)
        assert joined.returncode == 0, joined.stderr

        with started(laptop, laptop_keys, "sync", "run") as running:
            assert "Staying in sync through the hub" in line_with(running, "Staying")
            line_with(running, "in step")
            usage = {"operation": "image", "credits": 5.0}
            with contextlib.closing(Ledger(laptop / "ledger.sqlite3")) as ledger:
                at = datetime.now(UTC)
                ledger.append([NewEvent(str(uuid.uuid4()), "me@example.com", "usage", at, usage)])
            assert "1 sent, 0 received" in line_with(running, "sent")
            now = credit_guard(desktop, desktop_keys, "sync", "now")
            assert now.returncode == 0 and "0 sent, 1 received" in now.stdout, now
            status, out, err = stopped(running)
            assert (status, err) == (0, "") and "Stopped syncing." in out

        status, out, err = stopped(hub)
        assert (status, err) == (0, "") and "The hub stopped." in out
    assert (tmp_path / "hub-home" / "hub.sqlite3").is_file()


def test_serve_refuses_what_it_should_in_the_users_language(tmp_path: Path) -> None:
    home, keys = tmp_path / "home", tmp_path / "keys"
    beyond = credit_guard(home, keys, "sync", "serve", "--host", "0.0.0.0")
    assert beyond.returncode == 2 and "--insecure" in beyond.stderr and not beyond.stdout
    half = credit_guard(home, keys, "sync", "serve", "--tls-cert", str(tmp_path / "c.pem"))
    assert half.returncode == 2 and "both --tls-cert and --tls-key" in half.stderr
    missing = credit_guard(
        home, keys, "sync", "serve", "--tls-cert", "nope.pem", "--tls-key", "nope.key"
    )
    assert missing.returncode == 2 and "cannot be used" in missing.stderr
    wrong = credit_guard(home, keys, "sync", "status", "--port", "9")
    assert wrong.returncode == 2 and "--port does not go with" in wrong.stderr
    with started(home, keys, "sync", "serve", "--port", "0") as hub:
        port = line_with(hub, "listening").split(" at ")[1].split(" ")[0].rsplit(":", 1)[1]
        with started(home, keys, "sync", "serve", "--port", port, language="ja_JP.UTF-8") as busy:
            assert busy.wait(30) == 2
            assert busy.stderr is not None
            said = busy.stderr.read()
            assert f"127.0.0.1:{port} で待ち受けられません" in said and "--port" in said, said
    not_paired = credit_guard(home, keys, "sync", "run")
    assert not_paired.returncode == 2 and "in no sync group" in not_paired.stderr, not_paired
