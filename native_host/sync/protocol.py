"""The hub handshake and the first exchange, sans-I/O (after h11 and websockets' protocol).

The caller owns the connection: it parses each text frame with `parse`, hands the message
to its handshake's `receive`, and sends what comes back with `encode`. Nothing here reads a
socket, a clock or a file.

Handshake (both sides prove they know the group's handshake key, each over a nonce the
other just drew, so a recorded handshake replayed later fails):

    device → hub   hello      {group, device, nonce_d}
    hub → device   challenge  {nonce_h}
    device → hub   proof      {mac = HMAC(key, "device" ‖ transcript)}   hub checks
    hub → device   welcome    {mac = HMAC(key, "hub" ‖ transcript)}      device checks

The device proves first, so the hub's own proof goes only to members of the group. The
two roles are MAC'd under distinct labels, so neither proof can be reflected as the other.

Then the exchange: the device says what it holds (`have`, its version vector), the hub
answers with its own vector and the ranges it lacks (`want`); each then sends the other's
missing events (`events`, sealed; seal.py, transfer.py). The hub acknowledges each frame
of events once it is durable (`stored`, with its vector), says when the device holds
everything it held at `have` time (`caught_up`), and from then on pushes what the group's
other devices upload. A device whose hello was refused for an unknown group may open its
next connection with `enroll` (the handshake key, never the payload key), then hello.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from hashlib import sha256
from typing import Any, TypeVar

from native_host.ledger.vectors import VersionVector
from native_host.sync.exceptions import AuthenticationError, MessageError, StateError
from native_host.sync.seal import (
    GROUP_ID_BYTES,
    KEY_BYTES,
    MAX_SEQUENCE,
    GroupKeys,
)
from native_host.sync.seal import (
    NONCE_BYTES as SEAL_NONCE_BYTES,
)
from native_host.sync.transfer import SealedEvent

PROTOCOL_VERSION = 1
NONCE_BYTES = 32
MAC_BYTES = 32
MAX_MESSAGE_BYTES = 256 * 1024
MAX_DEVICES = 1000
MIN_SEALED = SEAL_NONCE_BYTES + 16  # a nonce and a tag: what the shortest sealed payload is
DEVICE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
TRANSCRIPT_LABEL = b"credit-guard sync v1 handshake\0"
DEVICE_ROLE, HUB_ROLE = b"device\0", b"hub\0"

M = TypeVar("M")


@dataclass(frozen=True)
class Hello:
    group: bytes
    device: str
    nonce: bytes


@dataclass(frozen=True)
class Challenge:
    nonce: bytes


@dataclass(frozen=True)
class Proof:
    mac: bytes


@dataclass(frozen=True)
class Welcome:
    mac: bytes


@dataclass(frozen=True)
class Have:
    vector: VersionVector


@dataclass(frozen=True)
class SeqRange:
    """Sequence numbers `first` to `last`, both included, of one device's events."""

    device: str
    first: int
    last: int


@dataclass(frozen=True)
class Want:
    vector: VersionVector
    send: tuple[SeqRange, ...]


@dataclass(frozen=True)
class Enroll:
    """The group's handshake key, so a hub that keeps no such group starts keeping it."""

    key: bytes = field(repr=False)


@dataclass(frozen=True)
class Events:
    """Sealed events, at their positions: one frame of a batch (see `event_frames`)."""

    items: tuple[SealedEvent, ...]


@dataclass(frozen=True)
class Stored:
    """The hub's vector once the device's last frame of events is durable there."""

    vector: VersionVector


@dataclass(frozen=True)
class CaughtUp:
    """Everything the device lacked at `have` time has been sent."""


Message = Hello | Challenge | Proof | Welcome | Have | Want | Enroll | Events | Stored | CaughtUp
TYPES: dict[type[Any], str] = {
    Hello: "hello",
    Challenge: "challenge",
    Proof: "proof",
    Welcome: "welcome",
    Have: "have",
    Want: "want",
    Enroll: "enroll",
    Events: "events",
    Stored: "stored",
    CaughtUp: "caught_up",
}


class CloseCode(IntEnum):
    """Why the hub closed a connection (websocket close codes; the table in PROTOCOL.md)."""

    PROTOCOL = 4000  # not the protocol: garbage, a binary frame, a message out of turn
    AUTHENTICATION = 4001  # the device's proof is wrong
    TOO_SLOW = 4002  # not authenticated within the hub's time
    UNKNOWN_GROUP = 4003  # the hub keeps no such group (the device may enroll it)
    TOO_LARGE = 4004  # keeping these events would pass the group's stored bytes
    RATE_LIMITED = 4005  # more messages a second than the hub takes
    TOO_MANY_CONNECTIONS = 4006  # the group has as many connections as the hub allows
    HUB_FULL = 4007  # the hub keeps as many groups as it allows: no enrollment


