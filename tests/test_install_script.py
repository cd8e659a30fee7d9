"""The README's first command, `bash build_scripts/install.sh`, run as a new user would:
a new HOME, only the tools a shell needs on PATH, and the tests' own venv reused through
CREDIT_GUARD_VENV (up to date, so no pip run: each install takes about a second). The
browser demo's script is run against a stand-in Python to see what it would install."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from native_host import HOST_NAME
from tests.fakes import tools_only

REPO = Path(__file__).resolve().parents[1]
VENV = Path(sys.prefix)
# The installer reuses this venv (CREDIT_GUARD_VENV); never point it at a system Python.
pytestmark = pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="run from a venv")
SUPPORTED = "Google Chrome, Chromium, Microsoft Edge, Brave, Vivaldi and Firefox"
# What a shell script needs besides its builtins; no browser is among them.
TOOLS = ("bash", "env", "dirname", "touch")


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    return tools_only(tmp_path / "tools", TOOLS)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    return home


def install(
    home: Path, path: list[Path], *args: str, lang: str = "C.UTF-8", venv: Path = VENV
) -> subprocess.CompletedProcess[str]:
    """install.sh in a fresh environment: nothing inherited but what is given here."""
    env = {
        "HOME": str(home),
        "PATH": os.pathsep.join(map(str, path)),
        "LANG": lang,
        "CREDIT_GUARD_VENV": str(venv),
        "PYTHON": sys.executable,
    }
    return subprocess.run(
        ["bash", str(REPO / "build_scripts" / "install.sh"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=home,
        timeout=120,
    )


def no_warnings(result: subprocess.CompletedProcess[str]) -> None:
    shown = result.stdout + result.stderr
    assert not re.search(r"warning|deprecat", shown, re.IGNORECASE), shown


def test_without_a_browser_it_shows_the_demo_names_the_browsers_and_exits_0(
    home: Path, tools: Path
) -> None:
    result = install(home, [tools])
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert [int(n) for n in re.findall(r"^\[(\d)/5\]", out, re.MULTILINE)] == [1, 2, 3, 4, 5]
    assert "Nothing was written to your own data: the demo used a temporary directory." in out
    assert f"Credit Guard works with {SUPPORTED}" in out
    assert "https://www.google.com/chrome/" in out and "https://www.mozilla.org/firefox/" in out
    assert "Skipped: no browser is registered yet." in out
    no_warnings(result)
    assert not list(home.rglob("NativeMessagingHosts")), "nothing registered"

    # ~/.local/bin is not on this PATH: the exact path and how to add the folder.
    link = home / ".local" / "bin" / "credit-guard"
    assert f"{link}\n" in out
    assert f'export PATH="{link.parent}:$PATH"' in out
    # A new shell whose PATH is that folder alone finds the command.
    shell = subprocess.run(
        [shutil.which("bash") or "bash", "-c", "credit-guard --version"],
        capture_output=True,
        text=True,
        env={"HOME": str(home), "PATH": str(link.parent)},
        timeout=60,
    )
    assert shell.returncode == 0 and shell.stdout.startswith("credit-guard "), shell


def test_it_registers_a_browser_it_finds_in_japanese(home: Path, tools: Path) -> None:
    (home / ".config" / "chromium").mkdir(parents=True)  # Chromium has run for this user
    bin_folder = home / ".local" / "bin"
    result = install(home, [tools, bin_folder], lang="ja_JP.UTF-8")
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = home / ".config" / "chromium" / "NativeMessagingHosts" / f"{HOST_NAME}.json"
    assert json.loads(manifest.read_text())["path"] == str(VENV / "bin" / "credit-guard-host")
    out = result.stdout
    assert "[1/5] ヘルパーの Python 環境を" in out
    assert f"{bin_folder / 'credit-guard'}: 新しいターミナルで" in out  # on PATH: no advice
    assert "export PATH" not in out
    assert (
        "Chromium では: chrome://extensions" in out
        and "「デベロッパー モード」" in out
        and str(REPO / "extension") in out
    )
    assert "すべての確認に合格しました。" in out  # doctor passed for the registered Chromium
    no_warnings(result)

    again = install(home, [tools, bin_folder])  # twice is harmless: same link, same manifest
    assert again.returncode == 0 and "unchanged" in again.stdout


def test_a_fresh_environment_installs_quietly(home: Path, tools: Path, tmp_path: Path) -> None:
    # The one slow test (a real pip install, about 15 s): what a new user's first run does.
    venv = tmp_path / "venv"
    result = install(home, [tools], venv=venv)
    assert result.returncode == 0, result.stdout + result.stderr
    no_warnings(result)
    assert "pip" not in result.stdout
    log = (venv / "install.log").read_text()
    assert "deprecated" not in log, log  # pyproject.toml's license is an SPDX string
    assert (home / ".local" / "bin" / "credit-guard").resolve() == venv / "bin" / "credit-guard"


def test_a_failed_environment_step_names_its_log(home: Path, tools: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("#!/bin/sh\necho 'pip: no such package' >&2\nexit 1\n")
    (venv / "bin" / "python").chmod(0o755)
    result = install(home, [tools], venv=venv)
    assert result.returncode == 1
    log = venv / "install.log"
    assert f"Its full output is in {log}" in result.stderr
    assert "pip: no such package" in log.read_text() and "pip:" not in result.stdout


def test_the_readme_and_the_installer_give_the_same_loading_steps(home: Path, tools: Path) -> None:
    (home / ".config" / "google-chrome").mkdir(parents=True)
    (home / ".mozilla" / "firefox").mkdir(parents=True)
    out = install(home, [tools]).stdout
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Load the extension", 1)[1].split("\n## ", 1)[0]
    for step in (
        "chrome://extensions",
        '"Developer mode"',
        '"Load unpacked"',
        "extension",
        "build_scripts/build_extension.py",
        "about:debugging",
        '"This Firefox"',
        '"Load Temporary Add-on…"',
        "dist/firefox/manifest.json",
        "gone when Firefox restarts",
        "docs/guide/install-extension.md",
    ):
        assert step in section, f"README: {step}"
        assert step in out, f"installer: {step}"


def test_the_browser_demo_installs_only_playwright(tmp_path: Path) -> None:
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert [re.split(r"[<>=]", d)[0] for d in extras["demo"]] == ["playwright"]
    # A stand-in Python for an environment without Playwright: it records what it is asked.
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    calls = tmp_path / "calls"
    python = venv / "bin" / "python"
    python.write_text(
        f'#!/bin/sh\n[ "$1" = -c ] && exit 1\necho "$*" >> "{calls}"\n',
        encoding="utf-8",
    )
    python.chmod(0o755)
    result = subprocess.run(
        ["bash", str(REPO / "build_scripts" / "demo_browser.sh"), "--headed"],
        capture_output=True,
        text=True,
        env={**os.environ, "CREDIT_GUARD_VENV": str(venv)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = calls.read_text().splitlines()
    assert "-m pip install --quiet -e .[demo]" in lines
    assert not any("test" in line for line in lines), lines
    assert lines[-1] == "-m native_host.cli demo --browser --headed"  # the CLI's own demo


def test_the_browser_demo_imports_the_harness_without_pytest_or_tests() -> None:
    """The demo runs where only the "demo" extra is installed: no pytest, nothing of tests/."""
    code = (
        "import sys; sys.modules['pytest'] = None; "
        "from native_host.commands.demo import browser_story; "
        "assert not isinstance(browser_story(), str); "
        "assert not [m for m in sys.modules if m == 'tests' or m.startswith('tests.')]"
    )
    # Run elsewhere than the repository: the CLI finds devkit next to its own package.
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/")
    assert result.returncode == 0, result.stderr
