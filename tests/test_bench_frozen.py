"""`bench/frozen.py --quick` runs end to end and reports its figures as ratios.

Only the report's shape is checked, never the values: timings belong to the machine.
Needs a frozen helper (CREDIT_GUARD_FROZEN_HELPER; CI builds one): skipped without one,
failed without one under CI=true. The bench freezes the minimal host itself (about half
a minute).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests import frozen_build

ROOT = Path(__file__).resolve().parent.parent
RATIO = r"(\d+\.\d+)x"


def test_quick_frozen_benchmark_prints_cold_start_ratios_and_the_folder() -> None:
    helper = frozen_build.require()
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "frozen.py"), "--quick", "--helper", str(helper)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = done.stdout
    sections = re.split(r"^== ", report, flags=re.MULTILINE)[1:]
    assert [section[:5] for section in sections] == ["(i) c", "(ii) "], report
    cold, folder = sections
    for label, against in (
        ("frozen helper hello", "unfrozen"),
        ("", "minimal frozen host"),  # the frozen helper's second line
        ("unfrozen helper hello", "minimal unfrozen host"),
        ("minimal frozen host hello", "minimal unfrozen host"),
        ("frozen helper preflight", "unfrozen preflight"),
    ):
        found = re.search(rf"^  {label}.*ratio to {against}: {RATIO}", cold, flags=re.MULTILINE)
        assert found and float(found.group(1)) > 0, (label, against, cold)
    assert "target ≤ 1x" in cold

    total = re.search(r"total\s+(\d+\.\d) MB in ([\d,]+) files", folder)
    assert total and float(total.group(1)) > 1, folder
    part_sizes = re.findall(r"^    (\S+)\s+(\d+\.\d) MB\s+\d+\.\d%$", folder, flags=re.MULTILINE)
    assert len(part_sizes) == 8, folder
    sizes = [float(size) for _name, size in part_sizes]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] <= float(total.group(1))
    assert re.search(rf"minimal frozen host's folder \d+\.\d MB: ratio {RATIO}", folder)
