"""Watch the extension do its main job in a real browser, no Genspark account needed.

Chromium starts on a throw-away profile with the unpacked extension/ and the real helper
(registered for that profile only, its data in a temporary CREDIT_GUARD_HOME), against
the end-to-end tests' local fake of genspark.ai. Nothing of the user's is read or written.
With a display the browser is left open for the user to click; without one (or with
--headless) the demo clicks through itself and saves screenshots.

Run it through build_scripts/demo_browser.sh, which makes sure Playwright is installed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The development harness (devkit/, not installed: the repository is put on the path) is
# the end-to-end tests' own, so the demo shows exactly what the tests check.
sys.path.insert(0, str(REPO))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from devkit.browsers import (  # noqa: E402
    ACCOUNT,
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
from devkit.fake_genspark import FakeGenspark, make_certificate  # noqa: E402

BALANCE = 250  # enough for one video (about 200 credits), not for two: the dialog has a point
VIDEO_PROMPT = {
    "en": "a slow pan over a misty pine forest at dawn, cinematic",
    "ja": "霧の森をゆっくりとパンする映像、夜明け、映画風",
}
TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "no_browser": "Chromium not found: install it (Debian/Ubuntu: apt-get install chromium)"
        " or set CREDIT_GUARD_CHROMIUM to its path.",
        "no_extension": "The extension did not load in {browser}. Google Chrome 137 and later"
        " ignore --load-extension: install Chromium (apt-get install chromium) and run again.",
        "start": "Starting {browser} ({mode}) with a throw-away profile, the extension from"
        " extension/ and the helper; your own data is not touched.",
        "balance": "1. A Genspark video page (a local fake) shows {balance} credits; the helper"
        " has them in its tally and the toolbar badge shows {badge}.",
        "held": "2. You ask for a video: Credit Guard holds it before anything is sent and asks"
        " first. The site has received {sent} generation requests.",
        "went": "3. You click “Go on”: your request reaches the site exactly once"
        " ({sent} generation request) and the video is made.",
        "exhausted": "4. A second video: you go on, and the site says your credits are used up,"
        " though the tally says {left:g} remain. The page's troubleshooting panel says what"
        " to try, in order:",
        "popup": "5. The popup shows the tally: {remaining}; used this period {used}"
        " (by device: {devices}; by operation: {operations}).",
        "shots": "Screenshots:",
        "headed": "The browser is yours now. Try:\n"
        "  - the dialog on the page: “Go on” sends your video once, “Cancel” sends nothing;\n"
        "  - the Credit Guard icon in the toolbar: its badge shows the credits left, a click\n"
        "    opens the popup (tally, settings, troubleshooting);\n"
        "  - press Enter here to make the fake site say your credits are used up, then send\n"
        "    a prompt on the page: the troubleshooting panel appears.\n"
        "The browser reaches only the fake site. Close it, or press Ctrl-C here, to end.",
        "now_exhausted": "The fake site now says your credits are used up: send a prompt.",
        "done": "Done: the profile and the helper's data were temporary and are gone.",
    },
    "ja": {
        "no_browser": "Chromium が見つかりません。インストールするか(Debian/Ubuntu:"
        " apt-get install chromium)、CREDIT_GUARD_CHROMIUM にパスを設定してください。",
        "no_extension": "{browser} で拡張機能が読み込まれませんでした。Google Chrome 137 以降は"
        " --load-extension を無視します。Chromium をインストールして(apt-get install"
        " chromium)もう一度実行してください。",
        "start": "{browser}({mode})を使い捨てのプロファイル、extension/ の拡張機能、ヘルパーで"
        "起動します。あなたのデータには触れません。",
        "balance": "1. Genspark の動画ページ(ローカルの偽サイト)に {balance} クレジットと表示され、"
        "ヘルパーの集計にも入り、ツールバーのバッジは {badge} です。",
        "held": "2. 動画を依頼すると、Credit Guard が送信前に止めて確認します。"
        "サイトが受け取った生成リクエストは {sent} 件です。",
        "went": "3. 「続ける」を押すと、依頼はちょうど 1 回サイトに届き({sent} 件)、"
        "動画が作られます。",
        "exhausted": "4. 2 本目の動画で「続ける」を押すと、集計では {left:g} クレジット"
        "残っているのに、サイトが使い切ったと言います。ページのトラブル対応パネルが、試すことを順に示します:",
        "popup": "5. ポップアップに集計が表示されます: {remaining}。今期の使用 {used}"
        "(端末別: {devices}、操作別: {operations})",
        "shots": "スクリーンショット:",
        "headed": "ブラウザを操作できます。試してみてください:\n"
        "  - ページのダイアログ:「続ける」で動画が 1 回だけ送られ、「キャンセル」では\n"
        "    何も送られません。\n"
        "  - ツールバーの Credit Guard アイコン: バッジに残りクレジット、クリックでポップアップ\n"
        "    (集計、設定、トラブルシューティング)。\n"
        "  - ここで Enter を押すと偽サイトがクレジット切れを返すようになります。その後ページで\n"
        "    送信すると、トラブル対応パネルが出ます。\n"
        "ブラウザは偽サイトにしかつながりません。閉じるか、ここで Ctrl-C を押すと終了します。",
        "now_exhausted": "偽サイトがクレジット切れを返すようになりました。送信してみてください。",
        "done": "終了しました。プロファイルとヘルパーのデータは一時的なもので、削除されました。",
    },
}


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


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
    text: str = session.service_worker().evaluate("chrome.action.getBadgeText({})")
    return text


def show_held_video(session: Session, say: dict[str, str]) -> Page:
    """Steps 1-2: the balance reaches the helper and the badge; the video request is held."""
    page = session.open_genspark("video_generation_agent")
    for blank in session.context.pages[:-1]:
        blank.close()  # the persistent context's first tab: one tab in sight, the demo's
    session.wait_for_balance(ACCOUNT, BALANCE)
    badge = wait_until(lambda: badge_text(session), "the toolbar badge")
    print(say["balance"].format(balance=BALANCE, badge=badge))
    submit(page, VIDEO_PROMPT[session.lang])
    dialog_button(page, "go").wait_for(state="visible")
    print(say["held"].format(sent=len(session.fake.generation_requests())))
    return page


def click_through(session: Session, page: Page, out: Path, say: dict[str, str]) -> list[Path]:
    """Steps 3-5 without a person: go on; a second video the site refuses; the popup."""
    shots = [screenshot(page, out / f"dialog-{session.lang}.png")]
    dialog_button(page, "go").click()
    wait_until(session.fake.generation_requests, "the video request that 'go on' lets through")
    page.wait_for_selector("img.result")
    print(say["went"].format(sent=len(session.fake.generation_requests())))

    left = session.wait_for_balance(ACCOUNT, session.fake.balance())["remaining"]
    session.fake.set(exhausted=True)
    submit(page, VIDEO_PROMPT[session.lang])  # a second video, held and let through again
    dialog_button(page, "go").click()
    steps = panel_steps(page)
    print(say["exhausted"].format(left=left))
    for number, (_, text) in enumerate(steps, 1):
        print(f"   {number}. {text.splitlines()[0]}")
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
        say["popup"].format(
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


def leave_to_the_user(session: Session, say: dict[str, str]) -> None:
    """Headed: the user clicks; Enter in the terminal makes the fake site run out of credits."""
    print(say["headed"])

    def exhaust_on_enter() -> None:
        if sys.stdin.readline():  # "" is end of input: nobody at the terminal
            session.fake.set(exhausted=True)
            print(say["now_exhausted"])

    threading.Thread(target=exhaust_on_enter, daemon=True).start()
    try:
        session.context.wait_for_event("close", timeout=0)
    except KeyboardInterrupt:
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("en", "ja"), default="en", help="language to show")
    parser.add_argument(
        "--headless",
        action="store_true",
        help="click through without a window even when there is a display (default without one)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO / "demo-output",
        help="where the headless run saves its screenshots (default: demo-output/)",
    )
    args = parser.parse_args(argv)
    say = TEXTS[args.lang]
    browser = find_chromium()
    if browser is None:
        print(say["no_browser"], file=sys.stderr)
        return 2
    headless = args.headless or not has_display()
    print(say["start"].format(browser=browser, mode="headless" if headless else "headed"))
    with (
        tempfile.TemporaryDirectory(
            prefix="credit-guard-browser-demo-", ignore_cleanup_errors=True
        ) as root,
        demo_session(browser, Path(root), args.lang, headless) as session,
    ):
        try:
            session.service_worker()
        except AssertionError:
            print(say["no_extension"].format(browser=browser), file=sys.stderr)
            return 3
        page = show_held_video(session, say)
        if not headless:
            leave_to_the_user(session, say)
        else:
            shots = click_through(session, page, args.out.resolve(), say)
            print(say["shots"])
            for shot in shots:
                print(f"  {shot}")
    print(say["done"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
