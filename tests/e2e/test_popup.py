"""The popup against the real helper: what it shows comes from the ledger, and what the
person enters there (settings, usage from another device) lands in the ledger; the
Devices tab pairs, syncs, leaves and joins through a real shared folder."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from devkit.browsers import ACCOUNT, EXTENSION_DIR, Launch, Session, japanese, wait_until
from native_host.i18n import text

JA_MESSAGES = json.loads((EXTENSION_DIR / "_locales" / "ja" / "messages.json").read_text())
# What people read in the Devices tab: every one of these says something in Japanese.
DEVICES_TEXTS = "#panel-devices :is(h2, h3, p, label, legend, button, li, .confirm *)"


def logged_usage(session: Session, credits: int = 10) -> None:
    """Usage "from a phone" through the CLI, so the popup has a tally without a page."""
    session.helper.cli(
        "log", "--account", ACCOUNT, "--operation", "image", "--credits", str(credits)
    )


def test_status_tab_shows_the_helpers_tally(session: Session) -> None:
    logged_usage(session, 10)
    popup = session.open_popup()
    popup.wait_for_selector("#remaining:has-text('90')")
    assert ACCOUNT in popup.locator("#account-row").inner_text()
    assert popup.locator("#reset").inner_text().strip(), "when the credits come back"
    assert popup.get_attribute("#progress", "aria-valuenow") == "90"
    assert popup.locator("#chart svg").count() == 1, "the 30-day chart is drawn"
    assert "10" in popup.locator("#by-operation").inner_text()


def test_settings_form_changes_reach_the_helper(session: Session) -> None:
    logged_usage(session)
    popup = session.open_popup()
    popup.wait_for_selector("#remaining:has-text('90')")
    popup.click("#tab-settings")
    form = popup.locator("#settings-form")
    form.locator("select[name='plan']").select_option("plus")
    form.locator("input[name='reserve']").fill("30")
    form.locator("button[type='submit']").click()

    def saved() -> dict[str, object] | None:
        reply = json.loads(
            session.helper.cli("config", "get", "--account", ACCOUNT, "--json").stdout
        )
        account: dict[str, object] = reply["account"]
        return account if account["plan"] == "plus" else None

    account = wait_until(saved, "plan=plus in the helper's settings")
    assert account["reserve"] == 30
    popup.click("#tab-status")
    popup.wait_for_selector("#remaining:has-text('9,990')")  # plus: 10 000 a month


def test_manual_form_records_usage_from_another_device(session: Session) -> None:
    logged_usage(session)
    popup = session.open_popup()
    popup.wait_for_selector("#remaining:has-text('90')")
    popup.click("#manual summary")
    form = popup.locator("#manual-form")
    form.locator("select[name='operation']").select_option("video")
    form.locator("input[name='credits']").fill("25")
    form.locator("input[name='account']").fill(ACCOUNT)
    form.locator("button[type='submit']").click()

    def video() -> list[dict[str, object]]:
        return [e for e in session.helper.events("usage") if e["body"]["operation"] == "video"]

    recorded = wait_until(video, "the manual entry in the ledger")
    assert len(recorded) == 1 and recorded[0]["body"]["credits"] == 25
    popup.wait_for_selector("#remaining:has-text('65')")


def test_status_tab_shows_the_pace_in_local_time(session: Session) -> None:
    now = datetime.now(UTC)
    # A daily period that began about 12 hours ago, whatever the time of day now.
    reset_time = (now - timedelta(hours=12)).strftime("%H:%M")
    session.helper.cli("config", "set", "--account", ACCOUNT, f"reset_time={reset_time}")
    log = ("log", "--account", ACCOUNT, "--operation", "video", "--credits", "90")
    session.helper.cli(*log, "--at", (now - timedelta(hours=1)).isoformat())
    popup = session.open_popup()
    popup.wait_for_selector("#pace:has-text('out around')")
    shown = popup.locator("#pace").inner_text()
    tally = session.helper.tally(ACCOUNT)
    assert tally is not None and tally["pace"]["outlook"] == "runs_out"
    # The popup asked a moment before the CLI: its forecast is the same or a minute earlier.
    clock = datetime.fromisoformat(tally["pace"]["runs_out_at"]).astimezone()
    clocks = {f"{clock:%H:%M}", f"{clock - timedelta(minutes=1):%H:%M}"}
    line = r"out around (\d\d:\d\d), .+ before the reset · 7\.5 credits an hour"
    found = re.fullmatch(line, shown)
    assert found and found.group(1) in clocks, (shown, clocks)
    assert popup.locator("#pace-row dt").inner_text().strip() == "At this pace"
    session.screenshot(popup, "popup-pace")


def test_a_manual_entry_made_in_the_popup_can_be_undone(session: Session) -> None:
    """A mistyped 500 credits entered in the popup: Undo takes it back through the
    background's outbox, as the helper's `undo`, and the tally is as before."""
    logged_usage(session)
    popup = session.open_popup()
    popup.wait_for_selector("#remaining:has-text('90')")
    popup.click("#manual summary")
    form = popup.locator("#manual-form")
    form.locator("input[name='account']").fill("not an e-mail")
    form.locator("button[type='submit']").click()
    popup.wait_for_selector("[data-error-for='account']:not([hidden])")
    form.locator("select[name='operation']").select_option("image")
    form.locator("input[name='credits']").fill("500")
    form.locator("input[name='account']").fill(f" {ACCOUNT.upper()} ")
    form.locator("button[type='submit']").click()
    popup.wait_for_selector("#progress[aria-valuenow='0']")
    entry = popup.locator("#manual-recent li")
    assert entry.count() == 1 and ACCOUNT in entry.inner_text()
    (recorded,) = wait_until(
        lambda: [e for e in session.helper.events("usage") if e["body"].get("credits") == 500],
        "the manual entry in the ledger",
    )
    assert recorded["account"] == ACCOUNT  # one spelling, whatever was typed

    entry.locator("button").click()
    (undo,) = wait_until(lambda: session.helper.events("undo"), "the undo in the ledger")
    assert undo["body"] == {"undoes": recorded["event_id"]}
    popup.wait_for_selector("#remaining:has-text('90')")
    assert popup.locator("#manual-recent").is_hidden()
    assert "Undone" in popup.locator("#manual-result").inner_text()


def test_a_forgotten_account_leaves_the_popup(session: Session) -> None:
    logged_usage(session)
    session.helper.cli("log", "--account", "other@example.com", "--operation", "chat")
    popup = session.open_popup()
    popup.wait_for_selector(f"#account option[value='{ACCOUNT}']", state="attached")
    session.helper.cli("forget", "--yes", ACCOUNT)
    popup.reload()
    popup.wait_for_selector("#account-row:has-text('other@example.com')")
    assert ACCOUNT not in popup.locator("#account-row").inner_text()
    assert ACCOUNT not in popup.locator("#account").inner_html()


def test_usage_past_the_allowance_reads_over_by(session: Session) -> None:
    """Remaining stops at 0; the popup says by how much usage went past the allowance."""
    logged_usage(session, 100)
    session.helper.cli("log", "--account", ACCOUNT, "--operation", "video", "--credits", "107.5")
    popup = session.open_popup()
    popup.wait_for_selector("#used-total:text-is('207.5')")
    assert popup.locator("#remaining").inner_text().split() == ["0", "of", "100", "left"]
    note = popup.locator("#level-note")
    assert note.is_visible() and "over the allowance by 107.5" in note.inner_text()


def ja(key: str) -> str:
    return str(JA_MESSAGES[key]["message"])


def english_leftovers(popup: Page) -> list[str]:
    """The Devices tab's texts (headings, lines, labels, buttons) with no Japanese in them."""
    texts = [element.inner_text().strip() for element in popup.locator(DEVICES_TEXTS).all()]
    assert any(texts), "the Devices tab shows no text at all"
    return [shown for shown in texts if shown and not japanese(shown)]


