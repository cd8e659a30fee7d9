"""Drive the real helper process over real pipes, as a browser does: the product's own
client (native_host/pipe_client.py) with what the black-box tests add to it."""

from __future__ import annotations

import os
import shlex
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from native_host.framing import MAX_REPLY
from native_host.installer import DEV_EXTENSION_ID
from native_host.pipe_client import HostPipe

CHROME_ORIGIN = f"chrome-extension://{DEV_EXTENSION_ID}/"


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


class HostProcess(HostPipe):
    """One helper process; `command` replaces HELPER (wrappers, other hosts).

    Every frame read is checked against the browsers' limit (a frame of 1 MiB or more is
    a ValueError), so any test that reads replies also checks the helper never sends one
    a browser would drop.
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
        argv = [*launcher, *(args or (CHROME_ORIGIN,))]
        super().__init__(argv, full_env, max_frame=MAX_REPLY - 1, timeout=10.0)

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

    def request(self, kind: str, timeout: float | None = None, **fields: Any) -> dict[str, Any]:
        """Send a request; the very next reply must be its own (`id` may be given)."""
        request_id = fields.pop("id", None) or str(uuid.uuid4())
        self.send({"v": 1, "id": request_id, "type": kind, **fields})
        reply = self.read_reply(self.timeout if timeout is None else timeout)
        assert reply["id"] == request_id, reply
        return reply

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.close()
