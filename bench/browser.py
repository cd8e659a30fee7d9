"""The preflight round trip through a real browser, side by side with a bare echo host.

    python bench/browser.py [--requests N] [--quick]

One Chromium run with the real extension on a page of the fake Genspark
(devkit/fake_genspark.py). Inside the content script's isolated world (found over CDP)
a loop awaits `chrome.runtime.sendMessage({kind: "preflight", …})` N times: content
script → service worker → native host → service worker → content script, each timed with
`performance.now()`. The registered host is switched between the real helper and
`echo_native.py` (killed, the extension reconnects by itself) in alternating blocks
H E E H H E …, so machine noise hits both alike. Prints p50, p99 and the mean of both
paths and the ratios (target: helper p50 ≤ 1.3× echo), then the helper's own share over
raw pipes (run.py's round trip) next to the difference seen in the browser.
Exits 0 whatever the figures: benchmarks report, they do not gate.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# The development harness (devkit/, not installed: the repository is put on the path):
# browser, fake site, helper wrapper, as the end-to-end tests use them.
sys.path.insert(0, str(ROOT))

from playwright.sync_api import CDPSession, Page, sync_playwright  # noqa: E402
from run import Pipe, frame, now_text, percentile, round_trip, verdict  # noqa: E402

from devkit.browsers import (  # noqa: E402
    ACCOUNT,
    EXTENSION_ORIGIN,
    Helper,
    Session,
    chromium_session,
    find_chromium,
    python_for_helper,
    wait_until,
)
from devkit.fake_genspark import ORIGIN, FakeGenspark, make_certificate  # noqa: E402

TARGET = 1.3  # helper p50 ≤ 1.3× the echo host, through the browser
ECHO_VERSION = "bench-echo"  # echo_native.py's host_version
PAGE = f"{ORIGIN}/agents?type=image_generation_agent"  # a heavy page: the guard is active
PREFLIGHT = {
    "kind": "preflight",
    "account": ACCOUNT,
    "operation": "image",
    "prompt_chars": 400,  # what submit-guard.js sends, with a budget no run reaches
    "timeout_ms": 5000,
}
HISTORY = 60  # usage events of the account before the run, as in run.py's preflight

# Runs in the content script's isolated world: N preflights one after the other.
LOOP = """(async (count, message) => {
  const samples = [];
  const errors = [];
  const started = performance.now();
  for (let index = 0; index < count; index += 1) {
    const before = performance.now();
    const reply = await chrome.runtime.sendMessage(message);
    samples.push(performance.now() - before);
    if (!reply?.ok && errors.length < 5) errors.push(JSON.stringify(reply));
  }
  return { samples, errors, total: performance.now() - started };
})"""


@dataclass(frozen=True)
class Host:
    """A program the wrapper can run as the registered native host."""

    name: str
    command: str  # shell words after `exec`
    is_echo: bool


class Bench:
    """One browser session, the host switcher and the in-page loop."""

    def __init__(self, session: Session, helper: Helper, pidfile: Path) -> None:
        self.session = session
        self.helper = helper
        self.pidfile = pidfile
        self.page: Page = session.context.new_page()
        self.cdp: CDPSession = session.context.new_cdp_session(self.page)
        self.contexts: list[dict[str, Any]] = []
        self.cdp.on("Runtime.executionContextCreated", self._context_created)
        self.cdp.on("Runtime.executionContextDestroyed", self._context_destroyed)
        self.cdp.send("Runtime.enable")
        self.page.goto(PAGE)
        self.page.wait_for_selector("html[data-fake-ready='1']", state="attached")
        self.context_id = wait_until(self._content_world, "the content script's isolated world")

    def _context_created(self, event: dict[str, Any]) -> None:
        self.contexts.append(event["context"])

    def _context_destroyed(self, event: dict[str, Any]) -> None:
        gone = event["executionContextId"]
        self.contexts = [c for c in self.contexts if c["id"] != gone]

    def _content_world(self) -> int | None:
        """The id of the extension's isolated world in the page (CDP events arrive while
        Playwright waits, hence the short wait)."""
        self.page.wait_for_timeout(20)
        for context in reversed(self.contexts):
            aux = context.get("auxData", {})
            if aux.get("type") == "isolated" and context.get("origin") == EXTENSION_ORIGIN:
                return int(context["id"])
        return None

    def evaluate(self, expression: str) -> Any:
        """Run `expression` in the content script's world; its awaited value."""
        answer = self.cdp.send(
            "Runtime.evaluate",
            {
                "expression": expression,
                "contextId": self.context_id,
                "awaitPromise": True,
                "returnByValue": True,
            },
        )
        if "exceptionDetails" in answer:
            raise RuntimeError(f"in the content script: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def preflights(self, count: int) -> tuple[list[float], float]:
        """`count` preflights in a row: each round trip and the whole loop, in seconds."""
        result = self.evaluate(f"{LOOP}({count}, {json.dumps(PREFLIGHT)})")
        if result["errors"]:
            raise RuntimeError(f"preflight failed in the page: {result['errors']}")
        return [ms / 1000 for ms in result["samples"]], result["total"] / 1000

    def helper_state(self) -> dict[str, Any]:
        state: dict[str, Any] = self.evaluate("chrome.runtime.sendMessage({kind: 'helper.state'})")
        return state

    def host_pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text())
        except (OSError, ValueError):
            return None

    def switch(self, host: Host) -> None:
        """Register `host`, end the running one and wait until the extension is connected
        to the new one (port.js reconnects after a disconnect)."""
        register(self.helper, host, self.pidfile)
        old = self.host_pid()
        if old is not None and _is_host(old):
            os.kill(old, signal.SIGTERM)
        self.wait_connected(host, old)

    def wait_connected(self, host: Host, old: int | None) -> None:
        """Until the extension says hello to `host` in a process other than `old`."""

        def connected() -> bool:
            state = self.helper_state()
            pid = self.host_pid()
            return (
                state.get("state") == "connected"
                and (state.get("version") == ECHO_VERSION) == host.is_echo
                and pid is not None
                and pid != old
            )

        wait_until(connected, f"the extension connected to the {host.name}", timeout=30)


