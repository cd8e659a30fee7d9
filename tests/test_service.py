"""`credit-guard service`: sync run or sync serve kept running by the OS's service manager.

The files each OS's manager reads are checked as text on any machine: the systemd unit
(and by `systemd-analyze verify` where it exists), the launchd plist through plistlib,
the task's XML through ElementTree. The shell runs for real against stand-in managers
(tests/fake_service_manager.py) that start the unit's or the plist's command line as a
real process and stop it with SIGTERM; and against the real systemctl with no user
manager to reach, as in a container.
"""

from __future__ import annotations

import contextlib
import os
import plistlib
import shlex
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from devkit.folder_keyring import environment
from native_host.cli import main
from native_host.commands import doctor
from native_host.installer import DEFAULT_FIREFOX_ID, DEV_EXTENSION_ID, service, service_plan
from native_host.installer.service_plan import Service, Step
from tests import fake_service_manager
from tests.fake_service_manager import calls
from tests.fakes import MemoryKeyring
from tests.test_cli_language import JAPANESE, english_sentences

REPO = Path(__file__).resolve().parents[1]
NAMESPACE = {"t": service_plan.TASK_NAMESPACE}
ODD = '/opt/my tools/100% "real" $HOME\\x'  # every character a unit must escape
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc, runs POSIX")


# -- what each OS's manager reads ---------------------------------------------------------


def test_the_service_starts_this_very_credit_guard() -> None:
    assert service_plan.program("/app/credit-guard", frozen=True) == ("/app/credit-guard",)
    venv = service_plan.program("/v/bin/python", frozen=False, platform="linux")
    assert venv == ("/v/bin/python", "-m", "native_host.cli")
    windows = service_plan.program(r"C:\v\Scripts\python.exe", frozen=False, platform="win32")
    assert windows == (r"C:\v\Scripts\pythonw.exe", "-m", "native_host.cli")  # no console
    frozen = service_plan.program(r"C:\CG\credit-guard.exe", frozen=True, platform="win32")
    assert frozen == (r"C:\CG\credit-guard.exe",)
    assert service.this_program()[0] == str(Path(sys.executable).absolute())


def test_only_the_data_folder_and_the_keyring_backend_are_carried() -> None:
    env = {"CREDIT_GUARD_HOME": "/d", "PATH": "/bin", "PYTHON_KEYRING_BACKEND": "", "X": "y"}
    assert service_plan.carried_env(env) == (("CREDIT_GUARD_HOME", "/d"),)


def unit_words(value: str) -> list[str]:
    return [word.replace("$$", "$").replace("%%", "%") for word in shlex.split(value)]


def unit_values(unit: str, key: str) -> list[str]:
    return [line.split("=", 1)[1] for line in unit.splitlines() if line.startswith(f"{key}=")]


