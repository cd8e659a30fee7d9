"""Talk to a helper process over its pipes, as a browser does (doctor, demo, tests)."""

from __future__ import annotations

import json
import os
import select
import subprocess
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from native_host import PROTOCOL_VERSION
from native_host.framing import NEED_DATA, FrameDecoder, encode_frame


class HostPipe:
    """A running helper; `request` sends one request and returns its reply."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=dict(env) if env is not None else None,
        )
        self._decoder = FrameDecoder()

    def send(self, message: Mapping[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(encode_frame(json.dumps(message).encode()))
        self.proc.stdin.flush()

    def read(self, timeout: float = 5.0) -> dict[str, Any]:
        """The next frame from the helper; TimeoutError or EOFError otherwise."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while True:
            body = self._decoder.next_frame()
            if body is not NEED_DATA:
                assert isinstance(body, bytes)
                message: dict[str, Any] = json.loads(body)
                return message
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError(f"the helper did not answer within {timeout} s")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise EOFError("the helper closed its output")
            self._decoder.feed(chunk)

    def request(self, kind: str, timeout: float = 5.0, **fields: Any) -> dict[str, Any]:
        """Send a request and return its reply, skipping unsolicited pushes."""
        request_id = str(uuid.uuid4())
        self.send({"v": PROTOCOL_VERSION, "id": request_id, "type": kind, **fields})
        while True:
            message = self.read(timeout)
            if message.get("id") == request_id:
                return message

    def close(self, timeout: float = 5.0) -> int:
        """Close stdin (the browser going away) and wait for a clean exit."""
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None and not stream.closed:
                stream.close()
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()

    def __enter__(self) -> HostPipe:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
