"""The one native-messaging client (native_host/pipe_client.py) against real processes
over real pipes, in both of its ways of reading: select() on the calling thread (POSIX)
and a reader thread (what Windows uses, run here too)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from native_host.framing import encode_frame
from native_host.pipe_client import HostPipe
from tests.hostproc import CHROME_ORIGIN, HELPER


class ThreadedHostPipe(HostPipe):
    threaded_reads = True


@pytest.fixture(params=[HostPipe, ThreadedHostPipe], ids=["select", "thread"])
def pipe_class(request: pytest.FixtureRequest) -> Iterator[type[HostPipe]]:
    yield request.param


def writer(*chunks: bytes, then: str = "") -> list[str]:
    """A process that writes `chunks` to stdout, flushing each, then runs `then`."""
    code = (
        "import sys, time\n"
        f"for chunk in {list(chunks)!r}:\n"
        "    sys.stdout.buffer.write(chunk); sys.stdout.buffer.flush(); time.sleep(0.05)\n"
        f"{then}\n"
    )
    return [sys.executable, "-c", code]


def test_the_real_helper_answers_hello(pipe_class: type[HostPipe], tmp_path: Path) -> None:
    env = {"CREDIT_GUARD_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    with pipe_class([*HELPER, CHROME_ORIGIN], env) as host:
        reply = host.request("hello", timeout=30, extension_version="t", browser="t")
        assert reply["ok"] is True
        assert host.close() == 0


def test_frames_split_across_writes_are_joined(pipe_class: type[HostPipe]) -> None:
    whole = encode_frame(b'{"n": 1}') + encode_frame(b'{"n": 2}')
    with pipe_class(writer(whole[:3], whole[3:11], whole[11:])) as host:
        assert [host.read(), host.read()] == [{"n": 1}, {"n": 2}]
        with pytest.raises(EOFError):
            host.read()
        with pytest.raises(EOFError):
            host.read()  # and every read after


def test_silence_is_a_timeout(pipe_class: type[HostPipe]) -> None:
    with pipe_class(writer(then="sys.stdin.read()")) as host, pytest.raises(TimeoutError):
        host.read(timeout=0.3)


def test_an_oversize_frame_is_refused_and_the_next_one_still_read(
    pipe_class: type[HostPipe],
) -> None:
    stream = encode_frame(b'"' + b"x" * 200 + b'"') + encode_frame(b'{"after": true}')
    with pipe_class(writer(stream), max_frame=100) as host:
        with pytest.raises(ValueError, match="bad frame"):
            host.read()
        assert host.read() == {"after": True}


def test_a_stream_ending_inside_a_frame_is_a_bad_frame(pipe_class: type[HostPipe]) -> None:
    with pipe_class(writer(encode_frame(b'{"cut": 1}')[:7])) as host:
        with pytest.raises(ValueError, match="bad frame"):
            host.read()
        with pytest.raises(EOFError):
            host.read()


def test_failure_says_the_exit_status_and_the_last_stderr_line(
    pipe_class: type[HostPipe],
) -> None:
    with pipe_class(writer(then="sys.stderr.write('first\\nbroken here\\n'); sys.exit(3)")) as host:
        with pytest.raises(EOFError):
            host.read()
        assert host.failure() == (3, "broken here")
