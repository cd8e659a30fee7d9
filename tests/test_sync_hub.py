"""The hub and its client, for real: websockets on 127.0.0.1, the hub's SQLite file, and
each device's SQLite ledger (open_as). Honest devices use the client (client.py); hostile
ones speak raw websockets (RawDevice), built from the same sans-I/O protocol."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import os
import signal
import socket
import sqlite3
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import ServerConnection
from websockets.asyncio.server import serve as websockets_serve
from websockets.exceptions import ConnectionClosed, InvalidStatus

from devkit.hub_process import hub_process
from native_host.ledger.store import Ledger
from native_host.sync import client
from native_host.sync.client import exchange_once, stay_connected
from native_host.sync.exceptions import TransportError
from native_host.sync.hub import HubLimits, is_loopback, serve, tls_context
from native_host.sync.protocol import (
    CaughtUp,
    Challenge,
    CloseCode,
    DeviceHandshake,
    Enroll,
    Events,
    Have,
    HubHandshake,
    Message,
    Stored,
    Want,
    Welcome,
    encode,
    event_frames,
    parse,
)
from native_host.sync.seal import GroupKeys, derive_keys
from native_host.sync.transfer import Exchanged, SealedEvent, sealed_after
from tests.test_sync_ledger import ACCOUNT, SHARED, new_id, open_as, stored, usage

KEYS = derive_keys(bytes(range(32)))
OTHER = derive_keys(bytes(32))
ROOT = Path(__file__).resolve().parent.parent
DEFAULTS = HubLimits()


def run(body: Callable[[], Any]) -> Any:
    """Run an async test body, failing it after 30 s instead of hanging."""

    async def bounded() -> Any:
        async with asyncio.timeout(30):
            return await body()

    return asyncio.run(bounded())


@asynccontextmanager
async def hub(db: Path, limits: HubLimits = DEFAULTS, port: int = 0) -> AsyncIterator[str]:
    """A hub in this process (`serve`), its URL while the block runs."""
    stop = asyncio.Event()
    listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(
        serve(db, port=port, limits=limits, ready=listening.set_result, stop=stop)
    )
    await asyncio.wait([task, listening], return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        task.result()
    try:
        yield f"ws://127.0.0.1:{listening.result()}"
    finally:
        stop.set()
        await task


def add(ledger: Ledger, count: int, start: float = 0) -> None:
    ledger.append([usage(new_id(), 3600 - start - n / 100, credits=1.0) for n in range(count)])


def same(*ledgers: Ledger) -> None:
    """Every ledger holds the same positions and the same event records."""
    first, *others = ledgers
    for other in others:
        assert other.vector() == first.vector()
        assert stored(other) == stored(first)


class RawDevice:
    """A device that speaks the protocol by hand, to misbehave."""

    def __init__(self, ws: ClientConnection, keys: GroupKeys, device: str) -> None:
        self.ws, self.keys, self.device = ws, keys, device
        self.challenge: Message | None = None  # the hub's, in the last handshake

    @classmethod
    @asynccontextmanager
    async def connected(
        cls, url: str, keys: GroupKeys = KEYS, device: str = "raw", *, small: bool = False
    ) -> AsyncIterator[RawDevice]:
        """`small`: buffers so small that a device that stops reading soon holds up the
        hub's sends to it (the kernel would otherwise buffer megabytes)."""
        if not small:
            async with connect(url) as ws:
                yield cls(ws, keys, device)
            return
        host, port = url.removeprefix("ws://").rsplit(":", 1)
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
        async with connect(url, sock=sock, max_queue=1, compression=None) as ws:
            yield cls(ws, keys, device)

    async def send(self, message: Message) -> None:
        await self.ws.send(encode(message))

    async def receive(self) -> Message:
        return parse(await self.ws.recv())

    async def authenticate(self, enroll: bool = False) -> list[Message]:
        """The handshake; returns what was sent (hello, proof), to replay."""
        handshake = DeviceHandshake(self.keys, self.device)
        if enroll:
            await self.send(Enroll(self.keys.handshake))
        sent: list[Message] = [handshake.start()]
        await self.send(sent[0])
        self.challenge = await self.receive()
        proof = handshake.receive(self.challenge)
        assert proof is not None
        sent.append(proof)
        await self.send(proof)
        assert handshake.receive(await self.receive()) is None
        return sent

    async def closed_with(self) -> int:
        """The code the hub closes with, reading (and dropping) anything before it."""
        with contextlib.suppress(ConnectionClosed):
            while True:
                await self.ws.recv()
        assert self.ws.close_code is not None
        return self.ws.close_code


