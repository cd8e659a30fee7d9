"""Keys from the group secret, and event payloads sealed so only the group can read them.

One 32-byte group secret (kept in the OS keyring) gives, by HKDF-SHA256 with distinct
`info` labels, two unrelated keys: the handshake key, which a hub holds to check that a
device belongs to the group, and the payload key, which never leaves the devices. A hub
therefore authenticates devices without being able to read or forge a payload.

A sealed payload is `nonce (12 random bytes) ‖ ChaCha20-Poly1305 ciphertext and tag`, with
the associated data naming its position (device id, sequence number): a hub or a folder
that moves a payload to another position makes it fail to open.
"""

from __future__ import annotations

import hashlib
import secrets
import struct
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from native_host.sync.exceptions import SealError

SECRET_BYTES = 32
KEY_BYTES = 32
NONCE_BYTES = 12
GROUP_ID_BYTES = 16
HANDSHAKE_INFO = b"credit-guard sync v1 hub handshake key"
PAYLOAD_INFO = b"credit-guard sync v1 event payload key"
GROUP_ID_LABEL = b"credit-guard sync v1 group id\0"
PAYLOAD_AAD_LABEL = b"credit-guard sync v1 payload\0"
MAX_SEQUENCE = 2**63 - 1  # SQLite's INTEGER


@dataclass(frozen=True)
class GroupKeys:
    """What a device derives from the group secret; repr never shows a key."""

    group_id: bytes
    handshake: bytes = field(repr=False)
    payload: bytes = field(repr=False)


def new_group_secret() -> bytes:
    """A fresh secret for a new group, from the OS's cryptographic generator."""
    return secrets.token_bytes(SECRET_BYTES)


def derive_keys(group_secret: bytes) -> GroupKeys:
    """The group's id and keys. Raises ValueError for a secret of the wrong length."""
    if len(group_secret) != SECRET_BYTES:
        raise ValueError(f"a group secret is {SECRET_BYTES} bytes, not {len(group_secret)}")
    handshake = _hkdf(group_secret, HANDSHAKE_INFO)
    return GroupKeys(group_id_of(handshake), handshake, _hkdf(group_secret, PAYLOAD_INFO))


def group_id_of(handshake_key: bytes) -> bytes:
    """The group id is a hash of the handshake key, so a hub that is handed a key for a
    group id can check that they belong together (nobody can claim another's group)."""
    return hashlib.sha256(GROUP_ID_LABEL + handshake_key).digest()[:GROUP_ID_BYTES]


def seal_payload(
    payload_key: bytes, device_id: str, seq: int, plaintext: bytes, nonce: bytes | None = None
) -> bytes:
    """Seal one event's payload for its position. `nonce` is for test vectors only: leave
    it out and a random one is drawn (96 random bits never repeat in practice)."""
    nonce = secrets.token_bytes(NONCE_BYTES) if nonce is None else nonce
    if len(nonce) != NONCE_BYTES:
        raise ValueError(f"a nonce is {NONCE_BYTES} bytes")
    aead = ChaCha20Poly1305(payload_key)
    return nonce + aead.encrypt(nonce, plaintext, position_data(device_id, seq))


def open_payload(payload_key: bytes, device_id: str, seq: int, sealed: bytes) -> bytes:
    """The plaintext of a payload sealed for (device_id, seq).

    Raises SealError when it was changed, sealed under another key or for another position,
    or is too short to be a sealed payload."""
    if len(sealed) < NONCE_BYTES + 16:
        raise SealError("too short to be a sealed payload")
    aead = ChaCha20Poly1305(payload_key)
    try:
        nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        return aead.decrypt(nonce, ciphertext, position_data(device_id, seq))
    except InvalidTag:
        raise SealError(
            "the payload does not open: changed, another group's, or moved to another position"
        ) from None


def position_data(device_id: str, seq: int) -> bytes:
    """The associated data binding a payload to its position (unambiguous: length-prefixed)."""
    if not 1 <= seq <= MAX_SEQUENCE:
        raise ValueError(f"a sequence number is from 1 to {MAX_SEQUENCE}")
    device = device_id.encode("utf-8")
    return PAYLOAD_AAD_LABEL + struct.pack(">H", len(device)) + device + struct.pack(">Q", seq)


def _hkdf(group_secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(
        group_secret
    )
