"""`credit-guard`: install the helper, check it, and read or feed the tally by hand.

Each command lives in native_host/commands/<name>.py with `add_arguments(parser)` and
`run(args) -> exit code`; its module docstring is its --help. Only the chosen command's
module is imported, so `credit-guard status` does not pay for the installer or the demo,
and `credit-guard --help` imports none (the summaries below; tests/test_cli.py checks
each is its module docstring's first line).

Everything is printed in the user's language (local.cli_language); `--lang en|ja`,
anywhere on the line, overrides the `language` setting for one run.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from native_host import PROTOCOL_VERSION, __version__
from native_host.cli_parser import Parser
from native_host.i18n import HELP_JA, LANGUAGES, text

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
    "sync": "Pair this device with your others, so that every one shows the same tally.",
    "service": (
        "Keep syncing with the browser closed: sync run or sync serve as a background service."
    ),
}
CLOSED_PIPE = 141  # the exit status of a program killed by SIGPIPE (128 + 13)


def command_module(name: str) -> ModuleType:
    return importlib.import_module(f"native_host.commands.{name}")


def command_parser(name: str, language: str = "en") -> Parser:
    module = command_module(name)
    parser = Parser(command=name, language=language, description=(module.__doc__ or "").strip())
    module.add_arguments(parser)
    return parser


def overview(language: str) -> str:
    lines = [text(language, "cli.usage"), "", text(language, "cli.commands")]
    for name, summary in COMMANDS.items():
        if language == "ja":
            summary = HELP_JA.get(name, summary).splitlines()[0]
        lines.append(f"  {name:<10} {summary}")
    lines += ["", text(language, "cli.help_hint")]
    return "\n".join(lines)


def take_language(args: list[str]) -> tuple[list[str], str | None]:
    """`args` without `--lang X` / `--lang=X`, and X (None when not given).

    Raises ValueError when X is not a language the CLI speaks."""
    rest: list[str] = []
    chosen: str | None = None
    words = iter(args)
    for word in words:
        if word == "--lang":
            chosen = next(words, "")
        elif word.startswith("--lang="):
            chosen = word.removeprefix("--lang=")
        else:
            rest.append(word)
    if chosen is not None and chosen not in LANGUAGES:
        raise ValueError(chosen)
    return rest, chosen


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = run(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()
    except BrokenPipeError:
        return closed_pipe()
    return code


def run(args: list[str]) -> int:
    """`credit-guard ARGS`: --version, else the command in the chosen language."""
    if args[:1] == ["--version"]:
        print(f"credit-guard {__version__} (protocol {PROTOCOL_VERSION})")
        return 0
    # No search of the installed packages for pydantic plugins (none is used); set before
    # reading the language setting imports the models.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from native_host.local import choose_language, cli_language

    try:
        args, chosen = take_language(args)
    except ValueError as error:
        print(text(cli_language(), "cli.lang_invalid", given=repr(str(error))), file=sys.stderr)
        return 2
    choose_language(chosen)
    try:
        return run_command(args, cli_language())
    finally:
        choose_language(None)  # for this run only (tests call main many times)


def run_command(args: list[str], language: str) -> int:
    """`credit-guard ARGS` (without --lang) in `language`; its exit status."""
    if not args or args[0] in ("-h", "--help"):
        print(overview(language))
        return 0 if args else 2
    if args[0] not in COMMANDS:
        usage = text(language, "cli.usage")
        unknown = text(language, "cli.unknown_command", name=repr(args[0]))
        print(f"{usage}\n{unknown}", file=sys.stderr)
        return 2
    # Intermixed: options may come between positionals (`config set --account A plan=pro`).
    parsed = command_parser(args[0], language).parse_intermixed_args(args[1:])
    code: int = command_module(args[0]).run(parsed)
    return code


def closed_pipe() -> int:
    """The reader of our output left (`credit-guard status --json | head -2`): stop
    quietly, as a program killed by SIGPIPE would, with its exit status 128 + 13.

    Standard output is pointed at the null device so the interpreter's last flush of
    what is still buffered does not fail again on the way out."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)
    return CLOSED_PIPE


if __name__ == "__main__":
    raise SystemExit(main())
