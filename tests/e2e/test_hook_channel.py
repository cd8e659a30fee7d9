"""The page hook speaks to the content scripts through a private channel: a script of the
page that posts hook-like messages on window, or forges the handshake to hand over a port
of its own, cannot feed Credit Guard a balance, a finished operation or an exhaustion,
while the page's real traffic is still recorded.

The forged messages (harness.FORGE_HOOK_MESSAGES) are posted from the page's own
JavaScript (Playwright's evaluate runs in the page's main world, as the site's scripts do).
"""

from __future__ import annotations

from typing import Any

from devkit.browsers import (
    ACCOUNT,
    FORGE_HOOK_MESSAGES,
    FORGED_BALANCE,
    PANEL,
    Session,
    holds,
    submit,
    wait_until,
)
from devkit.fake_genspark import EXHAUSTED_TEXT, FakeGenspark


def forged_traces(session: Session) -> list[dict[str, Any]]:
    """Ledger events that only the forged messages could have caused."""
    return [
        e
        for e in session.helper.events()
        if (e["kind"] == "balance" and float(e["body"].get("balance", -1)) == FORGED_BALANCE)
        or (e["kind"] == "usage" and e["body"].get("model") == "forged")
    ]


def test_forged_hook_messages_move_nothing_while_real_traffic_is_recorded(
    session: Session, fake: FakeGenspark
) -> None:
    page = session.open_genspark("ai_chat")
    before = session.wait_for_balance(ACCOUNT, 100)  # the real balance answer was heard
    usage_before = session.helper.events("usage")

    taken = page.evaluate(FORGE_HOOK_MESSAGES, [FORGED_BALANCE, EXHAUSTED_TEXT])
    assert taken is False, "nobody took the page's port: the handshake is over"
    # Longer than the trouble watch's settling delay and a balance's way to the ledger.
    holds(lambda: forged_traces(session) == [], "no forged balance or usage in the ledger", 4.0)
    assert session.helper.events("usage") == usage_before
    tally = session.helper.tally(ACCOUNT)
    assert tally is not None
    assert (tally["remaining"], tally["used"]) == (before["remaining"], before["used"])
    assert page.locator(PANEL).count() == 0, "no trouble panel for a forged exhaustion"

    submit(page, "hello")  # a real chat, through the real hook
    real = wait_until(
        lambda: [e for e in session.helper.events("usage") if e not in usage_before],
        "the real chat's usage in the helper's ledger",
    )
    assert [e["body"]["operation"] for e in real] == ["chat"]
    assert forged_traces(session) == []
    assert len(fake.generation_requests()) == 1
