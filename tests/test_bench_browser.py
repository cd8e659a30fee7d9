"""`bench/browser.py --quick` runs end to end in Chromium and reports numeric ratios.

Only the report's shape is checked, never the values: timings belong to the machine.
Without Chromium the test is skipped, as tests/e2e is; under CI=true it fails instead.
"""

from __future__ import annotations

import re
import subprocess
import sys

from devkit.browsers import REPO as ROOT
from tests.e2e.harness import chromium_path

RATIO = r"(\d+\.\d+)x"


def test_quick_browser_benchmark_prints_both_paths_with_numeric_ratios() -> None:
    chromium_path()
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "browser.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = done.stdout
    sections = re.split(r"^== ", report, flags=re.MULTILINE)[1:]
    assert [section[:5] for section in sections] == ["(i) p", "(ii) "], report
    browser, share = sections

    echo = next(line for line in browser.splitlines() if line.strip().startswith("echo host"))
    assert len(re.findall(r"\d+", echo)) == 3, echo  # p50, p99, mean
    helper = next(line for line in browser.splitlines() if "helper preflight" in line)
    for figure in ("p50", "p99", "mean"):
        assert re.search(rf"{figure} ratio: {RATIO}", helper), helper
    assert "target p50 ≤ 1.3x" in helper
    assert re.search(r"the helper's own work -?\d+ µs", share), share
    assert re.search(r"helper − echo: p50 -?\d+ µs, mean -?\d+ µs", share), share
    for ratio in re.findall(RATIO, report):
        assert float(ratio) > 0
