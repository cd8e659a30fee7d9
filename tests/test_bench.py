"""`bench/run.py --quick` runs end to end and reports every figure as a ratio.

Only the report's shape is checked, never the values: timings belong to the machine.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATIO = r"(\d+\.\d+)x"


def test_quick_benchmark_prints_three_sections_with_numeric_ratios() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    report = done.stdout
    sections = re.split(r"^== ", report, flags=re.MULTILINE)[1:]
    heads = [section[:5] for section in sections]
    assert heads == ["(i) r", "(i) r", "(ii) ", "(iii)"], report
    cold_trips, warm_trips, cold, durable = sections
    assert "cold" in cold_trips.splitlines()[0] and "warm" in warm_trips.splitlines()[0]

    for round_trip in (cold_trips, warm_trips):
        for kind in ("hello", "preflight"):
            line = next(line for line in round_trip.splitlines() if f"helper {kind}" in line)
            assert re.search(rf"p50 ratio: {RATIO}", line), line
            assert re.search(rf"p99 ratio: {RATIO}", line), line
            assert "target p50 ≤ 4x" in line
    helper_line = next(line for line in cold.splitlines() if "helper hello" in line)
    assert re.search(rf"ratio: {RATIO}", helper_line) and "target ≤ 1.3x" in helper_line
    preflight_line = next(line for line in cold.splitlines() if "helper preflight" in line)
    assert re.search(rf"ratio: {RATIO}", preflight_line)
    rates = [line for line in durable.splitlines() if "events/s" in line]
    assert len(rates) == 2, durable
    for line in rates:
        assert re.search(rf"ratio to target: {RATIO}", line) and "2,000/s" in line
    for ratio in re.findall(RATIO, report):
        assert float(ratio) > 0
