"""Native-messaging framing, sans I/O: a 4-byte native-order length, then UTF-8 JSON.

Feed whatever bytes arrive to `FrameDecoder.feed`, then call `next_frame` until it
returns `NEED_DATA`. A frame whose declared length is over the cap is skipped as its
bytes arrive (never buffered whole) and reported once as `FrameTooLarge`, so the
stream stays in step and the next frame decodes normally.
"""

from __future__ import annotations

import struct
from typing import Final

HEADER: Final = struct.Struct("=I")  # native byte order, as Chrome and Firefox write it
DEFAULT_MAX_FRAME: Final = 1024 * 1024
MAX_REPLY: Final = 1024 * 1024  # browsers refuse host→browser messages of 1 MiB or more


class NeedData:
    """Sentinel type: the decoder needs more bytes before it can return a frame."""

    def __repr__(self) -> str:
        return "NEED_DATA"


NEED_DATA: Final = NeedData()


class FramingError(Exception):
    """Base of the framing errors; the decoder stays usable after each one."""


class FrameTooLarge(FramingError):
    def __init__(self, declared: int, limit: int) -> None:
        super().__init__(f"frame of {declared} bytes is over the {limit}-byte limit")
        self.declared = declared
        self.limit = limit


class TruncatedFrame(FramingError):
    """The stream ended inside a header or a body."""


def encode_frame(payload: bytes) -> bytes:
    """Prefix `payload` with its length in native byte order."""
    return HEADER.pack(len(payload)) + payload


class FrameDecoder:
    """Splits a byte stream into frame bodies; holds no more than one frame of bytes."""

    def __init__(self, max_frame: int = DEFAULT_MAX_FRAME) -> None:
        self.max_frame = max_frame
        self._buffer = bytearray()
        self._skip = 0  # bytes of an oversize body still to discard
        self._eof = False

    def feed(self, data: bytes) -> None:
        """Add bytes read from the stream; call `next_frame` afterwards."""
        if self._skip:
            dropped = min(self._skip, len(data))
            self._skip -= dropped
            data = data[dropped:]
        self._buffer += data

    def feed_eof(self) -> None:
        """Say the stream has ended; `next_frame` then reports a truncated tail once."""
        self._eof = True

    @property
    def at_clean_end(self) -> bool:
        """True once EOF was fed and nothing is left over: the host may exit 0."""
        return self._eof and not self._buffer and not self._skip

    def next_frame(self) -> bytes | NeedData:
        """Return the next complete body, or NEED_DATA.

        Raises:
            FrameTooLarge: the next frame is over the cap; its bytes are being skipped.
            TruncatedFrame: the stream ended mid-frame; the leftover is dropped.
        """
        if self._skip:
            return self._need_more()
        if len(self._buffer) < HEADER.size:
            return self._need_more()
        (length,) = HEADER.unpack_from(self._buffer)
        if length > self.max_frame:
            del self._buffer[: HEADER.size]
            dropped = min(length, len(self._buffer))
            del self._buffer[:dropped]
            self._skip = length - dropped
            raise FrameTooLarge(length, self.max_frame)
        end = HEADER.size + length
        if len(self._buffer) < end:
            return self._need_more()
        body = bytes(self._buffer[HEADER.size : end])
        del self._buffer[:end]
        return body

    def _need_more(self) -> NeedData:
        if self._eof and (self._buffer or self._skip):
            held, missing = len(self._buffer), self._skip
            self._buffer.clear()
            self._skip = 0
            raise TruncatedFrame(
                f"stream ended inside a frame ({held} bytes of it held, {missing} to skip)"
            )
        return NEED_DATA


def well_formed(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD, as Chromium does to a message it
    passes on and as String.prototype.toWellFormed does: text that UTF-8 can carry."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
