"""Every exception the sync core raises, so a shell can catch exactly what it expects.

SyncError
├── SealError            open() refused a payload: tampered, wrong key or wrong position
├── PairingCodeError     a pairing code is refused; `reason` says why, for the CLI's text
├── TransportError       an exchange with the hub or the folder failed; `reason` says why
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


TransportProblem = Literal[
    "unreachable",  # no connection: wrong address, the hub is down, no network
    "tls",  # the TLS handshake failed (a wss:// hub's certificate, or ws:// to a TLS port)
    "unknown_group",  # the hub keeps no such group and would not enroll it
    "authentication",  # a proof was wrong: another group's hub, or not the hub we think
    "refused",  # the hub closed the connection with a code that says why (see PROTOCOL.md)
    "protocol",  # the other side sent something that is not the protocol
    "timeout",  # no answer in time
    "folder",  # the shared folder cannot be read or written
]


class TransportError(SyncError):
    """An exchange failed. `reason` is one of TransportProblem (the CLI and the popup say
    it in the user's language); `detail` is for the log, in English, and holds no secret
    and no payload."""

    def __init__(self, reason: TransportProblem, detail: str) -> None:
        super().__init__(detail)
        self.reason: TransportProblem = reason
        self.detail = detail


class ProtocolError(SyncError):
    """Base of the handshake and exchange errors."""


class MessageError(ProtocolError):
    """The peer's message is not JSON, not an object, of an unknown type or bad fields."""


class AuthenticationError(ProtocolError):
    """The peer does not know the group's handshake key, or replayed an old handshake."""


class StateError(ProtocolError):
    """A handshake method was called out of order (a bug in our caller, not the peer)."""
