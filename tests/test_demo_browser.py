"""`credit-guard demo --browser` works: run headless, it plays the main job (held video,
go on, the site reached once, the diagnosis, the popup) in the user's language and leaves
real screenshots where it says. Real Chromium: run this file alone."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.harness import chromium_path
from tests.test_cli_language import JAPANESE, english_sentences

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# In Japanese: "(1 件)", the one generation request "go on" let through.
SENT_ONCE = {"en": "(1 generation request)", "ja": "（1 件）"}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_headless_demo_tells_the_story_and_its_screenshots_are_pngs(
    lang: str, tmp_path: Path
) -> None:
    # Skipped without Chromium on a developer machine; under CI=true that is a failure.
    chromium_path()
    out = tmp_path / "shots"
    command = [sys.executable, "-m", "native_host.cli", "demo", "--browser", "--lang", lang]
    result = subprocess.run(
        [*command, "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # the CLI finds devkit through its own checkout, not the folder it runs in
        timeout=90,
    )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    story = result.stdout
    assert SENT_ONCE[lang] in story, f"'go on' sent the video exactly once:\n{story}"
    for step in ("1. ", "2. ", "3. ", "4. ", "5. "):
        assert re.search(rf"^{re.escape(step)}", story, re.MULTILINE), f"step {step}:\n{story}"
    printed = [Path(p) for p in re.findall(r"^\s+(/\S+\.png)$", story, re.MULTILINE)]
    assert [p.name for p in printed] == [f"{n}-{lang}.png" for n in ("dialog", "panel", "popup")]
    for path in printed:
        assert path.parent == out, f"{path} is not under --out {out}"
        assert path.read_bytes().startswith(PNG_SIGNATURE), f"{path} is not a PNG"
    if lang == "ja":
        assert english_sentences(story) == [], story
    else:
        assert not JAPANESE.search(story), story
