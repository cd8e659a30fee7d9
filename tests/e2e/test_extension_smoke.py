"""Smoke tests: the unpacked extension loads in Chromium, its worker runs, it reaches the
real helper, and a balance the page reads ends up in the helper's ledger and the popup."""

from __future__ import annotations

import re

import pytest

from devkit.browsers import EXTENSION_ID, WORKER_URL, Helper, Launch, Session, wait_until
from devkit.fake_genspark import FakeGenspark


def test_extension_loads_and_its_service_worker_runs(session: Session) -> None:
    worker = session.service_worker()
    assert worker.url == WORKER_URL
    manifest = worker.evaluate("chrome.runtime.getManifest()")
    assert worker.evaluate("chrome.runtime.id") == EXTENSION_ID, "the key pins the dev id"
    assert manifest["manifest_version"] == 3
    assert set(manifest["permissions"]) == {"nativeMessaging", "storage", "alarms", "notifications"}
    popup = session.open_popup()
    assert popup.title(), "the popup's title comes from _locales (popup_title)"
    errors = [line for line in session.console if "pageerror" in line or "] error:" in line]
    assert not errors, f"errors while loading: {errors}"


def test_the_helper_answers_through_the_worker(session: Session) -> None:
    popup = session.open_popup()
    state = wait_until(
        lambda: (
            reply
            if (reply := session.message(popup, {"kind": "helper.state"})).get("state")
            == "connected"
            else None
        ),
        "helper.state to become connected",
    )
    assert state["ok"] is True and state["version"], state
    status = session.message(popup, {"kind": "status"})
    assert status["ok"] is True, status
    assert re.fullmatch(r"[0-9a-f-]{36}", status["device_id"]), status
    assert status["helper"]["state"] == "connected"
    # The popup shows it too, and the helper that answered is ours (it logs in our folder).
    popup.wait_for_selector("#helper-state[data-state='connected']")
    assert session.helper.log_text(), "the helper registered for this profile wrote no log"
    session.screenshot(popup, "popup-connected")


def test_balance_read_on_a_genspark_page_reaches_the_tally_and_the_popup(
    session: Session, fake: FakeGenspark
) -> None:
    fake.set(balance=87)
    session.open_genspark("ai_chat")
    tally = session.wait_for_balance("tester@example.com", 87)
    assert tally["observed_balance"] == 87
    assert tally["remaining"] == 87
    popup = session.open_popup()
    popup.wait_for_selector("#remaining:has-text('87')")
    assert fake.generation_requests() == [], "reading the balance generates nothing"
    session.screenshot(popup, "popup")


@pytest.mark.parametrize(
    ("lang", "says"), [("en", "cannot keep its records in"), ("ja", "記録用フォルダ")]
)
def test_an_unusable_data_folder_is_explained_in_the_popup(
    helper: Helper, launch: Launch, lang: str, says: str
) -> None:
    """The helper answers every request `storage`, naming the folder and what to do, in the
    browser's language (the helper inherits its locale); the worker's helper state is
    "error" with that text, and the popup shows it as the state's details."""
    blocker = helper.home.parent / "a-file-in-the-way"
    blocker.write_text("")
    helper.use_data_folder(blocker)
    session = launch(lang=lang)
    popup = session.open_popup()
    state = wait_until(
        lambda: (
            reply
            if (reply := session.message(popup, {"kind": "helper.state"}))["state"] == "error"
            else None
        ),
        "the helper's storage answer to hello",
    )
    assert says in state["last_error"] and str(blocker) in state["last_error"], state
    assert "CREDIT_GUARD_HOME" in state["last_error"]
    popup.reload()  # the popup reads the helper's state when it opens
    pill = popup.wait_for_selector("#helper-state[data-state='error']")
    assert pill is not None and state["last_error"] in (pill.get_attribute("title") or "")
    session.screenshot(popup, f"popup-unusable-data-folder-{lang}")
