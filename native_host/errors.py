"""Error codes of the native-messaging protocol.

The list is append only: never rename, reuse or remove a code, always add at the end.
docs/PROTOCOL.md carries the same table (tests/test_docs.py checks they agree).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """Codes a client may see in `error.code`. Do not modify; always append."""

    BAD_FRAME = "bad_frame"  # the length prefix or body could not be read (truncated stream)
    TOO_LARGE = "too_large"  # the declared frame length is over the host's cap
    BAD_JSON = "bad_json"  # the body is not UTF-8 JSON, or not a JSON object
    INVALID = "invalid"  # a field is missing, of the wrong type, out of range, or unknown
    UNKNOWN_TYPE = "unknown_type"  # `type` names no request kind
    UNSUPPORTED_VERSION = "unsupported_version"  # `v` is not a protocol version the host speaks
    INTERNAL = "internal"  # the host failed; the request changed nothing
    REPLY_TOO_LARGE = "reply_too_large"  # the reply would exceed 1 MiB and was not sent
    STORAGE = "storage"  # the ledger could not commit (disk full, locked too long); nothing changed
    UNKNOWN_EVENT = "unknown_event"  # `undo` names no usage event this ledger holds
    PAIRING_CODE = "pairing_code"  # a pairing code is refused (mistyped, or not a code)
    KEYRING = "keyring"  # the OS keyring cannot keep or give back the group secret
    NOT_PAIRED = "not_paired"  # the request needs a sync group and this device is in none
    ALREADY_PAIRED = "already_paired"  # this device is in a group: leave it first
    SYNC_FAILED = "sync_failed"  # an exchange with the hub or the shared folder failed


class HostError(Exception):
    """A failure that becomes one error reply; raise it anywhere below dispatch."""

    def __init__(self, code: ErrorCode, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params
        self.text_key: str | None = None  # set by `for_people`

    @classmethod
    def for_people(cls, code: ErrorCode, text_key: str, **params: Any) -> HostError:
        """An error whose message a user reads (the popup shows it): the i18n text
        `text_key`, filled in with `params`, in the request's language (see to_error)."""
        from native_host.i18n import text

        error = cls(code, text("en", text_key, **params), **params)
        error.text_key = text_key
        return error

    def to_error(self, language: str = "en") -> dict[str, Any]:
        message = self.message
        if self.text_key is not None:
            from native_host.i18n import text

            message = text(language, self.text_key, **self.params)
        error: dict[str, Any] = {"code": self.code.value, "message": message}
        if self.params:
            error["params"] = self.params
        return error
