"""Show or change settings, per account or global.

`config` alone, or `config get`, shows every setting; `config get NAME…` only those;
`config set NAME=VALUE…` changes them (`get` and `set` may be left out: a NAME=VALUE
means set). Per-account settings need --account, global ones come without it. The
reset time is entered and shown in your local time, and kept in UTC. Changes sync to
your other devices like usage does. Every setting, its accepted values and its default
are listed below.

Examples:
  credit-guard config
  credit-guard config get --account me@example.com billing_day
  credit-guard config set --account me@example.com plan=plus billing_day=15
  credit-guard config set --account me@example.com reset_time=9:00
  credit-guard config set language=ja confirm_before_heavy=no notify_thresholds=50,20,5
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, get_args

from native_host.cli_input import (
    InputError,
    local,
    read_bool,
    read_choice,
    read_number,
    read_numbers,
    read_reset_time,
    show_reset_time,
    zone_label,
)
from native_host.cli_parser import Parser
from native_host.config import AccountConfig, GlobalConfig
from native_host.i18n import plain_number, text
from native_host.local import CommandError, LocalClient, RequestFailed, local_client
from native_host.messages import MAX_BALANCE, Alternative, PlanName

PLANS: tuple[str, ...] = get_args(PlanName)
CLEAR_WORDS = frozenset({"plan", "null", "none", "default"})  # back to the plan's figure


def _choice(choices: tuple[str, ...], *, clearable: bool = False) -> Callable[[str], Any]:
    """A reader of one of `choices`; with `clearable`, "plan" goes back to the plan's."""

    def read(value: str) -> Any:
        if clearable and value.strip().lower() in CLEAR_WORDS:
            return None
        return read_choice(value, (*choices, "plan") if clearable else choices)

    return read


def _allowance(value: str) -> float | None:
    if value.strip().lower() in CLEAR_WORDS:
        return None
    return read_number(value, 1, MAX_BALANCE)


def _thresholds(value: str) -> list[int]:
    try:
        return [int(n) for n in read_numbers(value, 1, 99, whole=True, most=10)]
    except InputError:
        raise InputError("input.thresholds", value=value) from None


def _alternatives(value: str) -> Any:
    """A JSON list of {"name", "url"} objects, checked as the protocol checks them."""
    try:
        found = json.loads(value)
        if not isinstance(found, list):
            raise ValueError(value)
        return [Alternative.model_validate(item).model_dump() for item in found]
    except ValueError:  # pydantic's ValidationError and JSONDecodeError are ValueErrors
        raise InputError("input.alternatives", value=value) from None


def _timeless(read: Callable[[str], Any]) -> Callable[[str, datetime], Any]:
    """A reader of a value that does not depend on the time of day."""
    return lambda value, _now: read(value)


@dataclass(frozen=True)
class Setting:
    per_account: bool
    read: Callable[[str, datetime], Any]  # (what was typed, now in local time) -> value
    example: str  # a value `set` accepts, for the messages that show one


# Per-account first, then global; the order of `config --help` and of `config get`.
SETTINGS: dict[str, Setting] = {
    "plan": Setting(True, _timeless(_choice(PLANS)), "plus"),
    "allowance": Setting(True, _timeless(_allowance), "200"),
    "period": Setting(True, _timeless(_choice(("day", "month"), clearable=True)), "day"),
    "reset_time": Setting(True, lambda value, now: read_reset_time(value, now, None), "9:00"),
    "billing_day": Setting(True, _timeless(lambda v: read_number(v, 1, 31, whole=True)), "15"),
    "reserve": Setting(True, _timeless(lambda value: read_number(value, 0, 100)), "20"),
    "language": Setting(False, _timeless(_choice(("auto", "en", "ja"))), "ja"),
    "confirm_before_heavy": Setting(False, _timeless(read_bool), "no"),
    "notifications": Setting(False, _timeless(read_bool), "yes"),
    "notify_thresholds": Setting(False, _timeless(_thresholds), "50,20,10"),
    "alternatives": Setting(False, _timeless(_alternatives), "[]"),
    "reset_nudge": Setting(False, _timeless(read_bool), "yes"),
}


def add_arguments(parser: Parser) -> None:
    parser.add_argument(
        "words", nargs="*", metavar="[get|set] NAME[=VALUE]", help="what to show or change"
    )
    parser.add_argument("--account", help="the Genspark account (e-mail)")
    parser.add_argument("--json", action="store_true", help="print JSON (reset_time in UTC)")
    parser.epilog = settings_help(parser.language, datetime.now().astimezone())


def shown(language: str, name: str, value: Any, now: datetime) -> str:
    """A setting's value as people read it (and as `set` accepts it back)."""
    if value is None:
        return text(language, "cli.config.plan_figure")
    if name == "reset_time":
        moment = show_reset_time(value, now, None)
        return text(
            language,
            "cli.config.reset_time_shown",
            local=f"{moment:%H:%M}",
            zone=zone_label(moment),
            utc=value,
        )
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return plain_number(value)
    if name == "notify_thresholds":
        return ",".join(str(n) for n in value)
    if name == "alternatives":
        return ", ".join(item["name"] for item in value)
    return str(value)


