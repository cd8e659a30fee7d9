"""The guard on heavy agent pages: held sends, the dialog's two answers, usage recorded
once, and a page that keeps working when the helper is missing.

Every assertion is on what the fake site received (its request log) or what the
helper's ledger holds, not on the extension's internals.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from devkit.browsers import (
    ACCOUNT,
    DIALOG,
    EXTENSION_DIR,
    EXTENSION_ID,
    Launch,
    Session,
    dialog_button,
    holds,
    submit,
    wait_until,
)
from devkit.fake_genspark import FakeGenspark


def user_guide_url() -> str:
    """The guide's install page in English, as the popup's install help links to it."""
    source = (EXTENSION_DIR / "popup" / "guide.js").read_text(encoding="utf-8")
    found = re.search(r'export const PROJECT_URL = "([^"]+)";', source)
    assert found, "PROJECT_URL in extension/popup/guide.js"
    return f"{found.group(1)}/blob/main/docs/guide/install.md"


VIDEO_PROMPT = "a slow pan over a misty pine forest at dawn, cinematic, 35 mm"
IMAGE_PROMPT = "a red fox sitting in fresh snow, watercolour, soft morning light"


@pytest.mark.parametrize("via", ["click", "enter"])
def test_video_request_is_held_cancel_sends_nothing_and_go_on_sends_one(
    session: Session, fake: FakeGenspark, via: str
) -> None:
    fake.set(balance=1000)
    page = session.open_genspark("video_generation_agent")
    session.wait_for_balance(ACCOUNT, 1000)  # the account is known and the helper answers

    submit(page, VIDEO_PROMPT, via)
    dialog_button(page, "cancel").wait_for(state="visible")
    assert fake.generation_requests() == [], "held: nothing is sent while the dialog is open"
    if via == "click":
        session.screenshot(page, "dialog")
    dialog_button(page, "cancel").click()
    dialog_button(page, "go").wait_for(state="hidden")

    submit(page, VIDEO_PROMPT, via)
    dialog_button(page, "go").click()
    wait_until(lambda: fake.generation_requests(), "the request that 'go on' lets through")
    page.wait_for_selector("img.result")  # the job ran to its end: time for any duplicate
    sent = fake.generation_requests()
    assert len(sent) == 1, f"'cancel' sent nothing and 'go on' sent once, got {len(sent)}"
    assert sent[0].body["type"] == "video_generation_agent"
    assert sent[0].body["messages"][0]["content"] == VIDEO_PROMPT, "the user's action, replayed"


def test_completed_image_job_is_recorded_once_even_after_a_reload(
    session: Session, fake: FakeGenspark
) -> None:
    fake.set(balance=1000)
    page = session.open_genspark("image_generation_agent")
    session.wait_for_balance(ACCOUNT, 1000)
    submit(page, IMAGE_PROMPT)
    dialog_button(page, "go").click()  # an image is heavy: the helper asks first
    page.wait_for_selector("img.result")
    assert [c["operation"] for c in fake.completed] == ["image"]

    def image_usage() -> list[dict[str, object]]:
        return [e for e in session.helper.events("usage") if e["body"]["operation"] == "image"]

    recorded = wait_until(image_usage, "the finished image job in the helper's ledger")
    assert recorded[0]["account"] == ACCOUNT
    assert recorded[0]["body"].get("model") in (None, "flux")

    polls = len(fake.requests("task_status"))
    page.reload()
    page.wait_for_selector("html[data-fake-ready='1']", state="attached")
    assert len(fake.requests("task_status")) > polls, "the reload replayed the task's SUCCESS"
    holds(lambda: len(image_usage()) == 1, "one image usage event after the replay")
    tally = session.helper.tally(ACCOUNT)
    assert tally is not None and "image" in tally["used"]["by_operation"], tally
    assert len(fake.generation_requests()) == 1


def test_without_the_helper_the_page_still_works_and_the_popup_says_how_to_install(
    launch: Launch, fake: FakeGenspark
) -> None:
    session = launch(register_helper=False)
    page = session.open_genspark("video_generation_agent")
    submit(page, VIDEO_PROMPT)
    wait_until(lambda: len(fake.generation_requests()) == 1, "the video request, not blocked")
    page.wait_for_selector("img.result")
    assert page.locator(f"{DIALOG} [data-action='go']").is_visible() is False
    assert len(fake.generation_requests()) == 1

    popup = session.open_popup()
    popup.wait_for_selector("#install-help", state="visible")
    help_text = popup.locator("#install-help").inner_text()
    assert "helper program on your computer" in help_text, "what the helper is"
    assert "project folder" not in help_text, "no developer's jargon"
    assert popup.get_attribute("#helper-state", "data-state") in ("missing", "error")
    assert session.helper.log_text() == "", "no helper is registered, so none ran"

    # The steps for this system (Linux here), the command with this extension's id.
    assert popup.locator("#install-os").input_value() == "linux"
    steps = popup.locator("#install-steps li")
    assert steps.count() == 5
    command = f"bash build_scripts/install.sh --extension-id {EXTENSION_ID}"
    run_step = popup.locator("#install-steps li[data-step='popup_install_run']")
    assert run_step.locator("code").inner_text() == command
    run_step.locator("button.copy").click()
    popup.wait_for_selector("#install-steps button.copy:has-text('Copied')")  # written
    guide = popup.get_attribute("#install-guide", "href")
    assert guide == user_guide_url() and guide.startswith("https://"), guide
    session.screenshot(popup, "popup-install-help")

    # Another system picked by hand: its own steps and command.
    popup.select_option("#install-os", "windows")
    assert "powershell" in popup.locator("#install-steps").inner_text()
    assert run_step.locator("code").inner_text().startswith("py -m venv .venv; ")


def test_signed_out_nothing_is_guarded_or_recorded(session: Session, fake: FakeGenspark) -> None:
    """No account (status -5): the extension stays out of the way and writes nothing."""
    fake.set(signed_in=False)
    page = session.open_genspark("video_generation_agent")
    submit(page, VIDEO_PROMPT)
    wait_until(lambda: len(fake.generation_requests()) == 1, "the request, not held")
    page.wait_for_selector(".error-message:has-text('sign in')")
    assert page.locator(DIALOG).count() == 0, "no dialog without an account"
    holds(lambda: session.helper.events() == [], "no event for a signed-out visitor")
    assert len(fake.generation_requests()) == 1


def test_a_helper_that_never_answers_does_not_block_the_page(
    session: Session, fake: FakeGenspark
) -> None:
    """The preflight budget is 300 ms: a hung helper costs the user no more than that."""
    session.helper.hang()  # registered and started by the browser, but silent
    page = session.open_genspark("video_generation_agent")
    submit(page, VIDEO_PROMPT)
    started = time.monotonic()
    wait_until(lambda: fake.generation_requests(), "the request, let through", timeout=5)
    assert time.monotonic() - started < 3, "held far beyond the 300 ms budget"
    page.wait_for_selector("img.result")
    assert page.locator(DIALOG).count() == 0
    assert len(fake.generation_requests()) == 1
    # The guard did ask (and the popup owns up to the unanswered check).
    popup = session.open_popup()
    popup.wait_for_selector("#missed-preflights", state="visible")


def test_usage_seen_while_the_helper_is_down_reaches_the_ledger_once_it_is_back(
    session: Session, fake: FakeGenspark
) -> None:
    """The outbox: events are kept while the helper cannot take them, then delivered once."""
    session.helper.crash()
    page = session.open_genspark("ai_chat")
    submit(page, "what is the capital of Japan?")
    page.wait_for_selector(".answer:has-text('short answer')")
    page.wait_for_selector(".credit-balance:text('99')")  # the page's balance after the chat
    assert session.helper.events() == [], "the helper is down: nothing could be recorded yet"

    session.helper.restore()  # the port reconnects with backoff (0.5 s, 1 s, 2 s…)
    chats = wait_until(
        lambda: session.helper.events("usage"),
        "the queued chat usage in the ledger after the helper came back",
        timeout=45,
    )
    assert [e["body"]["operation"] for e in chats] == ["chat"]
    session.wait_for_balance(ACCOUNT, 99)
    holds(lambda: len(session.helper.events("usage")) == 1, "the replay counts the chat once")


@pytest.mark.parametrize(
    ("charge_at", "polls"),
    [("completion", 1), ("request", 1), ("request", 60)],
    ids=["charged-on-completion", "charged-at-request", "read-while-it-runs"],
)
def test_a_videos_cost_shows_under_this_device_and_video_in_the_popup(
    session: Session, fake: FakeGenspark, charge_at: str, polls: int
) -> None:
    """The page re-reads its balance as soon as the reply ends: the reading can reach the
    helper before the video's usage event (sent when its task succeeds, 60 polls later in
    the last case). Whatever the order, the drop is the video's, never "other devices"."""
    fake.set(balance=1000, charge_at=charge_at, polls_before_done=polls, reread_after_reply=True)
    page = session.open_genspark("video_generation_agent")
    session.wait_for_balance(ACCOUNT, 1000)
    submit(page, VIDEO_PROMPT)
    dialog_button(page, "go").click()
    page.wait_for_selector("img.result", timeout=60_000)
    session.wait_for_balance(ACCOUNT, 950)

    def settled() -> dict[str, Any] | None:
        tally = session.helper.tally(ACCOUNT)
        return tally if tally and tally["used"]["by_operation"].get("video") == 50 else None

    tally = wait_until(settled, "the video's usage event, explained by the drop to 950")
    assert list(tally["used"]["by_device"].values()) == [50], tally["used"]["by_device"]
    assert "other" not in tally["used"]["by_device"]
    assert (tally["used"]["total"], tally["remaining"], tally["allowance"]) == (50, 950, 1000)

    popup = session.open_popup()
    popup.wait_for_selector("#remaining:has-text('950')")
    devices = popup.locator("#by-device").inner_text()
    assert "Other devices" not in devices and "50" in devices, devices
    assert "50" in popup.locator("#by-operation").inner_text()
    assert popup.locator("#used-total").inner_text().strip() == "50"
    assert "950" in popup.locator("#remaining").inner_text()
    assert "1,000" in popup.locator("#remaining").inner_text()  # 50 used + 950 left = 1,000
