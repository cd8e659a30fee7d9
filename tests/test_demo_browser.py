"""The browser demo that install.sh offers works: run headless, it plays the main job
(held video, go on, the site reached once) and leaves real screenshots where it says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "build_scripts"), str(REPO / "tests" / "e2e")]

from demo_browser import find_chromium  # noqa: E402
from harness import require_tool  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_headless_demo_prints_its_screenshots_and_they_are_pngs(tmp_path: Path) -> None:
    # Skipped without Chromium on a developer machine; under CI=true that is a failure.
    require_tool("Chromium", find_chromium(), "apt-get install chromium")
    out = tmp_path / "shots"
    result = subprocess.run(
        ["bash", str(REPO / "build_scripts" / "demo_browser.sh"), "--headless", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=90,
    )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert "(1 generation request)" in result.stdout, "'go on' sent the video exactly once"
    printed = [Path(p) for p in re.findall(r"^\s+(/\S+\.png)$", result.stdout, re.MULTILINE)]
    assert [p.name for p in printed] == ["dialog-en.png", "panel-en.png", "popup-en.png"]
    for path in printed:
        assert path.parent == out, f"{path} is not under --out {out}"
        assert path.read_bytes().startswith(PNG_SIGNATURE), f"{path} is not a PNG"
