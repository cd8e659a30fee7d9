"""Write, start, stop and ask about the background service: the I/O around service_plan.

Each function takes the Plan (service_plan.plan) and runs the OS's own service manager
(systemctl, launchctl, schtasks) as a subprocess; a manager that is missing or cannot
be reached (a container, an SSH session without a user manager) is reported with the
commands to type later, never as a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from native_host.installer import service_plan
from native_host.installer.service_plan import Plan, State, Step
from native_host.paths import data_folder

MANAGER_SECONDS = 60.0  # the longest a service manager's command may take


@dataclass(frozen=True)
class Asked:
    """The service's state, and why it is "unknown" (what the manager's command said)."""

    state: State
    reason: str = ""


@dataclass(frozen=True)
class Done:
    """How enabling or disabling went: `failed` is what went wrong ("" when all went
    well), `manual` the commands that would finish it by hand."""

    failed: str = ""
    manual: str = ""
    unreachable: bool = False  # the service manager itself could not be asked


def current_plan(
    *, platform: str | None = None, home: Path | None = None, env: Mapping[str, str] | None = None
) -> Plan:
    """This user's plan; the parameters are for tests (another OS, another home)."""
    return service_plan.plan(
        Path.home() if home is None else home,
        data_folder(),
        platform=platform,
        env=os.environ if env is None else env,
        uid=os.getuid() if hasattr(os, "getuid") else 0,
    )


def this_program() -> tuple[str, ...]:
    """The running `credit-guard`, as a service must start it (absolute paths)."""
    frozen = bool(getattr(sys, "frozen", False))
    return service_plan.program(str(Path(sys.executable).absolute()), frozen=frozen)


def windows_user(env: Mapping[str, str]) -> str:
    """DOMAIN\\name, as a task's logon trigger and principal name the user."""
    domain, name = env.get("USERDOMAIN", ""), env.get("USERNAME", "")
    return f"{domain}\\{name}" if domain else name


def ask(plan: Plan) -> Asked:
    """What the service manager says of the service, whether or not its file exists."""
    try:
        done = _run(plan.query)
    except (OSError, subprocess.TimeoutExpired) as error:
        return Asked("unknown", _reason(error))
    found = service_plan.parse_state(plan.os, done.returncode, done.stdout)
    return Asked(found, _said(done) if found == "unknown" else "")


def state(plan: Plan) -> Asked:
    """Not installed, running, stopped, or unknown (with the manager's reason)."""
    if plan.os != "win32" and not plan.file.exists():
        return Asked("absent")  # no need to ask anyone
    return ask(plan)


def install(plan: Plan, content: bytes) -> Done:
    """Write the service's file, then have the manager (re)start it and start it at each
    login. The file is written even when the manager cannot be reached, so the manual
    commands find it."""
    plan.file.parent.mkdir(parents=True, exist_ok=True)
    plan.file.write_bytes(content)
    manual = service_plan.manual_steps(plan.os, plan.enable)
    asked = ask(plan)
    if asked.state == "unknown":
        return Done(asked.reason, manual, unreachable=True)
    return _steps(plan.enable, manual)


def remove(plan: Plan) -> Done | None:
    """Stop the service, keep it from starting at login, delete its file; None when it
    was not installed. When the manager refuses, the file stays (the service may still
    run); when the manager cannot be reached, nothing runs through it here and the file
    goes: without it the service does not start again."""
    asked = state(plan)
    if asked.state == "absent":
        plan.file.unlink(missing_ok=True)  # Windows: a task deleted by hand, its XML left
        return None
    if asked.state == "unknown":
        plan.file.unlink(missing_ok=True)
        return Done(asked.reason, unreachable=True)
    done = _steps(plan.disable, service_plan.manual_steps(plan.os, plan.disable))
    if done.failed:
        return done  # the file stays: it may still run
    plan.file.unlink(missing_ok=True)
    return _steps(plan.after_remove, service_plan.manual_steps(plan.os, plan.after_remove))


def _steps(steps: tuple[Step, ...], manual: str) -> Done:
    """Run `steps` in order; stop at the first that fails and may not."""
    for step in steps:
        try:
            done = _run(step.argv)
        except (OSError, subprocess.TimeoutExpired) as error:
            if not step.may_fail:
                return Done(f"{step.argv[0]}: {_reason(error)}", manual)
            continue
        if done.returncode != 0 and not step.may_fail:
            shown = " ".join(step.argv)
            return Done(f"{shown}: {_said(done)}", manual)
    return Done()


def _run(argv: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=MANAGER_SECONDS,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def _said(done: subprocess.CompletedProcess[str]) -> str:
    """The manager's own words for a failure: its error output, else its output."""
    words = (done.stderr or done.stdout).strip().splitlines()
    return words[-1] if words else f"exit status {done.returncode}"


def _reason(error: BaseException) -> str:
    if isinstance(error, FileNotFoundError):
        return f"{error.filename or error}: not found"
    return getattr(error, "strerror", None) or str(error)
