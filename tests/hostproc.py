"""Drive the real helper process over real pipes, as a browser does."""

from __future__ import annotations

import json
import os
import select
import shlex
import struct
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from native_host.installer import DEV_EXTENSION_ID

CHROME_ORIGIN = f"chrome-extension://{DEV_EXTENSION_ID}/"
MAX_REPLY = 1024 * 1024  # browsers drop host→browser messages of 1 MiB or more


def bound_by_permissions() -> list[str]:
    """A command prefix under which file permissions bind the helper as they bind a user.

    As root (CI runs as root) the helper keeps its uid but loses the capabilities that
    override permissions, so a read-only folder is read-only to it too.
    """
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]


# The helper the black-box tests start: `python -m native_host`, or the command in
# CREDIT_GUARD_HELPER_COMMAND (the frozen helper: build_scripts/test_frozen.sh).
HELPER_COMMAND_VARIABLE = "CREDIT_GUARD_HELPER_COMMAND"
HELPER = shlex.split(os.environ.get(HELPER_COMMAND_VARIABLE, "")) or [
    sys.executable,
    "-m",
    "native_host",
]
python_helper_only = pytest.mark.skipif(
    HELPER_COMMAND_VARIABLE in os.environ,
    reason="runs the helper's Python modules in a wrapper, which a given helper command"
    " (the frozen helper) cannot",
)


class HostProcess:
    """One helper process; `command` replaces HELPER (wrappers, other hosts).

    Every frame read is checked against the browsers' 1 MiB limit, so any test that
    reads replies also checks the helper never sends one a browser would drop.
    """

    def __init__(
        self,
        home: Path,
        *args: str,
        env: dict[str, str] | None = None,
        command: Sequence[str] | None = None,
    ) -> None:
        full_env = {**os.environ, "CREDIT_GUARD_HOME": str(home), **(env or {})}
        launcher = list(command) if command else HELPER
        self.proc = subprocess.Popen(
            [*launcher, *(args or (CHROME_ORIGIN,))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=full_env,
        )
        self._buffer = b""

    def send_raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode()
        self.send_raw(struct.pack("=I", len(body)) + body)

    def _read_exact(self, size: int, timeout: float) -> bytes:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while len(self._buffer) < size:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError(f"no frame within {timeout} s")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise EOFError("the helper closed stdout")
            self._buffer += chunk
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def read_frame(self, timeout: float = 10.0) -> bytes:
        """The next frame's body, raw."""
        (length,) = struct.unpack("=I", self._read_exact(4, timeout))
        body = self._read_exact(length, timeout)  # read first: the stream stays in step
        assert length < MAX_REPLY, f"the helper sent a frame of {length} bytes"
        return body

    def read(self, timeout: float = 10.0) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(self.read_frame(timeout))
        return message

    def read_reply(self, timeout: float = 10.0) -> dict[str, Any]:
        """The next reply, skipping unsolicited pushes."""
        while True:
            message = self.read(timeout)
            if "ok" in message:
                return message

    def pushes(self, seconds: float) -> list[dict[str, Any]]:
        """Every tally.changed the helper sends within `seconds` (send it nothing)."""
        found = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self.read(timeout=left)
            except TimeoutError:
                break
            if message.get("type") == "tally.changed":
                found.append(message)
        return found

    def request(self, kind: str, **fields: Any) -> dict[str, Any]:
        request_id = fields.pop("id", None) or str(uuid.uuid4())
        self.send({"v": 1, "id": request_id, "type": kind, **fields})
        reply = self.read_reply()
        assert reply["id"] == request_id, reply
        return reply

    def close(self, timeout: float = 5.0) -> int:
        assert self.proc.stdin is not None
        if not self.proc.stdin.closed:
            self.proc.stdin.close()
        code = self.proc.wait(timeout)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return code

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.close()
