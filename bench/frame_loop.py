"""The frame loop both baseline hosts run: read a native-messaging frame from stdin,
write the answer as a frame to stdout, stop at EOF.

Raw descriptors and struct only, so the echo host that runs nothing else stays the
floor of a round trip. Each host passes what it does with one request body.
"""

from __future__ import annotations

import os
import struct

TYPE_CHECKING = False  # typing is not imported: the echo host loads nothing it does not use
if TYPE_CHECKING:
    from collections.abc import Callable

HEADER = struct.Struct("=I")


def read_exact(size: int) -> bytes | None:
    """`size` bytes from stdin, or None at EOF (a whole or a cut frame alike)."""
    data = b""
    while len(data) < size:
        chunk = os.read(0, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def serve(answer: Callable[[bytes], bytes]) -> int:
    """Answer every frame on stdin with `answer(body)` as one frame; 0 at EOF."""
    while True:
        header = read_exact(HEADER.size)
        if header is None:
            return 0
        body = read_exact(HEADER.unpack(header)[0])
        if body is None:
            return 0
        reply = answer(body)
        os.write(1, HEADER.pack(len(reply)) + reply)
