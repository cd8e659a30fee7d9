"""The hub: a websockets server that keeps each group's sealed events so late devices
catch up, and passes what one device uploads to the group's other connected devices.

A thin shell around the sans-I/O protocol (protocol.py) and an SQLite store
(hubstore.py). Per connection: the handshake (with `enroll` first if the device asks),
within `HubLimits.auth_seconds`; then `have` → `want`, the events the device lacks and
`caught_up` (a task of its own, so the hub keeps reading); then each `events` frame from
the device is stored, acknowledged with `stored` once durable, and pushed to the group's
other connections. Every send goes through the connection's outbox, written by one task,
so a slow device never holds up the others: one that falls too far behind is closed.

Anything a device sends that is not the protocol closes that connection with a code
(protocol.CloseCode, the table in docs/PROTOCOL.md); nothing closes the hub. The log
names groups by the first 8 hex digits of their id and never holds a payload.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import ssl as ssl_module
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from websockets.asyncio.server import ServerConnection
from websockets.asyncio.server import serve as websockets_serve
from websockets.exceptions import ConnectionClosed

from native_host.sync.exceptions import AuthenticationError, MessageError
from native_host.sync.hubstore import GroupFull, HubStore
from native_host.sync.protocol import (
    MAX_MESSAGE_BYTES,
    CaughtUp,
    CloseCode,
    Enroll,
    Events,
    Have,
    Hello,
    HubHandshake,
    Message,
    Stored,
    answer_have,
    encode,
    event_frames,
    parse,
)
from native_host.sync.seal import group_id_of
from native_host.sync.transfer import SealedEvent

log = logging.getLogger(__name__)
# websockets logs every frame at DEBUG; never here, whatever the level of the root logger.
WEBSOCKETS_LOG = logging.getLogger(f"{__name__}.websockets")
WEBSOCKETS_LOG.setLevel(logging.INFO)

T = TypeVar("T")
CATCH_UP_PAGE = 2**20  # payload bytes read from the store at a time for a catch-up
CLOSE_SECONDS = 2.0  # for a device to answer the hub's close before the socket is cut
SLOW_DEVICE = 1013  # "try again later": the device fell too far behind the pushes


@dataclass(frozen=True)
class HubLimits:
    """What one hub allows; the defaults suit a household's devices on one hub."""

    auth_seconds: float = 5.0  # from the TCP connection to a good proof
    messages_per_second: float = 50.0  # per connection, on average...
    burst: int = 200  # ...with this many at once
    connections_per_group: int = 50
    authenticating: int = 100  # connections not yet authenticated, all groups together
    groups: int = 1000
    bytes_per_group: int = 256 * 2**20  # of sealed payloads
    pending_frames: int = 1000  # frames waiting for a device before it is closed as slow


class _Refused(Exception):
    """Close this connection with `code`; `reason` is short, constant text."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class _Connection:
    """One device's connection: its rate budget, and an outbox one task writes from."""

    def __init__(self, ws: ServerConnection, limits: HubLimits) -> None:
        self.ws = ws
        self.limits = limits
        self.tokens = float(limits.burst)
        self.refilled = time.monotonic()
        self.outbox: asyncio.Queue[str] = asyncio.Queue()
        self.writer = asyncio.create_task(self._write())
        self.receiving = False  # pushes go only to a device that said `have`
        self.closing: asyncio.Task[None] | None = None
        self.name = "?"

    async def receive(self) -> Message:
        data = await self.ws.recv()
        now = time.monotonic()
        rate = self.limits.messages_per_second
        self.tokens = min(self.limits.burst, self.tokens + (now - self.refilled) * rate)
        self.refilled = now
        if self.tokens < 1:
            raise _Refused(CloseCode.RATE_LIMITED, "too many messages")
        self.tokens -= 1
        if not isinstance(data, str):
            raise _Refused(CloseCode.PROTOCOL, "messages are text frames")
        try:
            return parse(data)
        except MessageError:
            raise _Refused(CloseCode.PROTOCOL, "not a message of the protocol") from None

    async def expect(self, kind: type[T]) -> T:
        message = await self.receive()
        if not isinstance(message, kind):
            raise _Refused(CloseCode.PROTOCOL, "a message out of turn")
        return message

    def send(self, message: Message) -> None:
        self.outbox.put_nowait(encode(message))

    def push(self, text: str) -> None:
        """Queue another device's events; a device too far behind is closed (it catches
        up when it comes back)."""
        if self.closing is not None:
            return
        if self.outbox.qsize() >= self.limits.pending_frames:
            log.info("closing %s: too far behind", self.name)
            self.writer.cancel()
            self.closing = asyncio.create_task(self.ws.close(SLOW_DEVICE, "too far behind"))
            return
        self.outbox.put_nowait(text)

    async def drained(self) -> None:
        await self.outbox.join()

    async def _write(self) -> None:
        while True:
            text = await self.outbox.get()
            try:
                await self.ws.send(text)
            except ConnectionClosed:
                return
            finally:
                self.outbox.task_done()


