"""Answer requests in-process: the CLI speaks the browser's protocol, without the pipes.

Going through `dispatch.handle_body` means the CLI gets the same validation, the same
errors and the same commit-before-answer as the extension does.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from native_host import PROTOCOL_VERSION, paths
from native_host.context import Context
from native_host.dispatch import encode, handle_body
from native_host.ledger.store import Ledger
from native_host.tallies import Tallies


class RequestFailed(Exception):
    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(f"{error['code']}: {error['message']}")
        self.error = error


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


@contextmanager
def local_client() -> Iterator[LocalClient]:
    ledger = Ledger(paths.ledger_path())
    try:
        yield LocalClient(Context(Tallies(ledger)))
    finally:
        ledger.close()
