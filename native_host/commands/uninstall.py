"""Remove the helper's browser registrations (manifests and, on Windows, registry keys).

Removes only what `credit-guard install` writes: files named com.creditguard.helper.json
and keys of that name. By default it looks in every supported browser's folders, so a
browser uninstalled since does not keep a stale manifest. Your tally and settings stay.

Example:
    credit-guard uninstall --browser firefox
"""

from __future__ import annotations

import argparse

from native_host.commands.install import (
    add_target_arguments,
    permission_denied,
    selected_browsers,
)
from native_host.installer import register


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser, default="every supported browser")
    parser.add_argument(
        "--system", action="store_true", help="remove the system-wide registration (as root)"
    )


def run(args: argparse.Namespace) -> int:
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
    if not done:
        print("Nothing to remove: no Credit Guard registration was found.")
    return 0
