"""The hub handshake and first exchange (native_host/sync/protocol.py), fed between two
in-memory peers as the JSON text a websocket would carry."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from native_host.sync import protocol
from native_host.sync.exceptions import (
    AuthenticationError,
    MessageError,
    ProtocolError,
    StateError,
)
from native_host.sync.protocol import (
    Challenge,
    DeviceHandshake,
    Have,
    Hello,
    HubHandshake,
    Message,
    Proof,
    SeqRange,
    Want,
    Welcome,
)
from native_host.sync.seal import GroupKeys, derive_keys, group_id_of
from native_host.sync.transfer import SealedEvent, open_event

KEYS = derive_keys(bytes(range(32)))
OTHER_KEYS = derive_keys(bytes(32))
DEVICE = "2f1c6a0e-6b7e-4a8e-9c1d-3f5a7b9c0d1e"
MAC = "00" * 32
SAMPLE_BODY = {"operation": "image", "credits": 10.0}


def wire(message: Message) -> Message:
    """What the other side parses: the message as text, through JSON."""
    return protocol.parse(protocol.encode(message))


def hub_keeping(*groups: GroupKeys) -> HubHandshake:
    """A hub that keeps the handshake key of each of `groups` (never the payload key)."""
    kept = {keys.group_id: keys.handshake for keys in groups}
    return HubHandshake(kept.get)


def run(device: DeviceHandshake, hub: HubHandshake) -> list[Message]:
    """The whole handshake through JSON text; returns every message sent, in order."""
    sent: list[Message] = [device.start()]
    sent.append(hub.receive(wire(sent[-1])))
    proof = device.receive(wire(sent[-1]))
    assert proof is not None
    sent.append(proof)
    sent.append(hub.receive(wire(proof)))
    assert device.receive(wire(sent[-1])) is None
    return sent


def test_both_sides_prove_the_key_and_the_hub_learns_who() -> None:
    device, hub = DeviceHandshake(KEYS, DEVICE), hub_keeping(OTHER_KEYS, KEYS)
    kinds = [type(message) for message in run(device, hub)]
    assert kinds == [Hello, Challenge, Proof, Welcome]
    assert device.authenticated and hub.authenticated
    assert (hub.peer.group, hub.peer.device) == (KEYS.group_id, DEVICE)


def test_nonces_are_fresh_on_both_sides() -> None:
    first = run(DeviceHandshake(KEYS, DEVICE), hub_keeping(KEYS))
    second = run(DeviceHandshake(KEYS, DEVICE), hub_keeping(KEYS))
    for one, other in zip(first, second, strict=True):
        assert one != other  # each carries a fresh nonce or a MAC over fresh nonces
    assert isinstance(first[0], Hello) and len(first[0].nonce) == 32


def test_a_device_with_the_wrong_key_is_refused() -> None:
    impostor = GroupKeys(KEYS.group_id, OTHER_KEYS.handshake, OTHER_KEYS.payload)
    device, hub = DeviceHandshake(impostor, DEVICE), hub_keeping(KEYS)
    challenge = hub.receive(wire(device.start()))
    proof = device.receive(wire(challenge))
    assert proof is not None
    with pytest.raises(AuthenticationError, match="device does not know"):
        hub.receive(wire(proof))
    assert not hub.authenticated
    with pytest.raises(StateError):  # a failed handshake stays failed
        hub.receive(wire(proof))


def test_a_hub_with_the_wrong_key_is_refused() -> None:
    """A hub that answers for the group id without the key cannot pass its own proof."""
    device = DeviceHandshake(KEYS, DEVICE)
    fake_hub = HubHandshake(lambda group: OTHER_KEYS.handshake)
    challenge = fake_hub.receive(wire(device.start()))
    proof = device.receive(wire(challenge))
    assert proof is not None
    with pytest.raises(AuthenticationError):
        fake_hub.receive(wire(proof))  # the fake hub cannot check the proof either
    forged = Welcome(
        protocol._mac(OTHER_KEYS.handshake, protocol.HUB_ROLE, device._hello, bytes(32))
    )
    with pytest.raises(AuthenticationError, match="hub does not know"):
        device.receive(wire(forged))
    assert not device.authenticated


def test_an_unknown_group_is_refused() -> None:
    with pytest.raises(AuthenticationError, match="no such group"):
        hub_keeping(OTHER_KEYS).receive(wire(DeviceHandshake(KEYS, DEVICE).start()))


def test_a_recorded_device_handshake_replayed_to_the_hub_fails() -> None:
    """An eavesdropper who recorded a whole good handshake sends its hello and proof again:
    the hub's new challenge makes the old proof worthless."""
    recorded = run(DeviceHandshake(KEYS, DEVICE), hub_keeping(KEYS))
    hello, proof = recorded[0], recorded[2]
    hub = hub_keeping(KEYS)
    hub.receive(wire(hello))
    with pytest.raises(AuthenticationError):
        hub.receive(wire(proof))


