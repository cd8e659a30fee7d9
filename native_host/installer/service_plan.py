"""The background service as each OS's service manager wants it, without touching the system.

`credit-guard service install` keeps `credit-guard sync run` (or `sync serve`) running
while the user is logged in: a systemd user unit on Linux, a launchd agent on macOS, a
scheduled task started at logon on Windows. Everything here is a pure function of the
platform, the home folder, the environment and the command to run: the file to write
(its path and its bytes), the commands that enable, disable and query it, and what their
answers mean. The thin shell that writes and runs them is installer/service.py; tests
check every OS's rendering on any machine.
"""

from __future__ import annotations

import plistlib
import re
import shlex
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Final, Literal

from native_host.installer.locations import OS, _config_home, os_of
from native_host.paths import ENV_HOME

UNIT_NAME: Final = "credit-guard-sync.service"
AGENT_LABEL: Final = "app.creditguard.sync"
TASK_NAME: Final = "credit-guard-sync"
TASK_FILE: Final = "service-task.xml"  # in the data folder: what was handed to schtasks
AGENT_LOG: Final = "service.log"  # in the data folder: the agent's output (launchd keeps none)
# What the service must see as the installing command saw it: the data folder, and the
# keyring backend when one is named (the group secret is read through it).
CARRIED_ENV: Final = (ENV_HOME, "PYTHON_KEYRING_BACKEND")
RESTART_SECONDS: Final = 30
# `sync run`/`sync serve` exit 2 for what a restart cannot fix (in no group, a bad
# certificate, a port taken): the service then stays stopped and says why.
NO_RESTART_STATUS: Final = 2
TASK_NAMESPACE: Final = "http://schemas.microsoft.com/windows/2004/02/mit/task"

# not installed; installed and running; installed, not running; installed, but the
# service manager could not be asked.
State = Literal["absent", "running", "stopped", "unknown"]


@dataclass(frozen=True)
class Service:
    """What the service runs: the command line and the variables it needs."""

    argv: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Step:
    """One command of the service manager; `may_fail`: its failure changes nothing
    (stopping what is not running)."""

    argv: tuple[str, ...]
    may_fail: bool = False


@dataclass(frozen=True)
class Plan:
    """Everything the shell does for one OS: the file it writes, the commands it runs."""

    os: OS
    file: Path  # the unit, the agent's plist, or (Windows) the task's XML
    enable: tuple[Step, ...]  # after writing the file: (re)start it, and at each login
    disable: tuple[Step, ...]  # before removing the file
    after_remove: tuple[Step, ...]  # after removing the file
    query: tuple[str, ...]  # asks whether it runs (parse_state reads the answer)
    restart: tuple[str, ...]  # starts it again by hand, once what stopped it is fixed
    log: str  # how to read what it said (a command, or the agent's log file)


def program(executable: str, *, frozen: bool, platform: str | None = None) -> tuple[str, ...]:
    """The `credit-guard` command as a service starts it: the frozen binary itself, else
    this Python with `-m native_host.cli` (on Windows its windowless twin, pythonw.exe,
    so that no console window stays open for the whole session)."""
    if frozen:
        return (executable,)
    if os_of(platform) == "win32":
        path = PureWindowsPath(executable)
        if path.name.lower() == "python.exe":
            executable = str(path.with_name("pythonw.exe"))
    return (executable, "-m", "native_host.cli")


