"""The bare echo host: the floor a native-messaging round trip can reach in Python.

Reads a frame from stdin and writes the same bytes back as a frame, nothing else, so
`run.py` can report the real helper's round trip as a ratio of the pipe and framing cost.
The frame loop is the one minimal_host.py runs too (frame_loop.py).
"""

from __future__ import annotations

from frame_loop import serve


def echo(body: bytes) -> bytes:
    return body


if __name__ == "__main__":
    raise SystemExit(serve(echo))