def test_a_recorded_hub_answer_replayed_to_a_device_fails() -> None:
    """Someone posing as the hub replays a recorded challenge and welcome: the device's new
    nonce makes the old welcome worthless."""
    recorded = run(DeviceHandshake(KEYS, DEVICE), hub_keeping(KEYS))
    device = DeviceHandshake(KEYS, DEVICE)
    device.start()
    device.receive(wire(recorded[1]))
    with pytest.raises(AuthenticationError):
        device.receive(wire(recorded[3]))


def test_the_hub_proof_cannot_be_reflected_as_the_device_proof() -> None:
    """A fake device opens two connections to the hub and would send back, as its own proof,
    what the hub proves: the roles are MAC'd apart, and the hub proves only after the
    device did, so there is nothing to reflect."""
    device_nonce = bytes(range(32))
    hello = Hello(KEYS.group_id, DEVICE, device_nonce)
    hub = hub_keeping(KEYS)
    challenge = hub.receive(wire(hello))
    assert isinstance(challenge, Challenge)
    hub_mac = protocol._mac(KEYS.handshake, protocol.HUB_ROLE, hello, challenge.nonce)
    with pytest.raises(AuthenticationError):
        hub.receive(wire(Proof(hub_mac)))


@pytest.mark.parametrize("step", [0, 1])
def test_messages_out_of_turn_are_refused(step: int) -> None:
    device, hub = DeviceHandshake(KEYS, DEVICE), hub_keeping(KEYS)
    hello = device.start()
    if step == 0:
        with pytest.raises(MessageError, match="expected hello, received proof"):
            hub.receive(Proof(bytes(32)))
    else:
        hub.receive(hello)
        with pytest.raises(MessageError, match="expected proof, received hello"):
            hub.receive(hello)
    with pytest.raises(MessageError, match="expected challenge, received welcome"):
        device.receive(Welcome(bytes(32)))
    with pytest.raises(StateError):
        device.receive(Challenge(bytes(32)))


def test_our_own_misuse_is_a_state_error() -> None:
    device = DeviceHandshake(KEYS, DEVICE)
    with pytest.raises(StateError, match="not waiting for welcome"):
        device.receive(Welcome(bytes(32)))
    device.start()
    with pytest.raises(StateError):
        device.start()
    with pytest.raises(StateError):
        hub_keeping(KEYS).peer  # noqa: B018
    with pytest.raises(ValueError, match="device id"):
        DeviceHandshake(KEYS, "a device")


# ---------------------------------------------------------------- the exchange

vectors = st.dictionaries(
    st.sampled_from(["a", "b", "c", DEVICE]), st.integers(0, 2**63 - 1), max_size=4
)


@given(vectors, vectors)
def test_the_hub_asks_exactly_for_what_it_lacks(
    hub_vector: dict[str, int], device_vector: dict[str, int]
) -> None:
    have = wire(Have(device_vector))
    assert isinstance(have, Have)
    want = wire(protocol.answer_have(hub_vector, have))
    assert isinstance(want, Want)
    assert want.vector == hub_vector
    asked = {r.device: (r.first, r.last) for r in want.send}
    for device, last in device_vector.items():
        held = hub_vector.get(device, 0)
        assert asked.pop(device, None) == ((held + 1, last) if last > held else None)
    assert asked == {}
    merged = dict(hub_vector)
    for r in want.send:
        assert merged.get(r.device, 0) + 1 == r.first
        merged[r.device] = r.last
    assert protocol.missing(merged, device_vector) == ()


def test_what_the_device_will_receive_is_what_the_hub_holds_beyond_it() -> None:
    device_vector, hub_vector = {"a": 5, "b": 2}, {"a": 3, "b": 9, "c": 1}
    want = protocol.answer_have(hub_vector, Have(device_vector))
    assert want.send == (SeqRange("a", 4, 5),)
    assert protocol.missing(device_vector, want.vector) == (
        SeqRange("b", 3, 9),
        SeqRange("c", 1, 1),
    )


# ---------------------------------------------------------------- strict parsing

