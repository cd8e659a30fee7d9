"""Show each Genspark account's credits: used, remaining, and when they come back.

Per account: the plan, the credits used this period (by device and by operation), the
remaining credits, the pace of the period (whether the credits last until the reset at
that pace, else when they run out, in local time), and when they return.

Example:
  credit-guard status
  credit-guard status --account me@example.com --json
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from native_host.i18n import credits, display_width, duration, number, text
from native_host.ledger.tally import OTHER_DEVICES
from native_host.local import CommandError, RequestFailed, cli_language, local_client


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--account", help="only this account (e-mail)")
    parser.add_argument("--json", action="store_true", help="print the status reply as JSON")


def run(args: argparse.Namespace) -> int:
    try:
        with local_client() as client:
            language = client.language()
            fields = {"account": client.email_account(args.account)} if args.account else {}
            reply = client.call("status", **fields)
    except (CommandError, RequestFailed) as error:
        print(f"credit-guard status: {error}")
        return 2
    if args.json:
        print(json.dumps(reply, indent=2, ensure_ascii=False))
        return 0
    if not reply["accounts"]:
        print(text(language, "status.no_account"))
        return 0
    for tally in reply["accounts"]:
        print_tally(tally, reply["devices"], language)
    return 0


def _when(language: str, instant: str, now: datetime) -> str:
    """An instant as "in 3 h 20 min (2026-11-24 09:00 JST)", in local time."""
    moment = datetime.fromisoformat(instant)
    local = moment.astimezone()
    return text(
        language,
        "reset.in",
        duration=duration(language, (moment - now).total_seconds()),
        clock=f"{local:%Y-%m-%d %H:%M %Z}",
    )


def _pace(language: str, pace: dict[str, Any], now: datetime) -> str:
    """`pace` (docs/PROTOCOL.md) in words: "out around 15:40, 3 h before the reset"."""
    outlook = pace["outlook"]
    if outlook in ("early", "out"):
        return text(language, f"status.pace.{outlook}")
    rate = text(language, "status.pace.rate", credits=credits(language, pace["per_hour"]))
    if outlook == "lasts":
        if pace["per_hour"]:
            return text(language, "status.pace.lasts_at", rate=rate)
        return text(language, "status.pace.lasts")
    moment = datetime.fromisoformat(pace["runs_out_at"])
    local = moment.astimezone()
    clock = f"{local:%H:%M}" if moment - now < timedelta(days=1) else f"{local:%Y-%m-%d %H:%M}"
    before = duration(language, pace["before_reset_seconds"])
    return text(language, "status.pace.runs_out", clock=clock, before=before, rate=rate)


def _over(language: str, tally: dict[str, Any]) -> str:
    """What follows "0 of 100" once usage passed the period's credits (allowance plus
    top-ups, PROTOCOL.md): ", over by 107.5"; else nothing. `remaining` stops at 0."""
    over = tally["used"]["total"] - tally["allowance"] - tally.get("topped_up", 0)
    if round(over, 1) <= 0:
        return ""
    return text(language, "cli.status.over_by", n=number(over))


def _operation(language: str, operation: str) -> str:
    """An operation's name for people; a kind this version does not know, as recorded."""
    try:
        return text(language, f"op.{operation}")
    except KeyError:
        return operation


def _window(language: str, name: str) -> str:
    try:
        return text(language, f"window.{name}")
    except KeyError:
        return name


def print_tally(
    tally: dict[str, Any], devices: dict[str, str], language: str | None = None
) -> None:
    """A tally as a few aligned lines for a terminal, in `language` (default: the CLI's)."""
    language = language or cli_language()
    now = datetime.now(UTC)
    used = tally["used"]
    allowance = tally["allowance"]
    start = datetime.fromisoformat(tally["period"]["start"]).astimezone()

    def label(key: str) -> str:
        return text(language, f"status.label.{key}")

    rows = [
        (label("account"), tally["account"]),
        (
            label("plan"),
            text(
                language,
                "status.plan",
                plan=tally["plan"],
                allowance=credits(language, allowance),
                start=f"{start:%Y-%m-%d %H:%M}",
            ),
        ),
        (
            label("remaining"),
            text(
                language,
                "status.remaining",
                remaining=number(tally["remaining"]),
                allowance=number(allowance + tally.get("topped_up", 0)),  # the popup's "of N"
            )
            + _over(language, tally),
        ),
        (label("used"), number(used["total"])),
    ]
    other_devices = text(language, "status.other_devices")
    by_device = [
        f"{other_devices if d == OTHER_DEVICES else devices.get(d, d[:8])} {number(c)}"
        for d, c in sorted(used["by_device"].items(), key=lambda item: -item[1])
    ]
    if by_device:
        rows.append(("  " + label("by_device"), ", ".join(by_device)))
    by_operation = [
        f"{_operation(language, op)} {number(c)}"
        for op, c in sorted(used["by_operation"].items(), key=lambda i: -i[1])
    ]
    if by_operation:
        rows.append(("  " + label("by_operation"), ", ".join(by_operation)))
    if tally.get("observed_balance") is not None:
        seen = datetime.fromisoformat(tally["observed_at"]).astimezone()
        balance = number(tally["observed_balance"])
        rows.append(
            (
                label("site_balance"),
                text(language, "status.site_balance", balance=balance, time=f"{seen:%H:%M}"),
            )
        )
    if "pace" in tally:  # status replies carry it, usage replies (`log`) do not
        rows.append((label("pace"), _pace(language, tally["pace"], now)))
    rows.append((label("credits_return"), _when(language, tally["reset_at"], now)))
    for name, window in tally.get("windows", {}).items():
        if window.get("reset_at"):
            rows.append(
                (
                    text(language, "status.label.window", window=_window(language, name)),
                    text(
                        language,
                        "status.window",
                        balance=number(window["balance"]),
                        reset=_when(language, window["reset_at"], now),
                    ),
                )
            )
    width = max(display_width(label) for label, _ in rows)
    for name, value in rows:
        print(f"{name}{' ' * (width - display_width(name))}  {value}")
    print()
