"""`preflight`: is this operation safe to start? Answered from memory (see tallies), with
the period's pace so the warning can say whether credits last until the reset."""

from __future__ import annotations

from typing import Any

from native_host.advisor import advise
from native_host.context import Context
from native_host.messages import Preflight
from native_host.pace import pace_of


def handle(request: Preflight, ctx: Context) -> dict[str, Any]:
    now = ctx.clock()
    tallies = ctx.tallies
    tally = tallies.tally(request.account, now)
    advice = advise(
        operation=request.operation,
        model=request.model,
        prompt_chars=request.prompt_chars,
        tally=tally,
        estimate=tallies.estimate(request.account, request.operation, request.model, now),
        account_config=tallies.config(request.account, now),
        global_config=tallies.global_config(),
        language=ctx.language(request.language),
        now=now,
    )
    advice["pace"] = pace_of(tally, now).to_json()
    return advice