def items(device: str, seqs: list[int]) -> list[SealedEvent]:
    """Opaque payloads at positions, as a hub sees them (it cannot tell them apart)."""
    return [SealedEvent(device, seq, bytes([seq % 256]) * 40) for seq in seqs]


@pytest.fixture
def ledgers(tmp_path: Path) -> Iterator[list[Ledger]]:
    opened = [open_as(tmp_path / f"{name}.sqlite3", f"dev-{name}") for name in "abc"]
    yield opened
    for ledger in opened:
        ledger.close()


# ---------------------------------------------------------------- converging


def test_two_and_then_three_devices_converge_through_a_hub_that_enrolls_the_group(
    tmp_path: Path, ledgers: list[Ledger]
) -> None:
    a, b, c = ledgers
    add(a, 5)
    add(b, 3)
    add(c, 2)

    async def body() -> None:
        async with hub(tmp_path / "hub.sqlite3") as url:
            assert await exchange_once(a, KEYS, url) == Exchanged(sent=5)  # enrolled first
            assert await exchange_once(b, KEYS, url) == Exchanged(sent=3, received=5)
            assert await exchange_once(a, KEYS, url) == Exchanged(received=3)
            same(a, b)
            assert await exchange_once(c, KEYS, url) == Exchanged(sent=2, received=8)
            for ledger in (a, b):
                assert await exchange_once(ledger, KEYS, url) == Exchanged(received=2)
            assert await exchange_once(c, KEYS, url) == Exchanged()

    run(body)
    same(a, b, c)
    assert a.vector() == {"dev-a": 5, "dev-b": 3, "dev-c": 2}
    peer = a.peer("hub")
    assert peer is not None and peer.vector == a.vector() and peer.last_error is None
    assert peer.last_sync_at is not None


def test_a_device_offline_for_a_while_catches_up_exactly(
    tmp_path: Path, ledgers: list[Ledger]
) -> None:
    a, b, c = ledgers
    add(c, 1)

    async def body() -> None:
        async with hub(tmp_path / "hub.sqlite3") as url:
            await exchange_once(c, KEYS, url)
            for round_ in range(3):  # c is away: a and b go on without it
                add(a, 40, start=round_ * 100)
                add(b, 25, start=round_ * 100 + 50)
                await exchange_once(a, KEYS, url)
                await exchange_once(b, KEYS, url)
            await exchange_once(a, KEYS, url)
            before = c.vector()
            assert await exchange_once(c, KEYS, url) == Exchanged(received=3 * 65)
            assert c.events_after(before) == a.events_after(before)

    run(body)
    same(a, b, c)