# ---------------------------------------------------------------- the exchange


def missing(ours: VersionVector, theirs: VersionVector) -> tuple[SeqRange, ...]:
    """What `theirs` holds that `ours` lacks, as one range per device, sorted by device."""
    return tuple(
        SeqRange(device, ours.get(device, 0) + 1, last)
        for device, last in sorted(theirs.items())
        if last > ours.get(device, 0)
    )


def answer_have(hub_vector: VersionVector, have: Have) -> Want:
    """The hub's answer to a device's `have`: its own vector (the device works out what it
    will receive) and the ranges of events the device should send."""
    return Want(dict(hub_vector), missing(hub_vector, have.vector))


def event_frames(items: Iterable[SealedEvent], limit: int = MAX_MESSAGE_BYTES) -> Iterator[Events]:
    """A batch of events as frames whose JSON text (`encode`) has at most `limit` bytes,
    in order, as full as they go. Raises ValueError for one event that fits no frame."""
    batch: list[SealedEvent] = []
    size = _EMPTY_EVENTS
    for item in items:
        item_size = _encoded_size(item)
        if _EMPTY_EVENTS + item_size > limit:
            raise ValueError(f"the event at {item.device} #{item.seq} is too large to send")
        if batch and size + 1 + item_size > limit:
            yield Events(tuple(batch))
            batch, size = [], _EMPTY_EVENTS
        size += item_size + (1 if batch else 0)
        batch.append(item)
    if batch:
        yield Events(tuple(batch))


def _encoded_size(item: SealedEvent) -> int:
    """The bytes of one item in an `events` frame (device ids are ASCII)."""
    return _EMPTY_ITEM + len(item.device) + len(str(item.seq)) + 2 * len(item.sealed)


def advanced(vector: VersionVector, items: Iterable[SealedEvent]) -> dict[str, int]:
    """`vector` raised, device by device, to the highest position among `items`: what a
    device may take the hub to hold once it sent or received them (a hint that saves
    sending them again, not a vector with no gap: the hub's `stored` is that)."""
    raised = dict(vector)
    for item in items:
        raised[item.device] = max(raised.get(item.device, 0), item.seq)
    return raised


# ---------------------------------------------------------------- the handshake


class Step(Enum):
    START = "start"
    WAITING_CHALLENGE = "waiting for the challenge"
    WAITING_HELLO = "waiting for hello"
    WAITING_PROOF = "waiting for the proof"
    WAITING_WELCOME = "waiting for welcome"
    AUTHENTICATED = "authenticated"
    FAILED = "failed"


class _Handshake:
    """What both sides share: the step reached, and failing on a message out of turn."""

    step: Step

    @property
    def authenticated(self) -> bool:
        return self.step is Step.AUTHENTICATED

    def _expect(self, message: Message, kind: type[M]) -> M:
        if not isinstance(message, kind):
            self.step = Step.FAILED
            raise MessageError(f"expected {TYPES[kind]}, received {TYPES[type(message)]}")
        return message


class DeviceHandshake(_Handshake):
    """The device's side: `start()`, then `receive()` each message from the hub until
    `authenticated`. Any error leaves it failed: the caller closes the connection."""

    def __init__(self, keys: GroupKeys, device_id: str, nonce: bytes | None = None) -> None:
        if not DEVICE_ID.fullmatch(device_id):
            raise ValueError("a device id is 1 to 64 letters, digits, '.', '_' or '-'")
        self._keys = keys
        self._hello = Hello(keys.group_id, device_id, nonce or secrets.token_bytes(NONCE_BYTES))
        self._hub_nonce = b""
        self.step = Step.START

    def start(self) -> Hello:
        """The first message to send; call once, as soon as the connection is open."""
        _expect_step(self.step, Step.START)
        self.step = Step.WAITING_CHALLENGE
        return self._hello

    def receive(self, message: Message) -> Proof | None:
        """Returns the proof to send after the challenge, None once the hub is proven.

        Raises MessageError for a message out of turn, AuthenticationError when the hub's
        proof is wrong, StateError when called before start() or after an error."""
        if self.step is Step.WAITING_CHALLENGE:
            challenge = self._expect(message, Challenge)
            self._hub_nonce = challenge.nonce
            self.step = Step.WAITING_WELCOME
            return Proof(_mac(self._keys.handshake, DEVICE_ROLE, self._hello, challenge.nonce))
        _expect_step(self.step, Step.WAITING_WELCOME)
        welcome = self._expect(message, Welcome)
        expected = _mac(self._keys.handshake, HUB_ROLE, self._hello, self._hub_nonce)
        if not hmac.compare_digest(welcome.mac, expected):
            self.step = Step.FAILED
            raise AuthenticationError("the hub does not know this group's key")
        self.step = Step.AUTHENTICATED
        return None