def sync_status(session: Session) -> dict[str, Any]:
    """`credit-guard sync status --json`: the helper's own view of this device's group."""
    status: dict[str, Any] = json.loads(session.helper.cli("sync", "status", "--json").stdout)
    return status


def files_holding(folder: Path, secret: str) -> list[Path]:
    """The files under `folder` with `secret` in them, as typed or without its dashes."""
    spellings = {secret.encode(), secret.replace("-", "").encode()}
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and any(spelling in path.read_bytes() for spelling in spellings)
    ]


def pair_with_a_missing_folder(popup: Page, missing: Path) -> str:
    """Ask the Devices tab to pair through a folder that is not there: the refusal shown
    beside the folder field."""
    popup.click("[data-sync-action='pair']")
    popup.click("input[name='sync-transport'][value='folder']")
    popup.fill("[data-field='folder']", str(missing))
    popup.click("[data-sync-action='pair-submit']")
    refusal = popup.locator("[data-error-for='folder']")
    refusal.wait_for()
    return refusal.inner_text()


def test_devices_tab_pairs_renames_leaves_and_joins_with_a_folder_code(
    session: Session, tmp_path: Path
) -> None:
    """The whole Devices tab against the real helper and a real shared folder: the
    helper's refusals beside their fields, the code and its QR, a rename, a sync, leaving
    after a question, and joining again with the code. The group secret goes only to the
    test's keyring folder; the code to no file of the helper's."""
    shared = tmp_path / "shared"
    shared.mkdir()
    keyring_file = Path(session.helper.keyring["CREDIT_GUARD_TEST_KEYRING"]) / "keyring.json"
    popup = session.open_popup()
    popup.click("#tab-devices")
    popup.wait_for_selector("#devices-body[data-sync-state='off']")

    missing = tmp_path / "nope"
    refusal = pair_with_a_missing_folder(popup, missing)  # the helper's words, beside it
    assert refusal == text("en", "sync.folder_missing", folder=str(missing))
    assert popup.get_attribute("[data-field='folder']", "aria-invalid") == "true"
    assert not keyring_file.exists(), "a refused pairing stores no secret"

    popup.fill("[data-field='folder']", str(shared))
    popup.click("[data-sync-action='pair-submit']")
    code = popup.locator("#pairing-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]+(-[0-9A-Z]+)+", code), code
    assert popup.evaluate("document.activeElement.id") == "pairing-code"
    assert (popup.get_attribute("img.pairing-qr", "src") or "").startswith("data:image/svg+xml")
    popup.wait_for_function("document.querySelector('img.pairing-qr').naturalWidth > 0")
    paired = sync_status(session)
    assert (paired["transport"], paired["folder"]) == ("folder", str(shared))
    assert "credit-guard/group-secret" in json.loads(keyring_file.read_text())
    transport = popup.locator(".sync-transport").inner_text()
    assert transport == f"Through the shared folder {shared}"

    popup.fill("[data-field='name']", " Work laptop ")
    popup.press("[data-field='name']", "Enter")
    popup.wait_for_selector("#devices-status:text-is('This device is now called Work laptop.')")
    assert sync_status(session)["this_device"]["name"] == "Work laptop"

    popup.click("[data-sync-action='sync-now']")
    popup.wait_for_selector("#devices-status:has-text('Synced:')")
    synced = popup.locator("#devices-status").inner_text()
    assert re.fullmatch(r"Synced: \d+ sent, 0 received\.", synced), synced
    assert popup.get_attribute("#devices-body", "aria-busy") == "false"
    after_sync = sync_status(session)
    assert after_sync["state"] == "ok" and after_sync["last_sync_at"] is not None
    assert popup.locator(".sync-state").inner_text().startswith("Syncing · last sync ")
    assert list(shared.rglob("*.cgsync")), "this device publishes its file in the folder"

    popup.click("[data-sync-action='leave']")
    popup.click("[data-confirm='yes']")
    popup.wait_for_selector("#devices-body[data-sync-state='off']")
    assert popup.locator("#devices-status").inner_text() == (
        "This device no longer syncs. Its tally and history stay here."
    )
    assert sync_status(session)["transport"] is None
    assert "credit-guard/group-secret" not in json.loads(keyring_file.read_text())

    popup.click("[data-sync-action='join']")
    popup.fill("[data-field='code']", code)
    popup.click("[data-sync-action='join-submit']")
    needs_folder = popup.locator("[data-error-for='folder']")
    needs_folder.wait_for()  # a folder group's code asks for this device's path of it
    assert needs_folder.inner_text() == text("en", "sync.join.folder_needed")
    assert popup.is_checked("[data-field='join_folder']")
    popup.fill("[data-field='folder']", str(shared))
    popup.click("[data-sync-action='join-submit']")
    popup.wait_for_selector("[data-sync-action='sync-now']")
    joined = sync_status(session)
    assert (joined["group"], joined["folder"]) == (paired["group"], str(shared))
    assert popup.locator("#devices-status").inner_text() == (
        "Joined. This device now syncs with your others."
    )

    assert code not in session.helper.log_text()
    assert files_holding(session.helper.home, code) == []
    assert files_holding(shared, code) == []


