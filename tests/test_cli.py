"""The `credit-guard` CLI: status, log, config, schema, demo (install/doctor: test_installer)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from native_host import __version__
from native_host.cli import COMMANDS, main
from native_host.messages import REQUEST_MODELS
from native_host.paths import ENV_HOME


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_HOME, str(tmp_path))
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"credit-guard {__version__} (protocol 1)\n")


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--help")
    assert code == 0
    for name in COMMANDS:
        assert f"  {name} " in out


def test_unknown_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "unknown command" in capsys.readouterr().err


def test_status_with_no_accounts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "status")
    assert code == 0 and "No Genspark account seen yet" in out


def test_log_then_status(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(
        capsys, "log", "--account", "me@example.com", "--operation", "image", "--credits", "5"
    )
    assert code == 0 and "Remaining" in out and "95 of 100" in out
    run(capsys, "log", "--account", "me@example.com", "--operation", "chat", "--credits", "1")
    code, out = run(capsys, "status", "--json")
    tally = json.loads(out)["accounts"][0]
    assert tally["used"]["total"] == 6
    assert tally["used"]["by_operation"] == {"image": 5, "chat": 1}
    code, out = run(capsys, "status")
    assert "me@example.com" in out and "Credits return" in out and "94 of 100" in out


def test_log_rejects_bad_input_with_the_protocol_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "log", "--account", "a", "--operation", "image", "--credits", "-3")
    assert code == 2 and "invalid" in out and "credits" in out
    code, out = run(capsys, "log", "--account", "a", "--operation", "image", "--at", "yesterday")
    assert code == 2 and "at" in out


def test_config_set_and_get(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run(
        capsys, "config", "set", "--account", "me@example.com", "plan=plus", "billing_day=15"
    )
    assert code == 0
    code, out = run(capsys, "config", "get", "--account", "me@example.com", "--json")
    account = json.loads(out)["account"]
    assert (account["plan"], account["billing_day"]) == ("plus", 15)
    run(capsys, "config", "set", "language=ja", "notify_thresholds=[30,5]")
    code, out = run(capsys, "config", "get", "--json")
    assert json.loads(out)["global"]["notify_thresholds"] == [30, 5]
    code, out = run(capsys, "status", "--account", "me@example.com", "--json")
    assert json.loads(out)["accounts"][0]["allowance"] == 10_000


@pytest.mark.parametrize(
    "args",
    [
        ("config", "set", "plan=pro"),  # per-account without --account
        ("config", "set", "--account", "a", "language=ja"),  # global with --account
        ("config", "set", "--account", "a", "plan=platinum"),
        ("config", "set", "--account", "a", "reset_time=25:00"),
        ("config", "set", "noequals"),
        ("config", "get", "plan=pro"),
    ],
)
def test_config_errors(capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    code, out = run(capsys, *args)
    assert code == 2 and out.startswith("credit-guard config:")


def test_schema_covers_every_request_kind(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    assert set(schema["discriminator"]["mapping"]) == set(REQUEST_MODELS)


def test_demo_runs_the_real_helper(home: Path) -> None:
    for lang, word in (("en", "level:"), ("ja", "クレジット")):
        done = subprocess.run(
            [sys.executable, "-m", "native_host.cli", "demo", "--lang", lang],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert "other devices" in done.stdout and word in done.stdout
        assert "STOP" in done.stdout  # a 200-credit video with 45 left
    assert not (home / "ledger.sqlite3").exists()  # the demo used its own directory


def test_config_null_clears_an_allowance_back_to_the_plans(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(capsys, "config", "set", "--account", "a@example.com", "plan=team", "allowance=5000")
    code, out = run(capsys, "status", "--account", "a@example.com", "--json")
    assert json.loads(out)["accounts"][0]["allowance"] == 5000
    code, _ = run(capsys, "config", "set", "--account", "a@example.com", "allowance=null")
    assert code == 0
    code, out = run(capsys, "status", "--account", "a@example.com", "--json")
    assert json.loads(out)["accounts"][0]["allowance"] == 10_000  # the team plan's default
    code, out = run(capsys, "config", "set", "--account", "a@example.com", "plan=null")
    assert code == 2 and "cannot be null" in out


def test_status_shows_the_pace_in_local_time(capsys: pytest.CaptureFixture[str]) -> None:
    now = datetime.now(UTC)
    # A daily period that began about 12 hours ago, whatever the time of day now.
    reset_time = (now - timedelta(hours=12)).strftime("%H:%M")
    run(capsys, "config", "set", "--account", "me@example.com", f"reset_time={reset_time}")
    logged = (now - timedelta(hours=1)).isoformat()
    log = ("log", "--account", "me@example.com", "--operation", "video", "--credits", "90")
    run(capsys, *log, "--at", logged)
    _, out = run(capsys, "status", "--account", "me@example.com", "--json")
    pace = json.loads(out)["accounts"][0]["pace"]
    assert pace["outlook"] == "runs_out" and 7.4 < pace["per_hour"] <= 7.6
    assert pace["runs_out_at"] < json.loads(out)["accounts"][0]["reset_at"]
    _, out = run(capsys, "status")
    line = next(line for line in out.splitlines() if line.startswith("At this pace"))
    clock = datetime.fromisoformat(pace["runs_out_at"]).astimezone()
    earliest = (clock - timedelta(minutes=1)).strftime("%H:%M")
    match = re.search(r"out around (\d\d:\d\d), [^,]+ before the reset", line)
    assert match and match.group(1) in {earliest, clock.strftime("%H:%M")}, line
    assert "credits an hour" in line

    billing_day = (now - timedelta(days=5)).day  # a month that began days ago: a pace
    monthly = ("plan=plus", f"billing_day={billing_day}")
    run(capsys, "config", "set", "--account", "me@example.com", *monthly)
    _, out = run(capsys, "status")
    assert "lasts until the reset" in out  # 90 of 10,000 in five days


def test_status_says_when_the_pace_cannot_tell_yet(capsys: pytest.CaptureFixture[str]) -> None:
    just_reset = (datetime.now(UTC) - timedelta(minutes=10)).strftime("%H:%M")
    run(capsys, "config", "set", "--account", "me@example.com", f"reset_time={just_reset}")
    run(capsys, "log", "--account", "me@example.com", "--operation", "image", "--credits", "5")
    _, out = run(capsys, "status")
    assert "At this pace    too early in the period to tell" in out
    run(capsys, "log", "--account", "me@example.com", "--operation", "video", "--credits", "95")
    _, out = run(capsys, "status")
    assert "At this pace    no credits left" in out
