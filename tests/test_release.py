"""The download for each OS (build_scripts/package_release.py) and its install scripts
(build_scripts/release/): the scripts only copy and call the frozen program, which does
the registering (native_host/installer), so the paths they spell are held to the
installer's, the PowerShell scripts are parsed (tree-sitter's grammar), and a real
release built from the frozen helper is installed, checked and uninstalled in a
throw-away HOME. shellcheck, and pwsh's own parser where pwsh is, run in
build_scripts/test.sh."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path, PureWindowsPath

import pytest

from native_host import HOST_NAME, __version__
from native_host.commands import install as install_cmd
from native_host.commands import uninstall as uninstall_cmd
from native_host.installer import launcher
from tests import frozen_build
from tests.fakes import tools_only

REPO = Path(__file__).resolve().parents[1]
RELEASE = REPO / "build_scripts" / "release"
sys.path.insert(0, str(REPO / "build_scripts"))

import package_release  # noqa: E402

# What the shell scripts run besides bash's builtins; no browser is among them.
TOOLS = ("bash", "uname", "dirname", "mkdir", "rm", "cp", "mv", "ln", "readlink", "rmdir")


def script(name: str) -> str:
    return (RELEASE / name).read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(("platform", "uname"), [("linux", "*"), ("darwin", "Darwin")])
def test_the_shell_scripts_copy_to_the_folder_the_installer_names(
    platform: str, uname: str
) -> None:
    app = launcher.app_folder(platform, home=Path("$HOME"))
    for name in ("install.sh", "uninstall.sh"):
        assert f'{uname}) app="{app}" ;;' in script(name), (name, platform)


def test_the_powershell_scripts_copy_to_the_folder_the_installer_names() -> None:
    app = launcher.app_folder("win32", env={"LOCALAPPDATA": "LOCALAPPDATA"})
    assert isinstance(app, PureWindowsPath)
    relative = "\\".join(app.parts[1:])
    for name in ("install.ps1", "uninstall.ps1"):
        assert f"$app = Join-Path $env:LOCALAPPDATA '{relative}'" in script(name), name


def test_the_powershell_scripts_leave_the_browser_keys_to_the_program() -> None:
    """credit-guard.exe writes the HKCU NativeMessagingHosts keys (register.py, tested for
    Windows in tests/test_installer.py); the scripts touch only the user's PATH."""
    install, uninstall = script("install.ps1"), script("uninstall.ps1")
    for text in (install, uninstall):
        assert "NativeMessagingHosts" not in text and "HKLM" not in text
        assert "$environment = 'HKCU:\\Environment'" in text
        assert "-PropertyType ExpandString" in text  # PATH stays REG_EXPAND_SZ
        assert "$program = Join-Path $app 'credit-guard.exe'" in text
    assert "& $program install @args" in install and "& $program doctor" in install
    assert "& $program uninstall @args" in uninstall
    # Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page.
    for name in ("install.ps1", "uninstall.ps1"):
        assert (RELEASE / name).read_bytes().startswith(b"\xef\xbb\xbf"), name


def syntax_errors(source: bytes) -> list[str]:
    """Where tree-sitter's PowerShell grammar finds no valid syntax (pwsh's own parser
    runs in build_scripts/test.sh where pwsh is; Debian has none)."""
    import tree_sitter_powershell
    from tree_sitter import Language, Node, Parser

    def walk(node: Node) -> list[str]:
        here = [f"line {node.start_point[0] + 1}: {node.type}"]
        found = here if node.is_error or node.is_missing else []
        return found + [problem for child in node.children for problem in walk(child)]

    return walk(Parser(Language(tree_sitter_powershell.language())).parse(source).root_node)


@pytest.mark.parametrize(
    "path",
    sorted([*RELEASE.glob("*.ps1"), *RELEASE.parent.glob("*.ps1")]),
    ids=lambda path: path.name,
)
def test_the_powershell_scripts_parse(path: Path) -> None:
    assert syntax_errors(path.read_bytes()) == []


def test_the_powershell_grammar_sees_a_broken_script() -> None:
    assert syntax_errors(b"if ($ready) {\n    Write-Output 'never closed'\n")
    assert syntax_errors(b"$app = 'unterminated\n")


