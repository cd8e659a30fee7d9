"""The device's side of a hub: one full exchange (`exchange_once`, for `sync now`), or a
connection kept open that uploads new local events as they are recorded and takes in
what the group's other devices upload (`stay_connected`, for the helper and `sync run`).

A thin shell around protocol.py (messages, handshake) and transfer.py (sealing, taking
in). Every failure becomes a TransportError whose reason the CLI and the popup can say;
every exchange, good or failed, is recorded with `ledger.record_sync("hub", ...)`.
"""

from __future__ import annotations

import asyncio
import logging
import random
import ssl
import time
from collections.abc import Callable
from datetime import UTC, datetime

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import (
    ConnectionClosed,
    InvalidHandshake,
    InvalidMessage,
    InvalidStatus,
    InvalidURI,
)

from native_host.errors import HostError
from native_host.ledger.store import Ledger
from native_host.ledger.vectors import VersionVector
from native_host.sync.exceptions import (
    AuthenticationError,
    MessageError,
    TransportError,
    TransportProblem,
)
from native_host.sync.protocol import (
    MAX_MESSAGE_BYTES,
    CaughtUp,
    CloseCode,
    DeviceHandshake,
    Enroll,
    Events,
    Have,
    Message,
    Stored,
    Want,
    advanced,
    encode,
    event_frames,
    parse,
)
from native_host.sync.seal import GroupKeys
from native_host.sync.transfer import Exchanged, SealedEvent, sealed_after, take
from native_host.sync.waiting import pause

log = logging.getLogger(__name__)
# websockets logs every frame at DEBUG; never here, whatever the level of the root logger.
WEBSOCKETS_LOG = logging.getLogger(f"{__name__}.websockets")
WEBSOCKETS_LOG.setLevel(logging.INFO)

HUB_PEER = "hub"  # the peer id the ledger records exchanges with a hub under
POLL_SECONDS = 0.2  # how often a kept connection looks for new local events
HEARTBEAT_SECONDS = 60.0  # a quiet kept connection is still recorded as synced this often
FIRST_BACKOFF, MAX_BACKOFF = 0.5, 60.0  # seconds, before full jitter
STEADY_SECONDS = 30.0  # a connection up this long resets the backoff
CLOSE_SECONDS = 1.0  # how long closing waits for the hub's answer (a dead hub gives none)
EXCHANGE_SECONDS = 45.0  # the most one exchange may take: under the popup's 60 s for `sync now`

CLOSE_REASONS: dict[int, TransportProblem] = {
    CloseCode.PROTOCOL: "protocol",
    CloseCode.AUTHENTICATION: "authentication",
    CloseCode.TOO_SLOW: "timeout",
    CloseCode.UNKNOWN_GROUP: "unknown_group",
    CloseCode.TOO_LARGE: "refused",
    CloseCode.RATE_LIMITED: "refused",
    CloseCode.TOO_MANY_CONNECTIONS: "refused",
    CloseCode.HUB_FULL: "unknown_group",
    1009: "refused",  # a frame over the hub's size limit
    1013: "refused",  # fell too far behind the hub's pushes
}


async def exchange_once(
    ledger: Ledger, keys: GroupKeys, url: str, *, timeout: float = 15.0
) -> Exchanged:
    """One full exchange with the hub at `url`: upload what it lacks (until `stored`),
    take in what this ledger lacks (until `caught_up`), then close.

    `timeout` bounds each wait (connecting, each answer); EXCHANGE_SECONDS the whole.
    Raises TransportError; records the outcome under the peer "hub" either way."""
    session = _Session(ledger, keys, url, timeout)
    try:
        try:
            async with asyncio.timeout(EXCHANGE_SECONDS):
                exchanged = await session.open_and_catch_up()
        except TimeoutError:
            raise TransportError(
                "timeout", f"no full exchange within {EXCHANGE_SECONDS:.0f} s"
            ) from None
    except TransportError as error:
        _record_failure(ledger, session.hub_vector, error)
        raise
    finally:
        await session.close()
    ledger.record_sync(HUB_PEER, session.hub_vector, datetime.now(UTC))
    return exchanged