class Hub:
    """The connections of every group, and the store behind them (one thread)."""

    def __init__(self, store: HubStore, limits: HubLimits) -> None:
        self.store = store
        self.limits = limits
        self.keys = store.keys()
        self.live: dict[bytes, set[_Connection]] = {}
        self.authenticating = 0  # connections before their proof: capped, as anyone may open one
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hub-store")

    def close(self) -> None:
        self._thread.shutdown()
        self.store.close()

    async def _stored(self, call: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, call, *args)

    async def handle(self, ws: ServerConnection) -> None:
        """One connection, from the first message to its close; never raises."""
        conn = _Connection(ws, self.limits)
        group: bytes | None = None
        try:
            if self.authenticating >= self.limits.authenticating:
                raise _Refused(CloseCode.TOO_MANY_CONNECTIONS, "too many connections at once")
            self.authenticating += 1
            try:
                async with asyncio.timeout(self.limits.auth_seconds):
                    group = await self._authenticate(conn)
            except TimeoutError:
                raise _Refused(CloseCode.TOO_SLOW, "authenticate sooner") from None
            finally:
                self.authenticating -= 1
            await self._exchange(conn, group)
        except _Refused as refused:
            log.info("closing %s: %s (%d)", conn.name, refused.reason, refused.code)
            await _close(ws, refused.code, refused.reason)
        except ConnectionClosed:
            pass
        except Exception:
            log.exception("closing %s after an error of the hub", conn.name)
            await _close(ws, 1011, "the hub failed")
        finally:
            conn.writer.cancel()
            if group is not None:
                self.live[group].discard(conn)
                if not self.live[group]:
                    del self.live[group]

    async def _authenticate(self, conn: _Connection) -> bytes:
        """Returns the group of a device that proved it knows the group's key."""
        message = await conn.receive()
        if isinstance(message, Enroll):
            await self._enroll(message.key)
            message = await conn.receive()
        handshake = HubHandshake(self.keys.get)
        try:
            conn.send(handshake.receive(message))
        except AuthenticationError:
            raise _Refused(CloseCode.UNKNOWN_GROUP, "no such group here") from None
        except MessageError:
            raise _Refused(CloseCode.PROTOCOL, "a message out of turn") from None
        assert isinstance(message, Hello)  # the handshake took it as one
        conn.name = f"{message.group.hex()[:8]}/{message.device}"
        try:
            welcome = handshake.receive(await conn.receive())
        except AuthenticationError:
            raise _Refused(CloseCode.AUTHENTICATION, "wrong proof") from None
        except MessageError:
            raise _Refused(CloseCode.PROTOCOL, "a message out of turn") from None
        group = handshake.peer.group
        connections = self.live.setdefault(group, set())
        if len(connections) >= self.limits.connections_per_group:
            raise _Refused(CloseCode.TOO_MANY_CONNECTIONS, "too many connections for the group")
        connections.add(conn)
        conn.send(welcome)
        log.info("%s connected", conn.name)
        return group

    async def _enroll(self, key: bytes) -> None:
        group = group_id_of(key)
        if group in self.keys:
            return
        if not await self._stored(self.store.enroll, group, key, self.limits.groups):
            raise _Refused(CloseCode.HUB_FULL, "this hub keeps no more groups")
        self.keys[group] = key
        log.info("enrolled group %s", group.hex()[:8])

    async def _exchange(self, conn: _Connection, group: bytes) -> None:
        """`have` → `want` and the catch-up (its own task), then every upload."""
        have = await conn.expect(Have)
        conn.receiving = True  # before reading the store: nothing stored later is missed
        catching_up = asyncio.create_task(self._catch_up(conn, group, dict(have.vector)))
        try:
            while True:
                events = await conn.expect(Events)
                try:
                    new, vector = await self._stored(
                        self.store.add, group, events.items, self.limits.bytes_per_group
                    )
                except GroupFull:
                    raise _Refused(CloseCode.TOO_LARGE, "the group holds too much") from None
                conn.send(Stored(vector))
                self._push(group, conn, new)
        finally:
            catching_up.cancel()

    async def _catch_up(self, conn: _Connection, group: bytes, cursor: dict[str, int]) -> None:
        """`want`, then what the device lacks a page at a time (each sent before the next
        is read: a large history never sits in memory whole), then `caught_up`."""
        try:
            vector = await self._stored(self.store.vector, group)
            conn.send(answer_have(vector, Have(cursor)))
            while page := await self._stored(self.store.after, group, cursor, CATCH_UP_PAGE):
                for frame in event_frames(page):
                    conn.send(frame)
                for item in page:
                    cursor[item.device] = item.seq
                await conn.drained()
            conn.send(CaughtUp())
        except Exception:
            log.exception("closing %s: its catch-up failed", conn.name)
            await conn.ws.close(1011, "the hub failed")

    def _push(self, group: bytes, sender: _Connection, new: list[SealedEvent]) -> None:
        """Each frame encoded once, shared by every other connection of the group."""
        others = [c for c in self.live.get(group, ()) if c is not sender and c.receiving]
        if not (new and others):
            return
        for frame in event_frames(new):
            text = encode(frame)
            for other in others:
                other.push(text)