@pytest.mark.parametrize("os_name", ["linux", "macos", "windows"])
def test_a_release_folder_holds_the_program_its_scripts_and_the_extension(
    os_name: str, tmp_path: Path
) -> None:
    helper = tmp_path / "credit-guard"
    (helper / "_internal").mkdir(parents=True)
    program = helper / ("credit-guard.exe" if os_name == "windows" else "credit-guard")
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    release = package_release.package(helper, tmp_path / "out", os_name)
    assert release.name == f"credit-guard-{__version__}-{os_name}"
    scripts = package_release.SCRIPTS[os_name]
    assert sorted(p.name for p in release.iterdir()) == sorted(
        ["credit-guard", *scripts, "README-install.txt", "README-install.ja.txt"]
    )
    for name in scripts:
        assert (release / name).read_bytes() == (RELEASE / name).read_bytes()
        if name.endswith(".sh"):
            assert os.access(release / name, os.X_OK)
    packages = release / "credit-guard" / "extension"
    assert (packages / "chromium" / "manifest.json").is_file()
    assert (packages / "credit-guard-firefox.xpi").is_file()
    readme = (release / "README-install.ja.txt").read_bytes()
    assert f"Credit Guard {__version__}".encode() in readme and "{" not in readme.decode()
    guide = "https://github.com/credit-guard/credit-guard/blob/main/docs/guide/install.ja.md"
    assert guide.encode() in readme  # pyproject.toml's Documentation, its folder
    assert (b"\r\n" in readme) is (os_name == "windows")
    download = package_release.archive(release, os_name)
    if os_name == "windows":
        with zipfile.ZipFile(download) as unpacked:
            names = unpacked.namelist()
    else:
        with tarfile.open(download) as unpacked:
            modes = {member.name: member.mode for member in unpacked.getmembers()}
            names = list(modes)
            assert modes[f"{release.name}/install.sh"] & 0o111, "install.sh is executable"
            assert modes[f"{release.name}/credit-guard/credit-guard"] & 0o111
    assert f"{release.name}/{scripts[0]}" in names


def test_a_release_without_a_built_program_says_what_to_build(tmp_path: Path) -> None:
    assert package_release.main(["--helper", str(tmp_path), "--out", str(tmp_path)]) == 1


