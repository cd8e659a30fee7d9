"""The fake Genspark itself: its endpoints over TLS, then its page in a bare Chromium.

The extension's tests trust this fake, so its own behaviour (what a page sends, what is
charged, what each switch changes) is pinned here first, without the extension.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
from typing import Any

import pytest

from devkit.browsers import Launch, wait_until
from devkit.fake_genspark import COSTS, EXHAUSTED_TEXT, HOST, OVERLOADED_TEXT, FakeGenspark


def call(fake: FakeGenspark, method: str, path: str, body: Any = None) -> tuple[int, str, Any]:
    """One HTTPS request that checks the certificate is valid for www.genspark.ai."""
    context = ssl.create_default_context(cafile=str(fake.cert.cert_path))
    raw = socket.create_connection(("127.0.0.1", fake.port), timeout=10)
    connection = http.client.HTTPSConnection(HOST, fake.port, context=context, timeout=10)
    connection.sock = context.wrap_socket(raw, server_hostname=HOST)
    payload = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if payload else {}
    connection.request(method, path, body=payload, headers=headers)
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    kind = response.getheader("Content-Type", "")
    data = json.loads(text) if kind.startswith("application/json") else text
    return response.status, kind, data


def stream_events(text: str) -> list[dict[str, Any]]:
    return [json.loads(line[5:]) for line in text.split("\n") if line.startswith("data:")]


def test_user_and_balance_signed_in_and_out(fake: FakeGenspark) -> None:
    assert call(fake, "GET", "/api/user")[2]["data"]["cogen"]["email"] == "tester@example.com"
    assert call(fake, "GET", "/api/payment/get_credit_balance")[2] == {
        "status": 0,
        "data": {"balance": 100.0},
    }
    fake.set(signed_in=False)
    status, _, user = call(fake, "GET", "/api/user")
    assert (status, user["status"]) == (200, -5), "signed out is HTTP 200 with status -5"
    assert call(fake, "GET", "/api/payment/get_credit_balance")[2]["status"] == -5


def test_history_and_free_pool_have_the_documented_fields(fake: FakeGenspark) -> None:
    history = call(fake, "GET", "/api/payment/get_credit_history?start_date=a&end_date=b")[2]
    assert {"current_balance", "plan", "model_usage", "query_period"} <= set(history["data"])
    windows = call(fake, "GET", "/api/quota/free_pool?category=chat")[2]["windows"]
    assert set(windows) == {"5h", "7d"}
    assert {"limit_dollars", "spent_dollars", "remaining_dollars", "reset_at"} <= set(windows["5h"])


def test_chat_streams_and_charges_once(fake: FakeGenspark) -> None:
    status, kind, text = call(
        fake, "POST", "/api/agent/ask_proxy", {"type": "ai_chat", "ai_chat_model": "gpt-5.1"}
    )
    assert (status, kind.split(";")[0]) == (200, "text/event-stream")
    types = [e["type"] for e in stream_events(text)]
    assert types[0] == "project_start" and types[-1] == "message_result"
    assert "message_field_delta" in types
    assert fake.balance() == 100 - COSTS["chat"]
    assert len(fake.generation_requests()) == 1
    assert fake.generation_requests()[0].body["type"] == "ai_chat"


def test_image_task_is_charged_when_it_succeeds_and_only_then(fake: FakeGenspark) -> None:
    fake.set(polls_before_done=1)
    text = call(fake, "POST", "/api/agent/ask_proxy", {"type": "image_generation_agent"})[2]
    task_id = stream_events(text)[-1]["task_ids"][0]
    first = call(fake, "POST", "/api/ig_tasks_status", {"task_ids": [task_id]})[2]
    assert first["data"]["status"] == "TASKS_STATUS_PROCESSING"
    assert fake.balance() == 100
    second = call(fake, "POST", "/api/ig_tasks_status", {"task_ids": [task_id]})[2]
    assert second["data"]["status"] == "TASKS_STATUS_COMPLETE"
    assert second["data"]["final_status"][task_id]["status"] == "SUCCESS"
    call(fake, "POST", "/api/ig_tasks_status", {"task_ids": [task_id]})  # asked again
    assert fake.balance() == 100 - COSTS["image"]
    wrong = call(fake, "POST", "/api/vg_tasks_status", {"task_ids": [task_id]})[2]
    assert wrong["data"]["final_status"][task_id]["status"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("switch", "status", "text"),
    [
        ("rate_limited", 429, "Rate limit exceeded cf1"),
        ("overloaded", 503, OVERLOADED_TEXT),
        ("exhausted", 200, EXHAUSTED_TEXT),
    ],
)
def test_refusals_spend_nothing(fake: FakeGenspark, switch: str, status: int, text: str) -> None:
    fake.set(**{switch: True})
    got_status, _, body = call(fake, "POST", "/api/agent/ask_proxy", {"type": "ai_chat"})
    assert got_status == status
    assert text in (body if isinstance(body, str) else json.dumps(body))
    if switch == "exhausted":
        result = stream_events(body)[-1]
        assert result["action"]["type"] == "ACTION_QUOTA_EXCEEDED"
        assert result["session_state"]["consume_usage_quota_exceeded"] is True
    assert fake.balance() == 100
    assert len(fake.generation_requests()) == 1


def test_control_endpoint_flips_switches_and_lists_requests(fake: FakeGenspark) -> None:
    status, _, state = call(fake, "POST", "/__fake/state", {"lang": "ja", "balance": 7})
    assert status == 200 and state["lang"] == "ja" and state["balance"] == 7
    assert call(fake, "POST", "/__fake/state", {"no_such_switch": 1})[0] == 400
    page = call(fake, "GET", "/agents?type=ai_chat")[2]
    assert '<html lang="ja">' in page and "クレジット" in page
    logged = call(fake, "GET", "/__fake/requests")[2]
    assert [r["path"] for r in logged] == ["/agents"], "control calls are not listed"


# -- the page, in a Chromium without the extension --------------------------------------


def test_page_sends_one_request_per_click_and_enter(fake: FakeGenspark, launch: Launch) -> None:
    session = launch(with_extension=False)
    page = session.open_genspark("ai_chat")
    assert page.locator(".credit-balance").text_content() == "100"
    page.fill("textarea.search-input", "hello there")
    page.click("div.right-icon-group div.enter-icon")
    page.wait_for_selector(".answer:has-text('short answer')")
    page.press("textarea.search-input", "Enter")
    wait_until(lambda: len(fake.generation_requests()) == 2, "the second request")
    page.wait_for_selector(".credit-balance:text('98')")
    bodies = [r.body for r in fake.generation_requests()]
    assert bodies[0]["messages"][0]["content"] == "hello there"
    assert all(b["type"] == "ai_chat" and b["ai_chat_model"] for b in bodies)


def test_page_image_job_completes_and_reload_replays_status_without_charge(
    fake: FakeGenspark, launch: Launch
) -> None:
    session = launch(with_extension=False)
    page = session.open_genspark("image_generation_agent")
    page.fill("textarea.search-input", "a red fox in the snow, watercolour")
    page.click("div.right-icon-group div.enter-icon")
    page.wait_for_selector("img.result")
    page.wait_for_selector(".credit-balance:text('90')")
    polls = len(fake.requests("task_status"))
    page.reload()
    page.wait_for_selector("html[data-fake-ready='1']", state="attached")
    page.wait_for_selector("img.result")
    assert len(fake.requests("task_status")) == polls + 1, "the reload asks the status again"
    assert fake.balance() == 90
    assert len(fake.generation_requests()) == 1


def test_page_shows_the_japanese_exhaustion_text(fake: FakeGenspark, launch: Launch) -> None:
    fake.set(lang="ja", exhausted=True)
    session = launch(with_extension=False, lang="ja")
    page = session.open_genspark("ai_chat")
    page.fill("textarea.search-input", "こんにちは")
    page.click("div.right-icon-group div.enter-icon")
    page.wait_for_selector(".error-message:has-text('クレジットを使い切りました')")
    assert fake.balance() == 100


def test_redesigned_variant_renames_endpoints_fields_and_markup(fake: FakeGenspark) -> None:
    fake.set(redesigned=True, balance=70)
    assert call(fake, "GET", "/api/user")[0] == 404, "the old names are gone"
    assert call(fake, "GET", "/api/payment/get_credit_balance")[0] == 404
    assert call(fake, "GET", "/api/v2/me")[2]["data"]["profile"]["email"] == fake.switches.email
    assert call(fake, "GET", "/api/billing/credits")[2] == {"status": 0, "data": {"credits": 70}}
    status, _, text = call(fake, "POST", "/api/agent/ask_stream", {"type": "ai_chat"})
    assert status == 200 and stream_events(text)[-1]["type"] == "message_result"
    assert [r.path for r in fake.generation_requests()] == ["/api/agent/ask_stream"]
    page = call(fake, "GET", "/agents?type=video_generation_agent")[2]
    assert 'class="composer-input"' in page and "search-input" not in page
    assert "enter-icon" not in page