_WIDE = "\u3000-\u30ff\u3400-\u9fff\uff00-\uffef"  # Japanese: kana, kanji, full-width forms
_TOKENS = re.compile(f"[{_WIDE}]|[^\\s{_WIDE}]+\\s*|\\s+")


def wrap(line: str, columns: int) -> list[str]:
    """`line` in lines of at most `columns` terminal columns: broken at spaces, and in
    Japanese between any two characters but before closing punctuation (禁則)."""
    lines, current = [], ""
    for token in _TOKENS.findall(line):
        fits = _columns(current + token.rstrip()) <= columns or token[0] in "。、）」"
        if current.strip() and not fits:
            lines.append(current.rstrip())
            current = ""
        current += token if current else token.lstrip()
    return [*lines, current.rstrip()]


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def settings_help(language: str, now: datetime) -> str:
    """Every setting: its meaning, accepted values and default, in `language`."""
    defaults = {
        **AccountConfig().model_dump(mode="json"),
        **GlobalConfig().model_dump(mode="json"),
    }
    params = {"plans": ", ".join(PLANS), "zone": zone_label(local(now, None))}
    lines: list[str] = []
    for per_account in (True, False):
        heading = "cli.config.help_account" if per_account else "cli.config.help_global"
        lines += ["", text(language, heading)]
        for name, setting in SETTINGS.items():
            if setting.per_account != per_account:
                continue
            meaning = text(language, f"setting.{name}", **params)
            default = text(
                language,
                "cli.config.help_default",
                value=shown(language, name, defaults[name], now),
            )
            body = wrap(meaning + text(language, "sentence_separator") + default, 66)
            lines.append(f"  {name:<21}{body[0]}")
            lines += [f"  {'':<21}{line}" for line in body[1:]]
    return "\n".join(lines).lstrip("\n")


def parse_words(words: list[str]) -> tuple[str, list[str]]:
    """(action, its arguments): `get`/`set` when given, else set when a NAME=VALUE is."""
    if words and words[0] in ("get", "set"):
        return words[0], words[1:]
    return ("set" if any("=" in word for word in words) else "get"), words


def check_names(client: LocalClient, action: str, names: list[str], account: str | None) -> None:
    unknown = [name for name in names if name not in SETTINGS]
    if unknown:
        raise CommandError(
            client.text("cli.config.unknown_setting", name=unknown[0], names=", ".join(SETTINGS))
        )
    per_account = [name for name in names if SETTINGS[name].per_account]
    if per_account and account is None:
        name = per_account[0]
        example = f"{action} --account me@example.com {name}"
        if action == "set":
            example += f"={SETTINGS[name].example}"
        raise CommandError(
            client.text("cli.config.needs_account", names=", ".join(per_account), example=example)
        )
    shared = [name for name in names if not SETTINGS[name].per_account]
    if shared and account is not None and action == "set":  # get shows both sections
        raise CommandError(client.text("cli.config.global_setting", names=", ".join(shared)))


def read_settings(client: LocalClient, assignments: list[str], now: datetime) -> dict[str, Any]:
    """The NAME=VALUE words as the values `config.set` takes; CommandError in plain words."""
    fields: dict[str, Any] = {}
    for word in assignments:
        name, sep, value = word.partition("=")
        if not sep or not name:
            raise CommandError(client.text("cli.config.not_assignment", text=word))
        name = name.strip()
        if name in SETTINGS:
            try:
                fields[name] = SETTINGS[name].read(value, now)
            except InputError as error:
                reason = client.text(error.key, **error.params)
                raise CommandError(f"{name}: {reason}") from None
        else:
            fields[name] = value  # check_names says it is no setting
    return fields


def run(args: argparse.Namespace) -> int:
    now = datetime.now().astimezone()
    try:
        with local_client() as client:
            action, rest = parse_words(args.words)
            account = client.email_account(args.account) if args.account else None
            if action == "get":
                assignment = next((word for word in rest if "=" in word), None)
                if assignment is not None:
                    raise CommandError(client.text("cli.config.get_names", text=assignment))
                names = rest
                check_names(client, action, names, account)
                fields: dict[str, Any] = {}
            else:
                fields = read_settings(client, rest, now)
                names = list(fields)
                check_names(client, action, names, account)
            if account is not None:
                fields["account"] = account
            reply = client.call(f"config.{action}", **fields)
            language = client.language()
    except (CommandError, RequestFailed) as error:
        print(f"credit-guard config: {error}")
        return 2
    effective = {key: reply[key] for key in ("global", "account") if key in reply}
    if action == "get" and names:
        effective = {
            section: {name: value for name, value in values.items() if name in names}
            for section, values in effective.items()
        }
        effective = {section: values for section, values in effective.items() if values}
    if args.json:
        print(json.dumps(effective, indent=2, ensure_ascii=False))
        return 0
    for section, values in effective.items():
        print(f"[{section}]")
        for name, value in values.items():
            if name in SETTINGS:
                print(f"  {name} = {shown(language, name, value, now)}")
            else:  # the account, and which settings were learned from the site
                print(f"  {name} = {json.dumps(value, ensure_ascii=False)}")
    return 0