async def _close(ws: ServerConnection, code: int, reason: str) -> None:
    """Close, reading and dropping what the device still sends meanwhile: frames left
    unread would hold up its answer to the close (the receive buffer is bounded)."""

    async def discard() -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                await ws.recv()

    discarding = asyncio.create_task(discard())
    try:
        await ws.close(code, reason)
    finally:
        discarding.cancel()


def tls_context(certificate: Path, key: Path) -> ssl_module.SSLContext:
    """The server side of TLS from PEM files (`--tls-cert`, `--tls-key`). Raises OSError
    when a file cannot be read, ssl.SSLError when they are not a certificate and its key."""
    context = ssl_module.SSLContext(ssl_module.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl_module.TLSVersion.TLSv1_2
    context.load_cert_chain(certificate, key)
    return context


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def serve(
    db_path: Path,
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    ssl: ssl_module.SSLContext | None = None,
    insecure: bool = False,
    limits: HubLimits = HubLimits(),  # frozen: one shared default is safe
    ready: Callable[[int], None] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run a hub on `host`:`port` keeping its groups in the SQLite file `db_path`, until
    `stop` is set (or forever). `ready(port)` is called once it listens (port 0 picks a
    free one). Raises ValueError for a host off loopback without `ssl`, unless `insecure`.

    A request with an `Origin` header (a browser page) is refused with HTTP 403 before
    any websocket opens. Raises OSError when the address cannot be bound, sqlite3.Error
    when `db_path` cannot be opened as the hub's file."""
    if not (ssl or insecure or is_loopback(host)):
        raise ValueError(
            f"{host} is not a loopback address: give a TLS certificate and key, or say"
            " insecure to send over plain websockets anyway"
        )
    hub = Hub(HubStore(db_path), limits)
    try:
        async with websockets_serve(
            hub.handle,
            host,
            port,
            ssl=ssl,
            origins=[None],  # only requests without an Origin header
            max_size=MAX_MESSAGE_BYTES,
            open_timeout=limits.auth_seconds,
            close_timeout=CLOSE_SECONDS,
            server_header=None,
            logger=WEBSOCKETS_LOG,
        ) as server:
            listening = next(iter(server.sockets)).getsockname()[1]
            log.info("hub listening on %s:%d", host, listening)
            if ready is not None:
                ready(listening)
            await (stop.wait() if stop is not None else asyncio.get_running_loop().create_future())
    finally:
        hub.close()


def main(argv: list[str] | None = None) -> None:
    """`python -m native_host.sync.hub DB [PORT]`: a loopback hub, as the tests run it in a
    process of its own (users run `credit-guard sync serve`). Prints the port it listens
    on, alone on a line, once it does."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    port = int(args[1]) if len(args) > 1 else 0
    asyncio.run(serve(Path(args[0]), port=port, ready=lambda bound: print(bound, flush=True)))


if __name__ == "__main__":
    main()
