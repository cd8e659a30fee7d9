"""The CLI speaks the user's language: every command, its --help and its usage errors.

Runs a whole session of commands (status, log, config, forget, schema, demo, doctor, the
--help of each, usage mistakes) with `language=ja` and fails on an English sentence, and
again in English and fails on Japanese. HELP_JA is kept in step with the commands.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from native_host import cli
from native_host.cli import COMMANDS, command_parser, main
from native_host.cli_parser import (
    NOT_LINE_START,
    UNBREAKABLE,
    argparse_message,
    help_key,
    wrap_columns,
)
from native_host.context import system_language
from native_host.i18n import HELP_JA, display_width
from native_host.ledger.store import open_ledger
from tests.fakes import MemoryKeyring
from tests.test_cli_doctor import fake_host, real_host_wrapper

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Three ASCII words in a row, separated by spaces only: the shape of an English sentence.
ENGLISH_RUN = re.compile(r"\b[A-Za-z][A-Za-z'’]*(?: +[A-Za-z][A-Za-z'’]*){2,}")
# What may stay in English in a Japanese text: names, code, data. Removed before the search.
NOT_PROSE = [
    re.compile(pattern)
    for pattern in (
        r"`[^`\n]*`",  # code spans
        r"https?://\S+",
        r"\S+@\S+",  # e-mail addresses
        r"(?:[A-Za-z]:)?[\\/]\S*",  # paths and registry keys
        r"\S+[\\/]\S*",
        r"\b\w+(?:\.\w+)+\b",  # dotted names: file names, modules, genspark.ai
        r"(?<![\w-])--?[A-Za-z][\w-]*",  # options
        r"\b[A-Z][A-Z0-9_=\-.]+\b",  # metavars, RFC, UTC, JSON
        r"\{[^}\n]*\}",  # argparse's choices
        r"credit-guard(?:-host)?(?: [a-z]+)?",  # the program and a command after it
        r"\b(?:Credit Guard|Genspark|JSON Schema|GNOME Keyring|KWallet|macOS|Windows)\b",
        r"\b(?:Chromium|Firefox|Perplexity|Felo|Cloudflare|Plus|Pro)\b",
        # Words quoted as they are: a program's own output, a system's error message.
        r"技術的な詳細: [^）\n]*",
        r"ホストの出力: .*",
    )
]


def english_sentences(output: str, also_allowed: tuple[str, ...] = ()) -> list[str]:
    """The English runs of words left in `output` once names, code and data are taken out."""
    found = []
    for line in output.splitlines():
        if line.strip().startswith(("{", "}", "[", "]", '"')):  # JSON
            continue
        for allowed in also_allowed:
            line = line.replace(allowed, " ")
        for pattern in NOT_PROSE:
            line = pattern.sub(" ", line)
        found += ENGLISH_RUN.findall(line)
    return found


def test_the_detector_finds_english_and_lets_names_and_code_through() -> None:
    assert english_sentences("credit-guard status: no credits left") == ["no credits left"]
    assert english_sentences("  credit-guard config set --account me@example.com plan=plus") == []
    assert english_sentences("使い方: credit-guard status [-h] [--account ACCOUNT] [--json]") == []
    assert english_sentences("Credit Guard の記録 /tmp/a b c/x と genspark.ai") == []
    assert english_sentences("GNOME Keyring か KWallet、Windows の資格情報") == []


@pytest.fixture(autouse=True)
def session_env(
    home: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A private HOME with Chrome's profile folder, an in-memory keyring, an English locale."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("ARGV_LOG", str(tmp_path / "argv.log"))
    (home / ".config" / "google-chrome").mkdir(parents=True)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """What `credit-guard ARGS` prints on stdout and stderr (argparse exits are returns)."""
    with contextlib.suppress(SystemExit):
        main(list(args))
    captured = capsys.readouterr()
    return captured.out + captured.err


def session(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(command line, output) for every command a user meets, in a realistic order."""

    def step(*args: str) -> tuple[str, str]:
        return " ".join(args), run(capsys, *args)

    yield step("--help")
    for name in COMMANDS:
        yield step(name, "--help")
    yield step("status")
    yield step("log", "--account", "me@example.com", "--operation", "image", "--credits", "5")
    line, out = step("log", "--account", "me@example.com", "--operation", "video")
    yield line, out
    event_id = re.search(r"log --undo ([0-9a-f-]{36})", out)
    assert event_id, out
    yield step("status")
    yield step("status", "--account", "not-an-email")
    yield step("log", "--undo", event_id.group(1))
    yield step("log", "--undo", event_id.group(1))
    yield step("log", "--operation", "image")
    yield step("config", "get")
    yield step("config", "get", "--account", "me@example.com")
    yield step("config", "set", "--account", "me@example.com", "reserve=10")
    yield step("config", "set", "--account", "me@example.com", "reset_time=25:00")
    yield step("config", "set", "confirm_before_heavy=maybe")
    yield step("log", "--account", "me@example.com", "--operation", "chat", "--at", "yesterday")
    yield step(
        "log", "--account", "me@example.com", "--operation", "chat", "--at", "2026-01-05 9:30"
    )
    yield step("forget", "nobody@example.com", "--yes")
    yield step("forget", "me@example.com", "--yes")
    yield step("demo")
    yield step("doctor")  # Chrome found, nothing registered: a failure and its fix
    yield step("install", "--browser", "chrome", "--host-path", str(real_host_wrapper(tmp_path)))
    yield step("doctor")  # every check passes
    yield step("uninstall", "--browser", "chrome")
    yield step("service", "status")  # not installed
    yield step("service", "install")  # in no sync group: refused
    yield step("service", "install", "serve")  # no service manager here: the manual steps
    yield step("service", "uninstall")
    yield step("config")  # every setting
    # Usage mistakes argparse catches.
    yield step("status", "--bogus")
    yield step("log", "--credits", "many")
    yield step("log", "--operation", "dance")
    yield step("status", "--account")
    yield step("--lang", "fr", "status")
    yield step("frobnicate")