def test_a_hub_killed_mid_exchange_loses_nothing_it_acknowledged_and_catch_up_ends_equal(
    tmp_path: Path, ledgers: list[Ledger]
) -> None:
    a, b, _ = ledgers
    add(a, 4000)  # about 16 frames: the hub dies after the first is durable
    db = tmp_path / "hub.sqlite3"

    def held_at_hub() -> int:
        try:
            with contextlib.closing(sqlite3.connect(db)) as hub_db:
                return int(hub_db.execute("SELECT COUNT(*) FROM events").fetchone()[0])
        except sqlite3.OperationalError:  # not created yet
            return 0

    async def body() -> None:
        with hub_process(db) as (process, url):
            exchange = asyncio.create_task(exchange_once(a, KEYS, url))
            while not held_at_hub() and not exchange.done():
                await asyncio.sleep(0.002)
            os.kill(process.pid, signal.SIGKILL)
            with pytest.raises(TransportError) as failed:
                await exchange
            assert failed.value.reason in {"unreachable", "timeout"}
        peer = a.peer("hub")
        assert peer is not None and peer.last_error == failed.value.reason
        durable = held_at_hub()
        assert 0 < durable < 4000
        with hub_process(db) as (_, url):
            assert await exchange_once(a, KEYS, url) == Exchanged(sent=4000 - durable)
            assert await exchange_once(b, KEYS, url) == Exchanged(received=4000)

    run(body)
    same(a, b)


def test_duplicated_and_reordered_deliveries_are_harmless(
    tmp_path: Path, ledgers: list[Ledger]
) -> None:
    a, b, _ = ledgers
    add(a, 6)
    sealed = sealed_after(a, KEYS, {})

    async def body() -> None:
        async with hub(tmp_path / "hub.sqlite3") as url:
            async with RawDevice.connected(url, device="dev-a") as device:
                await device.authenticate(enroll=True)
                await device.send(Have({}))
                assert isinstance(await device.receive(), Want)
                assert isinstance(await device.receive(), CaughtUp)
                vectors = []
                for batch in ([5, 4], [2, 5], [0, 1], [0, 1, 2, 3, 4, 5], [3, 3]):
                    await device.send(Events(tuple(sealed[i] for i in batch)))
                    answer = await device.receive()
                    assert isinstance(answer, Stored)
                    vectors.append(answer.vector)
                assert vectors == [
                    {"dev-a": 0},
                    {"dev-a": 0},
                    {"dev-a": 3},
                    {"dev-a": 6},
                    {"dev-a": 6},
                ]
            assert await exchange_once(b, KEYS, url) == Exchanged(received=6)
            twice = [*sealed[3:], *sealed[:3], *sealed]
            async with RawDevice.connected(url, device="dev-a") as device:
                await device.authenticate()
                await device.send(Have({}))
                await device.receive()
                await device.send(Events(tuple(twice)))
                while not isinstance(await device.receive(), Stored):
                    pass
            assert await exchange_once(b, KEYS, url) == Exchanged()
            assert await exchange_once(a, KEYS, url) == Exchanged()

    run(body)
    same(a, b)


# ---------------------------------------------------------------- live


