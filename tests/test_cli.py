"""The `credit-guard` CLI: status, log, config, schema, demo (install/doctor: test_installer)."""

from __future__ import annotations

import importlib
import io
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from native_host import __version__, commands
from native_host.cli import COMMANDS, main
from native_host.i18n import text
from native_host.messages import ACCOUNT_SETTINGS, GLOBAL_SETTINGS, REQUEST_MODELS
from native_host.paths import ENV_HOME


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_HOME, str(tmp_path))
    for name in ("LC_ALL", "LC_MESSAGES"):  # messages in English unless a test says otherwise
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
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


def test_each_summary_in_help_is_its_commands_docstring() -> None:
    listed = {path.stem for path in Path(commands.__file__).parent.glob("*.py")} - {"__init__"}
    assert set(COMMANDS) == listed
    for name, summary in COMMANDS.items():
        module = importlib.import_module(f"native_host.commands.{name}")
        assert (module.__doc__ or "").strip().splitlines()[0] == summary


def test_help_imports_no_command() -> None:
    code = (
        "import sys\n"
        "from native_host.cli import main\n"
        "main(['--help'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('native_host.commands.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


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
    me = "me@example.com"
    code, out = run(capsys, "log", "--account", me, "--operation", "image", "--credits", "-3")
    assert code == 2 and "-3 is outside what is accepted: give a number from 0 to 1,000,000" in out
    code, out = run(capsys, "log", "--account", me, "--operation", "image", "--at", "yesterday")
    assert code == 2 and "yesterday is not a time Credit Guard can read" in out


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
        ("config", "set", "--account", "a@example.com", "language=ja"),  # global with --account
        ("config", "set", "--account", "a@example.com", "plan=platinum"),
        ("config", "set", "--account", "a@example.com", "reset_time=25:00"),
        ("config", "set", "noequals"),
        ("config", "get", "plan=pro"),
    ],
)
def test_config_errors(capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    code, out = run(capsys, *args)
    assert code == 2 and out.startswith("credit-guard config:")


# A whole number printed as a float ("45.0"; not a version such as 0.1.0): people read "45".
WHOLE_WITH_ZERO = re.compile(r"(?<![\d.])\d[\d,]*\.0\b(?!\.)")


def test_status_says_by_how_much_usage_passed_the_allowance(
    capsys: pytest.CaptureFixture[str],
) -> None:
    me = "me@example.com"
    run(capsys, "log", "--account", me, "--operation", "video", "--credits", "207.5")
    code, out = run(capsys, "status", "--account", me)
    assert code == 0
    assert re.search(r"Remaining +0 of 100, over by 107\.5\n", out), out
    assert re.search(r"Used +207\.5\n", out), out
    assert not WHOLE_WITH_ZERO.search(out), out


def test_status_within_the_allowance_says_nothing_of_over(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(capsys, "log", "--account", "me@example.com", "--operation", "image", "--credits", "100")
    code, out = run(capsys, "status")
    assert code == 0 and re.search(r"Remaining +0 of 100\n", out) and "over" not in out, out


def test_config_get_shows_numbers_as_typed(capsys: pytest.CaptureFixture[str]) -> None:
    me = "me@example.com"
    run(capsys, "config", "set", "--account", me, "reserve=20", "allowance=150")
    run(capsys, "config", "set", "notify_thresholds=[30,5]")
    code, out = run(capsys, "config", "get", "--account", me)
    assert code == 0
    assert "  reserve = 20\n" in out and "  allowance = 150\n" in out, out
    assert "  notify_thresholds = 30,5\n" in out, out  # as `config set` takes it
    assert not WHOLE_WITH_ZERO.search(out), out


def test_schema_covers_every_request_kind(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    assert set(schema["discriminator"]["mapping"]) == set(REQUEST_MODELS)


def test_demo_runs_the_real_helper(home: Path) -> None:
    # A 200-credit video with 45 left: stop; 15 credits spent on the phone: other devices.
    for lang, words in (
        ("en", ("Verdict: STOP.", "other devices 15")),
        ("ja", ("判定: 中止をおすすめします。", "ほかの端末 15")),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "native_host.cli", "demo", "--lang", lang],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert all(word in done.stdout for word in words), done.stdout
        assert not WHOLE_WITH_ZERO.search(done.stdout), done.stdout
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
    assert code == 2 and "plan: null is not accepted: give one of free, plus, pro" in out


def test_status_shows_the_pace_in_local_time(capsys: pytest.CaptureFixture[str]) -> None:
    now = datetime.now(UTC)
    # A daily period that began about 12 hours ago, whatever the time of day now.
    reset_time = (now - timedelta(hours=12)).strftime("%H:%M UTC")
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
    just_reset = (datetime.now(UTC) - timedelta(minutes=10)).strftime("%H:%MZ")
    run(capsys, "config", "set", "--account", "me@example.com", f"reset_time={just_reset}")
    run(capsys, "log", "--account", "me@example.com", "--operation", "image", "--credits", "5")
    _, out = run(capsys, "status")
    assert "At this pace    too early in the period to tell" in out
    run(capsys, "log", "--account", "me@example.com", "--operation", "video", "--credits", "95")
    _, out = run(capsys, "status")
    assert "At this pace    no credits left" in out


# -- accounts, undo, forget --------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("status", "--account", "not an email"),
        ("log", "--account", "me@example", "--operation", "image"),
        ("config", "get", "--account", "me @example.com"),
    ],
)
def test_a_non_email_account_is_refused(capsys: pytest.CaptureFixture[str], args: Any) -> None:
    code, out = run(capsys, *args)
    assert code == 2 and "is not an e-mail address" in out and "Account" not in out
    run(capsys, "config", "set", "language=ja")
    code, out = run(capsys, *args)
    assert code == 2 and "はメールアドレスではありません" in out
    code, out = run(capsys, "status", "--json")
    assert json.loads(out)["accounts"] == []  # nothing was recorded


def test_japanese_follows_the_terminal_when_the_language_is_auto(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    code, out = run(capsys, "status", "--account", "nobody")
    assert code == 2 and "はメールアドレスではありません" in out


def test_lookalike_spellings_on_the_cli_are_one_account(capsys: pytest.CaptureFixture[str]) -> None:
    for name in (" ME@Example.com ", "me\u200b@example.com"):
        run(capsys, "log", "--account", name, "--operation", "chat", "--credits", "1")
    _, out = run(capsys, "status", "--account", "Me@Example.Com", "--json")
    assert [(t["account"], t["used"]["total"]) for t in json.loads(out)["accounts"]] == [
        ("me@example.com", 2)
    ]


def logged_event_id(out: str) -> str:
    match = re.search(r"credit-guard log --undo ([0-9a-f-]{36})", out)
    assert match, out
    return match.group(1)


def test_log_prints_its_event_id_and_undo_takes_it_back(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "log", "--account", "me@example.com", "--operation", "chat", "--credits", "1")
    code, out = run(
        capsys, "log", "--account", "me@example.com", "--operation", "image", "--credits", "500"
    )
    assert code == 0
    event_id = logged_event_id(out)
    assert f"as event {event_id}." in out
    code, out = run(capsys, "log", "--undo", event_id)
    assert code == 0 and "Undone: image generation for me@example.com" in out
    assert "99 of 100" in out
    code, out = run(capsys, "status", "--json")
    tally = json.loads(out)["accounts"][0]
    assert tally["used"]["by_operation"] == {"chat": 1}
    assert sum(day["used"] for day in tally["history"]) == 1

    code, out = run(capsys, "log", "--undo", event_id.upper())
    assert code == 1 and f"Event {event_id} was already undone; nothing changed." in out
    for unknown in (str(uuid.uuid4()), "not-an-id"):
        code, out = run(capsys, "log", "--undo", unknown)
        assert code == 2 and f"No usage event {unknown} in the ledger" in out
    code, out = run(capsys, "log", "--undo", event_id, "--credits", "5")
    assert code == 2 and "--undo takes no other option" in out
    code, out = run(capsys, "log", "--operation", "image")
    assert code == 2 and "Give --account and --operation" in out


def test_forget_asks_first(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for account in ("me@example.com", "me@exmaple.com"):
        run(capsys, "log", "--account", account, "--operation", "image", "--credits", "5")
    for answer in ("n\n", ""):  # no, then no input at all (a closed stdin)
        monkeypatch.setattr("sys.stdin", io.StringIO(answer))
        code, out = run(capsys, "forget", "me@exmaple.com")
        assert code == 1 and "Forget me@exmaple.com?" in out and "Nothing was forgotten." in out
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    code, out = run(capsys, "forget", "ME@exmaple.com")
    assert code == 0 and "Forgot me@exmaple.com." in out
    code, out = run(capsys, "status", "--json")
    assert [t["account"] for t in json.loads(out)["accounts"]] == ["me@example.com"]
    code, out = run(capsys, "forget", "me@exmaple.com", "--yes")
    assert code == 2 and "No account me@exmaple.com in the tally. Accounts: me@example.com." in out


def test_forget_yes_skips_the_question_and_later_usage_starts_afresh(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(capsys, "log", "--account", "me@example.com", "--operation", "image", "--credits", "5")
    code, out = run(capsys, "forget", "--yes", "me@example.com")
    assert code == 0 and "?" not in out
    code, out = run(capsys, "status")
    assert "No Genspark account seen yet" in out
    run(capsys, "log", "--account", "me@example.com", "--operation", "chat", "--credits", "1")
    code, out = run(capsys, "status", "--json")
    assert json.loads(out)["accounts"][0]["used"]["total"] == 1


@pytest.mark.parametrize(
    ("command", "words"), [("forget", ("ACCOUNT", "--yes", "Example")), ("log", ("--undo",))]
)
def test_new_options_have_help(
    capsys: pytest.CaptureFixture[str], command: str, words: tuple[str, ...]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert all(word in out for word in words), out


# -- input a person types: errors in plain words, local times, yes/no (issue 8) ---------


@pytest.fixture
def tokyo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The local zone is Asia/Tokyo (UTC+09:00, no daylight saving) for the test."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def in_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "config", "set", "language=ja")[0] == 0


ME = ("--account", "me@example.com")


@pytest.mark.parametrize(
    ("args", "english", "japanese"),
    [
        (
            ("config", "set", *ME, "reset_time=25:00"),
            "reset_time: 25:00 is not a time of day: give hours and minutes in your local time,"
            " such as 9:00 or 21:30",
            "reset_time: 25:00 は時刻として読めません。現地時刻の時と分を 9:00 や 21:30",
        ),
        (
            ("config", "set", *ME, "billing_day=40"),
            "billing_day: 40 is not accepted: give a whole number from 1 to 31.",
            "billing_day: 40 は受け付けられません。1から31までの整数を指定してください。",
        ),
        (
            ("config", "set", *ME, "plan=platinum"),
            "plan: platinum is not accepted: give one of free, plus, pro, team, custom.",
            "plan: platinum は受け付けられません。free, plus, pro, team, custom のいずれか",
        ),
        (
            ("config", "set", "confirm_before_heavy=maybe"),
            "confirm_before_heavy: maybe is not a yes or a no: give yes, no, on, off, true or"
            " false.",
            "confirm_before_heavy: maybe は「はい」「いいえ」として読めません。",
        ),
        (
            ("config", "set", "plan=pro"),
            "plan: a setting of one account; name the account with --account, such as:"
            " credit-guard config set --account me@example.com plan=plus",
            "plan はアカウントごとの設定です。",
        ),
        (
            ("config", "set", *ME, "notifications=no"),
            "notifications: a setting for every account; leave out --account.",
            "notifications はすべてのアカウントに共通の設定です。",
        ),
        (
            ("config", "set", 'alternatives=[{"name": "Felo", "url": "http://felo.ai/"}]'),
            "is not a list of assistants: give JSON, a list of objects each with a name and an"
            " https url.",
            "は代替サービスの一覧として読めません。",
        ),
        (
            ("config", "set", "colour=blue"),
            "colour is not a setting. Settings: plan, allowance,",
            "colour という設定はありません。",
        ),
        (
            ("config", "set", "noequals"),
            "noequals is not NAME=VALUE",
            "noequals は「設定名=値」の形ではありません。",
        ),
        (
            ("config", "get", "plan=pro"),
            "plan=pro: get takes setting names only",
            "plan=pro: get には設定名だけを指定します。",
        ),
        (
            ("log", *ME, "--operation", "image", "--at", "yesterday"),
            "yesterday is not a time Credit Guard can read: give the date and time in your local"
            " time, such as 2026-11-24 09:30, or just 09:30 for today",
            "yesterday は日時として読めません。",
        ),
        (
            ("log", *ME, "--operation", "image", "--at", "2099-01-01 09:00"),
            "2099-01-01 09:00 is in the future (2099-01-01 09:00; it is now ",
            "2099-01-01 09:00 は未来の日時です（2099-01-01 09:00、現在は",
        ),
        (
            ("log", *ME, "--operation", "image", "--credits", "five"),
            "five is not a number: write it in digits, such as 20 or 2.5.",
            "five は数値として読めません。",
        ),
    ],
)
def test_input_errors_are_plain_sentences_in_the_users_language(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], english: str, japanese: str
) -> None:
    code, out = run(capsys, *args)
    assert code == 2 and english in out, out
    assert "pattern" not in out and "Input should" not in out
    in_japanese(capsys)
    code, out = run(capsys, *args)
    assert code == 2 and japanese in out, out
    code, out = run(capsys, "status", "--json")
    assert json.loads(out)["accounts"] == []  # nothing was recorded


@pytest.mark.parametrize("typed", ["9:00", "09:00", "９：００"])
def test_the_reset_time_is_entered_and_shown_in_local_time(
    capsys: pytest.CaptureFixture[str], tokyo: None, typed: str
) -> None:
    code, out = run(capsys, "config", "set", *ME, f"reset_time={typed}")
    assert code == 0 and "reset_time = 09:00 local time (JST, UTC+09:00; 00:00 UTC)" in out
    code, out = run(capsys, "config", "get", *ME, "--json")
    assert json.loads(out)["account"]["reset_time"] == "00:00"  # kept in UTC
    in_japanese(capsys)
    code, out = run(capsys, "config", "get", *ME, "reset_time")
    assert out == "[account]\n  reset_time = 現地時刻 09:00（JST, UTC+09:00、00:00 UTC）\n"


def test_yes_no_on_off_true_false_all_work(capsys: pytest.CaptureFixture[str]) -> None:
    for word, expected in (("no", False), ("on", True), ("OFF", False), ("true", True)):
        code, out = run(capsys, "config", "set", f"confirm_before_heavy={word}")
        assert code == 0, out
        code, out = run(capsys, "config", "get", "--json")
        assert json.loads(out)["global"]["confirm_before_heavy"] is expected
    code, out = run(capsys, "config", "set", "reset_nudge=no", "notify_thresholds=50,20,5")
    assert "  reset_nudge = no\n" in out and "  notify_thresholds = 50,20,5\n" in out


def test_config_get_names_with_or_without_an_account(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "config", "set", *ME, "billing_day=15", "reserve=20")
    code, out = run(capsys, "config", "get", *ME, "billing_day")
    assert (code, out) == (0, "[account]\n  billing_day = 15\n")
    code, out = run(capsys, "config", *ME, "billing_day", "reserve")  # `get` may be left out
    assert (code, out) == (0, "[account]\n  billing_day = 15\n  reserve = 20\n")
    code, out = run(capsys, "config", "get", "language")
    assert (code, out) == (0, "[global]\n  language = auto\n")
    code, out = run(capsys, "config", "get", *ME, "language", "billing_day")
    assert (code, out) == (0, "[global]\n  language = auto\n[account]\n  billing_day = 15\n")
    code, out = run(capsys, "config")
    assert code == 0 and out.startswith("[global]\n  language = auto\n")
    code, out = run(capsys, "config", *ME, "plan=plus")  # and `set`, when a value is given
    assert code == 0 and "  plan = plus\n" in out


def test_config_help_lists_every_setting_its_values_and_default(
    capsys: pytest.CaptureFixture[str], tokyo: None
) -> None:
    def help_text() -> str:
        with pytest.raises(SystemExit):
            main(["config", "--help"])
        return " ".join(capsys.readouterr().out.split())  # the wrapping undone

    out = help_text()
    for name in (*sorted(ACCOUNT_SETTINGS), *sorted(GLOBAL_SETTINGS)):
        assert f" {name} " in out
    assert "free, plus, pro, team, custom. Default: free" in out
    assert "in your local time (JST, UTC+09:00)" in out
    assert "Default: 09:00 local time (JST, UTC+09:00; 00:00 UTC)" in out
    assert "such as 50,20,10. Default: 50,20,10" in out
    assert "yes or no. Default: yes" in out
    in_japanese(capsys)
    out = help_text()
    assert "アカウントごとの設定（--account を指定）:" in out
    assert "free, plus, pro, team, custom。既定値: free" in out


def test_log_says_what_it_counted(capsys: pytest.CaptureFixture[str]) -> None:
    log = ("log", *ME, "--operation")
    code, out = run(capsys, *log, "image")
    assert code == 0
    assert (
        "Counted 40 credits: an estimate, Credit Guard's default for image generation"
        " (no cost of yours is known yet)."
    ) in out
    code, out = run(capsys, *log, "chat", "--credits", "3")
    assert "Counted 3 credits, the cost you gave." in out
    for cost in ("30", "32", "34"):  # three known costs: estimates are learned from then on
        run(capsys, *log, "video", "--credits", cost)
    code, out = run(capsys, *log, "video")
    assert "Counted 32 credits: an estimate learned from 3 of your earlier video generation" in out
    in_japanese(capsys)
    code, out = run(capsys, *log, "image")
    assert (
        "40クレジットとして数えました。これは見積もりで、画像生成の Credit Guard の既定値です"
        in out
    )
    code, out = run(capsys, *log, "chat", "--credits", "1")
    assert "指定されたとおり1クレジットとして数えました。" in out


def test_log_at_an_earlier_period_says_today_is_unchanged(
    capsys: pytest.CaptureFixture[str], tokyo: None
) -> None:
    code, out = run(
        capsys, "log", *ME, "--operation", "image", "--credits", "5", "--at", "2026-01-05 09:30"
    )
    assert code == 0
    assert "2026-01-05 09:30 is before the current period, which began " in out
    assert (
        "the entry counts in the history of that day, and today's remaining credits are unchanged."
        in out
    )
    assert "Remaining       100 of 100" in out
    in_japanese(capsys)
    code, out = run(
        capsys, "log", *ME, "--operation", "image", "--credits", "5", "--at", "2026-01-05 09:30"
    )
    assert (
        "2026-01-05 09:30 は現在の期間（" in out and "今日の残りクレジットは変わりません。" in out
    )
    code, out = run(capsys, "log", *ME, "--operation", "image", "--credits", "5", "--at", "now")
    assert "現在の期間" not in out


def test_log_at_a_local_time_without_an_offset_is_taken_as_local(
    capsys: pytest.CaptureFixture[str], tokyo: None
) -> None:
    at = (datetime.now(UTC) - timedelta(minutes=5)).astimezone()
    code, out = run(
        capsys, "log", *ME, "--operation", "chat", "--credits", "1", "--at", f"{at:%Y-%m-%d %H:%M}"
    )
    assert code == 0, out
    code, out = run(capsys, "status", "--json")
    assert json.loads(out)["accounts"][0]["used"]["total"] == 1  # counted now, not 9 h off


def test_a_closed_pipe_ends_the_cli_quietly(home: Path) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before anything is written, as `| head` leaves
    done = subprocess.run(
        [sys.executable, "-m", "native_host.cli", "status", "--json"],
        stdout=writer,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )
    os.close(writer)
    assert (done.returncode, done.stderr) == (141, "")


def test_browser_names_in_any_case(tmp_path: Path) -> None:
    host = tmp_path / "credit-guard-host"
    host.write_text("#!/bin/sh\n")
    host.chmod(0o755)
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "native_host.cli",
            "install",
            "--browser",
            "Chrome",
            "--browser",
            "FIREFOX",
            "--host-path",
            str(host),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    manifests = sorted(p.parent.name for p in (tmp_path / "home").rglob("*.json"))
    assert manifests == ["NativeMessagingHosts", "native-messaging-hosts"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_demo_help_offers_the_browser_story(lang: str) -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "native_host.cli", "demo", "--help", "--lang", lang],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for option in ("--browser", "--headed", "--out"):
        assert re.search(rf"^  {option}\b", shown, re.MULTILINE), f"{option} in:\n{shown}"
    assert "credit-guard demo --browser" in shown, "an example of it"


@pytest.mark.parametrize(
    ("blocked", "key"),
    [("devkit", "demo.browser.no_checkout"), ("playwright", "demo.browser.no_playwright")],
)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_demo_browser_says_what_is_missing(blocked: str, key: str, lang: str) -> None:
    """Without the checkout's devkit (pip, the frozen build) or without Playwright, the
    browser demo says what to install or where to run it from, and exits 2."""
    code = (
        f"import sys; sys.modules[{blocked!r}] = None; from native_host.cli import main; "
        f"sys.exit(main(['demo', '--browser', '--lang', {lang!r}]))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == text(lang, key)