def local_zone() -> str:
    """The local zone's name as status prints it ("JST"; on Windows a few words)."""
    return time.strftime("%Z")


def test_every_command_speaks_japanese(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(capsys, "config", "set", "language=ja")
    device = open_ledger().device_name  # the computer's name, as the demo and status show it
    seen = 0
    for line, out in session(capsys, tmp_path):
        assert out.strip(), line
        if line.split()[0] != "config" or "=" in line:  # get prints names and values
            assert JAPANESE.search(out), (line, out)
        english = english_sentences(out, also_allowed=(device, local_zone()))
        assert not english, (line, english, out)
        seen += 1
    assert seen == 1 + len(COMMANDS) + 27 + 6
    schema = run(capsys, "schema")
    assert json.loads(schema)["discriminator"]  # data for programs, not prose


@pytest.mark.parametrize("mode", ["crash", "garbage", "error", "old", "not-executable"])
def test_doctor_says_what_is_broken_in_japanese(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, home: Path, mode: str
) -> None:
    run(capsys, "config", "set", "language=ja")
    host = fake_host(tmp_path, "ok" if mode == "not-executable" else mode)
    run(capsys, "install", "--browser", "chrome", "--host-path", str(host))
    if mode == "not-executable":
        host.chmod(0o644)
    out = run(capsys, "doctor", "--browser", "chrome")
    assert "異常  " in out and "問題が見つかりました" in out, out
    assert not english_sentences(out), out


def test_doctor_says_what_is_wrong_with_a_manifest_in_japanese(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    run(capsys, "config", "set", "language=ja")
    folder = home / ".config" / "google-chrome" / "NativeMessagingHosts"
    folder.mkdir(parents=True)
    manifest = {"name": "x", "type": "socket", "path": "rel", "allowed_origins": ["*"]}
    (folder / "com.creditguard.helper.json").write_text(json.dumps(manifest))
    out = run(capsys, "doctor", "--browser", "chrome")
    assert "ワイルドカードは使えません" in out and "絶対パスではありません" in out, out
    assert not english_sentences(out), out
    (folder / "com.creditguard.helper.json").write_text("{not json")
    out = run(capsys, "doctor", "--browser", "chrome")
    assert "JSON として読み込めません" in out, out


def test_every_command_stays_english_in_english(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, "config", "set", "language=en")
    for line, out in session(capsys, tmp_path):
        assert out.strip(), line
        assert not JAPANESE.search(out), (line, out)


def test_lang_overrides_the_setting_for_one_run(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "config", "set", "language=ja")
    assert "No Genspark account seen yet" in run(capsys, "--lang", "en", "status")
    assert "No Genspark account seen yet" in run(capsys, "status", "--lang=en")
    assert "まだ Genspark のアカウントの記録がありません" in run(capsys, "status")
    run(capsys, "config", "set", "language=en")
    assert "まだ Genspark" in run(capsys, "status", "--lang", "ja")


@pytest.mark.parametrize(
    ("setting", "locale", "expected"),
    [
        ("auto", "ja_JP.UTF-8", "まだ Genspark"),
        ("auto", "C.UTF-8", "No Genspark account"),
        ("en", "ja_JP.UTF-8", "No Genspark account"),
        ("ja", "C.UTF-8", "まだ Genspark"),
    ],
)
def test_the_setting_else_the_locale_decides(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    setting: str,
    locale: str,
    expected: str,
) -> None:
    run(capsys, "config", "set", f"language={setting}")
    monkeypatch.setenv("LANG", locale)
    assert expected in run(capsys, "status")


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"LANGUAGE": "ja:en", "LANG": "C.UTF-8"}, "ja"),  # LANGUAGE first, as gettext
        ({"LC_ALL": "ja_JP.UTF-8", "LANG": "en_US.UTF-8"}, "ja"),
        ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "ja_JP.UTF-8"}, "en"),
        ({"LANG": "ja_JP.eucJP"}, "ja"),
        ({}, "en"),
    ],
)
def test_system_language_reads_the_locale_in_gettexts_order(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], expected: str
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert system_language() == expected


