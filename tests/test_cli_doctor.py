"""`credit-guard doctor`: each link of the chain passes, or fails with a fix.

Runs under a temporary HOME with an in-memory keyring. Hosts are small generated
programs: fake ones that answer (or misbehave) on purpose, and a wrapper around the
real `python -m native_host`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail

import native_host
from native_host import HOST_NAME
from native_host.commands import doctor
from native_host.commands import install as install_cmd
from native_host.installer import DEFAULT_FIREFOX_ID, DEV_EXTENSION_ID, register
from native_host.installer.locations import Browser
from tests.fakes import FakeRegistry, MemoryKeyring, run_command

REPO = Path(native_host.__file__).resolve().parents[1]

# A stand-in host: reads one frame, then behaves as MODE says.
FAKE_HOST = """\
import json, os, struct, sys, time
MODE = {mode!r}
with open(os.environ["ARGV_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if MODE == "crash":
    sys.stderr.write("Traceback: the host fell over\\n")
    sys.exit(3)
length = struct.unpack("=I", sys.stdin.buffer.read(4))[0]
request = json.loads(sys.stdin.buffer.read(length))
if MODE == "silent":
    time.sleep(30)
reply = {{"v": 1, "id": request["id"], "ok": True, "type": "hello",
          "host_version": "9.9.9", "protocol": 1, "device_id": "d", "device_name": "n"}}
if MODE == "error":
    reply = {{"v": 1, "id": request["id"], "ok": False,
              "error": {{"code": "internal", "message": "boom"}}}}
if MODE == "old":
    reply["protocol"] = 0
if MODE == "garbage":
    body = b"not json"
else:
    body = json.dumps(reply).encode()
sys.stdout.buffer.write(struct.pack("=I", len(body)) + body)
sys.stdout.buffer.flush()
"""


@pytest.fixture(autouse=True)
def doctor_env(
    home: Path, memory_keyring: MemoryKeyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test: the private HOME, an in-memory keyring, and a log of the hosts' argv."""
    monkeypatch.setenv("ARGV_LOG", str(tmp_path / "argv.log"))


def fake_host(tmp_path: Path, mode: str = "ok") -> Path:
    path = tmp_path / f"host-{mode}"
    path.write_text(f"#!{sys.executable}\n" + FAKE_HOST.format(mode=mode))
    path.chmod(0o755)
    return path


def real_host_wrapper(tmp_path: Path) -> Path:
    """An executable that execs the real host, as an installed script would."""
    path = tmp_path / "credit-guard-host"
    path.write_text(
        "#!/bin/sh\n"
        f'PYTHONPATH="{REPO}${{PYTHONPATH:+:$PYTHONPATH}}" '
        f'exec "{sys.executable}" -m native_host "$@"\n'
    )
    path.chmod(0o755)
    return path


def install(host: Path, *extra: str) -> None:
    assert run_command(install_cmd, ["--host-path", str(host), *extra]) == 0


def doctor_json(
    capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, dict[str, dict[str, Any]]]:
    capsys.readouterr()
    code = run_command(doctor, ["--json", *argv])
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is (code == 0)
    return code, {c["name"].split(" (")[0]: c for c in report["checks"]}


def test_all_checks_pass_with_a_working_host(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "profile"
    install(fake_host(tmp_path), "--user-data-dir", str(profile))
    code, checks = doctor_json(capsys, "--user-data-dir", str(profile))
    assert code == 0, checks
    assert list(checks) == [
        "chromium: manifest",
        "chromium: manifest content",
        "chromium: host program",
        "host answers hello",
        "keyring",
        "data folder",
        "background service",
    ]
    assert "not installed" in checks["background service"]["detail"]
    assert "host_version 9.9.9" in checks["host answers hello"]["detail"]
    argv = json.loads((tmp_path / "argv.log").read_text())
    assert argv == [f"chrome-extension://{DEV_EXTENSION_ID}/"]  # launched as Chromium does


def test_text_output_says_ok_or_what_to_fix(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / ".config" / "google-chrome").mkdir(parents=True)
    assert run_command(doctor, []) == 1
    out = capsys.readouterr().out
    assert "FAIL  chrome: manifest: none found in" in out
    assert "fix: run: credit-guard install --browser chrome" in out
    assert "OK    keyring:" in out and "OK    data folder:" in out
    install(fake_host(tmp_path))
    assert run_command(doctor, []) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out and out.rstrip().endswith("All checks passed.")


def test_firefox_host_is_started_as_firefox_starts_it(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / ".mozilla" / "firefox").mkdir(parents=True)
    install(fake_host(tmp_path))
    code, checks = doctor_json(capsys)
    assert code == 0, checks
    manifest = home / ".mozilla" / "native-messaging-hosts" / f"{HOST_NAME}.json"
    argv = json.loads((tmp_path / "argv.log").read_text())
    assert argv == [str(manifest), DEFAULT_FIREFOX_ID]


def test_the_real_host_answers_hello(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = tmp_path / "profile"
    install(real_host_wrapper(tmp_path), "--user-data-dir", str(profile))
    code, checks = doctor_json(capsys, "--user-data-dir", str(profile))
    hello = checks["host answers hello"]
    assert hello["ok"], hello
    assert f"host_version {native_host.__version__}" in hello["detail"]
    assert code == 0, checks


def test_no_browser_found_fails(capsys: pytest.CaptureFixture[str]) -> None:
    code, checks = doctor_json(capsys)
    assert code == 1 and checks["browsers"]["ok"] is False


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "Expecting property name"),
        (
            '{"name": "com.creditguard.helper", "type": "stdio", "path": "/x",'
            ' "allowed_origins": ["chrome-extension://*/"]}',
            "wildcards are never allowed",
        ),
        (
            '{"name": "com.creditguard.helper", "type": "stdio", "path": "relative/host",'
            f' "allowed_origins": ["chrome-extension://{DEV_EXTENSION_ID}/"]}}',
            "not an absolute",
        ),
        (
            '{"name": "com.creditguard.helper", "type": "stdio", "path": "/x",'
            f' "allowed_origins": ["chrome-extension://{"a" * 32}/"]}}',
            "not the extension id",
        ),
    ],
)
def test_broken_manifests_are_reported_with_a_fix(
    content: str, expected: str, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = home / ".config" / "chromium" / "NativeMessagingHosts"
    folder.mkdir(parents=True)
    (folder / f"{HOST_NAME}.json").write_text(content)
    code, checks = doctor_json(capsys)
    assert code == 1
    failed = [c for c in checks.values() if not c["ok"]]
    assert len(failed) == 1 and expected in failed[0]["detail"], failed
    assert "credit-guard install --browser chromium" in failed[0]["fix"]
    assert "host answers hello" not in checks


def test_missing_or_non_executable_host_is_reported(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / ".config" / "vivaldi").mkdir(parents=True)
    host = fake_host(tmp_path)
    install(host)
    host.chmod(0o644)
    code, checks = doctor_json(capsys)
    assert code == 1 and "not executable" in checks["vivaldi: host program"]["detail"]
    host.unlink()
    code, checks = doctor_json(capsys)
    assert "does not exist" in checks["vivaldi: host program"]["detail"]
    assert "--host-path" in checks["vivaldi: host program"]["fix"]


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("silent", "no reply within 0.5 s"),
        ("crash", "the host fell over"),
        ("error", "host replied with an error"),
        ("old", "protocol 0"),
        ("garbage", "not UTF-8 JSON"),
    ],
)
def test_bad_hosts_fail_the_hello_check(
    mode: str,
    expected: str,
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(doctor, "HELLO_TIMEOUT", 0.5)
    (home / ".config" / "google-chrome").mkdir(parents=True)
    install(fake_host(tmp_path, mode))
    code, checks = doctor_json(capsys)
    hello = checks["host answers hello"]
    assert code == 1 and not hello["ok"] and expected in hello["detail"], hello


def test_failing_keyring_is_a_warning_until_sync_needs_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keyring.set_keyring(fail.Keyring())
    profile = tmp_path / "profile"
    install(fake_host(tmp_path), "--user-data-dir", str(profile))
    code, checks = doctor_json(capsys, "--user-data-dir", str(profile))
    assert code == 0  # the tally works without a keyring; only sync keeps a secret
    assert [name for name, c in checks.items() if not c["ok"]] == ["keyring"]
    assert checks["keyring"]["required"] is False
    assert "no usable keyring backend" in checks["keyring"]["detail"]
    assert "needed only to sync" in checks["keyring"]["detail"]
    code = run_command(doctor, ["--user-data-dir", str(profile)])
    assert code == 0 and "WARN  keyring:" in capsys.readouterr().out


def test_unwritable_data_folder_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("CREDIT_GUARD_HOME", str(blocker))
    code, checks = doctor_json(capsys, "--browser", "edge")
    assert code == 1 and checks["data folder"]["ok"] is False
    assert "CREDIT_GUARD_HOME" in checks["data folder"]["fix"]


def test_windows_manifests_are_found_through_the_registry(home: Path, tmp_path: Path) -> None:
    registry = FakeRegistry()
    host = fake_host(tmp_path)
    plan: list[tuple[bool, list[Browser]]] = [(False, ["chrome"]), (True, ["firefox"])]
    for system, browsers in plan:
        targets = register.plan_targets(browsers, system=system, platform="win32", env={})
        register.install(
            targets,
            host_path=host,
            extension_id=DEV_EXTENSION_ID,
            firefox_id=DEFAULT_FIREFOX_ID,
            registry=registry,
        )
    checks = doctor.run_checks(
        ["chrome", "edge", "firefox"],
        extension_id=DEV_EXTENSION_ID,
        firefox_id=DEFAULT_FIREFOX_ID,
        platform="win32",
        env={},
        registry=registry,
    )
    by_name = {c.name.split(" (")[0]: c for c in checks}
    assert by_name["chrome: manifest"].ok and by_name["firefox: manifest"].ok  # HKCU, HKLM
    assert not by_name["edge: manifest"].ok
    assert r"HKCU\Software\Microsoft\Edge" in by_name["edge: manifest"].detail
    assert by_name["host answers hello"].ok


def test_an_unusable_data_folder_is_shown_as_the_helper_answers_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "profile"
    install(real_host_wrapper(tmp_path), "--user-data-dir", str(profile))
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("CREDIT_GUARD_HOME", str(blocker))
    code, checks = doctor_json(capsys, "--user-data-dir", str(profile))
    assert code == 1
    hello, folder = checks["host answers hello"], checks["data folder"]
    assert not hello["ok"] and "cannot keep its records in" in hello["detail"], hello
    assert str(blocker) in hello["detail"] and "CREDIT_GUARD_HOME" in hello["detail"]
    assert not folder["ok"] and folder["detail"] == f"{blocker}: File exists", folder


def test_a_frozen_program_checks_that_the_links_lead_to_it(home: Path, tmp_path: Path) -> None:
    """The program a release installed (this_program) wants each manifest and the
    credit-guard command to start it; another working copy is a warning, not a failure."""
    (home / ".config" / "chromium").mkdir(parents=True)
    program = fake_host(tmp_path)
    install(program)
    command = tmp_path / "bin" / "credit-guard"  # the home fixture's PATH is tmp_path/bin
    command.parent.mkdir(exist_ok=True)
    command.symlink_to(program)

    def checks(this_program: Path) -> dict[str, doctor.Check]:
        found = doctor.run_checks(
            ["chromium"],
            extension_id=DEV_EXTENSION_ID,
            firefox_id=DEFAULT_FIREFOX_ID,
            this_program=this_program,
        )
        assert all(c.ok or not c.required for c in found), found
        return {c.name.split(" (")[0]: c for c in found}

    mine = checks(program)
    assert mine["chromium: this program"].ok and mine["credit-guard command"].ok, mine
    assert mine["credit-guard command"].detail == f"{command} starts this program"

    other = fake_host(tmp_path, "other")  # answers hello as the first one does
    theirs = checks(other)
    named = theirs["chromium: this program"]
    assert not named.ok and not named.required
    assert named.detail == f"the manifest names {program}, not this program ({other})"
    assert named.fix == f"to have the browser start this program: {other} install"
    assert not theirs["credit-guard command"].ok
    assert f"{command} is another program than this one" in theirs["credit-guard command"].detail
    assert "install script" in theirs["credit-guard command"].fix

    command.unlink()
    missing = checks(program)["credit-guard command"]
    assert not missing.ok and missing.detail.startswith("not found on PATH"), missing
    assert str(home / ".local" / "bin") in missing.fix


def test_a_source_checkout_checks_whatever_host_was_registered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not frozen: --host-path may name any host, and no link check is added."""
    assert doctor.this_program() is None
    profile = tmp_path / "profile"
    install(fake_host(tmp_path), "--user-data-dir", str(profile))
    _code, checks = doctor_json(capsys, "--user-data-dir", str(profile))
    assert "chromium: this program" not in checks and "credit-guard command" not in checks