GOOD: list[dict[str, Any]] = [
    {"type": "hello", "v": 1, "group": "ab" * 16, "device": DEVICE, "nonce": "01" * 32},
    {"type": "challenge", "nonce": "ff" * 32},
    {"type": "proof", "mac": "00" * 32},
    {"type": "welcome", "mac": "12" * 32},
    {"type": "have", "vector": {"a": 3, DEVICE: 0}},
    {"type": "want", "vector": {}, "send": [{"device": "a", "first": 1, "last": 1}]},
    {"type": "enroll", "key": "3c" * 32},
    {"type": "events", "items": [{"device": "a", "seq": 7, "sealed": "5e" * 28}]},
    {"type": "stored", "vector": {"a": 7}},
    {"type": "caught_up"},
]


@pytest.mark.parametrize("good", GOOD, ids=[good["type"] for good in GOOD])
def test_good_messages_parse_and_encode_back(good: dict[str, Any]) -> None:
    message = protocol.parse(json.dumps(good))
    assert protocol.to_json(message) == good
    assert protocol.parse(protocol.encode(message).encode()) == message


def bad_variants() -> list[tuple[str, str | bytes]]:
    hello = GOOD[0]
    cases: list[tuple[str, str | bytes]] = [
        ("not JSON", "{"),
        ("not UTF-8", b"\xff\xfe"),
        ("a list", "[]"),
        ("no type", "{}"),
        ("unknown type", '{"type": "goodbye"}'),
        ("type not a string", '{"type": ["hello"]}'),
        ("duplicate key", f'{{"type": "proof", "mac": "{MAC}", "mac": "{MAC}"}}'),
        ("deep nesting", "[" * 100_000 + "]" * 100_000),
        ("huge number", '{"type": "have", "vector": {"a": ' + "9" * 5000 + "}}"),
        ("too large", '{"type": "have", "vector": {}, "x": "' + "a" * 300_000 + '"}'),
    ]
    changes: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        ("extra field", hello, {"extra": 1}),
        ("missing field", {k: v for k, v in hello.items() if k != "nonce"}, {}),
        ("wrong version", hello, {"v": 2}),
        ("version as bool", hello, {"v": True}),
        ("short group", hello, {"group": "ab" * 15}),
        ("uppercase hex", hello, {"group": "AB" * 16}),
        ("group not a string", hello, {"group": 5}),
        ("device with a space", hello, {"device": "a b"}),
        ("empty device", hello, {"device": ""}),
        ("long device", hello, {"device": "a" * 65}),
        ("short mac", GOOD[2], {"mac": "00" * 31}),
        ("negative seq", GOOD[4], {"vector": {"a": -1}}),
        ("seq as float", GOOD[4], {"vector": {"a": 1.0}}),
        ("seq as bool", GOOD[4], {"vector": {"a": True}}),
        ("seq too large", GOOD[4], {"vector": {"a": 2**63}}),
        ("vector a list", GOOD[4], {"vector": [1]}),
        ("too many devices", GOOD[4], {"vector": {str(i): 1 for i in range(1001)}}),
        ("range first 0", GOOD[5], {"send": [{"device": "a", "first": 0, "last": 1}]}),
        ("range backwards", GOOD[5], {"send": [{"device": "a", "first": 3, "last": 2}]}),
        ("range extra", GOOD[5], {"send": [{"device": "a", "first": 1, "last": 1, "x": 0}]}),
        ("send an object", GOOD[5], {"send": {}}),
        ("range a string", GOOD[5], {"send": ["a"]}),
        ("short key", GOOD[6], {"key": "3c" * 31}),
        ("no items", GOOD[7], {"items": []}),
        ("items an object", GOOD[7], {"items": {}}),
        ("item a list", GOOD[7], {"items": [["a", 7, "5e" * 28]]}),
        ("item extra", GOOD[7], {"items": [{**GOOD[7]["items"][0], "x": 1}]}),
        ("item seq 0", GOOD[7], {"items": [{**GOOD[7]["items"][0], "seq": 0}]}),
        ("item bad device", GOOD[7], {"items": [{**GOOD[7]["items"][0], "device": "a/b"}]}),
        ("sealed too short", GOOD[7], {"items": [{**GOOD[7]["items"][0], "sealed": "5e" * 27}]}),
        (
            "sealed odd hex",
            GOOD[7],
            {"items": [{**GOOD[7]["items"][0], "sealed": "5e" * 28 + "5"}]},
        ),
        ("sealed uppercase", GOOD[7], {"items": [{**GOOD[7]["items"][0], "sealed": "5E" * 28}]}),
        ("sealed a number", GOOD[7], {"items": [{**GOOD[7]["items"][0], "sealed": 5}]}),
        ("stored a list", GOOD[8], {"vector": []}),
        ("caught_up with a field", GOOD[9], {"vector": {}}),
    ]
    cases += [(name, json.dumps({**base, **change})) for name, base, change in changes]
    return cases


