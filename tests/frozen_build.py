"""The frozen helper (build_scripts/build_host.sh) for the tests that need one.

CI builds it once (.ci/run) and names it in CREDIT_GUARD_FROZEN_HELPER, so the main
suite and the frozen pass (build_scripts/test_frozen.sh) share one build.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FROZEN_VARIABLE = "CREDIT_GUARD_FROZEN_HELPER"


def given() -> Path | None:
    """The frozen helper named in CREDIT_GUARD_FROZEN_HELPER, checked to be there."""
    named = os.environ.get(FROZEN_VARIABLE)
    if not named:
        return None
    binary = Path(named)
    assert os.access(binary, os.X_OK), f"{FROZEN_VARIABLE}={named} is not an executable"
    return binary


def build(out: Path) -> Path:
    """Build the frozen helper into `out` (half a minute or more) and return its binary."""
    done = subprocess.run(
        ["bash", str(ROOT / "build_scripts" / "build_host.sh"), str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    binary = out / "credit-guard" / "credit-guard"
    assert os.access(binary, os.X_OK)
    return binary


def require() -> Path:
    """The given frozen helper; skip without one, fail in CI, which builds it (.ci/run)."""
    binary = given()
    if binary is not None:
        return binary
    message = f"no frozen helper named in {FROZEN_VARIABLE}"
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"{message}: CI builds one in .ci/run, so this is a broken set-up")
    pytest.skip(f"{message}; build one with build_scripts/build_host.sh and name it there")
