"""Talk to a helper process over its pipes, as a browser does (doctor, demo, tests).

Frames are read by a thread rather than select(), which does not work on Windows pipes.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from native_host import PROTOCOL_VERSION
from native_host.framing import MAX_REPLY, NEED_DATA, FrameDecoder, FramingError, encode_frame


class HostPipe:
    """A running helper; `request` sends one request and returns its reply."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str] | None = None) -> None:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed in __exit__)
        self.proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=dict(env) if env is not None else None,
        )
        self._frames: queue.Queue[bytes | Exception] = queue.Queue()
        threading.Thread(target=self._read_frames, daemon=True).start()

    def _read_frames(self) -> None:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        decoder = FrameDecoder(max_frame=MAX_REPLY)
        try:
            while True:
                body = decoder.next_frame()
                if body is not NEED_DATA:
                    assert isinstance(body, bytes)
                    self._frames.put(body)
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    decoder.feed_eof()
                    decoder.next_frame()
                    self._frames.put(EOFError("the helper closed its output"))
                    return
                decoder.feed(chunk)
        except (FramingError, OSError) as error:
            self._frames.put(ValueError(f"bad frame from the helper: {error}"))

    def send(self, message: Mapping[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(encode_frame(json.dumps(message).encode()))
        self.proc.stdin.flush()

    def read(self, timeout: float = 5.0) -> dict[str, Any]:
        """The next message from the helper.

        Raises:
            TimeoutError: none within `timeout` seconds.
            EOFError: the helper closed its output.
            ValueError: what came was not a frame of a UTF-8 JSON object.
        """
        try:
            item = self._frames.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"no reply within {timeout:g} s") from None
        if isinstance(item, Exception):
            self._frames.put(item)  # the stream is over: say so to every later read too
            raise item
        try:
            message = json.loads(item.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"reply is not UTF-8 JSON: {error}") from None
        if not isinstance(message, dict):
            raise ValueError(f"reply is not a JSON object: {message!r}")
        return message

    def request(self, kind: str, timeout: float = 5.0, **fields: Any) -> dict[str, Any]:
        """Send a request and return its reply, skipping unsolicited pushes."""
        request_id = str(uuid.uuid4())
        self.send({"v": PROTOCOL_VERSION, "id": request_id, "type": kind, **fields})
        while True:
            message = self.read(timeout)
            if message.get("id") == request_id:
                return message

    def close(self, timeout: float = 5.0) -> int:
        """Close stdin (the browser going away), wait for the exit, kill if it lingers."""
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.close()
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return code

    def failure(self) -> tuple[int, str]:
        """After a failed exchange: the exit status and the last line the helper wrote to
        stderr ("" if none), to show the user why."""
        code = self.close()
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        return code, lines[-1][:300] if lines else ""

    def __enter__(self) -> HostPipe:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
        self._stderr.close()