async def stay_connected(
    ledger: Ledger,
    keys: GroupKeys,
    url: str,
    *,
    stop: asyncio.Event,
    on_change: Callable[[Exchanged], None] | None = None,
) -> None:
    """Stay connected to the hub until `stop` is set: catch up, then upload new local
    events within POLL_SECONDS of their commit and take in the other devices' pushes.
    `on_change` hears of every exchange that sent, received or refused something.

    Give it a Ledger connection of its own: it notices local events by
    `data_version`, which moves only for commits of other connections. Never raises
    on a transport failure: it records it and connects again after a random wait of up
    to 0.5 s, doubling each failure up to 60 s (full jitter)."""
    failures = 0
    while not stop.is_set():
        session = _Session(ledger, keys, url, timeout=15.0)
        live = asyncio.create_task(session.live(on_change))
        stopping = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait([live, stopping], return_when=asyncio.FIRST_COMPLETED)
        finally:
            live.cancel()
            stopping.cancel()
            await asyncio.gather(live, stopping, return_exceptions=True)
            await session.close()
        failure = None if live.cancelled() else live.exception()
        if isinstance(failure, TransportError):
            _record_failure(ledger, session.hub_vector, failure)
        elif isinstance(failure, HostError):  # the ledger could not be read or written
            log.warning("sync with the hub stopped by the ledger: %s", failure)
        elif failure is not None:
            raise failure
        if stop.is_set():
            return
        steady = (
            session.live_since is not None
            and time.monotonic() - session.live_since >= STEADY_SECONDS
        )
        failures = 0 if steady else failures + 1
        wait = random.uniform(0, min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** (failures - 1)))
        await pause(stop, wait)


class _Session:
    """One connection to the hub, authenticated, and what it learned of the hub."""

    def __init__(self, ledger: Ledger, keys: GroupKeys, url: str, timeout: float) -> None:
        self.ledger, self.keys, self.url, self.timeout = ledger, keys, url, timeout
        self.ws: ClientConnection | None = None
        previous = ledger.peer(HUB_PEER)
        self.hub_vector: dict[str, int] = dict(previous.vector) if previous else {}
        self.hub_view: dict[str, int] = {}  # hub_vector raised by what went either way
        self.seen_version = 0
        self.live_since: float | None = None  # time.monotonic() of the catch-up

    async def open_and_catch_up(self) -> Exchanged:
        """Connect (enrolling the group if the hub keeps no such group), then the first
        exchange: have → want, upload what the hub asked, take in until caught up."""
        try:
            await self._authenticate(enroll=False)
        except TransportError as error:
            if error.reason != "unknown_group":
                raise
            await self.close()
            await self._authenticate(enroll=True)
        self.seen_version = self.ledger.data_version()
        await self._send(Have(self.ledger.vector()))
        sent = received = refused = 0
        waiting_for: int | None = None  # `stored` answers still due for our uploads
        caught_up = False
        while waiting_for != 0 or not caught_up:
            message = await self._receive()
            if isinstance(message, Want) and waiting_for is None:
                self._learn(message.vector)
                missing = sealed_after(self.ledger, self.keys, dict(message.vector))
                sent, waiting_for = len(missing), await self._upload(missing)
            elif isinstance(message, Events):
                got, bad = self._take(message.items)
                received, refused = received + got, refused + bad
            elif isinstance(message, Stored) and waiting_for:
                self._learn(message.vector)
                waiting_for -= 1
            elif isinstance(message, CaughtUp) and waiting_for is not None and not caught_up:
                caught_up = True
            else:
                raise TransportError("protocol", "the hub sent a message out of turn")
        return Exchanged(sent, received, refused)

    async def live(self, on_change: Callable[[Exchanged], None] | None) -> None:
        """Catch up, then upload new local events and take in pushes, until cancelled or
        the connection fails (TransportError)."""
        exchanged = await self.open_and_catch_up()
        self.live_since = time.monotonic()
        self.ledger.record_sync(HUB_PEER, self.hub_vector, datetime.now(UTC))
        _tell(on_change, exchanged)
        both = [
            asyncio.create_task(self._take_pushes(on_change)),
            asyncio.create_task(self._upload_new(on_change)),
        ]
        try:
            done, _ = await asyncio.wait(both, return_when=asyncio.FIRST_EXCEPTION)
        finally:
            for task in both:
                task.cancel()
            await asyncio.gather(*both, return_exceptions=True)
        for task in done:
            task.result()  # the TransportError (or HostError) that ended it

    async def _take_pushes(self, on_change: Callable[[Exchanged], None] | None) -> None:
        while True:
            message = await self._receive(timeout=None)
            if isinstance(message, Events):
                got, bad = self._take(message.items)
                _tell(on_change, Exchanged(0, got, bad))
            elif isinstance(message, Stored):
                self._learn(message.vector)
            else:
                raise TransportError("protocol", "the hub sent a message out of turn")
            self.ledger.record_sync(HUB_PEER, self.hub_vector, datetime.now(UTC))

    async def _upload_new(self, on_change: Callable[[Exchanged], None] | None) -> None:
        """Upload local commits as they come; while nothing happens, record the sync
        every HEARTBEAT_SECONDS, so that `status` (in any process) tells a quiet live
        connection from a stale one."""
        recorded = time.monotonic()
        while True:
            version = self.ledger.data_version()
            if version != self.seen_version:
                self.seen_version = version
                new = sealed_after(self.ledger, self.keys, self.hub_view)
                await self._upload(new)
                _tell(on_change, Exchanged(len(new), 0, 0))
            if time.monotonic() - recorded >= HEARTBEAT_SECONDS:
                self.ledger.record_sync(HUB_PEER, self.hub_vector, datetime.now(UTC))
                recorded = time.monotonic()
            await asyncio.sleep(POLL_SECONDS)

    def _learn(self, vector: VersionVector) -> None:
        """The hub's vector as it said it: recorded, and what new uploads start from."""
        self.hub_vector = dict(vector)
        for device, seq in vector.items():
            self.hub_view[device] = max(self.hub_view.get(device, 0), seq)

    def _take(self, items: tuple[SealedEvent, ...]) -> tuple[int, int]:
        """Take in pushed or caught-up events; returns (new positions here, refused)."""
        self.hub_view = advanced(self.hub_view, items)
        taken = take(self.ledger, self.keys, items)
        return (taken.ingested.held if taken.ingested else 0), taken.refused

    async def _upload(self, items: list[SealedEvent]) -> int:
        """Send `items` in frames; returns the number of frames (each is answered by one
        `stored`)."""
        try:
            frames = list(event_frames(items))
        except ValueError as error:
            raise TransportError("protocol", str(error)) from None
        for frame in frames:
            await self._send(frame)
        self.hub_view = advanced(self.hub_view, items)
        return len(frames)

    async def _authenticate(self, *, enroll: bool) -> None:
        try:
            self.ws = await connect(
                self.url,
                max_size=MAX_MESSAGE_BYTES,
                open_timeout=self.timeout,
                close_timeout=CLOSE_SECONDS,
                user_agent_header=None,
                logger=WEBSOCKETS_LOG,
            )
        except InvalidMessage as error:  # no HTTP answer at all
            if self.url.startswith("ws://"):
                raise TransportError(
                    "tls", "no websocket answer: a hub that speaks TLS needs a wss:// address"
                ) from None
            raise _transport_error(error) from None
        except Exception as error:
            raise _transport_error(error) from None
        handshake = DeviceHandshake(self.keys, self.ledger.device_id)
        if enroll:
            await self._send(Enroll(self.keys.handshake))
        await self._send(handshake.start())
        try:
            proof = handshake.receive(await self._receive())
            assert proof is not None
            await self._send(proof)
            handshake.receive(await self._receive())
        except AuthenticationError:
            raise TransportError(
                "authentication", "the hub does not know this group's key"
            ) from None
        except MessageError as error:
            raise TransportError("protocol", f"the hub's handshake: {error}") from None

    async def _send(self, message: Message) -> None:
        assert self.ws is not None
        try:
            await self.ws.send(encode(message))
        except Exception as error:
            raise _transport_error(error) from None

    async def _receive(self, timeout: float | None = -1) -> Message:
        """The next message from the hub, within `timeout` seconds (-1: the session's)."""
        assert self.ws is not None
        try:
            async with asyncio.timeout(self.timeout if timeout == -1 else timeout):
                data = await self.ws.recv()
        except Exception as error:
            raise _transport_error(error) from None
        try:
            return parse(data)
        except MessageError as error:
            await self.ws.close(CloseCode.PROTOCOL, "not a message of the protocol")
            raise TransportError("protocol", f"the hub sent {error}") from None

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None


