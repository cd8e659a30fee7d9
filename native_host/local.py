"""Answer requests in-process: the CLI speaks the browser's protocol, without the pipes.

Going through `dispatch.handle_body` means the CLI gets the same validation, the same
errors and the same commit-before-answer as the extension does.

Also the one place the CLI learns the user's language (`cli_language`): every command
prints catalog texts in it (`LocalClient.text`, or i18n.text), never an English literal.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from native_host import PROTOCOL_VERSION, paths
from native_host.accounts import is_email, normalize_account
from native_host.context import Context, system_language
from native_host.dispatch import encode, handle_body
from native_host.errors import HostError
from native_host.i18n import LANGUAGES, text
from native_host.ledger.store import open_ledger

_chosen_language: str | None = None  # --lang, given to choose_language by cli.main


def choose_language(language: str | None) -> None:
    """Make `language` the CLI's language for this run (None: the setting decides)."""
    global _chosen_language
    _chosen_language = language


def cli_language(ctx: Context | None = None) -> str:
    """The language of everything the CLI prints: --lang, else `config set language=…`,
    else the system's (context.system_language) when the setting is "auto".

    Reads the setting through `ctx` when given; else from the ledger if one exists
    (no data folder is created just to read a setting). Not cached: `config set
    language=ja` is answered in Japanese, and tests run many homes in one process.
    """
    if _chosen_language is not None:
        return _chosen_language
    try:
        if ctx is not None:
            configured = ctx.tallies.global_config().language
        elif (paths.data_folder() / paths.LEDGER_FILE).is_file():
            with local_client() as client:
                configured = client.ctx.tallies.global_config().language
        else:
            configured = "auto"
    except HostError:  # no usable ledger: the command's own request says why
        configured = "auto"
    return configured if configured in LANGUAGES else system_language()


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
        """The CLI's language (cli_language), read through this client's ledger."""
        return cli_language(self.ctx)

    def text(self, key: str, **params: object) -> str:
        """A catalog text (native_host/i18n.py) in the user's language."""
        return text(self.language(), key, **params)

    def email_account(self, given: str) -> str:
        """The account as the ledger spells it; CommandError unless it is an e-mail."""
        account = normalize_account(given)
        if not is_email(account):
            raise CommandError(self.text("cli.not_email", account=repr(given)))
        return account


@contextmanager
def local_client() -> Iterator[LocalClient]:
    ctx = Context(open_ledger=open_ledger)
    try:
        yield LocalClient(ctx)
    finally:
        ctx.close()
