"""Keys derived from the group secret, and sealed event payloads (native_host/sync/seal.py)."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from native_host.sync import seal
from native_host.sync.exceptions import SealError

SECRET = bytes(range(32))
DEVICE = "2f1c6a0e-6b7e-4a8e-9c1d-3f5a7b9c0d1e"
devices = st.text(min_size=1, max_size=40)
sequences = st.integers(min_value=1, max_value=seal.MAX_SEQUENCE)


def hkdf_sha256(secret: bytes, info: bytes) -> bytes:
    """RFC 5869 with an empty salt and 32 bytes out, written from the RFC with the stdlib."""
    prk = hmac.digest(b"\0" * 32, secret, hashlib.sha256)
    return hmac.digest(prk, info + b"\x01", hashlib.sha256)


def test_derivation_vectors() -> None:
    keys = seal.derive_keys(SECRET)
    assert keys.handshake.hex() == (
        "dd9ad86767f8f981fc9b07ad4f09ab0f9fb76c3ff1dc3850c1b2fb894ba21d1b"
    )
    assert keys.payload.hex() == "e0717c8c575989d18e2ef0799d5a543c8a8e550e8439e36b4b134f9724e8237b"
    assert keys.group_id.hex() == "8ea0bcf7dc0db15e8cd4ebd2f6fc8081"


def test_derivation_is_rfc_5869_hkdf_with_the_documented_labels() -> None:
    keys = seal.derive_keys(SECRET)
    assert keys.handshake == hkdf_sha256(SECRET, b"credit-guard sync v1 hub handshake key")
    assert keys.payload == hkdf_sha256(SECRET, b"credit-guard sync v1 event payload key")
    label = b"credit-guard sync v1 group id\0"
    assert keys.group_id == hashlib.sha256(label + keys.handshake).digest()[:16]


@given(st.binary(min_size=32, max_size=32))
def test_the_keys_differ_from_each_other_and_from_the_secret(secret: bytes) -> None:
    keys = seal.derive_keys(secret)
    assert len({secret, keys.handshake, keys.payload}) == 3
    assert keys.group_id == seal.group_id_of(keys.handshake)


def test_a_secret_of_the_wrong_length_is_refused() -> None:
    for size in (0, 16, 31, 33):
        with pytest.raises(ValueError, match="32 bytes"):
            seal.derive_keys(bytes(size))
    assert len(seal.new_group_secret()) == 32
    assert seal.new_group_secret() != seal.new_group_secret()


def test_keys_never_show_in_repr() -> None:
    keys = seal.derive_keys(SECRET)
    shown = repr(keys) + str(keys)
    assert "group_id=" in shown
    assert str(keys.handshake) not in shown and str(keys.payload) not in shown


def test_sealing_vector() -> None:
    """A fixed nonce makes the output fixed: ChaCha20-Poly1305 over the position data."""
    payload_key = seal.derive_keys(SECRET).payload
    sealed = seal.seal_payload(payload_key, "device-a", 7, b'{"credits": 5}', nonce=bytes(12))
    assert sealed.hex() == (
        "0000000000000000000000005d74b6d09376089079953451dffae6b5fc908d9bee803f469dd6b907e6b4"
    )
    assert seal.open_payload(payload_key, "device-a", 7, sealed) == b'{"credits": 5}'


@given(st.binary(max_size=2000), devices, sequences)
def test_open_returns_what_was_sealed(plaintext: bytes, device: str, seq: int) -> None:
    key = seal.derive_keys(SECRET).payload
    sealed = seal.seal_payload(key, device, seq, plaintext)
    assert len(sealed) == len(plaintext) + 12 + 16
    assert seal.open_payload(key, device, seq, sealed) == plaintext


def test_each_seal_draws_a_fresh_nonce() -> None:
    key = seal.derive_keys(SECRET).payload
    first, second = (seal.seal_payload(key, DEVICE, 1, b"same") for _ in range(2))
    assert first[:12] != second[:12] and first != second
    words = b"my-account@example.com used 40 credits on image generation"
    assert words not in seal.seal_payload(key, DEVICE, 2, words)


@given(st.binary(min_size=1, max_size=200), st.data())
def test_any_changed_byte_is_refused(plaintext: bytes, data: st.DataObject) -> None:
    key = seal.derive_keys(SECRET).payload
    sealed = bytearray(seal.seal_payload(key, DEVICE, 3, plaintext))
    index = data.draw(st.integers(0, len(sealed) - 1))
    sealed[index] ^= data.draw(st.integers(1, 255))
    with pytest.raises(SealError):
        seal.open_payload(key, DEVICE, 3, bytes(sealed))


@given(st.binary(max_size=200), devices, sequences, devices, sequences)
def test_a_payload_moved_to_another_position_is_refused(
    plaintext: bytes, device: str, seq: int, other_device: str, other_seq: int
) -> None:
    key = seal.derive_keys(SECRET).payload
    sealed = seal.seal_payload(key, device, seq, plaintext)
    if (device, seq) != (other_device, other_seq):
        with pytest.raises(SealError, match="another position"):
            seal.open_payload(key, other_device, other_seq, sealed)


def test_another_groups_key_and_truncation_are_refused() -> None:
    ours, theirs = seal.derive_keys(SECRET), seal.derive_keys(bytes(32))
    sealed = seal.seal_payload(ours.payload, DEVICE, 1, b"payload")
    for wrong_key in (theirs.payload, ours.handshake):
        with pytest.raises(SealError):
            seal.open_payload(wrong_key, DEVICE, 1, sealed)
    for cut in (b"", sealed[:27], sealed[:-1]):
        with pytest.raises(SealError):
            seal.open_payload(ours.payload, DEVICE, 1, cut)


def test_positions_are_unambiguous_and_bounded() -> None:
    """A device id that ends in digits cannot pass for another id and sequence."""
    assert seal.position_data("a1", 2) != seal.position_data("a", 12)
    assert seal.position_data("a", 1) != seal.position_data("b", 1)
    for seq in (0, -1, seal.MAX_SEQUENCE + 1):
        with pytest.raises(ValueError, match="sequence number"):
            seal.position_data(DEVICE, seq)
