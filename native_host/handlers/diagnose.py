"""`diagnose`: what the page saw plus what this machine shows → ordered steps."""

from __future__ import annotations

from typing import Any

from native_host.context import Context
from native_host.diagnosis import diagnose
from native_host.messages import Diagnose
from native_host.probes import machine_facts


def handle(request: Diagnose, ctx: Context) -> dict[str, Any]:
    now = ctx.clock()
    steps = diagnose(
        request.signals,
        tally=ctx.tallies.tally(request.account, now),
        machine=machine_facts(ctx.sync_state()),
        language=ctx.language(request.language),
        now=now,
    )
    return {"steps": steps}
