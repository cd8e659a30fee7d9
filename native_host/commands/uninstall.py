"""Remove the helper's browser registrations (manifests and, on Windows, registry keys).

Removes only what `credit-guard install` writes: files named com.creditguard.helper.json
and keys of that name. By default it looks in every supported browser's folders, so a
browser uninstalled since does not keep a stale manifest, and it stops and removes the
background service (`credit-guard service`) too, unless --browser, --user-data-dir or
--system narrows it to registrations. Your tally and settings stay
unless you add --purge, which deletes the data folder (after asking; --yes skips the
question) and the sync secret in the keyring. Either way it says what is still on this
computer (the program, the credit-guard command, the extension) and how to remove each.

Example:
    credit-guard uninstall
    credit-guard uninstall --purge
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
from pathlib import Path

from native_host import keystore
from native_host.commands.forget import confirmed
from native_host.commands.install import (
    EXTENSION_SOURCE,
    add_target_arguments,
    permission_denied,
    selected_browsers,
)
from native_host.i18n import text
from native_host.installer import launcher, register
from native_host.installer.service_plan import AGENT_LOG, TASK_FILE
from native_host.local import cli_language
from native_host.paths import data_folder

# What the helper writes in its data folder; --purge deletes a folder holding only these.
OWN_FILES: tuple[str, ...] = ("ledger.sqlite3", "helper.log", "native-messaging-hosts", "sync.json")
OWN_FILES += (AGENT_LOG, TASK_FILE)  # the background service's (macOS, Windows)
# Set by a release's uninstall script (build_scripts/release/), which removes the program
# and the credit-guard command right after: what stays is then said without them.
BY_SCRIPT_VARIABLE = "CREDIT_GUARD_UNINSTALL_SCRIPT"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser, default="every supported browser")
    parser.add_argument(
        "--system", action="store_true", help="remove the system-wide registration (as root)"
    )
    parser.add_argument(
        "--purge",
        action="store_true",
        help="also delete the data folder: the tally, settings and log (asks first)",
    )
    parser.add_argument("--yes", action="store_true", help="with --purge: do not ask first")


def run(args: argparse.Namespace) -> int:
    language = cli_language()
    folder = data_folder()
    if args.purge and folder.exists() and not args.yes:
        question = text(language, "uninstall.purge.confirm", folder=folder)
        if not confirmed(question, text(language, "uninstall.purge.prompt")):
            print(text(language, "uninstall.purge.kept", folder=folder))
            return 1
    targets = register.plan_targets(
        selected_browsers(args, everywhere=True),
        system=args.system,
        user_data_dir=args.user_data_dir,
    )
    try:
        changes = register.uninstall(targets)
    except PermissionError as exc:
        return permission_denied("uninstall", exc, system=args.system)
    done = [c for c in changes if c.action != "absent"]
    for change in done:
        print(change)
    code = 0
    if args.purge or not (args.browser or args.user_data_dir or args.system):
        # The whole product goes, or its data: the background service too, before the
        # data folder it writes in. Not for one browser's registration.
        from native_host.commands.service import remove_service

        code = remove_service(language, quiet_when_absent=True)
    if not done:
        print(text(language, "uninstall.nothing"))
    if args.purge:
        print(purge(folder, language))
    elif folder.exists():
        kept = "uninstall.data_kept_script" if by_script() else "uninstall.data_kept"
        print(text(language, kept, folder=folder))
    print()
    print(what_stays(language))
    return code


def purge(folder: Path, language: str) -> str:
    """Delete the data folder when it holds only the helper's files, and the sync secret."""
    lines = []
    if not folder.exists():
        lines.append(text(language, "uninstall.purge.absent", folder=folder))
    elif foreign := sorted(p.name for p in folder.iterdir() if not owned(p.name)):
        # CREDIT_GUARD_HOME may name a folder that is also used for other things.
        lines.append(
            text(language, "uninstall.purge.foreign", folder=folder, names=", ".join(foreign))
        )
    else:
        shutil.rmtree(folder)
        lines.append(text(language, "uninstall.purge.done", folder=folder))
    if forget_secret():
        lines.append(text(language, "uninstall.purge.secret"))
    return "\n".join(lines)


def owned(name: str) -> bool:
    """The ledger with its -wal/-shm files, the log with its rotations, Windows manifests."""
    return any(
        name == own or name.startswith(f"{own}-") or name.startswith(f"{own}.") for own in OWN_FILES
    )


def forget_secret() -> bool:
    """Delete the sync secret; False when there was none or no keyring can be reached."""
    from keyring.errors import KeyringError

    try:
        return keystore.delete_secret()
    except KeyringError:
        return False


def program_stays(language: str) -> str:
    """The program itself: a source checkout's venv, a release's installed folder (its
    uninstall script removes it), or a frozen folder put somewhere by hand."""
    if not getattr(sys, "frozen", False):
        program = EXTENSION_SOURCE.parent if EXTENSION_SOURCE.is_dir() else Path(sys.prefix)
        return text(language, "uninstall.stays.program", folder=program)
    folder = Path(sys.executable).absolute().parent
    if folder != Path(launcher.app_folder()):
        return text(language, "uninstall.stays.frozen", folder=folder)
    if os.name == "nt":
        command = f'powershell -ExecutionPolicy Bypass -File "{folder / "uninstall.ps1"}"'
    else:
        command = shlex.join(["bash", str(folder / "uninstall.sh")])
    return text(language, "uninstall.stays.release", folder=folder, command=command)


def by_script() -> bool:
    return os.environ.get(BY_SCRIPT_VARIABLE) == "1"


def what_stays(language: str) -> str:
    """Everything uninstall does not remove, each with the way to remove it."""
    lines = [text(language, "uninstall.stays.title")]
    if not by_script():  # else the script removes both next
        lines.append("  " + program_stays(language))
        link = launcher.installed()
        if link is not None:
            lines.append("  " + text(language, "uninstall.stays.launcher", path=link))
    lines += [
        "  " + text(language, "uninstall.stays.chromium"),
        "  " + text(language, "uninstall.stays.firefox"),
    ]
    return "\n".join(lines)
