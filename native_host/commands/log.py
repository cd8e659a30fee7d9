"""Record usage done where the extension cannot see it (a phone, the app), or undo an entry.

The event counts once, syncs like any other, and lowers the remaining credits at once.
`log` says what it counted: the --credits given, else an estimate (learned from your
earlier usage, or Credit Guard's default), and whether the time given (--at, your local
time unless it names a zone; not in the future) falls in the current period. It prints
the id of the event it recorded; `log --undo EVENT_ID` takes that usage back with a
compensating event that syncs too: it no longer counts in the tally, the history or the
learned costs. Exit status 1 when the event was already undone.

Examples:
  credit-guard log --account me@example.com --operation image --credits 5
  credit-guard log --account me@example.com --operation video --at "2026-11-24 21:30"
  credit-guard log --undo 3f2b8c1e-5d4a-4f6b-9c7d-1e2f3a4b5c6d
"""

from __future__ import annotations

import argparse
import uuid
from datetime import UTC, datetime
from typing import Any

from native_host.cli_input import InputError, local, read_instant, read_number
from native_host.commands.status import print_tally
from native_host.errors import ErrorCode
from native_host.i18n import credits
from native_host.local import CommandError, LocalClient, RequestFailed, local_client
from native_host.messages import MAX_CREDITS, OPERATIONS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--account", help="the Genspark account (e-mail)")
    parser.add_argument("--operation", choices=OPERATIONS)
    parser.add_argument("--credits", help="what it cost, if known (else an estimate counts)")
    parser.add_argument("--model", help="the model used, if known")
    parser.add_argument(
        "--at",
        help=(
            "when, in local time unless a zone is given (default: now),"
            " e.g. '2026-11-24 09:30', 09:30 (today) or 2026-11-24T09:30:00+09:00"
        ),
    )
    parser.add_argument(
        "--undo", metavar="EVENT_ID", help="take back the usage event with this id instead"
    )


def run(args: argparse.Namespace) -> int:
    try:
        with local_client() as client:
            return undo(client, args) if args.undo else record(client, args)
    except (CommandError, RequestFailed) as error:
        print(f"credit-guard log: {error}")
        return 2


def record(client: LocalClient, args: argparse.Namespace) -> int:
    if not (args.account and args.operation):
        raise CommandError(client.text("cli.log.needs"))
    account = client.email_account(args.account)
    now = datetime.now(UTC)
    try:
        at = now if args.at is None else read_instant(args.at, now, None)
        cost = None if args.credits is None else read_number(args.credits, 0, MAX_CREDITS)
    except InputError as error:
        raise CommandError(client.text(error.key, **error.params)) from None
    fields: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "account": account,
        "operation": args.operation,
        "at": at.isoformat(),
        "source": "manual",
    }
    if cost is not None:
        fields["credits"] = cost
    if args.model:
        fields["model"] = args.model
    counted = counted_text(client, fields)  # before the event: the estimate it counts at
    reply = client.call("usage", **fields)
    names = client.call("status", account=account)["devices"]
    operation = client.text(f"op.{args.operation}")
    event_id = fields["event_id"]
    print(client.text("cli.log.recorded", operation=operation, account=account, event_id=event_id))
    print(counted)
    start = datetime.fromisoformat(reply["tally"]["period"]["start"])
    if at < start:
        print(
            client.text(
                "cli.log.earlier_period",
                at=f"{local(at, None):%Y-%m-%d %H:%M}",
                start=f"{local(start, None):%Y-%m-%d %H:%M}",
            )
        )
    print(client.text("cli.log.undo_hint", event_id=event_id))
    print_tally(reply["tally"], names)
    return 0


def counted_text(client: LocalClient, usage: dict[str, Any]) -> str:
    """What the usage counts: the credits given, else the estimate `preflight` gives
    (the one the tally uses until a balance reading settles the operation)."""
    language = client.language()
    operation = client.text(f"op.{usage['operation']}")
    if "credits" in usage:
        return client.text("cli.log.counted", credits=credits(language, usage["credits"]))
    fields = {name: usage[name] for name in ("account", "operation", "model") if name in usage}
    advice = client.call("preflight", **fields)
    amount = credits(language, advice["estimated_cost"])
    if advice["estimate_source"] == "plan":
        return client.text("cli.log.free_on_plan", operation=operation)
    if advice["estimate_source"] == "learned":
        return client.text(
            "cli.log.estimated_learned",
            credits=amount,
            operation=operation,
            samples=advice["estimate_samples"],
        )
    return client.text("cli.log.estimated_default", credits=amount, operation=operation)


def undo(client: LocalClient, args: argparse.Namespace) -> int:
    given = (args.account, args.operation, args.credits, args.model, args.at)
    if any(value is not None for value in given):
        raise CommandError(client.text("cli.log.undo_alone"))
    try:
        reply = client.call("undo", event_id=args.undo)
    except RequestFailed as error:
        if error.error["code"] not in (ErrorCode.UNKNOWN_EVENT, ErrorCode.INVALID):
            raise
        raise CommandError(client.text("cli.log.unknown_event", event_id=args.undo)) from None
    undone = reply["undone"]
    if reply["duplicate"]:
        print(client.text("cli.log.already_undone", event_id=undone["event_id"]))
        return 1
    names = client.call("status", account=undone["account"])["devices"]
    at = datetime.fromisoformat(undone["at"]).astimezone()
    print(
        client.text(
            "cli.log.undone",
            operation=client.text(f"op.{undone['operation']}"),
            account=undone["account"],
            at=f"{at:%Y-%m-%d %H:%M}",
            event_id=undone["event_id"],
        )
    )
    print_tally(reply["tally"], names)
    return 0
