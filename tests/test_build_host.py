"""The PyInstaller build: one frozen folder that is both the host and the CLI, with a
keyring that works frozen.

The frozen binary is the one named in CREDIT_GUARD_FROZEN_HELPER (CI builds it once),
else one built here. The protocol itself is tested against the frozen helper by the
black-box files build_scripts/test_frozen.sh runs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from devkit.folder_keyring import config_file_environment
from native_host import __version__
from native_host.installer import DEFAULT_FIREFOX_ID
from native_host.pipe_client import HostPipe
from tests import frozen_build
from tests.hostproc import CHROME_ORIGIN

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the Linux build is tested")


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return frozen_build.given() or frozen_build.build(tmp_path_factory.mktemp("dist"))


@pytest.fixture
def home_env(tmp_path: Path) -> dict[str, str]:
    """A data folder of its own, and no keyring chosen by the caller's environment."""
    env = {**os.environ, "CREDIT_GUARD_HOME": str(tmp_path / "home"), "LANGUAGE": "en"}
    env["LC_ALL"] = "C.UTF-8"  # the texts checked below are the English ones
    for variable in ("PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(variable, None)
    return env


def run(frozen: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([frozen, *args], capture_output=True, text=True, env=env, timeout=60)


def keyring_line(doctor: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in doctor.stderr, doctor.stderr
    return next(line for line in doctor.stdout.splitlines() if "keyring:" in line)


def test_the_frozen_binary_is_the_cli(frozen: Path, home_env: dict[str, str]) -> None:
    version = run(frozen, home_env, "--version")
    assert version.stdout.strip() == f"credit-guard {__version__} (protocol 1)"
    logged = run(frozen, home_env, "log", "--account", "a@example.com", "--operation", "image")
    assert logged.returncode == 0, logged.stdout + logged.stderr
    status = run(frozen, home_env, "status", "--json")
    assert json.loads(status.stdout)["accounts"][0]["used"]["total"] > 0
    unknown = run(frozen, home_env, "stauts")  # a typo is the CLI's error, not a host
    assert unknown.returncode == 2 and "stauts" in unknown.stderr


def test_the_frozen_binary_is_the_host_the_browsers_start(
    frozen: Path, home_env: dict[str, str], tmp_path: Path
) -> None:
    for launch in (
        [CHROME_ORIGIN],
        [CHROME_ORIGIN, "--parent-window=0"],
        [str(tmp_path / "com.creditguard.helper.json"), DEFAULT_FIREFOX_ID],
    ):
        with HostPipe([str(frozen), *launch], home_env) as host:
            reply = host.request("hello", timeout=30, extension_version="t", browser="t")
        assert reply["ok"] and reply["protocol"] == 1 and reply["host_version"] == __version__


def test_the_bundle_carries_keyrings_backends_and_their_entry_points(frozen: Path) -> None:
    """keyring finds its backends through its package metadata's entry points."""
    internal = frozen.parent / "_internal"
    (metadata,) = internal.glob("keyring-*.dist-info")
    entry_points = (metadata / "entry_points.txt").read_text()
    for backend in ("SecretService", "kwallet", "macOS", "Windows"):
        assert f"keyring.backends.{backend}" in entry_points
    assert not list(internal.glob("mypy*")) and not list(internal.glob("hypothesis*"))


def test_a_keyring_backend_works_frozen_and_keeps_the_group_secret(
    frozen: Path, home_env: dict[str, str], tmp_path: Path
) -> None:
    """A file-backed backend, loaded the way a user configures one (keyring's config
    file), keeps the group secret `sync init` makes; doctor reports it working."""
    keyring_folder, shared = tmp_path / "keyring", tmp_path / "shared"
    shared.mkdir()
    env = {**home_env, **config_file_environment(keyring_folder)}
    assert "FolderKeyring works; no group secret stored yet" in keyring_line(
        run(frozen, env, "doctor")
    )
    init = run(frozen, env, "sync", "init", "--folder", str(shared))
    assert init.returncode == 0, init.stdout + init.stderr
    stored = json.loads((keyring_folder / "keyring.json").read_text())
    assert list(stored) == ["credit-guard/group-secret"]
    assert stored["credit-guard/group-secret"] not in init.stdout + init.stderr
    status = run(frozen, env, "sync", "status", "--json")
    assert json.loads(status.stdout)["transport"] == "folder", status.stdout
    assert "a group secret is stored" in keyring_line(run(frozen, env, "doctor"))


def test_secret_service_is_bundled_and_says_why_it_cannot_work_here(
    frozen: Path, home_env: dict[str, str]
) -> None:
    """Without a D-Bus session, SecretService's own reason (from secretstorage, over
    jeepney): so both are in the bundle, and doctor says it instead of crashing."""
    env = {**home_env, "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring"}
    line = keyring_line(run(frozen, env, "doctor"))
    assert "WARN" in line and "DBUS_SESSION_BUS_ADDRESS is unset" in line, line
    init = run(frozen, env, "sync", "init", "--folder", str(frozen.parent))
    assert init.returncode != 0 and "DBUS_SESSION_BUS_ADDRESS" in init.stderr, init.stderr
    assert "Traceback" not in init.stderr


def test_sync_through_a_hub_works_frozen(
    frozen: Path, home_env: dict[str, str], tmp_path: Path
) -> None:
    """websockets (the hub and its client) and the sealing, frozen: a device of a group
    made through a hub the frozen binary serves sends it an event."""
    hub = subprocess.Popen(
        [frozen, "sync", "serve", "--port", "0", "--db", str(tmp_path / "hub.db")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=home_env,
    )
    try:
        assert hub.stdout is not None
        found = re.search(r"ws://127\.0\.0\.1:\d+", hub.stdout.readline())
        assert found, "the hub did not say where it listens"
        env = {**home_env, **config_file_environment(tmp_path / "keyring")}
        init = run(frozen, env, "sync", "init", "--hub", found.group(0))
        assert init.returncode == 0, init.stdout + init.stderr
        logged = run(frozen, env, "log", "--account", "a@example.com", "--operation", "chat")
        assert logged.returncode == 0, logged.stderr
        now = run(frozen, env, "sync", "now")
        assert now.returncode == 0 and "1 sent" in now.stdout, now.stdout + now.stderr
    finally:
        hub.kill()
        hub.wait()
