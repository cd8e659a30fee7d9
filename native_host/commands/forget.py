"""Forget an account: a mistyped one, or one you no longer use.

Its usage, balance readings and settings recorded so far disappear from `status`, the
popup and the tally. Forgetting is an event that syncs, so the account does not come
back from another device's copy; usage recorded after it starts the account afresh.
Asks for confirmation unless given --yes; exit status 1 when the answer is no.

Example:
  credit-guard forget me@exmaple.com
  credit-guard forget --yes old@example.com
"""

from __future__ import annotations

import argparse

from native_host.accounts import normalize_account
from native_host.local import CommandError, RequestFailed, local_client


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("account", metavar="ACCOUNT", help="the account, as status shows it")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def run(args: argparse.Namespace) -> int:
    try:
        with local_client() as client:
            account = normalize_account(args.account)
            known = client.call("status")["accounts"]
            names = [tally["account"] for tally in known]
            if account not in names:
                listed = ", ".join(names) or "—"
                raise CommandError(
                    client.text("cli.forget.unknown", account=account, accounts=listed)
                )
            question = client.text("cli.forget.confirm", account=account)
            if not args.yes and not confirmed(question, client.text("cli.forget.prompt")):
                print(client.text("cli.forget.kept"))
                return 1
            client.call("forget", account=account)
            print(client.text("cli.forget.done", account=account))
    except (CommandError, RequestFailed) as error:
        print(f"credit-guard forget: {error}")
        return 2
    return 0


def confirmed(question: str, prompt: str) -> bool:
    """True when the user answers y or yes (no input, as from a closed stdin, is no)."""
    print(question)
    try:
        answer = input(f"{prompt} ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")
