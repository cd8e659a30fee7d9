"""Installer: manifest rendering, per-OS locations, install/uninstall, commands.

Everything runs under a temporary HOME (the `home` fixture of tests/conftest.py);
Windows is exercised through a dict-backed registry, macOS and Linux through the
explicit `platform` parameter.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from native_host import HOST_NAME
from native_host.commands import install as install_cmd
from native_host.commands import uninstall as uninstall_cmd
from native_host.installer import (
    DEFAULT_FIREFOX_ID,
    DEV_EXTENSION_ID,
    locations,
    manifests,
    register,
)
from native_host.installer.locations import BROWSERS, Browser, Hive
from native_host.installer.manifests import ManifestError
from tests.fakes import FakeRegistry, run_command

FILE = f"{HOST_NAME}.json"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands' texts follow the locale: English here whatever the machine's is."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def host(tmp_path: Path) -> Path:
    path = tmp_path / "host-bin" / "credit-guard-host"
    path.parent.mkdir()
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder under root."""
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


def render_all(host: Path) -> dict[str, str]:
    return {
        fam: manifests.dumps(
            manifests.render(
                fam, host_path=host, extension_id=DEV_EXTENSION_ID, firefox_id=DEFAULT_FIREFOX_ID
            )
        )
        for fam in ("chromium", "firefox")
    }


# --- manifests ------------------------------------------------------------------------


def test_chromium_manifest_allows_exactly_the_extension_origin(host: Path) -> None:
    manifest = manifests.render(
        "chromium", host_path=host, extension_id=DEV_EXTENSION_ID, firefox_id=DEFAULT_FIREFOX_ID
    )
    assert manifest == {
        "name": HOST_NAME,
        "description": manifest["description"],
        "path": str(host),
        "type": "stdio",
        "allowed_origins": [f"chrome-extension://{DEV_EXTENSION_ID}/"],
    }
    assert manifests.problems(manifest, "chromium") == []


def test_firefox_manifest_allows_exactly_the_addon_id(host: Path) -> None:
    manifest = manifests.render(
        "firefox", host_path=host, extension_id=DEV_EXTENSION_ID, firefox_id=DEFAULT_FIREFOX_ID
    )
    assert manifest["allowed_extensions"] == [DEFAULT_FIREFOX_ID]
    assert "allowed_origins" not in manifest
    assert manifest["path"] == str(host) and manifest["type"] == "stdio"
    assert manifests.problems(manifest, "firefox") == []


def test_odd_characters_in_the_host_path_survive_as_json(tmp_path: Path) -> None:
    odd = tmp_path / 'we"ird\\dir @HOST_NAME@' / "host"
    text = manifests.dumps(
        manifests.render(
            "chromium", host_path=odd, extension_id=DEV_EXTENSION_ID, firefox_id=DEFAULT_FIREFOX_ID
        )
    )
    assert json.loads(text)["path"] == str(odd)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "*",
        "a" * 31,
        "a" * 33,
        "q" * 32,
        "A" * 32,
        DEV_EXTENSION_ID[:-1] + "*",
        f"chrome-extension://{DEV_EXTENSION_ID}/",
        DEV_EXTENSION_ID + "\n",
    ],
)
def test_invalid_chromium_ids_are_rejected(bad: str, host: Path) -> None:
    with pytest.raises(ManifestError, match="invalid Chromium extension id"):
        manifests.render(
            "chromium", host_path=host, extension_id=bad, firefox_id=DEFAULT_FIREFOX_ID
        )


@pytest.mark.parametrize("bad", ["", "*", "*@*", "no-at-sign", "a@b c", "{not-a-guid}"])
def test_invalid_firefox_ids_are_rejected(bad: str, host: Path) -> None:
    with pytest.raises(ManifestError, match="invalid Firefox add-on id"):
        manifests.render("firefox", host_path=host, extension_id=DEV_EXTENSION_ID, firefox_id=bad)


def test_guid_firefox_ids_are_accepted() -> None:
    guid = "{12345678-9abc-def0-1234-56789abcdef0}"
    assert manifests.check_firefox_id(guid) == guid


