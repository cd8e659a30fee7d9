"""The same flows in Japanese: a Chromium started with --lang=ja on the Japanese site,
and an English browser switched to Japanese by the language setting."""

from __future__ import annotations

import json
from typing import Any

from devkit.browsers import (
    ACCOUNT,
    DIALOG_BOX,
    EXTENSION_DIR,
    Launch,
    dialog_button,
    japanese,
    panel_steps,
    submit,
    wait_until,
)
from devkit.fake_genspark import UI_TEXTS, FakeGenspark
from native_host.i18n import text

JA_MESSAGES = json.loads((EXTENSION_DIR / "_locales" / "ja" / "messages.json").read_text())
PROMPT = "霧の森をゆっくりとパンする映像、夜明け、映画風"


def test_popup_speaks_japanese_with_lang_ja(launch: Launch, fake: FakeGenspark) -> None:
    # Usage logged from "a phone" through the CLI, so the popup has a tally to show.
    session_helper_log = ("log", "--account", ACCOUNT, "--operation", "image", "--credits", "10")
    session = launch(lang="ja")
    session.helper.cli(*session_helper_log)
    popup = session.open_popup()
    popup.wait_for_selector("#helper-state[data-state='connected']")
    tab = popup.locator("#tab-status").inner_text().strip()
    assert tab == JA_MESSAGES["popup_tab_status"]["message"]
    popup.wait_for_selector("#remaining:has-text('90')")
    assert japanese(popup.locator("body").inner_text())
    session.screenshot(popup, "popup")


def test_guard_dialog_in_japanese_and_cancel_sends_nothing(
    launch: Launch, fake: FakeGenspark
) -> None:
    fake.set(lang="ja", balance=1000)
    session = launch(lang="ja")
    page = session.open_genspark("video_generation_agent")
    session.wait_for_balance(ACCOUNT, 1000)
    submit(page, PROMPT)
    cancel = dialog_button(page, "cancel")
    cancel.wait_for(state="visible")
    dialog_text = page.locator(DIALOG_BOX).inner_text()
    assert japanese(dialog_text), f"the dialog is not in Japanese: {dialog_text!r}"
    pace = page.locator(f"{DIALOG_BOX} [data-fact='pace']").inner_text()
    # 1,000 left and nothing used yet: lasts (or, in the day's first hour, too early to say).
    outlooks = [JA_MESSAGES[key]["message"] for key in ("pace_lasts", "pace_early")]
    assert any(pace.startswith(outlook) for outlook in outlooks), pace
    assert japanese(cancel.inner_text()) and japanese(dialog_button(page, "go").inner_text())
    session.screenshot(page, "dialog")
    cancel.click()
    dialog_button(page, "go").wait_for(state="hidden")
    assert fake.generation_requests() == []


def test_language_setting_ja_switches_an_english_browser(
    launch: Launch, fake: FakeGenspark
) -> None:
    fake.set(balance=1000)
    session = launch(lang="en")
    popup = session.open_popup()

    def set_language() -> dict[str, Any] | None:
        reply: dict[str, Any] = session.message(popup, {"kind": "config.set", "language": "ja"})
        return reply if reply.get("ok") else None

    reply = wait_until(set_language, "config.set language=ja through the worker")
    assert reply["global"]["language"] == "ja"
    page = session.open_genspark("video_generation_agent")
    session.wait_for_balance(ACCOUNT, 1000)
    submit(page, "a slow pan over a misty pine forest at dawn, cinematic")
    dialog_button(page, "cancel").wait_for(state="visible")
    assert japanese(page.locator(DIALOG_BOX).inner_text()), "the setting overrides the browser"
    dialog_button(page, "cancel").click()
    assert fake.generation_requests() == []


def test_japanese_exhaustion_text_leads_to_japanese_steps(
    launch: Launch, fake: FakeGenspark
) -> None:
    fake.set(lang="ja")
    session = launch(lang="ja")
    page = session.open_genspark("ai_chat")
    session.wait_for_balance(ACCOUNT, 100)
    fake.set(exhausted=True)
    submit(page, "こんにちは")
    page.wait_for_selector(f".error-message:has-text('{UI_TEXTS['ja']['exhausted']}')")
    steps = panel_steps(page)
    assert text("ja", "diag.reload.how") in " ".join(t for _, t in steps)
    assert all(japanese(t) for _, t in steps), steps
    session.screenshot(page, "panel-exhausted")


def test_install_help_and_the_sign_out_question_in_japanese(
    launch: Launch, fake: FakeGenspark
) -> None:
    """Without the helper, a Japanese browser gets the install steps in Japanese."""
    session = launch(lang="ja", register_helper=False)
    popup = session.open_popup()
    popup.wait_for_selector("#install-help", state="visible")
    steps = popup.locator("#install-steps")
    assert JA_MESSAGES["popup_install_terminal_linux"]["message"] in steps.inner_text()
    assert "bash build_scripts/install.sh --extension-id" in steps.inner_text()
    assert japanese(popup.locator("#install-help").inner_text())
    session.screenshot(popup, "popup-install-help")
    # The troubleshooting tab's fallback steps: the site-data question is Japanese too.
    popup.click("#tab-troubleshoot")
    popup.click("#diagnose-button")
    popup.click("#steps li[data-step='clear_cache'] [data-action='clear_site_data']")
    question = popup.locator("#steps .confirm").inner_text()
    assert JA_MESSAGES["confirm_clear_site_data_text"]["message"] in question
