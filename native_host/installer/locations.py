"""Where each browser looks for native-messaging host manifests, per OS and scope.

On Linux and macOS a browser reads `<dir>/<host name>.json` from a per-user and a
system-wide folder; on Windows it reads the default value of a registry key (HKCU for
the user, HKLM for everyone), which holds the manifest file's path. Every function
takes the platform (a `sys.platform` value), the home folder and the environment as
parameters so tests cover every OS on any machine.

Sources: developer.chrome.com native messaging, MDN native manifests, and the
installers of browserpass and KeePassXC (which agree that Brave and Vivaldi on
Windows read Chrome's registry key).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Final, Literal

from native_host import HOST_NAME
from native_host.installer.manifests import Family

Browser = Literal["chrome", "chromium", "edge", "brave", "vivaldi", "firefox"]
OS = Literal["linux", "darwin", "win32"]
Hive = Literal["HKCU", "HKLM"]

BROWSERS: Final[tuple[Browser, ...]] = ("chrome", "chromium", "edge", "brave", "vivaldi", "firefox")
# How people call them, for the texts that name them (the same in both languages).
DISPLAY_NAMES: Final[Mapping[Browser, str]] = {
    "chrome": "Google Chrome",
    "chromium": "Chromium",
    "edge": "Microsoft Edge",
    "brave": "Brave",
    "vivaldi": "Vivaldi",
    "firefox": "Firefox",
}

# Per-user profile folder, relative to $XDG_CONFIG_HOME (Linux) or
# ~/Library/Application Support (macOS); the manifests go in its NativeMessagingHosts.
_LINUX_PROFILE: Final[Mapping[Browser, str]] = {
    "chrome": "google-chrome",
    "chromium": "chromium",
    "edge": "microsoft-edge",
    "brave": "BraveSoftware/Brave-Browser",
    "vivaldi": "vivaldi",
}
_MAC_PROFILE: Final[Mapping[Browser, str]] = {
    "chrome": "Google/Chrome",
    "chromium": "Chromium",
    "edge": "Microsoft Edge",
    "brave": "BraveSoftware/Brave-Browser",
    "vivaldi": "Vivaldi",
    "firefox": "Mozilla",
}
_LINUX_SYSTEM: Final[Mapping[Browser, str]] = {
    "chrome": "/etc/opt/chrome/native-messaging-hosts",
    "chromium": "/etc/chromium/native-messaging-hosts",
    "edge": "/etc/opt/edge/native-messaging-hosts",
    "brave": "/etc/opt/brave/native-messaging-hosts",
    "vivaldi": "/etc/opt/vivaldi/native-messaging-hosts",
    "firefox": "/usr/lib/mozilla/native-messaging-hosts",
}
_MAC_SYSTEM: Final[Mapping[Browser, str]] = {
    "chrome": "/Library/Google/Chrome/NativeMessagingHosts",
    "chromium": "/Library/Application Support/Chromium/NativeMessagingHosts",
    "edge": "/Library/Microsoft/Edge/NativeMessagingHosts",
    "brave": "/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts",
    "vivaldi": "/Library/Application Support/Vivaldi/NativeMessagingHosts",
    "firefox": "/Library/Application Support/Mozilla/NativeMessagingHosts",
}
_WINDOWS_KEY: Final[Mapping[Browser, str]] = {
    "chrome": r"Software\Google\Chrome",
    "chromium": r"Software\Chromium",
    "edge": r"Software\Microsoft\Edge",
    "brave": r"Software\Google\Chrome",
    "vivaldi": r"Software\Google\Chrome",
    "firefox": r"Software\Mozilla",
}
# Profile folders whose existence means the browser has been used (detection only).
_WINDOWS_PROFILE: Final[Mapping[Browser, tuple[str, str]]] = {
    "chrome": ("LOCALAPPDATA", r"Google\Chrome\User Data"),
    "chromium": ("LOCALAPPDATA", r"Chromium\User Data"),
    "edge": ("LOCALAPPDATA", r"Microsoft\Edge\User Data"),
    "brave": ("LOCALAPPDATA", r"BraveSoftware\Brave-Browser\User Data"),
    "vivaldi": ("LOCALAPPDATA", r"Vivaldi\User Data"),
    "firefox": ("APPDATA", r"Mozilla\Firefox"),
}
_MAC_APP: Final[Mapping[Browser, str]] = {
    "chrome": "Google Chrome.app",
    "chromium": "Chromium.app",
    "edge": "Microsoft Edge.app",
    "brave": "Brave Browser.app",
    "vivaldi": "Vivaldi.app",
    "firefox": "Firefox.app",
}
EXECUTABLES: Final[Mapping[Browser, tuple[str, ...]]] = {
    "chrome": ("google-chrome", "google-chrome-stable", "chrome"),
    "chromium": ("chromium", "chromium-browser"),
    "edge": ("microsoft-edge", "microsoft-edge-stable", "msedge"),
    "brave": ("brave-browser", "brave"),
    "vivaldi": ("vivaldi", "vivaldi-stable"),
    "firefox": ("firefox",),
}


def family(browser: Browser) -> Family:
    """Which manifest template a browser reads."""
    return "firefox" if browser == "firefox" else "chromium"


def os_of(platform: str | None = None) -> OS:
    """Reduce a `sys.platform` value to the three layouts browsers use (BSDs act as Linux)."""
    platform = sys.platform if platform is None else platform
    if platform.startswith("win"):
        return "win32"
    return "darwin" if platform == "darwin" else "linux"


def manifest_dir(
    browser: Browser,
    *,
    system: bool = False,
    platform: str | None = None,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Path:
    """The folder a browser reads manifests from on Linux or macOS.

    Raises:
        ValueError: on Windows, where browsers read the registry (see `registry_key`).
    """
    os_name = os_of(platform)
    home = Path.home() if home is None else home
    env = os.environ if env is None else env
    if os_name == "win32":
        raise ValueError("on Windows manifests are registered in the registry, not a folder")
    if system:
        return Path((_MAC_SYSTEM if os_name == "darwin" else _LINUX_SYSTEM)[browser])
    if os_name == "darwin":
        return _mac_support(home) / _MAC_PROFILE[browser] / "NativeMessagingHosts"
    if browser == "firefox":
        return home / ".mozilla" / "native-messaging-hosts"
    return _config_home(home, env) / _LINUX_PROFILE[browser] / "NativeMessagingHosts"


def user_data_dir_manifest_dir(user_data_dir: Path) -> Path:
    """A Chromium started with `--user-data-dir DIR` reads DIR/NativeMessagingHosts."""
    return user_data_dir / "NativeMessagingHosts"


def registry_key(browser: Browser, name: str = HOST_NAME) -> str:
    """The key (under HKCU or HKLM) whose default value is the manifest's path."""
    return rf"{_WINDOWS_KEY[browser]}\NativeMessagingHosts\{name}"