@pytest.mark.parametrize(("ui_language", "expected"), [(0x0411, "ja"), (0x0409, "en")])
def test_system_language_asks_windows_for_its_display_language(
    monkeypatch: pytest.MonkeyPatch, ui_language: int, expected: str
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    kernel32 = SimpleNamespace(GetUserDefaultUILanguage=lambda: ui_language)
    monkeypatch.setattr(ctypes, "windll", SimpleNamespace(kernel32=kernel32), raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    assert system_language() == expected


def test_help_does_not_create_the_data_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, "status", "--help")
    assert not (tmp_path / "data").exists()


# -- HELP_JA in step with the commands --------------------------------------------------


def options(name: str) -> dict[str, argparse.Action]:
    parser = command_parser(name)
    return {
        help_key(name, action): action
        for action in parser._actions
        if action.help not in (None, argparse.SUPPRESS) and action.dest != "help"
    }


def test_every_command_and_option_has_japanese_help() -> None:
    expected = {key for name in COMMANDS for key in (name, *options(name))}
    assert set(HELP_JA) - expected == set(), "Japanese help for nothing (renamed?)"
    assert expected - set(HELP_JA) == set(), "Japanese help missing"


def examples(description: str) -> list[str]:
    return [line.strip() for line in description.splitlines() if line.startswith("  credit")]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_japanese_help_mirrors_the_english(name: str) -> None:
    english = command_parser(name).description or ""
    japanese = HELP_JA[name]
    assert JAPANESE.search(japanese.splitlines()[0])
    assert examples(english) == examples(japanese)
    for key, action in options(name).items():
        assert JAPANESE.search(HELP_JA[key]), key
        assert ("%(default)s" in HELP_JA[key]) == ("%(default)s" in str(action.help)), key


def test_japanese_help_is_what_the_parser_shows() -> None:
    parser = command_parser("status", "ja")
    assert parser.description == HELP_JA["status"]
    assert HELP_JA["status --json"] in parser.format_help()
    assert "オプション:" in parser.format_help() and "使い方: credit-guard status" in (
        parser.format_help()
    )


# -- argparse's own messages ------------------------------------------------------------


def argparse_errors(build: Callable[[argparse.ArgumentParser], None], *argv: str) -> str:
    """The message plain argparse gives for `argv` (English), to feed our translation."""
    caught: list[str] = []

    class Recorder(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # type: ignore[override]
            caught.append(message)
            raise SystemExit(2)

    parser = Recorder(prog="x")
    build(parser)
    with pytest.raises(SystemExit):
        parser.parse_args(list(argv))
    return caught[0]


@pytest.mark.parametrize(
    ("argv", "japanese"),
    [
        ((), "次の指定が足りません: name"),
        (("a", "--bogus"), "解釈できない引数があります: --bogus"),
        (("a", "--n"), "--n のあとに値を1つ指定してください"),
        (("a", "--n", "x"), "--n には数値を指定してください（指定された値: 'x'）"),
        (("a", "--c", "z"), "--c に 'z' は指定できません（指定できる値: 'p', 'q'）"),
        (("a", "--flag=1"), "--flag には値を付けられません（指定された値: '1'）"),
        (("a", "--fl"), "オプション --fl があいまいです（候補: --flag, --flop）"),
    ],
)
def test_every_argparse_error_our_commands_can_meet_is_translated(
    argv: tuple[str, ...], japanese: str
) -> None:
    def build(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--n", type=float)
        parser.add_argument("--c", choices=("p", "q"))
        parser.add_argument("--flag", action="store_true")
        parser.add_argument("--flop", action="store_true")

    message = argparse_errors(build, *argv)
    assert argparse_message("ja", message) == japanese
    assert not JAPANESE.search(argparse_message("en", message))


def test_an_unknown_language_is_refused_in_the_users_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--lang", "fr", "status"]) == 2
    assert "--lang takes en or ja" in capsys.readouterr().err
    assert cli.take_language(["status", "--lang", "ja", "--json"]) == (["status", "--json"], "ja")


def test_importing_the_cli_loads_no_models_before_plugins_are_switched_off() -> None:
    code = (
        "import sys\n"
        "import native_host.cli\n"
        "print('pydantic' in sys.modules, 'native_host.local' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


WRAP_PIECES = [*"あいうえお漢字、。）（ abc-/:", "--json", "credit-guard"]


@given(
    shown=st.lists(st.sampled_from(WRAP_PIECES), max_size=60).map(
        lambda pieces: " ".join("".join(pieces).split())
    ),
    width=st.integers(min_value=10, max_value=60),
)
def test_japanese_help_wraps_by_display_width(shown: str, width: int) -> None:
    lines = wrap_columns(shown, width)
    assert "".join(lines).replace(" ", "") == shown.replace(" ", "")  # nothing lost
    for number, line in enumerate(lines):
        assert line and line == line.strip()
        if number:
            assert line[0] not in NOT_LINE_START
        # Up to its last piece that may start a line, a line fits, unless that piece is
        # its first (a word longer than the width); closing punctuation may overhang.
        pieces = UNBREAKABLE.findall(line)
        last = max(
            (i for i, piece in enumerate(pieces) if piece[0] not in NOT_LINE_START), default=0
        )
        assert last == 0 or display_width("".join(pieces[: last + 1])) <= width, line
