"""Answer requests in-process: the CLI speaks the browser's protocol, without the pipes.

Going through `dispatch.handle_body` means the CLI gets the same validation, the same
errors and the same commit-before-answer as the extension does.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from native_host import PROTOCOL_VERSION, paths
from native_host.accounts import is_email, normalize_account
from native_host.context import Context
from native_host.dispatch import encode, handle_body
from native_host.i18n import LANGUAGES, text
from native_host.ledger.store import Ledger
from native_host.tallies import Tallies


class RequestFailed(Exception):
    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(f"{error['code']}: {error['message']}")
        self.error = error


class CommandError(Exception):
    """A message for the user, already in their language; the command exits with 2."""


class LocalClient:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def call(self, kind: str, **fields: Any) -> dict[str, Any]:
        """The ok reply to one request; raises RequestFailed with the error otherwise."""
        request = {"v": PROTOCOL_VERSION, "id": str(uuid.uuid4()), "type": kind, **fields}
        reply: dict[str, Any] = json.loads(handle_body(encode(request), self.ctx))
        if not reply["ok"]:
            raise RequestFailed(reply["error"])
        return reply

    def language(self) -> str:
        """The language chosen with `config set language=…`, else the terminal's."""
        configured = self.ctx.tallies.global_config().language
        return configured if configured in LANGUAGES else environment_language()

    def text(self, key: str, **params: object) -> str:
        """A catalog text (native_host/i18n.py) in the user's language."""
        return text(self.language(), key, **params)

    def email_account(self, given: str) -> str:
        """The account as the ledger spells it; CommandError unless it is an e-mail."""
        account = normalize_account(given)
        if not is_email(account):
            raise CommandError(self.text("cli.not_email", account=repr(given)))
        return account


def environment_language() -> str:
    """Japanese when the terminal's locale is (LC_ALL, LC_MESSAGES, LANG), else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


@contextmanager
def local_client() -> Iterator[LocalClient]:
    ledger = Ledger(paths.ledger_path())
    try:
        yield LocalClient(Context(Tallies(ledger)))
    finally:
        ledger.close()
