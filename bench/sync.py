"""Benchmarks of cross-device sync through a real hub, each beside a baseline of the same run.

    python bench/sync.py [--devices N] [--rounds N] [--history N] [--quick]

Prints three sections: (i) fan-out: a usage event recorded on one of N devices (each its
own SQLite ledger and its own kept connection, `stay_connected`) until the other devices'
ledgers hold it, median and p90, as ratios to a websocket echo round trip on 127.0.0.1
measured between the rounds; (ii) the bytes on the wire of one `sync now`
(`exchange_once`) of a device catching up on a few new events, with 10 and with 10,000
events of history: they should follow the new events, not the history; (iii) the hub's
memory (VmRSS), idle and with the N devices connected. The hub and the echo server run
in processes of their own; every run uses a fresh temporary folder. Exits 0 whatever the
figures: benchmarks report, they do not gate.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import textwrap
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))  # devkit (not installed): a server in a process of its own

from run import fresh_home, percentile  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from devkit.hub_process import hub_process, listening  # noqa: E402
from native_host.ledger.events import Event, NewEvent  # noqa: E402
from native_host.ledger.store import Ledger  # noqa: E402
from native_host.sync import client  # noqa: E402
from native_host.sync.client import exchange_once, stay_connected  # noqa: E402
from native_host.sync.protocol import MAX_MESSAGE_BYTES, Events, encode  # noqa: E402
from native_host.sync.seal import GroupKeys, derive_keys, new_group_secret  # noqa: E402
from native_host.sync.transfer import Exchanged, seal_event  # noqa: E402

ACCOUNT = "bench@example.com"
ECHO = [sys.executable, str(BENCH / "echo_ws.py")]
ECHOES_PER_ROUND = 10  # echo round trips between two fan-out rounds
NEW_EVENTS = (5, 50)  # recorded on another device before the measured `sync now`
SHORT_HISTORY = 10
ROUND_SECONDS = 30.0  # a round that takes longer is a failure, not a figure
SENDER = 0  # the device that records, by index


def usage_events(count: int) -> list[NewEvent]:
    """`count` usage events as the helper records them (`handlers/usage.py`)."""
    now = datetime.now(UTC)
    return [
        NewEvent(
            str(uuid.uuid4()),
            ACCOUNT,
            "usage",
            now - timedelta(seconds=count - index),
            {"operation": "image", "credits": 4.0, "model": "bench-model"},
        )
        for index in range(count)
    ]


def resident_kib(pid: int) -> int | None:
    """The process's resident set (VmRSS) in KiB; None without Linux's /proc."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1])


def caught_up(ledger: Ledger) -> bool:
    """The device's kept connection has finished its first exchange with the hub."""
    peer = ledger.peer(client.HUB_PEER)
    return peer is not None and peer.last_sync_at is not None and peer.last_error is None


async def until(condition: Callable[[], bool], seconds: float) -> None:
    async with asyncio.timeout(seconds):
        while not condition():
            await asyncio.sleep(0.02)


@dataclass
class Figures:
    echo: list[float] = field(default_factory=list)  # seconds
    uploaded: list[float] = field(default_factory=list)  # record → the sender uploaded it
    first: list[float] = field(default_factory=list)  # record → the first other device holds it
    last: list[float] = field(default_factory=list)  # record → every other device holds it
    rss_idle: int | None = None  # KiB
    rss_connected: int | None = None
    traffic: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    # (history, new events) → (bytes up, bytes down)


# ---------------------------------------------------------------- (i) fan-out, (iii) memory


class Arrivals:
    """When the sending device uploaded the event of the current round, and when each
    receiving device took it in (both heard through `on_change`)."""

    def __init__(self, receivers: int) -> None:
        self.receivers = receivers
        self.started: float | None = None
        self.uploaded: float | None = None
        self.times: dict[int, float] = {}
        self.done = asyncio.Event()

    def start(self) -> None:
        self.times.clear()
        self.done.clear()
        self.uploaded = None
        self.started = time.perf_counter()

    def listener(self, device: int) -> Callable[[Exchanged], None]:
        def heard(exchanged: Exchanged) -> None:
            if self.started is None:
                return
            if exchanged.sent and device == SENDER and self.uploaded is None:
                self.uploaded = time.perf_counter()
            if exchanged.received and device not in self.times:
                self.times[device] = time.perf_counter()
            if self.uploaded is not None and len(self.times) == self.receivers:
                self.done.set()

        return heard

    def spread(self) -> tuple[float, float, float]:
        """Seconds from the record to the upload, and to the first and the last receiving
        device that holds it."""
        assert self.started is not None and self.uploaded is not None
        first, last = min(self.times.values()), max(self.times.values())
        return self.uploaded - self.started, first - self.started, last - self.started


def echo_sample(keys: GroupKeys, device: str) -> str:
    """One `events` frame holding one sealed usage event: what the hub pushes per round."""
    (new,) = usage_events(1)
    event = Event(new.event_id, new.account, new.kind, new.at, new.body, device, 1)
    return encode(Events((seal_event(keys, event),)))


