"""`credit-guard`: install the helper, check it, and read or feed the tally by hand.

Each command lives in native_host/commands/<name>.py with `add_arguments(parser)` and
`run(args) -> exit code`; its module docstring is its --help. Commands are imported only
when chosen, so `credit-guard status` does not pay for the installer or the demo.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from native_host import PROTOCOL_VERSION, __version__

COMMANDS = ("install", "uninstall", "doctor", "status", "log", "config", "schema", "demo")


def command_module(name: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(f"native_host.commands.{name}")


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the chosen command's module is imported for its arguments."""
    parser = argparse.ArgumentParser(
        prog="credit-guard",
        description=__doc__.splitlines()[0] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"credit-guard {__version__} (protocol {PROTOCOL_VERSION})",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        if chosen is not None and name != chosen:
            sub.add_parser(name)
            continue
        module = command_module(name)
        doc = (module.__doc__ or "").strip()
        command = sub.add_parser(
            name,
            help=doc.splitlines()[0] if doc else None,
            description=doc,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    chosen = next((a for a in args_list if a in COMMANDS), None)
    wants_help = any(a in ("-h", "--help") for a in args_list) and chosen is None
    parser = build_parser(None if wants_help else chosen)
    args = parser.parse_args(args_list)
    code: int = command_module(args.command).run(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