class HubHandshake(_Handshake):
    """The hub's side: `receive()` the device's hello, then its proof.

    `handshake_key_for(group_id)` gives the key the hub keeps for a group, or None."""

    def __init__(
        self, handshake_key_for: Callable[[bytes], bytes | None], nonce: bytes | None = None
    ) -> None:
        self._key_for = handshake_key_for
        self._nonce = nonce or secrets.token_bytes(NONCE_BYTES)
        self._key = b""
        self._hello: Hello | None = None
        self.step = Step.WAITING_HELLO

    @property
    def peer(self) -> Hello:
        """The authenticated device's hello (its group and device id)."""
        _expect_step(self.step, Step.AUTHENTICATED)
        assert self._hello is not None
        return self._hello

    def receive(self, message: Message) -> Challenge | Welcome:
        """Returns the challenge after hello, the welcome after a good proof.

        Raises MessageError for a message out of turn, AuthenticationError for an unknown
        group or a wrong proof, StateError once authenticated or failed."""
        if self.step is Step.WAITING_HELLO:
            hello = self._expect(message, Hello)
            key = self._key_for(hello.group)
            if key is None:
                self.step = Step.FAILED
                raise AuthenticationError("this hub keeps no such group")
            self._hello, self._key = hello, key
            self.step = Step.WAITING_PROOF
            return Challenge(self._nonce)
        _expect_step(self.step, Step.WAITING_PROOF)
        proof = self._expect(message, Proof)
        assert self._hello is not None
        expected = _mac(self._key, DEVICE_ROLE, self._hello, self._nonce)
        if not hmac.compare_digest(proof.mac, expected):
            self.step = Step.FAILED
            raise AuthenticationError("the device does not know this group's key")
        self.step = Step.AUTHENTICATED
        return Welcome(_mac(self._key, HUB_ROLE, self._hello, self._nonce))


def _expect_step(step: Step, expected: Step) -> None:
    if step is not expected:
        raise StateError(f"the handshake is {step.value}, not {expected.value}")


def _mac(key: bytes, role: bytes, hello: Hello, hub_nonce: bytes) -> bytes:
    device = hello.device.encode("ascii")
    transcript = (
        TRANSCRIPT_LABEL
        + role
        + hello.group
        + struct.pack(">B", len(device))
        + device
        + hello.nonce
        + hub_nonce
    )
    return hmac.digest(key, transcript, sha256)


# ---------------------------------------------------------------- JSON


def encode(message: Message) -> str:
    """The JSON text of a message, to send as one text frame."""
    return json.dumps(to_json(message), separators=(",", ":"), sort_keys=True)


def to_json(message: Message) -> dict[str, Any]:
    fields: dict[str, Any]
    match message:
        case Hello(group, device, nonce):
            fields = {"v": PROTOCOL_VERSION, "group": group.hex(), "device": device}
            fields["nonce"] = nonce.hex()
        case Challenge(nonce):
            fields = {"nonce": nonce.hex()}
        case Proof(mac) | Welcome(mac):
            fields = {"mac": mac.hex()}
        case Have(vector):
            fields = {"vector": dict(vector)}
        case Want(vector, send):
            ranges = [{"device": r.device, "first": r.first, "last": r.last} for r in send]
            fields = {"vector": dict(vector), "send": ranges}
        case Enroll(key):
            fields = {"key": key.hex()}
        case Events(items):
            fields = {"items": [_item_json(item) for item in items]}
        case Stored(vector):
            fields = {"vector": dict(vector)}
        case CaughtUp():
            fields = {}
    return {"type": TYPES[type(message)], **fields}


def _item_json(item: SealedEvent) -> dict[str, Any]:
    return {"device": item.device, "seq": item.seq, "sealed": item.sealed.hex()}


_EMPTY_EVENTS = len(json.dumps({"items": [], "type": "events"}, separators=(",", ":")))
_EMPTY_ITEM = len(json.dumps(_item_json(SealedEvent("", 0, b"")), separators=(",", ":"))) - 1


def parse(data: str | bytes) -> Message:
    """The message in one received frame. Raises MessageError for anything else: too large,
    not UTF-8 JSON, duplicate keys, an unknown type, a missing, extra or mistyped field."""
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    if size > MAX_MESSAGE_BYTES:
        raise MessageError(f"a message has at most {MAX_MESSAGE_BYTES} bytes")
    try:
        value = json.loads(data, object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError) as error:
        raise MessageError(f"not JSON: {error}") from None
    if not isinstance(value, dict):
        raise MessageError("a message is a JSON object")
    kind = value.get("type")
    parser = _PARSERS.get(kind) if isinstance(kind, str) else None
    if parser is None:
        raise MessageError(f"unknown message type {kind!r}")
    return parser(value)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise ValueError("a key appears twice")
    return value