def _transport_error(error: Exception) -> TransportError:
    """What went wrong with the connection, as a TransportError with its reason."""
    if isinstance(error, TransportError):
        return error
    if isinstance(error, ConnectionClosed):
        code = error.rcvd.code if error.rcvd else 1006
        reason = CLOSE_REASONS.get(code, "unreachable")
        return TransportError(reason, f"the hub closed the connection ({code})")
    if isinstance(error, ssl.SSLError | ssl.CertificateError):
        return TransportError("tls", f"the TLS handshake failed: {error}")
    if isinstance(error, InvalidStatus):
        status = error.response.status_code
        return TransportError("refused", f"the hub refused the connection (HTTP {status})")
    if isinstance(error, InvalidURI):
        return TransportError("unreachable", f"not a hub address: {error}")
    if isinstance(error, InvalidHandshake):
        return TransportError("protocol", f"not a websocket hub: {error}")
    if isinstance(error, TimeoutError):
        return TransportError("timeout", "the hub did not answer in time")
    if isinstance(error, OSError):
        return TransportError("unreachable", f"cannot reach the hub: {error}")
    raise error


def _record_failure(ledger: Ledger, hub_vector: VersionVector, error: TransportError) -> None:
    log.info("sync with the hub failed (%s): %s", error.reason, error.detail)
    ledger.record_sync(HUB_PEER, hub_vector, datetime.now(UTC), error=error.reason)


def _tell(on_change: Callable[[Exchanged], None] | None, exchanged: Exchanged) -> None:
    if on_change is not None and (exchanged.sent or exchanged.received or exchanged.refused):
        on_change(exchanged)