async def until(condition: Callable[[], bool], seconds: float = 5.0) -> float:
    """Wait until `condition` holds; returns how long it took."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, "not within the time allowed"
        await asyncio.sleep(0.01)
    return time.monotonic() - start


def test_events_recorded_on_one_device_reach_the_connected_others_without_an_exchange(
    tmp_path: Path, ledgers: list[Ledger]
) -> None:
    a, b, c = ledgers
    helper_a = Ledger(a.path)  # the helper records; the sync connection notices
    changes: list[Exchanged] = []

    async def body() -> None:
        stop = asyncio.Event()
        async with hub(tmp_path / "hub.sqlite3") as url:
            running = [
                asyncio.create_task(stay_connected(a, KEYS, url, stop=stop)),
                asyncio.create_task(stay_connected(b, KEYS, url, stop=stop)),
                asyncio.create_task(
                    stay_connected(c, KEYS, url, stop=stop, on_change=changes.append)
                ),
            ]
            await until(lambda: all(ledger.peer("hub") is not None for ledger in ledgers))
            add(helper_a, 3)
            took = await until(lambda: b.vector() == c.vector() == {"dev-a": 3})
            assert took < 1.0
            add(helper_a, 2, start=10)
            await until(lambda: b.vector() == c.vector() == {"dev-a": 5})
            stop.set()
            await asyncio.gather(*running)

    run(body)
    helper_a.close()
    same(a, b, c)
    assert sum(change.received for change in changes) == 5


def test_a_kept_connection_comes_back_after_the_hub_restarts(
    tmp_path: Path, ledgers: list[Ledger], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client, "FIRST_BACKOFF", 0.05)
    a, b, _ = ledgers
    helper_a = Ledger(a.path)
    db = tmp_path / "hub.sqlite3"

    async def body() -> None:
        stop = asyncio.Event()
        async with hub(db) as url:
            port = int(url.rsplit(":", 1)[1])
            running = [
                asyncio.create_task(stay_connected(ledger, KEYS, url, stop=stop))
                for ledger in (a, b)
            ]
            add(helper_a, 2)
            await until(lambda: b.vector() == {"dev-a": 2})
        await until(lambda: (b.peer("hub") or pytest.fail()).last_error == "unreachable")
        add(helper_a, 3, start=10)  # while the hub is down
        async with hub(db, port=port):
            await until(lambda: b.vector() == {"dev-a": 5})
            await until(lambda: (b.peer("hub") or pytest.fail()).last_error is None)
            stop.set()
            await asyncio.gather(*running)

    run(body)
    helper_a.close()
    same(a, b)


# ---------------------------------------------------------------- refused


def test_a_device_with_the_wrong_secret_is_refused_and_changes_nothing(
    tmp_path: Path, ledgers: list[Ledger]
) -> None:
    a, b, _ = ledgers
    add(a, 2)
    add(b, 2)
    impostor = GroupKeys(KEYS.group_id, OTHER.handshake, OTHER.payload)

    async def body() -> None:
        async with hub(tmp_path / "hub.sqlite3") as url:
            await exchange_once(a, KEYS, url)
            with pytest.raises(TransportError) as refused:
                await exchange_once(b, impostor, url)
            assert refused.value.reason == "authentication"
            async with RawDevice.connected(url, impostor) as device:
                await device.send(DeviceHandshake(impostor, "x").start())
                await device.receive()  # the challenge
                await device.send(parse(json.dumps({"type": "proof", "mac": "00" * 32})))
                assert await device.closed_with() == CloseCode.AUTHENTICATION
            assert await exchange_once(a, KEYS, url) == Exchanged()  # the hub holds a's only

    run(body)
    peer = b.peer("hub")
    assert peer is not None and peer.last_error == "authentication"
    assert b.vector() == {"dev-b": 2}


def test_a_replayed_handshake_is_refused(tmp_path: Path) -> None:
    async def body() -> None:
        async with hub(tmp_path / "hub.sqlite3") as url:
            async with RawDevice.connected(url) as device:
                hello, proof = await device.authenticate(enroll=True)
            async with RawDevice.connected(url) as eavesdropper:
                await eavesdropper.send(hello)
                assert await eavesdropper.receive() != device.challenge  # a fresh nonce
                await eavesdropper.send(proof)
                assert await eavesdropper.closed_with() == CloseCode.AUTHENTICATION

    run(body)


def test_a_browser_page_gets_no_websocket(tmp_path: Path) -> None:
    """A request with an Origin header is refused at the HTTP upgrade (403)."""

    async def body() -> None:
        async with hub(tmp_path / "hub.sqlite3") as url:
            with pytest.raises(InvalidStatus) as refused:
                async with connect(url, origin="https://www.genspark.ai"):  # type: ignore[arg-type]
                    pass
            assert refused.value.response.status_code == 403
            async with RawDevice.connected(url) as device:  # no Origin: welcome
                await device.authenticate(enroll=True)

    run(body)


def test_garbage_and_oversize_frames_are_refused_while_honest_devices_keep_syncing(
    tmp_path: Path, ledgers: list[Ledger]
) -> None:
    a, b, _ = ledgers
    helper_a = Ledger(a.path)
    hello = '{"type":"hello","v":1,"group":"%s","device":"x","nonce":"%s"}'
    good_hello = hello % (KEYS.group_id.hex(), "01" * 32)

    async def attack(url: str, frames: list[str | bytes], authenticate: bool) -> int:
        async with RawDevice.connected(url) as device:
            if authenticate:
                await device.authenticate()
                await device.send(Have({}))
            for frame in frames:
                with contextlib.suppress(ConnectionClosed):
                    await device.ws.send(frame)
            return await device.closed_with()

    async def body() -> None:
        stop = asyncio.Event()
        async with hub(tmp_path / "hub.sqlite3") as url:
            running = [
                asyncio.create_task(stay_connected(ledger, KEYS, url, stop=stop))
                for ledger in (a, b)
            ]
            await until(lambda: b.peer("hub") is not None)
            short = '{"type":"events","items":[{"device":"a","seq":1,"sealed":"00"}]}'
            attacks = {
                "not JSON": ([b"\xff\xfe", "{"], False, CloseCode.PROTOCOL),
                "a binary frame": ([encode(Have({})).encode()], True, CloseCode.PROTOCOL),
                "garbage after the handshake": (["[1, 2"], True, CloseCode.PROTOCOL),
                "a sealed payload too short": ([short], True, CloseCode.PROTOCOL),
                "a second hello": ([good_hello, good_hello], False, CloseCode.PROTOCOL),
                "a wrong hello": ([hello % ("ab" * 16, "00")], False, CloseCode.PROTOCOL),
                "an unknown group": ([hello % ("ab" * 16, "00" * 32)], False, 4003),
                "a frame over 256 KiB": (["x" * (300 * 1024)], True, 1009),
                "deep nesting": (["[" * 200_000], True, CloseCode.PROTOCOL),
            }
            for round_ in range(3):
                results = await asyncio.gather(
                    *(attack(url, frames, auth) for frames, auth, _ in attacks.values())
                )
                assert dict(zip(attacks, results, strict=True)) == {
                    name: code for name, (_, _, code) in attacks.items()
                }
                add(helper_a, 5, start=round_ * 100)
                await until(lambda n=round_: b.vector() == {"dev-a": 5 * (n + 1)})
            stop.set()
            await asyncio.gather(*running)

    run(body)
    helper_a.close()
    same(a, b)


def test_the_hub_closes_on_its_limits_with_their_codes(
    tmp_path: Path, ledgers: list[Ledger]
) -> None:
    a, b, _ = ledgers
    limits = HubLimits(
        auth_seconds=1.0,
        messages_per_second=5,
        burst=10,
        groups=1,
        bytes_per_group=2000,
    )

    async def body() -> None:
        async with hub(tmp_path / "hub.sqlite3", limits) as url:
            async with RawDevice.connected(url) as slow:  # says nothing
                assert await slow.closed_with() == CloseCode.TOO_SLOW
            async with RawDevice.connected(url) as chatty:
                await chatty.authenticate(enroll=True)  # 3 messages with enroll
                await chatty.send(Have({}))
                for seq in range(1, 20):
                    with contextlib.suppress(ConnectionClosed):
                        await chatty.send(Events(tuple(items("dev-x", [seq]))))
                assert await chatty.closed_with() == CloseCode.RATE_LIMITED
            async with RawDevice.connected(url) as big:  # 40 bytes an item, 2000 at most
                await big.authenticate()
                await big.send(Have({}))
                await big.send(Events(tuple(items("dev-y", list(range(1, 60))))))
                assert await big.closed_with() == CloseCode.TOO_LARGE
            with pytest.raises(TransportError) as full:  # a second group: not enrolled
                await exchange_once(a, OTHER, url)
            assert full.value.reason == "unknown_group"
            got = await exchange_once(b, KEYS, url)  # what chatty stored before its cap
            assert got.received == 0 and 6 <= got.refused < 19  # not this group's payloads
        async with (
            hub(tmp_path / "other.sqlite3", HubLimits(connections_per_group=2)) as url,
            RawDevice.connected(url) as one,
            RawDevice.connected(url) as two,
            RawDevice.connected(url) as third,
        ):
            await one.authenticate(enroll=True)
            await two.authenticate()
            with pytest.raises(ConnectionClosed):  # no welcome
                await third.authenticate()
            assert await third.closed_with() == CloseCode.TOO_MANY_CONNECTIONS
        async with (
            hub(tmp_path / "third.sqlite3", HubLimits(authenticating=2)) as url,
            RawDevice.connected(url),
            RawDevice.connected(url),
            RawDevice.connected(url) as late,
        ):  # anyone may open connections and say nothing: they are capped until they do
            assert await late.closed_with() == CloseCode.TOO_MANY_CONNECTIONS
        async with hub(tmp_path / "third.sqlite3", HubLimits(authenticating=2)) as url:
            for _ in range(3):  # a refused or finished handshake frees its place
                async with RawDevice.connected(url) as device:
                    await device.authenticate(enroll=True)

    run(body)


def test_an_unreachable_hub_is_a_transport_error_recorded_in_the_ledger(
    tmp_path: Path, ledgers: list[Ledger]
) -> None:
    a = ledgers[0]

    async def body() -> None:
        async with hub(tmp_path / "hub.sqlite3") as url:
            await exchange_once(a, KEYS, url)
        with pytest.raises(TransportError) as failed:
            await exchange_once(a, KEYS, url, timeout=2)
        assert failed.value.reason == "unreachable"

    run(body)
    peer = a.peer("hub")
    assert peer is not None and peer.last_error == "unreachable"
    assert peer.last_sync_at is not None  # the last success is kept


def test_off_loopback_the_hub_wants_tls_or_insecure(tmp_path: Path) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("hub.example.org")
    with pytest.raises(ValueError, match="not a loopback address"):
        run(lambda: serve(tmp_path / "hub.sqlite3", "0.0.0.0", 0))
    assert not (tmp_path / "hub.sqlite3").exists()


# ---------------------------------------------------------------- isolation, privacy


def test_groups_are_isolated_even_with_the_same_device_ids(
    tmp_path: Path, ledgers: list[Ledger]
) -> None:
    a, b, c = ledgers
    other_b = open_as(tmp_path / "other-b.sqlite3", "dev-b")  # same id, other group
    add(a, 3)
    add(other_b, 4)
    helper_a = Ledger(a.path)

    async def body() -> None:
        stop = asyncio.Event()
        async with hub(tmp_path / "hub.sqlite3") as url:
            running = [
                asyncio.create_task(stay_connected(ledger, keys, url, stop=stop))
                for ledger, keys in ((a, KEYS), (b, KEYS), (other_b, OTHER), (c, OTHER))
            ]
            await until(lambda: b.vector() == {"dev-a": 3} and c.vector() == {"dev-b": 4})
            add(helper_a, 2, start=10)
            await until(lambda: b.vector() == {"dev-a": 5})
            await asyncio.sleep(0.3)
            stop.set()
            await asyncio.gather(*running)

    run(body)
    helper_a.close()
    assert a.vector() == b.vector() == {"dev-a": 5}
    assert other_b.vector() == c.vector() == {"dev-b": 4}
    other_b.close()


def test_the_hubs_file_and_the_logs_hold_no_account_operation_or_event_id(
    tmp_path: Path, ledgers: list[Ledger], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    a, b, _ = ledgers
    add(a, 20)
    add(b, 20)
    db = tmp_path / "hub.sqlite3"

    async def body() -> None:
        async with hub(db) as url:
            for ledger in (a, b, a):
                await exchange_once(ledger, KEYS, url)

    run(body)
    held = b"".join(path.read_bytes() for path in tmp_path.glob("hub.sqlite3*"))
    assert len(held) > 20 * 2 * 40
    secrets_of_the_group = [KEYS.payload, bytes(range(32))]
    plaintext = [ACCOUNT, "example.com", "image", "usage", "credits"]
    ids = [event.event_id for event in a.events(ACCOUNT)]
    for text in [*plaintext, *ids, *(i.replace("-", "") for i in ids)]:
        assert text.encode() not in held and text.encode("utf-16-le") not in held
    for secret in secrets_of_the_group:
        assert secret not in held and secret.hex().encode() not in held
    logged = caplog.text
    assert "connected" in logged  # the hub and the client did log, at DEBUG and up
    with contextlib.closing(sqlite3.connect(db)) as hub_db:
        payloads = [sealed.hex()[:8] for (sealed,) in hub_db.execute("SELECT sealed FROM events")]
    assert len(payloads) == 40
    keys = [KEYS.handshake.hex()[:12], KEYS.payload.hex()[:12]]
    hidden = [*plaintext, *ids, *payloads, *keys]  # prefixes: websockets cuts what it logs
    assert not [text for text in hidden if text in logged]


def test_frames_the_client_sends_fit_the_hubs_limit(ledgers: list[Ledger]) -> None:
    """A large history goes up in several frames, each under 256 KiB."""
    a = ledgers[0]
    add(a, 2000)
    frames = list(event_frames(sealed_after(a, KEYS, {})))
    assert len(frames) > 3
    assert all(len(encode(frame)) <= 256 * 1024 for frame in frames)


# ---------------------------------------------------------------- a hub that is not one


@asynccontextmanager
async def fake_hub(answer: Callable[[ServerConnection], Awaitable[None]]) -> AsyncIterator[int]:
    """A websocket server that answers as `answer` says (a broken or hostile hub)."""
    async with websockets_serve(answer, "127.0.0.1", 0) as server:
        yield next(iter(server.sockets)).getsockname()[1]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that nobody trusts, and its key, made here."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "hub.crt", folder / "hub.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


async def garbage(ws: ServerConnection) -> None:
    await ws.recv()
    await ws.send("{not json")
    await ws.wait_closed()


async def forged_welcome(ws: ServerConnection) -> None:
    await ws.recv()
    await ws.send(encode(Challenge(bytes(32))))
    await ws.recv()
    await ws.send(encode(Welcome(bytes(32))))
    await ws.wait_closed()


async def silent(ws: ServerConnection) -> None:
    await ws.wait_closed()


async def out_of_turn(ws: ServerConnection) -> None:
    """A hub with the key (it passes the handshake) that then sends `caught_up` first."""
    handshake = HubHandshake({KEYS.group_id: KEYS.handshake}.get)
    await ws.send(encode(handshake.receive(parse(await ws.recv()))))
    await ws.send(encode(handshake.receive(parse(await ws.recv()))))
    await ws.recv()
    await ws.send(encode(CaughtUp()))
    await ws.wait_closed()


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (garbage, "protocol"),
        (forged_welcome, "authentication"),
        (silent, "timeout"),
        (out_of_turn, "protocol"),
    ],
)
def test_a_hub_that_misbehaves_is_a_transport_error_with_its_reason(
    answer: Callable[[ServerConnection], Awaitable[None]], reason: str, ledgers: list[Ledger]
) -> None:
    a = ledgers[0]
    add(a, 1)

    async def body() -> None:
        async with fake_hub(answer) as port:
            with pytest.raises(TransportError) as failed:
                await exchange_once(a, KEYS, f"ws://127.0.0.1:{port}", timeout=0.5)
            assert failed.value.reason == reason

    run(body)
    assert a.vector() == {"dev-a": 1}
    peer = a.peer("hub")
    assert peer is not None and peer.last_error == reason


def test_a_tls_hub_syncs_over_wss_and_tls_mistakes_are_tls_errors(
    tmp_path: Path, ledgers: list[Ledger], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over wss:// with a certificate the device trusts, the exchange works; with one it
    does not trust, or ws:// to the TLS port, it fails as `tls`."""
    a, b, _ = ledgers
    add(a, 3)
    cert, key = self_signed(tmp_path)
    context = tls_context(cert, key)

    async def body() -> None:
        stop = asyncio.Event()
        listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        hub_db = tmp_path / "hub.sqlite3"
        task = asyncio.create_task(
            serve(hub_db, ssl=context, ready=listening.set_result, stop=stop, port=0)
        )
        port = await listening
        for url in (f"wss://127.0.0.1:{port}", f"ws://127.0.0.1:{port}"):
            with pytest.raises(TransportError) as failed:
                await exchange_once(a, KEYS, url, timeout=2)
            assert failed.value.reason == "tls"
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # what a user's trust store would do
        assert await exchange_once(a, KEYS, f"wss://127.0.0.1:{port}") == Exchanged(sent=3)
        assert await exchange_once(b, KEYS, f"wss://127.0.0.1:{port}") == Exchanged(received=3)
        stop.set()
        await task

    run(body)
    same(a, b)


