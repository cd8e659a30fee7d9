"""Every exception the sync core raises, so a shell can catch exactly what it expects.

SyncError
├── SealError            open() refused a payload: tampered, wrong key or wrong position
├── PairingCodeError     a pairing code is refused; `reason` says why, for the CLI's text
└── ProtocolError
    ├── MessageError         the peer sent something that is not a valid message
    ├── AuthenticationError  the peer's proof is wrong (wrong key, replayed handshake)
    └── StateError           our own caller used a handshake out of order
"""

from __future__ import annotations

from typing import Literal

PairingProblem = Literal["empty", "character", "checksum", "version", "content"]


class SyncError(Exception):
    """Base of every error of the sync core."""


class SealError(SyncError):
    """A sealed payload does not open: never tell the caller which check failed."""


class PairingCodeError(SyncError, ValueError):
    """A pairing code is refused as a whole: nothing of it is used.

    `reason`: "empty", "character" (`position` is the 0-based index of the first symbol
    outside the alphabet, separators not counted), "checksum" (a mistyped or swapped
    symbol), "version" (made by a newer Credit Guard), "content" (well-formed but not a
    pairing: a checksum collision or a bug on the other side).
    """

    def __init__(self, reason: PairingProblem, detail: str, position: int | None = None):
        super().__init__(detail)
        self.reason: PairingProblem = reason
        self.position = position


class ProtocolError(SyncError):
    """Base of the handshake and exchange errors."""


class MessageError(ProtocolError):
    """The peer's message is not JSON, not an object, of an unknown type or bad fields."""


class AuthenticationError(ProtocolError):
    """The peer does not know the group's handshake key, or replayed an old handshake."""


class StateError(ProtocolError):
    """A handshake method was called out of order (a bug in our caller, not the peer)."""
