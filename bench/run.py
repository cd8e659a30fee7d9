"""Benchmarks of the helper, each measured side by side with a baseline, as ratios.

    python bench/run.py [--requests N] [--quick]

Prints three sections: (i) request round trip over real pipes, p50 and p99, of the
helper answering `hello` and `preflight` against a bare echo host; (ii) cold start,
spawn to the first `hello` reply and to the first `preflight` reply, of the helper
against a minimal host importing the same libraries, interleaved; (iii) acknowledged
durable `usage` events per second, one in flight and pipelined. Absolute numbers depend
on the machine; the ratios are what the quality bars in DESIGN.md are about. Every run
uses fresh temporary data directories. Exits 0 whatever the figures: benchmarks report,
they do not gate.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from native_host.framing import encode_frame
from native_host.installer import DEV_EXTENSION_ID
from native_host.pipe_client import HostPipe

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
ORIGIN = f"chrome-extension://{DEV_EXTENSION_ID}/"
ACCOUNT = "bench@example.com"

HELPER = [sys.executable, "-m", "native_host", ORIGIN]
ECHO = [sys.executable, str(BENCH / "echo_host.py")]
MINIMAL = [sys.executable, str(BENCH / "minimal_host.py")]

TARGET_ROUND_TRIP = 4.0  # helper p50 ≤ 4× the echo host over raw pipes
TARGET_COLD_START = 1.3  # helper ≤ 1.3× the minimal host
TARGET_EVENTS = 2000.0  # durable usage events per second


def frame(message: dict[str, Any]) -> bytes:
    return encode_frame(json.dumps(message, separators=(",", ":")).encode())


class Pipe(HostPipe):
    """A host process driven over its pipes by the project's one client
    (native_host/pipe_client.py): the same client for every host, so its own cost cancels
    out of the ratios."""

    def __init__(self, command: Sequence[str], home: Path) -> None:
        env = {**os.environ, "CREDIT_GUARD_HOME": str(home), "PYTHONPATH": str(ROOT)}
        super().__init__(command, env, cwd=ROOT, stderr=subprocess.DEVNULL, timeout=30.0)

    def reply(self) -> dict[str, Any]:
        """The next reply, skipping `tally.changed` pushes."""
        while True:
            message = self.read()
            if "ok" in message or message.get("type") != "tally.changed":
                return message

    def ask(self, data: bytes) -> dict[str, Any]:
        self.send_raw(data)
        return self.reply()


@contextmanager
def fresh_home() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="credit-guard-bench-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def usage_frame(index: int, credits: float = 4) -> bytes:
    return frame(
        {
            "v": 1,
            "id": f"u{index}",
            "type": "usage",
            "event_id": str(uuid.uuid4()),
            "account": ACCOUNT,
            "operation": "image" if index % 3 else "chat",
            "at": now_text(),
            "credits": credits,
            "model": "bench-model",
        }
    )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


# ---------------------------------------------------------------- (i) round trip


ROUND_TRIP_BLOCK = 100


def round_trip(requests: int, block: int) -> dict[str, float]:
    """p50/p99 per host. block=1 interleaves single requests (each host has slept while the
    others ran: caches cold, as for a user's occasional click); a larger block alternates
    runs of that many requests (warm, as during a burst of page activity)."""
    hello = frame({"v": 1, "id": "h", "type": "hello", "extension_version": "1.0.0"})
    preflight = frame(
        {"v": 1, "id": "p", "type": "preflight", "account": ACCOUNT, "operation": "image"}
        | {"model": "bench-model", "prompt_chars": 400}
    )
    samples: dict[str, list[float]] = {"echo": [], "hello": [], "preflight": []}
    with fresh_home() as home:
        echo, helper = Pipe(ECHO, home), Pipe(HELPER, home)
        try:
            for index in range(60):  # an account with history, as preflight normally meets
                assert helper.ask(usage_frame(index))["ok"]
            cases = [("echo", echo, preflight), ("hello", helper, hello)]
            cases.append(("preflight", helper, preflight))
            for _ in range(50):  # warm up: imports, schema builds, caches
                for _name, pipe, data in cases:
                    pipe.ask(data)
            for index in range(max(1, requests // block)):
                for offset in range(3):  # alternating, the order rotating, so noise is shared
                    name, pipe, data = cases[(index + offset) % 3]
                    for _ in range(block):
                        started = time.perf_counter()
                        reply = pipe.ask(data)
                        samples[name].append(time.perf_counter() - started)
                        if pipe is helper:
                            assert reply["ok"], reply
        finally:
            echo.close()
            helper.close()
    figures: dict[str, float] = {}
    for name, values in samples.items():
        figures[f"{name}_p50"] = percentile(values, 0.50)
        figures[f"{name}_p99"] = percentile(values, 0.99)
    return figures


def print_round_trip(figures: dict[str, float], requests: int, block: int) -> None:
    how = (
        "interleaved one by one (cold)" if block == 1 else f"in alternating runs of {block} (warm)"
    )
    print(f"== (i) round trip over real pipes: {requests} requests each, {how} ==")
    print(f"  {'host':<22}{'p50 µs':>10}{'p99 µs':>10}   ratio to echo (p50 / p99)")
    echo50, echo99 = figures["echo_p50"], figures["echo_p99"]
    print(f"  {'echo host':<22}{echo50 * 1e6:>10.0f}{echo99 * 1e6:>10.0f}")
    for name in ("hello", "preflight"):
        p50, p99 = figures[f"{name}_p50"], figures[f"{name}_p99"]
        ratio = p50 / echo50
        print(
            f"  {'helper ' + name:<22}{p50 * 1e6:>10.0f}{p99 * 1e6:>10.0f}"
            f"   p50 ratio: {ratio:.2f}x  p99 ratio: {p99 / echo99:.2f}x"
            f"   target p50 ≤ {TARGET_ROUND_TRIP:g}x: {verdict(ratio <= TARGET_ROUND_TRIP)}"
        )


# ---------------------------------------------------------------- (ii) cold start


COLD_HELLO = frame({"v": 1, "id": "cold", "type": "hello", "extension_version": "1.0.0"})
COLD_PREFLIGHT = frame(
    {"v": 1, "id": "cold", "type": "preflight", "account": ACCOUNT, "operation": "image"}
    | {"model": "bench-model", "prompt_chars": 400}
)


def spawn_to_reply(command: Sequence[str], home: Path, request: bytes = COLD_HELLO) -> float:
    """Seconds from spawn to the whole first reply; the request is written at once, as a
    browser does right after launching the host."""
    started = time.perf_counter()
    pipe = Pipe(command, home)
    try:
        pipe.send_raw(request)
        reply = pipe.reply()
        elapsed = time.perf_counter() - started
        assert reply.get("ok"), reply
    finally:
        pipe.close()
    return elapsed


def cold_start(runs: int) -> dict[str, float]:
    """Medians of spawn → first reply: the minimal host's `hello`, the helper's `hello`
    and the helper's `preflight` (an account with 60 events, as a click meets after the
    browser let the helper go), in a rotating order so noise hits all three alike."""
    times: dict[str, list[float]] = {name: [] for name in ("minimal", "hello", "preflight")}
    times["first_launch"] = []
    cases = [("minimal", MINIMAL, COLD_HELLO), ("hello", HELPER, COLD_HELLO)]
    cases.append(("preflight", HELPER, COLD_PREFLIGHT))
    with fresh_home() as home:
        helper = Pipe(HELPER, home)  # the data dir exists, as on every launch but the first
        for index in range(60):
            assert helper.ask(usage_frame(index))["ok"]
        helper.close()
        for _name, command, request in cases:  # the interpreter's files in the page cache
            spawn_to_reply(command, home, request)
        for index in range(runs):
            for offset in range(3):
                name, command, request = cases[(index + offset) % 3]
                times[name].append(spawn_to_reply(command, home, request))
    for _ in range(max(3, runs // 4)):
        with fresh_home() as home:
            times["first_launch"].append(spawn_to_reply(HELPER, home))
    return {name: statistics.median(values) for name, values in times.items()}


def print_cold_start(figures: dict[str, float], runs: int) -> None:
    print(f"== (ii) cold start, spawn to first reply: {runs} runs each, interleaved ==")
    ratio = figures["hello"] / figures["minimal"]
    print(f"  {'minimal host hello':<22}median {figures['minimal'] * 1e3:7.1f} ms")
    print(
        f"  {'helper hello':<22}median {figures['hello'] * 1e3:7.1f} ms   ratio: {ratio:.2f}x"
        f"   target ≤ {TARGET_COLD_START:g}x: {verdict(ratio <= TARGET_COLD_START)}"
    )
    preflight = figures["preflight"] / figures["minimal"]
    print(
        f"  {'helper preflight':<22}median {figures['preflight'] * 1e3:7.1f} ms"
        f"   ratio: {preflight:.2f}x   (60 events on the account; informational)"
    )
    first = figures["first_launch"] / figures["minimal"]
    print(
        f"  {'helper, new data dir':<22}median {figures['first_launch'] * 1e3:7.1f} ms"
        f"   ratio: {first:.2f}x   (first launch ever: creates the ledger; informational)"
    )


# ---------------------------------------------------------------- (iii) durable events


def durable_events(count: int, window: int) -> float:
    """Acknowledged usage events per second, `window` requests in flight; checks each
    acknowledged event is in the ledger file afterwards."""
    frames = [usage_frame(index) for index in range(count)]
    with fresh_home() as home:
        helper = Pipe(HELPER, home)
        try:
            assert helper.ask(frame({"v": 1, "id": "h", "type": "hello"}))["ok"]
            started = time.perf_counter()
            sent = min(window, count)
            helper.send_raw(b"".join(frames[:sent]))
            for _ in range(count):
                reply = helper.reply()
                assert reply["ok"] and not reply["duplicate"], reply
                if sent < count:
                    helper.send_raw(frames[sent])
                    sent += 1
            elapsed = time.perf_counter() - started
        finally:
            helper.close()
        with sqlite3.connect(home / "ledger.sqlite3") as db:
            (stored,) = db.execute("SELECT COUNT(*) FROM events WHERE kind='usage'").fetchone()
        assert stored == count, f"{stored} of {count} acknowledged events in the ledger"
    return count / elapsed


def print_durable(rates: dict[int, float], count: int) -> None:
    print(f"== (iii) acknowledged durable usage events: {count} per run ==")
    for window, rate in rates.items():
        label = "one in flight" if window == 1 else f"pipelined, window {window}"
        ratio = rate / TARGET_EVENTS
        print(
            f"  {label:<22}{rate:8.0f} events/s   ratio to target: {ratio:.2f}x"
            f"   target ≥ {TARGET_EVENTS:,.0f}/s: {verdict(rate >= TARGET_EVENTS)}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, help="round trips per host (default 2000)")
    parser.add_argument("--quick", action="store_true", help="small counts, for tests")
    args = parser.parse_args(argv)
    requests = args.requests or (200 if args.quick else 2000)
    runs = 4 if args.quick else 20
    events = 200 if args.quick else 2000

    print(f"Credit Guard helper benchmarks (python {sys.version.split()[0]}, {sys.platform})")
    for block in (1, ROUND_TRIP_BLOCK):
        print_round_trip(round_trip(requests, block), requests, block)
    print_cold_start(cold_start(runs), runs)
    print_durable({window: durable_events(events, window) for window in (1, 64)}, events)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