def test_the_systemd_unit_quotes_every_word_and_restarts_on_failure() -> None:
    job = Service((ODD, "-m", "native_host.cli", "sync", "run"), (("CREDIT_GUARD_HOME", ODD),))
    unit = service_plan.systemd_unit(job, "Credit Guard: 100% in sync")
    [exec_start] = unit_values(unit, "ExecStart")
    assert unit_words(exec_start) == list(job.argv)
    assert [unit_words(v) for v in unit_values(unit, "Environment")] == [
        [f"CREDIT_GUARD_HOME={ODD}"]
    ]
    assert unit_values(unit, "Description") == ["Credit Guard: 100%% in sync"]
    assert unit_values(unit, "Restart") == ["on-failure"]
    assert unit_values(unit, "RestartPreventExitStatus") == ["2"]  # in no group: no retry
    assert unit_values(unit, "WantedBy") == ["default.target"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_itself_accepts_the_unit(tmp_path: Path) -> None:
    job = Service((sys.executable, "-m", "native_host.cli", "sync", "run"), (("A", ODD),))
    unit = tmp_path / service_plan.UNIT_NAME
    unit.write_text(service_plan.systemd_unit(job, 'Credit Guard: 100% "sync"'))
    done = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and unit.name not in done.stderr, done.stderr
    unit.write_text(unit.read_text().replace('"-m"', '"-m'))  # and it would say otherwise
    done = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0 and "quoting" in done.stderr


def test_the_launchd_agent_runs_the_command_at_load_and_again_when_it_fails(
    tmp_path: Path,
) -> None:
    job = Service((ODD, "sync", "serve", "--port", "9000"), (("CREDIT_GUARD_HOME", ODD),))
    log = tmp_path / "service.log"
    agent = plistlib.loads(service_plan.launchd_plist(job, log))
    assert agent["Label"] == "app.creditguard.sync"
    assert agent["ProgramArguments"] == list(job.argv)
    assert agent["EnvironmentVariables"] == {"CREDIT_GUARD_HOME": ODD}
    assert agent["RunAtLoad"] is True and agent["KeepAlive"] == {"SuccessfulExit": False}
    assert agent["StandardOutPath"] == agent["StandardErrorPath"] == str(log)
    bare = plistlib.loads(service_plan.launchd_plist(Service(("/cg", "sync", "run")), log))
    assert "EnvironmentVariables" not in bare


def task(xml: bytes) -> ET.Element:
    assert xml.startswith("\ufeff".encode("utf-16-le"))  # UTF-16, as schtasks /XML wants
    assert '<?xml version="1.0" encoding="UTF-16"?>' in xml.decode("utf-16")
    return ET.fromstring(xml)


def field(root: ET.Element, path: str) -> str:
    found = root.find(path.replace("/", "/t:").join(["t:", ""]), NAMESPACE)
    assert found is not None, path
    return found.text or ""


def test_the_windows_task_starts_at_the_users_logon_in_their_session() -> None:
    exe = r"C:\Program Files\Credit Guard\credit-guard.exe"
    job = Service((exe, "sync", "serve", "--db", r"C:\Users\Ann Lee\hub.sqlite3"))
    root = task(service_plan.task_xml(job, "Credit Guard: 同期", r"PC\Ann Lee"))
    assert field(root, "Actions/Exec/Command") == exe
    assert (
        field(root, "Actions/Exec/Arguments") == r'sync serve --db "C:\Users\Ann Lee\hub.sqlite3"'
    )
    assert field(root, "Triggers/LogonTrigger/UserId") == r"PC\Ann Lee"
    assert field(root, "Principals/Principal/UserId") == r"PC\Ann Lee"
    assert field(root, "Principals/Principal/LogonType") == "InteractiveToken"  # its keyring
    assert field(root, "Settings/ExecutionTimeLimit") == "PT0S"  # never stopped for running
    assert field(root, "Settings/RestartOnFailure/Interval") == "PT1M"
    assert field(root, "Settings/DisallowStartIfOnBatteries") == "false"
    assert field(root, "RegistrationInfo/Description") == "Credit Guard: 同期"


def test_a_windows_task_sets_carried_variables_through_cmd() -> None:
    home = r"C:\Users\Ann Lee\cg data"
    job = Service((r"C:\v\Scripts\pythonw.exe", "-m", "native_host.cli", "sync", "run"))
    job = Service(job.argv, (("CREDIT_GUARD_HOME", home),))
    root = task(service_plan.task_xml(job, "d", "ann"))
    assert field(root, "Actions/Exec/Command") == "cmd.exe"
    assert field(root, "Actions/Exec/Arguments") == (
        rf'/d /c set "CREDIT_GUARD_HOME={home}"&& '
        r"C:\v\Scripts\pythonw.exe -m native_host.cli sync run"
    )


def test_each_os_has_its_file_and_its_commands(tmp_path: Path) -> None:
    home, data = Path("/home/ann"), Path("/data")
    linux = service_plan.plan(home, data, platform="linux", env={}, uid=1000)
    assert linux.file == home / ".config/systemd/user/credit-guard-sync.service"
    configured = {"XDG_CONFIG_HOME": "/cfg"}
    assert service_plan.plan(home, data, platform="linux", env=configured, uid=1).file == Path(
        "/cfg/systemd/user/credit-guard-sync.service"
    )
    assert service_plan.manual_steps("linux", linux.enable) == (
        "systemctl --user daemon-reload && systemctl --user enable credit-guard-sync.service"
        " && systemctl --user restart credit-guard-sync.service"
    )
    assert linux.query == ("systemctl", "--user", "is-active", "credit-guard-sync.service")

    mac = service_plan.plan(home, data, platform="darwin", env={}, uid=501)
    assert mac.file == home / "Library/LaunchAgents/app.creditguard.sync.plist"
    assert [step.argv for step in mac.enable] == [
        ("launchctl", "bootout", "gui/501/app.creditguard.sync"),
        ("launchctl", "bootstrap", "gui/501", str(mac.file)),
    ]
    assert mac.enable[0].may_fail and mac.log == str(data / "service.log")

    windows = service_plan.plan(home, data, platform="win32", env={}, uid=0)
    assert windows.file == data / "service-task.xml"
    assert windows.enable[0] == Step(
        ("schtasks", "/Create", "/XML", str(windows.file), "/TN", "credit-guard-sync", "/F")
    )
    assert windows.disable[-1].argv == ("schtasks", "/Delete", "/TN", "credit-guard-sync", "/F")
    assert service_plan.shown("win32", ("schtasks", "/Run", "/TN", "a b")) == (
        'schtasks /Run /TN "a b"'
    )
    assert service.windows_user({"USERDOMAIN": "PC", "USERNAME": "ann"}) == "PC\\ann"


@pytest.mark.parametrize(
    ("os_name", "returncode", "output", "expected"),
    [
        ("linux", 0, "active\n", "running"),
        ("linux", 0, "activating\n", "running"),
        ("linux", 3, "inactive\n", "stopped"),
        ("linux", 3, "failed\n", "stopped"),
        ("linux", 1, "", "unknown"),  # no user manager: is-active prints nothing
        ("darwin", 0, "gui/501/app.creditguard.sync = {\n\tstate = running\n}", "running"),
        ("darwin", 0, "gui/501/app.creditguard.sync = {\n\tstate = not running\n}", "stopped"),
        ("darwin", 113, "", "stopped"),  # the plist is there, not loaded
        ("win32", 0, "Running\r\n", "running"),
        ("win32", 0, "Ready\r\n", "stopped"),
        ("win32", 1, "", "absent"),
    ],
)
def test_what_each_manager_answers_means(
    os_name: service_plan.OS, returncode: int, output: str, expected: str
) -> None:
    assert service_plan.parse_state(os_name, returncode, output) == expected


# -- the shell, against managers that run the service for real -------------------------


@pytest.fixture
def managers(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> Iterator[Path]:
    """Stand-in managers on PATH, an English locale, XDG_CONFIG_HOME set, an in-memory
    keyring (doctor asks it); the managers' state folder. What they started is stopped
    at the end."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    state = tmp_path / "manager"
    fake_service_manager.install_fakes(tmp_path / "bin", state)
    monkeypatch.setenv("FAKE_MANAGER", str(state))
    yield state
    fake_service_manager.stop(state)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = 2
    with contextlib.suppress(SystemExit):
        code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def said(state: Path, needle: str, times: int = 1, seconds: float = 30.0) -> str:
    """The service's output once it holds `needle` (`times` times)."""
    deadline = time.monotonic() + seconds
    out = state / "service.out"
    while time.monotonic() < deadline:
        if out.exists() and (text := out.read_text()).count(needle) >= times:
            return text
        time.sleep(0.05)
    raise AssertionError(f"{needle!r} never said: {out.read_text() if out.exists() else ''}")


def unit_file(tmp_path: Path) -> Path:
    return tmp_path / "config" / "systemd" / "user" / service_plan.UNIT_NAME


@linux_only
def test_a_hub_installed_as_a_service_runs_until_uninstalled(
    managers: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = run(capsys, "service", "status")
    assert code == 1 and "not installed" in out
    db = tmp_path / "hub" / "hub.sqlite3"
    db.parent.mkdir()
    monkeypatch.chdir(db.parent)  # a relative --db is made absolute: services start elsewhere
    code, out = run(capsys, "service", "install", "serve", "--port", "0", "--db", "hub.sqlite3")
    assert code == 0, out
    assert "The background service is installed and started" in out
    assert f"{sys.executable} -m native_host.cli sync serve --port 0 --db {db}" in out
    unit = unit_file(tmp_path).read_text()
    assert f"CREDIT_GUARD_HOME={tmp_path / 'data'}" in unit
    assert "loginctl enable-linger" in out
    said(managers, "The hub is listening at ws://127.0.0.1:")
    assert [call[2] for call in calls(managers)] == [
        "is-active",  # can the manager be reached at all
        "daemon-reload",
        "enable",
        "restart",
    ]

    code, out = run(capsys, "service", "status")
    assert code == 0 and out.startswith(f"running; installed in {unit_file(tmp_path)}"), out
    [check] = [c for c in checks() if c.name == "background service"]
    assert check.ok and "running" in check.detail

    code, out = run(capsys, "service", "uninstall")
    assert code == 0 and "The background service is stopped and removed" in out, out
    assert said(managers, "The hub stopped.")  # SIGTERM: a clean stop
    assert not unit_file(tmp_path).exists() and db.is_file()
    assert [call[2] for call in calls(managers)][-3:] == ["is-active", "disable", "daemon-reload"]
    code, out = run(capsys, "service", "uninstall")
    assert (code, out) == (0, "No background service is installed: nothing to remove.\n")


def checks() -> list[doctor.Check]:
    return doctor.run_checks([], extension_id=DEV_EXTENSION_ID, firefox_id=DEFAULT_FIREFOX_ID)


@linux_only
def test_a_stopped_service_is_a_warning_in_doctor_with_the_way_back(
    managers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "service", "install", "serve", "--port", "0")[0] == 0
    said(managers, "listening")
    fake_service_manager.stop(managers)  # it ended on its own
    [check] = [c for c in checks() if c.name == "background service"]
    assert not check.ok and not check.required
    assert check.detail == f"installed in {unit_file(tmp_path)}, but not running"
    assert check.fix == (
        "see why in journalctl --user -u credit-guard-sync.service; once that is fixed,"
        " start it again: systemctl --user restart credit-guard-sync.service"
    )
    code, out = run(capsys, "--lang", "ja", "service", "status")
    assert code == 1 and "動いていません" in out and not english_sentences(out), out


def test_install_run_needs_a_sync_group_and_options_that_go(
    managers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "service", "install")
    assert code == 2 and "in no sync group" in out, out
    assert not unit_file(tmp_path).exists() and calls(managers) == []
    for args, given in [
        (("install", "--port", "0"), "--port"),
        (("status", "serve"), "serve"),
        (("uninstall", "--insecure"), "--insecure"),
    ]:
        code, out = run(capsys, "service", *args)
        assert code == 2 and f"{given} does not go with credit-guard service" in out, out
    code, out = run(capsys, "service", "install", "serve", "--host", "0.0.0.0")
    assert code == 2 and "--insecure" in out and not unit_file(tmp_path).exists()
    code, out = run(capsys, "service", "install", "serve", "--tls-cert", "x.pem")
    assert code == 2 and "both --tls-cert and --tls-key" in out
    code, out = run(capsys, "--lang", "ja", "service", "install")
    assert code == 2 and JAPANESE.search(out) and not english_sentences(out), out


@linux_only
def test_sync_run_installed_as_a_service_stays_in_sync_and_stops_cleanly(
    managers: Path, tmp_path: Path
) -> None:
    """As real processes: a folder group, its secret in a keyring in a folder, which the
    service finds through the carried keyring backend."""
    shared = tmp_path / "shared"
    shared.mkdir()
    env = {
        **os.environ,
        "CREDIT_GUARD_HOME": str(tmp_path / "data"),
        "PYTHONPATH": str(REPO),
        **environment(tmp_path / "keys"),
    }

    def credit_guard(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "native_host.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )

    done = credit_guard("sync", "init", "--folder", str(shared))
    assert done.returncode == 0, done.stderr
    done = credit_guard("service", "install")
    assert done.returncode == 0, done.stderr
    assert "sync run now and each time you log in" in done.stdout
    unit = unit_file(tmp_path).read_text()
    assert "PYTHON_KEYRING_BACKEND=devkit.folder_keyring.FolderKeyring" in unit
    said(managers, "Staying in sync through the shared folder")
    done = credit_guard("service", "uninstall")
    assert done.returncode == 0, done.stderr
    assert said(managers, "Stopped syncing.")


@linux_only
def test_with_no_user_manager_the_unit_is_written_and_the_commands_given(
    managers: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real = shutil.which("systemctl", path=os.defpath)
    if real is None:
        (tmp_path / "bin" / "systemctl").unlink()  # no systemd at all
        reason = "systemctl: not found"
    else:  # the real one, sent to a bus that is not there (a container, an SSH session)
        (tmp_path / "bin" / "systemctl").unlink()
        (tmp_path / "bin" / "systemctl").symlink_to(real)
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "no-runtime"))
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
        reason = "Failed to connect to bus"
    code, out = run(capsys, "service", "install", "serve")
    assert code == 1 and unit_file(tmp_path).is_file(), out
    assert "systemd's user manager (systemctl --user) cannot be reached here" in out
    assert reason in out
    assert (
        "Finish by hand, in a login session where systemd's user manager (systemctl --user)"
        " runs: systemctl --user daemon-reload"
        " && systemctl --user enable credit-guard-sync.service"
        " && systemctl --user restart credit-guard-sync.service"
    ) in out
    [check] = [c for c in checks() if c.name == "background service"]
    assert not check.ok and "cannot be asked whether it runs" in check.detail
    assert "systemctl --user enable credit-guard-sync.service" in check.fix

    code, out = run(capsys, "--lang", "ja", "service", "install", "serve")
    assert code == 1 and "接続できないため、何も開始していません" in out
    assert not english_sentences(out), out

    code, out = run(capsys, "service", "uninstall")
    assert code == 0 and not unit_file(tmp_path).exists(), out
    assert "without its file the service does not start again" in out


# -- the shell on macOS and Windows, through their commands ------------------------------


@linux_only
def test_a_launchd_agent_is_bootstrapped_run_and_booted_out(
    managers: Path, home: Path, tmp_path: Path
) -> None:
    plan = service.current_plan(platform="darwin", home=home)
    job = Service((sys.executable, "-m", "native_host.cli", "sync", "serve", "--port", "0"))
    job = Service(job.argv, service_plan.carried_env(os.environ))
    agent = service_plan.launchd_plist(job, tmp_path / "data" / service_plan.AGENT_LOG)
    assert service.state(plan).state == "absent"
    assert service.install(plan, agent) == service.Done()
    assert plan.file == home / "Library" / "LaunchAgents" / "app.creditguard.sync.plist"
    said(managers, "listening")
    assert service.state(plan).state == "running"
    assert service.install(plan, agent) == service.Done()  # again: booted out, then in
    said(managers, "listening", times=2)
    assert service.remove(plan) == service.Done()
    said(managers, "The hub stopped.", times=2)  # by the second install, then by remove
    assert not plan.file.exists() and service.state(plan).state == "absent"
    uid = os.getuid()
    assert [call[1] for call in calls(managers) if call[0] == "launchctl"] == [
        "print",  # reachable?
        "bootout",
        "bootstrap",
        "print",
        "print",
        "bootout",
        "bootstrap",
        "print",
        "bootout",
    ]
    assert ["launchctl", "bootstrap", f"gui/{uid}", str(plan.file)] in calls(managers)


def test_a_windows_task_is_created_run_ended_and_deleted(
    managers: Path, home: Path, tmp_path: Path
) -> None:
    plan = service.current_plan(platform="win32", home=home, env={})
    exe = r"C:\Users\ann\AppData\Local\Credit Guard\credit-guard.exe"
    xml = service_plan.task_xml(Service((exe, "sync", "run")), "d", r"PC\ann")
    assert service.state(plan).state == "absent"
    assert service.install(plan, xml) == service.Done()
    assert plan.file == tmp_path / "data" / "service-task.xml"
    assert service.state(plan).state == "running"
    assert (managers / "task.xml").read_bytes() == xml  # what schtasks was handed
    assert service.remove(plan) == service.Done()
    assert service.state(plan).state == "absent" and not plan.file.exists()
    assert service.remove(plan) is None
    assert [call[1] for call in calls(managers) if call[0] == "schtasks"] == [
        "/Create",
        "/End",
        "/Run",
        "/End",
        "/Delete",
    ]