async def fan_out(home: Path, url: str, hub_pid: int, devices: int, rounds: int) -> Figures:
    """N devices kept connected; one records, the others take it in. The echo round trips
    run between the rounds, on a connection of their own, so noise hits both alike."""
    figures = Figures(rss_idle=resident_kib(hub_pid))
    keys = derive_keys(new_group_secret())
    ledgers = [
        Ledger(home / f"device-{n}.sqlite3", device_name=f"bench {n}") for n in range(devices)
    ]
    recorder = Ledger(ledgers[SENDER].path)  # the helper's: the kept connection notices commits
    sender = recorder.device_id
    arrivals = Arrivals(devices - 1)
    stop = asyncio.Event()
    running = [
        asyncio.create_task(
            stay_connected(ledger, keys, url, stop=stop, on_change=arrivals.listener(n))
        )
        for n, ledger in enumerate(ledgers)
    ]
    phase = random.Random(devices * rounds)
    try:
        await until(lambda: all(caught_up(ledger) for ledger in ledgers), 60)
        figures.rss_connected = resident_kib(hub_pid)
        with listening(ECHO) as (_, echo_url):
            async with connect(echo_url, max_size=MAX_MESSAGE_BYTES) as echo:
                sample = echo_sample(keys, sender)
                for index in range(rounds + 1):  # the first round warms up, uncounted
                    echoes = []
                    for _ in range(ECHOES_PER_ROUND):
                        started = time.perf_counter()
                        await echo.send(sample)
                        assert await echo.recv() == sample
                        echoes.append(time.perf_counter() - started)
                    # A random phase against the sender's poll, or every round would wait
                    # the same part of it.
                    await asyncio.sleep(phase.uniform(0, client.POLL_SECONDS))
                    arrivals.start()
                    recorder.append(usage_events(1))
                    async with asyncio.timeout(ROUND_SECONDS):
                        await arrivals.done.wait()
                    uploaded, first, last = arrivals.spread()
                    held = [ledger.vector().get(sender, 0) for ledger in ledgers]
                    assert held == [index + 1] * devices, f"round {index}: {held}"
                    if index:
                        figures.echo += echoes
                        figures.uploaded.append(uploaded)
                        figures.first.append(first)
                        figures.last.append(last)
    finally:
        stop.set()
        await asyncio.gather(*running)
        for ledger in [*ledgers, recorder]:
            ledger.close()
    return figures


def milliseconds(values: list[float]) -> tuple[float, float]:
    return statistics.median(values) * 1e3, percentile(values, 0.90) * 1e3


def print_fan_out(figures: Figures, devices: int, rounds: int) -> None:
    others = devices - 1
    print(
        f"== (i) fan-out: a usage event recorded on one of {devices} devices until the"
        f" {others} others hold it, {rounds} rounds =="
    )
    echo50, echo90 = milliseconds(figures.echo)
    print(
        f"  {'websocket echo round trip':<40}median {echo50:8.2f} ms   p90 {echo90:8.2f} ms"
        f"   (baseline, {len(figures.echo)} round trips)"
    )

    def since_upload(held: list[float]) -> list[float]:
        return [at - uploaded for at, uploaded in zip(held, figures.uploaded, strict=True)]

    for label, values in (
        ("record -> the sender uploads it", figures.uploaded),
        ("record -> first other device holds it", figures.first),
        (f"record -> all {others} others hold it", figures.last),
        ("upload -> first other device holds it", since_upload(figures.first)),
        (f"upload -> all {others} others hold it", since_upload(figures.last)),
    ):
        p50, p90 = milliseconds(values)
        print(
            f"  {label:<40}median {p50:8.2f} ms   p90 {p90:8.2f} ms"
            f"   ratio to echo: median {p50 / echo50:.1f}x  p90 {p90 / echo90:.1f}x"
        )
    poll = client.POLL_SECONDS * 1e3
    note = (
        f"the sender looks for new local commits every {poll:.0f} ms (client.POLL_SECONDS):"
        f" a wait of 0-{poll:.0f} ms ({poll / 2:.0f} ms on average) dominates every figure"
        " from the record. From the upload on: the hub's durable store and push, then each"
        f" device's take-in; the {others} receivers share this process's one thread, so"
        " their take-ins (two durable SQLite commits each: the events, the hub's vector)"
        " queue one after another."
    )
    print(textwrap.fill(note, 92, initial_indent="  note: ", subsequent_indent="  "))


# ---------------------------------------------------------------- (ii) bytes on the wire


