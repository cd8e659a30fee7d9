"""When Genspark refuses (credits used up, rate limited), the extension shows the
helper's diagnosis: in the page's trouble panel and in the popup's troubleshooting tab.

The expected step texts come from the helper's own catalog (native_host.i18n), so the
test checks that the helper's steps reached the person, not a copy of them.
"""

from __future__ import annotations

from fake_genspark import EXHAUSTED_TEXT, OVERLOADED_TEXT, RATE_LIMIT_TEXT, FakeGenspark
from harness import ACCOUNT, Session, panel_steps, submit
from playwright.sync_api import Page

from native_host.i18n import text


def popup_steps(session: Session) -> Page:
    """The popup's troubleshooting tab after 'diagnose' was clicked (steps listed)."""
    popup = session.open_popup()
    popup.click("#tab-troubleshoot")
    popup.click("#diagnose-button")
    popup.wait_for_selector("#steps li")
    return popup


def test_exhaustion_text_leads_to_the_diagnosis_steps(session: Session, fake: FakeGenspark) -> None:
    page = session.open_genspark("ai_chat")
    session.wait_for_balance(ACCOUNT, 100)  # the tally says credits are left…
    fake.set(exhausted=True)  # …while the site says they are used up
    submit(page, "hello")
    page.wait_for_selector(f'.error-message:has-text("{EXHAUSTED_TEXT}")')

    steps = panel_steps(page)
    ids = [step_id for step_id, _ in steps]
    assert "reload" in ids, ids  # the page says used up while the tally has credits left
    assert text("en", "diag.reload.how") in " ".join(t for _, t in steps)
    session.screenshot(page, "panel-exhausted")
    assert len(fake.generation_requests()) == 1, "the extension retried nothing on its own"

    popup = popup_steps(session)
    assert text("en", "diag.reload.how") in popup.locator("#steps").inner_text()
    session.screenshot(popup, "popup-steps")


def test_rate_limit_leads_to_the_wait_step_first(session: Session, fake: FakeGenspark) -> None:
    page = session.open_genspark("ai_chat")
    session.wait_for_balance(ACCOUNT, 100)
    fake.set(rate_limited=True)
    submit(page, "hello")
    page.wait_for_selector(f".error-message:has-text('{RATE_LIMIT_TEXT}')")
    steps = panel_steps(page)
    assert steps[0][0] == "wait_rate_limit", [step_id for step_id, _ in steps]
    wait_step = text("en", "diag.wait_rate_limit.how", wait=text("en", "time.minutes", m=1))
    assert wait_step in steps[0][1]


def test_overloaded_site_leads_to_the_status_check(session: Session, fake: FakeGenspark) -> None:
    page = session.open_genspark("ai_chat")
    session.wait_for_balance(ACCOUNT, 100)
    fake.set(overloaded=True)
    submit(page, "hello")
    page.wait_for_selector(f".error-message:has-text('{OVERLOADED_TEXT}')")
    ids = [step_id for step_id, _ in panel_steps(page)]
    assert "check_status" in ids, ids
    assert "wait_reset" not in ids, "an overloaded server is not an empty account"
