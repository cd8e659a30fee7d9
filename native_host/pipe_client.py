"""Talk to a helper process over its pipes, as a browser does.

The one native-messaging client of the project: `doctor` and `demo` use it, the
black-box tests (tests/hostproc.py) and the benchmarks (bench/run.py) are thin layers on
it. Frames are split by native_host/framing.py. Reads wait with select() on POSIX, on
the calling thread, so the client adds no thread hop to a measured round trip; Windows
pipes cannot be select()ed, so there a thread reads and hands the bytes over.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from native_host import PROTOCOL_VERSION
from native_host.framing import MAX_REPLY, NEED_DATA, FrameDecoder, FramingError, encode_frame

READ_SIZE = 1 << 20


class HostPipe:
    """A running helper; `request` sends one request and returns its reply.

    `max_frame` is the largest reply body accepted (a larger one is a ValueError);
    `timeout` the default wait of every read, in seconds; `stderr` where the helper's
    stderr goes (by default a temporary file that `failure` reads).
    """

    threaded_reads = sys.platform == "win32"  # Windows pipes cannot be select()ed

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str] | None = None,
        *,
        cwd: Path | None = None,
        stderr: int | None = None,
        max_frame: int = MAX_REPLY,
        timeout: float = 5.0,
    ) -> None:
        self._stderr: IO[bytes] | None = None
        if stderr is None:
            self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr if self._stderr is not None else stderr,
            env=dict(env) if env is not None else None,
            cwd=cwd,
        )
        self.timeout = timeout
        self._decoder = FrameDecoder(max_frame=max_frame)
        self._ended = False
        self._chunks: queue.Queue[bytes] | None = None
        if self.threaded_reads:
            self._chunks = queue.Queue()
            threading.Thread(target=self._pump_chunks, daemon=True).start()

    # -- writing ---------------------------------------------------------------------------
    def send_raw(self, data: bytes) -> None:
        """Write bytes as they are (framed or not) to the helper's stdin."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message: Mapping[str, Any]) -> None:
        self.send_raw(encode_frame(json.dumps(message).encode()))

    # -- reading ---------------------------------------------------------------------------
    def _pump_chunks(self) -> None:
        """Read stdout on a thread (Windows); b"" says the stream is over."""
        assert self.proc.stdout is not None and self._chunks is not None
        fd = self.proc.stdout.fileno()
        try:
            while chunk := os.read(fd, READ_SIZE):
                self._chunks.put(chunk)
        except OSError:
            pass
        self._chunks.put(b"")

    def _next_chunk(self, timeout: float) -> bytes:
        """The next bytes from stdout (b"" at its end); TimeoutError if none come."""
        if self._chunks is not None:
            try:
                return self._chunks.get(timeout=timeout)
            except queue.Empty:
                raise TimeoutError from None
        import select  # POSIX only, hence here

        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        if not select.select([fd], [], [], timeout)[0]:
            raise TimeoutError
        return os.read(fd, READ_SIZE)

    def read_frame(self, timeout: float | None = None) -> bytes:
        """The next frame's body, raw.

        Raises:
            TimeoutError: no whole frame within `timeout` seconds.
            EOFError: the helper closed its output.
            ValueError: a frame over `max_frame`, or the stream ended inside one.
        """
        wait = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + wait
        while True:
            try:
                body = self._decoder.next_frame()
            except FramingError as error:
                raise ValueError(f"bad frame from the helper: {error}") from None
            if body is not NEED_DATA:
                assert isinstance(body, bytes)
                return body
            if self._ended:
                raise EOFError("the helper closed its output")
            try:
                chunk = self._next_chunk(max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                raise TimeoutError(f"no reply within {wait:g} s") from None
            if chunk:
                self._decoder.feed(chunk)
            else:
                self._ended = True
                self._decoder.feed_eof()

    def read(self, timeout: float | None = None) -> dict[str, Any]:
        """The next message from the helper (a reply or a push).

        Raises:
            TimeoutError, EOFError: as `read_frame`.
            ValueError: what came was not a frame of a UTF-8 JSON object.
        """
        body = self.read_frame(timeout)
        try:
            message = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"reply is not UTF-8 JSON: {error}") from None
        if not isinstance(message, dict):
            raise ValueError(f"reply is not a JSON object: {message!r}")
        return message

    def request(self, kind: str, timeout: float | None = None, **fields: Any) -> dict[str, Any]:
        """Send a request and return its reply, skipping unsolicited pushes."""
        request_id = str(uuid.uuid4())
        self.send({"v": PROTOCOL_VERSION, "id": request_id, "type": kind, **fields})
        while True:
            message = self.read(timeout)
            if message.get("id") == request_id:
                return message

    # -- ending ----------------------------------------------------------------------------
    def _end(self, timeout: float) -> int:
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

    def close(self, timeout: float = 5.0) -> int:
        """End the helper as a browser does (see `_end`); its exit status."""
        code = self._end(timeout)
        if self._stderr is not None:
            self._stderr.close()
        return code

    def failure(self) -> tuple[int, str]:
        """After a failed exchange: the exit status and the last line the helper wrote to
        stderr ("" if none), to show the user why."""
        code = self._end(5.0)
        if self._stderr is None or self._stderr.closed:
            return code, ""
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        self._stderr.close()
        return code, lines[-1][:300] if lines else ""

    def __enter__(self) -> HostPipe:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
