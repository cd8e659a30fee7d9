"""`bench/browser.py --quick` runs end to end in Chromium and reports numeric ratios.

Only the report's shape is checked, never the values: timings belong to the machine.
Without Chromium the test is skipped, as tests/e2e is; under CI=true it fails instead.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CREDIT_GUARD_CHROMIUM", "/usr/lib/chromium/chromium")
RATIO = r"(\d+\.\d+)x"


def require_chromium() -> None:
    """Skip on a machine without Chromium; fail in CI, which installs it (.ci/run)."""
    if Path(CHROMIUM).exists():
        return
    message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"{message}: CI installs it in .ci/run, so this is a broken set-up")
    pytest.skip(f"{message}; install it to run the browser benchmark")


def test_quick_browser_benchmark_prints_both_paths_with_numeric_ratios() -> None:
    require_chromium()
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
