"""Record usage done where the extension cannot see it (a phone, the app).

The event counts once, syncs like any other, and lowers the remaining credits at once.

Example:
  credit-guard log --account me@example.com --operation image --credits 5
"""

from __future__ import annotations

import argparse
import uuid
from datetime import UTC, datetime

from native_host.commands.status import print_tally
from native_host.local import RequestFailed, local_client
from native_host.messages import OPERATIONS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--account", required=True, help="the Genspark account (e-mail)")
    parser.add_argument("--operation", required=True, choices=OPERATIONS)
    parser.add_argument("--credits", type=float, help="what it cost, if known")
    parser.add_argument("--model", help="the model used, if known")
    parser.add_argument(
        "--at", help="when, RFC 3339 (default: now), e.g. 2026-11-24T09:30:00+09:00"
    )


def run(args: argparse.Namespace) -> int:
    fields = {
        "event_id": str(uuid.uuid4()),
        "account": args.account,
        "operation": args.operation,
        "at": args.at or datetime.now(UTC).isoformat(),
        "source": "manual",
    }
    if args.credits is not None:
        fields["credits"] = args.credits
    if args.model:
        fields["model"] = args.model
    try:
        with local_client() as client:
            reply = client.call("usage", **fields)
            names = client.call("status", account=args.account)["devices"]
    except RequestFailed as error:
        print(f"credit-guard log: {error}")
        return 2
    print(f"Recorded {args.operation} for {args.account}.")
    print_tally(reply["tally"], names)
    return 0
