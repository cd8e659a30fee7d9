"""When Genspark refuses (credits used up, rate limited), the extension shows the
helper's diagnosis: in the page's trouble panel and in the popup's troubleshooting tab.

The expected step texts come from the helper's own catalog (native_host.i18n), so the
test checks that the helper's steps reached the person, not a copy of them.
"""

from __future__ import annotations

from playwright.sync_api import Page

from devkit.browsers import ACCOUNT, PANEL, Session, holds, panel_steps, submit, wait_until
from devkit.fake_genspark import (
    EXHAUSTED_TEXT,
    ORIGIN,
    OVERLOADED_TEXT,
    RATE_LIMIT_TEXT,
    FakeGenspark,
)
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


def genspark_data(session: Session, page: Page) -> dict[str, bool]:
    """Whether the test's cookie and local-storage item are still there for genspark.ai."""
    cookies = session.context.cookies(ORIGIN)
    return {
        "cookie": any(c["name"] == "cg_probe" for c in cookies),
        "storage": page.evaluate("() => localStorage.getItem('cg_probe') === '1'"),
    }


def test_clearing_site_data_asks_first_cancel_keeps_it_and_yes_clears_it(
    session: Session, fake: FakeGenspark
) -> None:
    """The heavier fix signs the user out: the panel and the popup say so and ask first;
    the lighter "clear the cache" comes before it and keeps the sign-in."""
    page = session.open_genspark("ai_chat")
    session.wait_for_balance(ACCOUNT, 100)
    page.evaluate(
        "() => { document.cookie = 'cg_probe=1; path=/; max-age=3600; secure';"
        " localStorage.setItem('cg_probe', '1'); }"
    )
    kept = {"cookie": True, "storage": True}
    assert genspark_data(session, page) == kept
    fake.set(exhausted=True)
    submit(page, "hello")
    ids = [step_id for step_id, _ in panel_steps(page)]
    assert "clear_cache" in ids, ids
    step = page.locator(f"{PANEL} li[data-step='clear_cache']")
    actions = [b.get_attribute("data-tab-action") for b in step.locator("button").all()]
    assert actions == ["clear_cache", "clear_site_data"], "the lighter step first"

    # In the page's panel: the question says it signs you out; Cancel changes nothing.
    step.locator("[data-tab-action='clear_site_data']").click()
    question = step.locator(".confirm")
    assert "signs you out of Genspark" in question.inner_text()
    session.screenshot(page, "panel-confirm-site-data")
    question.locator("[data-confirm='no']").click()
    assert question.count() == 0
    assert "nothing was deleted" in page.locator(f"{PANEL} .note").inner_text()
    holds(lambda: genspark_data(session, page) == kept, "cancel keeps cookies and storage")

    # In the popup: the light step (the click that grants browsingData) keeps the sign-in;
    # the heavy one asks too, and Cancel there also keeps everything.
    popup = popup_steps(session)
    popup_step = popup.locator("#steps li[data-step='clear_cache']")
    popup_step.locator("[data-action='clear_cache']").click()
    popup_step.locator(".action-result:has-text('Done.')").wait_for()
    assert genspark_data(session, page) == kept, "clearing the cache keeps the sign-in"
    popup_step.locator("[data-action='clear_site_data']").click()
    assert "signs you out of Genspark" in popup_step.locator(".confirm").inner_text()
    session.screenshot(popup, "popup-confirm-site-data")
    popup_step.locator("[data-confirm='no']").click()
    holds(lambda: genspark_data(session, page) == kept, "cancel in the popup keeps them too")

    # Yes, in the panel: now the cookies and storage are gone, and the panel says so.
    step.locator("[data-tab-action='clear_site_data']").click()
    step.locator(".confirm [data-confirm='yes']").click()
    page.locator(f"{PANEL} .note:has-text('signed out of Genspark')").wait_for()
    wait_until(
        lambda: genspark_data(session, page) == {"cookie": False, "storage": False},
        "genspark.ai's cookie and local storage cleared",
    )