def hive(system: bool) -> Hive:
    return "HKLM" if system else "HKCU"


def profile_dirs(
    browser: Browser,
    *,
    platform: str | None = None,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> list[Path]:
    """Folders that exist once the browser is installed or has run (for detection)."""
    os_name = os_of(platform)
    home = Path.home() if home is None else home
    env = os.environ if env is None else env
    if os_name == "win32":
        variable, relative = _WINDOWS_PROFILE[browser]
        base = env.get(variable)
        return [Path(base, *relative.split("\\"))] if base else []
    if os_name == "darwin":
        profile = "Firefox" if browser == "firefox" else _MAC_PROFILE[browser]
        return [_mac_support(home) / profile, Path("/Applications") / _MAC_APP[browser]]
    if browser == "firefox":
        return [home / ".mozilla" / "firefox"]
    return [_config_home(home, env) / _LINUX_PROFILE[browser]]


def _config_home(home: Path, env: Mapping[str, str]) -> Path:
    # Chromium-family browsers honour XDG_CONFIG_HOME when it is an absolute path.
    configured = env.get("XDG_CONFIG_HOME", "")
    return Path(configured) if configured and Path(configured).is_absolute() else home / ".config"


def _mac_support(home: Path) -> Path:
    return home / "Library" / "Application Support"
