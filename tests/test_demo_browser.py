"""The browser demo that install.sh offers works: run headless, it plays the main job
(held video, go on, the site reached once) and leaves real screenshots where it says."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from devkit.browsers import REPO
from tests.e2e.harness import chromium_path

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_headless_demo_prints_its_screenshots_and_they_are_pngs(tmp_path: Path) -> None:
    # Skipped without Chromium on a developer machine; under CI=true that is a failure.
    chromium_path()
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