def carried_env(env: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((name, env[name]) for name in CARRIED_ENV if env.get(name))


def plan(
    home: Path, data_folder: Path, *, platform: str | None, env: Mapping[str, str], uid: int
) -> Plan:
    """The plan for this OS; `uid` is the user's id (macOS: launchd's per-user domain)."""
    os_name = os_of(platform)
    if os_name == "linux":
        unit = _config_home(home, env) / "systemd" / "user" / UNIT_NAME
        systemctl = ("systemctl", "--user")
        return Plan(
            os=os_name,
            file=unit,
            enable=(
                Step((*systemctl, "daemon-reload")),
                Step((*systemctl, "enable", UNIT_NAME)),
                Step((*systemctl, "restart", UNIT_NAME)),  # picks up a changed unit
            ),
            disable=(Step((*systemctl, "disable", "--now", UNIT_NAME)),),
            after_remove=(Step((*systemctl, "daemon-reload")),),
            query=(*systemctl, "is-active", UNIT_NAME),
            restart=(*systemctl, "restart", UNIT_NAME),
            log=f"journalctl --user -u {UNIT_NAME}",
        )
    if os_name == "darwin":
        agent = home / "Library" / "LaunchAgents" / f"{AGENT_LABEL}.plist"
        domain = f"gui/{uid}"
        bootout = Step(("launchctl", "bootout", f"{domain}/{AGENT_LABEL}"), may_fail=True)
        return Plan(
            os=os_name,
            file=agent,
            enable=(bootout, Step(("launchctl", "bootstrap", domain, str(agent)))),
            disable=(bootout,),
            after_remove=(),
            query=("launchctl", "print", f"{domain}/{AGENT_LABEL}"),
            restart=("launchctl", "kickstart", "-k", f"{domain}/{AGENT_LABEL}"),
            log=str(data_folder / AGENT_LOG),
        )
    xml = data_folder / TASK_FILE
    return Plan(
        os=os_name,
        file=xml,
        enable=(
            Step(("schtasks", "/Create", "/XML", str(xml), "/TN", TASK_NAME, "/F")),
            Step(("schtasks", "/End", "/TN", TASK_NAME), may_fail=True),  # a changed task
            Step(("schtasks", "/Run", "/TN", TASK_NAME)),
        ),
        disable=(
            Step(("schtasks", "/End", "/TN", TASK_NAME), may_fail=True),
            Step(("schtasks", "/Delete", "/TN", TASK_NAME, "/F")),
        ),
        after_remove=(),
        # The state as a word that does not depend on Windows' display language.
        query=(
            "powershell.exe",
            "-NoProfile",
            "-NonInteractive",
            "-Command",
            f"(Get-ScheduledTask -TaskName '{TASK_NAME}' -ErrorAction Stop).State",
        ),
        restart=("schtasks", "/Run", "/TN", TASK_NAME),
        log=str(data_folder / "helper.log"),
    )


def render(os_name: OS, service: Service, *, description: str, log: Path, user: str = "") -> bytes:
    """The file the plan writes: the unit, the plist (whose output goes to `log`), or the
    task's XML for `user` (DOMAIN\\name; Windows only)."""
    if os_name == "linux":
        return systemd_unit(service, description).encode("utf-8")
    if os_name == "darwin":
        return launchd_plist(service, log)
    return task_xml(service, description, user)


def systemd_unit(service: Service, description: str) -> str:
    lines = [
        "[Unit]",
        f"Description={_systemd_escape(description)}",
        "",
        "[Service]",
        "Type=simple",
        "ExecStart=" + " ".join(_systemd_word(word) for word in service.argv),
        *(f"Environment={_systemd_word(f'{name}={value}')}" for name, value in service.env),
        "Restart=on-failure",
        f"RestartSec={RESTART_SECONDS}",
        f"RestartPreventExitStatus={NO_RESTART_STATUS}",
        "",
        "[Install]",
        "WantedBy=default.target",
    ]
    return "\n".join(lines) + "\n"


def _systemd_escape(value: str) -> str:
    """`%` starts a specifier in every value of a unit."""
    return value.replace("%", "%%")


def _systemd_word(word: str) -> str:
    """One word of ExecStart or Environment, double-quoted; `$` would expand a variable."""
    escaped = word.replace("\\", "\\\\").replace('"', '\\"').replace("$", "$$")
    return f'"{_systemd_escape(escaped)}"'


def launchd_plist(service: Service, log: Path) -> bytes:
    agent: dict[str, object] = {
        "Label": AGENT_LABEL,
        "ProgramArguments": list(service.argv),
        "RunAtLoad": True,
        # Restarted when it fails, not when it was stopped on purpose (exit 0).
        "KeepAlive": {"SuccessfulExit": False},
        "ThrottleInterval": RESTART_SECONDS,
        "ProcessType": "Background",
        "StandardOutPath": str(log),
        "StandardErrorPath": str(log),
    }
    if service.env:
        agent["EnvironmentVariables"] = dict(service.env)
    return plistlib.dumps(agent)


def task_command(service: Service) -> tuple[str, str]:
    """The task's program and its argument string (Windows quoting). A task sets no
    variables of its own, so carried ones go through cmd.exe's `set`."""
    program, *args = service.argv
    if not service.env:
        return program, subprocess.list2cmdline(args)
    sets = " ".join(f'set "{name}={value}"&&' for name, value in service.env)
    return "cmd.exe", f"/d /c {sets} {subprocess.list2cmdline(service.argv)}"


def task_xml(service: Service, description: str, user: str) -> bytes:
    """A task started at the user's logon, in their session, restarted when it fails,
    never stopped for running long; UTF-16 as schtasks /XML expects."""
    ET.register_namespace("", TASK_NAMESPACE)

    def add(parent: ET.Element, tag: str, value: str | None = None) -> ET.Element:
        element = ET.SubElement(parent, f"{{{TASK_NAMESPACE}}}{tag}")
        if value is not None:
            element.text = value
        return element

    task = ET.Element(f"{{{TASK_NAMESPACE}}}Task", {"version": "1.2"})
    add(add(task, "RegistrationInfo"), "Description", description)
    logon = add(add(task, "Triggers"), "LogonTrigger")
    add(logon, "Enabled", "true")
    add(logon, "UserId", user)
    principal = add(add(task, "Principals"), "Principal")
    principal.set("id", "Author")
    add(principal, "UserId", user)
    add(principal, "LogonType", "InteractiveToken")  # the user's keyring is reachable
    add(principal, "RunLevel", "LeastPrivilege")
    settings = add(task, "Settings")
    add(settings, "MultipleInstancesPolicy", "IgnoreNew")
    add(settings, "DisallowStartIfOnBatteries", "false")
    add(settings, "StopIfGoingOnBatteries", "false")
    add(settings, "StartWhenAvailable", "true")
    add(settings, "ExecutionTimeLimit", "PT0S")  # the default stops a task after 3 days
    restart = add(settings, "RestartOnFailure")
    add(restart, "Interval", "PT1M")  # the shortest Task Scheduler accepts
    add(restart, "Count", "999")
    add(settings, "Enabled", "true")
    actions = add(task, "Actions")
    actions.set("Context", "Author")
    command, arguments = task_command(service)
    exec_ = add(actions, "Exec")
    add(exec_, "Command", command)
    add(exec_, "Arguments", arguments)
    body = ET.tostring(task, encoding="unicode")
    return ("\ufeff" + '<?xml version="1.0" encoding="UTF-16"?>\n' + body).encode("utf-16-le")


def parse_state(os_name: OS, returncode: int, output: str) -> State:
    """What the plan's query answered. On Linux and macOS the service is installed when
    its file exists, which the caller checks; on Windows the answer says whether the task
    exists. "unknown": systemd's user manager could not be reached."""
    if os_name == "linux":
        word = output.strip()
        if word in ("active", "activating", "reloading", "refreshing"):
            return "running"
        # is-active prints a state even when it exits non-zero; nothing: no manager
        return "stopped" if word else "unknown"
    if os_name == "darwin":
        if returncode != 0:  # not loaded
            return "stopped"
        running = re.search(r"^\s*state = running\s*$", output, re.MULTILINE)
        return "running" if running else "stopped"
    if returncode != 0:
        return "absent"
    return "running" if output.strip() == "Running" else "stopped"


def manual_steps(os_name: OS, steps: Sequence[Step]) -> str:
    """The commands for a person to type, one after the other, quoted for their shell."""
    return " && ".join(shown(os_name, step.argv) for step in steps if not step.may_fail)


def shown(os_name: OS, argv: Sequence[str]) -> str:
    """A command line as a person types it in that OS's shell."""
    return subprocess.list2cmdline(argv) if os_name == "win32" else shlex.join(argv)
