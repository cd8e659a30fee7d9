"""The browser story of `credit-guard demo --browser`: the extension doing its main job in
a real browser, no Genspark account needed.

Chromium starts on a throw-away profile with the unpacked extension/ and the real helper
(registered for that profile only, its data in a temporary CREDIT_GUARD_HOME), against
the end-to-end tests' local fake of genspark.ai. Nothing of the user's is read or written.
Headless (the default) the demo clicks through itself and saves screenshots; headed the
browser is left open for the user to click.

Here, in the development kit, because it is the end-to-end tests' own harness: the demo
shows exactly what the tests check. native_host/commands/demo.py imports it lazily; its
texts are the CLI's (native_host/i18n.py, keys demo.browser.*).
"""

from __future__ import annotations

import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from devkit.browsers import (
    ACCOUNT,
    REPO,
    WAIT,
    Helper,
    Session,
    chromium_session,
    dialog_button,
    find_chromium,
    panel_steps,
    submit,
    wait_until,
)
from devkit.fake_genspark import FakeGenspark, make_certificate
from native_host.i18n import credits, text

Say = Callable[..., str]  # a demo.browser.* text with its parameters filled in
SHOTS = REPO / "demo-output"  # where a headless run saves its screenshots by default

BALANCE = 250  # enough for one video (about 200 credits), not for two: the dialog has a point
VIDEO_PROMPT = {
    "en": "a slow pan over a misty pine forest at dawn, cinematic",
    "ja": "霧の森をゆっくりとパンする映像、夜明け、映画風",
}


@contextmanager
def demo_session(browser: str, root: Path, lang: str, headless: bool) -> Iterator[Session]:
    """The fake site, the helper registered for a fresh profile, and Chromium with both."""
    fake = FakeGenspark(make_certificate(root / "cert")).start()
    # The site charges the video when it is asked for and the page reads its balance again
    # as soon as the reply ends: the reading reaches the helper long before the video's
    # usage event (sent when the video is done), the timing the tally must get right.
    fake.set(balance=BALANCE, lang=lang, charge_at="request", reread_after_reply=True)
    helper = Helper(root / "helper-home")
    # The extension speaks the helper's language setting even where Chromium has no
    # Japanese UI pack (chromium-l10n).
    helper.cli("config", "set", f"language={lang}")
    try:
        with (
            sync_playwright() as playwright,
            chromium_session(
                playwright,
                fake,
                helper,
                root,
                executable=browser,
                lang=lang,
                headless=headless,
                pin_extension=True,  # the badge in sight
                viewport=(1280, 1000) if headless else None,  # headed: the window's own size
            ) as session,
        ):
            session.context.set_default_timeout(WAIT * 1000)
            yield session
    finally:
        fake.stop()


def badge_text(session: Session) -> str:
    """What the toolbar badge says (read from the worker: a headless browser has no toolbar)."""
    badge: str = session.service_worker().evaluate("chrome.action.getBadgeText({})")
    return badge


def show_held_video(session: Session, say: Say) -> Page:
    """Steps 1-2: the balance reaches the helper and the badge; the video request is held."""
    page = session.open_genspark("video_generation_agent")
    for blank in session.context.pages[:-1]:
        blank.close()  # the persistent context's first tab: one tab in sight, the demo's
    session.wait_for_balance(ACCOUNT, BALANCE)
    badge = wait_until(lambda: badge_text(session), "the toolbar badge")
    print(say("balance", balance=BALANCE, badge=badge))
    submit(page, VIDEO_PROMPT[session.lang])
    dialog_button(page, "go").wait_for(state="visible")
    print(say("held", sent=len(session.fake.generation_requests())))
    return page


def click_through(session: Session, page: Page, out: Path, say: Say) -> list[Path]:
    """Steps 3-5 without a person: go on; a second video the site refuses; the popup."""
    shots = [screenshot(page, out / f"dialog-{session.lang}.png")]
    dialog_button(page, "go").click()
    wait_until(session.fake.generation_requests, "the video request that 'go on' lets through")
    page.wait_for_selector("img.result")
    print(say("went", sent=len(session.fake.generation_requests())))

    left = session.wait_for_balance(ACCOUNT, session.fake.balance())["remaining"]
    session.fake.set(exhausted=True)
    submit(page, VIDEO_PROMPT[session.lang])  # a second video, held and let through again
    dialog_button(page, "go").click()
    steps = panel_steps(page)
    print(say("exhausted", left=credits(session.lang, left)))
    for number, (_, step) in enumerate(steps, 1):
        print(f"   {number}. {step.splitlines()[0]}")
    shots.append(screenshot(page, out / f"panel-{session.lang}.png"))

    popup = session.open_popup()
    popup.wait_for_selector("#helper-state[data-state='connected']")
    remaining = popup.locator("#remaining")
    remaining.wait_for(state="visible")
    popup.wait_for_selector("#chart svg")
    rows = {  # each item is a label and a value (popup/status.js usageItem)
        name: "; ".join(
            f"{item.locator('.label').inner_text()} {item.locator('.value').inner_text()}"
            for item in popup.locator(f"#{name} li").all()
        )
        for name in ("by-device", "by-operation")
    }
    used = popup.locator("#used-total").inner_text().strip()
    print(
        say(
            "popup",
            remaining=remaining.inner_text().strip(),
            used=used,
            devices=rows["by-device"],
            operations=rows["by-operation"],
        )
    )
    shots.append(screenshot(popup, out / f"popup-{session.lang}.png"))
    return shots


def screenshot(page: Page, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def leave_to_the_user(session: Session, say: Say) -> None:
    """Headed: the user clicks; Enter in the terminal makes the fake site run out of credits."""
    print(say("headed"))
    for tip in ("dialog", "toolbar", "exhaust"):
        print(f"  - {say(f'headed.{tip}')}")
    print(say("headed.end"))

    def exhaust_on_enter() -> None:
        if sys.stdin.readline():  # "" is end of input: nobody at the terminal
            session.fake.set(exhausted=True)
            print(say("now_exhausted"))

    threading.Thread(target=exhaust_on_enter, daemon=True).start()
    try:
        session.context.wait_for_event("close", timeout=0)
    except KeyboardInterrupt:
        print()


def play(lang: str, *, headed: bool, out: Path) -> int:
    """The whole story in `lang`; its exit status (2: no Chromium, 3: the extension did
    not load)."""

    def say(key: str, **params: object) -> str:
        return text(lang, f"demo.browser.{key}", **params)

    browser = find_chromium()
    if browser is None:
        print(say("no_browser"), file=sys.stderr)
        return 2
    print(say("start", browser=browser, mode=say("mode.headed" if headed else "mode.headless")))
    with (
        tempfile.TemporaryDirectory(
            prefix="credit-guard-browser-demo-", ignore_cleanup_errors=True
        ) as root,
        demo_session(browser, Path(root), lang, headless=not headed) as session,
    ):
        try:
            session.service_worker()
        except AssertionError:
            print(say("no_extension", browser=browser), file=sys.stderr)
            return 3
        page = show_held_video(session, say)
        if headed:
            leave_to_the_user(session, say)
        else:
            shots = click_through(session, page, out.resolve(), say)
            print(say("shots"))
            for shot in shots:
                print(f"  {shot}")
    print(say("done"))
    return 0
