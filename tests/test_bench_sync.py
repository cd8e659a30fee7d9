"""`bench/sync.py --quick` runs end to end against a real hub process and reports every
figure: the fan-out as ratios to a websocket echo, the bytes of a catch-up with a short
and a long history and their ratio, the hub's memory idle and with devices connected.

Only the report's shape is checked, never the values: timings belong to the machine.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATIO = r"(\d+\.\d+)x"
MS = r"\d+\.\d+ ms"
BYTES = r"\d[\d,]*"


def test_quick_sync_benchmark_prints_every_figure_and_the_history_ratio() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "sync.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = done.stdout
    sections = re.split(r"^== ", report, flags=re.MULTILINE)[1:]
    assert [section[:5] for section in sections] == ["(i) f", "(ii) ", "(iii)"], report
    fan_out, traffic, memory = sections

    lines = fan_out.splitlines()
    echo = next(line for line in lines if "websocket echo round trip" in line)
    assert re.search(rf"median +{MS} +p90 +{MS}", echo), echo
    for label in (
        "record -> the sender uploads it",
        "record -> first other device holds it",
        "record -> all 4 others hold it",
        "upload -> first other device holds it",
        "upload -> all 4 others hold it",
    ):
        line = next(line for line in lines if label in line)
        assert re.search(rf"median +{MS} +p90 +{MS}", line), line
        assert re.search(rf"ratio to echo: median {RATIO}  p90 {RATIO}", line), line
    assert "client.POLL_SECONDS" in fan_out

    rows = re.findall(rf"^ +({BYTES}) +(\d+) +({BYTES}) +({BYTES}) +({BYTES})$", traffic, re.M)
    assert {(history, new) for history, new, *_ in rows} == {
        ("10", "5"),
        ("10", "50"),
        ("2,000", "5"),
        ("2,000", "50"),
    }, traffic
    for _, _, up, down, total in rows:
        assert int(up.replace(",", "")) + int(down.replace(",", "")) == int(total.replace(",", ""))
    assert re.search(
        rf"ratio 2,000 / 10 events of history: 5 new: {RATIO}   50 new: {RATIO}", traffic
    )
    assert re.search(
        rf"ratio 50 / 5 new events: history 10: {RATIO}   history 2,000: {RATIO}", traffic
    )

    assert re.search(rf"idle, listening +{BYTES} KiB", memory), memory
    assert re.search(
        rf"5 devices connected, caught up +{BYTES} KiB +ratio to idle: {RATIO}", memory
    )
    assert re.search(rf"increase +-?{BYTES} KiB +-?[\d,]+\.\d KiB a device", memory), memory
    for ratio in re.findall(RATIO, report):
        assert float(ratio) > 0