class CountingProxy:
    """A TCP relay on 127.0.0.1 to the hub that counts the bytes it passes each way."""

    def __init__(self, target: str) -> None:
        host, port = target.removeprefix("ws://").rsplit(":", 1)
        self.target = (host, int(port))
        self.up = self.down = 0
        self.relays: set[asyncio.Task[None]] = set()
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        return f"ws://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    def reset(self) -> None:
        self.up = self.down = 0

    async def settled(self) -> None:
        """Every relayed connection closed, each byte counted."""
        async with asyncio.timeout(10):
            await asyncio.gather(*self.relays)

    async def close(self) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()

    async def _relay(
        self, device_in: asyncio.StreamReader, device_out: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.relays.add(task)
        hub_in, hub_out = await asyncio.open_connection(*self.target)
        try:
            await asyncio.gather(
                self._pump(device_in, hub_out, "up"), self._pump(hub_in, device_out, "down")
            )
        finally:
            hub_out.close()
            device_out.close()
            self.relays.discard(task)

    async def _pump(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, direction: str
    ) -> None:
        while data := await source.read(1 << 16):
            if direction == "up":
                self.up += len(data)
            else:
                self.down += len(data)
            sink.write(data)
            await sink.drain()
        if sink.can_write_eof() and not sink.is_closing():
            sink.write_eof()  # pass the half-close on, as the kernel would


async def catch_up_traffic(home: Path, url: str, history: int) -> dict[int, tuple[int, int]]:
    """A device holding `history` events (the hub holds them too) catches up, through the
    counting proxy, on what another device of its group recorded since: (up, down) bytes
    of each `exchange_once`, per number of new events."""
    keys = derive_keys(new_group_secret())
    catching_up = Ledger(home / f"history-{history}.sqlite3", device_name="catching up")
    recording = Ledger(home / f"recording-{history}.sqlite3", device_name="recording")
    proxy = CountingProxy(url)
    proxy_url = await proxy.start()
    traffic: dict[int, tuple[int, int]] = {}
    try:
        catching_up.append(usage_events(history))
        await exchange_once(catching_up, keys, url)  # the hub holds the whole history
        for new in NEW_EVENTS:
            recording.append(usage_events(new))
            await exchange_once(recording, keys, url)
            proxy.reset()
            exchanged = await exchange_once(catching_up, keys, proxy_url)
            await proxy.settled()
            assert exchanged == Exchanged(received=new), exchanged
            traffic[new] = (proxy.up, proxy.down)
        assert catching_up.vector() == recording.vector()
    finally:
        await proxy.close()
        catching_up.close()
        recording.close()
    return traffic


def print_traffic(figures: Figures, history: int) -> None:
    print(
        "== (ii) bytes on the wire for one `sync now` (exchange_once) of a device catching"
        " up: TCP payload, websocket upgrade and frames included =="
    )
    print(f"  {'history':>10}{'new events':>12}{'bytes up':>12}{'bytes down':>12}{'total':>12}")
    for (held, new), (up, down) in sorted(figures.traffic.items()):
        print(f"  {held:>10,}{new:>12}{up:>12,}{down:>12,}{up + down:>12,}")

    def total(held: int, new: int) -> int:
        return sum(figures.traffic[held, new])

    by_history = "   ".join(
        f"{new} new: {total(history, new) / total(SHORT_HISTORY, new):.2f}x" for new in NEW_EVENTS
    )
    print(
        f"  ratio {history:,} / {SHORT_HISTORY} events of history: {by_history}"
        "   (near 1: the bytes follow the new events, not the history)"
    )
    few, many = NEW_EVENTS
    by_new = "   ".join(
        f"history {held:,}: {total(held, many) / total(held, few):.2f}x"
        for held in (SHORT_HISTORY, history)
    )
    print(f"  ratio {many} / {few} new events: {by_new}")


# ---------------------------------------------------------------- (iii) memory


def print_memory(figures: Figures, devices: int) -> None:
    print("== (iii) hub memory: VmRSS of the hub process ==")
    idle, connected = figures.rss_idle, figures.rss_connected
    if idle is None or connected is None:
        print("  unavailable: no /proc on this system")
        return
    print(f"  {'idle, listening':<40}{idle:>10,} KiB")
    print(
        f"  {f'{devices} devices connected, caught up':<40}{connected:>10,} KiB"
        f"   ratio to idle: {connected / idle:.2f}x"
    )
    increase = connected - idle
    print(f"  {'increase':<40}{increase:>10,} KiB   {increase / devices:,.1f} KiB a device")


async def measure(devices: int, rounds: int, history: int) -> Figures:
    with fresh_home() as home, hub_process(home / "hub.sqlite3") as (hub, url):
        figures = await fan_out(home, url, hub.pid, devices, rounds)
        for held in (SHORT_HISTORY, history):
            for new, traffic in (await catch_up_traffic(home, url, held)).items():
                figures.traffic[held, new] = traffic
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, help="devices kept connected (default 20)")
    parser.add_argument("--rounds", type=int, help="fan-out rounds (default 50)")
    parser.add_argument("--history", type=int, help="the long history, events (default 10000)")
    parser.add_argument("--quick", action="store_true", help="small counts, for tests")
    args = parser.parse_args(argv)
    devices = args.devices or (5 if args.quick else 20)
    rounds = args.rounds or (5 if args.quick else 50)
    history = args.history or (2000 if args.quick else 10_000)

    print(
        f"Credit Guard sync benchmarks (python {sys.version.split()[0]}, {sys.platform}):"
        " one hub process on 127.0.0.1"
    )
    figures = asyncio.run(measure(devices, rounds, history))
    print_fan_out(figures, devices, rounds)
    print_traffic(figures, history)
    print_memory(figures, devices)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