@pytest.mark.parametrize(("name", "data"), bad_variants(), ids=[n for n, _ in bad_variants()])
def test_bad_input_raises_a_message_error(name: str, data: str | bytes) -> None:
    with pytest.raises(MessageError):
        protocol.parse(data)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=8), children, max_size=4)
        ),
        max_leaves=20,
    ),
    st.sampled_from([g["type"] for g in GOOD]),
)
def test_any_json_is_a_message_or_a_message_error(value: Any, kind: str) -> None:
    """Nothing a peer sends crashes the parser: random JSON, also under each known type."""
    fields = {"vector": value, "send": value, "mac": value, "items": value, "key": value}
    for candidate in (value, {"type": kind, **fields}, {"type": kind, "items": [value]}):
        try:
            protocol.parse(json.dumps(candidate))
        except ProtocolError as error:
            assert isinstance(error, MessageError)


def test_the_samples_in_protocol_md_are_a_good_handshake_and_exchange() -> None:
    """docs/PROTOCOL.md's "Sync" samples parse, and the handshake ones authenticate."""
    doc = Path(__file__).resolve().parent.parent / "docs" / "PROTOCOL.md"
    sync = doc.read_text(encoding="utf-8").split("\n## Sync\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```json\n(.*?)^```", sync, flags=re.MULTILINE | re.DOTALL)
    messages = [protocol.parse(block) for block in blocks]
    assert [protocol.TYPES[type(m)] for m in messages] == [
        "hello",
        "challenge",
        "proof",
        "welcome",
        "have",
        "want",
        "events",
        "stored",
        "caught_up",
        "enroll",
    ]
    hello, challenge, proof, welcome, have, want, events, _, _, enroll = messages
    assert isinstance(hello, Hello) and isinstance(challenge, Challenge)
    assert isinstance(have, Have) and isinstance(want, Want)
    device = DeviceHandshake(KEYS, hello.device, hello.nonce)
    hub = HubHandshake({KEYS.group_id: KEYS.handshake}.get, challenge.nonce)
    assert device.start() == hello
    assert hub.receive(hello) == challenge
    assert device.receive(challenge) == proof
    assert hub.receive(proof) == welcome
    assert device.receive(welcome) is None and device.authenticated
    assert protocol.answer_have(want.vector, have) == want
    assert isinstance(events, protocol.Events) and isinstance(enroll, protocol.Enroll)
    (item,) = events.items
    event = open_event(KEYS, item)
    assert (event.account, event.body, event.seq) == ("me@example.com", SAMPLE_BODY, 10)
    assert enroll.key == KEYS.handshake and group_id_of(enroll.key) == hello.group


# ---------------------------------------------------------------- events in frames


def sealed(device: str, seq: int, size: int) -> SealedEvent:
    return SealedEvent(device, seq, bytes([seq % 256]) * size)


@given(st.lists(st.integers(28, 3000), max_size=60), st.integers(6100, 30_000))
def test_a_batch_splits_into_full_frames_under_the_limit_in_order(
    sizes: list[int], limit: int
) -> None:
    items = [sealed("dev-a", seq, size) for seq, size in enumerate(sizes, 1)]
    frames = list(protocol.event_frames(items, limit))
    assert [item for frame in frames for item in frame.items] == items
    for number, frame in enumerate(frames):
        text = protocol.encode(frame)
        assert len(text.encode()) <= limit
        assert protocol.parse(text) == frame
        if number + 1 < len(frames):  # as full as it goes: the next item would not fit
            bigger = protocol.Events((*frame.items, frames[number + 1].items[0]))
            assert len(protocol.encode(bigger)) > limit


def test_an_event_too_large_for_any_frame_is_refused_not_cut() -> None:
    items = [sealed("dev-a", 1, 100), sealed("dev-a", 2, 2000)]
    with pytest.raises(ValueError, match="dev-a #2 is too large"):
        list(protocol.event_frames(items, 3000))
    largest = (protocol.MAX_MESSAGE_BYTES - 100) // 2
    (frame,) = protocol.event_frames([sealed("d", 2**63 - 1, largest)])
    assert len(protocol.encode(frame)) <= protocol.MAX_MESSAGE_BYTES
    assert list(protocol.event_frames([])) == []


def test_advanced_raises_the_vector_to_what_was_sent() -> None:
    items = [sealed("a", 3, 30), sealed("b", 1, 30), sealed("a", 2, 30)]
    assert protocol.advanced({"a": 1, "c": 4}, items) == {"a": 3, "b": 1, "c": 4}
    assert protocol.advanced({"a": 9}, items) == {"a": 9, "b": 1}


def test_the_enroll_key_is_never_shown() -> None:
    assert "3c3c" not in repr(protocol.Enroll(bytes.fromhex("3c" * 32)))
