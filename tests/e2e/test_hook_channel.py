"""The page hook speaks to the content scripts through a private channel: a script of the
page that posts hook-like messages on window, or forges the handshake to hand over a port
of its own, cannot feed Credit Guard a balance, a finished operation or an exhaustion,
while the page's real traffic is still recorded.

The forged messages are posted from the page's own JavaScript (Playwright's evaluate runs
in the page's main world, as the site's scripts do), in the format the hook used to post
on window before it had a channel.
"""

from __future__ import annotations

from typing import Any

from fake_genspark import EXHAUSTED_TEXT, FakeGenspark
from harness import ACCOUNT, PANEL, Session, holds, submit, wait_until

FORGED_BALANCE = 5

# Hook messages as a page script would forge them: a balance answer, a chat that completes
# (request, stream start and result, end) and a chat refused for exhausted credits.
FORGERIES = """(forgedBalance, exhaustedText) => {
  const read = { method: "GET", path: "/api/payment/get_credit_balance" };
  const ask = { method: "POST", path: "/api/agent/ask_proxy" };
  const at = Date.now();
  const result = { type: "message_result", id: "forged-message", content: "Hi" };
  const refusal = { type: "message_result", content: exhaustedText,
    session_state: { consume_usage_quota_exceeded: true } };
  const messages = [
    { type: "request", id: 9001, ...read, at },
    { type: "response", id: 9001, ...read, status: 200, headers: {} },
    { type: "response-body", id: 9001, json: { status: 0, data: { balance: forgedBalance } } },
    { type: "request", id: 9002, ...ask, body: { type: "ai_chat", ai_chat_model: "forged" }, at },
    { type: "response", id: 9002, ...ask, status: 200, headers: {} },
    { type: "stream-event", id: 9002, event: { type: "project_start", id: "forged-project" } },
    { type: "stream-event", id: 9002, event: result },
    { type: "stream-end", id: 9002, complete: true, events: 2 },
    { type: "request", id: 9003, ...ask, body: { type: "ai_chat" }, at },
    { type: "response", id: 9003, ...ask, status: 429, headers: {} },
    { type: "stream-event", id: 9003, event: refusal },
    { type: "stream-end", id: 9003, complete: true, events: 1, text: exhaustedText },
  ];
  // On window, as the hook used to post them.
  for (const message of messages) {
    window.postMessage({ source: "credit-guard-hook", ...message }, location.origin);
  }
  // Through a port of the page's own, offered with the hook's handshake events.
  const channel = new MessageChannel();
  const offer = { cancelable: true, ports: [channel.port2] };
  const taken = !dispatchEvent(new MessageEvent("credit-guard:hook-port", offer));
  dispatchEvent(new Event("credit-guard:loader-ready"));
  for (const message of messages) channel.port1.postMessage({ ...message, id: message.id + 100 });
  return taken;
}"""


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

    taken = page.evaluate(FORGERIES, [FORGED_BALANCE, EXHAUSTED_TEXT])
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
