"""The bare echo host: the floor a native-messaging round trip can reach in Python.

Reads a frame from stdin and writes the same bytes back as a frame, nothing else, so
`run.py` can report the real helper's round trip as a ratio of the pipe and framing cost.
"""

from __future__ import annotations

import os
import struct

HEADER = struct.Struct("=I")


def read_exact(size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = os.read(0, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def main() -> int:
    while True:
        header = read_exact(HEADER.size)
        if header is None:
            return 0
        body = read_exact(HEADER.unpack(header)[0])
        if body is None:
            return 0
        os.write(1, header + body)


if __name__ == "__main__":
    raise SystemExit(main())
