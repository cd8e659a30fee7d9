"""Register the helper with your browsers so the Credit Guard extension can start it.

Writes a native-messaging manifest for each browser found on this computer (or each
--browser given) that points at the credit-guard-host program and lets in only the
Credit Guard extension. Running it again changes nothing; `credit-guard uninstall`
removes what it wrote. Use --system (as root or administrator) for every user, or
--user-data-dir for a Chromium started with --user-data-dir.

Example:
    credit-guard install --browser chrome --browser firefox
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from native_host.i18n import text
from native_host.installer import DEFAULT_FIREFOX_ID, DEV_EXTENSION_ID, register
from native_host.installer.locations import BROWSERS, DISPLAY_NAMES, Browser
from native_host.installer.manifests import ManifestError, check_extension_id, check_firefox_id
from native_host.local import cli_language

EXTENSION_SOURCE = Path(__file__).resolve().parents[2] / "extension"


def add_target_arguments(parser: argparse.ArgumentParser, default: str = "all found") -> None:
    """Options shared by install, uninstall and doctor: which browsers, which profile."""
    parser.add_argument(
        "--browser",
        action="append",
        type=str.lower,  # "Chrome" as well as "chrome"
        choices=BROWSERS,
        metavar="NAME",
        help=f"a browser to act on; repeatable ({', '.join(BROWSERS)}); default: {default}",
    )
    parser.add_argument(
        "--user-data-dir",
        type=Path,
        metavar="DIR",
        help="a custom Chromium profile folder: manifests go in DIR/NativeMessagingHosts",
    )


def add_id_arguments(parser: argparse.ArgumentParser, purpose: str = "to allow") -> None:
    parser.add_argument(
        "--extension-id",
        default=DEV_EXTENSION_ID,
        help=f"the Chromium-family extension id {purpose} (default: %(default)s)",
    )
    parser.add_argument(
        "--firefox-id",
        default=DEFAULT_FIREFOX_ID,
        help=f"the Firefox add-on id {purpose} (default: %(default)s)",
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser)
    parser.add_argument(
        "--system", action="store_true", help="install for every user (needs root or admin)"
    )
    add_id_arguments(parser)
    parser.add_argument(
        "--host-path",
        type=Path,
        default=None,
        metavar="PATH",
        help=f"the host program browsers start (default: {register.default_host_path()})",
    )


def selected_browsers(args: argparse.Namespace, *, everywhere: bool = False) -> list[Browser]:
    """The browsers to act on: --browser, else chromium for --user-data-dir, else those found.

    With `everywhere` (uninstall) "those found" becomes every supported browser, so a
    browser removed since install does not keep a stale manifest.
    """
    if args.browser:
        return list(dict.fromkeys(args.browser))
    if args.user_data_dir is not None:
        return ["chromium"]
    return list(BROWSERS) if everywhere else register.detect_browsers()


def permission_denied(command: str, exc: PermissionError, *, system: bool) -> int:
    """Say which path was refused and what to do (install, uninstall); exit code 1."""
    print(
        f"credit-guard {command}: permission denied ({exc.filename or exc}); "
        + ("run it as root or administrator" if system else "check that folder"),
        file=sys.stderr,
    )
    return 1


def run(args: argparse.Namespace) -> int:
    try:
        extension_id = check_extension_id(args.extension_id)
        firefox_id = check_firefox_id(args.firefox_id)
    except ManifestError as exc:
        print(f"credit-guard install: {exc}", file=sys.stderr)
        return 2
    if args.system and args.user_data_dir is not None:
        print(
            "credit-guard install: --system and --user-data-dir exclude each other", file=sys.stderr
        )
        return 2
    host_path = (args.host_path or register.default_host_path()).expanduser().absolute()
    problem = register.executable_problem(host_path)
    if problem:
        print(
            f"credit-guard install: the host program {problem}; "
            "install the package (pip install .) or pass --host-path",
            file=sys.stderr,
        )
        return 1
    browsers = selected_browsers(args)
    language = cli_language()
    if not browsers:  # a normal first step, not a failure: say what to get
        print(text(language, "install.no_browser"))
        return 0
    targets = register.plan_targets(browsers, system=args.system, user_data_dir=args.user_data_dir)
    try:
        changes = register.install(
            targets, host_path=host_path, extension_id=extension_id, firefox_id=firefox_id
        )
    except PermissionError as exc:
        return permission_denied("install", exc, system=args.system)
    print(text(language, "install.host", path=host_path))
    for change in changes:
        print(change)
    print()
    print(load_instructions(browsers, extension_id, language))
    print(text(language, "install.load.doctor"))
    return 0


def load_instructions(browsers: list[Browser], extension_id: str, language: str) -> str:
    """How to load the extension in the browsers just registered (README.md says the same
    for a source checkout; a release's frozen program names the packages beside it)."""
    if not EXTENSION_SOURCE.is_dir():
        return packaged_instructions(browsers, extension_id, language)
    root, python = EXTENSION_SOURCE.parent, sys.executable
    lines = [text(language, "install.load.title")]
    lines += _chromium_lines(browsers, root / "extension", extension_id, language)
    if "firefox" in browsers:
        lines += [
            "  " + text(language, "install.load.firefox"),
            f"      {python} {root / 'build_scripts' / 'build_extension.py'}",
            "  " + text(language, "install.load.firefox_open"),
            f"      {root / 'dist' / 'firefox' / 'manifest.json'}",
            "  " + text(language, "install.load.firefox_temporary"),
        ]
    return "\n".join(lines)


def packaged_extension() -> Path:
    """Where a release keeps the extension's packages: beside the frozen program
    (build_scripts/package_release.py)."""
    return Path(sys.executable).absolute().parent / "extension"


def packaged_instructions(browsers: list[Browser], extension_id: str, language: str) -> str:
    """The frozen program's steps: its packaged extension, or the guide without one."""
    packages = packaged_extension()
    lines = [text(language, "install.load.title")]
    if not (packages / "chromium" / "manifest.json").is_file():
        return "\n".join([*lines, "  " + text(language, "install.load.no_package")])
    lines += _chromium_lines(browsers, packages / "chromium", extension_id, language)
    if "firefox" in browsers:
        lines += [
            "  " + text(language, "install.load.firefox_package"),
            f"      {packages / 'credit-guard-firefox.xpi'}",
            "  " + text(language, "install.load.firefox_temporary"),
        ]
    return "\n".join(lines)


def _chromium_lines(
    browsers: list[Browser], folder: Path, extension_id: str, language: str
) -> list[str]:
    names = [DISPLAY_NAMES[b] for b in browsers if b != "firefox"]
    if not names:
        return []
    return [
        "  " + text(language, "install.load.chromium", browsers=", ".join(names)),
        f"      {folder}",
        "  " + text(language, "install.load.chromium_id", extension_id=extension_id),
    ]