def test_the_frozen_install_names_the_packaged_extension(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A frozen program has no extension/ source beside it: it names the packages a
    release put there, or the guide when there are none."""
    monkeypatch.setattr(install_cmd, "EXTENSION_SOURCE", tmp_path / "no-source")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "credit-guard"))
    bare = install_cmd.load_instructions(["chrome", "firefox"], "a" * 32, "en")
    assert "docs/guide/install-extension.md" in bare and "build_extension.py" not in bare
    (tmp_path / "extension" / "chromium").mkdir(parents=True)
    (tmp_path / "extension" / "chromium" / "manifest.json").write_text("{}")
    for language in ("en", "ja"):
        packaged = install_cmd.load_instructions(["chrome", "firefox"], "a" * 32, language)
        assert f"      {tmp_path / 'extension' / 'chromium'}\n" in packaged
        assert f"      {tmp_path / 'extension' / 'credit-guard-firefox.xpi'}\n" in packaged
        assert "build_extension.py" not in packaged and ".venv" not in packaged


def test_uninstall_says_the_release_script_removes_the_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    app = Path(launcher.app_folder(home=tmp_path))
    monkeypatch.setattr(sys, "executable", str(app / "credit-guard"))
    said = uninstall_cmd.program_stays("en")
    assert f"bash {app / 'uninstall.sh'} removes it" in said, said
    assert "uninstall.sh" in uninstall_cmd.program_stays("ja")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "elsewhere" / "credit-guard"))
    assert uninstall_cmd.program_stays("en").endswith("delete that folder.")


# -- a real release, installed as a user would -----------------------------------------


@pytest.fixture
def release(tmp_path: Path) -> Path:
    frozen = frozen_build.require()
    return package_release.package(frozen.parent, tmp_path / "dist", "linux")


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    return tools_only(tmp_path / "tools", TOOLS)


def run_script(
    path: Path, home: Path, tools: Path, *args: str, lang: str = "C.UTF-8"
) -> subprocess.CompletedProcess[str]:
    """A script in a fresh environment: nothing inherited but what is given here."""
    bin_folder = home / ".local" / "bin"
    env = {"HOME": str(home), "PATH": f"{tools}{os.pathsep}{bin_folder}", "LANG": lang}
    return subprocess.run(
        ["bash", str(path), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=home,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if not p.is_dir())


@pytest.mark.skipif(sys.platform != "linux", reason="the Linux release is tested")
def test_a_release_installs_checks_and_uninstalls_leaving_nothing(
    release: Path, tools: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    (home / ".config" / "chromium").mkdir(parents=True)  # Chromium has run for this user
    (home / ".mozilla" / "firefox").mkdir(parents=True)
    (home / ".mozilla" / "firefox" / "profiles.ini").write_text("[General]\n")
    before = files_under(home)

    installed = run_script(release / "install.sh", home, tools)
    out = installed.stdout
    assert installed.returncode == 0, out + installed.stderr
    app = Path(launcher.app_folder("linux", home=home))
    program = app / "credit-guard"
    for manifest in (
        home / ".config" / "chromium" / "NativeMessagingHosts" / f"{HOST_NAME}.json",
        home / ".mozilla" / "native-messaging-hosts" / f"{HOST_NAME}.json",
    ):
        assert json.loads(manifest.read_text())["path"] == str(program), manifest
    link = home / ".local" / "bin" / "credit-guard"
    assert link.is_symlink() and Path(os.readlink(link)) == program
    assert f"      {app / 'extension' / 'chromium'}\n" in out  # the packaged extension
    assert f"      {app / 'extension' / 'credit-guard-firefox.xpi'}\n" in out
    assert "All checks passed." in out and "FAIL" not in out, out
    for link_check in ("chromium: this program", "firefox: this program", "credit-guard command"):
        assert f"OK    {link_check}:" in out, link_check
    assert "Traceback" not in installed.stderr, installed.stderr

    # Again, in Japanese: the program is replaced, the registrations are unchanged.
    again = run_script(release / "install.sh", home, tools, lang="ja_JP.UTF-8")
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"プログラムを {app} にコピーしています" in again.stdout
    assert "unchanged" in again.stdout and "すべての項目に問題はありません。" in again.stdout

    # The copy install.sh left in the program folder removes everything, the data too.
    removed = run_script(app / "uninstall.sh", home, tools, "--purge", "--yes")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert f"Removed the program ({app}) and the credit-guard command." in removed.stdout
    # What stays is said without the program and the command, which the script removes.
    assert "The program, in" not in removed.stdout and f"rm {link}" not in removed.stdout
    assert files_under(home) == before
    assert not link.is_symlink() and not app.exists()
    assert not (home / ".config" / "chromium" / "NativeMessagingHosts").exists()
    assert not (home / ".local" / "share" / "credit-guard").exists()  # --purge: the data


@pytest.mark.parametrize(("system", "platform"), [("Linux", "linux"), ("Darwin", "darwin")])
def test_the_shell_scripts_copy_link_call_and_remove_on_each_system(
    system: str, platform: str, tools: Path, tmp_path: Path
) -> None:
    """install.sh and uninstall.sh as macOS runs them too (uname says Darwin), around a
    stand-in program that records what it is asked: the options reach `install`."""
    (tools / "uname").unlink()
    (tools / "uname").write_text(f"#!/bin/sh\necho {system}\n")
    (tools / "uname").chmod(0o755)
    helper = tmp_path / "credit-guard"
    helper.mkdir()
    calls = tmp_path / "calls"
    (helper / "credit-guard").write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\n')
    (helper / "credit-guard").chmod(0o755)
    os_name = "macos" if platform == "darwin" else "linux"
    release = package_release.package(helper, tmp_path / "dist", os_name)
    home = tmp_path / "home"
    home.mkdir()

    installed = run_script(release / "install.sh", home, tools, "--browser", "chrome")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    app = Path(launcher.app_folder(platform, home=home))
    assert (app / "credit-guard").is_file() and (app / "uninstall.sh").is_file()
    assert (app / "extension" / "chromium" / "manifest.json").is_file()
    assert os.readlink(home / ".local" / "bin" / "credit-guard") == str(app / "credit-guard")
    assert calls.read_text().splitlines() == ["install --browser chrome", "doctor"]

    removed = run_script(app / "uninstall.sh", home, tools, "--purge")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert calls.read_text().splitlines()[-1] == "uninstall --purge"
    assert files_under(home) == [] and not app.exists()
    if platform == "darwin":  # the "Credit Guard" folder goes with its only content
        assert not app.parent.exists() and app.parent.parent.exists()


def test_a_file_of_the_users_named_credit_guard_is_left_alone(tools: Path, tmp_path: Path) -> None:
    helper = tmp_path / "credit-guard"
    helper.mkdir()
    (helper / "credit-guard").write_text("#!/bin/sh\n")
    (helper / "credit-guard").chmod(0o755)
    release = package_release.package(helper, tmp_path / "dist", "linux")
    home = tmp_path / "home"
    mine = home / ".local" / "bin" / "credit-guard"
    mine.parent.mkdir(parents=True)
    mine.write_text("my own\n")
    installed = run_script(release / "install.sh", home, tools, lang="ja_JP.UTF-8")
    assert installed.returncode == 0, installed.stderr
    assert mine.read_text() == "my own\n"
    assert f"{mine} はお使いのファイルのため、そのままにしました" in installed.stdout
    assert run_script(release / "uninstall.sh", home, tools).returncode == 0
    assert mine.read_text() == "my own\n"
