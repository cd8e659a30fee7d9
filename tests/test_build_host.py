"""The PyInstaller build: one frozen folder that is both the host and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from native_host import __version__
from native_host.pipe_client import HostPipe

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
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


def test_the_frozen_binary_is_the_cli(frozen: Path, tmp_path: Path) -> None:
    env = {**os.environ, "CREDIT_GUARD_HOME": str(tmp_path)}
    version = subprocess.run([frozen, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"credit-guard {__version__} (protocol 1)"
    logged = subprocess.run(
        [frozen, "log", "--account", "a@example.com", "--operation", "image", "--credits", "7"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert logged.returncode == 0, logged.stdout + logged.stderr
    status = subprocess.run(
        [frozen, "status", "--json"], capture_output=True, text=True, env=env, check=True
    )
    assert json.loads(status.stdout)["accounts"][0]["used"]["total"] == 7


def test_the_frozen_binary_is_the_host_the_browsers_start(frozen: Path, tmp_path: Path) -> None:
    env = {**os.environ, "CREDIT_GUARD_HOME": str(tmp_path)}
    for launch in (
        ["chrome-extension://mcpbclgggcikgcgnhkmlmjjhcifpmmcf/"],
        [str(tmp_path / "com.creditguard.helper.json"), "credit-guard@creditguard.app"],
    ):
        with HostPipe([str(frozen), *launch], env) as host:
            reply = host.request("hello", timeout=30, extension_version="t", browser="t")
        assert reply["ok"] and reply["protocol"] == 1 and reply["host_version"] == __version__