def register(helper: Helper, host: Host, pidfile: Path) -> None:
    """Make the wrapper Chromium starts run `host`, recording its process id."""
    helper.run_host(host.command, f"the {host.name}, under bench/browser.py", pidfile=pidfile)


def _is_host(pid: int) -> bool:
    """Whether `pid` is still one of the hosts our wrapper started (not a reused id)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"native_host" in command or b"echo_native.py" in command


def seed_history(home: Path) -> None:
    """Give the page's account a usage history, so preflight does its normal work."""
    command = [str(python_for_helper()), "-m", "native_host", f"{EXTENSION_ORIGIN}/"]
    pipe = Pipe(command, home)
    try:
        for index in range(HISTORY):
            usage = {"v": 1, "id": f"u{index}", "type": "usage", "account": ACCOUNT}
            usage |= {"event_id": f"00000000-0000-4000-8000-{index:012d}", "at": now_text()}
            usage |= {"operation": "image", "credits": 4, "model": "bench-model"}
            reply = pipe.ask(frame(usage))
            assert reply["ok"], reply
    finally:
        pipe.close()


HELPER_HOST = Host("helper", f"'{python_for_helper()}' -m native_host", False)
ECHO_HOST = Host("echo host", f"'{sys.executable}' '{BENCH / 'echo_native.py'}'", True)


def measure(requests: int, rounds: int, warmup: int) -> dict[str, Any]:
    """A fresh fake site, helper data and Chromium profile; then `blocks`."""
    with tempfile.TemporaryDirectory(prefix="credit-guard-bench-browser-") as folder:
        tmp = Path(folder)
        (tmp / "cert").mkdir()
        fake = FakeGenspark(make_certificate(tmp / "cert")).start()
        helper = Helper(tmp / "helper-home")
        seed_history(helper.home)
        pidfile = tmp / "host.pid"
        register(helper, HELPER_HOST, pidfile)  # before the browser starts it: its pid is known
        browser_dir = tmp / "browser"
        browser_dir.mkdir()
        try:
            with (
                sync_playwright() as playwright,
                chromium_session(playwright, fake, helper, browser_dir) as session,
            ):
                session.context.set_default_timeout(30_000)
                bench = Bench(session, helper, pidfile)
                bench.wait_connected(HELPER_HOST, None)
                return blocks(bench, requests, rounds, warmup)
        finally:
            fake.stop()


