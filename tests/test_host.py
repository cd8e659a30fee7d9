"""The stdio host as a browser sees it: a real process over real pipes.

Every hostile frame gets exactly one structured error and the helper keeps serving,
which each case proves by having a valid `hello` answered right after it. The rest
checks launch shapes, that nothing but frames reaches stdout, shutdown on EOF and
SIGTERM, durability of acknowledged events, and pushes between two helpers.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from native_host.installer import DEFAULT_FIREFOX_ID as FIREFOX_ID
from tests.factories import PROTOCOL_STEP_IDS
from tests.hostproc import CHROME_ORIGIN, HELPER, MAX_REPLY, HostProcess, python_helper_only

ACCOUNT = "me@example.com"
ERROR_KEYS = {"v", "id", "ok", "error"}
CODES = {
    "bad_frame",
    "too_large",
    "bad_json",
    "invalid",
    "unknown_type",
    "unsupported_version",
    "internal",
    "reply_too_large",
    "storage",
    "unknown_event",
}


def frame(body: bytes) -> bytes:
    return struct.pack("=I", len(body)) + body


def encode(message: Any) -> bytes:
    return json.dumps(message).encode()


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def hello(request_id: str = "hello-after") -> dict[str, Any]:
    return {"v": 1, "id": request_id, "type": "hello", "extension_version": "1.0.0"}


def usage(**fields: Any) -> dict[str, Any]:
    message = {
        "v": 1,
        "id": "u",
        "type": "usage",
        "event_id": str(uuid.uuid4()),
        "account": ACCOUNT,
        "operation": "image",
        "at": now_text(),
        "credits": 5,
    }
    message.update(fields)
    return {key: value for key, value in message.items() if value is not ...}


def balance(**fields: Any) -> dict[str, Any]:
    message = {"v": 1, "id": "b", "type": "balance", "account": ACCOUNT, "balance": 80}
    message.update({"at": now_text(), **fields})
    return message


def assert_error(reply: dict[str, Any], code: str, request_id: str | None) -> None:
    """The error envelope exactly: no more top-level keys, a known code, a message."""
    assert set(reply) == ERROR_KEYS, reply
    assert reply["v"] == 1
    assert reply["ok"] is False
    assert reply["id"] == request_id, reply
    error = reply["error"]
    assert isinstance(error, dict)
    assert {"code", "message"} <= set(error), error
    assert error["code"] in CODES
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"]


def assert_hello(reply: dict[str, Any], request_id: str = "hello-after") -> None:
    assert reply["ok"] is True, reply
    assert reply["id"] == request_id
    assert reply["type"] == "hello"
    assert reply["protocol"] == 1
    assert reply["device_id"] and reply["host_version"]


def ask(helper: HostProcess, message: dict[str, Any]) -> dict[str, Any]:
    """Send a whole message (envelope included) and return its reply."""
    helper.send(message)
    reply = helper.read_reply()
    assert reply["id"] == message["id"], reply
    return reply


def ledger_ids(home: Path) -> list[str]:
    with sqlite3.connect(home / "ledger.sqlite3") as db:
        return [row[0] for row in db.execute("SELECT event_id FROM events WHERE kind = 'usage'")]


# ---------------------------------------------------------------- hostile frames


def _case(body: bytes | Any, code: str, request_id: str | None = None) -> tuple[bytes, str, Any]:
    return (body if isinstance(body, bytes) else encode(body), code, request_id)


CATALOGUE: dict[str, Any] = {
    # not UTF-8, not JSON, not an object
    "invalid utf-8": _case(b'{"v":1,"id":"\xff\xfe","type":"hello"}', "bad_json"),
    "lone surrogate bytes": _case(b'{"v":1,"id":"\xed\xa0\x80","type":"hello"}', "bad_json"),
    "empty body": _case(b"", "bad_json"),
    "invalid json": _case(b'{"v":1,"id":', "bad_json"),
    "trailing garbage": _case(b'{"v":1,"id":"a","type":"hello"} x', "bad_json"),
    "single quotes": _case(b"{'v':1}", "bad_json"),
    "array": _case([1, "hello"], "bad_json"),
    "string": _case("hello", "bad_json"),
    "number": _case(42, "bad_json"),
    "null": _case(None, "bad_json"),
    "true": _case(True, "bad_json"),
    "deep arrays": _case(b"[" * 100_000, "bad_json"),
    "deep arrays closed": _case(b"[" * 100_000 + b"]" * 100_000, "bad_json"),
    "deep objects": _case(b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "bad_json"),
    # the envelope
    "missing v": _case({"id": "a", "type": "hello"}, "invalid", "a"),
    "v=2": _case({"v": 2, "id": "a", "type": "hello"}, "unsupported_version", "a"),
    "v='1'": _case({"v": "1", "id": "a", "type": "hello"}, "unsupported_version", "a"),
    "v=true": _case({"v": True, "id": "a", "type": "hello"}, "unsupported_version", "a"),
    "v=null": _case({"v": None, "id": "a", "type": "hello"}, "unsupported_version", "a"),
    "v=0": _case({"v": 0, "id": "a", "type": "hello"}, "unsupported_version", "a"),
    "unknown type": _case({"v": 1, "id": "a", "type": "frobnicate"}, "unknown_type", "a"),
    "push type as request": _case(
        {"v": 1, "id": "a", "type": "tally.changed"}, "unknown_type", "a"
    ),
    "missing type": _case({"v": 1, "id": "a"}, "unknown_type", "a"),
    "type not a string": _case({"v": 1, "id": "a", "type": 5}, "unknown_type", "a"),
    "type a list": _case({"v": 1, "id": "a", "type": ["hello"]}, "unknown_type", "a"),
    "missing id": _case({"v": 1, "type": "hello"}, "invalid"),
    "id a number": _case({"v": 1, "id": 7, "type": "hello"}, "invalid"),
    "id null": _case({"v": 1, "id": None, "type": "hello"}, "invalid"),
    "id an object": _case({"v": 1, "id": {"a": 1}, "type": "hello"}, "invalid"),
    "id empty": _case({"v": 1, "id": "", "type": "hello"}, "invalid"),
    "id too long": _case({"v": 1, "id": "x" * 129, "type": "hello"}, "invalid"),
    # wrong field types
    "hello version a number": _case({**hello("a"), "extension_version": 5}, "invalid", "a"),
    "usage account a number": _case(usage(account=5), "invalid", "u"),
    "usage account empty": _case(usage(account=""), "invalid", "u"),
    "usage account control chars": _case(usage(account="a\x00b"), "invalid", "u"),
    "usage account only invisible": _case(usage(account="\u200b\u202e \ufeff"), "invalid", "u"),
    "undo an unknown event": _case(
        {"v": 1, "id": "x", "type": "undo", "event_id": str(uuid.UUID(int=7))}, "unknown_event", "x"
    ),
    "undo an id that is no uuid": _case(
        {"v": 1, "id": "x", "type": "undo", "event_id": "last one"}, "invalid", "x"
    ),
    "forget no account": _case(
        {"v": 1, "id": "x", "type": "forget", "account": " "}, "invalid", "x"
    ),
    "usage operation unknown": _case(usage(operation="teleport"), "invalid", "u"),
    "usage credits a word": _case(usage(credits="five"), "invalid", "u"),
    "usage credits a list": _case(usage(credits=[5]), "invalid", "u"),
    "usage missing account": _case(usage(account=...), "invalid", "u"),
    "usage missing at": _case(usage(at=...), "invalid", "u"),
    "preflight prompt_chars a word": _case(
        {"v": 1, "id": "p", "type": "preflight", "account": ACCOUNT, "operation": "image"}
        | {"prompt_chars": "many"},
        "invalid",
        "p",
    ),
    "preflight prompt_chars negative": _case(
        {"v": 1, "id": "p", "type": "preflight", "account": ACCOUNT, "operation": "image"}
        | {"prompt_chars": -1},
        "invalid",
        "p",
    ),
    "status account a list": _case(
        {"v": 1, "id": "s", "type": "status", "account": []}, "invalid", "s"
    ),
    "config.set bool a word": _case(
        {"v": 1, "id": "c", "type": "config.set", "confirm_before_heavy": "maybe"}, "invalid", "c"
    ),
    "config.set plan without account": _case(
        {"v": 1, "id": "c", "type": "config.set", "plan": "plus"}, "invalid", "c"
    ),
    "diagnose signals a list": _case(
        {"v": 1, "id": "d", "type": "diagnose", "account": ACCOUNT, "signals": []}, "invalid", "d"
    ),
    "diagnose http status 999": _case(
        {"v": 1, "id": "d", "type": "diagnose", "account": ACCOUNT}
        | {"signals": {"http_status": [999]}},
        "invalid",
        "d",
    ),
    # extra fields (extra="forbid")
    "hello extra field": _case({**hello("a"), "debug": True}, "invalid", "a"),
    "usage extra field": _case(usage(cost=5), "invalid", "u"),
    "diagnose extra signal": _case(
        {"v": 1, "id": "d", "type": "diagnose", "account": ACCOUNT, "signals": {"bogus": 1}},
        "invalid",
        "d",
    ),
    # numbers out of range
    "negative credits": _case(usage(credits=-1), "invalid", "u"),
    "credits 1e308": _case(usage(credits=1e308), "invalid", "u"),
    "credits 1e400 (inf)": _case(
        encode(usage(credits=0)).replace(b'"credits": 0', b'"credits": 1e400'), "invalid", "u"
    ),
    "credits NaN token": _case(usage(credits=float("nan")), "invalid", "u"),
    "credits Infinity token": _case(usage(credits=float("inf")), "invalid", "u"),
    "credits -Infinity token": _case(usage(credits=float("-inf")), "invalid", "u"),
    "negative balance": _case(balance(balance=-1), "invalid", "b"),
    "huge balance": _case(balance(balance=1e15), "invalid", "b"),
    "balance NaN token": _case(balance(balance=float("nan")), "invalid", "b"),
    "balance a huge integer": _case(balance(balance=10**400), "invalid", "b"),
    # timestamps
    "at without timezone": _case(usage(at="2026-11-24T10:00:00"), "invalid", "u"),
    "at in 1970": _case(usage(at="1970-01-01T00:00:00Z"), "invalid", "u"),
    "at in 9999": _case(usage(at="9999-12-31T23:59:59Z"), "invalid", "u"),
    "at garbage": _case(usage(at="yesterday-ish"), "invalid", "u"),
    "at impossible date": _case(usage(at="2026-13-45T25:61:00Z"), "invalid", "u"),
    "at empty": _case(usage(at=""), "invalid", "u"),
    "at small epoch number": _case(usage(at=12345), "invalid", "u"),
    "balance reset_at naive": _case(balance(reset_at="2026-11-25T00:00:00"), "invalid", "b"),
    # event ids
    "event_id not a uuid": _case(usage(event_id="not-a-uuid"), "invalid", "u"),
    "event_id empty": _case(usage(event_id=""), "invalid", "u"),
    "event_id a number": _case(usage(event_id=123), "invalid", "u"),
    "event_id non-hex": _case(usage(event_id="g" * 32), "invalid", "u"),
    "event_id too long": _case(usage(event_id=str(uuid.uuid4()) + "0"), "invalid", "u"),
    "event_id huge": _case(usage(event_id="a" * 500_000), "invalid", "u"),
    # wrong JSON types are not coerced (the models are strict)
    "credits true": _case(usage(credits=True), "invalid", "u"),
    "credits a numeric string": _case(usage(credits="5"), "invalid", "u"),
    "at an epoch number": _case(usage(at=1.79e9), "invalid", "u"),
    # integers past Python's digit limit (sys.get_int_max_str_digits): valid JSON, unreadable
    "credits of 5,000 digits": _case(
        encode(usage()).replace(b'"credits": 5', b'"credits": ' + b"9" * 5000), "bad_json", "u"
    ),
    "v of 5,000 digits": _case(
        b'{"v": ' + b"1" * 5000 + b', "id": "a", "type": "hello"}', "bad_json", "a"
    ),
    "negative id of 5,000 digits": _case(
        b'{"v": 1, "id": -' + b"1" * 5000 + b', "type": "hello"}', "bad_json"
    ),
    # lone surrogates (as JSON escapes) are read as U+FFFD, the id too
    "lone surrogate in the id, unknown type": _case(
        {"v": 1, "id": "a\ud800", "type": "nope"}, "unknown_type", "a\ufffd"
    ),
    "lone surrogate as the whole id, bad field": _case(
        {**hello("\udfff"), "browser": 5}, "invalid", "\ufffd"
    ),
    "lone surrogate as a field name": _case({**hello("a"), "\udc00": 1}, "invalid", "a"),
    "lone surrogate in the type": _case(
        {"v": 1, "id": "a", "type": "hello\ud800"}, "unknown_type", "a"
    ),
}


@pytest.fixture(scope="module")
def shared_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("shared-home")


@pytest.fixture(scope="module")
def shared_host(shared_home: Path) -> Iterator[list[HostProcess]]:
    """One helper for the whole catalogue (it must survive all of it); replaced if it dies
    so one failure does not cascade."""
    box = [HostProcess(shared_home)]
    yield box
    box[0].close()


@pytest.fixture
def host(shared_host: list[HostProcess], shared_home: Path) -> HostProcess:
    if shared_host[0].proc.poll() is not None:
        shared_host[0] = HostProcess(shared_home)
    return shared_host[0]


@pytest.mark.parametrize(("body", "code", "request_id"), CATALOGUE.values(), ids=CATALOGUE.keys())
def test_hostile_frame_gets_one_error_then_hello_is_answered(
    host: HostProcess, body: bytes, code: str, request_id: str | None
) -> None:
    host.send_raw(frame(body) + frame(encode(hello())))
    replies = host.read_reply(), host.read_reply()  # both first: the stream stays in step
    assert_error(replies[0], code, request_id)
    assert_hello(replies[1])


@pytest.mark.parametrize(
    ("sent_id", "answered_id"),
    [
        ("a\ud800", "a\ufffd"),
        ("\udc00\ud800x", "\ufffd\ufffdx"),
        ("pair \ud83d\ude00 lone \ude00", "pair \U0001f600 lone \ufffd"),
    ],
)
def test_an_id_with_lone_surrogates_is_answered_with_replacement_characters(
    host: HostProcess, sent_id: str, answered_id: str
) -> None:
    """Lone surrogates are not Unicode text and cannot be UTF-8: the helper reads each as
    U+FFFD, as Chromium does before a message reaches it (docs/PROTOCOL.md)."""
    host.send_raw(
        frame(encode({**hello(sent_id), "extension_version": "1.0\ud800"})) + frame(encode(hello()))
    )
    replies = host.read_reply(), host.read_reply()
    assert_hello(replies[0], answered_id)
    assert_hello(replies[1])


@pytest.mark.parametrize("field", ["type", "v"])
def test_error_reply_echoing_a_huge_value_stays_under_1_mib(tmp_path: Path, field: str) -> None:
    # Backslashes double when the host's repr() of the value is JSON-escaped again.
    message = {**hello("big"), field: "\\" * 500_000}
    host = HostProcess(tmp_path)
    host.send_raw(frame(encode(message)) + frame(encode(hello())))
    reply = host.read_reply()  # read_frame asserts the frame is under 1 MiB
    assert reply["ok"] is False
    assert_hello(host.read_reply())
    host.close()


def test_ten_megabytes_of_framed_garbage_in_random_chunks(host: HostProcess) -> None:
    """Random bodies in frames of random size, written in chunks that ignore frame
    boundaries: the decoder must reassemble each one and answer each with bad_json."""
    rng = random.Random(20261124)
    stream = bytearray()
    frames = 0
    while len(stream) < 10 * 1024 * 1024:
        body = rng.randbytes(rng.randint(1_000, 300_000))
        stream += frame(b"\xff" + body)  # \xff: never UTF-8, so never accidentally JSON
        frames += 1
    stream += frame(encode(hello()))

    def write() -> None:
        view = memoryview(bytes(stream))
        while view:
            size = rng.randint(1, 200_000)
            host.send_raw(bytes(view[:size]))
            view = view[size:]

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    for _ in range(frames):
        assert_error(host.read_reply(timeout=30), "bad_json", None)
    assert_hello(host.read_reply(timeout=30))
    writer.join(10)


def test_ten_megabytes_of_raw_garbage_then_eof(tmp_path: Path) -> None:
    """Unframed garbage declares absurd lengths; the helper skips them without allocating,
    sends only well-formed error frames, and exits 0 at EOF."""
    rng = random.Random(7)
    helper = HostProcess(tmp_path)
    assert_hello(helper.request("hello", id="hello-after"))
    for _ in range(50):
        helper.send_raw(rng.randbytes(rng.randint(1, 400_000)))
    assert helper.proc.stdin is not None
    helper.proc.stdin.close()
    codes = []
    while True:
        try:
            reply = helper.read(timeout=20)
        except EOFError:
            break
        assert set(reply) == ERROR_KEYS, reply
        codes.append(reply["error"]["code"])
    assert codes and set(codes) <= {"too_large", "bad_frame", "bad_json", "invalid"}
    assert codes[-1] == "bad_frame"  # the stream ended inside a (declared) frame
    assert helper.close() == 0


# ---------------------------------------------------------------- frame boundaries


def test_truncated_header_at_eof_is_bad_frame_then_clean_exit(tmp_path: Path) -> None:
    helper = HostProcess(tmp_path)
    assert_hello(helper.request("hello", id="hello-after"))
    helper.send_raw(b"\x10\x00")
    assert helper.proc.stdin is not None
    helper.proc.stdin.close()
    assert_error(helper.read(), "bad_frame", None)
    assert helper.close() == 0


def test_truncated_body_at_eof_is_bad_frame_then_clean_exit(tmp_path: Path) -> None:
    helper = HostProcess(tmp_path)
    body = encode(hello())
    helper.send_raw(frame(body)[: 4 + len(body) // 2])
    assert helper.proc.stdin is not None
    helper.proc.stdin.close()
    assert_error(helper.read(), "bad_frame", None)
    assert helper.close() == 0


@pytest.mark.parametrize("setting", ["lots", "-5", "0", "1e6", "²", "١٠٠", ""])
def test_a_cap_that_is_not_a_positive_number_is_the_default(tmp_path: Path, setting: str) -> None:
    helper = HostProcess(tmp_path, env={"CREDIT_GUARD_MAX_FRAME": setting})
    helper.send_raw(frame(b"{" * (1024 * 1024 + 1)) + frame(encode(hello())))
    assert_error(helper.read_reply(), "too_large", None)
    assert_hello(helper.read_reply())
    assert helper.close() == 0


def test_frame_over_a_small_cap_is_skipped_and_the_next_one_answered(tmp_path: Path) -> None:
    helper = HostProcess(tmp_path, env={"CREDIT_GUARD_MAX_FRAME": "1024"})
    compact = encode(hello("padded"))
    exact = compact[:-1] + b" " * (1024 - len(compact)) + b"}"  # JSON allows the padding
    assert len(exact) == 1024
    # a body of exactly the cap is accepted; one byte more is not; nor is a 2000-byte one
    helper.send_raw(frame(exact) + frame(exact + b" ") + frame(b"{" * 2000))
    helper.send_raw(frame(encode(hello())))
    assert_hello(helper.read_reply(), "padded")
    assert_error(helper.read_reply(), "too_large", None)
    assert_error(helper.read_reply(), "too_large", None)
    assert_hello(helper.read_reply())
    assert helper.close() == 0


def test_declared_4_gib_is_refused_without_allocating(tmp_path: Path) -> None:
    helper = HostProcess(tmp_path)
    assert_hello(helper.request("hello", id="hello-after"))
    helper.send_raw(struct.pack("=I", 2**32 - 1) + b"\x00" * 4096)
    assert_error(helper.read(), "too_large", None)
    status = Path(f"/proc/{helper.proc.pid}/status")
    if status.exists():
        peak_kib = next(
            int(line.split()[1])
            for line in status.read_text().splitlines()
            if line.startswith("VmHWM")
        )
        assert peak_kib < 300 * 1024, f"peak RSS {peak_kib} KiB after a 4 GiB declaration"
    assert helper.proc.stdin is not None
    helper.proc.stdin.close()
    assert_error(helper.read(), "bad_frame", None)  # EOF inside the skipped body
    assert helper.close() == 0


# ---------------------------------------------------------------- launch and stdout


@pytest.mark.parametrize(
    "args",
    [
        pytest.param((CHROME_ORIGIN,), id="chromium"),
        pytest.param((CHROME_ORIGIN, "--parent-window=0"), id="chromium-windows"),
        pytest.param(("/path/to/com.creditguard.helper.json", FIREFOX_ID), id="firefox"),
    ],
)
def test_both_launch_shapes_answer_hello(tmp_path: Path, args: tuple[str, ...]) -> None:
    helper = HostProcess(tmp_path, *args)
    assert_hello(helper.request("hello", id="hello-after", browser="x"))
    assert helper.close() == 0


def test_version_prints_and_exits_0(tmp_path: Path) -> None:
    done = subprocess.run(
        [*HELPER, "--version"],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "CREDIT_GUARD_HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert "0." in done.stdout and "protocol 1" in done.stdout


NOISY_WRAPPER = """
import os, sys
import native_host.handlers.hello as hello_handler
from native_host import host

