"""`credit-guard`: install the helper, check it, and read or feed the tally by hand.

Each command lives in native_host/commands/<name>.py with `add_arguments(parser)` and
`run(args) -> exit code`; its module docstring is its --help. Only the chosen command's
module is imported, so `credit-guard status` does not pay for the installer or the demo,
and `credit-guard --help` imports none (the summaries below; tests/test_cli.py checks
each is its module docstring's first line).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from native_host import PROTOCOL_VERSION, __version__

COMMANDS: dict[str, str] = {
    "install": "Register the helper with your browsers so the Credit Guard extension can start it.",
    "uninstall": (
        "Remove the helper's browser registrations (manifests and, on Windows, registry keys)."
    ),
    "doctor": "Check every link from browser to helper and say how to fix what is broken.",
    "status": "Show each Genspark account's credits: used, remaining, and when they come back.",
    "log": (
        "Record usage done where the extension cannot see it (a phone, the app), or undo an entry."
    ),
    "forget": "Forget an account: a mistyped one, or one you no longer use.",
    "config": "Show or change settings, per account or global.",
    "schema": "Print the JSON Schema of every request the helper accepts.",
    "demo": "Watch the helper do its job on a simulated Genspark day, no account needed.",
}
USAGE = "usage: credit-guard [--version] [--help] COMMAND [options]"


def command_module(name: str) -> ModuleType:
    return importlib.import_module(f"native_host.commands.{name}")


def command_parser(name: str) -> argparse.ArgumentParser:
    module = command_module(name)
    parser = argparse.ArgumentParser(
        prog=f"credit-guard {name}",
        description=(module.__doc__ or "").strip(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    module.add_arguments(parser)
    return parser


def overview() -> str:
    lines = [USAGE, "", "Commands:"]
    for name, summary in COMMANDS.items():
        lines.append(f"  {name:<10} {summary}")
    lines += ["", "`credit-guard COMMAND --help` shows a command's options and an example."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(overview())
        return 0 if args else 2
    if args[0] == "--version":
        print(f"credit-guard {__version__} (protocol {PROTOCOL_VERSION})")
        return 0
    # No search of the installed packages for pydantic plugins (none is used).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if args[0] not in COMMANDS:
        print(f"{USAGE}\ncredit-guard: unknown command {args[0]!r}", file=sys.stderr)
        return 2
    # Intermixed: options may come between positionals (`config set --account A plan=pro`).
    parsed = command_parser(args[0]).parse_intermixed_args(args[1:])
    code: int = command_module(args[0]).run(parsed)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