def blocks(bench: Bench, requests: int, rounds: int, warmup: int) -> dict[str, Any]:
    """Samples per host over `rounds` rounds of (helper, echo) blocks, order alternating."""
    block = math.ceil(requests / rounds)
    samples: dict[str, list[float]] = {"helper": [], "echo": []}
    totals: dict[str, float] = {"helper": 0.0, "echo": 0.0}
    version = bench.cdp.send("Browser.getVersion")["product"]
    bench.preflights(warmup)  # the extension's code, the helper's caches
    current = HELPER_HOST
    for index in range(rounds):
        order = [HELPER_HOST, ECHO_HOST]
        for host in order if index % 2 == 0 else order[::-1]:
            if host is not current:
                bench.switch(host)
                bench.preflights(max(20, warmup // 4))  # the new process
                current = host
            values, total = bench.preflights(block)
            name = "echo" if host.is_echo else "helper"
            samples[name] += values
            totals[name] += total
    return {"samples": samples, "totals": totals, "version": version, "block": block}


def figures(values: list[float], total: float) -> dict[str, float]:
    return {
        "p50": percentile(values, 0.50),
        "p99": percentile(values, 0.99),
        "mean": total / len(values),
        "stdev": statistics.pstdev(values),
    }


def print_browser(result: dict[str, Any], rounds: int) -> dict[str, float]:
    """The side-by-side table; returns the helper − echo differences (p50, mean), in s."""
    samples, totals = result["samples"], result["totals"]
    echo = figures(samples["echo"], totals["echo"])
    helper = figures(samples["helper"], totals["helper"])
    count = len(samples["echo"])
    print(
        f"== (i) preflight round trip, content script → service worker → host → content"
        f" script: {count} requests each, {2 * rounds} blocks of {result['block']},"
        " alternating H E E H … =="
    )
    print(f"  {'host':<22}{'p50 µs':>10}{'p99 µs':>10}{'mean µs':>10}   ratio to echo")
    print(
        f"  {'echo host':<22}{echo['p50'] * 1e6:>10.0f}{echo['p99'] * 1e6:>10.0f}"
        f"{echo['mean'] * 1e6:>10.0f}"
    )
    ratio = helper["p50"] / echo["p50"]
    print(
        f"  {'helper preflight':<22}{helper['p50'] * 1e6:>10.0f}{helper['p99'] * 1e6:>10.0f}"
        f"{helper['mean'] * 1e6:>10.0f}   p50 ratio: {ratio:.2f}x"
        f"  p99 ratio: {helper['p99'] / echo['p99']:.2f}x"
        f"  mean ratio: {helper['mean'] / echo['mean']:.2f}x"
        f"   target p50 ≤ {TARGET:g}x: {verdict(ratio <= TARGET)}"
    )
    print(
        "  (the page's clock is coarsened to 100 µs: p50 and p99 are on that grid;"
        " each mean is a block's whole duration over its count)"
    )
    return {key: helper[key] - echo[key] for key in ("p50", "mean")}


def print_share(gap: dict[str, float], pipes: dict[str, float], requests: int) -> None:
    """The helper's own time over raw pipes next to the difference seen in the browser."""
    own = pipes["preflight_p50"] - pipes["echo_p50"]
    print(f"== (ii) the helper's own share: raw pipes (run.py), {requests} requests each ==")
    print(
        f"  {'raw pipes':<22}echo p50 {pipes['echo_p50'] * 1e6:.0f} µs,"
        f" helper preflight p50 {pipes['preflight_p50'] * 1e6:.0f} µs:"
        f" the helper's own work {own * 1e6:.0f} µs"
    )
    print(
        f"  {'browser':<22}helper − echo: p50 {gap['p50'] * 1e6:.0f} µs,"
        f" mean {gap['mean'] * 1e6:.0f} µs   (host time costs more than itself through"
        " the browser: see bench/README.md)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, help="preflights per host (default 2000)")
    parser.add_argument("--quick", action="store_true", help="small counts, for tests")
    args = parser.parse_args(argv)
    requests = args.requests or (200 if args.quick else 2000)
    rounds = 2 if args.quick else 4
    warmup = 40 if args.quick else 200

    if find_chromium() is None:
        print("Chromium not found (apt-get install chromium, or set CREDIT_GUARD_CHROMIUM):")
        print("nothing measured")
        return 0
    started = time.perf_counter()
    result = measure(requests, rounds, warmup)
    print(
        f"Credit Guard browser round trip ({result['version']}, python"
        f" {sys.version.split()[0]}, {sys.platform})"
    )
    gap = print_browser(result, rounds)
    pipe_requests = 200 if args.quick else 1000
    print_share(gap, round_trip(pipe_requests, 100), pipe_requests)
    print(f"  ({time.perf_counter() - started:.0f} s in all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