# ---------------------------------------------------------------- random schedules

steps = st.lists(
    st.tuples(st.sampled_from(["record", "shared", "exchange", "restart"]), st.integers(0, 2)),
    max_size=14,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_any_schedule_of_events_exchanges_and_hub_restarts_ends_equal_everywhere(
    schedule: list[tuple[str, int]],
) -> None:
    """Devices record (alone, or the same operation as another device), exchange, and the
    hub restarts, in any order; after everyone exchanges twice, all hold the same."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        devices = [open_as(root / f"{n}.sqlite3", f"dev-{n}") for n in range(3)]

        async def body() -> None:
            port = 0
            for step, (kind, who) in enumerate(schedule):
                if kind == "record":
                    add(devices[who], 2, start=step)
                elif kind == "shared":  # one operation seen by two devices, one id
                    event = usage(SHARED[step % len(SHARED)], 600 - step, credits=3.0)
                    devices[who].append([event])
                    devices[(who + 1) % 3].append([event])
                else:
                    async with hub(root / "hub.sqlite3", port=port) as url:
                        port = int(url.rsplit(":", 1)[1])
                        if kind == "exchange":
                            await exchange_once(devices[who], KEYS, url)
            async with hub(root / "hub.sqlite3", port=port) as url:
                for device in devices * 2:
                    await exchange_once(device, KEYS, url)

        try:
            run(body)
            same(*devices)
        finally:
            for device in devices:
                device.close()


def test_staying_connected_to_no_hub_records_the_failure_and_stops_when_told(
    tmp_path: Path, ledgers: list[Ledger]
) -> None:
    a = ledgers[0]

    async def body() -> None:
        async with hub(tmp_path / "hub.sqlite3") as url:
            pass  # a port nobody listens on any more
        stop = asyncio.Event()
        running = asyncio.create_task(stay_connected(a, KEYS, url, stop=stop))
        await until(lambda: a.peer("hub") is not None)
        stop.set()
        start = time.monotonic()
        await running  # never raises on a transport failure
        assert time.monotonic() - start < 0.5

    run(body)
    peer = a.peer("hub")
    assert peer is not None and peer.last_error == "unreachable" and peer.last_sync_at is None


def test_a_device_that_stops_reading_is_closed_and_the_others_go_on(tmp_path: Path) -> None:
    limits = HubLimits(pending_frames=3)

    async def body() -> None:
        async with (
            hub(tmp_path / "hub.sqlite3", limits) as url,
            RawDevice.connected(url, device="stuck", small=True) as stuck,
            RawDevice.connected(url, device="busy") as busy,
            RawDevice.connected(url, device="other") as other,
        ):
            await stuck.authenticate(enroll=True)
            await stuck.send(Have({}))  # and reads nothing from now on
            for device in (busy, other):
                await device.authenticate()
                await device.send(Have({}))
            big = [SealedEvent("busy", seq, os.urandom(120_000)) for seq in range(1, 41)]
            pushed = 0
            for item in big:
                await busy.send(Events((item,)))
                while not isinstance(await busy.receive(), Stored):
                    pass
                while pushed < item.seq:  # `other` reads along
                    if isinstance(message := await other.receive(), Events):
                        pushed += len(message.items)
            assert await stuck.closed_with() == 1013

    run(body)
