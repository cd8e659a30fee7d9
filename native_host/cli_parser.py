"""argparse in the user's language: its headings, the -h help, its usage errors, and each
command's --help (English: the module docstring and the add_argument helps; Japanese:
i18n.HELP_JA, looked up by `help_key`).

argparse writes its own messages in English; the errors are recognised by their
(stable) English wording below and said again through the catalog.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from native_host.i18n import HELP_JA, display_width, text

# argparse's own errors (Python 3.11-3.13), each with the catalog key that says it.
ARGPARSE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), key)
    for pattern, key in (
        (r"the following arguments are required: (?P<names>.+)", "args.required"),
        (r"unrecognized arguments: (?P<args>.+)", "args.unrecognized"),
        (
            r"argument (?P<name>\S+): invalid choice: (?P<value>.+?)"
            r" \(choose from (?P<choices>.+)\)",
            "args.invalid_choice",
        ),
        (r"argument (?P<name>\S+): expected one argument", "args.expected_one"),
        (r"argument (?P<name>\S+): expected at least one argument", "args.expected_some"),
        (r"argument (?P<name>\S+): invalid (?:float|int) value: (?P<value>.+)", "args.not_number"),
        (r"argument (?P<name>\S+): invalid \S+ value: (?P<value>.+)", "args.invalid_value"),
        (r"argument (?P<name>\S+): ignored explicit argument (?P<value>.+)", "args.no_value"),
        (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)", "args.ambiguous"),
    )
)
HEADINGS = {
    "positional arguments": "args.heading.positional",
    "options": "args.heading.options",
    "optional arguments": "args.heading.options",  # Python before 3.10
}


def argparse_message(language: str, message: str) -> str:
    """One of argparse's English error messages in `language` (unchanged if unknown)."""
    for pattern, key in ARGPARSE_ERRORS:
        found = pattern.fullmatch(message)
        if found:
            return text(language, key, **found.groupdict())
    return message


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the docstring's line breaks; says "usage" and the headings in `language`."""

    def __init__(self, prog: str, *, language: str) -> None:
        super().__init__(prog)
        self.language = language

    def add_usage(
        self,
        usage: str | None,
        actions: object,
        groups: object,
        prefix: str | None = None,
    ) -> None:
        prefix = text(self.language, "args.usage") + " "
        super().add_usage(usage, actions, groups, prefix)  # type: ignore[arg-type]

    def start_section(self, heading: str | None) -> None:
        key = HEADINGS.get(heading or "")
        super().start_section(text(self.language, key) if key else heading)

    def _split_lines(self, text: str, width: int) -> list[str]:
        """Option helps wrapped by display width: Japanese takes two columns a character
        and may break between any two (textwrap counts characters and breaks at spaces)."""
        if self.language != "ja":
            return super()._split_lines(text, width)
        return wrap_columns(" ".join(text.split()), width)


# Runs kept whole when wrapping Japanese: words, numbers, options, paths.
UNBREAKABLE = re.compile(r"[!-~]+|\s+|.")
NOT_LINE_START = set("、。，．）」』】,.):;")


def wrap_columns(shown: str, width: int) -> list[str]:
    """`shown` in lines of at most `width` columns where it can: breaks between Japanese
    characters or at spaces, never before closing punctuation (kinsoku)."""
    lines: list[str] = []
    line = ""
    for piece in UNBREAKABLE.findall(shown):
        fits = display_width(line + piece) <= width
        if piece.isspace() and not fits:
            continue  # the line breaks here, or closing punctuation follows without it
        if fits or not line.strip() or piece[0] in NOT_LINE_START:
            line += piece
            continue
        lines.append(line.rstrip())
        line = piece.lstrip()
    if line.strip():
        lines.append(line.rstrip())
    return lines


class Parser(argparse.ArgumentParser):
    """The parser of `credit-guard COMMAND`: help and usage errors in `language`.

    In Japanese the description is HELP_JA[command] and each option's help is
    HELP_JA[help_key(...)]; one missing keeps its English (tests/test_cli_language.py
    fails on it).
    """

    def __init__(self, *, command: str, language: str, description: str) -> None:
        self.command = command
        self.language = language
        if language == "ja":
            description = HELP_JA.get(command, description)
        super().__init__(
            prog=f"credit-guard {command}",
            description=description,
            formatter_class=functools.partial(Formatter, language=language),
            add_help=False,
        )
        self.add_argument("-h", "--help", action="help", help=text(language, "args.help"))

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        action = super().add_argument(*args, **kwargs)
        translated = action.help not in (None, argparse.SUPPRESS) and action.dest != "help"
        if self.language == "ja" and translated:
            action.help = HELP_JA.get(help_key(self.command, action), action.help)
        return action

    def parse_known_intermixed_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if self.usage is None:  # else argparse cuts len("usage: ") off the front of ours
            prefix = text(self.language, "args.usage") + " "
            self.usage = self.format_usage().removeprefix(prefix).rstrip()
        return super().parse_known_intermixed_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        said = argparse_message(self.language, message)
        self.exit(2, text(self.language, "args.error", prog=self.prog, message=said) + "\n")


def help_key(command: str, action: argparse.Action) -> str:
    """The key of an option's Japanese help: "status --json", "forget account"."""
    return f"{command} {action.option_strings[-1] if action.option_strings else action.dest}"
