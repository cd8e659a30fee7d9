"""A sync hub in a process of its own (`python -m native_host.sync.hub`), for tests that
kill it or talk to it from other processes."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def hub_process(db: Path, port: int = 0) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """A hub in a process of its own (`python -m native_host.sync.hub`), to kill."""
    process = subprocess.Popen(
        [sys.executable, "-m", "native_host.sync.hub", str(db), str(port)],
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
