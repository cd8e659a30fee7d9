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

from native_host.i18n import duration, number, text
from native_host.ledger.tally import OTHER_DEVICES
from native_host.local import CommandError, RequestFailed, local_client


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--account", help="only this account (e-mail)")
    parser.add_argument("--json", action="store_true", help="print the status reply as JSON")


def run(args: argparse.Namespace) -> int:
    try:
        with local_client() as client:
            fields = {"account": client.email_account(args.account)} if args.account else {}
            reply = client.call("status", **fields)
    except (CommandError, RequestFailed) as error:
        print(f"credit-guard status: {error}")
        return 2
    if args.json:
        print(json.dumps(reply, indent=2, ensure_ascii=False))
        return 0
    if not reply["accounts"]:
        print("No Genspark account seen yet: open genspark.ai with the extension loaded,")
        print("or record usage by hand with `credit-guard log`.")
        return 0
    for tally in reply["accounts"]:
        print_tally(tally, reply["devices"])
    return 0


def _when(instant: str, now: datetime) -> str:
    moment = datetime.fromisoformat(instant)
    local = moment.astimezone()
    return f"in {duration('en', (moment - now).total_seconds())} ({local:%Y-%m-%d %H:%M %Z})"


def _pace(pace: dict[str, Any], now: datetime) -> str:
    """`pace` (docs/PROTOCOL.md) in words: "out around 15:40, 3 h before the reset"."""
    outlook = pace["outlook"]
    if outlook == "early":
        return "too early in the period to tell"
    if outlook == "out":
        return "no credits left"
    rate = f"{number(pace['per_hour'])} credits an hour"
    if outlook == "lasts":
        return f"lasts until the reset ({rate})" if pace["per_hour"] else "lasts until the reset"
    moment = datetime.fromisoformat(pace["runs_out_at"])
    local = moment.astimezone()
    clock = f"{local:%H:%M}" if moment - now < timedelta(days=1) else f"{local:%Y-%m-%d %H:%M}"
    before = duration("en", pace["before_reset_seconds"])
    return f"out around {clock}, {before} before the reset ({rate})"


def _over(tally: dict[str, Any]) -> str:
    """What follows "0 of 100" once usage passed the period's credits (allowance plus
    top-ups, PROTOCOL.md): ", over by 107.5"; else nothing. `remaining` stops at 0."""
    over = tally["used"]["total"] - tally["allowance"] - tally.get("topped_up", 0)
    if round(over, 1) <= 0:
        return ""
    return ", " + text("en", "cli.status.over_by", n=number(over))


def print_tally(tally: dict[str, Any], devices: dict[str, str]) -> None:
    """A tally as a few aligned lines for a terminal."""
    now = datetime.now(UTC)
    used = tally["used"]
    allowance = tally["allowance"]
    start = datetime.fromisoformat(tally["period"]["start"]).astimezone()
    rows = [
        ("Account", tally["account"]),
        (
            "Plan",
            f"{tally['plan']} ({number(allowance)} credits, period from {start:%Y-%m-%d %H:%M})",
        ),
        ("Remaining", f"{number(tally['remaining'])} of {number(allowance)}" + _over(tally)),
        ("Used", number(used["total"])),
    ]
    by_device = [
        f"{'other devices' if d == OTHER_DEVICES else devices.get(d, d[:8])} {number(c)}"
        for d, c in sorted(used["by_device"].items(), key=lambda item: -item[1])
    ]
    if by_device:
        rows.append(("  by device", ", ".join(by_device)))
    by_operation = [
        f"{op} {number(c)}" for op, c in sorted(used["by_operation"].items(), key=lambda i: -i[1])
    ]
    if by_operation:
        rows.append(("  by operation", ", ".join(by_operation)))
    if tally.get("observed_balance") is not None:
        seen = datetime.fromisoformat(tally["observed_at"]).astimezone()
        rows.append(("Site balance", f"{number(tally['observed_balance'])} at {seen:%H:%M}"))
    if "pace" in tally:  # status replies carry it, usage replies (`log`) do not
        rows.append(("At this pace", _pace(tally["pace"], now)))
    rows.append(("Credits return", _when(tally["reset_at"], now)))
    for name, window in tally.get("windows", {}).items():
        if window.get("reset_at"):
            rows.append(
                (
                    f"{name} window",
                    f"{number(window['balance'])} left, resets " + _when(window["reset_at"], now),
                )
            )
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print()
