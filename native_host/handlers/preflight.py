"""`preflight`: is this operation safe to start? Answered from memory (see tallies)."""

from __future__ import annotations

from typing import Any

from native_host.advisor import advise
from native_host.context import Context
from native_host.messages import Preflight


def handle(request: Preflight, ctx: Context) -> dict[str, Any]:
    now = ctx.clock()
    tallies = ctx.tallies
    return advise(
        operation=request.operation,
        model=request.model,
        prompt_chars=request.prompt_chars,
        tally=tallies.tally(request.account, now),
        estimate=tallies.estimate(request.account, request.operation, request.model, now),
        account_config=tallies.config(request.account, now),
        global_config=tallies.global_config(),
        language=ctx.language(request.language),
        now=now,
    )
