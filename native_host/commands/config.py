"""Show or change settings, per account or global.

Per account, with --account: plan, allowance, period, reset_time (UTC HH:MM),
billing_day, reserve (percent). Global, without it: language, confirm_before_heavy,
notifications, notify_thresholds, alternatives, reset_nudge (a reminder before a daily
reset that would leave many credits unused).

Values are JSON when they parse as JSON, else plain text. Changes sync to your other
devices like usage does.

Examples:
  credit-guard config get --account me@example.com
  credit-guard config set --account me@example.com plan=plus billing_day=15
  credit-guard config set language=ja notify_thresholds=[50,20,5]
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from native_host.i18n import plain_number
from native_host.local import CommandError, RequestFailed, local_client


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("get", "set"))
    parser.add_argument("settings", nargs="*", metavar="NAME=VALUE", help="with set")
    parser.add_argument("--account", help="the Genspark account (e-mail)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def parse_setting(text: str) -> tuple[str, Any]:
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise ValueError(f"expected NAME=VALUE, got {text!r}")
    try:
        return name, json.loads(raw)
    except json.JSONDecodeError:
        return name, raw


def run(args: argparse.Namespace) -> int:
    fields: dict[str, Any] = {}
    try:
        if args.action == "get" and args.settings:
            raise ValueError("get takes no NAME=VALUE")
        fields.update(parse_setting(text) for text in args.settings)
        with local_client() as client:
            if args.account:
                fields["account"] = client.email_account(args.account)
            reply = client.call(f"config.{args.action}", **fields)
    except (ValueError, CommandError, RequestFailed) as error:
        print(f"credit-guard config: {error}")
        return 2
    effective = {key: reply[key] for key in ("global", "account") if key in reply}
    if args.json:
        print(json.dumps(effective, indent=2, ensure_ascii=False))
        return 0
    for section, values in effective.items():
        print(f"[{section}]")
        for name, value in values.items():
            print(f"  {name} = {_shown(value)}")
    return 0


def _shown(value: Any) -> str:
    """A value as JSON, its numbers as people write them ("20", not "20.0")."""
    if isinstance(value, float):
        return plain_number(value)
    if isinstance(value, list):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)
