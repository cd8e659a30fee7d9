"""Preflight: should the page let this operation start? (pure; runs on every preflight)

Levels, most severe first:
- `stop`: the estimate exceeds the remaining credits, or (image only) a side window such
  as the 5-hour image limit is used up and resets later.
- `warn`: a heavy operation (HEAVY_OPERATIONS) that costs credits, unless the user turned
  `confirm_before_heavy` off; or one that would leave less than the reserve
  (reserve percent × allowance / 100).
- `ok`: otherwise.
Warnings are not listed beside a stop: they would only bury it. Alternatives are offered
on a stop and whenever the remaining after the operation is under the reserve.

Speed matters more than elegance here: no pydantic validation, catalogs read as dicts,
the reset time formatted only when a text needs it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from native_host.config import AccountConfig, GlobalConfig
from native_host.i18n import catalog, credits, format_reset, number
from native_host.ledger.costs import CostEstimate
from native_host.ledger.tally import Tally, rfc3339
from native_host.messages import HEAVY_OPERATIONS, OPERATIONS

# A heavy operation with a prompt shorter than this gets the "make it specific" tip.
SHORT_PROMPT_CHARS: Final = 40
# Operations the side windows (tally.windows "5h", "7d") limit.
WINDOWED_OPERATIONS: Final = frozenset({"image"})

_OPERATION_KEYS: Final = {operation: f"op.{operation}" for operation in OPERATIONS}
_WINDOW_KEYS: Final = {"5h": "window.5h", "7d": "window.7d"}


def advise(
    *,
    operation: str,
    model: str | None,
    prompt_chars: int | None,
    tally: Tally,
    estimate: CostEstimate,
    account_config: AccountConfig,
    global_config: GlobalConfig,
    language: str,
    now: datetime,
) -> dict[str, Any]:
    """The preflight reply fields for one operation (everything but the envelope).

    `model` is accepted for symmetry with the request; the caller's `estimate` already
    reflects it. `language` must be resolved by the caller ("auto" falls back to
    English). `remaining_after` is negative when the operation would overspend.
    """
    words = catalog(language)
    label = words[_OPERATION_KEYS.get(operation, "op.other")]
    cost = estimate.credits
    remaining = tally.remaining
    after = remaining - cost
    reserve = account_config.reserve * tally.allowance / 100
    low = cost > 0 and after < reserve
    shown_cost = credits(language, cost)
    shown_remaining = credits(language, max(remaining, 0.0))

    reasons: list[dict[str, str]] = []
    message = ""
    if cost > remaining:
        reset = format_reset(language, tally.reset_at, now)
        reasons.append(
            _item(
                "exceeds_remaining",
                words["advice.reason.exceeds_remaining"].format(
                    operation=label, cost=shown_cost, remaining=shown_remaining
                ),
            )
        )
        message = words["advice.message.stop"].format(
            operation=label, cost=shown_cost, remaining=shown_remaining, reset=reset
        )
    window = _exhausted_window(tally, now) if operation in WINDOWED_OPERATIONS else None
    if window is not None:
        name, window_reset = window
        fields = {
            "window": words[_WINDOW_KEYS[name]],
            "operation": label,
            "reset": format_reset(language, window_reset, now),
        }
        reasons.append(
            _item("window_exhausted", words["advice.reason.window_exhausted"].format(**fields))
        )
        message = message or words["advice.message.stop_window"].format(**fields)

    if reasons:
        level = "stop"
    else:
        if cost > 0 and operation in HEAVY_OPERATIONS and global_config.confirm_before_heavy:
            reasons.append(
                _item(
                    "heavy", words["advice.reason.heavy"].format(operation=label, cost=shown_cost)
                )
            )
            message = words["advice.message.warn_heavy"].format(
                operation=label, cost=shown_cost, remaining=shown_remaining
            )
        if low:
            fields = {
                "operation": label,
                "after": credits(language, after),
                "reserve": credits(language, reserve),
                "percent": number(account_config.reserve),
                "allowance": credits(language, tally.allowance),
            }
            reasons.append(
                _item("below_reserve", words["advice.reason.below_reserve"].format(**fields))
            )
            message = words["advice.message.warn_reserve"].format(**fields)
        if reasons:
            level = "warn"
        else:
            level = "ok"
            key = "advice.message.ok" if cost > 0 else "advice.message.free"
            message = words[key].format(
                operation=label, cost=shown_cost, after=credits(language, after)
            )

    tips: list[dict[str, str]] = []
    if (
        operation in HEAVY_OPERATIONS
        and prompt_chars is not None
        and prompt_chars < SHORT_PROMPT_CHARS
    ):
        tips.append(_item("specific_prompt", words["advice.tip.specific_prompt"]))

    alternatives = (
        [{"name": alt.name, "url": alt.url} for alt in global_config.alternatives]
        if level == "stop" or low
        else []
    )
    return {
        "level": level,
        "estimated_cost": cost,
        "estimate_source": estimate.source,
        "estimate_samples": estimate.samples,
        "remaining": remaining,
        "remaining_after": after,
        "reset_at": rfc3339(tally.reset_at),
        "reasons": reasons,
        "tips": tips,
        "alternatives": alternatives,
        "message": message,
    }


def _exhausted_window(tally: Tally, now: datetime) -> tuple[str, datetime] | None:
    """The used-up side window that lifts last, with its reset: it is the one that binds."""
    found: tuple[str, datetime] | None = None
    for name in _WINDOW_KEYS:
        window = tally.windows.get(name)
        if window is None or window.balance > 0 or window.reset_at is None:
            continue
        if window.reset_at > now and (found is None or window.reset_at > found[1]):
            found = (name, window.reset_at)
    return found


def _item(item_id: str, item_text: str) -> dict[str, str]:
    return {"id": item_id, "text": item_text}
