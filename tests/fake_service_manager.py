"""Stand-ins for the OS service managers, run as real programs by tests/test_service.py.

Installed in a test's bin folder under the managers' names (systemctl, launchctl,
schtasks, powershell.exe), each a small script that runs `main` here. Like the real ones
they keep the service's state between calls (in the folder $FAKE_MANAGER) and run what
the service file names: `systemctl --user restart` starts the unit's ExecStart with its
Environment, `launchctl bootstrap` the plist's ProgramArguments, each as a detached
process whose output goes to `service.out`; stopping sends SIGTERM, as the managers do,
and waits for the end. schtasks only records (a Windows command line cannot run here).
Every call is logged to `calls`, one JSON list a line. FAKE_MANAGER_DOWN=1 answers as a
systemctl with no user manager to reach.
"""

from __future__ import annotations

import json
import os
import plistlib
import re
import shlex
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

STOP_SECONDS = 20.0


def state_dir() -> Path:
    return Path(os.environ["FAKE_MANAGER"])


def calls(folder: Path) -> list[list[str]]:
    """Every call made so far, the program's name first."""
    log = folder / "calls"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


def install_fakes(bin_folder: Path, state: Path) -> None:
    """Put the four managers in `bin_folder`, keeping their state in `state`."""
    state.mkdir(parents=True, exist_ok=True)
    tests = Path(__file__).resolve().parent
    for name in ("systemctl", "launchctl", "schtasks", "powershell.exe"):
        script = bin_folder / name
        script.write_text(
            f"#!{sys.executable}\n"
            "import sys\n"
            f"sys.path.insert(0, {str(tests.parent)!r})\n"
            "from tests.fake_service_manager import main\n"
            f"raise SystemExit(main({name!r}, sys.argv[1:]))\n"
        )
        script.chmod(0o755)


def main(program: str, args: list[str]) -> int:
    folder = state_dir()
    with (folder / "calls").open("a") as log:
        log.write(json.dumps([program, *args]) + "\n")
    if program == "systemctl":
        return _systemctl(folder, args)
    if program == "launchctl":
        return _launchctl(folder, args)
    if program == "schtasks":
        return _schtasks(folder, args)
    return _powershell(folder, args)


def _systemctl(folder: Path, args: list[str]) -> int:
    if os.environ.get("FAKE_MANAGER_DOWN"):
        print("Failed to connect to bus: No medium found", file=sys.stderr)
        return 1
    assert args[0] == "--user", args
    verb, *rest = args[1:]
    if verb == "is-active":
        running = _alive(folder)
        print("active" if running else "inactive")
        return 0 if running else 3
    if verb == "restart":
        stop(folder)
        command, env = _read_unit(_unit_path(rest[0]))
        _start(folder, command, env)
    elif verb == "disable":
        stop(folder)
    return 0


def _unit_path(name: str) -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "systemd" / "user" / name


def _read_unit(unit: Path) -> tuple[list[str], dict[str, str]]:
    """ExecStart and Environment as systemd reads them: quoted words, `$$` for `$`,
    `%%` for `%`."""

    def words(value: str) -> list[str]:
        return [word.replace("$$", "$").replace("%%", "%") for word in shlex.split(value)]

    command: list[str] = []
    env: dict[str, str] = {}
    for line in unit.read_text().splitlines():
        key, _, value = line.partition("=")
        if key == "ExecStart":
            command = words(value)
        elif key == "Environment":
            for pair in words(value):
                name, _, setting = pair.partition("=")
                env[name] = setting
    return command, env


def _launchctl(folder: Path, args: list[str]) -> int:
    verb = args[0]
    if verb == "print":
        if not (folder / "loaded").exists():
            print(f"Could not find service in domain for port: {args[1]}", file=sys.stderr)
            return 113
        print(f"{args[1]} = {{\n\tstate = {'running' if _alive(folder) else 'not running'}\n}}")
        return 0
    if verb == "bootstrap":
        agent = plistlib.loads(Path(args[2]).read_bytes())
        (folder / "loaded").write_text(agent["Label"])
        _start(folder, agent["ProgramArguments"], agent.get("EnvironmentVariables", {}))
        return 0
    if verb == "bootout":
        if not (folder / "loaded").exists():
            return 3  # "No such process"
        (folder / "loaded").unlink()
        stop(folder)
    return 0


def _schtasks(folder: Path, args: list[str]) -> int:
    verb = args[0]
    task = folder / "task.xml"
    if verb == "/Create":
        xml = Path(args[args.index("/XML") + 1]).read_bytes()
        ET.fromstring(xml)  # a malformed task is refused, as schtasks does
        task.write_bytes(xml)
        return 0
    if not task.exists():
        print("ERROR: The system cannot find the file specified.", file=sys.stderr)
        return 1
    if verb == "/Run":
        (folder / "running").touch()
    elif verb == "/End":
        (folder / "running").unlink(missing_ok=True)
    elif verb == "/Delete":
        task.unlink()
        (folder / "running").unlink(missing_ok=True)
    return 0


def _powershell(folder: Path, args: list[str]) -> int:
    assert re.search(r"Get-ScheduledTask -TaskName '[\w-]+'", args[-1]), args
    if not (folder / "task.xml").exists():
        print("No MSFT_ScheduledTask objects found", file=sys.stderr)
        return 1
    print("Running" if (folder / "running").exists() else "Ready")
    return 0


def _start(folder: Path, command: Sequence[str], env: Mapping[str, str]) -> None:
    with (folder / "service.out").open("a") as out:
        process = subprocess.Popen(
            list(command),
            env={**os.environ, **env},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    (folder / "pid").write_text(str(process.pid))


def _alive(folder: Path) -> bool:
    pid_file = folder / "pid"
    if not pid_file.exists():
        return False
    return running(int(pid_file.read_text()))


def running(pid: int) -> bool:
    """Whether `pid` runs (a finished process no one has reaped yet does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def stop(folder: Path) -> None:
    """SIGTERM, then wait for the end, as systemctl stop and launchctl bootout do."""
    pid_file = folder / "pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text())
    pid_file.unlink()
    if running(pid):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
