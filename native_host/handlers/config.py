"""`config.get` and `config.set`: settings are logged changes, so they sync too."""

from __future__ import annotations

import uuid
from typing import Any

from native_host.config import GLOBAL_ACCOUNT
from native_host.context import Context
from native_host.ledger.events import NewEvent
from native_host.messages import ConfigGet, ConfigSet


def handle(request: ConfigGet | ConfigSet, ctx: Context) -> dict[str, Any]:
    now = ctx.clock()
    if isinstance(request, ConfigSet) and request.settings():
        change = {"set": request.settings(), "learned": False}
        account = request.account or GLOBAL_ACCOUNT
        ctx.tallies.append([NewEvent(str(uuid.uuid4()), account, "config", now, change)])
    return effective_config(ctx, request.account)


def effective_config(ctx: Context, account: str | None) -> dict[str, Any]:
    reply: dict[str, Any] = {"global": ctx.tallies.global_config().model_dump(mode="json")}
    if account is not None:
        now = ctx.clock()
        reply["account"] = {
            "account": account,
            **ctx.tallies.config(account, now).model_dump(mode="json"),
        }
    return reply
