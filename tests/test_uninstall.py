"""`credit-guard uninstall`: registrations go; with --purge (after a yes) the data folder
and the sync secret go too; either way it says what stays and how to remove each."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from native_host import HOST_NAME, keystore
from native_host.cli import main
from native_host.commands import install as install_cmd
from native_host.commands import uninstall as uninstall_cmd
from native_host.installer import launcher
from tests.fakes import MemoryKeyring, run_command


@pytest.fixture
def installed(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> Path:
    """A user with Chromium registered, a tally with one entry, and the launcher; the
    data folder's path. The keyring is in memory: --purge must not reach the real one."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    (home / ".config" / "chromium").mkdir(parents=True)
    host = tmp_path / "venv" / "bin" / "credit-guard-host"
    host.parent.mkdir(parents=True)
    host.write_text("#!/bin/sh\n")
    host.chmod(0o755)
    assert run_command(install_cmd, ["--host-path", str(host)]) == 0
    launcher.place(host.parent / launcher.NAME, launcher.launcher_path(home))
    assert (
        main(["log", "--account", "me@example.com", "--operation", "image", "--credits", "5"]) == 0
    )
    data = tmp_path / "data"
    assert (data / "ledger.sqlite3").is_file()
    return data


def manifest(home: Path) -> Path:
    return home / ".config" / "chromium" / "NativeMessagingHosts" / f"{HOST_NAME}.json"


def assert_says_what_stays(out: str, home: Path) -> None:
    assert "Still on this computer, and how to remove each:" in out
    assert f"(rm -rf {install_cmd.EXTENSION_SOURCE.parent})" in out
    link = home / ".local" / "bin" / "credit-guard"
    assert f"The credit-guard command {link}: rm {link}" in out
    assert "open chrome://extensions" in out and 'click "Remove" on Credit Guard' in out
    assert "The extension in Firefox: open about:addons" in out


def test_purge_with_yes_deletes_the_data_and_the_secret(
    installed: Path,
    home: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    keystore.set_secret("group secret")
    capsys.readouterr()
    assert run_command(uninstall_cmd, ["--purge", "--yes"]) == 0
    out = capsys.readouterr().out
    assert not installed.exists() and not manifest(home).exists()
    assert f"Deleted {installed}." in out
    assert "Removed the sync secret from the system keyring." in out
    assert keystore.get_secret() is None
    assert "?" not in out  # --yes: no question
    assert_says_what_stays(out, home)

    assert run_command(uninstall_cmd, ["--purge", "--yes"]) == 0  # again: nothing left
    assert f"No data folder at {installed}: nothing to delete." in capsys.readouterr().out


@pytest.mark.parametrize("answer", ["", "n\n"], ids=["no answer", "no"])
def test_purge_without_a_yes_removes_nothing(
    answer: str,
    installed: Path,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = sorted(p.name for p in installed.iterdir())
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    assert run_command(uninstall_cmd, ["--purge"]) == 1
    out = capsys.readouterr().out
    assert f"Delete {installed}, with the whole credit tally" in out
    assert f"Nothing was removed; your data is still in {installed}." in out
    assert sorted(p.name for p in installed.iterdir()) == before
    assert manifest(home).exists(), "the registration stays too"


def test_purge_after_a_yes_deletes(
    installed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    assert run_command(uninstall_cmd, ["--purge"]) == 0
    assert not installed.exists()


def test_without_purge_the_data_is_kept_and_it_says_so(
    installed: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_command(uninstall_cmd, []) == 0
    out = capsys.readouterr().out
    assert not manifest(home).exists()
    assert (installed / "ledger.sqlite3").is_file()
    assert (
        f"Your tally and settings were kept in {installed}. To delete them too:"
        " credit-guard uninstall --purge"
    ) in out
    assert_says_what_stays(out, home)


def test_purge_leaves_a_folder_that_holds_other_files(
    installed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # CREDIT_GUARD_HOME may name a folder used for other things too.
    (installed / "notes.txt").write_text("mine")
    assert run_command(uninstall_cmd, ["--purge", "--yes"]) == 0
    assert "holds files Credit Guard did not make (notes.txt)" in capsys.readouterr().out
    assert (installed / "notes.txt").exists() and (installed / "ledger.sqlite3").exists()


def test_it_speaks_japanese(
    installed: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert run_command(uninstall_cmd, ["--purge"]) == 1
    out = capsys.readouterr().out
    assert f"{installed} を削除しますか？" in out and "何も削除していません。" in out
    assert run_command(uninstall_cmd, []) == 0
    out = capsys.readouterr().out
    assert "集計と設定は" in out and "このコンピューターに残るものと、その削除方法:" in out
    assert "Still on this computer" not in out


def test_the_background_service_goes_with_the_product_not_with_one_browser(
    installed: Path, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A service whose manager cannot be reached here (no systemctl on PATH): its unit
    file is what there is to remove."""
    unit = home / ".config" / "systemd" / "user" / "credit-guard-sync.service"
    unit.parent.mkdir(parents=True)
    unit.write_text("[Service]\n")
    assert run_command(uninstall_cmd, ["--browser", "chromium"]) == 0
    assert unit.exists() and "background service" not in capsys.readouterr().out
    assert run_command(uninstall_cmd, []) == 0
    out = capsys.readouterr().out
    assert f"The background service's file is removed: {unit}." in out
    assert not unit.exists()
    assert run_command(uninstall_cmd, []) == 0
    assert "background service" not in capsys.readouterr().out  # none: not a word about it


def test_purge_deletes_the_service_log(installed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (installed / "service.log").write_text("Staying in sync\n")  # a macOS agent's output
    assert run_command(uninstall_cmd, ["--purge", "--yes"]) == 0
    assert not installed.exists()