def test_devices_tab_speaks_japanese_from_the_popup_to_the_helper(
    launch: Launch, tmp_path: Path
) -> None:
    """A Japanese browser: every label and button of the Devices tab (unpaired, the join
    and pair forms, paired, the leave question) is Japanese, and so are the helper's
    refusals and results, as the popup asks in its language."""
    shared = tmp_path / "shared"
    shared.mkdir()
    session = launch(lang="ja")
    popup = session.open_popup()
    popup.click("#tab-devices")
    popup.wait_for_selector("#devices-body[data-sync-state='off']")
    assert popup.locator("#tab-devices").inner_text().strip() == ja("popup_tab_devices")
    assert popup.locator("[data-sync-action='pair']").inner_text() == ja("popup_sync_pair")
    assert popup.locator("[data-sync-action='join']").inner_text() == ja("popup_sync_join")
    assert english_leftovers(popup) == []

    popup.click("[data-sync-action='join']")
    popup.click("[data-sync-action='join-submit']")  # no code: the popup's own words
    popup.wait_for_selector("[data-error-for='code']")
    assert popup.locator("[data-error-for='code']").inner_text() == ja(
        "popup_sync_error_code_empty"
    )
    assert english_leftovers(popup) == []
    popup.click("[data-sync-action='cancel']")

    missing = tmp_path / "nope"
    refusal = pair_with_a_missing_folder(popup, missing)  # in the popup's language
    assert refusal == text("ja", "sync.folder_missing", folder=str(missing))
    assert english_leftovers(popup) == []

    popup.fill("[data-field='folder']", str(shared))
    popup.click("[data-sync-action='pair-submit']")
    popup.wait_for_selector("#pairing-code")
    assert popup.locator("#devices-status").inner_text() == ja("popup_sync_paired")
    assert popup.get_attribute("img.pairing-qr", "alt") == ja("popup_sync_qr_alt")
    popup.click("[data-sync-action='sync-now']")
    popup.wait_for_selector("#devices-status:has-text('同期しました')")
    synced = popup.locator("#devices-status").inner_text()
    assert re.fullmatch(r"同期しました：送信 \d+ 件、受信 0 件。", synced), synced
    assert english_leftovers(popup) == []

    popup.click("[data-sync-action='leave']")
    popup.wait_for_selector("[data-confirm='yes']")
    assert popup.locator("[data-confirm='yes']").inner_text() == ja("confirm_sync_leave_yes")
    assert popup.get_attribute(".confirm", "aria-label") == ja("confirm_sync_leave_title")
    assert english_leftovers(popup) == []
    session.screenshot(popup, "popup-devices-leave")


def test_the_guide_link_opens_the_guide_in_the_popups_language(session: Session) -> None:
    """The link at the top opens the guide's index in a new tab (a plain link: no
    permission), in English, then in Japanese once the language setting says so."""
    source = (EXTENSION_DIR / "popup" / "guide.js").read_text(encoding="utf-8")
    project = re.search(r'export const PROJECT_URL = "([^"]+)";', source)
    assert project, "PROJECT_URL in extension/popup/guide.js"
    guide = f"{project.group(1)}/blob/main/docs/guide/"
    # The browser reaches no real site here: the guide's address answers from the test.
    session.context.route(f"{guide}**", lambda route: route.fulfill(body="the guide"))
    popup = session.open_popup()
    popup.wait_for_selector("#guide-link:has-text('Guide')")
    link = popup.locator("#guide-link")
    with session.context.expect_page() as opened:
        link.click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url == f"{guide}README.md"
    assert "the guide" in tab.content()
    tab.close()
    popup.close()

    session.helper.cli("config", "set", "language=ja")
    popup = session.open_popup()
    popup.wait_for_selector(f"#guide-link:has-text('{ja('popup_guide')}')")
    assert popup.get_attribute("#guide-link", "href") == f"{guide}README.ja.md"
