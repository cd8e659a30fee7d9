"""What every handler is given: the tallies, the clock and this device's identity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from native_host.tallies import Tallies


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Context:
    tallies: Tallies
    clock: Callable[[], datetime] = utc_now
    sync_state: str = "off"  # "off" until a sync transport is configured

    @property
    def device_id(self) -> str:
        return self.tallies.ledger.device_id

    @property
    def device_name(self) -> str:
        return self.tallies.ledger.device_name

    def language(self, requested: str | None) -> str:
        """The request's language, else the configured one, else English."""
        if requested:
            return requested
        configured = self.tallies.global_config().language
        return configured if configured in ("en", "ja") else "en"
