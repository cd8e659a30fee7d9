"""A sync hub in a process of its own (`python -m native_host.sync.hub`), for tests that
kill it or talk to it from other processes; and any server started the same way (the
websocket echo baseline of bench/sync.py)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def hub_process(
    db: Path, port: int = 0
) -> contextlib.AbstractContextManager[tuple[subprocess.Popen[str], str]]:
    """A hub in a process of its own (`python -m native_host.sync.hub`), to kill."""
    return listening([sys.executable, "-m", "native_host.sync.hub", str(db), str(port)])


@contextlib.contextmanager
def listening(command: Sequence[str]) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """A server that prints the port it listens on, alone on a line, as the hub does: the
    process and its `ws://127.0.0.1:PORT` address; killed after."""
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process, f"ws://127.0.0.1:{int(process.stdout.readline())}"
    finally:
        process.kill()
        process.wait()
