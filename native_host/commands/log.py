"""Record usage done where the extension cannot see it (a phone, the app), or undo an entry.

The event counts once, syncs like any other, and lowers the remaining credits at once.
`log` prints the id of the event it recorded; `log --undo EVENT_ID` takes that usage
back with a compensating event that syncs too: it no longer counts in the tally, the
history or the learned costs. Exit status 1 when the event was already undone.

Examples:
  credit-guard log --account me@example.com --operation image --credits 5
  credit-guard log --undo 3f2b8c1e-5d4a-4f6b-9c7d-1e2f3a4b5c6d
"""

from __future__ import annotations

import argparse
import uuid
from datetime import UTC, datetime
from typing import Any

from native_host.commands.status import print_tally
from native_host.errors import ErrorCode
from native_host.local import CommandError, LocalClient, RequestFailed, local_client
from native_host.messages import OPERATIONS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--account", help="the Genspark account (e-mail)")
    parser.add_argument("--operation", choices=OPERATIONS)
    parser.add_argument("--credits", type=float, help="what it cost, if known")
    parser.add_argument("--model", help="the model used, if known")
    parser.add_argument(
        "--at", help="when, RFC 3339 (default: now), e.g. 2026-11-24T09:30:00+09:00"
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
    fields: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "account": account,
        "operation": args.operation,
        "at": args.at or datetime.now(UTC).isoformat(),
        "source": "manual",
    }
    if args.credits is not None:
        fields["credits"] = args.credits
    if args.model:
        fields["model"] = args.model
    reply = client.call("usage", **fields)
    names = client.call("status", account=account)["devices"]
    operation = client.text(f"op.{args.operation}")
    event_id = fields["event_id"]
    print(client.text("cli.log.recorded", operation=operation, account=account, event_id=event_id))
    print(client.text("cli.log.undo_hint", event_id=event_id))
    print_tally(reply["tally"], names)
    return 0


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