def _fields(value: dict[str, Any], *names: str) -> list[Any]:
    expected = {"type", *names}
    if set(value) != expected:
        extra, absent = set(value) - expected, expected - set(value)
        raise MessageError(f"{value['type']}: extra {sorted(extra)}, missing {sorted(absent)}")
    return [value[name] for name in names]


def _field(value: dict[str, Any], name: str) -> Any:
    return _fields(value, name)[0]


def _hex(value: Any, size: int, name: str) -> bytes:
    if not isinstance(value, str) or not re.fullmatch(f"[0-9a-f]{{{size * 2}}}", value):
        raise MessageError(f"{name} is {size} bytes in lowercase hex")
    return bytes.fromhex(value)


def _check_device(value: Any) -> str:
    if not isinstance(value, str) or not DEVICE_ID.fullmatch(value):
        raise MessageError("a device id is 1 to 64 letters, digits, '.', '_' or '-'")
    return value


def _seq(value: Any, lowest: int) -> int:
    if type(value) is not int or not lowest <= value <= MAX_SEQUENCE:
        raise MessageError(f"a sequence number is an integer from {lowest} to {MAX_SEQUENCE}")
    return value


def _vector(value: Any) -> dict[str, int]:
    if not isinstance(value, dict) or len(value) > MAX_DEVICES:
        raise MessageError(f"a version vector is an object of at most {MAX_DEVICES} devices")
    return {_check_device(device): _seq(last, 0) for device, last in value.items()}


def _range(value: Any) -> SeqRange:
    if not isinstance(value, dict) or set(value) != {"device", "first", "last"}:
        raise MessageError("a range is {device, first, last}")
    first, last = _seq(value["first"], 1), _seq(value["last"], 1)
    if first > last:
        raise MessageError("a range's first is at most its last")
    return SeqRange(_check_device(value["device"]), first, last)


def _hello(value: dict[str, Any]) -> Hello:
    version, group, device, nonce = _fields(value, "v", "group", "device", "nonce")
    if type(version) is not int or version != PROTOCOL_VERSION:
        raise MessageError(f"protocol version {version!r} is not {PROTOCOL_VERSION}")
    group_id = _hex(group, GROUP_ID_BYTES, "group")
    return Hello(group_id, _check_device(device), _hex(nonce, NONCE_BYTES, "nonce"))


def _want(value: dict[str, Any]) -> Want:
    vector, send = _fields(value, "vector", "send")
    if not isinstance(send, list) or len(send) > MAX_DEVICES:
        raise MessageError(f"send is a list of at most {MAX_DEVICES} ranges")
    return Want(_vector(vector), tuple(_range(item) for item in send))


def _item(value: Any) -> SealedEvent:
    if not isinstance(value, dict) or set(value) != {"device", "seq", "sealed"}:
        raise MessageError("an item is {device, seq, sealed}")
    sealed = value["sealed"]
    if not isinstance(sealed, str) or not re.fullmatch(
        f"(?:[0-9a-f]{{2}}){{{MIN_SEALED},}}", sealed
    ):
        raise MessageError(f"sealed is at least {MIN_SEALED} bytes in lowercase hex")
    return SealedEvent(_check_device(value["device"]), _seq(value["seq"], 1), bytes.fromhex(sealed))


def _events(value: dict[str, Any]) -> Events:
    items = _field(value, "items")
    if not isinstance(items, list) or not items:
        raise MessageError("items is a list of at least one event")
    return Events(tuple(_item(item) for item in items))


def _caught_up(value: dict[str, Any]) -> CaughtUp:
    _fields(value)
    return CaughtUp()


_PARSERS: dict[str, Callable[[dict[str, Any]], Message]] = {
    "hello": _hello,
    "challenge": lambda value: Challenge(_hex(_field(value, "nonce"), NONCE_BYTES, "nonce")),
    "proof": lambda value: Proof(_hex(_field(value, "mac"), MAC_BYTES, "mac")),
    "welcome": lambda value: Welcome(_hex(_field(value, "mac"), MAC_BYTES, "mac")),
    "have": lambda value: Have(_vector(_field(value, "vector"))),
    "want": _want,
    "enroll": lambda value: Enroll(_hex(_field(value, "key"), KEY_BYTES, "key")),
    "events": _events,
    "stored": lambda value: Stored(_vector(_field(value, "vector"))),
    "caught_up": _caught_up,
}