def test_relative_host_path_is_rejected() -> None:
    with pytest.raises(ManifestError, match="not absolute"):
        manifests.render(
            "chromium",
            host_path=Path("bin/host"),
            extension_id=DEV_EXTENSION_ID,
            firefox_id=DEFAULT_FIREFOX_ID,
        )


def test_problems_finds_wildcards_relative_paths_and_wrong_fields() -> None:
    found = manifests.problems(
        {"name": "other", "type": "pipe", "path": "host", "allowed_origins": ["*"]}, "chromium"
    )
    assert any("name" in p for p in found)
    assert any("type" in p for p in found)
    assert any("not an absolute path" in p for p in found)
    assert any("wildcards are never allowed" in p for p in found)
    origin = "chrome-extension://*/"
    assert "wildcards" in manifests.problems({"allowed_origins": [origin]}, "chromium")[-1]
    assert manifests.problems([], "firefox") == ["the manifest is not a JSON object"]
    assert "missing or empty" in manifests.problems({"allowed_extensions": []}, "firefox")[-1]


# --- locations ------------------------------------------------------------------------

USER_PATHS: dict[tuple[str, Browser], str] = {
    ("linux", "chrome"): ".config/google-chrome/NativeMessagingHosts",
    ("linux", "chromium"): ".config/chromium/NativeMessagingHosts",
    ("linux", "edge"): ".config/microsoft-edge/NativeMessagingHosts",
    ("linux", "brave"): ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
    ("linux", "vivaldi"): ".config/vivaldi/NativeMessagingHosts",
    ("linux", "firefox"): ".mozilla/native-messaging-hosts",
    ("darwin", "chrome"): "Library/Application Support/Google/Chrome/NativeMessagingHosts",
    ("darwin", "chromium"): "Library/Application Support/Chromium/NativeMessagingHosts",
    ("darwin", "edge"): "Library/Application Support/Microsoft Edge/NativeMessagingHosts",
    ("darwin", "brave"): (
        "Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts"
    ),
    ("darwin", "vivaldi"): "Library/Application Support/Vivaldi/NativeMessagingHosts",
    ("darwin", "firefox"): "Library/Application Support/Mozilla/NativeMessagingHosts",
}
SYSTEM_PATHS: dict[tuple[str, Browser], str] = {
    ("linux", "chrome"): "/etc/opt/chrome/native-messaging-hosts",
    ("linux", "chromium"): "/etc/chromium/native-messaging-hosts",
    ("linux", "edge"): "/etc/opt/edge/native-messaging-hosts",
    ("linux", "brave"): "/etc/opt/brave/native-messaging-hosts",
    ("linux", "vivaldi"): "/etc/opt/vivaldi/native-messaging-hosts",
    ("linux", "firefox"): "/usr/lib/mozilla/native-messaging-hosts",
    ("darwin", "chrome"): "/Library/Google/Chrome/NativeMessagingHosts",
    ("darwin", "chromium"): "/Library/Application Support/Chromium/NativeMessagingHosts",
    ("darwin", "edge"): "/Library/Microsoft/Edge/NativeMessagingHosts",
    ("darwin", "brave"): (
        "/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts"
    ),
    ("darwin", "vivaldi"): "/Library/Application Support/Vivaldi/NativeMessagingHosts",
    ("darwin", "firefox"): "/Library/Application Support/Mozilla/NativeMessagingHosts",
}
REGISTRY_KEYS: dict[Browser, str] = {
    "chrome": rf"Software\Google\Chrome\NativeMessagingHosts\{HOST_NAME}",
    "chromium": rf"Software\Chromium\NativeMessagingHosts\{HOST_NAME}",
    "edge": rf"Software\Microsoft\Edge\NativeMessagingHosts\{HOST_NAME}",
    "brave": rf"Software\Google\Chrome\NativeMessagingHosts\{HOST_NAME}",
    "vivaldi": rf"Software\Google\Chrome\NativeMessagingHosts\{HOST_NAME}",
    "firefox": rf"Software\Mozilla\NativeMessagingHosts\{HOST_NAME}",
}