real_hold, real_handle = host.hold_logging, hello_handler.handle

def noisy_hold():
    print("noise from print at start-up")
    sys.stdout.flush()
    os.write(1, b"noise from os.write at start-up\\n")
    return real_hold()

def noisy_handle(request, ctx):
    print("noise from print in a handler", flush=True)
    os.write(1, b"\\x05\\x00\\x00\\x00noise")
    return real_handle(request, ctx)

host.hold_logging = noisy_hold
hello_handler.handle = noisy_handle
raise SystemExit(host.main(sys.argv[1:]))
"""


@python_helper_only
def test_stray_writes_to_stdout_cannot_corrupt_the_stream(tmp_path: Path) -> None:
    """Code that prints (ours or a library's) after StdoutGuard is set up, at start-up
    and while answering, lands on stderr: stdout carries exactly the two reply frames."""
    wrapper = tmp_path / "noisy_host.py"
    wrapper.write_text(NOISY_WRAPPER)
    root = str(Path(__file__).resolve().parent.parent)
    done = subprocess.run(
        [sys.executable, str(wrapper), CHROME_ORIGIN],
        input=frame(encode(hello("first"))) + frame(encode(hello("second"))),
        capture_output=True,
        timeout=30,
        env={**os.environ, "CREDIT_GUARD_HOME": str(tmp_path / "home"), "PYTHONPATH": root},
    )
    assert done.returncode == 0, done.stderr
    for noise in (b"print at start-up", b"os.write at start-up", b"in a handler", b"noise"):
        assert noise in done.stderr
    stream = done.stdout
    for request_id in ("first", "second"):
        (length,) = struct.unpack("=I", stream[:4])
        assert_hello(json.loads(stream[4 : 4 + length]), request_id)
        stream = stream[4 + length :]
    assert stream == b""


# ---------------------------------------------------------------- start-up

FIRST_REPLY_WRAPPER = """
import json, os, sys
from native_host import host

real_setup = host.setup_logging

def report_then_setup(held):  # called once the first replies are written
    from pydantic.plugin import _loader
    loaded = {"modules": sorted(sys.modules), "plugins_searched": _loader._plugins is not None}
    os.write(2, ("FIRST REPLY " + json.dumps(loaded) + "\\n").encode())
    real_setup(held)

host.setup_logging = report_then_setup
raise SystemExit(host.main(sys.argv[1:]))
"""
NOT_FOR_HELLO = {
    "statistics",
    "logging.handlers",
    "native_host.tallies",
    "native_host.config",
    "native_host.ledger.costs",
    "native_host.ledger.tally",
    "native_host.advisor",
    "native_host.diagnosis",
    "native_host.handlers.preflight",
    "native_host.sync",
    "cryptography",
    "native_host.membership",
    "native_host.sync_settings",
    "keyring",
    "websockets",
    "segno",
}


def loaded_at_first_reply(tmp_path: Path, request: dict[str, Any]) -> dict[str, Any]:
    wrapper = tmp_path / "first_reply_host.py"
    wrapper.write_text(FIRST_REPLY_WRAPPER)
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "CREDIT_GUARD_HOME": str(tmp_path / "home"), "PYTHONPATH": root}
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    done = subprocess.run(
        [sys.executable, str(wrapper), CHROME_ORIGIN],
        input=frame(encode(request)),
        capture_output=True,
        timeout=30,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    (length,) = struct.unpack("=I", done.stdout[:4])
    assert json.loads(done.stdout[4 : 4 + length])["ok"]
    line = next(line for line in done.stderr.splitlines() if line.startswith(b"FIRST REPLY "))
    report: dict[str, Any] = json.loads(line.removeprefix(b"FIRST REPLY "))
    return report


@python_helper_only
def test_the_first_hello_reply_waits_for_nothing_it_does_not_need(tmp_path: Path) -> None:
    """No tallies, config models, cost book, advisor or log file rotation before the first
    `hello` is answered, and no search of the installed packages for pydantic plugins."""
    report = loaded_at_first_reply(tmp_path, hello())
    assert NOT_FOR_HELLO.isdisjoint(report["modules"]), NOT_FOR_HELLO & set(report["modules"])
    assert "native_host.handlers.hello" in report["modules"]  # the report is not vacuous
    assert report["plugins_searched"] is False


@python_helper_only
def test_a_first_preflight_loads_what_it_needs(tmp_path: Path) -> None:
    request = {"v": 1, "id": "p", "type": "preflight", "account": ACCOUNT, "operation": "image"}
    report = loaded_at_first_reply(tmp_path, request)
    assert {"native_host.tallies", "native_host.advisor"} <= set(report["modules"])
    assert "logging.handlers" not in report["modules"]
    assert report["plugins_searched"] is False


def test_the_log_file_is_started_after_the_first_reply_or_when_idle(tmp_path: Path) -> None:
    """What is logged before the log file is set up is held, then written there."""
    log = tmp_path / "helper.log"
    idle = HostProcess(tmp_path)
    deadline = time.monotonic() + 10
    while "started by" not in (log.read_text() if log.exists() else ""):
        assert time.monotonic() < deadline, "an idle helper did not start its log"
        time.sleep(0.05)
    assert idle.close() == 0
    busy = HostProcess(tmp_path, "/m.json", FIREFOX_ID)
    assert_hello(busy.request("hello", id="hello-after", browser="firefox"))
    assert busy.close() == 0
    text = log.read_text()
    assert f"started by /m.json {FIREFOX_ID}" in text
    assert "hello from firefox" in text


# ---------------------------------------------------------------- shutdown


def test_stdin_eof_exits_0_promptly(tmp_path: Path) -> None:
    helper = HostProcess(tmp_path)
    assert_hello(helper.request("hello", id="hello-after"))
    started = time.monotonic()
    code = helper.close(timeout=10)
    elapsed = time.monotonic() - started
    print(f"exit after stdin EOF: {elapsed * 1000:.0f} ms")
    assert code == 0
    assert elapsed < 3


def test_sigterm_while_idle_exits_promptly(tmp_path: Path) -> None:
    helper = HostProcess(tmp_path)
    assert_hello(helper.request("hello", id="hello-after"))
    time.sleep(0.3)  # inside select(), waiting for input
    started = time.monotonic()
    helper.proc.send_signal(signal.SIGTERM)
    code = helper.proc.wait(10)
    elapsed = time.monotonic() - started
    print(f"exit after SIGTERM while idle: {elapsed * 1000:.0f} ms (target 1 s)")
    helper.close()
    assert code == 0
    assert elapsed < 3


def test_sigterm_after_a_burst_keeps_every_acknowledged_event(tmp_path: Path) -> None:
    helper = HostProcess(tmp_path)
    assert_hello(helper.request("hello", id="hello-after"))
    events = [usage(id=f"r{i}") for i in range(400)]
    by_id = {message["id"]: message["event_id"] for message in events}
    burst = b"".join(frame(encode(message)) for message in events)

    def write() -> None:
        # once the helper stops reading, the rest were never acknowledged
        with contextlib.suppress(BrokenPipeError, ValueError):
            helper.send_raw(burst)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    acknowledged = []
    for _ in range(20):
        reply = helper.read_reply()
        assert reply["ok"], reply
        acknowledged.append(by_id[reply["id"]])
    helper.proc.send_signal(signal.SIGTERM)
    while True:
        try:
            reply = helper.read_reply()
        except EOFError:
            break
        assert reply["ok"], reply
        acknowledged.append(by_id[reply["id"]])
    assert helper.proc.wait(10) == 0
    writer.join(10)
    stored = ledger_ids(tmp_path)
    print(f"{len(acknowledged)} of {len(events)} acknowledged before SIGTERM took effect")
    assert set(acknowledged) <= set(stored)
    assert len(stored) == len(set(stored))
    helper.close()


# ---------------------------------------------------------------- two helpers


def test_push_when_another_helper_records_usage_for_a_served_account(tmp_path: Path) -> None:
    first = HostProcess(tmp_path)
    second = HostProcess(tmp_path, "/path/to/manifest.json", FIREFOX_ID)
    try:
        served = ask(first, usage(id="a1", credits=3))
        assert served["ok"] and served["tally"]["used"]["total"] == 3
        other = ask(second, usage(id="b1", credits=7))
        assert other["ok"], other
        deadline = time.monotonic() + 8
        push: dict[str, Any] = {}
        while time.monotonic() < deadline:
            message = first.read(timeout=deadline - time.monotonic())
            if message.get("type") == "tally.changed":
                push = message
                break
        assert push, "no tally.changed push from the first helper"
        assert set(push) >= {"v", "type", "account", "tally"} and "id" not in push
        assert push["account"] == ACCOUNT
        assert push["tally"]["used"]["total"] == 10
        assert len(encode(push)) < MAX_REPLY
    finally:
        first.close()
        second.close()


def test_reads_see_another_helpers_commit_at_once(tmp_path: Path) -> None:
    first = HostProcess(tmp_path)
    second = HostProcess(tmp_path)
    try:
        assert ask(first, usage(id="a1", credits=3))["ok"]  # first now caches the account
        assert ask(second, usage(id="b1", credits=7))["ok"]
        status = first.request("status", account=ACCOUNT)  # before any idle refresh
        assert status["accounts"][0]["used"]["total"] == 10
        preflight = first.request("preflight", account=ACCOUNT, operation="image")
        assert preflight["remaining"] == status["accounts"][0]["remaining"]
    finally:
        first.close()
        second.close()


def test_a_commit_first_seen_while_answering_is_still_pushed(tmp_path: Path) -> None:
    first = HostProcess(tmp_path)
    second = HostProcess(tmp_path)
    try:
        assert ask(first, usage(id="a1", credits=3))["ok"]
        assert ask(second, usage(id="b1", credits=7, account="other@example.com"))["ok"]
        assert ask(second, usage(id="b2", credits=7))["ok"]
        assert ask(first, hello())["ok"]  # this request sees the commits first
        assert [push["tally"]["used"]["total"] for push in first.pushes(3)] == [10]
    finally:
        first.close()
        second.close()


def test_a_commit_that_changes_no_tally_pushes_nothing(tmp_path: Path) -> None:
    """A sync's bookkeeping (what a peer holds, when it last synced) commits from another
    connection every minute: the extension must not hear of it, nor of its own usage."""
    from native_host.ledger.events import NewEvent
    from native_host.ledger.store import Ledger

    helper = HostProcess(tmp_path)
    try:
        assert ask(helper, usage(id="a1", credits=3))["ok"]
        assert ask(helper, usage(id="a2", credits=4))["ok"]
        other = Ledger(tmp_path / "ledger.sqlite3")
        other.record_sync("hub", {"someone": 3}, datetime.now(UTC))
        assert helper.pushes(2.5) == []
        body = {"operation": "video", "credits": 50.0}
        other.append([NewEvent(str(uuid.uuid4()), ACCOUNT, "usage", datetime.now(UTC), body)])
        other.close()
        assert [push["tally"]["used"]["total"] for push in helper.pushes(3)] == [57]
    finally:
        helper.close()


# ---------------------------------------------------------------- every kind answers


def test_every_kind_answers_over_pipes_in_en_and_ja(tmp_path: Path) -> None:
    """The happy path of each kind through the real process, preflight and diagnose
    included (their modules are imported on first use, so a missing or broken one
    shows up only here)."""
    helper = HostProcess(tmp_path)
    try:
        now = datetime.now(UTC).replace(microsecond=0)
        # the reading strictly before the usage: equal instants fold in event-id order
        read_at, used_at = (now - timedelta(seconds=s) for s in (2, 1))
        assert ask(helper, balance(balance=100, at=read_at.isoformat()))["ok"]
        assert ask(helper, usage(credits=30, at=used_at.isoformat()))["ok"]
        for language in ("en", "ja"):
            reply = helper.request(
                "preflight", account=ACCOUNT, operation="video", language=language
            )
            assert reply["ok"], reply
            assert reply["level"] in {"ok", "warn", "stop"}
            assert reply["remaining"] == 70
            assert isinstance(reply["message"], str) and reply["message"]
            for key in ("estimated_cost", "reset_at", "reasons", "tips", "alternatives"):
                assert key in reply
            signals = {
                "http_status": [429],
                "requests_last_minute": 90,
                "error_texts": ["Too many requests"],
            }
            reply = helper.request("diagnose", account=ACCOUNT, signals=signals, language=language)
            assert reply["ok"], reply
            steps = reply["steps"]
            assert steps and all(set(step) >= {"id", "why", "how"} for step in steps)
            assert {step["id"] for step in steps} <= PROTOCOL_STEP_IDS
            assert "wait_rate_limit" in {step["id"] for step in steps}
        assert helper.request("diagnose", account=ACCOUNT)["ok"]  # every signal optional
        assert helper.request("config.get")["ok"]
        assert helper.request("config.set", language="ja")["ok"]
        assert helper.request("config.set", account=ACCOUNT, plan="plus")["ok"]
        status = helper.request("status")
        assert status["ok"] and status["accounts"][0]["account"] == ACCOUNT
        assert_hello(helper.request("hello", id="hello-after"))
    finally:
        assert helper.close() == 0
