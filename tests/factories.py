"""Builders and fixed facts shared by the advisor, diagnosis and host tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from native_host.ledger.tally import Tally, Window

NOW = datetime(2026, 3, 1, 20, 40, tzinfo=UTC)  # 3 h 20 min before the 00:00 UTC reset
MIDNIGHT = datetime(2026, 3, 2, tzinfo=UTC)

# Every step id docs/PROTOCOL.md lets a diagnosis name, written out here (not taken from
# native_host) so that a step added or dropped in the code shows up as a test failure.
PROTOCOL_STEP_IDS = {
    "check_status",
    "reload",
    "clear_cache",
    "relogin",
    "disable_vpn",
    "wait_rate_limit",
    "restart_app",
    "resync",
    "wait_reset",
    "upgrade",
    "use_alternative",
}


def make_tally(
    *,
    remaining: float,
    allowance: float = 100.0,
    operation: str | None = None,
    windows: dict[str, Window] | None = None,
) -> Tally:
    """A free-plan day ending at MIDNIGHT, all used on one device ("laptop").

    `operation` names the one operation the used credits are booked to; none by default.
    """
    used = allowance - remaining
    return Tally(
        account="user@example.com",
        plan="free",
        period_start=MIDNIGHT - timedelta(days=1),
        period_end=MIDNIGHT,
        allowance=allowance,
        used_total=used,
        used_by_device={"laptop": used},
        used_by_operation={operation: used} if operation is not None else {},
        remaining=remaining,
        observed_balance=None,
        observed_at=None,
        windows=windows or {},
    )