@pytest.mark.parametrize(("platform", "browser"), sorted(USER_PATHS))
def test_per_user_manifest_dirs(platform: str, browser: Browser, home: Path) -> None:
    found = locations.manifest_dir(browser, platform=platform, home=home, env={})
    assert found == home / USER_PATHS[(platform, browser)]


@pytest.mark.parametrize(("platform", "browser"), sorted(SYSTEM_PATHS))
def test_system_manifest_dirs(platform: str, browser: Browser, home: Path) -> None:
    found = locations.manifest_dir(browser, system=True, platform=platform, home=home, env={})
    assert found == Path(SYSTEM_PATHS[(platform, browser)])


def test_every_browser_has_every_location() -> None:
    assert {b for _, b in USER_PATHS} == set(BROWSERS) == set(REGISTRY_KEYS)


def test_linux_chromium_family_honours_xdg_config_home(home: Path, tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    chrome = locations.manifest_dir("chrome", platform="linux", home=home, env=env)
    assert chrome == tmp_path / "cfg" / "google-chrome" / "NativeMessagingHosts"
    firefox = locations.manifest_dir("firefox", platform="linux", home=home, env=env)
    assert firefox == home / ".mozilla" / "native-messaging-hosts"
    relative = locations.manifest_dir(
        "chrome", platform="linux", home=home, env={"XDG_CONFIG_HOME": "x"}
    )
    assert relative == home / USER_PATHS[("linux", "chrome")]


@pytest.mark.parametrize("browser", BROWSERS)
def test_windows_registry_keys(browser: Browser) -> None:
    assert locations.registry_key(browser) == REGISTRY_KEYS[browser]
    assert (locations.hive(False), locations.hive(True)) == ("HKCU", "HKLM")
    with pytest.raises(ValueError, match="registry"):
        locations.manifest_dir(browser, platform="win32", home=Path("/h"), env={})


def test_os_of() -> None:
    assert [locations.os_of(p) for p in ("linux", "darwin", "win32", "freebsd14")] == [
        "linux",
        "darwin",
        "win32",
        "linux",
    ]


# --- detection ------------------------------------------------------------------------


def test_detects_nothing_in_an_empty_home(home: Path) -> None:
    assert register.detect_browsers(platform="linux") == []


def test_detects_profile_folders_and_executables(home: Path, tmp_path: Path) -> None:
    (home / ".config" / "BraveSoftware" / "Brave-Browser").mkdir(parents=True)
    (home / ".mozilla" / "firefox").mkdir(parents=True)
    exe = tmp_path / "bin" / "chromium-browser"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    assert register.detect_browsers(platform="linux") == ["chromium", "brave", "firefox"]


def test_detects_on_macos_and_windows(home: Path, tmp_path: Path) -> None:
    (home / "Library" / "Application Support" / "Vivaldi").mkdir(parents=True)
    assert register.detect_browsers(platform="darwin", home=home) == ["vivaldi"]
    local = tmp_path / "AppData" / "Local"
    (local / "Microsoft" / "Edge" / "User Data").mkdir(parents=True)
    env = {"LOCALAPPDATA": str(local), "APPDATA": str(tmp_path / "AppData" / "Roaming")}
    assert register.detect_browsers(platform="win32", home=home, env=env) == ["edge"]


# --- install / uninstall on Linux and macOS ---------------------------------------------


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_install_writes_each_browser_and_is_idempotent(
    platform: str, home: Path, host: Path
) -> None:
    targets = register.plan_targets(BROWSERS, platform=platform, home=home)
    assert len(targets) == len(BROWSERS)
    for target in targets:  # each browser's own folder, as once it has run
        target.manifest_path.parent.parent.mkdir(parents=True, exist_ok=True)
    before = tree(home)
    first = register.install(
        targets, host_path=host, extension_id=DEV_EXTENSION_ID, firefox_id=DEFAULT_FIREFOX_ID
    )
    assert [c.action for c in first] == ["wrote"] * len(BROWSERS)
    texts = render_all(host)
    for browser in BROWSERS:
        path = home / USER_PATHS[(platform, browser)] / FILE
        assert path.read_text() == texts[locations.family(browser)]
        assert oct(path.stat().st_mode & 0o777) == oct(0o644)
    after_first = tree(home)
    mtimes = {p: p.stat().st_mtime_ns for p in home.rglob(FILE)}

    second = register.install(
        targets, host_path=host, extension_id=DEV_EXTENSION_ID, firefox_id=DEFAULT_FIREFOX_ID
    )
    assert [c.action for c in second] == ["unchanged"] * len(BROWSERS)
    assert tree(home) == after_first
    assert {p: p.stat().st_mtime_ns for p in home.rglob(FILE)} == mtimes

    removed = register.uninstall(targets)
    assert [c.action for c in removed] == ["removed"] * len(BROWSERS)
    assert tree(home) == before
    assert [c.action for c in register.uninstall(targets)] == ["absent"] * len(BROWSERS)


def test_uninstall_keeps_folders_that_hold_other_files(home: Path, host: Path) -> None:
    folder = home / USER_PATHS[("linux", "chrome")]
    folder.mkdir(parents=True)
    (folder / "org.other.host.json").write_text("{}")
    targets = register.plan_targets(["chrome"], platform="linux", home=home)
    register.install(targets, host_path=host, extension_id=DEV_EXTENSION_ID, firefox_id="a@b")
    register.uninstall(targets)
    assert [p.name for p in folder.iterdir()] == ["org.other.host.json"]


def test_install_replaces_a_stale_manifest(home: Path, host: Path) -> None:
    targets = register.plan_targets(["edge"], platform="linux", home=home)
    path = targets[0].manifest_path
    path.parent.mkdir(parents=True)
    path.write_text('{"path": "/old/host"}')
    changes = register.install(
        targets, host_path=host, extension_id=DEV_EXTENSION_ID, firefox_id=DEFAULT_FIREFOX_ID
    )
    assert changes[0].action == "wrote"
    assert json.loads(path.read_text())["path"] == str(host)
    assert [p.name for p in path.parent.iterdir()] == [FILE]  # no temp file left behind


def test_system_install_plans_the_system_folders(home: Path) -> None:
    targets = register.plan_targets(BROWSERS, system=True, platform="linux", home=home)
    assert [t.manifest_path.parent for t in targets] == [
        Path(SYSTEM_PATHS[("linux", b)]) for b in BROWSERS
    ]
    assert all(t.system for t in targets)


def test_user_data_dir_takes_chromium_family_manifests(home: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    targets = register.plan_targets(
        ["chrome", "chromium", "firefox"], user_data_dir=profile, platform="linux", home=home
    )
    assert [(t.browsers, t.manifest_path) for t in targets] == [
        (("chrome", "chromium"), profile / "NativeMessagingHosts" / FILE),
        (("firefox",), home / USER_PATHS[("linux", "firefox")] / FILE),
    ]


# --- Windows through the fake registry --------------------------------------------------


@pytest.mark.parametrize(("system", "hive"), [(False, "HKCU"), (True, "HKLM")])
def test_windows_install_sets_registry_defaults(
    system: bool, hive: Hive, home: Path, host: Path, tmp_path: Path
) -> None:
    registry = FakeRegistry()
    folder = tmp_path / "manifests"
    targets = register.plan_targets(
        BROWSERS, system=system, platform="win32", home=home, env={}, windows_manifest_dir=folder
    )
    # Chrome, Brave and Vivaldi share Chrome's key: one registration for the three.
    assert [t.browsers for t in targets] == [
        ("chrome", "brave", "vivaldi"),
        ("chromium",),
        ("edge",),
        ("firefox",),
    ]
    register.install(
        targets,
        host_path=host,
        extension_id=DEV_EXTENSION_ID,
        firefox_id=DEFAULT_FIREFOX_ID,
        registry=registry,
    )
    scope = "system" if system else "user"
    chromium_file = folder / scope / f"{HOST_NAME}.chromium.json"
    firefox_file = folder / scope / f"{HOST_NAME}.firefox.json"
    assert registry.values == {
        (hive, REGISTRY_KEYS["chrome"]): str(chromium_file),
        (hive, REGISTRY_KEYS["chromium"]): str(chromium_file),
        (hive, REGISTRY_KEYS["edge"]): str(chromium_file),
        (hive, REGISTRY_KEYS["firefox"]): str(firefox_file),
    }
    texts = render_all(host)
    assert chromium_file.read_text() == texts["chromium"]
    assert firefox_file.read_text() == texts["firefox"]
    for target in targets:
        assert register.registered_path(target, registry) == target.manifest_path

    snapshot = (dict(registry.values), tree(folder))
    again = register.install(
        targets,
        host_path=host,
        extension_id=DEV_EXTENSION_ID,
        firefox_id=DEFAULT_FIREFOX_ID,
        registry=registry,
    )
    assert {c.action for c in again} == {"unchanged"}
    assert (registry.values, tree(folder)) == snapshot

    register.uninstall(targets, registry=registry)
    assert registry.values == {}
    assert not chromium_file.exists() and not firefox_file.exists()


def test_windows_uninstall_keeps_a_file_another_key_still_names(
    home: Path, host: Path, tmp_path: Path
) -> None:
    registry = FakeRegistry()
    folder = tmp_path / "manifests"
    plan = {
        b: register.plan_targets([b], platform="win32", home=home, windows_manifest_dir=folder)
        for b in ("chromium", "edge")
    }
    for targets in plan.values():
        register.install(
            targets,
            host_path=host,
            extension_id=DEV_EXTENSION_ID,
            firefox_id="a@b",
            registry=registry,
        )
    changes = register.uninstall(plan["edge"], registry=registry)
    assert [c.action for c in changes] == ["removed", "kept"]
    assert list(registry.values) == [("HKCU", REGISTRY_KEYS["chromium"])]
    assert plan["chromium"][0].manifest_path.exists()
    register.uninstall(plan["chromium"], registry=registry)
    assert registry.values == {} and not plan["chromium"][0].manifest_path.exists()


def test_windows_user_and_system_registrations_are_independent(
    home: Path, host: Path, tmp_path: Path
) -> None:
    registry = FakeRegistry()
    folder = tmp_path / "manifests"
    user, system = (
        register.plan_targets(
            ["firefox"], system=s, platform="win32", home=home, windows_manifest_dir=folder
        )
        for s in (False, True)
    )
    for targets in (user, system):
        register.install(
            targets,
            host_path=host,
            extension_id=DEV_EXTENSION_ID,
            firefox_id="a@b",
            registry=registry,
        )
    register.uninstall(user, registry=registry)
    assert list(registry.values) == [("HKLM", REGISTRY_KEYS["firefox"])]
    assert system[0].manifest_path.exists() and not user[0].manifest_path.exists()


# --- host path ------------------------------------------------------------------------


def test_default_host_path_is_beside_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    expected = Path(sys.executable).absolute().parent / "credit-guard-host"
    assert register.default_host_path() == expected


def test_default_host_path_when_frozen_is_the_executable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert register.default_host_path() == Path(sys.executable).absolute()


def test_executable_problem(tmp_path: Path, host: Path) -> None:
    assert register.executable_problem(host) is None
    assert "does not exist" in str(register.executable_problem(tmp_path / "missing"))
    assert "not a file" in str(register.executable_problem(tmp_path))
    plain = tmp_path / "plain"
    plain.write_text("")
    plain.chmod(0o644)
    if os.name != "nt":
        assert "not executable" in str(register.executable_problem(plain))


# --- commands -------------------------------------------------------------------------


def test_install_command_writes_found_browsers_and_explains_loading(
    home: Path, host: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / ".config" / "google-chrome").mkdir(parents=True)
    (home / ".mozilla" / "firefox").mkdir(parents=True)
    assert run_command(install_cmd, ["--host-path", str(host)]) == 0
    out = capsys.readouterr().out
    chrome = home / USER_PATHS[("linux", "chrome")] / FILE
    firefox = home / USER_PATHS[("linux", "firefox")] / FILE
    assert f"wrote     {chrome}" in out and f"wrote     {firefox}" in out
    assert "In Google Chrome: open chrome://extensions" in out and "Load unpacked" in out
    assert "about:debugging" in out and str(install_cmd.EXTENSION_SOURCE.parent / "dist") in out
    assert "A temporary add-on is gone when Firefox restarts" in out
    assert json.loads(chrome.read_text())["allowed_origins"] == [
        f"chrome-extension://{DEV_EXTENSION_ID}/"
    ]
    assert run_command(install_cmd, ["--host-path", str(host)]) == 0
    assert "unchanged" in capsys.readouterr().out

    assert run_command(uninstall_cmd, []) == 0
    out = capsys.readouterr().out
    assert f"removed   {chrome}" in out and not chrome.exists() and not firefox.exists()
    assert run_command(uninstall_cmd, []) == 0
    assert "Nothing to remove" in capsys.readouterr().out


def test_install_command_with_user_data_dir(home: Path, host: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    args = ["--host-path", str(host), "--user-data-dir", str(profile)]
    assert run_command(install_cmd, [*args, "--extension-id", "a" * 32]) == 0
    written = json.loads((profile / "NativeMessagingHosts" / FILE).read_text())
    assert written["allowed_origins"] == [f"chrome-extension://{'a' * 32}/"]
    assert run_command(uninstall_cmd, ["--user-data-dir", str(profile)]) == 0
    assert list(profile.iterdir()) == []


def test_install_command_rejects_bad_ids_and_writes_nothing(
    home: Path, host: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / ".config" / "chromium").mkdir(parents=True)
    before = tree(home)
    for bad in (["--extension-id", "*"], ["--firefox-id", "*"]):
        assert run_command(install_cmd, ["--host-path", str(host), *bad]) == 2
        assert "invalid" in capsys.readouterr().err
    assert tree(home) == before


def test_install_command_without_a_browser_names_the_supported_ones_and_needs_a_host(
    home: Path, host: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No browser yet is a normal first step: exit 0, and what to get.
    assert run_command(install_cmd, ["--host-path", str(host)]) == 0
    out = capsys.readouterr().out
    assert "No supported browser found. Credit Guard works with Google Chrome, Chromium," in out
    assert "then run `credit-guard install` again" in out
    missing = tmp_path / "nowhere" / "host"
    assert run_command(install_cmd, ["--browser", "chrome", "--host-path", str(missing)]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert tree(home) == {}


@pytest.mark.parametrize("system", [False, True], ids=["user", "system"])
@pytest.mark.parametrize("command", [install_cmd, uninstall_cmd], ids=["install", "uninstall"])
def test_commands_explain_a_refused_folder(
    command: object,
    system: bool,
    home: Path,
    host: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", "/etc/opt/chrome/native-messaging-hosts")

    monkeypatch.setattr(register, "install", refuse)
    monkeypatch.setattr(register, "uninstall", refuse)
    argv = ["--browser", "chrome", *(["--system"] if system else [])]
    if command is install_cmd:
        argv += ["--host-path", str(host)]
    assert run_command(command, argv) == 1
    name = "install" if command is install_cmd else "uninstall"
    advice = "run it as root or administrator" if system else "check that folder"
    assert capsys.readouterr().err == (
        f"credit-guard {name}: permission denied (/etc/opt/chrome/native-messaging-hosts); "
        f"{advice}\n"
    )


def test_a_frozen_helper_without_packages_names_the_guide(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No source tree beside a frozen helper: no source paths (a release's packaged
    extension is tests/test_release.py's)."""
    monkeypatch.setattr(install_cmd, "EXTENSION_SOURCE", tmp_path / "not-here" / "extension")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "credit-guard"))
    steps = install_cmd.load_instructions(["chrome", "firefox"], DEV_EXTENSION_ID, "en")
    assert "credit-guard/extension/" in steps and "docs/guide/install-extension.md" in steps
    assert ".venv" not in steps and "dist/firefox" not in steps
